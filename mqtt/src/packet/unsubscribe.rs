//! UNSUBSCRIBE (spec 3.10): the topic filters to remove.

use crate::bytestr::ByteStr;
use crate::codec::decode::{decode_packet, Decoded};
use crate::codec::reader::Reader;
use crate::error::DecodeError;
use crate::packet::filter_list::FilterListPacket;
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

impl FilterListPacket for Unsubscribe {
    const PACKET: PacketType = PACKET;
    type Entry = ByteStr;

    fn packet_id(&self) -> u16 {
        self.packet_id
    }

    fn properties(&self) -> &Properties {
        &self.properties
    }

    fn entries(&self) -> &[ByteStr] {
        &self.filters
    }
}

impl Unsubscribe {
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
