//! Our codec against rumqttc's, side by side in one run: decoding a buffer of many
//! packets back to back to its end, and encoding the same packets into a buffer.
//! The cases are PUBLISH with 16 B to 64 KiB payloads at QoS 0 and 1, in MQTT 3.1.1
//! and 5.0 (5.0 with a content type, a user property and a message expiry), a
//! stream of every packet type both codecs know, and that stream's SUBSCRIBE and
//! UNSUBSCRIBE each on their own.
//!
//! Both sides get the same bytes: we encode the packets once, rumqttc decodes those
//! bytes into its own structs, and each side encodes its own structs. Setup checks
//! that rumqttc reads every packet and writes as many bytes as we do, so neither side
//! does less work. Each decode iteration starts from a fresh `BytesMut`, built outside
//! the timed part (eight at a time, see `DECODE_BATCH`), because that is what a network
//! read hands both decoders.
//!
//! Times are the benchmark thread's CPU time (see `support/cpu_time.rs`), so that
//! other work on the machine does not land in the measurement, and freed buffers
//! stay in the process (see `support/heap.rs`), so that returning memory to the
//! kernel does not either.
//!
//! Run: `cargo bench -p mqtt --bench codec`. Results are in BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use mqtt::{
    ConnAck, Connect, Decoder, Disconnect, LastWill, Packet, PacketType, Properties,
    PropertyValues, ProtocolVersion, PubAck, PubComp, PubRec, PubRel, Publish, QoS, ReasonCode,
    SubAck, Subscribe, SubscribeFilter, UnsubAck, Unsubscribe,
};
use rumqttc::mqttbytes::v4 as rumqtt_v4;
use rumqttc::v5::mqttbytes::v5 as rumqtt_v5;

#[path = "support/cpu_time.rs"]
mod cpu_time;
#[path = "support/heap.rs"]
mod heap;
use cpu_time::ThreadCpuTime;

/// Roughly how many bytes each decode buffer holds.
const TARGET_BUFFER_BYTES: usize = 1 << 20;
/// Even the largest payloads are decoded this many times per buffer.
const MIN_PACKETS: usize = 16;
const MAX_PACKET_SIZE: usize = 1 << 24;
/// Decode buffers timed together, by one pair of clock readings. Reading the
/// thread's CPU clock is a system call, and the time between two readings with
/// nothing in between measures about 375 ns here: with criterion's `LargeInput`
/// batches (one to six buffers for the 64 KiB cases, about 1 µs each to decode)
/// that was added to both codecs' time per buffer and swung with the batch size.
/// Eight 1 MiB buffers make it about 47 ns per buffer and still fit in the
/// last-level cache, where a buffer just received would be.
const DECODE_BATCH: u64 = 8;
const TOPIC: &str = "sensors/building-7/floor-3/room-12/temperature";
const PAYLOAD_SIZES: [(usize, &str); 4] =
    [(16, "16B"), (256, "256B"), (4096, "4KiB"), (65536, "64KiB")];

/// The packets of one case, as each codec holds them, and their encoding.
struct Case {
    name: String,
    version: ProtocolVersion,
    ours: Vec<Packet>,
    theirs: Theirs,
    bytes: Bytes,
}

enum Theirs {
    V4(Vec<rumqtt_v4::Packet>),
    V5(Vec<rumqtt_v5::Packet>),
}

impl Case {
    fn new(name: String, version: ProtocolVersion, built: Vec<Packet>) -> Self {
        let mut buf = BytesMut::new();
        for packet in &built {
            packet
                .encode(version, &mut buf)
                .expect("bench packets are valid");
        }
        let bytes = buf.freeze();
        // Each side encodes what it decoded from its own copy of the bytes, so
        // that both read payloads spread over a buffer as a broker forwarding
        // them would (built here, every packet of a case shared one payload).
        let ours = read_all_ours(version, &bytes);
        let mut again = BytesMut::new();
        for packet in &ours {
            packet
                .encode(version, &mut again)
                .expect("decoded packets are valid");
        }
        assert_eq!(again, bytes, "{name}: what we decoded encodes differently");
        let theirs = match version {
            ProtocolVersion::V5 => Theirs::V5(read_all_v5(&bytes)),
            _ => Theirs::V4(read_all_v4(&bytes)),
        };
        assert_eq!(
            theirs.len(),
            ours.len(),
            "{name}: rumqttc read fewer packets"
        );
        assert_eq!(
            theirs.encode().len(),
            bytes.len(),
            "{name}: rumqttc writes a different number of bytes"
        );
        Self {
            name,
            version,
            ours,
            theirs,
            bytes,
        }
    }

