//! Byte-exact vectors for MQTT 5.0, written by hand from the OASIS 5.0 spec (2019).
//! Together they carry every property identifier of table 2-4 at least once. Each
//! vector is checked both ways: encode to exactly these bytes, decode back.

use bytes::{Bytes, BytesMut};
use mqtt::{
    Auth, ByteStr, ConnAck, Connect, Disconnect, LastWill, Packet, Properties, PropertyValues,
    ProtocolVersion, PubAck, PubComp, PubRec, PubRel, Publish, QoS, ReasonCode, RetainHandling,
    SubAck, Subscribe, SubscribeFilter, SubscriptionOptions, UnsubAck, Unsubscribe,
};

const V5: ProtocolVersion = ProtocolVersion::V5;

fn both_ways(packet: Packet, bytes: &[u8]) {
    let mut buf = BytesMut::new();
    packet.encode(V5, &mut buf).expect("encodes");
    assert_eq!(&buf[..], bytes, "encoding {packet:?}");
    assert_eq!(packet.encoded_len(V5), Ok(bytes.len()));
    assert_eq!(
        Packet::decode(V5, Bytes::copy_from_slice(bytes)),
        Ok(packet),
        "decoding {bytes:02X?}"
    );
}

fn s(text: &str) -> ByteStr {
    ByteStr::from(text)
}

fn user(key: &str, value: &str) -> Vec<(ByteStr, ByteStr)> {
    vec![(s(key), s(value))]
}

// Spec 3.1: CONNECT with properties 0x11, 0x15, 0x16, 0x17, 0x19, 0x21, 0x22, 0x26,
// 0x27 and will properties 0x01, 0x02, 0x03, 0x08, 0x09, 0x18, 0x26, written in
// ascending identifier order.
#[test]
fn connect_with_every_connect_and_will_property() {
    let will = LastWill {
        topic: s("w"),
        payload: Bytes::from_static(b"by"),
        qos: QoS::ExactlyOnce,
        retain: true,
        properties: Properties::from(PropertyValues {
            payload_format_indicator: Some(true),
            message_expiry_interval: Some(60),
            content_type: Some(s("text")),
            response_topic: Some(s("r")),
            correlation_data: Some(Bytes::from_static(&[0xAB, 0xCD])),
            will_delay_interval: Some(5),
            user_properties: user("a", "b"),
            ..PropertyValues::default()
        }),
    };
    let packet = Packet::Connect(Box::new(Connect {
        protocol: V5,
        clean_start: true,
        keep_alive: 30,
        client_id: s("cid"),
        will: Some(will),
        username: Some(s("u")),
        password: Some(Bytes::from_static(b"p")),
        properties: Properties::from(PropertyValues {
            session_expiry_interval: Some(120),
            authentication_method: Some(s("abc")),
            authentication_data: Some(Bytes::from_static(&[1, 2])),
            request_problem_information: Some(false),
            request_response_information: Some(true),
            receive_maximum: Some(20),
            topic_alias_maximum: Some(10),
            user_properties: user("k", "v"),
            maximum_packet_size: Some(4096),
            ..PropertyValues::default()
        }),
    }));
    #[rustfmt::skip]
    let bytes = [
        0x10, 103,
        0x00, 0x04, b'M', b'Q', b'T', b'T', 0x05,
        0xF6,                                   // user, password, will retain, will QoS 2, will, clean start
        0x00, 0x1E,                             // keep alive 30
        38,                                     // property length
        0x11, 0x00, 0x00, 0x00, 0x78,           // Session Expiry Interval 120
        0x15, 0x00, 0x03, b'a', b'b', b'c',     // Authentication Method
        0x16, 0x00, 0x02, 0x01, 0x02,           // Authentication Data
        0x17, 0x00,                             // Request Problem Information 0
        0x19, 0x01,                             // Request Response Information 1
        0x21, 0x00, 0x14,                       // Receive Maximum 20
        0x22, 0x00, 0x0A,                       // Topic Alias Maximum 10
        0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v', // User Property
        0x27, 0x00, 0x00, 0x10, 0x00,           // Maximum Packet Size 4096
        0x00, 0x03, b'c', b'i', b'd',           // client identifier
        35,                                     // will property length
        0x01, 0x01,                             // Payload Format Indicator 1
        0x02, 0x00, 0x00, 0x00, 0x3C,           // Message Expiry Interval 60
        0x03, 0x00, 0x04, b't', b'e', b'x', b't', // Content Type
        0x08, 0x00, 0x01, b'r',                 // Response Topic
        0x09, 0x00, 0x02, 0xAB, 0xCD,           // Correlation Data
        0x18, 0x00, 0x00, 0x00, 0x05,           // Will Delay Interval 5
        0x26, 0x00, 0x01, b'a', 0x00, 0x01, b'b', // User Property
        0x00, 0x01, b'w',                       // will topic
        0x00, 0x02, b'b', b'y',                 // will payload
        0x00, 0x01, b'u',                       // user name
        0x00, 0x01, b'p',                       // password
    ];
    both_ways(packet, &bytes);
}

