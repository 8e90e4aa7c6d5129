//! PUBLISH (spec 3.3): an application message. Decoded topic and payload share the
//! receive buffer.

use bytes::{BufMut, Bytes, BytesMut};

use crate::bytestr::ByteStr;
use crate::codec::decode::Decoded;
use crate::codec::reader::{Reader, TextSpan};
use crate::codec::spare::{head_word, write_reserved_inline};
use crate::codec::varint::{varint_len, MAX_VARINT};
use crate::codec::writer::{binary_len, put_prefixed};
use crate::error::{DecodeError, EncodeError};
use crate::packet::Packet;
use crate::properties::{Properties, PropertyContext};
use crate::protocol::{PacketType, ProtocolVersion, QoS};

const CONTEXT: PropertyContext = PropertyContext::Packet(PacketType::Publish);
const DUP: u8 = 0b1000;
const RETAIN: u8 = 0b0001;

/// A PUBLISH packet. `packet_id` is `Some` exactly when `qos` is above 0.
///
/// Laid out in declaration order (`repr(C)`), the packet identifier first: the
/// `Packet` enum keeps its tag in the identifier's spare values, so the tag sits
/// at the start of every `Packet`, in the cache line that holds the small packets'
/// fields, instead of near its end, which cost small packets a second line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[repr(C)]
pub struct Publish {
    pub packet_id: Option<u16>,
    pub qos: QoS,
    pub dup: bool,
    pub retain: bool,
    pub properties: Properties,
    /// May be empty in MQTT 5 when a Topic Alias property stands in for it.
    pub topic: ByteStr,
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
    #[inline]
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

    /// Appends the packet if it is valid and its properties are the usual ones, and
    /// says whether it did: the hot path of encoding, which measures arithmetically
    /// and writes after one `reserve`. Otherwise nothing is written and the caller
    /// takes the general path, which also reports what is wrong.
    #[inline(always)]
    fn encode_if_usual<const V5: bool>(&self, buf: &mut BytesMut) -> bool {
        let packet_id_len = match (self.qos, self.packet_id) {
            (QoS::AtMostOnce, None) if !self.dup => 0,
            (QoS::AtLeastOnce | QoS::ExactlyOnce, Some(id)) if id != 0 => 2,
            _ => return false,
        };
        let topic = self.topic.as_bytes();
        if self.topic.has_wildcard() || self.topic.has_null() || topic.len() > usize::from(u16::MAX)
        {
            return false;
        }
        let properties_len = if V5 {
            match self.properties.publish_len() {
                Some(len) => Some(len),
                None => return false,
            }
        } else {
            None
        };
        if topic.is_empty() && !(V5 && self.properties.topic_alias.is_some()) {
            return false;
        }
        let properties_total = properties_len.map_or(0, |len| varint_len(len as u32) + len);
        let remaining = 2 + topic.len() + packet_id_len + properties_total + self.payload.len();
        if remaining > MAX_VARINT as usize {
            return false;
        }
        let (head, head_len) = head_word(self.first_byte(), remaining, topic.len() as u16);
        let packet_len = head_len + remaining - 2;
        buf.reserve(packet_len);
        write_reserved_inline!(buf, packet_len, |out| {
            out.put_window(&head, head_len);
            match self.topic.inline_buffer() {
                Some((window, len)) => out.put_window(window, len),
                None => out.put(topic),
            }
            if let Some(packet_id) = self.packet_id {
                out.put(&packet_id.to_be_bytes());
            }
            // Known at compile time: the 3.1.1 writer is a function of its own,
            // without the properties, small enough to be inlined (the two
            // writers, when the same, were merged into one, called from both
            // forms and inlined in neither).
            if let (true, Some(len)) = (V5, properties_len) {
                self.properties.put_publish(len, out);
            }
            out.put(&self.payload);
        })
    }

    /// The usual form in MQTT 3.1 or 3.1.1, out of line: its own function, so
    /// that the registers and checks the MQTT 5 properties need are not spent on
    /// every 3.1.1 packet, and with the whole fast path inlined in it (behind one
    /// more level of closures, the compiler left the writing out of line).
    #[inline(never)]
    pub(crate) fn encode_usual_v3(&self, buf: &mut BytesMut) -> bool {
        self.encode_if_usual::<false>(buf)
    }

    /// The usual form in MQTT 5.0, out of line.
    #[inline(never)]
    pub(crate) fn encode_usual_v5(&self, buf: &mut BytesMut) -> bool {
        self.encode_if_usual::<true>(buf)
    }