    fn decode_ours(&self, buf: BytesMut) -> usize {
        let mut decoder = Decoder::new(MAX_PACKET_SIZE);
        decoder.set_protocol(self.version);
        decoder.feed_bytes(buf.freeze());
        let mut count = 0;
        loop {
            match decoder.next_packet() {
                Ok(Some(packet)) => consume(&packet),
                Ok(None) => return count,
                Err(error) => panic!(
                    "{}: our decoder refused the bench bytes: {error}",
                    self.name
                ),
            }
            count += 1;
        }
    }

    fn encode_ours(&self, buf: &mut BytesMut) {
        buf.clear();
        for packet in &self.ours {
            packet
                .encode(self.version, buf)
                .expect("bench packets are valid");
        }
    }
}

impl Theirs {
    fn len(&self) -> usize {
        match self {
            Self::V4(packets) => packets.len(),
            Self::V5(packets) => packets.len(),
        }
    }

    fn decode(&self, mut buf: BytesMut) -> usize {
        let mut count = 0;
        while !buf.is_empty() {
            match self {
                Self::V4(_) => match rumqtt_v4::read(&mut buf, MAX_PACKET_SIZE) {
                    Ok(packet) => consume(&packet),
                    Err(error) => panic!("rumqttc v4 refused the bench bytes: {error:?}"),
                },
                Self::V5(_) => match rumqtt_v5::Packet::read(&mut buf, Some(MAX_PACKET_SIZE)) {
                    Ok(packet) => consume(&packet),
                    Err(error) => panic!("rumqttc v5 refused the bench bytes: {error:?}"),
                },
            }
            count += 1;
        }
        count
    }

    fn encode_into(&self, buf: &mut BytesMut) {
        buf.clear();
        match self {
            Self::V4(packets) => packets.iter().for_each(|packet| write_v4(packet, buf)),
            Self::V5(packets) => packets.iter().for_each(|packet| {
                packet.write(buf).expect("rumqttc v5 write");
            }),
        }
    }

    fn encode(&self) -> BytesMut {
        let mut buf = BytesMut::new();
        self.encode_into(&mut buf);
        buf
    }
}

/// Hands a decoded packet to the optimiser's black box by reference: the benchmark
/// adds no copy of its own beyond what matching on the decoder's result costs.
#[inline(always)]
fn consume<T>(packet: &T) {
    black_box(packet);
}

/// A copy of `bytes` starting at a page boundary. The encode benches copy each
/// payload from the buffer its packet was decoded from; at 4 KiB and 64 KiB they
/// are mostly `memcpy`, whose speed depends on where source and destination lie
/// relative to each other. Both sides' sources start the same way and the
/// destination is the same buffer, so neither gets the luckier placement.
fn page_aligned_copy(bytes: &[u8]) -> BytesMut {
    const PAGE: usize = 4096;
    let mut buf = BytesMut::with_capacity(bytes.len() + PAGE);
    let offset = buf.as_ptr().align_offset(PAGE);
    buf.resize(offset, 0);
    buf.extend_from_slice(bytes);
    buf.advance(offset);
    buf
}

fn read_all_ours(version: ProtocolVersion, bytes: &Bytes) -> Vec<Packet> {
    let mut decoder = Decoder::new(MAX_PACKET_SIZE);
    decoder.set_protocol(version);
    decoder.feed_bytes(page_aligned_copy(bytes).freeze());
    std::iter::from_fn(|| decoder.next_packet().expect("we read our bytes")).collect()
}

fn read_all_v4(bytes: &Bytes) -> Vec<rumqtt_v4::Packet> {
    let mut buf = page_aligned_copy(bytes);
    std::iter::from_fn(|| (!buf.is_empty()).then(|| rumqtt_v4::read(&mut buf, MAX_PACKET_SIZE)))
        .map(|packet| packet.expect("rumqttc v4 reads our bytes"))
        .collect()
}

fn read_all_v5(bytes: &Bytes) -> Vec<rumqtt_v5::Packet> {
    let mut buf = page_aligned_copy(bytes);
    std::iter::from_fn(|| {
        (!buf.is_empty()).then(|| rumqtt_v5::Packet::read(&mut buf, Some(MAX_PACKET_SIZE)))
    })
    .map(|packet| packet.expect("rumqttc v5 reads our bytes"))
    .collect()
}

