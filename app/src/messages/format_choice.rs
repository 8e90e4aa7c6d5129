//! Which format one message is shown in. The user can choose at three levels, and the
//! most specific wins: a format picked for this message, then the format saved on the
//! subscription the message arrived through, then the log's format (which starts as
//! the default from Settings). When none is fixed, a format is suggested from the
//! payload ("detect"), never written back.

use super::decode::PayloadFormat;
use super::detect::detect;

/// Where the chosen format came from, so the detail view can say why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatSource {
    Message,
    Subscription,
    Log,
    Detected,
}

impl FormatSource {
    /// How the detail view explains the choice.
    pub fn describe(self) -> &'static str {
        match self {
            FormatSource::Message => "chosen for this message",
            FormatSource::Subscription => "set on its subscription",
            FormatSource::Log => "the log's format",
            FormatSource::Detected => "detected",
        }
    }
}

/// A message's format and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatChoice {
    pub format: PayloadFormat,
    pub source: FormatSource,
}

/// The format choices that apply to one message, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FormatLevels {
    pub message: Option<PayloadFormat>,
    pub subscription: Option<PayloadFormat>,
    pub log: Option<PayloadFormat>,
}

impl FormatLevels {
    /// The most specific format set, or a suggestion from `payload`.
    pub fn choose(self, payload: &[u8]) -> FormatChoice {
        let fixed = [
            (self.message, FormatSource::Message),
            (self.subscription, FormatSource::Subscription),
            (self.log, FormatSource::Log),
        ];
        fixed
            .into_iter()
            .find_map(|(format, source)| format.map(|format| FormatChoice { format, source }))
            .unwrap_or_else(|| FormatChoice {
                format: detect(payload),
                source: FormatSource::Detected,
            })
    }
}

/// The format saved on the first subscription (in list order) whose filter matches
/// `topic` and that sets one. `subscriptions` pairs each filter with its format; it is
/// read in place, because this runs for every row the log draws.
pub fn subscription_format<'a>(
    subscriptions: impl IntoIterator<Item = (&'a str, Option<PayloadFormat>)>,
    topic: &str,
) -> Option<PayloadFormat> {
    subscriptions
        .into_iter()
        .filter(|(filter, _)| mqtt::topic_matches(filter, topic))
        .find_map(|(_, format)| format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_choice_wins() {
        let all = FormatLevels {
            message: Some(PayloadFormat::Base64),
            subscription: Some(PayloadFormat::Hex),
            log: Some(PayloadFormat::Text),
        };
        let payload = br#"{"a":1}"#;
        assert_eq!(
            all.choose(payload),
            FormatChoice {
                format: PayloadFormat::Base64,
                source: FormatSource::Message
            }
        );
        let no_message = FormatLevels {
            message: None,
            ..all
        };
        assert_eq!(no_message.choose(payload).format, PayloadFormat::Hex);
        assert_eq!(
            no_message.choose(payload).source,
            FormatSource::Subscription
        );
        let log_only = FormatLevels {
            log: Some(PayloadFormat::Text),
            ..FormatLevels::default()
        };
        assert_eq!(log_only.choose(payload).source, FormatSource::Log);
    }

    #[test]
    fn nothing_fixed_means_a_suggestion() {
        let choice = FormatLevels::default().choose(br#"{"a":1}"#);
        assert_eq!(choice.format, PayloadFormat::Json);
        assert_eq!(choice.source, FormatSource::Detected);
        assert_eq!(
            FormatLevels::default().choose(&[0xff, 0x00]).format,
            PayloadFormat::Hex
        );
    }

    #[test]
    fn the_first_matching_subscription_with_a_format_decides() {
        let subscriptions = [
            ("plain/#", None),
            ("bin/#", Some(PayloadFormat::Hex)),
            ("#", Some(PayloadFormat::Text)),
        ];
        assert_eq!(
            subscription_format(subscriptions, "bin/x"),
            Some(PayloadFormat::Hex)
        );
        assert_eq!(
            subscription_format(subscriptions, "plain/x"),
            Some(PayloadFormat::Text)
        );
        assert_eq!(
            subscription_format(subscriptions[..2].iter().copied(), "plain/x"),
            None
        );
    }
}
