//! A bounds-checked cursor over one packet's body. Every read names what it reads, so
//! a short packet is reported as "PUBLISH ends before its topic name"; strings and
//! binary data come out as zero-copy slices of the body.

use bytes::{Buf, Bytes};

use crate::bytestr::ByteStr;
use crate::codec::text::scan;
use crate::codec::varint::parse_varint;
use crate::error::DecodeError;
use crate::protocol::PacketType;

/// Where a checked string lies in the body, and whether it holds a wildcard.
#[derive(Clone, Copy)]
pub(crate) struct TextSpan {
    start: usize,
    len: usize,
    pub wildcard: bool,
}

impl TextSpan {
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Reads the body of one packet of type `packet`.
pub(crate) struct Reader {
    body: Bytes,
    position: usize,
    /// Where reading stops: the end of the body, or of a nested part such as the
    /// property list (see [`Reader::within`]).
    end: usize,
    packet: PacketType,
}

impl Reader {
    pub(crate) fn new(body: Bytes, packet: PacketType) -> Self {
        Self {
            end: body.len(),
            body,
            position: 0,
            packet,
        }
    }

    pub(crate) fn packet(&self) -> PacketType {
        self.packet
    }

    pub(crate) fn remaining(&self) -> usize {
        self.end.saturating_sub(self.position)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    fn truncated(&self, what: &'static str) -> DecodeError {
        DecodeError::Truncated {
            packet: self.packet,
            what,
        }
    }

    /// The next `len` bytes, borrowed.
    pub(crate) fn raw(&mut self, len: usize, what: &'static str) -> Result<&[u8], DecodeError> {
        let start = self.position;
        let end = start
            .checked_add(len)
            .filter(|end| *end <= self.end)
            .ok_or_else(|| self.truncated(what))?;
        self.position = end;
        self.body
            .get(start..end)
            .ok_or_else(|| self.truncated(what))
    }

    /// The next `len` bytes as a slice sharing the body.
    pub(crate) fn take(&mut self, len: usize, what: &'static str) -> Result<Bytes, DecodeError> {
        let start = self.position;
        self.raw(len, what)?;
        Ok(self.body.slice(start..self.position))
    }

    /// Everything left, sharing the body. Takes the body over rather than slicing it,
    /// which spares a reference count round trip per packet.
    pub(crate) fn rest(&mut self) -> Bytes {
        // Only a packet's own reader is asked for the rest, never one `within` a part,
        // so the body ends where reading does.
        let mut rest = std::mem::take(&mut self.body);
        rest.advance(self.position.min(rest.len()));
        self.position = 0;
        self.end = 0;
        rest
    }

    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        let byte = *self
            .body
            .get(self.position)
            .filter(|_| self.position < self.end)
            .ok_or_else(|| self.truncated(what))?;
        self.position += 1;
        Ok(byte)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], DecodeError> {
        let packet = self.packet;
        <[u8; N]>::try_from(self.raw(N, what)?).map_err(|_| DecodeError::Truncated { packet, what })
    }

    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, DecodeError> {
        self.array(what).map(u16::from_be_bytes)
    }

    pub(crate) fn u32(&mut self, what: &'static str) -> Result<u32, DecodeError> {
        self.array(what).map(u32::from_be_bytes)
    }

    pub(crate) fn varint(&mut self, what: &'static str) -> Result<u32, DecodeError> {
        let rest = self.body.get(self.position..self.end).unwrap_or_default();
        match parse_varint(rest, what)? {
            Some((value, len)) => {
                self.position += len;
                Ok(value)
            }
            None => Err(self.truncated(what)),
        }
    }

    /// A packet identifier, which must not be 0.
    pub(crate) fn packet_id(&mut self) -> Result<u16, DecodeError> {
        match self.u16("packet identifier")? {
            0 => Err(DecodeError::ZeroPacketId {
                packet: self.packet,
            }),
            id => Ok(id),
        }
    }