/// rumqttc 0.24 has no `write` on its 3.1.1 `Packet`, only on each packet type.
fn write_v4(packet: &rumqtt_v4::Packet, buf: &mut BytesMut) {
    use rumqtt_v4::Packet as P;
    let written = match packet {
        P::Connect(connect) => connect.write(buf),
        P::ConnAck(connack) => connack.write(buf),
        P::Publish(publish) => publish.write(buf),
        P::PubAck(puback) => puback.write(buf),
        P::PubRec(pubrec) => pubrec.write(buf),
        P::PubRel(pubrel) => pubrel.write(buf),
        P::PubComp(pubcomp) => pubcomp.write(buf),
        P::Subscribe(subscribe) => subscribe.write(buf),
        P::SubAck(suback) => suback.write(buf),
        P::Unsubscribe(unsubscribe) => unsubscribe.write(buf),
        P::UnsubAck(unsuback) => unsuback.write(buf),
        P::PingReq => rumqtt_v4::PingReq.write(buf),
        P::PingResp => rumqtt_v4::PingResp.write(buf),
        P::Disconnect => rumqtt_v4::Disconnect.write(buf),
    };
    written.expect("rumqttc v4 write");
}

// ---- the packets ----

/// Bytes that look like a sensor reading, cycled to `len`.
fn payload(len: usize) -> Bytes {
    let reading = br#"{"t":21.5,"rh":40.2,"co2":612,"ts":1795000000}"#;
    reading
        .iter()
        .copied()
        .cycle()
        .take(len)
        .collect::<Vec<u8>>()
        .into()
}

fn v5_message_properties() -> Properties {
    Properties::from(PropertyValues {
        content_type: Some("application/json".into()),
        user_properties: vec![("source".into(), "deck-bench".into())],
        message_expiry_interval: Some(3600),
        ..PropertyValues::default()
    })
}

fn publish(version: ProtocolVersion, qos: QoS, packet_id: u16, payload: Bytes) -> Publish {
    let mut publish = Publish::new(TOPIC, payload);
    publish.qos = qos;
    publish.packet_id = (qos != QoS::AtMostOnce).then_some(packet_id.max(1));
    if version.is_v5() {
        publish.properties = v5_message_properties();
    }
    publish
}

fn publish_case(version: ProtocolVersion, qos: QoS, (size, label): (usize, &str)) -> Case {
    let packet_len = size + TOPIC.len() + 64;
    let count = (TARGET_BUFFER_BYTES / packet_len).max(MIN_PACKETS);
    let payload = payload(size);
    let packets = (1..=count)
        .map(|n| Packet::Publish(publish(version, qos, n as u16, payload.clone())))
        .collect();
    let name = format!(
        "publish_{}_qos{}_{label}",
        version_tag(version),
        qos.level()
    );
    Case::new(name, version, packets)
}

/// One of each packet type rumqttc also knows (AUTH is MQTT 5 only and not in
/// rumqttc), with PUBLISH at all three QoS levels, repeated to fill the buffer.
fn mixed_case(version: ProtocolVersion) -> Case {
    let round = mixed_round(version);
    let round_len: usize = round
        .iter()
        .map(|packet| {
            packet
                .encoded_len(version)
                .expect("bench packets are valid")
        })
        .sum();
    let rounds = TARGET_BUFFER_BYTES / round_len;
    let packets = std::iter::repeat_n(round, rounds).flatten().collect();
    Case::new(format!("mixed_{}", version_tag(version)), version, packets)
}

/// A stream of only the mixed stream's packets of type `kind`, repeated to fill
/// the buffer (SUBSCRIBE or UNSUBSCRIBE measured on their own).
fn single_type_case(version: ProtocolVersion, kind: PacketType) -> Case {
    let packet = mixed_round(version)
        .into_iter()
        .find(|packet| packet.packet_type() == kind)
        .expect("the mixed stream has every type but AUTH");
    let len = packet
        .encoded_len(version)
        .expect("bench packets are valid");
    let packets = vec![packet; TARGET_BUFFER_BYTES / len];
    let name = format!(
        "{}_{}",
        format!("{kind:?}").to_lowercase(),
        version_tag(version)
    );
    Case::new(name, version, packets)
}

