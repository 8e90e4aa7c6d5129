//! Writing a measured packet straight into the capacity a `BytesMut` reserved for
//! it. Each `put_slice` on a `BytesMut` checks the capacity and calls `memcpy`, and a
//! small MQTT 5 PUBLISH took about a dozen of them: more than the rest of encoding.
//! Here fixed-size pieces (the header, short strings as whole inline windows) are
//! plain stores, and the bytes are committed to the buffer once, at the end.

use std::mem::MaybeUninit;

use bytes::{BufMut, BytesMut};

use crate::bytestr::ByteStr;
use crate::codec::varint::varint_word;

/// A cursor over the spare capacity of a `BytesMut`.
pub(crate) struct SpareWriter<'a> {
    buf: &'a mut BytesMut,
    written: usize,
    /// Set when a write did not fit: the caller then commits nothing.
    overflowed: bool,
}

impl<'a> SpareWriter<'a> {
    /// Writes into what `buf` has reserved beyond its length.
    #[inline(always)]
    pub(crate) fn new(buf: &'a mut BytesMut) -> Self {
        Self {
            buf,
            written: 0,
            overflowed: false,
        }
    }

    #[inline(always)]
    fn spare(&mut self) -> &mut [MaybeUninit<u8>] {
        self.buf.spare_capacity_mut()
    }

    /// Appends `bytes`.
    #[inline(always)]
    pub(crate) fn put(&mut self, bytes: &[u8]) {
        let (start, end) = (self.written, self.written + bytes.len());
        match self.spare().get_mut(start..end) {
            Some(out) => {
                out.write_copy_of_slice(bytes);
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
        match self.spare().get_mut(start..start + N) {
            Some(out) if len <= N => {
                out.write_copy_of_slice(window);
                self.written += len;
            }
            _ => self.put(window.get(..len).unwrap_or_default()),
        }
    }

    /// Appends a length-prefixed string measured as sendable (at most 65,535 bytes).
    #[inline(always)]
    pub(crate) fn put_string(&mut self, text: &ByteStr) {
        match text.inline_buffer() {
            Some((window, len)) => {
                self.put(&(len as u16).to_be_bytes());
                self.put_window(window, len);
            }
            None => self.put_prefixed(text.as_bytes()),
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

    /// Makes exactly `expected` written bytes part of the buffer, and says whether
    /// it did: if anything did not fit, or the measure was wrong, nothing is added.
    #[inline(always)]
    pub(crate) fn commit(self, expected: usize) -> bool {
        if self.overflowed || self.written != expected {
            return false;
        }
        // SAFETY: the first `written` bytes of `buf`'s spare capacity were all
        // initialised by the `put*` calls above (each advances `written` only past
        // bytes it wrote, and nothing else touched `buf` meanwhile), so they may
        // become part of the buffer.
        unsafe { self.buf.advance_mut(self.written) };
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_pieces_in_order_and_commits_only_what_was_measured() {
        let mut buf = BytesMut::from(&b"ab"[..]);
        buf.reserve(64);
        let mut writer = SpareWriter::new(&mut buf);
        writer.put(b"cd");
        writer.put_string(&ByteStr::from("xyz"));
        writer.put_varint(300);
        writer.put_window(&[1, 2, 3, 4], 2);
        assert!(writer.commit(11));
        assert_eq!(&buf[..], b"abcd\x00\x03xyz\xAC\x02\x01\x02");

        let mut writer = SpareWriter::new(&mut buf);
        writer.put(b"e");
        assert!(!writer.commit(2), "a wrong measure adds nothing");
        assert_eq!(buf.len(), 13);
    }

    #[test]
    fn a_write_past_the_reserved_capacity_adds_nothing() {
        let mut buf = BytesMut::with_capacity(4);
        let room = buf.capacity();
        let mut writer = SpareWriter::new(&mut buf);
        writer.put(&vec![7; room + 1]);
        assert!(!writer.commit(room + 1));
        assert!(buf.is_empty());
    }
}
