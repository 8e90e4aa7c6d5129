//! Retained messages: the last retained message of each topic, replaced by the next
//! and cleared by an empty payload, handed to new subscriptions whose filter matches.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use mqtt::{topic_matches, ByteStr};
use parking_lot::RwLock;

use crate::message::Message;

/// Why a retained message was not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the broker already holds its maximum of {max} retained messages")]
pub(crate) struct RetainedFull {
    pub max: usize,
}

/// The retained message of every topic that has one.
#[derive(Debug)]
pub(crate) struct RetainedStore {
    messages: RwLock<HashMap<ByteStr, Arc<Message>>>,
    max: usize,
}

impl RetainedStore {
    pub fn new(max: usize) -> Self {
        Self {
            messages: RwLock::new(HashMap::new()),
            max,
        }
    }

    /// Stores (a compact copy of) `message` as its topic's retained message, or clears
    /// the topic when the payload is empty. A new topic beyond the limit is refused;
    /// replacing is not.
    pub fn store(&self, message: &Arc<Message>) -> Result<(), RetainedFull> {
        let mut messages = self.messages.write();
        if message.payload.is_empty() {
            messages.remove(&*message.topic);
            return Ok(());
        }
        if messages.len() >= self.max && !messages.contains_key(&*message.topic) {
            return Err(RetainedFull { max: self.max });
        }
        let kept = Arc::new(message.detached());
        messages.insert(kept.topic.clone(), kept);
        Ok(())
    }

    /// The unexpired retained messages whose topic matches `filter`.
    pub fn matching(&self, filter: &str, now: Instant) -> Vec<Arc<Message>> {
        let messages = self.messages.read();
        let live = |message: &&Arc<Message>| !message.is_expired(now);
        if !mqtt::filter_has_wildcards(filter) {
            return messages
                .get(filter)
                .filter(live)
                .cloned()
                .into_iter()
                .collect();
        }
        let mut found: Vec<Arc<Message>> = messages
            .values()
            .filter(|message| topic_matches(filter, &message.topic))
            .filter(live)
            .cloned()
            .collect();
        found.sort_by(|a, b| a.topic.cmp(&b.topic));
        found
    }

    /// Forgets messages whose expiry interval has passed.
    pub fn purge_expired(&self, now: Instant) {
        let mut messages = self.messages.write();
        messages.retain(|_, message| !message.is_expired(now));
    }

    pub fn len(&self) -> usize {
        self.messages.read().len()
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use mqtt::{Properties, QoS};

    use super::*;

    fn retained(topic: &str, payload: &'static [u8]) -> Arc<Message> {
        Arc::new(Message {
            topic: topic.into(),
            payload: Bytes::from_static(payload),
            qos: QoS::AtMostOnce,
            retain: true,
            properties: Properties::default(),
            expires_at: None,
            origin: None,
        })
    }

    #[test]
    fn store_replace_clear_and_limit() {
        let store = RetainedStore::new(1);
        let now = Instant::now();
        assert_eq!(store.store(&retained("a", b"1")), Ok(()));
        assert_eq!(store.store(&retained("a", b"2")), Ok(()));
        assert_eq!(
            store.store(&retained("b", b"1")),
            Err(RetainedFull { max: 1 })
        );
        assert_eq!(&store.matching("a", now)[0].payload[..], b"2");
        assert_eq!(store.store(&retained("a", b"")), Ok(()));
        assert!(store.matching("#", now).is_empty());
    }

    #[test]
    fn wildcard_lookups_skip_dollar_topics() {
        let store = RetainedStore::new(10);
        store.store(&retained("$SYS/x", b"1")).ok();
        store.store(&retained("a/b", b"1")).ok();
        let topics: Vec<String> = store
            .matching("#", Instant::now())
            .iter()
            .map(|message| message.topic.to_string())
            .collect();
        assert_eq!(topics, ["a/b"]);
    }
}
