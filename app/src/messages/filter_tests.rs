use std::time::Instant;

use bytes::Bytes;
use mqtt::{ByteStr, QoS, TopicError};

use super::*;
use crate::messages::store::{MessageStore, StoreBudget};

fn record(direction: Direction, topic: &str, payload: &[u8]) -> MessageRecord {
    MessageRecord {
        seq: 0,
        at_ms: 0,
        direction,
        topic: ByteStr::from(topic),
        payload: Bytes::copy_from_slice(payload),
        qos: QoS::AtMostOnce,
        retain: false,
        dup: false,
        subscription_identifiers: Vec::new(),
        properties: None,
    }
}

fn compile(spec: FilterSpec) -> MessageFilter {
    spec.compile().expect("a valid filter")
}

fn topic(filter: &str) -> MessageFilter {
    compile(FilterSpec {
        topic: Some(filter.into()),
        ..FilterSpec::default()
    })
}

fn payload(query: PayloadQuery) -> MessageFilter {
    compile(FilterSpec {
        payload: Some(query),
        ..FilterSpec::default()
    })
}

fn text(text: &str, case_sensitive: bool) -> MessageFilter {
    payload(PayloadQuery::Text {
        text: text.into(),
        case_sensitive,
    })
}

fn regex_error(pattern: &str) -> FilterError {
    match (FilterSpec {
        payload: Some(PayloadQuery::Regex(pattern.into())),
        ..FilterSpec::default()
    })
    .compile()
    {
        Ok(_) => panic!("{pattern:?} must be refused"),
        Err(error) => error,
    }
}

#[test]
fn topic_filters_use_mqtt_wildcards() {
    let received = |name: &str| record(Direction::Received, name, b"");
    assert!(topic("a/+/c").matches(&received("a/b/c")));
    assert!(!topic("a/+/c").matches(&received("a/b/d")));
    assert!(topic("a/#").matches(&received("a")));
    assert!(topic("a/#").matches(&received("a/b/c")));
    assert!(topic("a/b").matches(&received("a/b")));
    assert!(!topic("a/b").matches(&received("a/b/c")));
    assert!(!topic("#").matches(&received("$SYS/uptime")));
    assert!(topic("$SYS/#").matches(&received("$SYS/uptime")));
}

/// Every path of up to `depth` levels drawn from `words`.
fn paths(words: &[&str], depth: usize) -> Vec<String> {
    let mut all: Vec<String> = words.iter().map(|word| word.to_string()).collect();
    let mut previous = all.clone();
    for _ in 1..depth {
        let next: Vec<String> = previous
            .iter()
            .flat_map(|path| words.iter().map(move |word| format!("{path}/{word}")))
            .collect();
        all.extend(next.iter().cloned());
        previous = next;
    }
    all
}

