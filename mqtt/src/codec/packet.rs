//! `Packet`'s encode and decode entry points: the fixed header here, the rest in each
//! packet's own file.

use bytes::{Buf, Bytes, BytesMut};

use crate::codec::decode::decode_body;
use crate::codec::header::{parse_fixed_header, put_fixed_header, FixedHeader};
use crate::codec::spare::{fixed_first_byte, put_empty_packet};
use crate::codec::varint::{varint_len, MAX_VARINT};
use crate::error::{DecodeError, EncodeError};
use crate::packet::filter_list::FilterListPacket;
use crate::packet::{ConnAck, Packet, SubAck, Subscribe, UnsubAck, Unsubscribe};
use crate::protocol::{PacketType, ProtocolVersion};

/// Measures and writes a packet body whose length and bytes depend on the version.
macro_rules! versioned_body {
    ($buf:expr, $kind:expr, $body:expr, $version:expr) => {
        framed($buf, $kind, $body.body_len($version), |buf| {
            $body.put_body($version, buf)
        })
    };
}

impl Packet {
    /// Appends the packet, encoded for `version`, to `buf`. CONNECT encodes for its
    /// own `protocol`. For 3.1 / 3.1.1, properties and MQTT 5-only options are left out
    /// and reason codes become the older codes; a code that cannot be expressed is
    /// an error. Nothing is appended on error.
    #[inline(always)]
    pub fn encode(&self, version: ProtocolVersion, buf: &mut BytesMut) -> Result<(), EncodeError> {
        // One dispatch, inlined into the caller, straight to a function of each
        // kind of packet that writes its usual form and only says whether it did;
        // anything else takes the general path, out of line. With every kind
        // inlined here, each packet paid for saving and restoring the registers
        // that the largest of them needs; with several kinds behind one function,
        // a second dispatch on the type in there cost a mispredicted jump in a
        // stream of mixed types; with the dispatch out of line, every packet paid
        // for a call more, and for a `Result` returned through memory and read
        // back by the caller.
        let written = match self {
            Self::Publish(p) if version.is_v5() => p.encode_usual_v5(buf),
            Self::Publish(p) => p.encode_usual_v3(buf),
            Self::PubAck(p) => usual_form(p, version, buf, |p, _, buf| p.encode_if_usual(buf)),
            Self::PubRec(p) => usual_form(p, version, buf, |p, _, buf| p.encode_if_usual(buf)),
            Self::PubRel(p) => usual_form(p, version, buf, |p, _, buf| p.encode_if_usual(buf)),
            Self::PubComp(p) => usual_form(p, version, buf, |p, _, buf| p.encode_if_usual(buf)),
            Self::PingReq => usual_form(&(), version, buf, |_, _, buf| {
                put_empty_packet(buf, PacketType::PingReq);
                true
            }),
            Self::PingResp => usual_form(&(), version, buf, |_, _, buf| {
                put_empty_packet(buf, PacketType::PingResp);
                true
            }),
            Self::Subscribe(p) => usual_form(p, version, buf, Subscribe::encode_if_usual),
            Self::Unsubscribe(p) => usual_form(p, version, buf, Unsubscribe::encode_if_usual),
            Self::Connect(p) => usual_form(p, version, buf, |p, _, buf| p.encode_if_usual(buf)),
            Self::ConnAck(p) => usual_form(p, version, buf, ConnAck::encode_if_usual),
            Self::SubAck(p) => usual_form(p, version, buf, SubAck::encode_if_usual),
            Self::UnsubAck(p) => usual_form(p, version, buf, UnsubAck::encode_if_usual),
            Self::Disconnect(p) => usual_form(p, version, buf, |p, _, buf| p.encode_if_usual(buf)),
            Self::Auth(_) => false,
        };
        if written {
            return Ok(());
        }
        self.encode_measured(version, buf)
    }

