//! Malformed and forbidden packets: each rule of the spec the decoder enforces, with
//! the error it gives and the reason code a receiver must answer with (0x81 Malformed
//! Packet, 0x82 Protocol Error, 0x84 Unsupported Protocol Version, 0x85 Client
//! Identifier not valid, 0x90 Topic Name invalid, 0x95 Packet too large).

use bytes::Bytes;
use mqtt::{
    DecodeError, Decoder, Packet, PacketType, PropertyContext, PropertyId, ProtocolVersion,
    ReasonCode,
};

const V31: ProtocolVersion = ProtocolVersion::V3_1;
const V311: ProtocolVersion = ProtocolVersion::V3_1_1;
const V5: ProtocolVersion = ProtocolVersion::V5;

const MALFORMED: ReasonCode = ReasonCode::MalformedPacket;
const PROTOCOL_ERROR: ReasonCode = ReasonCode::ProtocolError;

/// Decodes `bytes` both whole and through the streaming decoder (one byte at a time);
/// both must refuse with `expected` and `code`.
fn refused(version: ProtocolVersion, bytes: &[u8], expected: DecodeError, code: ReasonCode) {
    let whole = Packet::decode(version, Bytes::copy_from_slice(bytes));
    assert_eq!(whole, Err(expected.clone()), "decoding {bytes:02X?}");
    assert_eq!(expected.reason_code(), code, "{expected}");

    let mut decoder = Decoder::new(1 << 20);
    decoder.set_protocol(version);
    let mut outcome = Ok(None);
    for byte in bytes {
        decoder.feed(&[*byte]);
        outcome = decoder.next_packet();
        if outcome.is_err() {
            break;
        }
    }
    assert_eq!(outcome, Err(expected), "streaming {bytes:02X?}");
}

fn connect(level: u8, name: &[u8], flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut body = vec![0x00, name.len() as u8];
    body.extend_from_slice(name);
    body.extend_from_slice(&[level, flags, 0x00, 0x3C]);
    if level == 5 {
        body.push(0x00);
    }
    body.extend_from_slice(payload);
    let mut packet = vec![0x10, body.len() as u8];
    packet.extend(body);
    packet
}

