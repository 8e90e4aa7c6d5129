//! Packets that cannot go on the wire for the chosen protocol version: the encoder
//! refuses them with an error that says why, and appends nothing.

use bytes::{Bytes, BytesMut};
use mqtt::{
    Auth, ByteStr, ConnAck, Connect, Disconnect, EncodeError, Packet, PacketType, Properties,
    PropertyContext, PropertyId, PropertyValues, ProtocolVersion, PubAck, PubRel, Publish, QoS,
    ReasonCode, SubAck, Subscribe, SubscribeFilter, UnsubAck, Unsubscribe,
};

const V311: ProtocolVersion = ProtocolVersion::V3_1_1;
const V5: ProtocolVersion = ProtocolVersion::V5;

fn refused(version: ProtocolVersion, packet: impl Into<Packet>, expected: EncodeError) {
    let packet = packet.into();
    let mut buf = BytesMut::from(&b"kept"[..]);
    assert_eq!(
        packet.encode(version, &mut buf),
        Err(expected.clone()),
        "{packet:?}"
    );
    assert_eq!(&buf[..], b"kept", "nothing appended on error");
    assert_eq!(packet.encoded_len(version), Err(expected));
}

#[test]
fn auth_only_exists_in_v5() {
    refused(
        V311,
        Auth::default(),
        EncodeError::PacketNotInVersion {
            packet: PacketType::Auth,
            version: V311,
        },
    );
}

#[test]
fn failures_cannot_be_expressed_before_v5() {
    let not_in = |packet, code| EncodeError::ReasonCodeNotInVersion {
        packet,
        code,
        version: V311,
    };
    refused(
        V311,
        PubAck::with_code(1, ReasonCode::QuotaExceeded),
        not_in(PacketType::PubAck, ReasonCode::QuotaExceeded),
    );
    refused(
        V311,
        PubRel::with_code(1, ReasonCode::PacketIdentifierNotFound),
        not_in(PacketType::PubRel, ReasonCode::PacketIdentifierNotFound),
    );
    // 3.1.1's DISCONNECT always discards the will, so "with will" cannot be said.
    refused(
        V311,
        Disconnect::new(ReasonCode::DisconnectWithWillMessage),
        not_in(
            PacketType::Disconnect,
            ReasonCode::DisconnectWithWillMessage,
        ),
    );
}

#[test]
fn reason_codes_must_belong_to_the_packet() {
    let not_allowed = |packet, code| EncodeError::ReasonCodeNotAllowed { packet, code };
    refused(
        V5,
        PubRel::with_code(1, ReasonCode::QuotaExceeded),
        not_allowed(PacketType::PubRel, ReasonCode::QuotaExceeded),
    );
    refused(
        V311,
        ConnAck::new(ReasonCode::GrantedQoS1),
        not_allowed(PacketType::ConnAck, ReasonCode::GrantedQoS1),
    );
    refused(
        V5,
        SubAck::new(1, vec![ReasonCode::NoSubscriptionExisted]),
        not_allowed(PacketType::SubAck, ReasonCode::NoSubscriptionExisted),
    );
    refused(
        V5,
        Auth::new(ReasonCode::NotAuthorized),
        not_allowed(PacketType::Auth, ReasonCode::NotAuthorized),
    );
}

#[test]
fn publish_packet_identifier_follows_qos() {
    let mut qos0 = Publish::new("t", Bytes::new());
    qos0.packet_id = Some(1);
    refused(
        V5,
        qos0,
        EncodeError::PacketIdMismatch {
            qos: QoS::AtMostOnce,
        },
    );
    let mut qos1 = Publish::new("t", Bytes::new());
    qos1.qos = QoS::AtLeastOnce;
    refused(
        V5,
        qos1.clone(),
        EncodeError::PacketIdMismatch {
            qos: QoS::AtLeastOnce,
        },
    );
    qos1.packet_id = Some(0);
    refused(
        V5,
        qos1,
        EncodeError::ZeroPacketId {
            packet: PacketType::Publish,
        },
    );
    let mut dup = Publish::new("t", Bytes::new());
    dup.dup = true;
    refused(V311, dup, EncodeError::DupAtQoS0);
}

