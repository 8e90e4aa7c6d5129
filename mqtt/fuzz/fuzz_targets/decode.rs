//! Fuzz target for the streaming decoder: arbitrary bytes, cut into arbitrary chunks,
//! through a decoder of every protocol level and through a server-side decoder that
//! learns the level from CONNECT. The decoder must never panic, must yield the same
//! packets and the same error however the stream is chunked, and every packet it
//! yields that encodes again must decode back to itself.
//!
//! The first input byte seeds the chunking; the rest is the stream.

#![no_main]

use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;
use mqtt::{DecodeError, Decoder, Packet, ProtocolVersion};

/// Small enough that a fuzz input can exceed it, large enough for real packets.
const MAX_PACKET_SIZE: usize = 16 * 1024;

/// `None` is a server that has not yet seen CONNECT.
const PROTOCOLS: [Option<ProtocolVersion>; 4] = [
    None,
    Some(ProtocolVersion::V3_1),
    Some(ProtocolVersion::V3_1_1),
    Some(ProtocolVersion::V5),
];

fuzz_target!(|data: &[u8]| {
    let Some((&seed, stream)) = data.split_first() else {
        return;
    };
    for protocol in PROTOCOLS {
        let whole = decode_whole(protocol, stream);
        let chunked = decode_chunked(protocol, stream, seed);
        assert_eq!(
            whole, chunked,
            "chunking changed the outcome ({protocol:?})"
        );
        for (version, packet) in &whole.packets {
            check_round_trip(*version, packet);
        }
    }
});

/// What a decoder made of a stream: the packets, each with the level it was decoded
/// with, and the error that ended it, if any.
#[derive(Debug, PartialEq)]
struct Outcome {
    packets: Vec<(ProtocolVersion, Packet)>,
    error: Option<DecodeError>,
}

fn new_decoder(protocol: Option<ProtocolVersion>) -> Decoder {
    let mut decoder = Decoder::new(MAX_PACKET_SIZE);
    if let Some(protocol) = protocol {
        decoder.set_protocol(protocol);
    }
    decoder
}

fn decode_whole(protocol: Option<ProtocolVersion>, stream: &[u8]) -> Outcome {
    let mut decoder = new_decoder(protocol);
    let mut outcome = Outcome {
        packets: Vec::new(),
        error: None,
    };
    decoder.feed_bytes(Bytes::copy_from_slice(stream));
    drain(&mut decoder, &mut outcome);
    outcome
}

/// Feeds `stream` in chunks of 1 to 64 bytes chosen from `seed`, alternating between
/// the copying and the zero-copy entry points.
fn decode_chunked(protocol: Option<ProtocolVersion>, stream: &[u8], seed: u8) -> Outcome {
    let mut decoder = new_decoder(protocol);
    let mut outcome = Outcome {
        packets: Vec::new(),
        error: None,
    };
    let mut state = u32::from(seed) | 0x100;
    let mut rest = stream;
    while !rest.is_empty() && outcome.error.is_none() {
        // xorshift32: a cheap, deterministic sequence of chunk lengths.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let len = (state as usize % 64 + 1).min(rest.len());
        let (chunk, tail) = rest.split_at(len);
        rest = tail;
        if state & 0x8000 == 0 {
            decoder.feed(chunk);
        } else {
            decoder.feed_bytes(Bytes::copy_from_slice(chunk));
        }
        drain(&mut decoder, &mut outcome);
    }
    outcome
}

fn drain(decoder: &mut Decoder, outcome: &mut Outcome) {
    loop {
        match decoder.next_packet() {
            Ok(Some(packet)) => {
                let version = decoder.protocol().unwrap_or(ProtocolVersion::V5);
                outcome.packets.push((version, packet));
            }
            Ok(None) => return,
            Err(error) => {
                outcome.error = Some(error);
                return;
            }
        }
    }
}

/// A decoded packet that the encoder accepts must come back unchanged.
fn check_round_trip(version: ProtocolVersion, packet: &Packet) {
    let mut buf = BytesMut::new();
    if packet.encode(version, &mut buf).is_err() {
        return;
    }
    assert_eq!(packet.encoded_len(version), Ok(buf.len()));
    let again = Packet::decode(version, buf.freeze());
    assert_eq!(again.as_ref(), Ok(packet), "re-encoding changed the packet");
}