    /// The general path of every packet whose usual form was not written:
    /// measured through each field's checks, which also report what is wrong,
    /// then written. Out of line and cold, so that the callers of `encode` do not
    /// pay for its registers.
    #[cold]
    #[inline(never)]
    fn encode_measured(
        &self,
        version: ProtocolVersion,
        buf: &mut BytesMut,
    ) -> Result<(), EncodeError> {
        use PacketType as T;
        match self {
            Self::PubAck(p) => versioned_body!(buf, T::PubAck, p, version),
            Self::PubRec(p) => versioned_body!(buf, T::PubRec, p, version),
            Self::PubRel(p) => versioned_body!(buf, T::PubRel, p, version),
            Self::PubComp(p) => versioned_body!(buf, T::PubComp, p, version),
            // `encode` always writes pings itself; these keep the match whole.
            Self::PingReq => framed(buf, T::PingReq, Ok(0), |_| {}),
            Self::PingResp => framed(buf, T::PingResp, Ok(0), |_| {}),
            Self::Connect(p) => framed(buf, T::Connect, p.body_len(), |buf| p.put_body(buf)),
            Self::ConnAck(p) => versioned_body!(buf, T::ConnAck, p, version),
            Self::Subscribe(p) => versioned_body!(buf, T::Subscribe, p, version),
            Self::SubAck(p) => versioned_body!(buf, T::SubAck, p, version),
            Self::Unsubscribe(p) => versioned_body!(buf, T::Unsubscribe, p, version),
            Self::UnsubAck(p) => versioned_body!(buf, T::UnsubAck, p, version),
            Self::Disconnect(p) => versioned_body!(buf, T::Disconnect, p, version),
            Self::Auth(p) => framed(buf, T::Auth, p.body_len(version), |buf| p.put_body(buf)),
            Self::Publish(p) => write_framed(
                buf,
                T::Publish,
                p.first_byte(),
                p.body_len(version),
                |buf| p.put_body(version, buf),
            ),
        }
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
        let header = whole_packet_header(version, &bytes)?;
        let mut body = bytes;
        body.advance(header.header_len);
        decode_body(&header, version, body, &mut None)
    }

    fn remaining_length(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        checked_remaining_length(self.packet_type(), self.body_len(version)?)
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
}

/// One kind of packet's usual form, written by `encode` (an `encode_if_usual`):
/// out of line, instantiated once for each kind, each with only the registers
/// its own form needs. Says whether it wrote the packet.
#[inline(never)]
fn usual_form<P: ?Sized>(
    packet: &P,
    version: ProtocolVersion,
    buf: &mut BytesMut,
    encode: impl FnOnce(&P, ProtocolVersion, &mut BytesMut) -> bool,
) -> bool {
    encode(packet, version, buf)
}

/// Appends a packet whose body measures `body_len` (or failed to) and is written
/// by `put_body`: checks the length, reserves once, then writes. Inlined, so that
/// each packet type's measuring and writing are inlined into its arm of the match.
#[inline(always)]
fn write_framed(
    buf: &mut BytesMut,
    packet: PacketType,
    first_byte: u8,
    body_len: Result<usize, EncodeError>,
    put_body: impl FnOnce(&mut BytesMut),
) -> Result<(), EncodeError> {
    let remaining_length = checked_remaining_length(packet, body_len?)?;
    buf.reserve(1 + varint_len(remaining_length as u32) + remaining_length);
    put_fixed_header(buf, first_byte, remaining_length);
    put_body(buf);
    Ok(())
}

/// [`write_framed`] for every packet type but PUBLISH, whose first byte is fixed.
#[inline(always)]
fn framed(
    buf: &mut BytesMut,
    packet: PacketType,
    body_len: Result<usize, EncodeError>,
    put_body: impl FnOnce(&mut BytesMut),
) -> Result<(), EncodeError> {
    write_framed(buf, packet, fixed_first_byte(packet), body_len, put_body)
}

/// `len` if a remaining length can express it.
#[inline]
fn checked_remaining_length(packet: PacketType, len: usize) -> Result<usize, EncodeError> {
    if len > MAX_VARINT as usize {
        return Err(EncodeError::PacketTooLarge {
            packet,
            remaining_length: len,
        });
    }
    Ok(len)
}

/// Checks the fixed header of a whole packet.
fn whole_packet_header(
    version: ProtocolVersion,
    bytes: &Bytes,
) -> Result<FixedHeader, DecodeError> {
    let header = parse_fixed_header(bytes, version)?
        .ok_or(DecodeError::IncompleteHeader { len: bytes.len() })?;
    let actual = bytes.len() - header.header_len;
    if actual != header.remaining_length {
        return Err(DecodeError::LengthMismatch {
            remaining_length: header.remaining_length,
            actual,
        });
    }
    Ok(header)
}
