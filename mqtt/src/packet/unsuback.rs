//! UNSUBACK (spec 3.11): in MQTT 5 one reason code per filter; in 3.1 / 3.1.1 just
//! the packet identifier, so `codes` is empty there.

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

const PACKET: PacketType = PacketType::UnsubAck;

/// An UNSUBACK packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsubAck {
    pub packet_id: u16,
    pub codes: Vec<ReasonCode>,
    pub properties: Properties,
}

impl UnsubAck {
    /// An UNSUBACK with `codes` and no properties.
    pub fn new(packet_id: u16, codes: Vec<ReasonCode>) -> Self {
        Self {
            packet_id,
            codes,
            properties: Properties::default(),
        }
    }
}

impl UnsubAck {
    /// Appends the packet if it is valid and has no properties, and says whether
    /// it did; otherwise nothing is written and the general path reports why.
    #[inline]
    pub(crate) fn encode_if_usual(&self, version: ProtocolVersion, buf: &mut BytesMut) -> bool {
        let v5 = version.is_v5();
        if self.packet_id == 0
            || self.properties.allocated().is_some()
            || (v5 && self.codes.is_empty())
            || (v5 && !self.codes.iter().all(|code| code.allowed_on(PACKET)))
        {
            return false;
        }
        // 3.1 / 3.1.1 UNSUBACK carries no codes.
        let codes = if v5 { &self.codes[..] } else { &[] };
        let wire_codes = codes.iter().map(|code| code.value());
        write_code_list_packet(buf, PACKET, self.packet_id, v5, wire_codes)
    }

    pub(crate) fn body_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        check_packet_id(PACKET, self.packet_id)?;
        if !version.is_v5() {
            // 3.1 / 3.1.1 UNSUBACK carries no codes: unsubscribing always succeeds.
            return Ok(2);
        }
        if self.codes.is_empty() {
            return Err(EncodeError::NoReasonCodes { packet: PACKET });
        }
        if let Some(&code) = self.codes.iter().find(|code| !code.allowed_on(PACKET)) {
            return Err(EncodeError::ReasonCodeNotAllowed {
                packet: PACKET,
                code,
            });
        }
        Ok(2 + self
            .properties
            .encoded_len(PropertyContext::Packet(PACKET))?
            + self.codes.len())
    }

    pub(crate) fn put_body(&self, version: ProtocolVersion, buf: &mut BytesMut) {
        buf.put_u16(self.packet_id);
        if version.is_v5() {
            self.properties.put(buf);
            buf.extend(self.codes.iter().map(|code| code.value()));
        }
    }

    pub(crate) fn decode<O: Decoded>(
        reader: &mut Reader,
        version: ProtocolVersion,
        failed: &mut Option<DecodeError>,
    ) -> O {
        let read = |properties: Option<&mut Properties>| {
            let packet_id = reader.packet_id()?;
            let Some(properties) = properties else {
                // 3.1.1's UNSUBACK carries no reason codes.
                reader.finish("packet identifier")?;
                return Ok((packet_id, Vec::new()));
            };
            properties.read_from(reader, PropertyContext::Packet(PACKET))?;
            let raw = reader.rest();
            if raw.is_empty() {
                return Err(DecodeError::NoReasonCodes { packet: PACKET });
            }
            let codes = raw
                .iter()
                .map(|&value| super::ack::decode_code_value(PACKET, value))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((packet_id, codes))
        };
        decode_packet(version, failed, read, |(packet_id, codes), properties| {
            Packet::UnsubAck(Self {
                packet_id,
                codes,
                properties,
            })
        })
    }
}
