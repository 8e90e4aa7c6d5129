//! Fuzz target for the sans-I/O client session: a session connected to a pretend
//! server receives arbitrary bytes in arbitrary chunks, interleaved with the time
//! passing, publishes, subscriptions and reconnects. It must never panic, and
//! whatever it writes to the transport must be well-formed packets of its protocol.
//!
//! Input: one configuration byte, then a program of one-byte operations, some
//! followed by their argument bytes (see `Operation::next`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt::client::{ClientSession, ConnectOptions, PROTOCOL_MAX_PACKET_SIZE};
use mqtt::{
    ConnAck, Decoder, OutgoingPublish, Packet, Properties, ProtocolVersion, QoS, ReasonCode,
    SubscribeFilter,
};

/// More operations than this add run time but little coverage.
const MAX_OPERATIONS: usize = 512;

fuzz_target!(|data: &[u8]| {
    let Some((&config, mut program)) = data.split_first() else {
        return;
    };
    let mut harness = Harness::new(config);
    for _ in 0..MAX_OPERATIONS {
        let Some(operation) = Operation::next(&mut program) else {
            break;
        };
        harness.run(operation);
        harness.drain();
    }
});

/// One step of the fuzz program.
enum Operation<'a> {
    /// Bytes from the server.
    Receive(&'a [u8]),
    /// Milliseconds passing, then any timer that is due.
    Wait(u64),
    Publish(QoS, u8),
    Subscribe(QoS),
    Unsubscribe,
    /// The transport closes; the session reconnects and the server accepts.
    Reconnect {
        session_present: bool,
    },
    Disconnect,
}

impl<'a> Operation<'a> {
    fn next(program: &mut &'a [u8]) -> Option<Self> {
        let (&op, rest) = program.split_first()?;
        *program = rest;
        let high = op >> 4;
        Some(match op & 0x0F {
            0..=7 => {
                let len = usize::from(high) * 8 + usize::from(op & 0x07) + 1;
                let (bytes, rest) = program.split_at(len.min(program.len()));
                *program = rest;
                Self::Receive(bytes)
            }
            8 | 9 => Self::Wait(u64::from(high) * 5_000),
            10 => Self::Publish(qos(high), high),
            11 => Self::Subscribe(qos(high)),
            12 => Self::Unsubscribe,
            13 | 14 => Self::Reconnect {
                session_present: high & 1 == 1,
            },
            _ => Self::Disconnect,
        })
    }
}

fn qos(bits: u8) -> QoS {
    match bits % 3 {
        0 => QoS::AtMostOnce,
        1 => QoS::AtLeastOnce,
        _ => QoS::ExactlyOnce,
    }
}

/// A session, the time, and the server's view of what the session sent.
struct Harness {
    session: ClientSession,
    now: u64,
    /// Decodes what the session writes, as the server would.
    sent: Decoder,
    connack: Vec<u8>,
}

impl Harness {
    fn new(config: u8) -> Self {
        let protocol = match config & 0b11 {
            0 => ProtocolVersion::V3_1,
            1 => ProtocolVersion::V3_1_1,
            _ => ProtocolVersion::V5,
        };
        let mut options = ConnectOptions::new(protocol, "fuzz");
        options.clean_start = config & 0b100 != 0;
        options.outgoing_topic_aliases = config & 0b1000 != 0;
        if protocol.is_v5() {
            options.topic_alias_maximum = (config & 0b1_0000 != 0).then_some(4);
            options.receive_maximum = (config & 0b10_0000 != 0).then_some(2);
            options.session_expiry_interval = (config & 0b100_0000 != 0).then_some(60);
        }
        let mut harness = Self {
            session: ClientSession::new(options),
            now: 0,
            sent: Decoder::new(PROTOCOL_MAX_PACKET_SIZE as usize),
            connack: connack(protocol, config & 0b1000_0000 != 0),
        };
        harness.connect(false);
        harness
    }

    /// Connects on a fresh transport and lets the server accept.
    fn connect(&mut self, session_present: bool) {
        if self.session.connect(self.now).is_err() {
            return;
        }
        self.sent = Decoder::new(PROTOCOL_MAX_PACKET_SIZE as usize);
        self.drain();
        let mut connack = self.connack.clone();
        if session_present {
            // Byte 2 holds the acknowledge flags in every protocol level.
            if let Some(flags) = connack.get_mut(2) {
                *flags = 1;
            }
        }
        let _ = self.session.handle_bytes(self.now, &connack);
    }

    fn run(&mut self, operation: Operation<'_>) {
        let now = self.now;
        let session = &mut self.session;
        match operation {
            Operation::Receive(bytes) => {
                let _ = session.handle_bytes(now, bytes);
            }
            Operation::Wait(ms) => {
                self.now = now.saturating_add(ms);
                if session.poll_timeout().is_some_and(|due| due <= self.now) {
                    session.handle_timeout(self.now);
                }
            }
            Operation::Publish(qos, n) => {
                let message = OutgoingPublish::new(format!("fuzz/{}", n % 4), vec![n; 8]);
                let _ = session.publish(now, message.with_qos(qos));
            }
            Operation::Subscribe(qos) => {
                let filters = vec![SubscribeFilter::new("fuzz/+", qos)];
                let _ = session.subscribe(now, filters, Properties::default());
            }
            Operation::Unsubscribe => {
                let _ = session.unsubscribe(now, ["fuzz/+"], Properties::default());
            }
            Operation::Reconnect { session_present } => {
                session.transport_closed(now, "fuzz");
                self.connect(session_present);
            }
            Operation::Disconnect => {
                let _ = session.disconnect(now, ReasonCode::Success, Properties::default());
            }
        }
    }

    /// Takes everything the session has for the transport and the application, and
    /// checks that the server could decode every byte it sent.
    fn drain(&mut self) {
        while let Some(bytes) = self.session.poll_transmit() {
            self.sent.feed_bytes(bytes);
            loop {
                match self.sent.next_packet() {
                    Ok(Some(_)) => {}
                    Ok(None) => break,
                    Err(error) => panic!("the session sent a malformed packet: {error}"),
                }
            }
        }
        while self.session.poll_event().is_some() {}
    }
}

/// The CONNACK the pretend server sends; in MQTT 5 it announces limits the session
/// has to respect.
fn connack(protocol: ProtocolVersion, limits: bool) -> Vec<u8> {
    let mut connack = ConnAck::new(ReasonCode::Success);
    if protocol.is_v5() && limits {
        connack.properties.receive_maximum = Some(2);
        connack.properties.topic_alias_maximum = Some(2);
        connack.properties.maximum_qos = Some(QoS::AtLeastOnce);
        connack.properties.server_keep_alive = Some(5);
    }
    let mut buf = bytes::BytesMut::new();
    match Packet::ConnAck(connack).encode(protocol, &mut buf) {
        Ok(()) => buf.to_vec(),
        Err(error) => panic!("the pretend server's CONNACK does not encode: {error}"),
    }
}
