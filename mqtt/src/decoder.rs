//! The streaming decoder: bytes in, in any chunking; whole packets out. The fixed
//! header is checked against the maximum packet size before any of the body is
//! buffered, and packets fed as `Bytes` are sliced out without copying when they
//! arrive whole.

use bytes::{Buf, Bytes, BytesMut};

use crate::codec::decode::decode_body;
use crate::codec::header::{parse_fixed_header, FixedHeader};
use crate::error::DecodeError;
use crate::packet::Packet;
use crate::protocol::{PacketType, ProtocolVersion};

/// The longest fixed header: one type byte and a four-byte remaining length.
const MAX_HEADER_LEN: usize = 5;

/// A streaming packet decoder with a maximum packet size.
///
/// Until [`Decoder::set_protocol`] is called, packets other than CONNECT decode as
/// MQTT 5, and the first CONNECT decoded sets the protocol to its own level, which
/// is what a server needs. A client calls `set_protocol` up front.
///
/// After an error the stream cannot be resynchronised: every later call returns the
/// same error.
#[derive(Debug)]
pub struct Decoder {
    /// The start of the next packet, when it arrived in pieces. Always precedes `chunk`.
    buffer: BytesMut,
    /// Bytes fed as `Bytes` and not yet consumed; packets are sliced from it directly.
    chunk: Bytes,
    max_packet_size: usize,
    protocol: Option<ProtocolVersion>,
    /// The error that stopped the stream, repeated by every later call. Boxed: every
    /// connection keeps a decoder for its whole life, and almost none ever fails.
    failed: Option<Box<DecodeError>>,
}

impl Decoder {
    /// A decoder refusing packets of more than `max_packet_size` bytes, fixed header
    /// included (the meaning of MQTT 5's Maximum Packet Size).
    pub fn new(max_packet_size: usize) -> Self {
        Self {
            buffer: BytesMut::new(),
            chunk: Bytes::new(),
            max_packet_size,
            protocol: None,
            failed: None,
        }
    }

    /// The protocol level that packets other than CONNECT are decoded with.
    pub fn set_protocol(&mut self, protocol: ProtocolVersion) {
        self.protocol = Some(protocol);
    }

    /// The protocol level set or learnt from CONNECT, if any.
    pub fn protocol(&self) -> Option<ProtocolVersion> {
        self.protocol
    }

    /// The largest packet accepted, in bytes.
    pub fn max_packet_size(&self) -> usize {
        self.max_packet_size
    }

    /// Changes the largest packet accepted, e.g. after CONNECT negotiated it.
    pub fn set_max_packet_size(&mut self, max_packet_size: usize) {
        self.max_packet_size = max_packet_size;
    }

    /// Bytes received but not yet returned as packets.
    pub fn buffered_len(&self) -> usize {
        self.buffer.len() + self.chunk.len()
    }