// Spec 3.1.2.11: the property length is present even when zero; MQTT 5 allows a
// password without a user name (3.1.2.9).
#[test]
fn connect_minimal_and_password_only() {
    let packet = Packet::Connect(Box::new(Connect {
        password: Some(Bytes::from_static(b"p")),
        ..Connect::new(V5, "")
    }));
    #[rustfmt::skip]
    let bytes = [
        0x10, 16,
        0x00, 0x04, b'M', b'Q', b'T', b'T', 0x05,
        0x42, 0x00, 0x3C,
        0x00,                                   // no properties
        0x00, 0x00,                             // empty client identifier
        0x00, 0x01, b'p',
    ];
    both_ways(packet, &bytes);
}

// Spec 3.2: CONNACK with every CONNACK property: 0x11, 0x12, 0x13, 0x15, 0x16, 0x1A,
// 0x1C, 0x1F, 0x21, 0x22, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A.
#[test]
fn connack_with_every_connack_property() {
    let packet = Packet::ConnAck(ConnAck {
        session_present: true,
        code: ReasonCode::Success,
        properties: Properties::from(PropertyValues {
            session_expiry_interval: Some(0xFFFF_FFFF),
            assigned_client_identifier: Some(s("id")),
            server_keep_alive: Some(30),
            authentication_method: Some(s("m")),
            authentication_data: Some(Bytes::from_static(b"d")),
            response_information: Some(s("r")),
            server_reference: Some(s("s")),
            reason_string: Some(s("ok")),
            receive_maximum: Some(10),
            topic_alias_maximum: Some(5),
            maximum_qos: Some(QoS::AtLeastOnce),
            retain_available: Some(false),
            user_properties: user("k", "v"),
            maximum_packet_size: Some(65536),
            wildcard_subscription_available: Some(true),
            subscription_identifier_available: Some(false),
            shared_subscription_available: Some(true),
            ..PropertyValues::default()
        }),
    });
    #[rustfmt::skip]
    let bytes = [
        0x20, 65,
        0x01,                                   // session present
        0x00,                                   // Success
        62,                                     // property length
        0x11, 0xFF, 0xFF, 0xFF, 0xFF,           // Session Expiry Interval
        0x12, 0x00, 0x02, b'i', b'd',           // Assigned Client Identifier
        0x13, 0x00, 0x1E,                       // Server Keep Alive 30
        0x15, 0x00, 0x01, b'm',                 // Authentication Method
        0x16, 0x00, 0x01, b'd',                 // Authentication Data
        0x1A, 0x00, 0x01, b'r',                 // Response Information
        0x1C, 0x00, 0x01, b's',                 // Server Reference
        0x1F, 0x00, 0x02, b'o', b'k',           // Reason String
        0x21, 0x00, 0x0A,                       // Receive Maximum 10
        0x22, 0x00, 0x05,                       // Topic Alias Maximum 5
        0x24, 0x01,                             // Maximum QoS 1
        0x25, 0x00,                             // Retain Available 0
        0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v', // User Property
        0x27, 0x00, 0x01, 0x00, 0x00,           // Maximum Packet Size 65536
        0x28, 0x01,                             // Wildcard Subscription Available
        0x29, 0x00,                             // Subscription Identifier Available
        0x2A, 0x01,                             // Shared Subscription Available
    ];
    both_ways(packet, &bytes);
}

