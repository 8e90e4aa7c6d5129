//! Property tests of the codec: every valid packet of every protocol level survives
//! encode -> decode; the streaming decoder yields the same packets however the bytes
//! are split; arbitrary and corrupted bytes never panic and never yield a packet
//! larger than the limit.

use bytes::{Bytes, BytesMut};
use mqtt::{
    Auth, ByteStr, ConnAck, Connect, Decoder, Disconnect, LastWill, Packet, PacketType, Properties,
    PropertyContext, PropertyValues, ProtocolVersion, PubAck, PubComp, PubRec, PubRel, Publish,
    QoS, ReasonCode, RetainHandling, SubAck, Subscribe, SubscribeFilter, SubscriptionOptions,
    UnsubAck, Unsubscribe,
};
use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::select;

const MAX_VARINT: u32 = 268_435_455;

fn text() -> impl Strategy<Value = ByteStr> {
    "[^\\x00]{0,6}".prop_map(ByteStr::from)
}

fn topic_name() -> impl Strategy<Value = ByteStr> {
    "[a-z0-9/ é€]{1,10}".prop_map(ByteStr::from)
}

fn binary(max: usize) -> impl Strategy<Value = Bytes> {
    vec(any::<u8>(), 0..max).prop_map(Bytes::from)
}

fn some<S: Strategy>(strategy: S) -> impl Strategy<Value = Option<S::Value>> {
    weighted(0.25, strategy)
}

fn qos() -> impl Strategy<Value = QoS> {
    select(vec![QoS::AtMostOnce, QoS::AtLeastOnce, QoS::ExactlyOnce])
}

fn every_property() -> impl Strategy<Value = Properties> {
    let messages = (
        some(any::<bool>()),
        some(any::<u32>()),
        some(text()),
        some(text()),
        some(binary(6)),
        vec(1..=MAX_VARINT, 0..3),
        some(any::<u32>()),
        some(text()),
        some(any::<u16>()),
        some(text()),
        some(binary(6)),
        some(any::<bool>()),
    );
    let limits = (
        some(any::<u32>()),
        some(any::<bool>()),
        some(text()),
        some(text()),
        some(text()),
        some(1..=u16::MAX),
        some(any::<u16>()),
        some(1..=u16::MAX),
        some(select(vec![QoS::AtMostOnce, QoS::AtLeastOnce])),
        some(any::<bool>()),
        vec((text(), text()), 0..3),
        some(1..=u32::MAX),
    );
    let flags = (
        some(any::<bool>()),
        some(any::<bool>()),
        some(any::<bool>()),
    );
    (messages, limits, flags).prop_map(|(m, l, f)| {
        Properties::from(PropertyValues {
            payload_format_indicator: m.0,
            message_expiry_interval: m.1,
            content_type: m.2,
            response_topic: m.3,
            correlation_data: m.4,
            subscription_identifiers: m.5,
            session_expiry_interval: m.6,
            assigned_client_identifier: m.7,
            server_keep_alive: m.8,
            authentication_method: m.9,
            authentication_data: m.10,
            request_problem_information: m.11,
            will_delay_interval: l.0,
            request_response_information: l.1,
            response_information: l.2,
            server_reference: l.3,
            reason_string: l.4,
            receive_maximum: l.5,
            topic_alias_maximum: l.6,
            topic_alias: l.7,
            maximum_qos: l.8,
            retain_available: l.9,
            user_properties: l.10,
            maximum_packet_size: l.11,
            wildcard_subscription_available: f.0,
            subscription_identifier_available: f.1,
            shared_subscription_available: f.2,
        })
    })
}

/// Properties valid in `context` for `version`: none at all before MQTT 5.
fn properties(version: ProtocolVersion, context: PropertyContext) -> BoxedStrategy<Properties> {
    if !version.is_v5() {
        return Just(Properties::default()).boxed();
    }
    every_property()
        .prop_map(move |mut properties| {
            properties.retain_allowed_in(context);
            if context == PropertyContext::Packet(PacketType::Subscribe) {
                properties.subscription_identifiers.truncate(1);
            }
            if properties.authentication_method.is_none() {
                properties.authentication_data = None;
            }
            properties
        })
        .boxed()
}

