//! Matching a topic name against a topic filter (MQTT §4.7.1, §4.7.2): the question
//! a broker asks for every subscription of every message, so it walks both strings
//! once and never allocates.

use super::{SharedSubscription, TopicLevels};

/// Whether a message published to `name` is delivered to a subscription to `filter`.
///
/// - `+` matches exactly one level, which may be empty: `sport/+` matches `sport/`
///   but not `sport`.
/// - `#` matches its parent level and everything below: `sport/#` matches `sport`,
///   `sport/` and `sport/tennis/player1`.
/// - Names starting with `$` (such as `$SYS/...`) are not matched by a filter whose
///   first level is a wildcard; `$SYS/#` matches them.
/// - A shared subscription `$share/{group}/{filter}` matches as its `{filter}` does.
///
/// Both strings are expected to be valid (see [`super::validate_topic_name`] and
/// [`super::validate_topic_filter`]). On invalid input the answer is unspecified but
/// the call never panics; an empty name or filter matches nothing.
///
/// ```
/// use mqtt::topic::topic_matches;
/// assert!(topic_matches("sport/+/player1", "sport/tennis/player1"));
/// assert!(topic_matches("sport/#", "sport"));
/// assert!(!topic_matches("#", "$SYS/broker/uptime"));
/// ```
pub fn topic_matches(filter: &str, name: &str) -> bool {
    let filter = match SharedSubscription::split_unchecked(filter) {
        Some((_, inner)) => inner,
        None if filter.starts_with(SharedSubscription::PREFIX) => return false,
        None => filter,
    };
    if filter.is_empty() || name.is_empty() {
        return false;
    }
    if name.starts_with('$') && starts_with_wildcard_level(filter) {
        return false;
    }
    match_levels(TopicLevels::new(filter), TopicLevels::new(name))
}

/// Whether the first level of `filter` is `+` or `#` (exactly, not `+a`).
fn starts_with_wildcard_level(filter: &str) -> bool {
    matches!(TopicLevels::new(filter).next(), Some("+" | "#"))
}

fn match_levels(mut filter: TopicLevels<'_>, mut name: TopicLevels<'_>) -> bool {
    loop {
        match (filter.next(), name.next()) {
            // `#` covers the parent (`name` already ended) and any depth below, but
            // only as the filter's last level.
            (Some("#"), _) => return filter.next().is_none(),
            (Some("+"), Some(_)) => {}
            (Some(filter_level), Some(name_level)) if filter_level == name_level => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}
