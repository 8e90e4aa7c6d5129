//! AUTH (spec 3.15): MQTT 5 extended authentication exchanges.

use bytes::{BufMut, BytesMut};

use crate::codec::decode::{decode_packet, Decoded};
use crate::codec::reader::Reader;
use crate::error::{DecodeError, EncodeError};
use crate::packet::Packet;
use crate::properties::{Properties, PropertyContext};
use crate::protocol::{PacketType, ProtocolVersion};
use crate::reason::ReasonCode;

const PACKET: PacketType = PacketType::Auth;

/// An AUTH packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    pub code: ReasonCode,
    pub properties: Properties,
}

impl Auth {
    /// An AUTH with `code` and no properties.
    pub fn new(code: ReasonCode) -> Self {
        Self {
            code,
            properties: Properties::default(),
        }
    }
}

impl Default for Auth {
    fn default() -> Self {
        Self::new(ReasonCode::Success)
    }
}

impl Auth {
    pub(crate) fn body_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        if !version.is_v5() {
            return Err(EncodeError::PacketNotInVersion {
                packet: PACKET,
                version,
            });
        }
        if !self.code.allowed_on(PACKET) {
            return Err(EncodeError::ReasonCodeNotAllowed {
                packet: PACKET,
                code: self.code,
            });
        }
        // Spec 3.15.2.1: code and property length are left out together or not at all.
        if self.code == ReasonCode::Success && self.properties.is_empty() {
            Ok(0)
        } else {
            Ok(1 + self
                .properties
                .encoded_len(PropertyContext::Packet(PACKET))?)
        }
    }

    pub(crate) fn put_body(&self, buf: &mut BytesMut) {
        if self.code != ReasonCode::Success || !self.properties.is_empty() {
            buf.put_u8(self.code.value());
            self.properties.put(buf);
        }
    }

    /// AUTH exists only in MQTT 5: the fixed header check refused it before.
    pub(crate) fn decode<O: Decoded>(
        reader: &mut Reader,
        version: ProtocolVersion,
        failed: &mut Option<DecodeError>,
    ) -> O {
        let read = |properties: Option<&mut Properties>| {
            let mut code = ReasonCode::Success;
            if let Some(properties) = properties {
                if !reader.is_empty() {
                    code = super::ack::decode_code(reader)?;
                    properties.read_from(reader, PropertyContext::Packet(PACKET))?;
                }
            }
            reader.finish("properties")?;
            Ok(code)
        };
        decode_packet(version, failed, read, |code, properties| {
            Packet::Auth(Self { code, properties })
        })
    }
}