#[test]
fn publish_topic_name() {
    refused(
        V311,
        Publish::new("a/#", Bytes::new()),
        EncodeError::TopicNameInvalid {
            reason: "contains a wildcard (+ or #)",
        },
    );
    refused(
        V5,
        Publish::new("", Bytes::new()),
        EncodeError::EmptyTopicWithoutAlias,
    );
    refused(
        V311,
        Publish::new("a\0b", Bytes::new()),
        EncodeError::NullCharacter { what: "topic name" },
    );
    let long = "x".repeat(65_536);
    refused(
        V311,
        Publish::new(long.as_str(), Bytes::new()),
        EncodeError::TooLong {
            what: "topic name",
            len: 65_536,
        },
    );
}

#[test]
fn properties_must_belong_to_the_packet() {
    let mut subscribe = Subscribe::new(1, vec![SubscribeFilter::new("t", QoS::AtMostOnce)]);
    subscribe.properties.topic_alias = Some(1);
    refused(
        V5,
        subscribe.clone(),
        EncodeError::PropertyNotAllowed {
            context: PropertyContext::Packet(PacketType::Subscribe),
            id: PropertyId::TopicAlias,
        },
    );
    // Properties are simply not sent before MQTT 5.
    let mut buf = BytesMut::new();
    assert_eq!(Packet::Subscribe(subscribe).encode(V311, &mut buf), Ok(()));
    assert_eq!(&buf[..], [0x82, 0x06, 0x00, 0x01, 0x00, 0x01, b't', 0x00]);

    let mut subscribe = Subscribe::new(1, vec![SubscribeFilter::new("t", QoS::AtMostOnce)]);
    subscribe.properties.subscription_identifiers = vec![1, 2];
    refused(
        V5,
        subscribe,
        EncodeError::DuplicateProperty {
            context: PropertyContext::Packet(PacketType::Subscribe),
            id: PropertyId::SubscriptionIdentifier,
        },
    );
}

#[test]
fn property_values() {
    let invalid = |packet, id, value| EncodeError::InvalidPropertyValue {
        context: PropertyContext::Packet(packet),
        id,
        value,
    };
    let mut connack = ConnAck::new(ReasonCode::Success);
    connack.properties.maximum_qos = Some(QoS::ExactlyOnce);
    refused(
        V5,
        connack,
        invalid(PacketType::ConnAck, PropertyId::MaximumQoS, 2),
    );
    let mut connect = Connect::new(V5, "a");
    connect.properties.receive_maximum = Some(0);
    refused(
        V5,
        connect,
        invalid(PacketType::Connect, PropertyId::ReceiveMaximum, 0),
    );
    let mut publish = Publish::new("t", Bytes::new());
    publish.properties.subscription_identifiers = vec![268_435_456];
    refused(
        V5,
        publish,
        invalid(
            PacketType::Publish,
            PropertyId::SubscriptionIdentifier,
            268_435_456,
        ),
    );
    let auth = Auth {
        code: ReasonCode::ContinueAuthentication,
        properties: Properties::from(PropertyValues {
            authentication_data: Some(Bytes::from_static(b"d")),
            ..PropertyValues::default()
        }),
    };
    refused(
        V5,
        auth,
        EncodeError::AuthDataWithoutMethod {
            context: PropertyContext::Packet(PacketType::Auth),
        },
    );
}

#[test]
fn lists_must_not_be_empty() {
    refused(
        V5,
        Subscribe::new(1, vec![]),
        EncodeError::NoTopicFilters {
            packet: PacketType::Subscribe,
        },
    );
    refused(
        V311,
        Unsubscribe::new(1, Vec::<ByteStr>::new()),
        EncodeError::NoTopicFilters {
            packet: PacketType::Unsubscribe,
        },
    );
    refused(
        V5,
        UnsubAck::new(1, vec![]),
        EncodeError::NoReasonCodes {
            packet: PacketType::UnsubAck,
        },
    );
}

#[test]
fn connect_rules() {
    let mut connect = Connect::new(V311, "a");
    connect.password = Some(Bytes::from_static(b"p"));
    refused(
        V5,
        connect,
        EncodeError::PasswordWithoutUsername { version: V311 },
    );
    let mut connack = ConnAck::new(ReasonCode::NotAuthorized);
    connack.session_present = true;
    refused(
        V5,
        connack,
        EncodeError::SessionPresentOnFailure {
            code: ReasonCode::NotAuthorized,
        },
    );
}

// Remaining length is at most 268,435,455 (spec 2.1.4).
#[test]
fn packet_too_large() {
    let payload = Bytes::from(vec![0u8; 268_435_455]);
    refused(
        V311,
        Publish::new("t", payload),
        EncodeError::PacketTooLarge {
            packet: PacketType::Publish,
            remaining_length: 268_435_458,
        },
    );
}
