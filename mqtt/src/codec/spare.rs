//! Writing a measured packet straight into the capacity a `BytesMut` reserved for
//! it. Each `put_slice` on a `BytesMut` checks the capacity and calls `memcpy`, and a
//! small MQTT 5 PUBLISH took about a dozen of them: more than the rest of encoding.
//! Here fixed-size pieces (the header, short strings as whole inline windows) are
//! plain stores, and the bytes are committed to the buffer once, at the end.

use std::mem::MaybeUninit;

use bytes::{BufMut, BytesMut};

use crate::bytestr::ByteStr;
use crate::codec::varint::{varint_word, MAX_VARINT};
use crate::protocol::PacketType;

/// Appends exactly `len` bytes to `buf`, written by `write` into what `buf` has
/// reserved beyond its length, and says whether it did: if anything did not fit,
/// or `write` wrote another number of bytes, nothing is added.
#[inline(always)]
pub(crate) fn write_reserved(
    buf: &mut BytesMut,
    len: usize,
    write: impl FnOnce(&mut SpareWriter),
) -> bool {
    // The spare capacity is taken once: writing through a `&mut BytesMut` instead
    // made the compiler reload its pointer and length after every store.
    let mut writer = SpareWriter {
        spare: buf.spare_capacity_mut(),
        written: 0,
        overflowed: false,
    };
    write(&mut writer);
    if writer.overflowed || writer.written != len {
        return false;
    }
    // SAFETY: the first `len` bytes of `buf`'s spare capacity were all initialised
    // by `write` (each `put*` advances `written` only past bytes it wrote, and
    // `written` is `len`), so they may become part of the buffer.
    unsafe { buf.advance_mut(len) };
    true
}

/// Appends a whole packet of type `packet` (not PUBLISH, whose first byte carries
/// flags) whose body measures `remaining` bytes and is written by `write`: the
/// fixed header, one `reserve`, then the body straight into the reserved bytes.
/// Says whether it did; nothing is added if `remaining` cannot be sent or `write`
/// wrote another number of bytes, and the caller then takes the general path.
#[inline(always)]
pub(crate) fn write_packet(
    buf: &mut BytesMut,
    packet: PacketType,
    remaining: usize,
    write: impl FnOnce(&mut SpareWriter),
) -> bool {
    if remaining > MAX_VARINT as usize {
        return false;
    }
    let (varint, varint_len) = varint_word(remaining as u32);
    let first_byte = (packet as u8) << 4 | packet.required_flags();
    let head = u64::from(first_byte) | u64::from(varint) << 8;
    let len = 1 + varint_len + remaining;
    buf.reserve(len);
    write_reserved(buf, len, |out| {
        out.put_window(&head.to_le_bytes(), 1 + varint_len);
        write(out);
    })
}

/// A cursor over the spare capacity of a `BytesMut`.
pub(crate) struct SpareWriter<'a> {
    spare: &'a mut [MaybeUninit<u8>],
    written: usize,
    /// Set when a write did not fit: then nothing is committed.
    overflowed: bool,
}

impl<'a> SpareWriter<'a> {
    /// Appends `bytes`.
    #[inline(always)]
    pub(crate) fn put(&mut self, bytes: &[u8]) {
        let (start, end) = (self.written, self.written + bytes.len());
        match self.spare.get_mut(start..end) {
            Some(out) => {
                copy_into(out, bytes);
                self.written = end;
            }
            None => self.overflowed = true,
        }
    }

    /// Appends the first `len` bytes of `window`. The whole window is stored when
    /// there is room for it, which is a few moves instead of a call to `memcpy`;
    /// the bytes past `len` are then overwritten or left outside the buffer.
    #[inline(always)]
    pub(crate) fn put_window<const N: usize>(&mut self, window: &[u8; N], len: usize) {
        let start = self.written;
        match self.spare.get_mut(start..start + N) {
            Some(out) if len <= N => {
                out.write_copy_of_slice(window);
                self.written += len;
            }
            _ => self.put(window.get(..len).unwrap_or_default()),
        }
    }

    /// Appends one byte.
    #[inline(always)]
    pub(crate) fn put_u8(&mut self, byte: u8) {
        self.put(&[byte]);
    }

