//! Decoding a packet body into the caller's return slot. A `Packet` is 112 bytes,
//! and building it in a local and returning it through a `Result` or two cost
//! several copies of it per packet, each stalling on the bytes just written: more
//! than the decoding itself for small packets. So each packet decoder ends with the one
//! expression that builds its whole result, which the compiler writes in place.

use bytes::Bytes;

use crate::codec::header::FixedHeader;
use crate::codec::reader::Reader;
use crate::error::DecodeError;
use crate::packet::{
    Auth, ConnAck, Connect, Disconnect, Packet, PubAck, PubComp, PubRec, PubRel, Publish, SubAck,
    Subscribe, UnsubAck, Unsubscribe,
};
use crate::properties::Properties;
use crate::protocol::{PacketType, ProtocolVersion};

/// How a decoded packet or an error is handed back: `Result<Packet, _>` for
/// [`Packet::decode`], `Result<Option<Packet>, _>` for the streaming decoder.
pub(crate) trait Decoded: Sized {
    fn packet(packet: Packet) -> Self;
    fn error(error: DecodeError) -> Self;

    /// The error, also recorded in `failed` for a decoder that keeps repeating it.
    #[inline]
    fn failed(error: DecodeError, failed: &mut Option<DecodeError>) -> Self {
        *failed = Some(error.clone());
        Self::error(error)
    }
}

impl Decoded for Result<Packet, DecodeError> {
    #[inline(always)]
    fn packet(packet: Packet) -> Self {
        Ok(packet)
    }
    #[inline(always)]
    fn error(error: DecodeError) -> Self {
        Err(error)
    }
}

impl Decoded for Result<Option<Packet>, DecodeError> {
    #[inline(always)]
    fn packet(packet: Packet) -> Self {
        Ok(Some(packet))
    }
    #[inline(always)]
    fn error(error: DecodeError) -> Self {
        Err(error)
    }
}

/// Decodes one packet in place. `read` reads every field, the properties into the
/// `Properties` it is lent in MQTT 5 (none before); `assemble` builds the packet.
/// Before MQTT 5 the properties are known empty and written in place, not copied.
#[inline(always)]
pub(crate) fn decode_packet<O: Decoded, F>(
    version: ProtocolVersion,
    failed: &mut Option<DecodeError>,
    read: impl FnOnce(Option<&mut Properties>) -> Result<F, DecodeError>,
    assemble: impl FnOnce(F, Properties) -> Packet,
) -> O {
    if version.is_v5() {
        let mut properties = Properties::new();
        match read(Some(&mut properties)) {
            Ok(fields) => O::packet(assemble(fields, properties)),
            Err(error) => O::failed(error, failed),
        }
    } else {
        match read(None) {
            Ok(fields) => O::packet(assemble(fields, Properties::new())),
            Err(error) => O::failed(error, failed),
        }
    }
}

/// Decodes the body of a packet whose fixed header was `header`. Errors are also
/// recorded in `failed`.
#[inline]
pub(crate) fn decode_body<O: Decoded>(
    header: &FixedHeader,
    version: ProtocolVersion,
    body: Bytes,
    failed: &mut Option<DecodeError>,
) -> O {
    let reader = &mut Reader::new(body, header.packet);
    match header.packet {
        PacketType::Publish => Publish::decode(reader, version, header.flags, failed),
        PacketType::PubAck => PubAck::decode(reader, version, failed),
        PacketType::PubRec => PubRec::decode(reader, version, failed),
        PacketType::PubRel => PubRel::decode(reader, version, failed),
        PacketType::PubComp => PubComp::decode(reader, version, failed),
        PacketType::Subscribe => Subscribe::decode(reader, version, failed),
        PacketType::SubAck => SubAck::decode(reader, version, failed),
        PacketType::Unsubscribe => Unsubscribe::decode(reader, version, failed),
        PacketType::UnsubAck => UnsubAck::decode(reader, version, failed),
        PacketType::ConnAck => ConnAck::decode(reader, version, failed),
        PacketType::Disconnect => Disconnect::decode(reader, version, failed),
        PacketType::Auth => Auth::decode(reader, version, failed),
        PacketType::PingReq | PacketType::PingResp => match reader.finish("fixed header") {
            Ok(()) if header.packet == PacketType::PingReq => O::packet(Packet::PingReq),
            Ok(()) => O::packet(Packet::PingResp),
            Err(error) => O::failed(error, failed),
        },
        PacketType::Connect => Connect::decode(reader, failed),
    }
}
