//! `OutgoingPublish`: a message the application hands to `ClientSession::publish`.

use bytes::Bytes;

use crate::bytestr::ByteStr;
use crate::packet::Publish;
use crate::properties::Properties;
use crate::protocol::QoS;

/// A message to publish. The session assigns the packet identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingPublish {
    pub topic: ByteStr,
    pub payload: Bytes,
    pub qos: QoS,
    pub retain: bool,
    /// MQTT 5 properties; ignored in 3.1 / 3.1.1.
    pub properties: Properties,
}

impl OutgoingPublish {
    /// A QoS 0, non-retained message without properties.
    pub fn new(topic: impl Into<ByteStr>, payload: impl Into<Bytes>) -> Self {
        Self {
            topic: topic.into(),
            payload: payload.into(),
            qos: QoS::AtMostOnce,
            retain: false,
            properties: Properties::default(),
        }
    }

    pub fn with_qos(mut self, qos: QoS) -> Self {
        self.qos = qos;
        self
    }

    pub fn with_retain(mut self, retain: bool) -> Self {
        self.retain = retain;
        self
    }

    pub fn with_properties(mut self, properties: Properties) -> Self {
        self.properties = properties;
        self
    }

    pub(crate) fn into_publish(self, packet_id: Option<u16>) -> Publish {
        Publish {
            dup: false,
            qos: self.qos,
            retain: self.retain,
            topic: self.topic,
            packet_id,
            properties: self.properties,
            payload: self.payload,
        }
    }
}
