//! Writing a measured packet straight into the capacity a `BytesMut` reserved for
//! it. Each `put_slice` on a `BytesMut` checks the capacity and calls `memcpy`, and a
//! small MQTT 5 PUBLISH took about a dozen of them: more than the rest of encoding.
//! Here fixed-size pieces (the header, short strings as whole inline windows) are
//! plain stores, and the bytes are committed to the buffer once, at the end.

use std::mem::MaybeUninit;

use bytes::{BufMut, BytesMut};

use crate::bytestr::{ByteStr, INLINE_CAPACITY};
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
    write_reserved_inline!(buf, len, |out| write(out))
}

/// [`write_reserved`] with the writing pasted in place instead of passed as a
/// closure, for a caller that must have it inlined: a closure is a function of
/// its own, which the compiler may leave out of line (it did for PUBLISH, whose
/// writer then reloaded every captured value from memory). `$write` is a block
/// that writes through `$out`; it must not `return`.
macro_rules! write_reserved_inline {
    ($buf:expr, $len:expr, |$out:ident| $write:expr) => {{
        let buf: &mut ::bytes::BytesMut = $buf;
        let len: usize = $len;
        // The spare capacity is taken once: writing through a `&mut BytesMut`
        // instead made the compiler reload its pointer and length after every
        // store.
        let spare = buf.spare_capacity_mut();
        let room = spare.len();
        let mut writer = $crate::codec::spare::SpareWriter::over(spare);
        {
            let $out = &mut writer;
            $write;
        }
        if writer.written(room) == Some(len) {
            // SAFETY: the first `len` bytes of `buf`'s spare capacity were all
            // initialised by `$write`: each `put*` moves the writer past exactly
            // the bytes it wrote, from the start of the spare capacity on, and
            // nothing overflowed, so the bytes before it (`len` of them) may
            // become part of the buffer.
            unsafe { ::bytes::BufMut::advance_mut(buf, len) };
            true
        } else {
            false
        }
    }};
}
pub(crate) use write_reserved_inline;

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
    let head = u64::from(fixed_first_byte(packet)) | u64::from(varint) << 8;
    let len = 1 + varint_len + remaining;
    buf.reserve(len);
    write_reserved(buf, len, |out| {
        out.put_window(&head.to_le_bytes(), 1 + varint_len);
        write(out);
    })
}

/// The first byte of a packet of type `packet`, any but PUBLISH (whose flags vary).
#[inline(always)]
pub(crate) fn fixed_first_byte(packet: PacketType) -> u8 {
    (packet as u8) << 4 | packet.required_flags()
}

/// Appends a whole packet of `N` bytes built by the caller (an acknowledgement,
/// a ping): one `reserve` and one store of a constant size, where writing the
/// header and the body one piece at a time checked the room for each piece.
#[inline(always)]
pub(crate) fn put_short_packet<const N: usize>(buf: &mut BytesMut, packet: [u8; N]) {
    buf.extend_from_slice(&packet);
}

/// Appends a packet of type `packet` with no body (a ping, a plain DISCONNECT).
#[inline(always)]
pub(crate) fn put_empty_packet(buf: &mut BytesMut, packet: PacketType) {
    put_short_packet(buf, [fixed_first_byte(packet), 0]);
}

/// Appends the first `len` bytes of `packet`, a whole packet of at most 8 bytes
/// built in a register (a SUBACK or UNSUBACK of a few codes): one `reserve`, then
/// all 8 bytes in one store when the buffer has room for them, the bytes past
/// `len` left outside the buffer; otherwise the `len` bytes alone.
#[inline(always)]
pub(crate) fn put_packet_window(buf: &mut BytesMut, packet: [u8; 8], len: usize) {
    buf.reserve(len);
    match buf.spare_capacity_mut().first_chunk_mut::<8>() {
        Some(out) if len <= 8 => {
            out.write_copy_of_slice(&packet);
            // SAFETY: the first 8 bytes of the spare capacity were just written,
            // and `len` is at most 8.
            unsafe { buf.advance_mut(len) };
        }
        _ => buf.extend_from_slice(packet.get(..len).unwrap_or_default()),
    }
}

/// Appends a SUBACK or UNSUBACK (`packet`): the first byte, the remaining length,
/// `packet_id`, in MQTT 5 (`v5`) an empty property list, then `codes`. Up to 8 bytes
/// in all (a few codes, the usual case) it is built as one word; a longer one is
/// written piece by piece. Says whether it did: nothing is added if it is too long
/// to send.
#[inline(always)]
pub(crate) fn write_code_list_packet(
    buf: &mut BytesMut,
    packet: PacketType,
    packet_id: u16,
    v5: bool,
    codes: impl ExactSizeIterator<Item = u8>,
) -> bool {
    let codes_at = 4 + usize::from(v5);
    let len = codes_at + codes.len();
    if len > 8 {
        return write_packet(buf, packet, len - 2, |out| {
            out.put(&packet_id.to_be_bytes());
            if v5 {
                out.put_u8(0);
            }
            for code in codes {
                out.put_u8(code);
            }
        });
    }
    // Built in a register: stored a byte at a time, the word would be reloaded
    // from bytes still on their way to memory, a stall of its own.
    let mut word = u64::from(fixed_first_byte(packet))
        | ((len - 2) as u64) << 8
        | u64::from(packet_id.swap_bytes()) << 16;
    for (at, code) in (codes_at..).zip(codes) {
        word |= u64::from(code) << (8 * at);
    }
    put_packet_window(buf, word.to_le_bytes(), len);
    true
}

