//! Topic names, filters, matching and shared subscriptions as a peer sees them: the
//! examples of MQTT 3.1.1 / 5.0 §4.7 and §4.8.2, the edge cases around empty levels,
//! `$`-topics and length limits, and properties that hold for any topic.

use mqtt::topic::{
    filter_has_wildcards, topic_matches, validate_topic_filter, validate_topic_name, FilterLevel,
    SharedSubscription, TopicError, TopicKind, TopicLevels, MAX_TOPIC_LEN,
};
use proptest::prelude::*;

fn assert_matches(filter: &str, name: &str) {
    assert!(
        topic_matches(filter, name),
        "'{filter}' should match '{name}'"
    );
}

fn assert_no_match(filter: &str, name: &str) {
    assert!(
        !topic_matches(filter, name),
        "'{filter}' should not match '{name}'"
    );
}

// §4.7.1.2 Multi-level wildcard

#[test]
fn spec_multi_level_wildcard_matches_parent_and_all_children() {
    for name in [
        "sport/tennis/player1",
        "sport/tennis/player1/ranking",
        "sport/tennis/player1/score/wimbledon",
    ] {
        assert_matches("sport/tennis/player1/#", name);
    }
    assert_matches("sport/#", "sport");
    assert_no_match("sport/tennis/player1/#", "sport/tennis/player2");
    assert_no_match("sport/tennis/player1/#", "sport/tennis");
}

#[test]
fn spec_multi_level_wildcard_validity() {
    for valid in ["#", "sport/tennis/#"] {
        assert_eq!(validate_topic_filter(valid), Ok(()), "{valid}");
    }
    assert_eq!(
        validate_topic_filter("sport/tennis#"),
        Err(TopicError::MultiLevelWildcardNotAlone {
            level: 2,
            text: "tennis#".into()
        })
    );
    assert_eq!(
        validate_topic_filter("sport/tennis/#/ranking"),
        Err(TopicError::MultiLevelWildcardNotLast {
            level: 3,
            levels: 4
        })
    );
}

// §4.7.1.3 Single-level wildcard

#[test]
fn spec_single_level_wildcard_matches_exactly_one_level() {
    assert_matches("sport/tennis/+", "sport/tennis/player1");
    assert_matches("sport/tennis/+", "sport/tennis/player2");
    assert_no_match("sport/tennis/+", "sport/tennis/player1/ranking");
    assert_no_match("sport/+", "sport");
    assert_matches("sport/+", "sport/");
}

#[test]
fn spec_single_level_wildcard_validity() {
    for valid in ["+", "+/tennis/#", "sport/+/player1"] {
        assert_eq!(validate_topic_filter(valid), Ok(()), "{valid}");
    }
    assert_eq!(
        validate_topic_filter("sport+"),
        Err(TopicError::SingleLevelWildcardNotAlone {
            level: 1,
            text: "sport+".into()
        })
    );
}

#[test]
fn spec_leading_slash_makes_an_empty_first_level() {
    assert_matches("+/+", "/finance");
    assert_matches("/+", "/finance");
    assert_no_match("+", "/finance");
}

// §4.7.2 Topics beginning with $

#[test]
fn spec_dollar_topics_are_not_matched_by_leading_wildcards() {
    assert_no_match("#", "$SYS/broker/clients/connected");
    assert_no_match("+/monitor/Clients", "$SYS/monitor/Clients");
    assert_matches("$SYS/#", "$SYS/broker/clients/connected");
    assert_matches("$SYS/monitor/+", "$SYS/monitor/Clients");
    assert_no_match("+", "$SYS");
    assert_matches("$SYS", "$SYS");
}

#[test]
fn dollar_inside_a_name_is_an_ordinary_character() {
    assert_matches("#", "a/$SYS");
    assert_matches("+/x", "a$/x");
}

// §4.7.3 Topic semantic and usage

#[test]
fn spec_topics_are_case_sensitive_and_may_hold_spaces() {
    assert_no_match("ACCOUNTS", "Accounts");
    assert_matches("Accounts payable", "Accounts payable");
    assert_eq!(validate_topic_name("Accounts payable"), Ok(()));
    assert_eq!(validate_topic_filter("Accounts payable/+"), Ok(()));
}

#[test]
fn spec_a_lone_slash_is_a_valid_name_and_filter() {
    assert_eq!(validate_topic_name("/"), Ok(()));
    assert_eq!(validate_topic_filter("/"), Ok(()));
    assert_matches("/", "/");
    assert_matches("+/+", "/");
    assert_matches("/#", "/");
    assert_no_match("+", "/");
}

