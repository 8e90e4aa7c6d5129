//! Why a topic name, topic filter or shared subscription was refused. Every message
//! says what is wrong and how to fix it, because the app shows it to a user who just
//! typed the topic and the broker sends it back as a reason string.

use std::fmt;

use thiserror::Error;

/// Whether the refused text was a topic name (what a message is published to) or a
/// topic filter (what a subscription asks for).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TopicKind {
    /// A topic name, as in PUBLISH.
    Name,
    /// A topic filter, as in SUBSCRIBE and UNSUBSCRIBE.
    Filter,
}

impl fmt::Display for TopicKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Name => "topic name",
            Self::Filter => "topic filter",
        })
    }
}

/// A topic name, topic filter or shared subscription that breaks the MQTT rules.
///
/// Level numbers in the fields and messages count from 1, as a person would.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TopicError {
    /// Zero characters; the protocol requires at least one.
    #[error("the {kind} is empty: it needs at least one character, e.g. 'sensors/temperature'")]
    Empty {
        /// Name or filter.
        kind: TopicKind,
    },

    /// Longer than the 65,535 bytes a two-byte length prefix can describe.
    #[error(
        "the {kind} is {len} bytes long but at most 65535 bytes of UTF-8 are allowed: shorten it"
    )]
    TooLong {
        /// Name or filter.
        kind: TopicKind,
        /// Its length in bytes of UTF-8.
        len: usize,
    },

    /// Contains U+0000, which the protocol forbids in every UTF-8 string.
    #[error("the {kind} contains the null character U+0000 at byte {position}: remove it")]
    NullCharacter {
        /// Name or filter.
        kind: TopicKind,
        /// Byte offset of the first null character.
        position: usize,
    },

    /// A topic name with `+` or `#`: wildcards belong in filters only.
    #[error(
        "the topic name contains the wildcard '{wildcard}' at byte {position}: wildcards are only \
         allowed in subscription filters; publish to a concrete topic such as 'sensors/kitchen'"
    )]
    WildcardInName {
        /// `+` or `#`.
        wildcard: char,
        /// Byte offset of the first wildcard.
        position: usize,
    },

    /// `#` shares its level with other characters, as in `sport#`.
    #[error(
        "'#' must be the last level of a filter, alone: level {level} is '{text}'; \
         use 'a/#' not 'a#'"
    )]
    MultiLevelWildcardNotAlone {
        /// The level holding the `#`, counted from 1.
        level: usize,
        /// That level's text, shortened if very long.
        text: String,
    },

    /// `#` is followed by more levels, as in `sport/#/ranking`.
    #[error(
        "'#' must be the last level of a filter, alone: it is level {level} of {levels}; \
         remove the levels after it (use 'a/#' not 'a/#/b')"
    )]
    MultiLevelWildcardNotLast {
        /// The level holding the `#`, counted from 1.
        level: usize,
        /// How many levels the filter has.
        levels: usize,
    },

    /// `+` shares its level with other characters, as in `sport+`.
    #[error(
        "'+' must fill a whole level of a filter: level {level} is '{text}'; \
         use 'a/+/c' not 'a/b+/c'"
    )]
    SingleLevelWildcardNotAlone {
        /// The level holding the `+`, counted from 1.
        level: usize,
        /// That level's text, shortened if very long.
        text: String,
    },

    /// `$share/` with nothing (or only `/`) before the filter.
    #[error(
        "the shared subscription has an empty share name: write '$share/{{group}}/{{filter}}', \
         e.g. '$share/workers/jobs/#'"
    )]
    EmptyShareName,

    /// A share name holding `+` or `#`.
    #[error(
        "the share name '{group}' contains '{character}': a share name cannot contain '/', '+' \
         or '#'; use a plain word, e.g. '$share/workers/jobs/#'"
    )]
    InvalidShareName {
        /// The share name as written, shortened if very long.
        group: String,
        /// The first forbidden character.
        character: char,
    },

    /// `$share/{group}` or `$share/{group}/` with no filter after the share name.
    #[error(
        "the shared subscription '$share/{group}' has no topic filter: add one after the share \
         name, e.g. '$share/{group}/jobs/#'"
    )]
    MissingSharedFilter {
        /// The share name as written, shortened if very long.
        group: String,
    },

    /// The filter after the share name breaks the filter rules.
    #[error("the topic filter of shared subscription group '{group}' is invalid: {reason}")]
    InvalidSharedFilter {
        /// The share name as written, shortened if very long.
        group: String,
        /// What is wrong with the filter.
        reason: Box<TopicError>,
    },
}

/// The longest piece of user text copied into an error, so that a 64 KiB level does
/// not become a 64 KiB message.
const EXCERPT_CHARS: usize = 48;

/// `text` as it goes into an error message: whole if short, else cut with an ellipsis.
pub(crate) fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_keeps_short_text_and_cuts_long_text_on_a_char_boundary() {
        assert_eq!(excerpt("sport"), "sport");
        let long = "é".repeat(100);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
    }
}
