//! The formats a connection's message log shows payloads in, kept per connection for the
//! whole page session: leaving a connection (for Settings or another connection) and
//! coming back keeps them. Two of the three levels live here: the log's own format and
//! the formats picked for single messages (the subscription's is saved with it). The
//! log's format either follows the default from Settings — so changing that default
//! changes every log that follows it — or is the one the user picked in the log.

use std::cell::RefCell;
use std::collections::HashMap;

use leptos::prelude::*;

use crate::messages::PayloadFormat;

/// The log-level format of one connection's log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// The default payload format from Settings, whatever it is now.
    #[default]
    FollowSettings,
    /// Picked in the log by the user; `None` is "detect".
    Chosen(Option<PayloadFormat>),
}

impl LogFormat {
    /// The format this log shows payloads in when Settings' default is `default`
    /// (`None`: suggest one per message).
    pub fn resolve(self, default: Option<PayloadFormat>) -> Option<PayloadFormat> {
        match self {
            LogFormat::FollowSettings => default,
            LogFormat::Chosen(format) => format,
        }
    }
}

/// One connection's format choices. Reference-counted signals: they outlive the log
/// view that shows them.
#[derive(Clone)]
pub struct LogFormats {
    pub log: ArcRwSignal<LogFormat>,
    /// Formats picked for single messages, by sequence number.
    pub messages: ArcRwSignal<HashMap<u64, PayloadFormat>>,
}

thread_local! {
    static FORMATS: RefCell<HashMap<String, LogFormats>> = RefCell::new(HashMap::new());
}

/// The format choices of connection `id`'s log, created (following Settings) on first use.
pub fn log_formats(id: &str) -> LogFormats {
    FORMATS.with(|formats| {
        formats
            .borrow_mut()
            .entry(id.to_string())
            .or_insert_with(|| LogFormats {
                log: ArcRwSignal::new(LogFormat::FollowSettings),
                messages: ArcRwSignal::new(HashMap::new()),
            })
            .clone()
    })
}

/// Drops connection `id`'s choices, when the connection itself is deleted (a new
/// connection never inherits them, and they do not pile up over a long session).
pub fn forget_log_formats(id: &str) {
    FORMATS.with(|formats| formats.borrow_mut().remove(id));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_follows_the_default_until_the_user_picks_one() {
        let hex = Some(PayloadFormat::Hex);
        assert_eq!(LogFormat::FollowSettings.resolve(hex), hex);
        assert_eq!(LogFormat::FollowSettings.resolve(None), None);
        assert_eq!(
            LogFormat::Chosen(Some(PayloadFormat::Text)).resolve(hex),
            Some(PayloadFormat::Text)
        );
        // "Detect" picked on purpose stays detect whatever the default.
        assert_eq!(LogFormat::Chosen(None).resolve(hex), None);
    }

    #[test]
    fn choices_are_kept_per_connection() {
        log_formats("formats-a")
            .log
            .set(LogFormat::Chosen(Some(PayloadFormat::Base64)));
        assert_eq!(
            log_formats("formats-a").log.get_untracked(),
            LogFormat::Chosen(Some(PayloadFormat::Base64))
        );
        assert_eq!(
            log_formats("formats-b").log.get_untracked(),
            LogFormat::FollowSettings
        );
    }

    #[test]
    fn a_deleted_connection_leaves_no_choices_behind() {
        let kept = log_formats("kept");
        let gone = log_formats("gone");
        kept.log.set(LogFormat::Chosen(Some(PayloadFormat::Hex)));
        gone.log.set(LogFormat::Chosen(Some(PayloadFormat::Text)));
        gone.messages.update(|m| {
            m.insert(7, PayloadFormat::Base64);
        });
        forget_log_formats("gone");
        let again = log_formats("gone");
        assert_eq!(again.log.get_untracked(), LogFormat::FollowSettings);
        assert!(again.messages.with_untracked(HashMap::is_empty));
        assert_eq!(
            log_formats("kept").log.get_untracked(),
            LogFormat::Chosen(Some(PayloadFormat::Hex))
        );
    }
}
