//! The broker's own limits on topics, on top of the protocol's rules: at most
//! `max_topic_length` bytes and `max_topic_levels` levels, for names and filters.

use mqtt::{validate_topic_filter, validate_topic_name, SharedSubscription};

use crate::config::Limits;

/// Checks a topic name against the protocol and the broker's limits.
pub(crate) fn check_topic_name(topic: &str, limits: &Limits) -> Result<(), String> {
    validate_topic_name(topic).map_err(|error| error.to_string())?;
    check_size(topic, topic, limits)
}

/// Checks a topic filter (shared or not) against the protocol and the broker's limits.
pub(crate) fn check_topic_filter(filter: &str, limits: &Limits) -> Result<(), String> {
    validate_topic_filter(filter).map_err(|error| error.to_string())?;
    let levels = match SharedSubscription::parse(filter) {
        Ok(Some(shared)) => shared.filter,
        _ => filter,
    };
    check_size(filter, levels, limits)
}

fn check_size(whole: &str, levels: &str, limits: &Limits) -> Result<(), String> {
    if whole.len() > limits.max_topic_length {
        return Err(format!(
            "{} bytes long, above this broker's limit of {}",
            whole.len(),
            limits.max_topic_length
        ));
    }
    let count = levels.split('/').count();
    if count > limits.max_topic_levels {
        return Err(format!(
            "{count} levels, above this broker's limit of {}",
            limits.max_topic_levels
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_apply_to_names_and_to_the_filter_inside_a_share() {
        let limits = Limits {
            max_topic_levels: 2,
            max_topic_length: 20,
            ..Limits::default()
        };
        assert!(check_topic_name("a/b", &limits).is_ok());
        assert!(check_topic_name("a/b/c", &limits).is_err());
        assert!(check_topic_name("a/+", &limits).is_err());
        assert!(check_topic_filter("$share/g/a/b", &limits).is_ok());
        assert!(check_topic_filter("$share/g/a/b/c", &limits).is_err());
        assert!(check_topic_name(&"x".repeat(21), &limits).is_err());
    }
}