    #[inline(always)]
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
        // The topic knows from when it was made whether it holds a wildcard or NUL.
        if let Some(problem) = topic_problem(
            self.topic.is_empty(),
            self.topic.has_wildcard(),
            version,
            self.properties.topic_alias.is_some(),
        ) {
            return Err(match problem {
                TopicProblem::Invalid(reason) => EncodeError::TopicNameInvalid { reason },
                TopicProblem::EmptyWithoutAlias => EncodeError::EmptyTopicWithoutAlias,
            });
        }
        if self.topic.has_null() {
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

    #[inline(always)]
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

    /// Decodes a PUBLISH body in place: the hot path. Everything is read and
    /// checked first; then one expression builds the packet, topic and payload
    /// included, so that the compiler writes it straight into the caller's slot.
    #[inline]
    pub(crate) fn decode<O: Decoded>(
        reader: &mut Reader,
        version: ProtocolVersion,
        flags: u8,
        failed: &mut Option<DecodeError>,
    ) -> O {
        let mut properties = Properties::new();
        let read = read_fields(reader, version, flags, &mut properties);
        match read {
            Ok(fields) => O::packet(Packet::Publish(Self {
                dup: flags & DUP != 0,
                qos: fields.qos,
                retain: flags & RETAIN != 0,
                topic: reader.text_at(fields.topic),
                packet_id: fields.packet_id,
                properties,
                payload: reader.rest(),
            })),
            Err(error) => O::failed(error, failed),
        }
    }
}

/// A decoded PUBLISH apart from its flags, properties and payload, with the topic
/// checked but not yet copied.
struct Fields {
    qos: QoS,
    topic: TextSpan,
    packet_id: Option<u16>,
}

/// Reads everything but the flags and the payload, and in MQTT 5 the properties
/// into `properties`.
#[inline(always)]
fn read_fields(
    reader: &mut Reader,
    version: ProtocolVersion,
    flags: u8,
    properties: &mut Properties,
) -> Result<Fields, DecodeError> {
    // The fixed header check already refused QoS 3 and DUP at QoS 0.
    let qos = QoS::try_from((flags >> 1) & 0b11).map_err(|_| DecodeError::PublishQoS3)?;
    let topic = reader.topic_name("topic name")?;
    let packet_id = match qos {
        QoS::AtMostOnce => None,
        _ => Some(reader.packet_id()?),
    };
    let has_alias = if version.is_v5() {
        properties.read_from(reader, CONTEXT)?;
        // The reader refused every property a PUBLISH may not carry.
        properties.mark_publish_only();
        properties.topic_alias.is_some()
    } else {
        false
    };
    if let Some(problem) = topic_problem(topic.is_empty(), topic.wildcard, version, has_alias) {
        return Err(match problem {
            TopicProblem::Invalid(reason) => DecodeError::TopicNameInvalid { reason },
            TopicProblem::EmptyWithoutAlias => DecodeError::EmptyTopicWithoutAlias,
        });
    }
    Ok(Fields {
        qos,
        topic,
        packet_id,
    })
}

enum TopicProblem {
    Invalid(&'static str),
    EmptyWithoutAlias,
}

/// Topic names carry no wildcards (spec 3.3.2.1) and are at least one character long,
/// except in MQTT 5 when a Topic Alias stands in for them (spec 3.3.2.3.4). The
/// caller has scanned the topic for wildcards along with its other checks.
fn topic_problem(
    is_empty: bool,
    has_wildcard: bool,
    version: ProtocolVersion,
    has_alias: bool,
) -> Option<TopicProblem> {
    if is_empty {
        if !version.is_v5() {
            Some(TopicProblem::Invalid("is empty"))
        } else if !has_alias {
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

#[cfg(test)]
mod tests {
    use bytes::{Bytes, BytesMut};

    use super::*;

    // The fast path builds the fixed header arithmetically: check it at every
    // variable byte integer length against the general measure and the decoder.
    #[test]
    fn remaining_lengths_of_every_size_round_trip() {
        for len in [
            0, 1, 70, 76, 77, 78, 200, 16_300, 16_340, 16_400, 2_097_100, 2_097_200,
        ] {
            for version in [ProtocolVersion::V3_1_1, ProtocolVersion::V5] {
                let mut publish = Publish::new("a/b", Bytes::from(vec![7; len]));
                publish.qos = QoS::AtLeastOnce;
                publish.packet_id = Some(9);
                let packet = Packet::Publish(publish);
                let mut buf = BytesMut::new();
                packet.encode(version, &mut buf).expect("valid");
                assert_eq!(packet.encoded_len(version), Ok(buf.len()), "{len}");
                assert_eq!(Packet::decode(version, buf.freeze()), Ok(packet), "{len}");
            }
        }
    }
}
