//! A scripted MQTT server in memory for the session tests: it decodes what the
//! session sends with the codec and answers with packets it encodes, so every
//! assertion is about bytes a real server would see.

#![allow(dead_code)]

use bytes::BytesMut;
use mqtt::client::{ClientSession, ConnectOptions, Event, SessionError};
use mqtt::{ConnAck, Decoder, Packet, Properties, ProtocolVersion, ReasonCode};

/// The server end of one in-memory connection.
pub struct Peer {
    pub version: ProtocolVersion,
    decoder: Decoder,
}

impl Peer {
    pub fn new(version: ProtocolVersion) -> Self {
        let mut decoder = Decoder::new(1 << 24);
        decoder.set_protocol(version);
        Self { version, decoder }
    }

    /// Every packet the session has queued for sending, decoded.
    pub fn received(&mut self, session: &mut ClientSession) -> Vec<Packet> {
        while let Some(bytes) = session.poll_transmit() {
            self.decoder.feed(&bytes);
        }
        let mut packets = Vec::new();
        while let Some(packet) = self
            .decoder
            .next_packet()
            .expect("the session sent a valid packet")
        {
            packets.push(packet);
        }
        packets
    }

    /// The one packet the session sent.
    pub fn received_one(&mut self, session: &mut ClientSession) -> Packet {
        let mut packets = self.received(session);
        assert_eq!(packets.len(), 1, "expected one packet, got {packets:#?}");
        packets.remove(0)
    }

    pub fn encode(&self, packet: &Packet) -> BytesMut {
        let mut bytes = BytesMut::new();
        packet
            .encode(self.version, &mut bytes)
            .expect("test packet encodes");
        bytes
    }

    /// Sends `packet` to the session.
    pub fn send(
        &self,
        session: &mut ClientSession,
        now: u64,
        packet: impl Into<Packet>,
    ) -> Result<(), SessionError> {
        let bytes = self.encode(&packet.into());
        session.handle_bytes(now, &bytes)
    }
}

/// Every event queued, in order.
pub fn events(session: &mut ClientSession) -> Vec<Event> {
    std::iter::from_fn(|| session.poll_event()).collect()
}

/// The events other than the packet inspector's.
pub fn app_events(session: &mut ClientSession) -> Vec<Event> {
    events(session)
        .into_iter()
        .filter(|event| {
            !matches!(
                event,
                Event::PacketSent { .. } | Event::PacketReceived { .. }
            )
        })
        .collect()
}

pub fn options(version: ProtocolVersion) -> ConnectOptions {
    ConnectOptions::new(version, "test-client")
}

/// A session connected at time 0 with `connack`, everything polled away.
pub fn connect_with(options: ConnectOptions, connack: ConnAck) -> (ClientSession, Peer) {
    let mut peer = Peer::new(options.protocol);
    let mut session = ClientSession::new(options);
    session.connect(0).expect("connect");
    let connect = peer.received_one(&mut session);
    assert!(matches!(connect, Packet::Connect(_)), "{connect:?}");
    peer.send(&mut session, 0, connack)
        .expect("CONNACK accepted");
    let _ = events(&mut session);
    (session, peer)
}

/// A session connected at time 0 with a plain successful CONNACK.
pub fn connected(options: ConnectOptions) -> (ClientSession, Peer) {
    connect_with(options, ConnAck::new(ReasonCode::Success))
}

/// A successful CONNACK with `properties`.
pub fn connack_with(properties: Properties) -> ConnAck {
    ConnAck {
        session_present: false,
        code: ReasonCode::Success,
        properties,
    }
}
