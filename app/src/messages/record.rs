//! One message of the log: the original topic and payload bytes (shared, never copied
//! or altered), its flags, its arrival time and, only when present, its MQTT 5
//! properties. Records are small because a connection may hold a million of them.

use std::mem::size_of;

use bytes::Bytes;
use mqtt::{ByteStr, Properties, PropertyValues, Publish, QoS};

/// Whether a message came from the broker or was sent by this client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Delivered to us by the broker through a subscription.
    Received,
    /// Sent by us.
    Published,
}

impl Direction {
    /// `"received"` or `"published"`, as written in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Published => "published",
        }
    }

    /// The direction named by [`Direction::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "received" => Some(Self::Received),
            "published" => Some(Self::Published),
            _ => None,
        }
    }
}

/// One message held by the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRecord {
    /// Position in the connection's timeline, assigned by
    /// [`MessageStore::push`](super::MessageStore::push); increases by one per message
    /// and is never reused, so views can keep referring to it across evictions.
    pub seq: u64,
    /// When the message arrived or was sent, in milliseconds since the Unix epoch (UTC).
    pub at_ms: u64,
    pub direction: Direction,
    pub topic: ByteStr,
    /// The payload exactly as it travelled.
    pub payload: Bytes,
    pub qos: QoS,
    pub retain: bool,
    pub dup: bool,
    /// MQTT 5 subscription identifiers of the subscriptions that matched (received
    /// messages only). Kept out of `properties` so the common "one subscription id"
    /// case does not need the boxed properties at all.
    pub subscription_identifiers: Vec<u32>,
    /// The other MQTT 5 properties; `None` when there are none (always for MQTT 3.x),
    /// so that a record without properties stays small.
    pub properties: Option<Box<Properties>>,
}

impl MessageRecord {
    /// A record of `publish`, sharing its topic and payload buffers. `seq` is left at
    /// 0 until the store assigns it.
    pub fn from_publish(publish: &Publish, direction: Direction, at_ms: u64) -> Self {
        let (subscription_identifiers, properties) = if publish.properties.is_empty() {
            (Vec::new(), None)
        } else {
            split_properties(publish.properties.clone())
        };
        Self {
            seq: 0,
            at_ms,
            direction,
            topic: publish.topic.clone(),
            payload: publish.payload.clone(),
            qos: publish.qos,
            retain: publish.retain,
            dup: publish.dup,
            subscription_identifiers,
            properties,
        }
    }

    /// Like [`MessageRecord::from_publish`], taking the packet to avoid cloning its
    /// properties.
    pub fn from_publish_owned(publish: Publish, direction: Direction, at_ms: u64) -> Self {
        let (subscription_identifiers, properties) = split_properties(publish.properties);
        Self {
            seq: 0,
            at_ms,
            direction,
            topic: publish.topic,
            payload: publish.payload,
            qos: publish.qos,
            retain: publish.retain,
            dup: publish.dup,
            subscription_identifiers,
            properties,
        }
    }

    /// The properties, or an empty set when the message had none.
    pub fn properties(&self) -> &Properties {
        static EMPTY: std::sync::OnceLock<Properties> = std::sync::OnceLock::new();
        match &self.properties {
            Some(properties) => properties,
            None => EMPTY.get_or_init(Properties::default),
        }
    }

    /// MQTT 5 user properties, in the order they were sent.
    pub fn user_properties(&self) -> &[(ByteStr, ByteStr)] {
        self.properties
            .as_deref()
            .map_or(&[], |properties| properties.user_properties.as_slice())
    }

    /// The MQTT 5 content type, if the sender set one.
    pub fn content_type(&self) -> Option<&str> {
        self.properties
            .as_deref()
            .and_then(|properties| properties.content_type.as_deref())
    }

    /// What this record costs in memory, roughly: its own size, the topic and
    /// payload bytes and whatever its properties hold. The store's byte budget sums
    /// this. Buffers shared between records are counted once per record, which errs
    /// on the side of evicting early.
    pub fn approx_bytes(&self) -> u64 {
        let own = size_of::<Self>()
            + self.topic.len()
            + self.payload.len()
            + self.subscription_identifiers.capacity() * size_of::<u32>()
            + self.properties.as_deref().map_or(0, properties_bytes);
        own as u64
    }
}

