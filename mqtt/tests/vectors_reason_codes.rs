//! The reason code table of MQTT 5 (spec 2.4, table 2-6) and the CONNACK return codes
//! of 3.1.1 (spec 3.2.2.3): values, names, and which packets may carry each code.

use mqtt::{ConnectReturnCode, PacketType, PropertyId, ReasonCode};

#[test]
fn every_reason_code_value_and_name() {
    #[rustfmt::skip]
    let table: [(u8, &str); 43] = [
        (0x00, "Success"), (0x01, "Granted QoS 1"), (0x02, "Granted QoS 2"),
        (0x04, "Disconnect with Will Message"), (0x10, "No matching subscribers"),
        (0x11, "No subscription existed"), (0x18, "Continue authentication"),
        (0x19, "Re-authenticate"), (0x80, "Unspecified error"), (0x81, "Malformed Packet"),
        (0x82, "Protocol Error"), (0x83, "Implementation specific error"),
        (0x84, "Unsupported Protocol Version"), (0x85, "Client Identifier not valid"),
        (0x86, "Bad User Name or Password"), (0x87, "Not authorized"),
        (0x88, "Server unavailable"), (0x89, "Server busy"), (0x8A, "Banned"),
        (0x8B, "Server shutting down"), (0x8C, "Bad authentication method"),
        (0x8D, "Keep Alive timeout"), (0x8E, "Session taken over"),
        (0x8F, "Topic Filter invalid"), (0x90, "Topic Name invalid"),
        (0x91, "Packet Identifier in use"), (0x92, "Packet Identifier not found"),
        (0x93, "Receive Maximum exceeded"), (0x94, "Topic Alias invalid"),
        (0x95, "Packet too large"), (0x96, "Message rate too high"), (0x97, "Quota exceeded"),
        (0x98, "Administrative action"), (0x99, "Payload format invalid"),
        (0x9A, "Retain not supported"), (0x9B, "QoS not supported"),
        (0x9C, "Use another server"), (0x9D, "Server moved"),
        (0x9E, "Shared Subscriptions not supported"), (0x9F, "Connection rate exceeded"),
        (0xA0, "Maximum connect time"), (0xA1, "Subscription Identifiers not supported"),
        (0xA2, "Wildcard Subscriptions not supported"),
    ];
    for (value, name) in table {
        let code = ReasonCode::try_from(value).expect("defined");
        assert_eq!(code.value(), value);
        assert_eq!(code.name(), name);
    }
    let defined: Vec<u8> = table.iter().map(|(value, _)| *value).collect();
    for value in 0..=u8::MAX {
        assert_eq!(
            ReasonCode::try_from(value).is_ok(),
            defined.contains(&value),
            "0x{value:02X}"
        );
    }
    assert_eq!(ReasonCode::ALL.len(), table.len());
}

#[test]
fn zero_has_three_names() {
    let zero = ReasonCode::Success;
    assert_eq!(zero.name_on(PacketType::PubAck), "Success");
    assert_eq!(zero.name_on(PacketType::Disconnect), "Normal disconnection");
    assert_eq!(zero.name_on(PacketType::SubAck), "Granted QoS 0");
    assert_eq!(ReasonCode::NORMAL_DISCONNECTION, zero);
    assert_eq!(ReasonCode::GRANTED_QOS_0, zero);
}

#[test]
fn packets_each_code_may_appear_on() {
    use PacketType as P;
    assert!(ReasonCode::Success.allowed_on(P::Auth));
    assert!(!ReasonCode::Success.allowed_on(P::Publish));
    assert!(ReasonCode::GrantedQoS2.allowed_on(P::SubAck));
    assert!(!ReasonCode::GrantedQoS2.allowed_on(P::PubAck));
    assert!(ReasonCode::NoMatchingSubscribers.allowed_on(P::PubRec));
    assert!(!ReasonCode::NoMatchingSubscribers.allowed_on(P::PubComp));
    assert!(ReasonCode::PacketIdentifierNotFound.allowed_on(P::PubRel));
    assert!(!ReasonCode::PacketIdentifierNotFound.allowed_on(P::PubAck));
    assert!(ReasonCode::TopicFilterInvalid.allowed_on(P::UnsubAck));
    assert!(ReasonCode::SessionTakenOver.allowed_on(P::Disconnect));
    assert!(!ReasonCode::SessionTakenOver.allowed_on(P::ConnAck));
    assert!(ReasonCode::Banned.allowed_on(P::ConnAck));
    assert!(!ReasonCode::Banned.allowed_on(P::Disconnect));
    assert!(ReasonCode::ContinueAuthentication.allowed_on(P::Auth));
    assert!(!ReasonCode::ContinueAuthentication.allowed_on(P::ConnAck));
}

#[test]
fn connect_return_codes() {
    let table = [
        (0, "Connection Accepted", ReasonCode::Success),
        (
            1,
            "Connection Refused, unacceptable protocol version",
            ReasonCode::UnsupportedProtocolVersion,
        ),
        (
            2,
            "Connection Refused, identifier rejected",
            ReasonCode::ClientIdentifierNotValid,
        ),
        (
            3,
            "Connection Refused, Server unavailable",
            ReasonCode::ServerUnavailable,
        ),
        (
            4,
            "Connection Refused, bad user name or password",
            ReasonCode::BadUserNameOrPassword,
        ),
        (
            5,
            "Connection Refused, not authorized",
            ReasonCode::NotAuthorized,
        ),
    ];
    for (value, name, reason) in table {
        let code = ConnectReturnCode::try_from(value).expect("defined");
        assert_eq!(code.name(), name);
        assert_eq!(code.to_reason_code(), reason);
        assert_eq!(ConnectReturnCode::from_reason_code(reason), Some(code));
    }
    assert!(ConnectReturnCode::try_from(6).is_err());
    assert_eq!(
        ConnectReturnCode::from_reason_code(ReasonCode::GrantedQoS1),
        None
    );
}

#[test]
fn property_names() {
    assert_eq!(PropertyId::ALL.len(), 27);
    assert_eq!(
        PropertyId::try_from(0x23).map(PropertyId::name),
        Ok("Topic Alias")
    );
    assert_eq!(PropertyId::TopicAlias.to_string(), "0x23 Topic Alias");
    assert!(PropertyId::try_from(0x04).is_err());
}