fn on(packet: PacketType) -> PropertyContext {
    PropertyContext::Packet(packet)
}

/// Reason codes `version` can carry on `packet`.
fn code(version: ProtocolVersion, packet: PacketType) -> impl Strategy<Value = ReasonCode> {
    let codes: Vec<ReasonCode> = ReasonCode::ALL
        .iter()
        .copied()
        .filter(|code| code.allowed_on(packet))
        .filter(|code| match (version.is_v5(), packet) {
            (true, _) => true,
            (false, PacketType::ConnAck) => {
                mqtt::ConnectReturnCode::from_reason_code(*code).map(|c| c.to_reason_code())
                    == Some(*code)
            }
            (false, PacketType::SubAck) => {
                code.granted_qos().is_some() || *code == ReasonCode::UnspecifiedError
            }
            (false, _) => *code == ReasonCode::Success,
        })
        .collect();
    select(codes)
}

fn connect(version: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let client_id = match version {
        ProtocolVersion::V3_1 => "[a-zA-Z0-9]{1,23}".prop_map(ByteStr::from).boxed(),
        _ => text().boxed(),
    };
    let will = (
        text(),
        binary(8),
        qos(),
        any::<bool>(),
        properties(version, PropertyContext::Will),
    )
        .prop_map(|(topic, payload, qos, retain, properties)| LastWill {
            topic,
            payload,
            qos,
            retain,
            properties,
        });
    (
        any::<bool>(),
        any::<u16>(),
        client_id,
        some(will),
        some(text()),
        some(binary(8)),
        properties(version, on(PacketType::Connect)),
    )
        .prop_map(
            move |(clean_start, keep_alive, client_id, will, username, password, properties)| {
                let v311_needs_clean = version == ProtocolVersion::V3_1_1 && client_id.is_empty();
                let password = if version.is_v5() || username.is_some() {
                    password
                } else {
                    None
                };
                Packet::Connect(Box::new(Connect {
                    protocol: version,
                    clean_start: clean_start || v311_needs_clean,
                    keep_alive,
                    client_id,
                    will,
                    username,
                    password,
                    properties,
                }))
            },
        )
}

fn connack(version: ProtocolVersion) -> impl Strategy<Value = Packet> {
    (
        any::<bool>(),
        code(version, PacketType::ConnAck),
        properties(version, on(PacketType::ConnAck)),
    )
        .prop_map(move |(session_present, code, properties)| {
            Packet::ConnAck(ConnAck {
                session_present: session_present
                    && code == ReasonCode::Success
                    && version != ProtocolVersion::V3_1,
                code,
                properties,
            })
        })
}

fn publish(version: ProtocolVersion) -> impl Strategy<Value = Packet> {
    (
        any::<bool>(),
        qos(),
        any::<bool>(),
        topic_name(),
        1..=u16::MAX,
        properties(version, on(PacketType::Publish)),
        binary(300),
    )
        .prop_map(
            |(dup, qos, retain, topic, packet_id, properties, payload)| {
                let acknowledged = qos != QoS::AtMostOnce;
                Packet::Publish(Publish {
                    dup: dup && acknowledged,
                    qos,
                    retain,
                    topic,
                    packet_id: acknowledged.then_some(packet_id),
                    properties,
                    payload,
                })
            },
        )
}

fn publish_ack(version: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let packets = [
        PacketType::PubAck,
        PacketType::PubRec,
        PacketType::PubRel,
        PacketType::PubComp,
    ];
    select(packets.to_vec()).prop_flat_map(move |packet| {
        (
            1..=u16::MAX,
            code(version, packet),
            properties(version, on(packet)),
        )
            .prop_map(move |(packet_id, code, properties)| match packet {
                PacketType::PubAck => Packet::PubAck(PubAck {
                    packet_id,
                    code,
                    properties,
                }),
                PacketType::PubRec => Packet::PubRec(PubRec {
                    packet_id,
                    code,
                    properties,
                }),
                PacketType::PubRel => Packet::PubRel(PubRel {
                    packet_id,
                    code,
                    properties,
                }),
                _ => Packet::PubComp(PubComp {
                    packet_id,
                    code,
                    properties,
                }),
            })
    })
}

