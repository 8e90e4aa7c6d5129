//! `Packet`'s encode and decode entry points: the fixed header here, the rest in each
//! packet's own file.

use bytes::{Buf, Bytes, BytesMut};

use crate::codec::header::{parse_fixed_header, put_fixed_header, FixedHeader};
use crate::codec::reader::Reader;
use crate::codec::varint::{varint_len, MAX_VARINT};
use crate::error::{DecodeError, EncodeError};
use crate::packet::{
    Auth, ConnAck, Connect, Disconnect, Packet, PubAck, PubComp, PubRec, PubRel, Publish, SubAck,
    Subscribe, UnsubAck, Unsubscribe,
};
use crate::protocol::{PacketType, ProtocolVersion};

impl Packet {
    /// Appends the packet, encoded for `version`, to `buf`. CONNECT encodes for its
    /// own `protocol`. For 3.1 / 3.1.1, properties and MQTT 5-only options are left out
    /// and reason codes become the older codes; a code that cannot be expressed is
    /// an error. Nothing is appended on error.
    pub fn encode(&self, version: ProtocolVersion, buf: &mut BytesMut) -> Result<(), EncodeError> {
        let remaining_length = self.remaining_length(version)?;
        buf.reserve(1 + varint_len(remaining_length as u32) + remaining_length);
        put_fixed_header(buf, self.first_byte(), remaining_length);
        self.put_body(version, buf);
        Ok(())
    }

    /// The number of bytes [`Packet::encode`] appends, with the same checks.
    pub fn encoded_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        let remaining_length = self.remaining_length(version)?;
        Ok(1 + varint_len(remaining_length as u32) + remaining_length)
    }

    /// Decodes exactly one whole packet, fixed header included. A CONNECT decodes with
    /// the protocol level it carries; every other packet with `version`. Strings and
    /// the PUBLISH payload share `bytes`.
    pub fn decode(version: ProtocolVersion, bytes: Bytes) -> Result<Packet, DecodeError> {
        // Every path returns `result`, so it is built in the caller's return slot.
        let mut result = Ok(Packet::PingReq);
        if let Ok(slot) = &mut result {
            if let Err(error) = decode_whole(version, bytes, slot) {
                result = Err(error);
            }
        }
        result
    }

    fn remaining_length(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        let len = self.body_len(version)?;
        if len > MAX_VARINT as usize {
            return Err(EncodeError::PacketTooLarge {
                packet: self.packet_type(),
                remaining_length: len,
            });
        }
        Ok(len)
    }

    fn first_byte(&self) -> u8 {
        match self {
            Self::Publish(publish) => publish.first_byte(),
            other => {
                let packet = other.packet_type();
                (packet as u8) << 4 | packet.required_flags()
            }
        }
    }

    fn body_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        match self {
            Self::Connect(p) => p.body_len(),
            Self::ConnAck(p) => p.body_len(version),
            Self::Publish(p) => p.body_len(version),
            Self::PubAck(p) => p.body_len(version),
            Self::PubRec(p) => p.body_len(version),
            Self::PubRel(p) => p.body_len(version),
            Self::PubComp(p) => p.body_len(version),
            Self::Subscribe(p) => p.body_len(version),
            Self::SubAck(p) => p.body_len(version),
            Self::Unsubscribe(p) => p.body_len(version),
            Self::UnsubAck(p) => p.body_len(version),
            Self::PingReq | Self::PingResp => Ok(0),
            Self::Disconnect(p) => p.body_len(version),
            Self::Auth(p) => p.body_len(version),
        }
    }

    fn put_body(&self, version: ProtocolVersion, buf: &mut BytesMut) {
        match self {
            Self::Connect(p) => p.put_body(buf),
            Self::ConnAck(p) => p.put_body(version, buf),
            Self::Publish(p) => p.put_body(version, buf),
            Self::PubAck(p) => p.put_body(version, buf),
            Self::PubRec(p) => p.put_body(version, buf),
            Self::PubRel(p) => p.put_body(version, buf),
            Self::PubComp(p) => p.put_body(version, buf),
            Self::Subscribe(p) => p.put_body(version, buf),
            Self::SubAck(p) => p.put_body(version, buf),
            Self::Unsubscribe(p) => p.put_body(version, buf),
            Self::UnsubAck(p) => p.put_body(version, buf),
            Self::PingReq | Self::PingResp => {}
            Self::Disconnect(p) => p.put_body(version, buf),
            Self::Auth(p) => p.put_body(buf),
        }
    }
}

/// [`Packet::decode`] into `slot`.
fn decode_whole(version: ProtocolVersion, bytes: Bytes, slot: &mut Packet) -> Result<(), DecodeError> {
    let header = parse_fixed_header(&bytes, version)?
        .ok_or(DecodeError::IncompleteHeader { len: bytes.len() })?;
    let actual = bytes.len() - header.header_len;
    if actual != header.remaining_length {
        return Err(DecodeError::LengthMismatch {
            remaining_length: header.remaining_length,
            actual,
        });
    }
    let mut body = bytes;
    body.advance(header.header_len);
    decode_body_into(&header, version, body, slot)
}

/// Decodes the body of a packet whose fixed header was `header` into `slot`, which
/// the caller placed where the packet is returned: building packets in place spares
/// copying them (a `Packet` is large).
#[inline]
pub(crate) fn decode_body_into(
    header: &FixedHeader,
    version: ProtocolVersion,
    body: Bytes,
    slot: &mut Packet,
) -> Result<(), DecodeError> {
    let reader = &mut Reader::new(body, header.packet);
    *slot = match header.packet {
        PacketType::Connect => Packet::Connect(Connect::decode_body(reader)?),
        PacketType::ConnAck => Packet::ConnAck(ConnAck::decode_body(reader, version)?),
        PacketType::Publish => return Publish::decode_into(reader, version, header.flags, slot),
        PacketType::PubAck => Packet::PubAck(PubAck::decode_body(reader, version)?),
        PacketType::PubRec => Packet::PubRec(PubRec::decode_body(reader, version)?),
        PacketType::PubRel => Packet::PubRel(PubRel::decode_body(reader, version)?),
        PacketType::PubComp => Packet::PubComp(PubComp::decode_body(reader, version)?),
        PacketType::Subscribe => Packet::Subscribe(Subscribe::decode_body(reader, version)?),
        PacketType::SubAck => Packet::SubAck(SubAck::decode_body(reader, version)?),
        PacketType::Unsubscribe => Packet::Unsubscribe(Unsubscribe::decode_body(reader, version)?),
        PacketType::UnsubAck => Packet::UnsubAck(UnsubAck::decode_body(reader, version)?),
        PacketType::PingReq => {
            reader.finish("fixed header")?;
            Packet::PingReq
        }
        PacketType::PingResp => {
            reader.finish("fixed header")?;
            Packet::PingResp
        }
        PacketType::Disconnect => Packet::Disconnect(Disconnect::decode_body(reader, version)?),
        PacketType::Auth => Packet::Auth(Auth::decode_body(reader)?),
    };
    Ok(())
}
