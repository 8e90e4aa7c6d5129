//! SUBACK (spec 3.9): one reason code per filter of the SUBSCRIBE it answers.
//! 3.1 / 3.1.1 codes 0x00 / 0x01 / 0x02 / 0x80 are the reason codes of the same value.

use bytes::{BufMut, BytesMut};

use crate::codec::decode::{decode_packet, Decoded};
use crate::codec::reader::Reader;
use crate::codec::spare::write_code_list_packet;
use crate::codec::writer::check_packet_id;
use crate::error::{DecodeError, EncodeError};
use crate::packet::Packet;
use crate::properties::{Properties, PropertyContext};
use crate::protocol::{PacketType, ProtocolVersion};
use crate::reason::ReasonCode;

const PACKET: PacketType = PacketType::SubAck;
/// The single failure code of 3.1.1 (spec 3.9.3).
const V3_FAILURE: u8 = 0x80;

/// A SUBACK packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubAck {
    pub packet_id: u16,
    pub codes: Vec<ReasonCode>,
    pub properties: Properties,
}

impl SubAck {
    /// A SUBACK with `codes` and no properties.
    pub fn new(packet_id: u16, codes: Vec<ReasonCode>) -> Self {
        Self {
            packet_id,
            codes,
            properties: Properties::default(),
        }
    }
}

impl SubAck {
    /// Appends the packet if it is valid and has no properties, and says whether
    /// it did; otherwise nothing is written and the general path reports why.
    #[inline]
    pub(crate) fn encode_if_usual(&self, version: ProtocolVersion, buf: &mut BytesMut) -> bool {
        if self.packet_id == 0
            || self.codes.is_empty()
            || self.properties.allocated().is_some()
            || !self.codes.iter().all(|code| code.allowed_on(PACKET))
        {
            return false;
        }
        let v5 = version.is_v5();
        // Every MQTT 5 failure reads as 3.1.1's one failure code.
        let wire_codes = self.codes.iter().map(|code| {
            if !v5 && code.is_error() {
                V3_FAILURE
            } else {
                code.value()
            }
        });
        write_code_list_packet(buf, PACKET, self.packet_id, v5, wire_codes)
    }

    pub(crate) fn body_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        check_packet_id(PACKET, self.packet_id)?;
        if self.codes.is_empty() {
            return Err(EncodeError::NoReasonCodes { packet: PACKET });
        }
        if let Some(&code) = self.codes.iter().find(|code| !code.allowed_on(PACKET)) {
            return Err(EncodeError::ReasonCodeNotAllowed {
                packet: PACKET,
                code,
            });
        }
        let mut len = 2 + self.codes.len();
        if version.is_v5() {
            len += self
                .properties
                .encoded_len(PropertyContext::Packet(PACKET))?;
        }
        Ok(len)
    }

    pub(crate) fn put_body(&self, version: ProtocolVersion, buf: &mut BytesMut) {
        buf.put_u16(self.packet_id);
        if version.is_v5() {
            self.properties.put(buf);
            buf.extend(self.codes.iter().map(|code| code.value()));
        } else {
            // Every MQTT 5 failure reads as 3.1.1's one failure code.
            buf.extend(self.codes.iter().map(|code| {
                if code.is_error() {
                    V3_FAILURE
                } else {
                    code.value()
                }
            }));
        }
    }

    pub(crate) fn decode<O: Decoded>(
        reader: &mut Reader,
        version: ProtocolVersion,
        failed: &mut Option<DecodeError>,
    ) -> O {
        let read = |properties: Option<&mut Properties>| {
            let packet_id = reader.packet_id()?;
            if let Some(properties) = properties {
                properties.read_from(reader, PropertyContext::Packet(PACKET))?;
            }
            let raw = reader.rest();
            if raw.is_empty() {
                return Err(DecodeError::NoReasonCodes { packet: PACKET });
            }
            let codes = raw
                .iter()
                .map(|&value| decode_code(value, version))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((packet_id, codes))
        };
        decode_packet(version, failed, read, |(packet_id, codes), properties| {
            Packet::SubAck(Self {
                packet_id,
                codes,
                properties,
            })
        })
    }
}

fn decode_code(value: u8, version: ProtocolVersion) -> Result<ReasonCode, DecodeError> {
    if version.is_v5() {
        return super::ack::decode_code_value(PACKET, value);
    }
    match value {
        0..=2 | V3_FAILURE => super::ack::decode_code_value(PACKET, value),
        _ => Err(DecodeError::UnknownReasonCode {
            packet: PACKET,
            value,
        }),
    }
}