    /// Binary data: a two-byte length, then that many bytes.
    pub(crate) fn binary(&mut self, what: &'static str) -> Result<Bytes, DecodeError> {
        let len = self.u16(what)?;
        self.take(usize::from(len), what)
    }

    /// A UTF-8 encoded string (spec 1.5.4): well-formed and free of U+0000.
    #[inline]
    pub(crate) fn string(&mut self, what: &'static str) -> Result<ByteStr, DecodeError> {
        self.text(what).map(|(text, _)| text)
    }

    /// A topic name, checked like any string but not yet copied: see
    /// [`Reader::text_at`].
    #[inline]
    pub(crate) fn topic_name(&mut self, what: &'static str) -> Result<TextSpan, DecodeError> {
        let (start, len, wildcard) = self.checked_text(what)?;
        Ok(TextSpan {
            start,
            len,
            wildcard,
        })
    }

    /// The string at `span`, checked by [`Reader::topic_name`]. Built where the
    /// caller puts it, which for a PUBLISH is the decoded packet itself: a string
    /// built on the stack and moved stalls the CPU on every move.
    #[inline(always)]
    pub(crate) fn text_at(&self, span: TextSpan) -> ByteStr {
        ByteStr::from_checked_slice(&self.body, span.start, span.len, false, Some(span.wildcard))
    }

    /// A string, checked in place and only then copied (when short) or shared. Every
    /// string is also scanned for wildcards, which its `ByteStr` remembers so that
    /// encoding it again needs no scan.
    #[inline]
    fn text(&mut self, what: &'static str) -> Result<(ByteStr, bool), DecodeError> {
        let (start, len, wildcard) = self.checked_text(what)?;
        let text = ByteStr::from_checked_slice(&self.body, start, len, false, Some(wildcard));
        Ok((text, wildcard))
    }

    /// A string like [`Reader::string`], written over `slot` in place (see
    /// [`ByteStr::set_checked_slice`]). On error `slot` is left as it was.
    #[inline]
    pub(crate) fn string_into(
        &mut self,
        slot: &mut ByteStr,
        what: &'static str,
    ) -> Result<(), DecodeError> {
        let (start, len, wildcard) = self.checked_text(what)?;
        slot.set_checked_slice(&self.body, start, len, wildcard);
        Ok(())
    }

    /// Reads past a string after checking it (spec 1.5.4): where it starts, its
    /// length, and whether it holds a wildcard.
    #[inline]
    fn checked_text(&mut self, what: &'static str) -> Result<(usize, usize, bool), DecodeError> {
        let len = usize::from(self.u16(what)?);
        let start = self.position;
        let found = scan::<true>(self.raw(len, what)?);
        if found.null {
            return Err(DecodeError::NullCharacter {
                packet: self.packet,
                what,
            });
        }
        if found.non_ascii {
            let text = self.body.get(start..start + len).unwrap_or_default();
            if std::str::from_utf8(text).is_err() {
                return Err(DecodeError::InvalidUtf8 {
                    packet: self.packet,
                    what,
                });
            }
        }
        Ok((start, len, found.wildcard))
    }

    /// Runs `read` on the next `len` bytes only, then skips them. The body is not
    /// sliced: that would cost a reference count round trip, and short strings at
    /// the end of the part could no longer be copied as a fixed-size window.
    #[inline]
    pub(crate) fn within<T>(
        &mut self,
        len: usize,
        what: &'static str,
        read: impl FnOnce(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        let end = self
            .position
            .checked_add(len)
            .filter(|end| *end <= self.end)
            .ok_or_else(|| self.truncated(what))?;
        let outer_end = std::mem::replace(&mut self.end, end);
        let result = read(self);
        self.end = outer_end;
        self.position = end;
        result
    }

    /// Fails if anything is left after the field named `after`.
    pub(crate) fn finish(&self, after: &'static str) -> Result<(), DecodeError> {
        match self.remaining() {
            0 => Ok(()),
            count => Err(DecodeError::TrailingBytes {
                packet: self.packet,
                after,
                count,
            }),
        }
    }
}
