//! Encoding helpers. Encoding runs in two passes: a measuring pass that validates
//! (`*_len`, fallible) and a writing pass that cannot fail (`put_*`), so the fixed
//! header's remaining length is known before the body is written.

use bytes::{BufMut, BytesMut};

use crate::bytestr::ByteStr;
use crate::codec::spare::write_reserved;
use crate::error::EncodeError;

/// The encoded size of a UTF-8 string: length prefix included. Rejects text over
/// 65535 bytes and text containing U+0000, which no receiver accepts; a `ByteStr`
/// knows whether it holds U+0000 without a scan.
#[inline]
pub(crate) fn byte_str_len(text: &ByteStr, what: &'static str) -> Result<usize, EncodeError> {
    if text.has_null() {
        return Err(EncodeError::NullCharacter { what });
    }
    binary_len(text.as_bytes(), what)
}

/// The encoded size of binary data: length prefix included.
#[inline]
pub(crate) fn binary_len(data: &[u8], what: &'static str) -> Result<usize, EncodeError> {
    if data.len() > usize::from(u16::MAX) {
        return Err(EncodeError::TooLong {
            what,
            len: data.len(),
        });
    }
    Ok(2 + data.len())
}

/// The length of binary `data` with its two-byte prefix, if it fits.
#[inline(always)]
pub(crate) fn sendable_binary_len(data: &[u8]) -> Option<usize> {
    (data.len() <= usize::from(u16::MAX)).then_some(2 + data.len())
}

/// Appends a length-prefixed string or binary value already measured by
/// [`byte_str_len`] or [`binary_len`].
#[inline]
pub(crate) fn put_prefixed(buf: &mut BytesMut, data: &[u8]) {
    // The measuring pass guaranteed the length fits in two bytes. Into the reserved
    // capacity when it fits: a short value is then a few moves, not a `memcpy` call.
    let written = write_reserved(buf, 2 + data.len(), |out| out.put_prefixed(data));
    if !written {
        buf.put_u16(data.len() as u16);
        buf.put_slice(data);
    }
}

/// [`put_prefixed`] for a `ByteStr` measured by [`byte_str_len`]. A short string's
/// whole inline buffer is written when there is room for it, and only its text
/// becomes part of the buffer.
#[inline]
pub(crate) fn put_byte_str(buf: &mut BytesMut, text: &ByteStr) {
    let len = text.as_bytes().len();
    let written = write_reserved(buf, 2 + len, |out| out.put_string(text));
    if !written {
        buf.put_u16(len as u16);
        buf.put_slice(text.as_bytes());
    }
}

/// Fails for a packet identifier of 0.
#[inline]
pub(crate) fn check_packet_id(
    packet: crate::protocol::PacketType,
    id: u16,
) -> Result<(), EncodeError> {
    if id == 0 {
        Err(EncodeError::ZeroPacketId { packet })
    } else {
        Ok(())
    }
}
