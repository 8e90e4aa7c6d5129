//! The checks topic names and topic filters share: not empty, short enough for a
//! two-byte length prefix, and free of U+0000.

use super::{TopicError, TopicKind, MAX_TOPIC_LEN};

/// Checks the rules every topic name and topic filter obeys, whatever its levels hold.
pub(crate) fn check_common(text: &str, kind: TopicKind) -> Result<(), TopicError> {
    if text.is_empty() {
        return Err(TopicError::Empty { kind });
    }
    if text.len() > MAX_TOPIC_LEN {
        return Err(TopicError::TooLong {
            kind,
            len: text.len(),
        });
    }
    match text.bytes().position(|byte| byte == 0) {
        Some(position) => Err(TopicError::NullCharacter { kind, position }),
        None => Ok(()),
    }
}
