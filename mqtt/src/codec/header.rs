//! The fixed header (spec 2.1): packet type and flags in one byte, then the remaining
//! length. Type and flags are checked as soon as the first byte arrives, so a stream
//! that starts with garbage fails before anything else is buffered.

use bytes::{BufMut, BytesMut};

use crate::codec::varint::{parse_varint, put_varint};
use crate::error::DecodeError;
use crate::protocol::{PacketType, ProtocolVersion};

/// A parsed fixed header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FixedHeader {
    pub packet: PacketType,
    pub flags: u8,
    pub remaining_length: usize,
    /// Bytes taken by the fixed header itself: 2 to 5.
    pub header_len: usize,
}

impl FixedHeader {
    /// Header and body together.
    pub fn packet_len(&self) -> usize {
        self.header_len + self.remaining_length
    }
}

/// Parses the fixed header at the start of `bytes`, or `None` if it is not all there.
/// `version` decides whether AUTH exists; CONNECT is accepted whatever it says.
#[inline]
pub(crate) fn parse_fixed_header(
    bytes: &[u8],
    version: ProtocolVersion,
) -> Result<Option<FixedHeader>, DecodeError> {
    let Some((&first, rest)) = bytes.split_first() else {
        return Ok(None);
    };
    let (packet, flags) = check_first_byte(first, version)?;
    // Packets under 128 bytes, most of them, have a one-byte remaining length.
    let length = match rest.first() {
        Some(&length) if length < 0x80 => Some((u32::from(length), 1)),
        _ => parse_varint(rest, "remaining length")?,
    };
    Ok(length.map(|(remaining, len)| FixedHeader {
        packet,
        flags,
        remaining_length: remaining as usize,
        header_len: 1 + len,
    }))
}

#[inline]
fn check_first_byte(first: u8, version: ProtocolVersion) -> Result<(PacketType, u8), DecodeError> {
    let flags = first & 0x0F;
    let packet = PacketType::from_nibble(first >> 4)
        .ok_or(DecodeError::ReservedPacketType { nibble: first >> 4 })?;
    if packet == PacketType::Auth && !version.is_v5() {
        return Err(DecodeError::PacketNotInVersion { packet, version });
    }
    if packet == PacketType::Publish {
        let qos = (flags >> 1) & 0b11;
        if qos == 3 {
            return Err(DecodeError::PublishQoS3);
        }
        if qos == 0 && flags & 0b1000 != 0 {
            return Err(DecodeError::DupAtQoS0);
        }
    } else if flags != packet.required_flags() {
        return Err(DecodeError::InvalidFlags {
            packet,
            flags,
            expected: packet.required_flags(),
        });
    }
    Ok((packet, flags))
}

/// Appends a fixed header; `remaining_length` was checked against the maximum.
#[inline(always)]
pub(crate) fn put_fixed_header(buf: &mut BytesMut, first_byte: u8, remaining_length: usize) {
    buf.put_u8(first_byte);
    put_varint(buf, remaining_length as u32);
}