/// The start of a packet as one little-endian word: the first byte, the remaining
/// length `remaining` (at most [`MAX_VARINT`]) and the first two bytes of the
/// body, `next` (a packet identifier, a topic's length prefix), most significant
/// first, followed by zeros; and the number of bytes up to `next` included. Built
/// in a register and written as one store.
#[inline(always)]
pub(crate) fn head_word(first_byte: u8, remaining: usize, next: u16) -> ([u8; 8], usize) {
    let (varint, varint_len) = varint_word(remaining as u32);
    let next = u64::from(next.swap_bytes());
    let head = u64::from(first_byte) | u64::from(varint) << 8 | next << (8 * (1 + varint_len));
    (head.to_le_bytes(), 1 + varint_len + 2)
}

/// A cursor over the spare capacity of a `BytesMut`: what is left of it shrinks
/// from the front as bytes are written, so each write is one length check.
pub(crate) struct SpareWriter<'a> {
    rest: &'a mut [MaybeUninit<u8>],
    /// Set when a write did not fit: then nothing is committed.
    overflowed: bool,
}

impl<'a> SpareWriter<'a> {
    /// A writer from the start of `spare`.
    #[inline(always)]
    pub(crate) fn over(spare: &'a mut [MaybeUninit<u8>]) -> Self {
        Self {
            rest: spare,
            overflowed: false,
        }
    }

    /// How many bytes were written into a spare capacity of `room` bytes, or
    /// `None` if any write did not fit.
    #[inline(always)]
    pub(crate) fn written(&self, room: usize) -> Option<usize> {
        (!self.overflowed).then(|| room - self.rest.len())
    }

    /// The first `len` bytes of what is left, which the caller fills, and the rest
    /// after them; `None` (and nothing is committed) if they do not fit.
    #[inline(always)]
    fn take(&mut self, len: usize) -> Option<&'a mut [MaybeUninit<u8>]> {
        match std::mem::take(&mut self.rest).split_at_mut_checked(len) {
            Some((out, rest)) => {
                self.rest = rest;
                Some(out)
            }
            None => {
                self.overflowed = true;
                None
            }
        }
    }

    /// Appends `bytes`.
    #[inline(always)]
    pub(crate) fn put(&mut self, bytes: &[u8]) {
        if let Some(out) = self.take(bytes.len()) {
            copy_into(out, bytes);
        }
    }

    /// Appends the first `len` bytes of `window`. The whole window is stored when
    /// there is room for it, which is a few moves instead of a call to `memcpy`;
    /// the bytes past `len` are then overwritten or left outside the buffer.
    #[inline(always)]
    pub(crate) fn put_window<const N: usize>(&mut self, window: &[u8; N], len: usize) {
        let rest = std::mem::take(&mut self.rest);
        match rest.first_chunk_mut::<N>() {
            Some(out) if len <= N => {
                out.write_copy_of_slice(window);
                self.rest = rest.get_mut(len..).unwrap_or_default();
            }
            _ => {
                self.rest = rest;
                self.put(window.get(..len).unwrap_or_default());
            }
        }
    }

    /// Appends one byte.
    #[inline(always)]
    pub(crate) fn put_u8(&mut self, byte: u8) {
        self.put(&[byte]);
    }

    /// Appends a length-prefixed string measured as sendable (at most 65,535 bytes).
    /// A short string takes one length check for its prefix and text together.
    #[inline(always)]
    pub(crate) fn put_string(&mut self, text: &ByteStr) {
        let Some((window, len)) = text.inline_buffer() else {
            return self.put_prefixed(text.as_bytes());
        };
        let rest = std::mem::take(&mut self.rest);
        let Some((prefix, out)) = rest
            .first_chunk_mut::<{ 2 + INLINE_CAPACITY }>()
            .and_then(|room| room.split_first_chunk_mut::<2>())
        else {
            self.rest = rest;
            return self.put_prefixed(text.as_bytes());
        };
        prefix.write_copy_of_slice(&(len as u16).to_be_bytes());
        // The first 16 or 32 bytes of the window, or all of it, whichever holds the
        // text: one to four moves, and the bytes past the text are left outside
        // the buffer. Not the whole window for a short text: that would also
        // read the string's second cache line, a miss of its own when the string
        // lives on the heap (a SUBSCRIBE's filters).
        match len {
            0..=16 => copy_window::<16, _>(out, window),
            17..=32 => copy_window::<32, _>(out, window),
            33..=INLINE_CAPACITY => copy_window::<INLINE_CAPACITY, _>(out, window),
            // Never: an inline string is at most the window.
            _ => {
                self.overflowed = true;
                return;
            }
        }
        self.rest = rest.get_mut(2 + len..).unwrap_or_default();
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

/// Copies the first `N` bytes of `window` to the start of `out`, both at least
/// `N` long (known where it is inlined, so nothing is checked at run time).
#[inline(always)]
fn copy_window<const N: usize, const M: usize>(out: &mut [MaybeUninit<u8>], window: &[u8; M]) {
    if let (Some(out), Some(window)) = (out.first_chunk_mut::<N>(), window.first_chunk::<N>()) {
        out.write_copy_of_slice(window);
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
    fn a_packet_window_is_appended_with_or_without_room_past_it() {
        let packet = *b"\x90\x03\x00\x01\x80XYZ";
        // 5 to 7 bytes of room: the packet alone; 63: the whole word.
        for capacity in [6, 7, 8, 64] {
            let mut buf = BytesMut::with_capacity(capacity);
            buf.extend_from_slice(b"a");
            put_packet_window(&mut buf, packet, 5);
            assert_eq!(&buf[..], b"a\x90\x03\x00\x01\x80", "capacity {capacity}");
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
