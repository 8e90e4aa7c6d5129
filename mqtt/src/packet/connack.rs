//! CONNACK (spec 3.2): the server's answer to CONNECT. 3.1 / 3.1.1 return codes are
//! carried as the MQTT 5 reason code of the same meaning.

use bytes::{BufMut, BytesMut};

use crate::codec::decode::{decode_packet, Decoded};
use crate::codec::reader::Reader;
use crate::codec::spare::{fixed_first_byte, put_packet_window};
use crate::error::{DecodeError, EncodeError};
use crate::packet::Packet;
use crate::properties::{Properties, PropertyContext};
use crate::protocol::{PacketType, ProtocolVersion};
use crate::reason::{ConnectReturnCode, ReasonCode};

const CONTEXT: PropertyContext = PropertyContext::Packet(PacketType::ConnAck);
const SESSION_PRESENT: u8 = 0b0000_0001;

/// A CONNACK packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnAck {
    /// Always false in 3.1, which has no such flag.
    pub session_present: bool,
    /// For 3.1 / 3.1.1, see [`crate::ConnectReturnCode`] for the mapping.
    pub code: ReasonCode,
    pub properties: Properties,
}

impl ConnAck {
    /// A CONNACK with `code`, no session and no properties.
    pub fn new(code: ReasonCode) -> Self {
        Self {
            session_present: false,
            code,
            properties: Properties::default(),
        }
    }
}

impl ConnAck {
    /// Appends an accepting CONNACK without properties, and says whether it did;
    /// anything else is left to the general path.
    #[inline]
    pub(crate) fn encode_if_usual(&self, version: ProtocolVersion, buf: &mut BytesMut) -> bool {
        if self.code != ReasonCode::Success || self.properties.allocated().is_some() {
            return false;
        }
        // 3.1 has no session present flag: that byte is reserved.
        let flags = if self.session_present && version != ProtocolVersion::V3_1 {
            SESSION_PRESENT
        } else {
            0
        };
        // Flags and code, and in MQTT 5 an empty property list. Success is 0 in
        // every version (3.1.1's "Connection Accepted").
        let remaining = 2 + u8::from(version.is_v5());
        let first_byte = fixed_first_byte(PacketType::ConnAck);
        let packet = [
            first_byte,
            remaining,
            flags,
            ReasonCode::Success.value(),
            0,
            0,
            0,
            0,
        ];
        put_packet_window(buf, packet, 2 + usize::from(remaining));
        true
    }

    pub(crate) fn body_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        let packet = PacketType::ConnAck;
        if !self.code.allowed_on(packet) {
            return Err(EncodeError::ReasonCodeNotAllowed {
                packet,
                code: self.code,
            });
        }
        if self.session_present
            && self.code != ReasonCode::Success
            && version != ProtocolVersion::V3_1
        {
            return Err(EncodeError::SessionPresentOnFailure { code: self.code });
        }
        if version.is_v5() {
            Ok(2 + self.properties.encoded_len(CONTEXT)?)
        } else {
            // Every CONNACK code maps to a return code (nearest refusal), see
            // `ConnectReturnCode::from_reason_code`.
            Ok(2)
        }
    }

    pub(crate) fn put_body(&self, version: ProtocolVersion, buf: &mut BytesMut) {
        // 3.1 has no session present flag: that byte is reserved.
        let flags = if self.session_present && version != ProtocolVersion::V3_1 {
            SESSION_PRESENT
        } else {
            0
        };
        buf.put_u8(flags);
        if version.is_v5() {
            buf.put_u8(self.code.value());
            self.properties.put(buf);
        } else {
            let code = ConnectReturnCode::from_reason_code(self.code)
                .unwrap_or(ConnectReturnCode::ServerUnavailable);
            buf.put_u8(code.value());
        }
    }

    pub(crate) fn decode<O: Decoded>(
        reader: &mut Reader,
        version: ProtocolVersion,
        failed: &mut Option<DecodeError>,
    ) -> O {
        decode_packet(
            version,
            failed,
            |properties| read(reader, version, properties),
            |(session_present, code), properties| {
                Packet::ConnAck(Self {
                    session_present,
                    code,
                    properties,
                })
            },
        )
    }
}

/// Reads flags and code, and the properties in MQTT 5.
fn read(
    reader: &mut Reader,
    version: ProtocolVersion,
    properties: Option<&mut Properties>,
) -> Result<(bool, ReasonCode), DecodeError> {
    let flags = reader.u8("acknowledge flags")?;
    let session_present = match version {
        // 3.1's first byte is reserved and unused.
        ProtocolVersion::V3_1 => false,
        _ if flags & !SESSION_PRESENT != 0 => {
            return Err(DecodeError::ConnAckReservedFlags { flags })
        }
        _ => flags & SESSION_PRESENT != 0,
    };
    let value = reader.u8("return code")?;
    let code = match properties {
        None => return_code(value)?,
        // A 3.1.1 server refusing a 5.0 CONNECT answers in its own format, with
        // return code 1 (unacceptable protocol version) and no properties.
        Some(_) if reader.is_empty() && (1..=5).contains(&value) => return_code(value)?,
        Some(properties) => {
            let code = super::ack::decode_code_value(PacketType::ConnAck, value)?;
            properties.read_from(reader, CONTEXT)?;
            code
        }
    };
    reader.finish("properties")?;
    if session_present && code != ReasonCode::Success {
        return Err(DecodeError::SessionPresentOnFailure { code });
    }
    Ok((session_present, code))
}

fn return_code(value: u8) -> Result<ReasonCode, DecodeError> {
    ConnectReturnCode::try_from(value)
        .map(ConnectReturnCode::to_reason_code)
        .map_err(|_| DecodeError::UnknownReturnCode { value })
}
