//! Validation of topic filters, what SUBSCRIBE and UNSUBSCRIBE carry: where the `+`
//! and `#` wildcards may stand, and the shared-subscription form.

use super::common::check_common;
use super::error::excerpt;
use super::{SharedSubscription, TopicError, TopicKind, TopicLevels};

/// Checks that `filter` may be subscribed to: at least one character, at most 65,535
/// bytes, no U+0000, `+` alone in its level, `#` alone in the last level. Empty levels
/// are allowed. A filter starting with `$share/` must also be a well-formed shared
/// subscription (see [`SharedSubscription::parse`]).
///
/// ```
/// use mqtt::topic::validate_topic_filter;
/// assert!(validate_topic_filter("sport/+/player1/#").is_ok());
/// assert!(validate_topic_filter("sport/tennis#").is_err());
/// ```
pub fn validate_topic_filter(filter: &str) -> Result<(), TopicError> {
    match SharedSubscription::parse(filter)? {
        Some(_) => Ok(()),
        None => {
            check_common(filter, TopicKind::Filter)?;
            check_filter_levels(filter)
        }
    }
}

/// Whether `filter` holds a `+` or `#` wildcard, i.e. may match more than one name.
/// Meant for valid filters; on any text it only reports whether either character occurs.
pub fn filter_has_wildcards(filter: &str) -> bool {
    filter.bytes().any(|byte| byte == b'+' || byte == b'#')
}

/// Checks where the wildcards stand, level by level; the length and null checks are
/// the caller's.
pub(crate) fn check_filter_levels(filter: &str) -> Result<(), TopicError> {
    let levels = TopicLevels::new(filter).count();
    for (index, text) in TopicLevels::new(filter).enumerate() {
        let level = index + 1;
        if text.contains('#') {
            if text != "#" {
                return Err(TopicError::MultiLevelWildcardNotAlone {
                    level,
                    text: excerpt(text),
                });
            }
            if level != levels {
                return Err(TopicError::MultiLevelWildcardNotLast { level, levels });
            }
        }
        if text.contains('+') && text != "+" {
            return Err(TopicError::SingleLevelWildcardNotAlone {
                level,
                text: excerpt(text),
            });
        }
    }
    Ok(())
}
