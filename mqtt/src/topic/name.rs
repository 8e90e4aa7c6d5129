//! Validation of topic names, the concrete topics a PUBLISH is sent to.

use super::common::check_common;
use super::{TopicError, TopicKind};

/// Checks that `name` may be published to: at least one character, at most 65,535
/// bytes, no U+0000 and no wildcard (`+`, `#`). Empty levels (`a//b`, `/a`) and
/// spaces are allowed; names are case sensitive.
///
/// ```
/// use mqtt::topic::validate_topic_name;
/// assert!(validate_topic_name("sport/tennis/player1").is_ok());
/// assert!(validate_topic_name("sport/+").is_err());
/// ```
pub fn validate_topic_name(name: &str) -> Result<(), TopicError> {
    check_common(name, TopicKind::Name)?;
    let first_wildcard = name
        .char_indices()
        .find(|&(_, character)| character == '+' || character == '#');
    match first_wildcard {
        Some((position, wildcard)) => Err(TopicError::WildcardInName { wildcard, position }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_first_wildcard_and_where_it_is() {
        assert_eq!(
            validate_topic_name("a/b#/+"),
            Err(TopicError::WildcardInName {
                wildcard: '#',
                position: 3
            })
        );
    }
}
