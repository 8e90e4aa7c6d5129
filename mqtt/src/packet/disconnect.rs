//! DISCONNECT (spec 3.14): the end of a connection, with a reason in MQTT 5.

use bytes::{BufMut, BytesMut};

use crate::codec::decode::{decode_packet, Decoded};
use crate::codec::reader::Reader;
use crate::codec::spare::put_empty_packet;
use crate::error::{DecodeError, EncodeError};
use crate::packet::Packet;
use crate::properties::{Properties, PropertyContext};
use crate::protocol::{PacketType, ProtocolVersion};
use crate::reason::ReasonCode;

const PACKET: PacketType = PacketType::Disconnect;

/// A DISCONNECT packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disconnect {
    pub code: ReasonCode,
    pub properties: Properties,
}

impl Disconnect {
    /// A DISCONNECT with `code` and no properties.
    pub fn new(code: ReasonCode) -> Self {
        Self {
            code,
            properties: Properties::default(),
        }
    }
}

impl Default for Disconnect {
    fn default() -> Self {
        Self::new(ReasonCode::NORMAL_DISCONNECTION)
    }
}

impl Disconnect {
    /// Appends a normal DISCONNECT without properties (a fixed header alone in
    /// every version), and says whether it did; anything else is left to the
    /// general path.
    #[inline]
    pub(crate) fn encode_if_usual(&self, buf: &mut BytesMut) -> bool {
        if self.code != ReasonCode::NORMAL_DISCONNECTION || self.properties.allocated().is_some() {
            return false;
        }
        put_empty_packet(buf, PACKET);
        true
    }

    pub(crate) fn body_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        if !self.code.allowed_on(PACKET) {
            return Err(EncodeError::ReasonCodeNotAllowed {
                packet: PACKET,
                code: self.code,
            });
        }
        if !version.is_v5() {
            // A 3.1.1 DISCONNECT always means "normal, discard the will".
            if self.code != ReasonCode::NORMAL_DISCONNECTION {
                return Err(EncodeError::ReasonCodeNotInVersion {
                    packet: PACKET,
                    code: self.code,
                    version,
                });
            }
            return Ok(0);
        }
        // Spec 3.14.2.1: code and property length may each be left out.
        if self.properties.is_empty() {
            Ok(usize::from(self.code != ReasonCode::NORMAL_DISCONNECTION))
        } else {
            Ok(1 + self
                .properties
                .encoded_len(PropertyContext::Packet(PACKET))?)
        }
    }

    pub(crate) fn put_body(&self, version: ProtocolVersion, buf: &mut BytesMut) {
        if !version.is_v5() {
            return;
        }
        if !self.properties.is_empty() {
            buf.put_u8(self.code.value());
            self.properties.put(buf);
        } else if self.code != ReasonCode::NORMAL_DISCONNECTION {
            buf.put_u8(self.code.value());
        }
    }

    pub(crate) fn decode<O: Decoded>(
        reader: &mut Reader,
        version: ProtocolVersion,
        failed: &mut Option<DecodeError>,
    ) -> O {
        let read = |properties: Option<&mut Properties>| {
            let mut code = ReasonCode::NORMAL_DISCONNECTION;
            if let Some(properties) = properties {
                if !reader.is_empty() {
                    code = super::ack::decode_code(reader)?;
                    if !reader.is_empty() {
                        properties.read_from(reader, PropertyContext::Packet(PACKET))?;
                    }
                }
            }
            reader.finish("variable header")?;
            Ok(code)
        };
        decode_packet(version, failed, read, |code, properties| {
            Packet::Disconnect(Self { code, properties })
        })
    }
}