#[test]
fn empty_levels_match_only_empty_levels_or_wildcards() {
    assert_matches("a//b", "a//b");
    assert_no_match("a/b", "a//b");
    assert_matches("a/+/b", "a//b");
    assert_matches("a/#", "a/");
    assert_matches("a/#", "a//");
    assert_no_match("a/+", "a//");
}

#[test]
fn names_with_wildcards_are_refused_with_the_position() {
    assert_eq!(
        validate_topic_name("sport/+"),
        Err(TopicError::WildcardInName {
            wildcard: '+',
            position: 6
        })
    );
    assert_eq!(
        validate_topic_name("#"),
        Err(TopicError::WildcardInName {
            wildcard: '#',
            position: 0
        })
    );
}

#[test]
fn empty_topics_are_refused() {
    assert_eq!(
        validate_topic_name(""),
        Err(TopicError::Empty {
            kind: TopicKind::Name
        })
    );
    assert_eq!(
        validate_topic_filter(""),
        Err(TopicError::Empty {
            kind: TopicKind::Filter
        })
    );
    assert_no_match("", "");
    assert_no_match("#", "");
    assert_no_match("", "a");
}

#[test]
fn null_characters_are_refused() {
    assert_eq!(
        validate_topic_name("a\0b"),
        Err(TopicError::NullCharacter {
            kind: TopicKind::Name,
            position: 1
        })
    );
    assert_eq!(
        validate_topic_filter("a/\0"),
        Err(TopicError::NullCharacter {
            kind: TopicKind::Filter,
            position: 2
        })
    );
}

#[test]
fn the_length_limit_is_65535_bytes_of_utf8() {
    let longest = "a".repeat(MAX_TOPIC_LEN);
    assert_eq!(validate_topic_name(&longest), Ok(()));
    assert_eq!(validate_topic_filter(&longest), Ok(()));

    let too_long = "a".repeat(MAX_TOPIC_LEN + 1);
    assert_eq!(
        validate_topic_name(&too_long),
        Err(TopicError::TooLong {
            kind: TopicKind::Name,
            len: MAX_TOPIC_LEN + 1
        })
    );
    // Bytes, not characters: 32,768 two-byte characters are one byte too many.
    let wide = "é".repeat(32_768);
    assert_eq!(
        validate_topic_filter(&wide),
        Err(TopicError::TooLong {
            kind: TopicKind::Filter,
            len: 65_536
        })
    );
}

#[test]
fn invalid_filter_levels_are_reported_even_after_valid_ones() {
    assert_eq!(
        validate_topic_filter("a/+/b+c/#"),
        Err(TopicError::SingleLevelWildcardNotAlone {
            level: 3,
            text: "b+c".into()
        })
    );
    assert_eq!(
        validate_topic_filter("#/"),
        Err(TopicError::MultiLevelWildcardNotLast {
            level: 1,
            levels: 2
        })
    );
    assert_eq!(
        validate_topic_filter("a/##"),
        Err(TopicError::MultiLevelWildcardNotAlone {
            level: 2,
            text: "##".into()
        })
    );
    assert_eq!(
        validate_topic_filter("++"),
        Err(TopicError::SingleLevelWildcardNotAlone {
            level: 1,
            text: "++".into()
        })
    );
}

#[test]
fn error_messages_say_what_is_wrong_and_how_to_fix_it() {
    let message = |result: Result<(), TopicError>| match result {
        Err(error) => error.to_string(),
        Ok(()) => String::from("accepted"),
    };
    assert_eq!(
        message(validate_topic_filter("a#")),
        "'#' must be the last level of a filter, alone: level 1 is 'a#'; use 'a/#' not 'a#'"
    );
    assert_eq!(
        message(validate_topic_filter("a/#/b")),
        "'#' must be the last level of a filter, alone: it is level 2 of 3; \
         remove the levels after it (use 'a/#' not 'a/#/b')"
    );
    assert!(message(validate_topic_filter("a/b+")).contains("use 'a/+/c' not 'a/b+/c'"));
    assert!(message(validate_topic_name("a/+")).contains("wildcards are only allowed"));
    assert!(message(validate_topic_name("")).contains("at least one character"));
    assert!(message(validate_topic_filter("$share/g")).contains("'$share/g/jobs/#'"));
}

#[test]
fn long_offending_levels_are_shortened_in_messages() {
    let level = format!("{}+", "x".repeat(10_000));
    let Err(error) = validate_topic_filter(&level) else {
        panic!("'{level}' was accepted");
    };
    assert!(error.to_string().len() < 300, "{error}");
}