/// Moves the subscription identifiers out of `properties` and boxes the rest if any
/// is left.
fn split_properties(mut properties: Properties) -> (Vec<u32>, Option<Box<Properties>>) {
    let identifiers = std::mem::take(&mut properties.subscription_identifiers);
    let rest = (!properties.is_empty()).then(|| Box::new(properties));
    (identifiers, rest)
}

/// The memory a boxed set of PUBLISH properties holds.
fn properties_bytes(properties: &Properties) -> usize {
    let text = |value: &Option<ByteStr>| value.as_ref().map_or(0, |text| text.len());
    size_of::<Properties>()
        + size_of::<PropertyValues>()
        + text(&properties.content_type)
        + text(&properties.response_topic)
        + properties.correlation_data.as_ref().map_or(0, Bytes::len)
        + properties.user_properties.capacity() * size_of::<(ByteStr, ByteStr)>()
        + properties
            .user_properties
            .iter()
            .map(|(key, value)| key.len() + value.len())
            .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn publish_with(properties: Properties) -> Publish {
        let mut publish = Publish::new("sensors/kitchen", &b"\x00\xffraw"[..]);
        publish.qos = QoS::AtLeastOnce;
        publish.packet_id = Some(7);
        publish.retain = true;
        publish.dup = true;
        publish.properties = properties;
        publish
    }

    #[test]
    fn keeps_topic_payload_and_flags_and_shares_the_payload_buffer() {
        let publish = publish_with(Properties::default());
        let record = MessageRecord::from_publish(&publish, Direction::Received, 1234);
        assert_eq!(record.topic, "sensors/kitchen");
        assert_eq!(&record.payload[..], b"\x00\xffraw");
        assert_eq!(record.payload.as_ptr(), publish.payload.as_ptr());
        assert_eq!(
            (record.qos, record.retain, record.dup, record.at_ms),
            (QoS::AtLeastOnce, true, true, 1234)
        );
        assert_eq!(record.direction, Direction::Received);
        assert!(record.properties.is_none());
        assert!(record.subscription_identifiers.is_empty());
    }

    #[test]
    fn subscription_ids_alone_do_not_box_properties() {
        let properties = Properties::from(PropertyValues {
            subscription_identifiers: vec![3, 9],
            ..PropertyValues::default()
        });
        let record = MessageRecord::from_publish(&publish_with(properties), Direction::Received, 0);
        assert_eq!(record.subscription_identifiers, vec![3, 9]);
        assert!(record.properties.is_none());
        assert!(record.properties().is_empty());
    }

    #[test]
    fn other_properties_are_kept_and_counted() {
        let properties = Properties::from(PropertyValues {
            subscription_identifiers: vec![1],
            content_type: Some("application/json".into()),
            user_properties: vec![("k".into(), "value".into())],
            ..PropertyValues::default()
        });
        let publish = publish_with(properties);
        let record = MessageRecord::from_publish_owned(publish.clone(), Direction::Published, 5);
        assert_eq!(
            record,
            MessageRecord::from_publish(&publish, Direction::Published, 5)
        );
        assert_eq!(record.subscription_identifiers, vec![1]);
        assert_eq!(record.content_type(), Some("application/json"));
        assert_eq!(record.user_properties().len(), 1);
        let boxed = record
            .properties
            .as_deref()
            .map(|p| p.subscription_identifiers.len());
        assert_eq!(boxed, Some(0));
        let bare = MessageRecord::from_publish(
            &publish_with(Properties::default()),
            Direction::Published,
            5,
        );
        // The difference is the boxes plus the strings plus the id vector.
        let extra = size_of::<Properties>()
            + size_of::<PropertyValues>()
            + 16
            + 6
            + size_of::<(ByteStr, ByteStr)>()
            + 4;
        assert_eq!(record.approx_bytes(), bare.approx_bytes() + extra as u64);
    }

    #[test]
    fn approx_bytes_counts_topic_and_payload() {
        let record = MessageRecord::from_publish(
            &Publish::new("a/b", vec![0u8; 1000]),
            Direction::Received,
            0,
        );
        assert_eq!(
            record.approx_bytes(),
            (size_of::<MessageRecord>() + 3 + 1000) as u64
        );
    }

    #[test]
    fn direction_names_round_trip() {
        for direction in [Direction::Received, Direction::Published] {
            assert_eq!(Direction::parse(direction.as_str()), Some(direction));
        }
        assert_eq!(Direction::parse("sideways"), None);
    }
}