// Spec 1.5.5: at most four bytes, in the shortest form.
#[test]
fn variable_byte_integer() {
    refused(
        V311,
        &[0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
        DecodeError::VarIntTooLong {
            what: "remaining length",
        },
        MALFORMED,
    );
    refused(
        V311,
        &[0xC0, 0x80, 0x00],
        DecodeError::VarIntNotMinimal {
            what: "remaining length",
        },
        MALFORMED,
    );
    // A property length, too.
    refused(
        V5,
        &[0x40, 0x05, 0x00, 0x01, 0x00, 0x80, 0x00],
        DecodeError::VarIntNotMinimal {
            what: "property length",
        },
        MALFORMED,
    );
}

// Spec 2.1.2: packet type 0 is reserved; 15 (AUTH) only exists in 5.0.
#[test]
fn reserved_packet_types() {
    refused(
        V5,
        &[0x00, 0x00],
        DecodeError::ReservedPacketType { nibble: 0 },
        MALFORMED,
    );
    for version in [V31, V311] {
        refused(
            version,
            &[0xF0, 0x00],
            DecodeError::PacketNotInVersion {
                packet: PacketType::Auth,
                version,
            },
            MALFORMED,
        );
    }
}

// Spec 2.1.3: PUBREL, SUBSCRIBE and UNSUBSCRIBE carry flags 0b0010, the others 0.
#[test]
fn fixed_header_flags() {
    let cases: [(&[u8], PacketType, u8, u8); 6] = [
        (
            &[0x60, 0x02, 0x00, 0x01],
            PacketType::PubRel,
            0b0000,
            0b0010,
        ),
        (
            &[0x80, 0x06, 0x00, 0x01, 0x00, 0x01, b't', 0x00],
            PacketType::Subscribe,
            0,
            2,
        ),
        (
            &[0xA0, 0x05, 0x00, 0x01, 0x00, 0x01, b't'],
            PacketType::Unsubscribe,
            0,
            2,
        ),
        (&[0x42, 0x02, 0x00, 0x01], PacketType::PubAck, 0b0010, 0),
        (&[0xC1, 0x00], PacketType::PingReq, 1, 0),
        (&[0xE8, 0x00], PacketType::Disconnect, 8, 0),
    ];
    for (bytes, packet, flags, expected) in cases {
        let error = DecodeError::InvalidFlags {
            packet,
            flags,
            expected,
        };
        refused(V311, bytes, error.clone(), MALFORMED);
        refused(V5, bytes, error, MALFORMED);
    }
}

// Spec 3.3.1.2: QoS 3 is malformed; 3.3.1.1: DUP is 0 for QoS 0.
#[test]
fn publish_qos_3_and_dup_at_qos_0() {
    let error = DecodeError::PublishQoS3;
    assert_eq!(error.to_string(), "PUBLISH with QoS 3");
    refused(V311, &[0x36, 0x03, 0x00, 0x01, b't'], error, MALFORMED);
    refused(
        V5,
        &[0x38, 0x04, 0x00, 0x01, b't', 0x00],
        DecodeError::DupAtQoS0,
        MALFORMED,
    );
}

// Spec 2.2.1: packet identifiers are non-zero.
#[test]
fn zero_packet_identifier() {
    let cases: [(&[u8], PacketType); 4] = [
        (&[0x40, 0x02, 0x00, 0x00], PacketType::PubAck),
        (
            &[0x32, 0x05, 0x00, 0x01, b't', 0x00, 0x00],
            PacketType::Publish,
        ),
        (
            &[0x82, 0x06, 0x00, 0x00, 0x00, 0x01, b't', 0x00],
            PacketType::Subscribe,
        ),
        (&[0xB0, 0x02, 0x00, 0x00], PacketType::UnsubAck),
    ];
    for (bytes, packet) in cases {
        refused(V311, bytes, DecodeError::ZeroPacketId { packet }, MALFORMED);
    }
}

// Spec 1.5.4: well-formed UTF-8 (no surrogates, no overlong forms), no U+0000.
#[test]
fn utf8_strings() {
    let invalid = |what| DecodeError::InvalidUtf8 {
        packet: PacketType::Publish,
        what,
    };
    refused(
        V311,
        &[0x30, 0x03, 0x00, 0x01, 0xFF],
        invalid("topic name"),
        MALFORMED,
    );
    // U+D800 encoded as if it were a character.
    refused(
        V311,
        &[0x30, 0x05, 0x00, 0x03, 0xED, 0xA0, 0x80],
        invalid("topic name"),
        MALFORMED,
    );
    // Overlong encoding of '/'.
    refused(
        V311,
        &[0x30, 0x04, 0x00, 0x02, 0xC0, 0xAF],
        invalid("topic name"),
        MALFORMED,
    );
    refused(
        V311,
        &[0x30, 0x04, 0x00, 0x02, b'a', 0x00],
        DecodeError::NullCharacter {
            packet: PacketType::Publish,
            what: "topic name",
        },
        MALFORMED,
    );
    // In a user property too.
    refused(
        V5,
        &[
            0x40, 0x0A, 0x00, 0x01, 0x00, 0x06, 0x26, 0x00, 0x00, 0x00, 0x01, 0x00,
        ],
        DecodeError::NullCharacter {
            packet: PacketType::PubAck,
            what: "User Property",
        },
        MALFORMED,
    );
}

// Spec 3.3.2.1: topic names have no wildcards; 4.7.3: they are not empty (in 5.0,
// unless a Topic Alias stands in for them, 3.3.2.3.4).
#[test]
fn publish_topic_names() {
    refused(
        V311,
        &[0x30, 0x05, 0x00, 0x03, b'a', b'/', b'+'],
        DecodeError::TopicNameInvalid {
            reason: "contains a wildcard (+ or #)",
        },
        ReasonCode::TopicNameInvalid,
    );
    refused(
        V5,
        &[0x30, 0x04, 0x00, 0x01, b'#', 0x00],
        DecodeError::TopicNameInvalid {
            reason: "contains a wildcard (+ or #)",
        },
        ReasonCode::TopicNameInvalid,
    );
    refused(
        V311,
        &[0x30, 0x02, 0x00, 0x00],
        DecodeError::TopicNameInvalid { reason: "is empty" },
        ReasonCode::TopicNameInvalid,
    );
    refused(
        V5,
        &[0x30, 0x03, 0x00, 0x00, 0x00],
        DecodeError::EmptyTopicWithoutAlias,
        PROTOCOL_ERROR,
    );
}

// Spec 3.8.3 and 3.10.3: at least one topic filter.
#[test]
fn subscribe_and_unsubscribe_without_filters() {
    let subscribe = DecodeError::NoTopicFilters {
        packet: PacketType::Subscribe,
    };
    let unsubscribe = DecodeError::NoTopicFilters {
        packet: PacketType::Unsubscribe,
    };
    refused(
        V311,
        &[0x82, 0x02, 0x00, 0x01],
        subscribe.clone(),
        PROTOCOL_ERROR,
    );
    refused(
        V5,
        &[0x82, 0x03, 0x00, 0x01, 0x00],
        subscribe,
        PROTOCOL_ERROR,
    );
    refused(
        V311,
        &[0xA2, 0x02, 0x00, 0x01],
        unsubscribe.clone(),
        PROTOCOL_ERROR,
    );
    refused(
        V5,
        &[0xA2, 0x03, 0x00, 0x01, 0x00],
        unsubscribe,
        PROTOCOL_ERROR,
    );
}

// Spec 3.8.3.1: reserved option bits are 0, QoS 3 and Retain Handling 3 are errors;
// 3.1.1 3.8.3.1: only the two QoS bits exist.
#[test]
fn subscription_options() {
    let subscribe = |version: ProtocolVersion, options: u8| -> Vec<u8> {
        let mut bytes = vec![0x82, 0x06, 0x00, 0x01, 0x00, 0x01, b't', options];
        if version == V5 {
            bytes.insert(4, 0x00);
            bytes[1] = 0x07;
        }
        bytes
    };
    let reserved = |options| DecodeError::SubscriptionOptionsReserved { options };
    refused(V5, &subscribe(V5, 0x41), reserved(0x41), MALFORMED);
    refused(V311, &subscribe(V311, 0x05), reserved(0x05), MALFORMED);
    refused(V31, &subscribe(V31, 0x10), reserved(0x10), MALFORMED);
    refused(
        V5,
        &subscribe(V5, 0x30),
        DecodeError::RetainHandling3,
        PROTOCOL_ERROR,
    );
    refused(
        V5,
        &subscribe(V5, 0x03),
        DecodeError::SubscriptionQoS3,
        PROTOCOL_ERROR,
    );
    refused(
        V311,
        &subscribe(V311, 0x03),
        DecodeError::SubscriptionQoS3,
        PROTOCOL_ERROR,
    );
}

// Spec 3.1.2.3: the reserved connect flag is 0.
#[test]
fn connect_reserved_flag() {
    refused(
        V311,
        &connect(4, b"MQTT", 0x03, &[0x00, 0x01, b'a']),
        DecodeError::ConnectReservedFlag,
        MALFORMED,
    );
}

// Spec 3.1.2.6 - 3.1.2.7: will QoS and retain are 0 without a will; will QoS 3 is
// malformed.
#[test]
fn connect_will_flags() {
    for flags in [0x0A, 0x12, 0x22] {
        refused(
            V5,
            &connect(5, b"MQTT", flags, &[0x00, 0x01, b'a']),
            DecodeError::WillFlagsWithoutWill,
            MALFORMED,
        );
    }
    let will = [0x00, 0x01, b'a', 0x00, 0x01, b't', 0x00, 0x00];
    refused(
        V311,
        &connect(4, b"MQTT", 0x1E, &will),
        DecodeError::WillQoS3,
        MALFORMED,
    );
}

// 3.1.1 section 3.1.2.9: no password without a user name (allowed again in 5.0).
#[test]
fn password_without_user_name() {
    let payload = [0x00, 0x01, b'a', 0x00, 0x01, b'p'];
    for (version, level, name) in [(V311, 4, &b"MQTT"[..]), (V31, 3, &b"MQIsdp"[..])] {
        refused(
            version,
            &connect(level, name, 0x42, &payload),
            DecodeError::PasswordWithoutUsername { version },
            MALFORMED,
        );
    }
    assert!(Packet::decode(V5, connect(5, b"MQTT", 0x42, &payload).into()).is_ok());
}

// Spec 3.1.2.1 - 3.1.2.2: the level must be known and match the protocol name.
#[test]
fn protocol_name_and_level() {
    let payload = [0x00, 0x01, b'a'];
    let unsupported = ReasonCode::UnsupportedProtocolVersion;
    refused(
        V5,
        &connect(6, b"MQTT", 0x02, &payload),
        DecodeError::UnsupportedProtocolLevel { level: 6 },
        unsupported,
    );
    refused(
        V5,
        &connect(3, b"MQTT", 0x02, &payload),
        DecodeError::ProtocolNameMismatch {
            name: "MQTT".into(),
            level: 3,
        },
        unsupported,
    );
    refused(
        V311,
        &connect(4, b"MQIsdp", 0x02, &payload),
        DecodeError::ProtocolNameMismatch {
            name: "MQIsdp".into(),
            level: 4,
        },
        unsupported,
    );
}

// 3.1.1 section 3.1.3.1: an empty client id needs clean session; 3.1: 1 to 23
// characters. Both are answered with "identifier rejected".
#[test]
fn client_identifier_rejected() {
    let not_valid = ReasonCode::ClientIdentifierNotValid;
    refused(
        V311,
        &connect(4, b"MQTT", 0x00, &[0x00, 0x00]),
        DecodeError::ClientIdRejected {
            version: V311,
            reason: "an empty client identifier requires clean session in MQTT 3.1.1",
        },
        not_valid,
    );
    let mut long = vec![0x00, 24];
    long.extend_from_slice(&[b'x'; 24]);
    let v31_rule = DecodeError::ClientIdRejected {
        version: V31,
        reason: "MQTT 3.1 requires 1 to 23 characters",
    };
    refused(
        V31,
        &connect(3, b"MQIsdp", 0x02, &long),
        v31_rule.clone(),
        not_valid,
    );
    refused(
        V31,
        &connect(3, b"MQIsdp", 0x02, &[0x00, 0x00]),
        v31_rule,
        not_valid,
    );
    // 5.0 lets the server assign one, whatever clean start says.
    assert!(Packet::decode(V5, connect(5, b"MQTT", 0x00, &[0x00, 0x00]).into()).is_ok());
}

// Spec 2.2.2.2: a property on a packet it does not belong to is malformed.
#[test]
fn property_not_allowed_on_packet() {
    let error = DecodeError::PropertyNotAllowed {
        context: PropertyContext::Packet(PacketType::Subscribe),
        id: PropertyId::TopicAlias,
    };
    assert_eq!(
        error.to_string(),
        "property 0x23 Topic Alias not allowed on SUBSCRIBE"
    );
    refused(
        V5,
        &[
            0x82, 0x0A, 0x00, 0x01, 0x03, 0x23, 0x00, 0x01, 0x00, 0x01, b't', 0x00,
        ],
        error,
        MALFORMED,
    );
    // Will Delay Interval belongs to the will, not to CONNECT's own properties.
    let mut bytes = connect(5, b"MQTT", 0x02, &[0x00, 0x01, b'a']);
    bytes[12] = 0x05;
    bytes.splice(13..13, [0x18, 0x00, 0x00, 0x00, 0x01]);
    bytes[1] += 5;
    refused(
        V5,
        &bytes,
        DecodeError::PropertyNotAllowed {
            context: PropertyContext::Packet(PacketType::Connect),
            id: PropertyId::WillDelayInterval,
        },
        MALFORMED,
    );
}

#[test]
fn unknown_property() {
    refused(
        V5,
        &[0xE0, 0x03, 0x00, 0x01, 0x7F],
        DecodeError::UnknownProperty {
            context: PropertyContext::Packet(PacketType::Disconnect),
            id: 0x7F,
        },
        MALFORMED,
    );
}

// Spec 3.3.2.3: each property at most once, except User Property and (on PUBLISH)
// Subscription Identifier.
#[test]
fn duplicate_properties() {
    refused(
        V5,
        &[
            0x30, 0x0A, 0x00, 0x01, b't', 0x06, 0x23, 0x00, 0x01, 0x23, 0x00, 0x02,
        ],
        DecodeError::DuplicateProperty {
            context: PropertyContext::Packet(PacketType::Publish),
            id: PropertyId::TopicAlias,
        },
        PROTOCOL_ERROR,
    );
    refused(
        V5,
        &[
            0x82, 0x0B, 0x00, 0x01, 0x04, 0x0B, 0x01, 0x0B, 0x02, 0x00, 0x01, b't', 0x00,
        ],
        DecodeError::DuplicateProperty {
            context: PropertyContext::Packet(PacketType::Subscribe),
            id: PropertyId::SubscriptionIdentifier,
        },
        PROTOCOL_ERROR,
    );
    let repeated = Packet::decode(
        V5,
        Bytes::from_static(&[
            0x30, 0x0E, 0x00, 0x01, b't', 0x09, 0x0B, 0x01, 0x0B, 0x02, 0x26, 0x00, 0x00, 0x00,
            0x00, b'x',
        ]),
    );
    match repeated {
        Ok(Packet::Publish(publish)) => {
            assert_eq!(publish.properties.subscription_identifiers, [1, 2]);
            assert_eq!(publish.properties.user_properties.len(), 1);
            assert_eq!(publish.payload, Bytes::from_static(b"x"));
        }
        other => panic!("expected a PUBLISH, got {other:?}"),
    }
}

// Values the spec calls a Protocol Error: Receive Maximum 0 (3.1.2.11.3), Maximum
// Packet Size 0 (3.1.2.11.4), Topic Alias 0 (3.3.2.3.4), Subscription Identifier 0
// (3.3.2.3.8), Maximum QoS 2 (3.2.2.3.4), byte flags other than 0 / 1.
#[test]
fn invalid_property_values() {
    let on = |packet| PropertyContext::Packet(packet);
    let cases: [(&[u8], PacketType, PropertyId, u32); 6] = [
        (
            &[0x20, 0x06, 0x00, 0x00, 0x03, 0x21, 0x00, 0x00],
            PacketType::ConnAck,
            PropertyId::ReceiveMaximum,
            0,
        ),
        (
            &[0x20, 0x08, 0x00, 0x00, 0x05, 0x27, 0, 0, 0, 0],
            PacketType::ConnAck,
            PropertyId::MaximumPacketSize,
            0,
        ),
        (
            &[0x20, 0x05, 0x00, 0x00, 0x02, 0x24, 0x02],
            PacketType::ConnAck,
            PropertyId::MaximumQoS,
            2,
        ),
        (
            &[0x20, 0x05, 0x00, 0x00, 0x02, 0x25, 0x02],
            PacketType::ConnAck,
            PropertyId::RetainAvailable,
            2,
        ),
        (
            &[0x30, 0x07, 0x00, 0x01, b't', 0x03, 0x23, 0x00, 0x00],
            PacketType::Publish,
            PropertyId::TopicAlias,
            0,
        ),
        (
            &[0x30, 0x06, 0x00, 0x01, b't', 0x02, 0x0B, 0x00],
            PacketType::Publish,
            PropertyId::SubscriptionIdentifier,
            0,
        ),
    ];
    for (bytes, packet, id, value) in cases {
        refused(
            V5,
            bytes,
            DecodeError::InvalidPropertyValue {
                context: on(packet),
                id,
                value,
            },
            PROTOCOL_ERROR,
        );
    }
    refused(
        V5,
        &[0x30, 0x06, 0x00, 0x01, b't', 0x02, 0x01, 0x02],
        DecodeError::InvalidPropertyValue {
            context: on(PacketType::Publish),
            id: PropertyId::PayloadFormatIndicator,
            value: 2,
        },
        PROTOCOL_ERROR,
    );
}

// Spec 3.15.2.2.3: Authentication Data only with an Authentication Method.
#[test]
fn authentication_data_without_method() {
    refused(
        V5,
        &[0xF0, 0x06, 0x18, 0x04, 0x16, 0x00, 0x01, 0x01],
        DecodeError::AuthDataWithoutMethod {
            context: PropertyContext::Packet(PacketType::Auth),
        },
        PROTOCOL_ERROR,
    );
}

// Remaining length and content must agree: short fields and left-over bytes are
// both malformed.
#[test]
fn remaining_length_mismatches() {
    let trailing = |packet, after, count| DecodeError::TrailingBytes {
        packet,
        after,
        count,
    };
    refused(
        V311,
        &[0x40, 0x03, 0x00, 0x01, 0x00],
        trailing(PacketType::PubAck, "variable header", 1),
        MALFORMED,
    );
    refused(
        V5,
        &[0xC0, 0x01, 0x00],
        trailing(PacketType::PingReq, "fixed header", 1),
        MALFORMED,
    );
    refused(
        V311,
        &[0xB0, 0x03, 0x00, 0x01, 0x00],
        trailing(PacketType::UnsubAck, "packet identifier", 1),
        MALFORMED,
    );
    refused(
        V311,
        &[0xE0, 0x01, 0x00],
        trailing(PacketType::Disconnect, "variable header", 1),
        MALFORMED,
    );
    let mut long_connect = connect(4, b"MQTT", 0x02, &[0x00, 0x01, b'a', 0xFF]);
    long_connect[1] = 14;
    refused(
        V311,
        &long_connect,
        trailing(PacketType::Connect, "payload", 1),
        MALFORMED,
    );

    let truncated = |packet, what| DecodeError::Truncated { packet, what };
    refused(
        V311,
        &[0x30, 0x03, 0x00, 0x05, b'a'],
        truncated(PacketType::Publish, "topic name"),
        MALFORMED,
    );
    refused(
        V5,
        &[0x40, 0x04, 0x00, 0x01, 0x00, 0x05],
        truncated(PacketType::PubAck, "properties"),
        MALFORMED,
    );
    // A property may not run past the property length into the payload.
    refused(
        V5,
        &[
            0x30, 0x0C, 0x00, 0x01, b'a', 0x03, 0x03, 0x00, 0x05, b'h', b'e', b'l', b'l', b'o',
        ],
        truncated(PacketType::Publish, "Content Type"),
        MALFORMED,
    );
    refused(
        V311,
        &[0x40, 0x01, 0x00],
        truncated(PacketType::PubAck, "packet identifier"),
        MALFORMED,
    );
    // AUTH leaves out code and property length together (spec 3.15.2.1).
    refused(
        V5,
        &[0xF0, 0x01, 0x18],
        truncated(PacketType::Auth, "property length"),
        MALFORMED,
    );
    // One whole packet: the remaining length must match what follows it.
    assert_eq!(
        Packet::decode(V5, Bytes::from_static(&[0xC0, 0x01])),
        Err(DecodeError::LengthMismatch {
            remaining_length: 1,
            actual: 0
        })
    );
    assert_eq!(
        Packet::decode(V5, Bytes::from_static(&[0x30])),
        Err(DecodeError::IncompleteHeader { len: 1 })
    );
}

// Spec 2.4: reason codes must be defined, and defined for the packet.
#[test]
fn reason_codes() {
    refused(
        V5,
        &[0x40, 0x03, 0x00, 0x01, 0x03],
        DecodeError::UnknownReasonCode {
            packet: PacketType::PubAck,
            value: 0x03,
        },
        MALFORMED,
    );
    let error = DecodeError::ReasonCodeNotAllowed {
        packet: PacketType::PubRel,
        code: ReasonCode::QuotaExceeded,
    };
    assert_eq!(
        error.to_string(),
        "reason code 0x97 Quota exceeded not allowed on PUBREL"
    );
    refused(V5, &[0x62, 0x03, 0x00, 0x01, 0x97], error, MALFORMED);
    refused(
        V311,
        &[0x90, 0x03, 0x00, 0x01, 0x03],
        DecodeError::UnknownReasonCode {
            packet: PacketType::SubAck,
            value: 0x03,
        },
        MALFORMED,
    );
    // 3.1.1 SUBACK knows only 0x80 as a failure.
    refused(
        V311,
        &[0x90, 0x03, 0x00, 0x01, 0x87],
        DecodeError::UnknownReasonCode {
            packet: PacketType::SubAck,
            value: 0x87,
        },
        MALFORMED,
    );
    refused(
        V5,
        &[0x90, 0x03, 0x00, 0x01, 0x00],
        DecodeError::NoReasonCodes {
            packet: PacketType::SubAck,
        },
        MALFORMED,
    );
}

// 3.1.1 section 3.2.2: reserved acknowledge flags, undefined return codes, and
// session present with a refusal.
#[test]
fn connack_rules() {
    refused(
        V311,
        &[0x20, 0x02, 0x02, 0x00],
        DecodeError::ConnAckReservedFlags { flags: 0x02 },
        MALFORMED,
    );
    refused(
        V311,
        &[0x20, 0x02, 0x00, 0x06],
        DecodeError::UnknownReturnCode { value: 6 },
        MALFORMED,
    );
    refused(
        V311,
        &[0x20, 0x02, 0x01, 0x05],
        DecodeError::SessionPresentOnFailure {
            code: ReasonCode::NotAuthorized,
        },
        PROTOCOL_ERROR,
    );
    refused(
        V5,
        &[0x20, 0x03, 0x00, 0x8F, 0x00],
        DecodeError::ReasonCodeNotAllowed {
            packet: PacketType::ConnAck,
            code: ReasonCode::TopicFilterInvalid,
        },
        MALFORMED,
    );
}

// The size check happens on the fixed header, before any of the body arrives.
#[test]
fn packet_too_large_before_the_body() {
    let mut decoder = Decoder::new(100);
    decoder.set_protocol(V311);
    decoder.feed(&[0x30, 0xE8]);
    assert_eq!(decoder.next_packet(), Ok(None));
    decoder.feed(&[0x07]);
    let error = DecodeError::PacketTooLarge {
        remaining_length: 1000,
        size: 1003,
        max: 100,
    };
    assert_eq!(decoder.next_packet(), Err(error.clone()));
    assert_eq!(error.reason_code(), ReasonCode::PacketTooLarge);
    assert_eq!(
        error.to_string(),
        "packet of 1003 bytes (remaining length 1000) exceeds maximum packet size 100"
    );
    // The stream stays failed.
    decoder.feed(&[0xC0, 0x00]);
    assert_eq!(decoder.next_packet(), Err(error));

    // Exactly at the limit is fine.
    let mut decoder = Decoder::new(2);
    decoder.feed_bytes(Bytes::from_static(&[0xC0, 0x00, 0xD0, 0x00]));
    assert_eq!(decoder.next_packet(), Ok(Some(Packet::PingReq)));
    assert_eq!(decoder.next_packet(), Ok(Some(Packet::PingResp)));
    assert_eq!(decoder.next_packet(), Ok(None));
}

// A stream that starts with a reserved type fails on its first byte.
#[test]
fn garbage_fails_on_the_first_byte() {
    let mut decoder = Decoder::new(1 << 20);
    decoder.feed(&[0x00]);
    assert_eq!(
        decoder.next_packet(),
        Err(DecodeError::ReservedPacketType { nibble: 0 })
    );
}
