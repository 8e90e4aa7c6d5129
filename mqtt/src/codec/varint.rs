//! Variable byte integers (spec 1.5.5): 7 bits per byte, least significant first, at
//! most four bytes, and always in the shortest form.

use bytes::{BufMut, BytesMut};

use crate::error::DecodeError;

/// The largest value four bytes can carry: 268,435,455.
pub(crate) const MAX_VARINT: u32 = 268_435_455;

/// How many bytes `value` takes; `value` must not exceed [`MAX_VARINT`].
#[inline]
pub(crate) fn varint_len(value: u32) -> usize {
    match value {
        0..=0x7F => 1,
        0x80..=0x3FFF => 2,
        0x4000..=0x1F_FFFF => 3,
        _ => 4,
    }
}

/// Appends `value`; `value` must not exceed [`MAX_VARINT`].
#[inline(always)]
pub(crate) fn put_varint(buf: &mut BytesMut, value: u32) {
    if value < 0x80 {
        buf.put_u8(value as u8);
    } else {
        let mut bytes = [0; 4];
        buf.put_slice(varint_into(&mut bytes, value));
    }
}

/// `value` as a variable byte integer in the low bytes of a word (first byte lowest)
/// and its length, computed in a register: bytes stored one at a time and then read
/// back as a word stall store forwarding. `value` must not exceed [`MAX_VARINT`].
#[inline(always)]
pub(crate) fn varint_word(value: u32) -> (u32, usize) {
    // One and two bytes (packets up to 16 KiB) without the general loop, which
    // took about twenty instructions for two bytes.
    match value {
        0..=0x7F => return (value, 1),
        0x80..=0x3FFF => return (value & 0x7F | 0x80 | (value >> 7) << 8, 2),
        _ => {}
    }
    let len = varint_len(value);
    let value = u64::from(value);
    let mut word = value & 0x7F;
    for byte in 1..len {
        // The previous byte gets its continuation bit, this one the next 7 bits.
        word |= 0x80 << (8 * (byte - 1)) | ((value >> (7 * byte)) & 0x7F) << (8 * byte);
    }
    (word as u32, len)
}

/// Writes `value` into `out` and returns the bytes written; `value` must not exceed
/// [`MAX_VARINT`].
pub(crate) fn varint_into(out: &mut [u8; 4], mut value: u32) -> &[u8] {
    let mut len = 0;
    for byte in out.iter_mut() {
        let low = (value & 0x7F) as u8;
        value >>= 7;
        len += 1;
        if value == 0 {
            *byte = low;
            break;
        }
        *byte = low | 0x80;
    }
    out.get(..len).unwrap_or_default()
}

/// Parses a variable byte integer at the start of `bytes`: its value and length, or
/// `None` when `bytes` ends before the integer does.
pub(crate) fn parse_varint(
    bytes: &[u8],
    what: &'static str,
) -> Result<Option<(u32, usize)>, DecodeError> {
    let mut value: u32 = 0;
    for (index, &byte) in bytes.iter().take(4).enumerate() {
        value |= u32::from(byte & 0x7F) << (7 * index);
        if byte & 0x80 == 0 {
            // A trailing zero byte adds nothing: a shorter encoding existed.
            if byte == 0 && index > 0 {
                return Err(DecodeError::VarIntNotMinimal { what });
            }
            return Ok(Some((value, index + 1)));
        }
    }
    if bytes.len() >= 4 {
        Err(DecodeError::VarIntTooLong { what })
    } else {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(value: u32) -> Vec<u8> {
        let mut buf = BytesMut::new();
        put_varint(&mut buf, value);
        buf.to_vec()
    }

    // Spec 1.5.5, table 1-1: the boundaries of each length.
    #[test]
    fn spec_table_boundaries() {
        let cases: [(u32, &[u8]); 8] = [
            (0, &[0x00]),
            (127, &[0x7F]),
            (128, &[0x80, 0x01]),
            (16_383, &[0xFF, 0x7F]),
            (16_384, &[0x80, 0x80, 0x01]),
            (2_097_151, &[0xFF, 0xFF, 0x7F]),
            (2_097_152, &[0x80, 0x80, 0x80, 0x01]),
            (MAX_VARINT, &[0xFF, 0xFF, 0xFF, 0x7F]),
        ];
        for (value, bytes) in cases {
            assert_eq!(encode(value), bytes, "encoding {value}");
            let (word, len) = varint_word(value);
            assert_eq!(&word.to_le_bytes()[..len], bytes, "word of {value}");
            assert_eq!(varint_len(value), bytes.len(), "length of {value}");
            assert_eq!(
                parse_varint(bytes, "test"),
                Ok(Some((value, bytes.len()))),
                "decoding {value}"
            );
        }
    }

    #[test]
    fn incomplete_too_long_and_non_minimal() {
        assert_eq!(parse_varint(&[], "x"), Ok(None));
        assert_eq!(parse_varint(&[0x80, 0x80, 0x80], "x"), Ok(None));
        assert_eq!(
            parse_varint(&[0x80, 0x80, 0x80, 0x80], "x"),
            Err(DecodeError::VarIntTooLong { what: "x" })
        );
        assert_eq!(
            parse_varint(&[0x80, 0x00], "x"),
            Err(DecodeError::VarIntNotMinimal { what: "x" })
        );
    }
}