// §4.8.2 Shared subscriptions

#[test]
fn shared_subscriptions_split_into_group_and_filter() {
    assert_eq!(
        SharedSubscription::parse("$share/consumer1/sport/tennis/+"),
        Ok(Some(SharedSubscription {
            group: "consumer1",
            filter: "sport/tennis/+"
        }))
    );
    assert_eq!(
        SharedSubscription::parse("$share/consumer2/#"),
        Ok(Some(SharedSubscription {
            group: "consumer2",
            filter: "#"
        }))
    );
    assert_eq!(
        SharedSubscription::parse("$share/g//"),
        Ok(Some(SharedSubscription {
            group: "g",
            filter: "/"
        }))
    );
}

#[test]
fn filters_that_are_not_shared_parse_to_none() {
    for filter in [
        "sport/#",
        "$share",
        "$SHARE/g/a",
        "$shared/g/a",
        "a/$share/g/b",
        "#",
    ] {
        assert_eq!(SharedSubscription::parse(filter), Ok(None), "{filter}");
    }
}

#[test]
fn malformed_shared_subscriptions_are_refused() {
    assert_eq!(
        SharedSubscription::parse("$share/"),
        Err(TopicError::EmptyShareName)
    );
    assert_eq!(
        SharedSubscription::parse("$share//a"),
        Err(TopicError::EmptyShareName)
    );
    assert_eq!(
        SharedSubscription::parse("$share/g+/a"),
        Err(TopicError::InvalidShareName {
            group: "g+".into(),
            character: '+'
        })
    );
    assert_eq!(
        SharedSubscription::parse("$share/#"),
        Err(TopicError::InvalidShareName {
            group: "#".into(),
            character: '#'
        })
    );
    for missing in ["$share/g", "$share/g/"] {
        assert_eq!(
            SharedSubscription::parse(missing),
            Err(TopicError::MissingSharedFilter { group: "g".into() }),
            "{missing}"
        );
    }
    assert_eq!(
        SharedSubscription::parse("$share/g/a#"),
        Err(TopicError::InvalidSharedFilter {
            group: "g".into(),
            reason: Box::new(TopicError::MultiLevelWildcardNotAlone {
                level: 1,
                text: "a#".into()
            })
        })
    );
    assert_eq!(
        SharedSubscription::parse("$share/g/a\0"),
        Err(TopicError::NullCharacter {
            kind: TopicKind::Filter,
            position: 10
        })
    );
}

#[test]
fn validate_topic_filter_checks_the_shared_form() {
    assert_eq!(validate_topic_filter("$share/workers/jobs/#"), Ok(()));
    assert_eq!(
        validate_topic_filter("$share/workers"),
        Err(TopicError::MissingSharedFilter {
            group: "workers".into()
        })
    );
    assert!(matches!(
        validate_topic_filter("$share/workers/jobs/#/x"),
        Err(TopicError::InvalidSharedFilter { .. })
    ));
}

#[test]
fn shared_subscriptions_match_as_their_filter_does() {
    assert_matches("$share/workers/jobs/#", "jobs/42");
    assert_matches("$share/workers/jobs/#", "jobs");
    assert_no_match("$share/workers/jobs/#", "$share/workers/jobs/42");
    assert_no_match("$share/workers/#", "$SYS/uptime");
    assert_no_match("$share/workers", "workers");
    assert_no_match("$share/workers/", "workers");
}

#[test]
fn wildcards_are_detected() {
    assert!(filter_has_wildcards("a/+/b"));
    assert!(filter_has_wildcards("#"));
    assert!(filter_has_wildcards("$share/g/a/#"));
    assert!(!filter_has_wildcards("a/b"));
    assert!(!filter_has_wildcards("$share/g/a"));
}

#[test]
fn filter_levels_classify_for_a_subscription_tree() {
    let levels: Vec<FilterLevel<'_>> = TopicLevels::new("a/+//#")
        .map(FilterLevel::classify)
        .collect();
    assert_eq!(
        levels,
        [
            FilterLevel::Literal("a"),
            FilterLevel::SingleLevelWildcard,
            FilterLevel::Literal(""),
            FilterLevel::MultiLevelWildcard,
        ]
    );
}

#[test]
fn matching_invalid_filters_does_not_panic_or_overreach() {
    assert_no_match("#/a", "b/c");
    assert_no_match("a#", "a/b");
    assert_no_match("a+", "a/b");
    assert_matches("a+", "a+");
}

// Properties