fn subscription_options(version: ProtocolVersion) -> impl Strategy<Value = SubscriptionOptions> {
    let handling = select(vec![
        RetainHandling::SendOnSubscribe,
        RetainHandling::SendIfNew,
        RetainHandling::DoNotSend,
    ]);
    (qos(), any::<bool>(), any::<bool>(), handling).prop_map(move |(qos, no_local, rap, rh)| {
        if version.is_v5() {
            SubscriptionOptions {
                qos,
                no_local,
                retain_as_published: rap,
                retain_handling: rh,
            }
        } else {
            SubscriptionOptions::with_qos(qos)
        }
    })
}

fn subscriptions(version: ProtocolVersion) -> impl Strategy<Value = Packet> {
    let filter = (text(), subscription_options(version))
        .prop_map(|(filter, options)| SubscribeFilter { filter, options });
    let subscribe = (
        1..=u16::MAX,
        vec(filter, 1..4),
        properties(version, on(PacketType::Subscribe)),
    )
        .prop_map(|(packet_id, filters, properties)| {
            Packet::Subscribe(Subscribe {
                packet_id,
                filters: filters.into(),
                properties,
            })
        });
    let suback = (
        1..=u16::MAX,
        vec(code(version, PacketType::SubAck), 1..4),
        properties(version, on(PacketType::SubAck)),
    )
        .prop_map(|(packet_id, codes, properties)| {
            Packet::SubAck(SubAck {
                packet_id,
                codes,
                properties,
            })
        });
    let unsubscribe = (
        1..=u16::MAX,
        vec(text(), 1..4),
        properties(version, on(PacketType::Unsubscribe)),
    )
        .prop_map(|(packet_id, filters, properties)| {
            Packet::Unsubscribe(Unsubscribe {
                packet_id,
                filters: filters.into(),
                properties,
            })
        });
    let unsuback = (
        1..=u16::MAX,
        vec(code(version, PacketType::UnsubAck), 1..4),
        properties(version, on(PacketType::UnsubAck)),
    )
        .prop_map(move |(packet_id, codes, properties)| {
            let codes = if version.is_v5() { codes } else { Vec::new() };
            Packet::UnsubAck(UnsubAck {
                packet_id,
                codes,
                properties,
            })
        });
    prop_oneof![subscribe, suback, unsubscribe, unsuback]
}

fn session_end(version: ProtocolVersion) -> BoxedStrategy<Packet> {
    let disconnect = (
        code(version, PacketType::Disconnect),
        properties(version, on(PacketType::Disconnect)),
    )
        .prop_map(|(code, properties)| Packet::Disconnect(Disconnect { code, properties }));
    if !version.is_v5() {
        return prop_oneof![Just(Packet::PingReq), Just(Packet::PingResp), disconnect].boxed();
    }
    let auth = (
        code(version, PacketType::Auth),
        properties(version, on(PacketType::Auth)),
    )
        .prop_map(|(code, properties)| Packet::Auth(Auth { code, properties }));
    prop_oneof![
        Just(Packet::PingReq),
        Just(Packet::PingResp),
        disconnect,
        auth
    ]
    .boxed()
}

/// Any packet valid for `version`.
fn packet(version: ProtocolVersion) -> impl Strategy<Value = Packet> {
    prop_oneof![
        1 => connect(version),
        1 => connack(version),
        3 => publish(version),
        2 => publish_ack(version),
        2 => subscriptions(version),
        1 => session_end(version),
    ]
}

fn version() -> impl Strategy<Value = ProtocolVersion> {
    select(ProtocolVersion::ALL.to_vec())
}

fn versioned_packets() -> impl Strategy<Value = (ProtocolVersion, Vec<Packet>)> {
    version().prop_flat_map(|version| (Just(version), vec(packet(version), 1..5)))
}

fn encode_all(version: ProtocolVersion, packets: &[Packet]) -> Vec<u8> {
    let mut buf = BytesMut::new();
    for packet in packets {
        packet
            .encode(version, &mut buf)
            .expect("generated packets are valid");
    }
    buf.to_vec()
}