// Spec 3.2.2.2: a refusal carries its reason code; no properties is a zero length.
#[test]
fn connack_refused() {
    both_ways(
        Packet::ConnAck(ConnAck::new(ReasonCode::NotAuthorized)),
        &[0x20, 0x03, 0x00, 0x87, 0x00],
    );
}

// A 3.1.1 server refuses a 5.0 CONNECT in its own format: return code 1, no
// properties. A 5.0 client reads that as Unsupported Protocol Version.
#[test]
fn connack_from_v311_server_refusing_v5() {
    assert_eq!(
        Packet::decode(V5, Bytes::from_static(&[0x20, 0x02, 0x00, 0x01])),
        Ok(Packet::ConnAck(ConnAck::new(
            ReasonCode::UnsupportedProtocolVersion
        )))
    );
}

// Spec 3.3: PUBLISH properties 0x01, 0x02, 0x03, 0x08, 0x09, 0x0B (twice, the
// second a two-byte variable byte integer), 0x23, 0x26.
#[test]
fn publish_with_every_publish_property() {
    let packet = Packet::Publish(Publish {
        dup: false,
        qos: QoS::AtLeastOnce,
        retain: false,
        topic: s("a/b"),
        packet_id: Some(5),
        properties: Properties::from(PropertyValues {
            payload_format_indicator: Some(true),
            message_expiry_interval: Some(10),
            content_type: Some(s("j")),
            response_topic: Some(s("r")),
            correlation_data: Some(Bytes::from_static(b"c")),
            subscription_identifiers: vec![1, 128],
            topic_alias: Some(3),
            user_properties: user("k", "v"),
            ..PropertyValues::default()
        }),
        payload: Bytes::from_static(b"hi"),
    });
    #[rustfmt::skip]
    let bytes = [
        0x32, 44,
        0x00, 0x03, b'a', b'/', b'b',
        0x00, 0x05,
        34,                                     // property length
        0x01, 0x01,                             // Payload Format Indicator
        0x02, 0x00, 0x00, 0x00, 0x0A,           // Message Expiry Interval 10
        0x03, 0x00, 0x01, b'j',                 // Content Type
        0x08, 0x00, 0x01, b'r',                 // Response Topic
        0x09, 0x00, 0x01, b'c',                 // Correlation Data
        0x0B, 0x01,                             // Subscription Identifier 1
        0x0B, 0x80, 0x01,                       // Subscription Identifier 128
        0x23, 0x00, 0x03,                       // Topic Alias 3
        0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v', // User Property
        b'h', b'i',
    ];
    both_ways(packet, &bytes);
}

// Spec 3.3.2.3.4: with a Topic Alias the topic name may be empty.
#[test]
fn publish_empty_topic_with_alias() {
    let packet = Packet::Publish(Publish {
        properties: Properties::from(PropertyValues {
            topic_alias: Some(1),
            ..PropertyValues::default()
        }),
        ..Publish::new("", Bytes::from_static(b"x"))
    });
    both_ways(
        packet,
        &[0x30, 0x07, 0x00, 0x00, 0x03, 0x23, 0x00, 0x01, b'x'],
    );
}