fn mixed_round(version: ProtocolVersion) -> Vec<Packet> {
    let mut connect = Connect::new(version, "deck-bench-client");
    connect.username = Some("deck".into());
    connect.password = Some(Bytes::from_static(b"secret"));
    connect.will = Some(LastWill::new(
        "clients/deck-bench-client/status",
        "offline",
        QoS::AtLeastOnce,
    ));
    let filters = vec![
        SubscribeFilter::new("sensors/+/temperature", QoS::AtLeastOnce),
        SubscribeFilter::new("alerts/#", QoS::ExactlyOnce),
    ];
    // rumqttc 0.24 refuses the short MQTT 5 DISCONNECT forms (no reason code, or a
    // reason code without properties), so the 5.0 stream's DISCONNECT has a property.
    let mut disconnect = Disconnect::new(ReasonCode::Success);
    if version.is_v5() {
        disconnect.properties.reason_string = Some("bench finished".into());
    }
    vec![
        Packet::Connect(Box::new(connect)),
        Packet::ConnAck(ConnAck::new(ReasonCode::Success)),
        Packet::Publish(publish(version, QoS::AtMostOnce, 0, payload(64))),
        Packet::Publish(publish(version, QoS::AtLeastOnce, 7, payload(512))),
        Packet::PubAck(PubAck::new(7)),
        Packet::Publish(publish(version, QoS::ExactlyOnce, 8, payload(2048))),
        Packet::PubRec(PubRec::new(8)),
        Packet::PubRel(PubRel::new(8)),
        Packet::PubComp(PubComp::new(8)),
        Packet::Subscribe(Subscribe::new(9, filters)),
        Packet::SubAck(SubAck::new(
            9,
            vec![ReasonCode::GrantedQoS1, ReasonCode::GrantedQoS2],
        )),
        Packet::Unsubscribe(Unsubscribe::new(10, vec!["alerts/#".into()])),
        Packet::UnsubAck(UnsubAck::new(10, vec![ReasonCode::Success])),
        Packet::PingReq,
        Packet::PingResp,
        Packet::Disconnect(disconnect),
    ]
}

fn version_tag(version: ProtocolVersion) -> &'static str {
    match version {
        ProtocolVersion::V5 => "v5",
        _ => "v4",
    }
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for version in [ProtocolVersion::V3_1_1, ProtocolVersion::V5] {
        for qos in [QoS::AtMostOnce, QoS::AtLeastOnce] {
            for size in PAYLOAD_SIZES {
                cases.push(publish_case(version, qos, size));
            }
        }
        cases.push(mixed_case(version));
        for kind in [PacketType::Subscribe, PacketType::Unsubscribe] {
            cases.push(single_type_case(version, kind));
        }
    }
    cases
}

// ---- the measurements ----

fn fresh_copy(bytes: &Bytes) -> impl Fn() -> BytesMut + '_ {
    move || BytesMut::from(&bytes[..])
}

fn codec(c: &mut Criterion<ThreadCpuTime>) {
    heap::keep_freed_memory();
    for case in cases() {
        let expected = case.ours.len();
        let mut decode = c.benchmark_group(format!("decode/{}", case.name));
        decode.throughput(Throughput::Bytes(case.bytes.len() as u64));
        decode.bench_function("mqtt", |b| {
            b.iter_batched(
                fresh_copy(&case.bytes),
                |buf| assert_eq!(case.decode_ours(buf), expected),
                BatchSize::NumIterations(DECODE_BATCH),
            )
        });
        decode.bench_function("rumqttc", |b| {
            b.iter_batched(
                fresh_copy(&case.bytes),
                |buf| assert_eq!(case.theirs.decode(buf), expected),
                BatchSize::NumIterations(DECODE_BATCH),
            )
        });
        decode.finish();

        let mut encode = c.benchmark_group(format!("encode/{}", case.name));
        encode.throughput(Throughput::Bytes(case.bytes.len() as u64));
        let mut buf = BytesMut::with_capacity(case.bytes.len());
        encode.bench_function("mqtt", |b| {
            b.iter(|| {
                case.encode_ours(&mut buf);
                black_box(buf.len())
            })
        });
        encode.bench_function("rumqttc", |b| {
            b.iter(|| {
                case.theirs.encode_into(&mut buf);
                black_box(buf.len())
            })
        });
        encode.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .with_measurement(ThreadCpuTime)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = codec
}
criterion_main!(benches);
