//! UNSUBSCRIBE (spec 3.10): the topic filters to remove.

use bytes::{BufMut, BytesMut};

use crate::bytestr::ByteStr;
use crate::codec::decode::{decode_packet, Decoded};
use crate::codec::reader::Reader;
use crate::codec::writer::put_prefixed;
use crate::error::{DecodeError, EncodeError};
use crate::packet::filter_list;
use crate::packet::Filters;
use crate::packet::Packet;
use crate::properties::{Properties, PropertyContext};
use crate::protocol::{PacketType, ProtocolVersion};

const PACKET: PacketType = PacketType::Unsubscribe;

/// An UNSUBSCRIBE packet; `filters` is never empty on the wire, and one filter is
/// held in the packet itself (see [`Filters`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribe {
    pub packet_id: u16,
    pub filters: Filters<ByteStr>,
    pub properties: Properties,
}

impl Unsubscribe {
    /// An UNSUBSCRIBE of `filters` without properties.
    pub fn new(packet_id: u16, filters: impl Into<Filters<ByteStr>>) -> Self {
        Self {
            packet_id,
            filters: filters.into(),
            properties: Properties::default(),
        }
    }
}

impl Unsubscribe {
    /// Appends the packet if it is valid and has no properties, and says whether
    /// it did (see `filter_list::encode_if_usual`).
    #[inline]
    pub(crate) fn encode_if_usual(&self, version: ProtocolVersion, buf: &mut BytesMut) -> bool {
        filter_list::encode_if_usual(
            PACKET,
            self.packet_id,
            &self.properties,
            &self.filters,
            version,
            buf,
        )
    }

    pub(crate) fn body_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        filter_list::body_len(
            PACKET,
            self.packet_id,
            &self.properties,
            &self.filters,
            version,
        )
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
            let filters = Filters::read(|| {
                if reader.is_empty() {
                    return Ok(None);
                }
                reader.string("topic filter").map(Some)
            })?;
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