/// One level of a valid topic name: any characters but `/`, `+`, `#` and U+0000,
/// possibly empty, sometimes multi-byte.
fn name_level() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 _.\\-é€😀]{0,6}"
}

/// A valid topic name of 1 to 6 levels that does not start with `$`.
fn plain_name() -> impl Strategy<Value = String> {
    prop::collection::vec(name_level(), 1..7)
        .prop_map(|levels| levels.join("/"))
        .prop_filter("names must be non-empty", |name| !name.is_empty())
}

/// A valid name that may or may not be a `$`-topic.
fn any_name() -> impl Strategy<Value = String> {
    (any::<bool>(), plain_name()).prop_map(
        |(dollar, name)| {
            if dollar {
                format!("${name}")
            } else {
                name
            }
        },
    )
}

proptest! {
    #[test]
    fn generated_names_are_valid_names_and_filters(name in any_name()) {
        prop_assert_eq!(validate_topic_name(&name), Ok(()));
        prop_assert_eq!(validate_topic_filter(&name), Ok(()));
        prop_assert!(!filter_has_wildcards(&name));
    }

    #[test]
    fn a_name_matches_itself_as_a_filter(name in any_name()) {
        prop_assert!(topic_matches(&name, &name));
    }

    #[test]
    fn hash_matches_every_name_not_starting_with_dollar(name in any_name()) {
        prop_assert_eq!(topic_matches("#", &name), !name.starts_with('$'));
    }

    #[test]
    fn replacing_any_level_by_plus_still_matches(name in any_name(), pick in any::<prop::sample::Index>()) {
        let levels: Vec<&str> = TopicLevels::new(&name).collect();
        let replaced = pick.index(levels.len());
        let filter = levels
            .iter()
            .enumerate()
            .map(|(index, level)| if index == replaced { "+" } else { level })
            .collect::<Vec<_>>()
            .join("/");
        prop_assert_eq!(validate_topic_filter(&filter), Ok(()));
        let dollar_hidden = replaced == 0 && name.starts_with('$');
        prop_assert_eq!(topic_matches(&filter, &name), !dollar_hidden, "{} vs {}", filter, name);
    }

    #[test]
    fn a_prefix_followed_by_hash_matches(name in any_name(), keep in any::<prop::sample::Index>()) {
        let levels: Vec<&str> = TopicLevels::new(&name).collect();
        // Keep 1..=len levels, so `#` stands for zero or more of the rest.
        let kept = keep.index(levels.len()) + 1;
        let filter = format!("{}/#", levels.get(..kept).unwrap_or_default().join("/"));
        prop_assert_eq!(validate_topic_filter(&filter), Ok(()));
        prop_assert!(topic_matches(&filter, &name), "{} vs {}", filter, name);
    }

    #[test]
    fn a_filter_with_a_different_level_count_and_no_wildcards_never_matches(
        name in plain_name(),
        extra in name_level(),
    ) {
        let longer = format!("{name}/{extra}");
        prop_assert!(!topic_matches(&longer, &name));
        prop_assert!(!topic_matches(&name, &longer));
    }

    #[test]
    fn shared_subscriptions_match_exactly_as_their_inner_filter(
        group in "[a-z0-9]{1,8}",
        filter in prop_oneof![plain_name(), Just("#".to_owned()), Just("+/+".to_owned())],
        name in any_name(),
    ) {
        let shared = format!("$share/{group}/{filter}");
        let parsed = SharedSubscription::parse(&shared);
        prop_assert_eq!(parsed, Ok(Some(SharedSubscription { group: &group, filter: &filter })));
        prop_assert_eq!(topic_matches(&shared, &name), topic_matches(&filter, &name));
    }

    #[test]
    fn nothing_panics_on_arbitrary_text(filter in "\\PC{0,20}", name in "\\PC{0,20}") {
        let _ = topic_matches(&filter, &name);
        let _ = validate_topic_filter(&filter);
        let _ = validate_topic_name(&name);
        let _ = SharedSubscription::parse(&filter);
    }

    #[test]
    fn validation_agrees_with_the_level_rules(filter in "[a+#/]{1,12}") {
        let levels: Vec<&str> = TopicLevels::new(&filter).collect();
        let last = levels.len() - 1;
        let expected_valid = levels.iter().enumerate().all(|(index, level)| {
            (!level.contains('#') || (*level == "#" && index == last))
                && (!level.contains('+') || *level == "+")
        });
        prop_assert_eq!(validate_topic_filter(&filter).is_ok(), expected_valid, "{}", filter);
    }
}
