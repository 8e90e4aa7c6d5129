//! PUBLISH (spec 3.3): an application message. Decoded topic and payload share the
//! receive buffer.

use bytes::{BufMut, Bytes, BytesMut};

use crate::bytestr::ByteStr;
use crate::codec::reader::Reader;
use crate::codec::text::scan;
use crate::codec::writer::{binary_len, put_prefixed};
use crate::error::{DecodeError, EncodeError};
use crate::packet::Packet;
use crate::properties::{Properties, PropertyContext};
use crate::protocol::{PacketType, ProtocolVersion, QoS};

const CONTEXT: PropertyContext = PropertyContext::Packet(PacketType::Publish);
const DUP: u8 = 0b1000;
const RETAIN: u8 = 0b0001;

/// A PUBLISH packet. `packet_id` is `Some` exactly when `qos` is above 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    pub dup: bool,
    pub qos: QoS,
    pub retain: bool,
    /// May be empty in MQTT 5 when a Topic Alias property stands in for it.
    pub topic: ByteStr,
    pub packet_id: Option<u16>,
    pub properties: Properties,
    pub payload: Bytes,
}

impl Publish {
    /// A QoS 0, non-retained message without properties.
    pub fn new(topic: impl Into<ByteStr>, payload: impl Into<Bytes>) -> Self {
        Self {
            dup: false,
            qos: QoS::AtMostOnce,
            retain: false,
            topic: topic.into(),
            packet_id: None,
            properties: Properties::default(),
            payload: payload.into(),
        }
    }
}

impl Publish {
    /// The fixed header's first byte: type, DUP, QoS and RETAIN.
    pub(crate) fn first_byte(&self) -> u8 {
        let mut byte = (PacketType::Publish as u8) << 4 | self.qos.level() << 1;
        if self.dup {
            byte |= DUP;
        }
        if self.retain {
            byte |= RETAIN;
        }
        byte
    }

    pub(crate) fn body_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        match (self.qos, self.packet_id) {
            (QoS::AtMostOnce, None) => {}
            (QoS::AtMostOnce, Some(_)) | (_, None) => {
                return Err(EncodeError::PacketIdMismatch { qos: self.qos })
            }
            (_, Some(0)) => {
                return Err(EncodeError::ZeroPacketId {
                    packet: PacketType::Publish,
                })
            }
            (_, Some(_)) => {}
        }
        if self.dup && self.qos == QoS::AtMostOnce {
            return Err(EncodeError::DupAtQoS0);
        }
        let found = scan::<true>(self.topic.as_bytes());
        if let Some(problem) = topic_problem(&self.topic, found.wildcard, version, &self.properties)
        {
            return Err(match problem {
                TopicProblem::Invalid(reason) => EncodeError::TopicNameInvalid { reason },
                TopicProblem::EmptyWithoutAlias => EncodeError::EmptyTopicWithoutAlias,
            });
        }
        if found.null {
            return Err(EncodeError::NullCharacter { what: "topic name" });
        }
        let mut len = binary_len(self.topic.as_bytes(), "topic name")? + self.payload.len();
        if self.packet_id.is_some() {
            len += 2;
        }
        if version.is_v5() {
            len += self.properties.encoded_len(CONTEXT)?;
        }
        Ok(len)
    }

    pub(crate) fn put_body(&self, version: ProtocolVersion, buf: &mut BytesMut) {
        put_prefixed(buf, self.topic.as_bytes());
        if let Some(packet_id) = self.packet_id {
            buf.put_u16(packet_id);
        }
        if version.is_v5() {
            self.properties.put(buf);
        }
        buf.put_slice(&self.payload);
    }

    /// Decodes a PUBLISH body into `slot`. The packet is built where it ends up,
    /// properties included: a `Publish` is large and this is the hot path, and
    /// returning it by value cost several copies per packet.
    #[inline]
    pub(crate) fn decode_into(
        reader: &mut Reader,
        version: ProtocolVersion,
        flags: u8,
        slot: &mut Packet,
    ) -> Result<(), DecodeError> {
        // The fixed header check already refused QoS 3 and DUP at QoS 0.
        let qos = QoS::try_from((flags >> 1) & 0b11).map_err(|_| DecodeError::PublishQoS3)?;
        let (topic, wildcard) = reader.topic_name("topic name")?;
        let packet_id = match qos {
            QoS::AtMostOnce => None,
            _ => Some(reader.packet_id()?),
        };
        *slot = Packet::Publish(Self {
            dup: flags & DUP != 0,
            qos,
            retain: flags & RETAIN != 0,
            topic,
            packet_id,
            properties: Properties::new(),
            payload: Bytes::new(),
        });
        let Packet::Publish(publish) = slot else {
            // Just assigned; never taken.
            return Ok(());
        };
        if version.is_v5() {
            publish.properties.read_from(reader, CONTEXT)?;
        }
        if let Some(problem) = topic_problem(&publish.topic, wildcard, version, &publish.properties)
        {
            return Err(match problem {
                TopicProblem::Invalid(reason) => DecodeError::TopicNameInvalid { reason },
                TopicProblem::EmptyWithoutAlias => DecodeError::EmptyTopicWithoutAlias,
            });
        }
        publish.payload = reader.rest();
        Ok(())
    }
}

enum TopicProblem {
    Invalid(&'static str),
    EmptyWithoutAlias,
}

/// Topic names carry no wildcards (spec 3.3.2.1) and are at least one character long,
/// except in MQTT 5 when a Topic Alias stands in for them (spec 3.3.2.3.4). The
/// caller has scanned the topic for wildcards along with its other checks.
fn topic_problem(
    topic: &str,
    has_wildcard: bool,
    version: ProtocolVersion,
    properties: &Properties,
) -> Option<TopicProblem> {
    if topic.is_empty() {
        if !version.is_v5() {
            Some(TopicProblem::Invalid("is empty"))
        } else if properties.topic_alias.is_none() {
            Some(TopicProblem::EmptyWithoutAlias)
        } else {
            None
        }
    } else if has_wildcard {
        Some(TopicProblem::Invalid("contains a wildcard (+ or #)"))
    } else {
        None
    }
}