    /// Appends received bytes.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.spill_chunk();
        self.buffer.extend_from_slice(bytes);
    }

    /// Appends received bytes, keeping whole packets in them zero-copy.
    pub fn feed_bytes(&mut self, bytes: Bytes) {
        // Keep the stream in order: whatever is left of the previous chunk goes first.
        self.spill_chunk();
        self.chunk = bytes;
    }

    /// The next whole packet, or `Ok(None)` when more bytes are needed.
    pub fn next_packet(&mut self) -> Result<Option<Packet>, DecodeError> {
        if let Some(error) = &self.failed {
            return Err(DecodeError::clone(error));
        }
        let (header, mut body) = match self.next_frame() {
            Ok(Some(frame)) => frame,
            Ok(None) => return Ok(None),
            Err(error) => return Err(self.fail(error)),
        };
        body.advance(header.header_len);
        if header.packet == PacketType::Connect && self.protocol.is_none() {
            return self.first_connect(&header, body);
        }
        let mut failed = None;
        // Returned as is: the packet is built in our caller's return slot.
        let decoded = decode_body(&header, self.version(), body, &mut failed);
        self.keep_failure(failed);
        decoded
    }

    /// Decodes the first CONNECT of a server's stream, which sets the protocol.
    #[cold]
    fn first_connect(
        &mut self,
        header: &FixedHeader,
        body: Bytes,
    ) -> Result<Option<Packet>, DecodeError> {
        let mut failed = None;
        let packet: Result<Packet, DecodeError> =
            decode_body(header, self.version(), body, &mut failed);
        self.keep_failure(failed);
        if let Ok(Packet::Connect(connect)) = &packet {
            self.protocol = Some(connect.protocol);
        }
        packet.map(Some)
    }

    fn fail(&mut self, error: DecodeError) -> DecodeError {
        self.failed = Some(Box::new(error.clone()));
        error
    }

    /// Keeps the error a packet's body failed with, if it did.
    #[inline]
    fn keep_failure(&mut self, failed: Option<DecodeError>) {
        if let Some(error) = failed {
            self.failed = Some(Box::new(error));
        }
    }

    #[inline]
    fn version(&self) -> ProtocolVersion {
        self.protocol.unwrap_or(ProtocolVersion::V5)
    }

    /// Splits the next whole packet off the stream, with its parsed fixed header.
    fn next_frame(&mut self) -> Result<Option<(FixedHeader, Bytes)>, DecodeError> {
        loop {
            if self.buffer.is_empty() {
                return self.frame_from_chunk();
            }
            match self.header(&self.buffer)? {
                None => {
                    // At most four header bytes are buffered: complete the header.
                    let wanted = MAX_HEADER_LEN.saturating_sub(self.buffer.len());
                    if !self.move_from_chunk(wanted) {
                        return Ok(None);
                    }
                }
                Some(header) => {
                    let missing = header.packet_len().saturating_sub(self.buffer.len());
                    if missing > 0 {
                        self.buffer.reserve(missing);
                        self.move_from_chunk(missing);
                        if self.buffer.len() < header.packet_len() {
                            return Ok(None);
                        }
                    }
                    let bytes = self.buffer.split_to(header.packet_len()).freeze();
                    return Ok(Some((header, bytes)));
                }
            }
        }
    }

    /// The zero-copy path: the next packet starts at the beginning of `chunk`.
    #[inline]
    fn frame_from_chunk(&mut self) -> Result<Option<(FixedHeader, Bytes)>, DecodeError> {
        if self.chunk.is_empty() {
            return Ok(None);
        }
        match self.header(&self.chunk)? {
            Some(header) if self.chunk.len() >= header.packet_len() => {
                let bytes = self.chunk.split_to(header.packet_len());
                Ok(Some((header, bytes)))
            }
            Some(header) => {
                self.buffer.reserve(header.packet_len());
                self.spill_chunk();
                Ok(None)
            }
            None => {
                self.spill_chunk();
                Ok(None)
            }
        }
    }

    /// The fixed header at the start of `bytes`, refused if the packet is too large.
    #[inline]
    fn header(&self, bytes: &[u8]) -> Result<Option<FixedHeader>, DecodeError> {
        let Some(header) = parse_fixed_header(bytes, self.version())? else {
            return Ok(None);
        };
        if header.packet_len() > self.max_packet_size {
            return Err(DecodeError::PacketTooLarge {
                remaining_length: header.remaining_length,
                size: header.packet_len(),
                max: self.max_packet_size,
            });
        }
        Ok(Some(header))
    }

    /// Moves up to `len` bytes from `chunk` to `buffer`; false if there were none.
    fn move_from_chunk(&mut self, len: usize) -> bool {
        let len = len.min(self.chunk.len());
        if len == 0 {
            return false;
        }
        let moved = self.chunk.split_to(len);
        self.buffer.extend_from_slice(&moved);
        true
    }

    fn spill_chunk(&mut self) {
        if !self.chunk.is_empty() {
            self.buffer.extend_from_slice(&self.chunk);
            self.chunk = Bytes::new();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::{Connect, PubAck, Publish};

    fn encoded(packets: &[Packet], version: ProtocolVersion) -> Bytes {
        let mut buf = BytesMut::new();
        for packet in packets {
            packet.encode(version, &mut buf).expect("valid packet");
        }
        buf.freeze()
    }

    #[test]
    fn a_bad_body_keeps_failing_with_the_same_error() {
        // A wildcard in a topic name is only found while decoding the body.
        let mut bytes = encoded(&[Publish::new("a/b", "x").into()], ProtocolVersion::V5).to_vec();
        let slash = bytes.iter().position(|byte| *byte == b'/').expect("topic");
        bytes[slash + 1] = b'#';
        bytes.extend_from_slice(&encoded(&[PubAck::new(1).into()], ProtocolVersion::V5));
        let mut decoder = Decoder::new(1 << 10);
        decoder.set_protocol(ProtocolVersion::V5);
        decoder.feed_bytes(Bytes::from(bytes));
        let first = decoder.next_packet();
        assert!(
            matches!(first, Err(DecodeError::TopicNameInvalid { .. })),
            "{first:?}"
        );
        assert_eq!(decoder.next_packet(), first);
    }

    #[test]
    fn the_first_connect_sets_the_protocol_of_what_follows() {
        let connect = Connect::new(ProtocolVersion::V3_1_1, "client");
        let publish = Publish::new("a/b", "x");
        let bytes = encoded(
            &[connect.clone().into(), publish.clone().into()],
            ProtocolVersion::V3_1_1,
        );
        let mut decoder = Decoder::new(1 << 10);
        decoder.feed_bytes(bytes);
        assert_eq!(decoder.next_packet(), Ok(Some(connect.into())));
        assert_eq!(decoder.protocol(), Some(ProtocolVersion::V3_1_1));
        assert_eq!(decoder.next_packet(), Ok(Some(publish.into())));
        assert_eq!(decoder.next_packet(), Ok(None));
    }
}