// Spec 3.4 - 3.7: the reason code and property length are left out when not needed.
#[test]
fn publish_acknowledgements() {
    both_ways(Packet::PubAck(PubAck::new(5)), &[0x40, 0x02, 0x00, 0x05]);
    both_ways(
        Packet::PubAck(PubAck::with_code(5, ReasonCode::NoMatchingSubscribers)),
        &[0x40, 0x03, 0x00, 0x05, 0x10],
    );
    let refused = PubAck {
        properties: Properties::from(PropertyValues {
            reason_string: Some(s("x")),
            ..PropertyValues::default()
        }),
        ..PubAck::with_code(5, ReasonCode::UnspecifiedError)
    };
    both_ways(
        Packet::PubAck(refused),
        &[0x40, 0x08, 0x00, 0x05, 0x80, 0x04, 0x1F, 0x00, 0x01, b'x'],
    );
    both_ways(
        Packet::PubRec(PubRec::with_code(6, ReasonCode::QuotaExceeded)),
        &[0x50, 0x03, 0x00, 0x06, 0x97],
    );
    both_ways(
        Packet::PubRel(PubRel::with_code(6, ReasonCode::PacketIdentifierNotFound)),
        &[0x62, 0x03, 0x00, 0x06, 0x92],
    );
    let comp = PubComp {
        properties: Properties::from(PropertyValues {
            user_properties: user("k", "v"),
            ..PropertyValues::default()
        }),
        ..PubComp::new(6)
    };
    both_ways(
        Packet::PubComp(comp),
        &[
            0x70, 0x0B, 0x00, 0x06, 0x00, 0x07, 0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v',
        ],
    );
}

// Spec 3.4.2.2.1: a success code with an empty property length is also accepted.
#[test]
fn publish_ack_with_explicit_empty_properties() {
    assert_eq!(
        Packet::decode(
            V5,
            Bytes::from_static(&[0x40, 0x04, 0x00, 0x05, 0x00, 0x00])
        ),
        Ok(Packet::PubAck(PubAck::new(5)))
    );
}

// Spec 3.8: subscription options byte 0x2D = QoS 1 | No Local | Retain As Published |
// Retain Handling 2; 0x10 = QoS 0, Retain Handling 1.
#[test]
fn subscribe_with_options_and_identifier() {
    let packet = Packet::Subscribe(Subscribe {
        packet_id: 7,
        filters: vec![
            SubscribeFilter {
                filter: s("a/+"),
                options: SubscriptionOptions {
                    qos: QoS::AtLeastOnce,
                    no_local: true,
                    retain_as_published: true,
                    retain_handling: RetainHandling::DoNotSend,
                },
            },
            SubscribeFilter {
                filter: s("b"),
                options: SubscriptionOptions {
                    retain_handling: RetainHandling::SendIfNew,
                    ..SubscriptionOptions::default()
                },
            },
        ]
        .into(),
        properties: Properties::from(PropertyValues {
            subscription_identifiers: vec![42],
            user_properties: user("k", "v"),
            ..PropertyValues::default()
        }),
    });
    #[rustfmt::skip]
    let bytes = [
        0x82, 22,
        0x00, 0x07,
        9,                                      // property length
        0x0B, 0x2A,                             // Subscription Identifier 42
        0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v',
        0x00, 0x03, b'a', b'/', b'+', 0x2D,
        0x00, 0x01, b'b', 0x10,
    ];
    both_ways(packet, &bytes);
}

// Spec 3.9: SUBACK reason codes after the properties.
#[test]
fn suback() {
    let packet = Packet::SubAck(SubAck {
        packet_id: 7,
        codes: vec![
            ReasonCode::GrantedQoS1,
            ReasonCode::GRANTED_QOS_0,
            ReasonCode::SharedSubscriptionsNotSupported,
        ],
        properties: Properties::from(PropertyValues {
            reason_string: Some(s("ok")),
            ..PropertyValues::default()
        }),
    });
    both_ways(
        packet,
        &[
            0x90, 0x0B, 0x00, 0x07, 0x05, 0x1F, 0x00, 0x02, b'o', b'k', 0x01, 0x00, 0x9E,
        ],
    );
}

// Spec 3.10 and 3.11.
#[test]
fn unsubscribe_and_unsuback() {
    both_ways(
        Packet::Unsubscribe(Unsubscribe::new(8, vec![s("a/+"), s("b")])),
        &[
            0xA2, 0x0B, 0x00, 0x08, 0x00, 0x00, 0x03, b'a', b'/', b'+', 0x00, 0x01, b'b',
        ],
    );
    let ack = UnsubAck {
        properties: Properties::from(PropertyValues {
            user_properties: user("k", "v"),
            ..PropertyValues::default()
        }),
        ..UnsubAck::new(
            8,
            vec![ReasonCode::Success, ReasonCode::NoSubscriptionExisted],
        )
    };
    #[rustfmt::skip]
    let bytes = [
        0xB0, 12, 0x00, 0x08,
        0x07, 0x26, 0x00, 0x01, b'k', 0x00, 0x01, b'v',
        0x00, 0x11,
    ];
    both_ways(Packet::UnsubAck(ack), &bytes);
}

