//! SUBSCRIBE (spec 3.8): topic filters, each with its subscription options.

use crate::bytestr::ByteStr;
use crate::codec::decode::{decode_packet, Decoded};
use crate::codec::reader::Reader;
use crate::error::DecodeError;
use crate::packet::filter_list::{FilterEntry, FilterListPacket};
use crate::packet::Filters;
use crate::packet::Packet;
use crate::properties::{Properties, PropertyContext};
use crate::protocol::{PacketType, ProtocolVersion, QoS, RetainHandling};

const PACKET: PacketType = PacketType::Subscribe;

/// A SUBSCRIBE packet; `filters` is never empty on the wire, and one filter is
/// held in the packet itself (see [`Filters`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribe {
    pub packet_id: u16,
    pub filters: Filters<SubscribeFilter>,
    pub properties: Properties,
}

/// One topic filter of a SUBSCRIBE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribeFilter {
    pub filter: ByteStr,
    pub options: SubscriptionOptions,
}

/// The subscription options byte. 3.1 / 3.1.1 carry only `qos`; the other fields
/// are ignored when encoding for them and default when decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SubscriptionOptions {
    pub qos: QoS,
    pub no_local: bool,
    pub retain_as_published: bool,
    pub retain_handling: RetainHandling,
}

impl FilterEntry for SubscribeFilter {
    #[inline]
    fn filter(&self) -> &ByteStr {
        &self.filter
    }

    #[inline]
    fn trailing_byte(&self, version: ProtocolVersion) -> Option<u8> {
        Some(self.options.to_byte_for(version))
    }
}

impl Subscribe {
    /// A SUBSCRIBE of `filters` without properties.
    pub fn new(packet_id: u16, filters: impl Into<Filters<SubscribeFilter>>) -> Self {
        Self {
            packet_id,
            filters: filters.into(),
            properties: Properties::default(),
        }
    }
}

impl SubscribeFilter {
    /// `filter` at `qos` with the default MQTT 5 options.
    pub fn new(filter: impl Into<ByteStr>, qos: QoS) -> Self {
        Self {
            filter: filter.into(),
            options: SubscriptionOptions {
                qos,
                ..SubscriptionOptions::default()
            },
        }
    }
}

impl SubscriptionOptions {
    const QOS: u8 = 0b0000_0011;
    const NO_LOCAL: u8 = 0b0000_0100;
    const RETAIN_AS_PUBLISHED: u8 = 0b0000_1000;
    const RETAIN_HANDLING: u8 = 0b0011_0000;
    const V5_RESERVED: u8 = 0b1100_0000;
    const V3_RESERVED: u8 = 0b1111_1100;

    /// Just `qos`, with the default MQTT 5 options.
    pub fn with_qos(qos: QoS) -> Self {
        Self {
            qos,
            ..Self::default()
        }
    }

    /// The options byte as `version` sends it: 3.1 / 3.1.1 carry only the QoS.
    pub fn to_byte_for(self, version: ProtocolVersion) -> u8 {
        if version.is_v5() {
            self.to_byte()
        } else {
            self.qos.level()
        }
    }

    /// Parses an options byte received in `version` (spec 3.8.3.1).
    pub fn from_byte(byte: u8, version: ProtocolVersion) -> Result<Self, DecodeError> {
        let reserved = if version.is_v5() {
            Self::V5_RESERVED
        } else {
            Self::V3_RESERVED
        };
        if byte & reserved != 0 {
            return Err(DecodeError::SubscriptionOptionsReserved { options: byte });
        }
        let qos = QoS::try_from(byte & Self::QOS).map_err(|_| DecodeError::SubscriptionQoS3)?;
        let retain_handling = RetainHandling::try_from((byte & Self::RETAIN_HANDLING) >> 4)
            .map_err(|_| DecodeError::RetainHandling3)?;
        Ok(Self {
            qos,
            no_local: byte & Self::NO_LOCAL != 0,
            retain_as_published: byte & Self::RETAIN_AS_PUBLISHED != 0,
            retain_handling,
        })
    }

    /// The options byte as MQTT 5 sends it.
    pub fn to_byte(self) -> u8 {
        let mut byte = self.qos.level() | (self.retain_handling as u8) << 4;
        if self.no_local {
            byte |= Self::NO_LOCAL;
        }
        if self.retain_as_published {
            byte |= Self::RETAIN_AS_PUBLISHED;
        }
        byte
    }
}

impl FilterListPacket for Subscribe {
    const PACKET: PacketType = PACKET;
    type Entry = SubscribeFilter;

    fn packet_id(&self) -> u16 {
        self.packet_id
    }

    fn properties(&self) -> &Properties {
        &self.properties
    }

    fn entries(&self) -> &[SubscribeFilter] {
        &self.filters
    }
}

impl Subscribe {
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
            Ok((packet_id, read_filters(reader, version)?))
        };
        decode_packet(version, failed, read, |(packet_id, filters), properties| {
            Packet::Subscribe(Self {
                packet_id,
                filters,
                properties,
            })
        })
    }
}

fn read_filters(
    reader: &mut Reader,
    version: ProtocolVersion,
) -> Result<Filters<SubscribeFilter>, DecodeError> {
    let filters = Filters::read(|| {
        if reader.is_empty() {
            return Ok(None);
        }
        let filter = reader.string("topic filter")?;
        let options = SubscriptionOptions::from_byte(reader.u8("subscription options")?, version)?;
        Ok(Some(SubscribeFilter { filter, options }))
    })?;
    if filters.is_empty() {
        return Err(DecodeError::NoTopicFilters { packet: PACKET });
    }
    Ok(filters)
}
