//! UNSUBSCRIBE (spec 3.10): the topic filters to remove.

use bytes::{BufMut, BytesMut};

use crate::bytestr::ByteStr;
use crate::codec::decode::{decode_packet, Decoded};
use crate::codec::reader::Reader;
use crate::codec::spare::write_packet;
use crate::codec::writer::{byte_str_len, check_packet_id, put_prefixed, sendable_len};
use crate::error::{DecodeError, EncodeError};
use crate::packet::Packet;
use crate::properties::{Properties, PropertyContext};
use crate::protocol::{PacketType, ProtocolVersion};

const PACKET: PacketType = PacketType::Unsubscribe;

/// An UNSUBSCRIBE packet; `filters` is never empty on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribe {
    pub packet_id: u16,
    pub filters: Vec<ByteStr>,
    pub properties: Properties,
}

impl Unsubscribe {
    /// An UNSUBSCRIBE of `filters` without properties.
    pub fn new(packet_id: u16, filters: Vec<ByteStr>) -> Self {
        Self {
            packet_id,
            filters,
            properties: Properties::default(),
        }
    }
}

impl Unsubscribe {
    /// Appends the packet if it is valid and has no properties, and says whether
    /// it did; otherwise nothing is written and the caller takes the general
    /// path, which also reports what is wrong.
    #[inline]
    pub(crate) fn encode_if_usual(&self, version: ProtocolVersion, buf: &mut BytesMut) -> bool {
        if self.packet_id == 0 || self.filters.is_empty() || self.properties.allocated().is_some() {
            return false;
        }
        let mut len = 2 + usize::from(version.is_v5());
        for filter in &self.filters {
            match sendable_len(filter) {
                Some(filter_len) => len += filter_len,
                None => return false,
            }
        }
        write_packet(buf, PACKET, len, |out| {
            out.put(&self.packet_id.to_be_bytes());
            if version.is_v5() {
                out.put_u8(0);
            }
            for filter in &self.filters {
                out.put_string(filter);
            }
        })
    }

    pub(crate) fn body_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        check_packet_id(PACKET, self.packet_id)?;
        if self.filters.is_empty() {
            return Err(EncodeError::NoTopicFilters { packet: PACKET });
        }
        let mut len = 2;
        if version.is_v5() {
            len += self
                .properties
                .encoded_len(PropertyContext::Packet(PACKET))?;
        }
        for filter in &self.filters {
            len += byte_str_len(filter, "topic filter")?;
        }
        Ok(len)
    }

    pub(crate) fn put_body(&self, version: ProtocolVersion, buf: &mut BytesMut) {
        buf.put_u16(self.packet_id);
        if version.is_v5() {
            self.properties.put(buf);
        }
        for filter in &self.filters {
            put_prefixed(buf, filter.as_bytes());
        }
    }

    pub(crate) fn decode<O: Decoded>(
        reader: &mut Reader,
        version: ProtocolVersion,
        failed: &mut Option<DecodeError>,
    ) -> O {
        let read = |properties: Option<&mut Properties>| {
            let packet_id = reader.packet_id()?;
            if let Some(properties) = properties {
                properties.read_from(reader, PropertyContext::Packet(PACKET))?;
            }
            let mut filters = Vec::new();
            while !reader.is_empty() {
                filters.push(reader.string("topic filter")?);
            }
            if filters.is_empty() {
                return Err(DecodeError::NoTopicFilters { packet: PACKET });
            }
            Ok((packet_id, filters))
        };
        decode_packet(version, failed, read, |(packet_id, filters), properties| {
            Packet::Unsubscribe(Self {
                packet_id,
                filters,
                properties,
            })
        })
    }
}