// Spec 3.12 and 3.13.
#[test]
fn ping() {
    both_ways(Packet::PingReq, &[0xC0, 0x00]);
    both_ways(Packet::PingResp, &[0xD0, 0x00]);
}

// Spec 3.14: remaining length 0 means Normal disconnection; a lone reason code; and
// a reason code with properties 0x11 and 0x1C.
#[test]
fn disconnect() {
    both_ways(Packet::Disconnect(Disconnect::default()), &[0xE0, 0x00]);
    both_ways(
        Packet::Disconnect(Disconnect::new(ReasonCode::DisconnectWithWillMessage)),
        &[0xE0, 0x01, 0x04],
    );
    let moved = Disconnect {
        code: ReasonCode::SessionTakenOver,
        properties: Properties::from(PropertyValues {
            session_expiry_interval: Some(0),
            server_reference: Some(s("s")),
            ..PropertyValues::default()
        }),
    };
    #[rustfmt::skip]
    let bytes = [
        0xE0, 11, 0x8E,
        9,
        0x11, 0x00, 0x00, 0x00, 0x00,
        0x1C, 0x00, 0x01, b's',
    ];
    both_ways(Packet::Disconnect(moved), &bytes);
}

// Spec 3.15: AUTH, empty for plain success, otherwise code and properties 0x15,
// 0x16, 0x1F.
#[test]
fn auth() {
    both_ways(Packet::Auth(Auth::default()), &[0xF0, 0x00]);
    let step = Auth {
        code: ReasonCode::ContinueAuthentication,
        properties: Properties::from(PropertyValues {
            authentication_method: Some(s("abc")),
            authentication_data: Some(Bytes::from_static(&[1])),
            reason_string: Some(s("x")),
            ..PropertyValues::default()
        }),
    };
    #[rustfmt::skip]
    let bytes = [
        0xF0, 16, 0x18,
        14,
        0x15, 0x00, 0x03, b'a', b'b', b'c',
        0x16, 0x00, 0x01, 0x01,
        0x1F, 0x00, 0x01, b'x',
    ];
    both_ways(Packet::Auth(step), &bytes);
    both_ways(
        Packet::Auth(Auth::new(ReasonCode::ReAuthenticate)),
        &[0xF0, 0x02, 0x19, 0x00],
    );
}

// Spec 3.9 and 3.11: SUBACK and UNSUBACK without properties carry the identifier,
// an empty property list and one code per filter, for any number of codes; a
// short one is written as one word, a longer one piece by piece.
#[test]
fn suback_and_unsuback_of_one_to_six_codes() {
    let suback_codes = [
        ReasonCode::GrantedQoS1,
        ReasonCode::GrantedQoS2,
        ReasonCode::GRANTED_QOS_0,
        ReasonCode::NotAuthorized,
        ReasonCode::GrantedQoS1,
        ReasonCode::QuotaExceeded,
    ];
    let unsuback_codes = [
        ReasonCode::Success,
        ReasonCode::NoSubscriptionExisted,
        ReasonCode::NotAuthorized,
        ReasonCode::Success,
        ReasonCode::UnspecifiedError,
        ReasonCode::Success,
    ];
    for count in 1..=6 {
        let codes = &suback_codes[..count];
        let mut bytes = vec![0x90, 3 + count as u8, 0x01, 0x02, 0x00];
        bytes.extend(codes.iter().map(|code| code.value()));
        both_ways(Packet::SubAck(SubAck::new(0x0102, codes.to_vec())), &bytes);

        let codes = &unsuback_codes[..count];
        let mut bytes = vec![0xB0, 3 + count as u8, 0x01, 0x02, 0x00];
        bytes.extend(codes.iter().map(|code| code.value()));
        both_ways(
            Packet::UnsubAck(UnsubAck::new(0x0102, codes.to_vec())),
            &bytes,
        );
    }
}
