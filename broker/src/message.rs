//! The application message as the broker routes it: received once, wrapped in an
//! `Arc`, and shared (payload included) by every subscriber it is delivered to.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use mqtt::{ByteStr, Properties, PropertyValues, QoS};

/// A message accepted from a publisher (or a will, or `$SYS`).
#[derive(Debug)]
pub(crate) struct Message {
    pub topic: ByteStr,
    pub payload: Bytes,
    pub qos: QoS,
    pub retain: bool,
    /// The properties forwarded unchanged: payload format, content type, response
    /// topic, correlation data and user properties. Expiry is kept in `expires_at`.
    pub properties: Properties,
    pub expires_at: Option<Instant>,
    /// The publishing client, for No Local; `None` for messages the broker makes.
    pub origin: Option<Arc<str>>,
}

impl Message {
    /// A message from `origin`, keeping only the properties a subscriber may see.
    pub fn from_publish(
        topic: ByteStr,
        payload: Bytes,
        qos: QoS,
        retain: bool,
        properties: &Properties,
        origin: Option<Arc<str>>,
        now: Instant,
    ) -> Self {
        Self {
            topic,
            payload,
            qos,
            retain,
            properties: forwarded_properties(properties),
            expires_at: properties
                .message_expiry_interval
                .and_then(|seconds| now.checked_add(Duration::from_secs(u64::from(seconds)))),
            origin,
        }
    }

    /// A copy whose topic, payload and properties own their bytes. Decoded messages
    /// share the buffer they were read into, so one kept for long (retained) would
    /// otherwise keep a whole read buffer alive for a few bytes.
    pub fn detached(&self) -> Self {
        let copy_str = |text: &ByteStr| ByteStr::from(text.as_str());
        let properties = &self.properties;
        Self {
            topic: copy_str(&self.topic),
            payload: Bytes::copy_from_slice(&self.payload),
            qos: self.qos,
            retain: self.retain,
            properties: Properties::from(PropertyValues {
                payload_format_indicator: properties.payload_format_indicator,
                content_type: properties.content_type.as_ref().map(copy_str),
                response_topic: properties.response_topic.as_ref().map(copy_str),
                correlation_data: properties
                    .correlation_data
                    .as_deref()
                    .map(Bytes::copy_from_slice),
                user_properties: properties
                    .user_properties
                    .iter()
                    .map(|(key, value)| (copy_str(key), copy_str(value)))
                    .collect(),
                ..PropertyValues::default()
            }),
            expires_at: self.expires_at,
            origin: self.origin.clone(),
        }
    }

    /// True once the Message Expiry Interval has passed.
    pub fn is_expired(&self, now: Instant) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }

    /// The Message Expiry Interval to send on: what is left, rounded up so that a
    /// message about to expire is not sent with 0.
    pub fn remaining_expiry(&self, now: Instant) -> Option<u32> {
        let left = self.expires_at?.saturating_duration_since(now);
        let seconds = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        Some(u32::try_from(seconds.max(1)).unwrap_or(u32::MAX))
    }
}

/// Copies the properties a PUBLISH carries end to end (spec 3.3.2.3): everything but
/// the topic alias and subscription identifiers, which are per connection.
fn forwarded_properties(properties: &Properties) -> Properties {
    Properties::from(PropertyValues {
        payload_format_indicator: properties.payload_format_indicator,
        content_type: properties.content_type.clone(),
        response_topic: properties.response_topic.clone(),
        correlation_data: properties.correlation_data.clone(),
        user_properties: properties.user_properties.clone(),
        ..PropertyValues::default()
    })
}

/// One message on its way to one session: the QoS and retain flag it is sent with,
/// and the identifiers of the subscriptions it matched.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub message: Arc<Message>,
    pub qos: QoS,
    pub retain: bool,
    pub subscription_ids: Vec<u32>,
}

impl Delivery {
    /// The bytes this delivery accounts for in a queue: its payload and topic (though
    /// shared with other subscribers) plus the queue entry itself.
    pub fn size(&self) -> usize {
        const ENTRY: usize = 64;
        self.message.payload.len() + self.message.topic.len() + ENTRY
    }
}
