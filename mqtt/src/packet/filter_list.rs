//! What SUBSCRIBE and UNSUBSCRIBE share on the way out: a packet identifier, a 5.0
//! property list, then topic filters, each followed by its options byte in a
//! SUBSCRIBE. Both packets measure and write through [`FilterListPacket`], generic
//! over the entry so each keeps its own fully inlined loop.

use bytes::{BufMut, BytesMut};

use crate::bytestr::ByteStr;
use crate::codec::spare::{fixed_first_byte, head_word, write_reserved};
use crate::codec::varint::MAX_VARINT;
use crate::codec::writer::{byte_str_len, check_packet_id, put_prefixed};
use crate::error::EncodeError;
use crate::properties::{Properties, PropertyContext};
use crate::protocol::{PacketType, ProtocolVersion};

/// One entry of a filter list: the filter, and the byte written after it, if any.
pub(crate) trait FilterEntry {
    fn filter(&self) -> &ByteStr;
    fn trailing_byte(&self, version: ProtocolVersion) -> Option<u8>;
}

impl FilterEntry for ByteStr {
    #[inline]
    fn filter(&self) -> &ByteStr {
        self
    }

    #[inline]
    fn trailing_byte(&self, _: ProtocolVersion) -> Option<u8> {
        None
    }
}

/// A packet made of an identifier, properties and a list of filters: it tells its
/// parts, and is measured and written from them.
pub(crate) trait FilterListPacket {
    const PACKET: PacketType;
    type Entry: FilterEntry;

    fn packet_id(&self) -> u16;
    fn properties(&self) -> &Properties;
    fn entries(&self) -> &[Self::Entry];

    /// Appends the packet if it is valid and has no properties, and says whether
    /// it did (see [`encode_if_usual`]).
    #[inline]
    fn encode_if_usual(&self, version: ProtocolVersion, buf: &mut BytesMut) -> bool {
        encode_if_usual(
            Self::PACKET,
            self.packet_id(),
            self.properties(),
            self.entries(),
            version,
            buf,
        )
    }

    fn body_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        body_len(
            Self::PACKET,
            self.packet_id(),
            self.properties(),
            self.entries(),
            version,
        )
    }

    fn put_body(&self, version: ProtocolVersion, buf: &mut BytesMut) {
        buf.put_u16(self.packet_id());
        if version.is_v5() {
            self.properties().put(buf);
        }
        for entry in self.entries() {
            put_prefixed(buf, entry.filter().as_bytes());
            if let Some(byte) = entry.trailing_byte(version) {
                buf.put_u8(byte);
            }
        }
    }
}

/// Appends the packet if it is valid and has no properties, and says whether it did;
/// otherwise nothing is written and the caller takes the general path, which also
/// reports what is wrong. Measured from each filter's recorded scan, then written
/// straight into the reserved bytes (see `codec::spare`): the fixed header, the
/// packet identifier and a 5.0 empty property list as one word, then each filter
/// with one length check for its prefix and text.
#[inline(always)]
fn encode_if_usual<E: FilterEntry>(
    packet: PacketType,
    packet_id: u16,
    properties: &Properties,
    filters: &[E],
    version: ProtocolVersion,
    buf: &mut BytesMut,
) -> bool {
    if packet_id == 0 || filters.is_empty() || properties.allocated().is_some() {
        return false;
    }
    let v5 = usize::from(version.is_v5());
    let mut remaining = 2 + v5;
    for entry in filters {
        match entry.filter().sendable_len() {
            Some(filter_len) => {
                remaining += filter_len + usize::from(entry.trailing_byte(version).is_some())
            }
            None => return false,
        }
    }
    if remaining > MAX_VARINT as usize {
        return false;
    }
    let first_byte = fixed_first_byte(packet);
    // The property length of 5.0, 0, is the zero byte after the identifier.
    let (head, head_len) = head_word(first_byte, remaining, packet_id);
    let len = head_len - 2 + remaining;
    buf.reserve(len);
    write_reserved(buf, len, |out| {
        out.put_window(&head, head_len + v5);
        for entry in filters {
            out.put_string(entry.filter());
            if let Some(byte) = entry.trailing_byte(version) {
                out.put_u8(byte);
            }
        }
    })
}

/// The body's length on the general path, or what makes the packet unsendable.
fn body_len<E: FilterEntry>(
    packet: PacketType,
    packet_id: u16,
    properties: &Properties,
    filters: &[E],
    version: ProtocolVersion,
) -> Result<usize, EncodeError> {
    check_packet_id(packet, packet_id)?;
    if filters.is_empty() {
        return Err(EncodeError::NoTopicFilters { packet });
    }
    let mut len = 2;
    if version.is_v5() {
        len += properties.encoded_len(PropertyContext::Packet(packet))?;
    }
    for entry in filters {
        len += byte_str_len(entry.filter(), "topic filter")?
            + usize::from(entry.trailing_byte(version).is_some());
    }
    Ok(len)
}