    /// Appends a length-prefixed string measured as sendable (at most 65,535 bytes).
    #[inline(always)]
    pub(crate) fn put_string(&mut self, text: &ByteStr) {
        match text.inline_buffer() {
            // Up to 32 bytes, two overlapping moves of the text alone: the whole
            // window would also read the string's second cache line, a miss of
            // its own when the string lives on the heap (a SUBSCRIBE's filters).
            Some((window, len)) if len > 32 => {
                self.put(&(len as u16).to_be_bytes());
                self.put_window(window, len);
            }
            _ => self.put_prefixed(text.as_bytes()),
        }
    }

    /// Appends binary data or a string with its two-byte length prefix; `data` was
    /// measured as at most 65,535 bytes.
    #[inline(always)]
    pub(crate) fn put_prefixed(&mut self, data: &[u8]) {
        self.put(&(data.len() as u16).to_be_bytes());
        self.put(data);
    }

    /// Appends `value` as a variable byte integer; `value` was measured as at most
    /// 268,435,455.
    #[inline(always)]
    pub(crate) fn put_varint(&mut self, value: u32) {
        let (word, len) = varint_word(value);
        self.put_window(&word.to_le_bytes(), len);
    }
}

/// Copies `bytes` into `out`, of the same length. Up to 32 bytes (small payloads,
/// shared topics) it is two overlapping moves of a fixed size, as `memcpy` does
/// inside, without the call, which was a tenth of encoding a small PUBLISH.
#[inline(always)]
fn copy_into(out: &mut [MaybeUninit<u8>], bytes: &[u8]) {
    #[inline(always)]
    fn overlapping<const N: usize>(out: &mut [MaybeUninit<u8>], bytes: &[u8]) {
        let len = bytes.len();
        if let (Some(head), Some(tail)) = (bytes.first_chunk::<N>(), bytes.last_chunk::<N>()) {
            if let Some(out_head) = out.first_chunk_mut::<N>() {
                out_head.write_copy_of_slice(head);
            }
            if let Some(out_tail) = out.get_mut(len - N..) {
                out_tail.write_copy_of_slice(tail);
            }
        }
    }
    match bytes.len() {
        0 => {}
        1..4 => {
            for (to, from) in out.iter_mut().zip(bytes) {
                to.write(*from);
            }
        }
        4..8 => overlapping::<4>(out, bytes),
        8..16 => overlapping::<8>(out, bytes),
        16..=32 => overlapping::<16>(out, bytes),
        _ => {
            out.write_copy_of_slice(bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_pieces_in_order_and_commits_only_what_was_measured() {
        let mut buf = BytesMut::from(&b"ab"[..]);
        buf.reserve(64);
        let written = write_reserved(&mut buf, 11, |out| {
            out.put(b"cd");
            out.put_string(&ByteStr::from("xyz"));
            out.put_varint(300);
            out.put_window(&[1, 2, 3, 4], 2);
        });
        assert!(written);
        assert_eq!(&buf[..], b"abcd\x00\x03xyz\xAC\x02\x01\x02");

        let written = write_reserved(&mut buf, 2, |out| out.put(b"e"));
        assert!(!written, "a wrong measure adds nothing");
        assert_eq!(buf.len(), 13);
    }

    #[test]
    fn copies_every_short_length_exactly() {
        for len in 0..=40 {
            let bytes: Vec<u8> = (1..=len as u8).collect();
            let mut buf = BytesMut::with_capacity(64);
            let written = write_reserved(&mut buf, len + 1, |out| {
                out.put(&bytes);
                out.put(b"!");
            });
            assert!(written);
            assert_eq!(&buf[..len], &bytes[..], "{len}");
            assert_eq!(buf[len], b'!');
        }
    }

    #[test]
    fn a_write_past_the_reserved_capacity_adds_nothing() {
        let mut buf = BytesMut::with_capacity(4);
        let room = buf.capacity();
        let written = write_reserved(&mut buf, room + 1, |out| out.put(&vec![7; room + 1]));
        assert!(!written);
        assert!(buf.is_empty());
    }
}
