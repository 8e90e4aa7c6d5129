use std::mem::size_of;

use bytes::Bytes;
use mqtt::{ByteStr, QoS};

use super::*;
use crate::messages::filter::FilterSpec;

pub(crate) fn record(direction: Direction, topic: &str, payload: &[u8]) -> MessageRecord {
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

fn received(topic: &str, payload: &[u8]) -> MessageRecord {
    record(Direction::Received, topic, payload)
}

fn budget(max_messages: usize, max_bytes: u64) -> StoreBudget {
    StoreBudget {
        max_messages,
        max_bytes,
    }
}

fn held_seqs(store: &MessageStore) -> Vec<u64> {
    store.iter().map(|record| record.seq).collect()
}

#[test]
fn numbers_messages_and_counts_directions() {
    let mut store = MessageStore::default();
    assert_eq!(store.push(received("a", b"1")), 0);
    assert_eq!(store.push(record(Direction::Published, "a", b"2")), 1);
    assert_eq!(store.push(received("b", b"3")), 2);
    assert_eq!((store.total_received(), store.total_published()), (2, 1));
    assert_eq!(store.held(), 3);
    assert_eq!(store.get(1).map(|r| &r.payload[..]), Some(&b"2"[..]));
    assert_eq!(store.get(3), None);
    assert_eq!((store.first_seq(), store.last_seq()), (Some(0), Some(2)));
    let expected: u64 = store.iter().map(MessageRecord::approx_bytes).sum();
    assert_eq!(store.held_bytes(), expected);
}

#[test]
fn evicts_the_oldest_by_count() {
    let mut store = MessageStore::new(budget(3, u64::MAX));
    for n in 0..5u8 {
        store.push(received("t", &[n]));
    }
    assert_eq!(held_seqs(&store), vec![2, 3, 4]);
    assert_eq!((store.held(), store.evicted()), (3, 2));
    assert_eq!(store.get(1), None, "evicted messages are gone");
    assert_eq!(store.get(2).map(|r| r.payload[0]), Some(2));
    assert_eq!(store.total_received(), 5);
}

#[test]
fn evicts_the_oldest_by_bytes_and_keeps_the_byte_count_exact() {
    let per_record = (size_of::<MessageRecord>() + 1 + 100) as u64;
    let mut store = MessageStore::new(budget(1000, per_record * 2 + per_record / 2));
    for n in 0..4u8 {
        store.push(received("t", &[n; 100]));
    }
    assert_eq!(held_seqs(&store), vec![2, 3]);
    assert_eq!(store.evicted(), 2);
    assert_eq!(store.held_bytes(), per_record * 2);
}

#[test]
fn keeps_the_newest_message_even_when_it_alone_is_over_budget() {
    let mut store = MessageStore::new(budget(10, 50));
    store.push(received("t", b"small"));
    store.push(received("t", &[0; 500]));
    assert_eq!(held_seqs(&store), vec![1]);
    assert_eq!(store.evicted(), 1);
    store.set_budget(budget(0, 0));
    assert_eq!(store.held(), 1);
}

#[test]
fn shrinking_the_budget_evicts_at_once() {
    let mut store = MessageStore::default();
    for n in 0..10u8 {
        store.push(received("t", &[n]));
    }
    store.set_budget(budget(4, u64::MAX));
    assert_eq!(held_seqs(&store), vec![6, 7, 8, 9]);
    assert_eq!(store.evicted(), 6);
    assert_eq!(store.budget(), budget(4, u64::MAX));
}

#[test]
fn clear_drops_messages_but_numbers_carry_on() {
    let mut store = MessageStore::new(budget(2, u64::MAX));
    for n in 0..3u8 {
        store.push(received("t", &[n]));
    }
    store.clear();
    assert_eq!(
        (store.held(), store.evicted(), store.held_bytes()),
        (0, 0, 0)
    );
    assert_eq!(store.first_seq(), None);
    assert_eq!(store.push(received("t", b"x")), 3);
    assert_eq!(store.get(3).map(|r| &r.payload[..]), Some(&b"x"[..]));
    assert_eq!(store.total_received(), 4);
}

#[test]
fn previous_on_topic_skips_other_topics_and_directions() {
    let mut store = MessageStore::default();
    store.push(received("a", b"first"));
    store.push(received("b", b"other topic"));
    store.push(record(Direction::Published, "a", b"published"));
    store.push(received("a/b", b"longer topic"));
    let last = store.push(received("a", b"second"));
    let previous = store.previous_on_topic(last).map(|r| r.seq);
    assert_eq!(previous, Some(0));
    assert_eq!(store.previous_on_topic(0), None);
    assert_eq!(store.previous_on_topic(99), None);
}

#[test]
fn iter_from_and_matching_from_start_at_a_sequence_number() {
    let mut store = MessageStore::new(budget(5, u64::MAX));
    for n in 0..8u8 {
        let topic = if n % 2 == 0 { "even" } else { "odd" };
        store.push(received(topic, &[n]));
    }
    let from = |seq| store.iter_from(seq).map(|r| r.seq).collect::<Vec<_>>();
    assert_eq!(
        from(0),
        vec![3, 4, 5, 6, 7],
        "evicted start: everything held"
    );
    assert_eq!(from(6), vec![6, 7]);
    assert_eq!(from(8), Vec::<u64>::new());
    let even = FilterSpec {
        topic: Some("even".into()),
        ..FilterSpec::default()
    }
    .compile()
    .expect("a valid filter");
    assert_eq!(store.matching(&even), vec![4, 6]);
    assert_eq!(store.matching_from(&even, 5), vec![6]);
    let all = MessageFilter::everything();
    assert_eq!(store.matching(&all), vec![3, 4, 5, 6, 7]);
    assert_eq!(store.matching_from(&all, 6), vec![6, 7]);
    assert_eq!(MessageStore::default().matching(&all), Vec::<u64>::new());
}