/// Drains every packet the decoder has, stopping at the first error.
fn drain(decoder: &mut Decoder, out: &mut Vec<Packet>) -> Result<(), mqtt::DecodeError> {
    while let Some(packet) = decoder.next_packet()? {
        out.push(packet);
    }
    Ok(())
}

fn decoder_for(version: ProtocolVersion) -> Decoder {
    let mut decoder = Decoder::new(1 << 20);
    decoder.set_protocol(version);
    decoder
}

proptest! {
    #[test]
    fn every_packet_round_trips((version, packets) in versioned_packets()) {
        for packet in packets {
            let mut buf = BytesMut::new();
            packet.encode(version, &mut buf).expect("generated packets are valid");
            prop_assert_eq!(packet.encoded_len(version), Ok(buf.len()));
            let decoded = Packet::decode(version, buf.freeze());
            prop_assert_eq!(decoded, Ok(packet));
        }
    }

    #[test]
    fn any_split_point_yields_the_same_packets((version, packets) in versioned_packets()) {
        let bytes = encode_all(version, &packets);
        for split in 0..=bytes.len() {
            let (head, tail) = bytes.split_at(split);
            let mut decoder = decoder_for(version);
            let mut out = Vec::new();
            decoder.feed(head);
            drain(&mut decoder, &mut out).expect("valid stream");
            decoder.feed_bytes(Bytes::copy_from_slice(tail));
            drain(&mut decoder, &mut out).expect("valid stream");
            prop_assert_eq!(&out, &packets, "split at {}", split);
            prop_assert_eq!(decoder.buffered_len(), 0);
        }
    }

    #[test]
    fn random_chunks_yield_the_same_packets(
        (version, packets) in versioned_packets(),
        sizes in vec(1usize..40, 1..64),
        as_bytes in vec(any::<bool>(), 64),
    ) {
        let bytes = encode_all(version, &packets);
        let mut decoder = decoder_for(version);
        let mut out = Vec::new();
        let mut rest = &bytes[..];
        let mut turn = 0;
        while !rest.is_empty() {
            let size = sizes[turn % sizes.len()].min(rest.len());
            let (chunk, tail) = rest.split_at(size);
            if as_bytes[turn % as_bytes.len()] {
                decoder.feed_bytes(Bytes::copy_from_slice(chunk));
            } else {
                decoder.feed(chunk);
            }
            // Sometimes feed twice before asking.
            if turn % 3 != 1 {
                drain(&mut decoder, &mut out).expect("valid stream");
            }
            rest = tail;
            turn += 1;
        }
        drain(&mut decoder, &mut out).expect("valid stream");
        prop_assert_eq!(out, packets);
    }

    #[test]
    fn random_bytes_never_panic_nor_exceed_the_limit(
        version in version(),
        limit in 2usize..300,
        bytes in vec(any::<u8>(), 0..600),
        chunk in 1usize..64,
    ) {
        let _ = Packet::decode(version, Bytes::copy_from_slice(&bytes));
        let mut decoder = Decoder::new(limit);
        decoder.set_protocol(version);
        for piece in bytes.chunks(chunk) {
            decoder.feed(piece);
            loop {
                let before = decoder.buffered_len();
                match decoder.next_packet() {
                    Ok(Some(_)) => prop_assert!(before - decoder.buffered_len() <= limit),
                    Ok(None) | Err(_) => break,
                }
            }
        }
    }

    #[test]
    fn corrupted_packets_never_panic(
        (version, packets) in versioned_packets(),
        flips in vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let mut bytes = encode_all(version, &packets);
        for (index, value) in flips {
            let at = index.index(bytes.len());
            bytes[at] = value;
        }
        let mut decoder = decoder_for(version);
        decoder.feed(&bytes);
        let mut out = Vec::new();
        let _ = drain(&mut decoder, &mut out);
        // Whatever did decode encodes again.
        for packet in out {
            let mut buf = BytesMut::new();
            let _ = packet.encode(version, &mut buf);
        }
    }
}