#[test]
fn compiled_topic_filters_agree_with_mqtt_topic_matches() {
    let filters = paths(&["a", "b", "+", "#", "", "$SYS"], 4);
    let topics = paths(&["a", "b", "", "$SYS", "c+"], 4);
    let mut checked = 0;
    // The empty filter is left out: here it means "no condition".
    let shared = ["$share/g/a/+".to_owned(), "$share/g/#".to_owned()];
    for filter in filters
        .iter()
        .filter(|filter| !filter.is_empty())
        .chain(&shared)
    {
        let Ok(compiled) = (FilterSpec {
            topic: Some(filter.clone()),
            ..FilterSpec::default()
        })
        .compile() else {
            continue;
        };
        for name in &topics {
            let message = record(Direction::Received, name, b"");
            assert_eq!(
                compiled.matches(&message),
                mqtt::topic_matches(filter, name),
                "filter {filter:?} on topic {name:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100_000, "{checked} pairs");
}

#[test]
fn an_invalid_topic_filter_is_refused_with_the_reason() {
    let result = FilterSpec {
        topic: Some("a/#/b".into()),
        ..FilterSpec::default()
    }
    .compile();
    let Err(FilterError::Topic(TopicError::MultiLevelWildcardNotLast { level, .. })) = result
    else {
        panic!("expected a topic error, got {result:?}");
    };
    assert_eq!(level, 2);
    let message = FilterError::Topic(TopicError::MultiLevelWildcardNotLast {
        level: 2,
        levels: 3,
    })
    .to_string();
    assert!(message.contains("'#' must be the last level"), "{message}");
}

#[test]
fn empty_text_fields_mean_no_condition() {
    let spec = FilterSpec {
        topic: Some(String::new()),
        payload: Some(PayloadQuery::Regex(String::new())),
        ..FilterSpec::default()
    };
    assert!(compile(spec).is_everything());
    assert!(text("", true).is_everything());
    assert!(!topic("a").is_everything());
}

#[test]
fn payload_text_is_a_substring_with_optional_case() {
    let message = record(Direction::Received, "t", "Température: 21 °C".as_bytes());
    assert!(text("21 °C", true).matches(&message));
    assert!(!text("tempé", true).matches(&message));
    assert!(text("TEMPÉ", false).matches(&message));
    assert!(!text("22", false).matches(&message));
    // Regex metacharacters in plain text are literal.
    let dotted = record(Direction::Received, "t", b"a.b");
    assert!(text("a.b", true).matches(&dotted));
    assert!(!text("a.b", true).matches(&record(Direction::Received, "t", b"axb")));
}

#[test]
fn payload_search_works_on_binary_payloads() {
    let binary = record(Direction::Received, "t", b"\xff\x00needle\xfe");
    assert!(text("needle", true).matches(&binary));
    assert!(
        payload(PayloadQuery::Regex("ne+dle$".into())).matches(&record(
            Direction::Received,
            "t",
            b"\xffneeedle"
        ))
    );
    assert!(!payload(PayloadQuery::Regex("^needle".into())).matches(&binary));
}

#[test]
fn an_invalid_regex_says_where() {
    assert_eq!(
        regex_error("temp(er"),
        FilterError::Regex {
            position: 5,
            message: "unclosed group".into()
        }
    );
    let error = regex_error("é[z-a]");
    let FilterError::Regex { position, .. } = &error else {
        panic!("expected a positioned error, got {error:?}");
    };
    assert_eq!(*position, 3, "counted in characters: {error}");
    assert!(error
        .to_string()
        .starts_with("invalid regular expression at character 3: "));
    assert!(matches!(
        regex_error("a{1000000}{1000000}"),
        FilterError::RegexUnusable(_)
    ));
}

#[test]
fn direction_qos_and_retain_conditions() {
    let mut message = record(Direction::Published, "t", b"");
    message.qos = QoS::AtLeastOnce;
    let spec = |direction, qos, retained_only| FilterSpec {
        direction,
        qos,
        retained_only,
        ..FilterSpec::default()
    };
    let check = |spec: FilterSpec, message: &MessageRecord| compile(spec).matches(message);
    assert!(check(
        spec(DirectionFilter::Published, None, false),
        &message
    ));
    assert!(!check(
        spec(DirectionFilter::Received, None, false),
        &message
    ));
    assert!(check(
        spec(DirectionFilter::All, Some(QoS::AtLeastOnce), false),
        &message
    ));
    assert!(!check(
        spec(DirectionFilter::All, Some(QoS::ExactlyOnce), false),
        &message
    ));
    assert!(!check(spec(DirectionFilter::All, None, true), &message));
    message.retain = true;
    assert!(check(
        spec(DirectionFilter::Published, Some(QoS::AtLeastOnce), true),
        &message
    ));
}

#[test]
fn subscription_conditions_match_received_messages_only() {
    let by_id = compile(FilterSpec {
        subscription: Some(SubscriptionFilter::Identifier(7)),
        ..FilterSpec::default()
    });
    let by_filter = compile(FilterSpec {
        subscription: Some(SubscriptionFilter::TopicFilter("$share/g/sensors/+".into())),
        ..FilterSpec::default()
    });
    let mut tagged = record(Direction::Received, "sensors/a", b"");
    tagged.subscription_identifiers = vec![3, 7];
    assert!(by_id.matches(&tagged));
    assert!(by_filter.matches(&tagged));
    tagged.subscription_identifiers = vec![3];
    assert!(!by_id.matches(&tagged));
    let published = record(Direction::Published, "sensors/a", b"");
    assert!(!by_filter.matches(&published));
    assert!(!by_filter.matches(&record(Direction::Received, "sensors/a/b", b"")));
    let refused = |subscription| {
        FilterSpec {
            subscription: Some(subscription),
            ..FilterSpec::default()
        }
        .compile()
        .err()
    };
    assert_eq!(
        refused(SubscriptionFilter::Identifier(0)),
        Some(FilterError::SubscriptionIdentifier(0))
    );
    assert!(matches!(
        refused(SubscriptionFilter::TopicFilter("a+".into())),
        Some(FilterError::SubscriptionTopic(_))
    ));
}

#[test]
fn conditions_combine() {
    let filter = compile(FilterSpec {
        direction: DirectionFilter::Received,
        topic: Some("home/+/temp".into()),
        payload: Some(PayloadQuery::Regex(r#""value":\s*2\d"#.into())),
        qos: Some(QoS::AtMostOnce),
        ..FilterSpec::default()
    });
    let message =
        |direction, topic: &str, payload: &str| record(direction, topic, payload.as_bytes());
    assert!(filter.matches(&message(
        Direction::Received,
        "home/kitchen/temp",
        r#"{"value": 21}"#
    )));
    assert!(!filter.matches(&message(
        Direction::Received,
        "home/kitchen/temp",
        r#"{"value": 31}"#
    )));
    assert!(!filter.matches(&message(
        Direction::Received,
        "home/kitchen/hum",
        r#"{"value": 21}"#
    )));
    assert!(!filter.matches(&message(
        Direction::Published,
        "home/kitchen/temp",
        r#"{"value": 21}"#
    )));
    assert_eq!(filter.spec().direction, DirectionFilter::Received);
}

const MILLION: usize = 1_000_000;

/// A million small records on 50 topics, as in the issue's benchmark.
fn million_message_store() -> MessageStore {
    let topics: Vec<ByteStr> = (0..50)
        .map(|n| ByteStr::from(format!("bench/device{n}/telemetry")))
        .collect();
    let payload = Bytes::from_static(br#"{"temperature":21.5,"humidity":40}"#);
    let mut store = MessageStore::new(StoreBudget {
        max_messages: MILLION,
        max_bytes: u64::MAX,
    });
    for (n, topic) in topics.iter().cycle().take(MILLION).enumerate() {
        store.push(MessageRecord {
            topic: topic.clone(),
            payload: payload.clone(),
            at_ms: n as u64,
            ..record(Direction::Received, "", b"")
        });
    }
    store
}

#[test]
fn filters_a_million_messages_by_topic() {
    let store = million_message_store();
    assert_eq!(store.held(), MILLION);
    let exact = topic("bench/device7/telemetry");
    let started = Instant::now();
    let seqs = store.matching(&exact);
    // Shown with --nocapture; never asserted: timing belongs to benchmarks.
    eprintln!("exact topic over 1M: {:?}", started.elapsed());
    assert_eq!(seqs.len(), MILLION / 50);
    assert!(seqs.iter().all(|seq| seq % 50 == 7));
    let started = Instant::now();
    assert!(store.matching(&topic("bench/+/nothing")).is_empty());
    eprintln!(
        "wildcard topic matching nothing over 1M: {:?}",
        started.elapsed()
    );
    let wildcard = topic("bench/+/telemetry");
    let started = Instant::now();
    let all = store.matching(&wildcard);
    eprintln!("wildcard topic over 1M: {:?}", started.elapsed());
    assert_eq!(all.len(), MILLION);
    let two = compile(FilterSpec {
        topic: Some("bench/#".into()),
        payload: Some(PayloadQuery::Text {
            text: "HUMIDITY".into(),
            case_sensitive: false,
        }),
        ..FilterSpec::default()
    });
    assert_eq!(store.matching(&two).len(), MILLION);
    assert!(store.matching(&topic("bench/device7")).is_empty());
}
