//! The shape PUBACK, PUBREC, PUBREL and PUBCOMP share (spec 3.4 - 3.7): a packet
//! identifier, then in MQTT 5 an optional reason code and optional properties.

use bytes::{BufMut, BytesMut};

use crate::codec::reader::Reader;
use crate::codec::spare::{fixed_first_byte, put_short_packet};
use crate::codec::writer::check_packet_id;
use crate::error::{DecodeError, EncodeError};
use crate::properties::{Properties, PropertyContext};
use crate::protocol::{PacketType, ProtocolVersion};
use crate::reason::ReasonCode;

/// Checks that `code` exists on `packet` and, before MQTT 5, that leaving it out does
/// not lose a failure; 3.1 / 3.1.1 acknowledgements always mean success.
#[inline]
pub(crate) fn check_code(
    packet: PacketType,
    code: ReasonCode,
    version: ProtocolVersion,
) -> Result<(), EncodeError> {
    if !code.allowed_on(packet) {
        return Err(EncodeError::ReasonCodeNotAllowed { packet, code });
    }
    if !version.is_v5() && code.is_error() {
        return Err(EncodeError::ReasonCodeNotInVersion {
            packet,
            code,
            version,
        });
    }
    Ok(())
}

/// Decodes a reason code byte that must be allowed on `packet`.
pub(crate) fn decode_code(reader: &mut Reader) -> Result<ReasonCode, DecodeError> {
    let value = reader.u8("reason code")?;
    decode_code_value(reader.packet(), value)
}

/// Checks a reason code byte read from `packet`.
pub(crate) fn decode_code_value(packet: PacketType, value: u8) -> Result<ReasonCode, DecodeError> {
    let code = ReasonCode::try_from(value)
        .map_err(|_| DecodeError::UnknownReasonCode { packet, value })?;
    if code.allowed_on(packet) {
        Ok(code)
    } else {
        Err(DecodeError::ReasonCodeNotAllowed { packet, code })
    }
}

/// The fields of one publish acknowledgement.
pub(crate) struct AckFields<'a> {
    pub packet: PacketType,
    pub packet_id: u16,
    pub code: ReasonCode,
    pub properties: &'a Properties,
}

impl AckFields<'_> {
    /// Appends the usual acknowledgement, a success without properties (the
    /// packet identifier alone, in every version), and says whether it did;
    /// anything else is left to the general path.
    #[inline(always)]
    pub(crate) fn encode_if_usual(&self, buf: &mut BytesMut) -> bool {
        if self.packet_id == 0
            || self.code != ReasonCode::Success
            || self.properties.allocated().is_some()
        {
            return false;
        }
        let [id_high, id_low] = self.packet_id.to_be_bytes();
        put_short_packet(buf, [fixed_first_byte(self.packet), 2, id_high, id_low]);
        true
    }

    #[inline(always)]
    pub(crate) fn body_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        check_packet_id(self.packet, self.packet_id)?;
        check_code(self.packet, self.code, version)?;
        if !version.is_v5() {
            return Ok(2);
        }
        // Spec 3.4.2.1: code and property length may be left out when there is nothing
        // to say, and the property length alone when there are no properties.
        if self.properties.is_empty() {
            Ok(if self.code == ReasonCode::Success {
                2
            } else {
                3
            })
        } else {
            Ok(3 + self
                .properties
                .encoded_len(PropertyContext::Packet(self.packet))?)
        }
    }

    #[inline(always)]
    pub(crate) fn put_body(&self, version: ProtocolVersion, buf: &mut BytesMut) {
        buf.put_u16(self.packet_id);
        if !version.is_v5() {
            return;
        }
        if self.properties.is_empty() {
            if self.code != ReasonCode::Success {
                buf.put_u8(self.code.value());
            }
        } else {
            buf.put_u8(self.code.value());
            self.properties.put(buf);
        }
    }

    /// Reads packet identifier and reason code, and the properties in MQTT 5.
    #[inline]
    pub(crate) fn read(
        reader: &mut Reader,
        properties: Option<&mut Properties>,
    ) -> Result<(u16, ReasonCode), DecodeError> {
        let packet_id = reader.packet_id()?;
        let mut code = ReasonCode::Success;
        if let Some(properties) = properties {
            if !reader.is_empty() {
                code = decode_code(reader)?;
                if !reader.is_empty() {
                    properties.read_from(reader, PropertyContext::Packet(reader.packet()))?;
                }
            }
        }
        reader.finish("variable header")?;
        Ok((packet_id, code))
    }
}

macro_rules! publish_ack {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            pub packet_id: u16,
            pub code: $crate::reason::ReasonCode,
            pub properties: $crate::properties::Properties,
        }

        impl $name {
            /// A successful acknowledgement of `packet_id`.
            pub fn new(packet_id: u16) -> Self {
                Self::with_code(packet_id, $crate::reason::ReasonCode::Success)
            }

            /// An acknowledgement of `packet_id` with `code`.
            pub fn with_code(packet_id: u16, code: $crate::reason::ReasonCode) -> Self {
                Self {
                    packet_id,
                    code,
                    properties: $crate::properties::Properties::default(),
                }
            }

            #[inline(always)]
            fn fields(&self) -> super::ack::AckFields<'_> {
                super::ack::AckFields {
                    packet: $crate::protocol::PacketType::$name,
                    packet_id: self.packet_id,
                    code: self.code,
                    properties: &self.properties,
                }
            }

            #[inline(always)]
            pub(crate) fn encode_if_usual(&self, buf: &mut bytes::BytesMut) -> bool {
                self.fields().encode_if_usual(buf)
            }

            #[inline(always)]
            pub(crate) fn body_len(
                &self,
                version: $crate::protocol::ProtocolVersion,
            ) -> Result<usize, $crate::error::EncodeError> {
                self.fields().body_len(version)
            }

            #[inline(always)]
            pub(crate) fn put_body(
                &self,
                version: $crate::protocol::ProtocolVersion,
                buf: &mut bytes::BytesMut,
            ) {
                self.fields().put_body(version, buf)
            }

            pub(crate) fn decode<O: $crate::codec::decode::Decoded>(
                reader: &mut $crate::codec::reader::Reader,
                version: $crate::protocol::ProtocolVersion,
                failed: &mut Option<$crate::error::DecodeError>,
            ) -> O {
                $crate::codec::decode::decode_packet(
                    version,
                    failed,
                    |properties| super::ack::AckFields::read(reader, properties),
                    |(packet_id, code), properties| {
                        $crate::packet::Packet::$name(Self {
                            packet_id,
                            code,
                            properties,
                        })
                    },
                )
            }
        }
    };
}

pub(crate) use publish_ack;
