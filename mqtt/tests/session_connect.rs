//! The session's connection set-up against a scripted server: CONNECT built from every
//! option of 3.1, 3.1.1 and 5.0, CONNACK grants surfaced, refusals named, the connect
//! timeout, and reuse of an assigned client identifier.

mod session_support;

use bytes::Bytes;
use mqtt::client::{
    ClientSession, ConnectOptions, DisconnectReason, Event, SessionError, SessionState,
};
use mqtt::{
    ByteStr, ConnAck, LastWill, Packet, Properties, PropertyValues, ProtocolVersion, QoS,
    ReasonCode,
};
use session_support::{app_events, connack_with, connect_with, events, options, Peer};

fn s(text: &str) -> ByteStr {
    ByteStr::from(text)
}

fn will() -> LastWill {
    LastWill {
        topic: s("deck/status"),
        payload: Bytes::from_static(b"offline"),
        qos: QoS::AtLeastOnce,
        retain: true,
        properties: Properties::from(PropertyValues {
            will_delay_interval: Some(30),
            payload_format_indicator: Some(true),
            message_expiry_interval: Some(600),
            content_type: Some(s("text/plain")),
            response_topic: Some(s("deck/reply")),
            correlation_data: Some(Bytes::from_static(&[1, 2, 3])),
            user_properties: vec![(s("origin"), s("will"))],
            ..PropertyValues::default()
        }),
    }
}

fn sent_connect(options: ConnectOptions) -> mqtt::Connect {
    let mut peer = Peer::new(options.protocol);
    let mut session = ClientSession::new(options);
    session.connect(0).expect("connect");
    match peer.received_one(&mut session) {
        Packet::Connect(connect) => *connect,
        other => panic!("expected CONNECT, got {other:?}"),
    }
}

#[test]
fn v311_connect_carries_every_option() {
    let connect = sent_connect(ConnectOptions {
        clean_start: false,
        keep_alive_secs: 42,
        username: Some("alice".into()),
        password: Some(Bytes::from_static(b"secret")),
        will: Some(will()),
        // MQTT 5 only: must not leak into a 3.1.1 CONNECT.
        session_expiry_interval: Some(100),
        ..ConnectOptions::new(ProtocolVersion::V3_1_1, "deck-311")
    });
    assert_eq!(connect.protocol, ProtocolVersion::V3_1_1);
    assert_eq!(connect.client_id, "deck-311");
    assert!(!connect.clean_start);
    assert_eq!(connect.keep_alive, 42);
    assert_eq!(connect.username.as_deref(), Some("alice"));
    assert_eq!(connect.password.as_deref(), Some(&b"secret"[..]));
    let sent_will = connect.will.expect("will sent");
    assert_eq!(sent_will.topic, "deck/status");
    assert_eq!(sent_will.payload, Bytes::from_static(b"offline"));
    assert_eq!(sent_will.qos, QoS::AtLeastOnce);
    assert!(sent_will.retain);
    assert!(sent_will.properties.is_empty());
    assert!(connect.properties.is_empty());
}

#[test]
fn v31_connect_speaks_mqisdp() {
    let connect = sent_connect(ConnectOptions::new(ProtocolVersion::V3_1, "deck-31"));
    assert_eq!(connect.protocol, ProtocolVersion::V3_1);
    assert_eq!(connect.client_id, "deck-31");
}

#[test]
fn v5_connect_carries_every_option_and_property() {
    let connect = sent_connect(ConnectOptions {
        clean_start: false,
        keep_alive_secs: 15,
        username: Some("bob".into()),
        password: Some(Bytes::from_static(b"pw")),
        will: Some(will()),
        session_expiry_interval: Some(3600),
        receive_maximum: Some(20),
        maximum_packet_size: Some(65_536),
        topic_alias_maximum: Some(8),
        request_response_information: Some(true),
        request_problem_information: Some(false),
        user_properties: vec![
            ("app".into(), "deck".into()),
            ("app".into(), "again".into()),
        ],
        authentication_method: Some("SCRAM-SHA-1".into()),
        authentication_data: Some(Bytes::from_static(b"client-first")),
        ..ConnectOptions::new(ProtocolVersion::V5, "deck-5")
    });
    assert_eq!(connect.protocol, ProtocolVersion::V5);
    assert_eq!(connect.client_id, "deck-5");
    assert!(!connect.clean_start);
    assert_eq!(connect.keep_alive, 15);
    assert_eq!(connect.username.as_deref(), Some("bob"));
    assert_eq!(connect.password.as_deref(), Some(&b"pw"[..]));
    assert_eq!(connect.will, Some(will()));
    let properties = connect.properties;
    assert_eq!(properties.session_expiry_interval, Some(3600));
    assert_eq!(properties.receive_maximum, Some(20));
    assert_eq!(properties.maximum_packet_size, Some(65_536));
    assert_eq!(properties.topic_alias_maximum, Some(8));
    assert_eq!(properties.request_response_information, Some(true));
    assert_eq!(properties.request_problem_information, Some(false));
    assert_eq!(
        properties.user_properties,
        vec![(s("app"), s("deck")), (s("app"), s("again"))]
    );
    assert_eq!(
        properties.authentication_method.as_deref(),
        Some("SCRAM-SHA-1")
    );
    assert_eq!(
        properties.authentication_data,
        Some(Bytes::from_static(b"client-first"))
    );
}

#[test]
fn v5_connack_grants_are_surfaced() {
    let mut peer = Peer::new(ProtocolVersion::V5);
    let mut session = ClientSession::new(ConnectOptions::new(ProtocolVersion::V5, ""));
    session.connect(0).expect("connect");
    let _ = peer.received(&mut session);
    let connack = ConnAck {
        session_present: false,
        code: ReasonCode::Success,
        properties: Properties::from(PropertyValues {
            assigned_client_identifier: Some(s("auto-7")),
            server_keep_alive: Some(20),
            session_expiry_interval: Some(120),
            receive_maximum: Some(10),
            maximum_qos: Some(QoS::AtLeastOnce),
            retain_available: Some(false),
            maximum_packet_size: Some(2048),
            topic_alias_maximum: Some(4),
            wildcard_subscription_available: Some(false),
            subscription_identifier_available: Some(false),
            shared_subscription_available: Some(false),
            response_information: Some(s("replies/auto-7")),
            server_reference: Some(s("other.example:1883")),
            reason_string: Some(s("welcome")),
            user_properties: vec![(s("region"), s("eu"))],
            ..PropertyValues::default()
        }),
    };
    peer.send(&mut session, 5, connack).expect("accepted");
    assert_eq!(session.state(), SessionState::Connected);
    let events = app_events(&mut session);
    let Some(Event::Connected(info)) = events.first() else {
        panic!("expected Connected first, got {events:#?}");
    };
    assert!(!info.session_present);
    assert_eq!(info.client_id, "auto-7");
    assert_eq!(info.assigned_client_identifier.as_deref(), Some("auto-7"));
    assert_eq!(info.keep_alive_secs, 20);
    assert_eq!(info.server_keep_alive, Some(20));
    assert_eq!(info.session_expiry_interval, Some(120));
    assert_eq!(info.limits.receive_maximum, 10);
    assert_eq!(info.limits.maximum_qos, QoS::AtLeastOnce);
    assert!(!info.limits.retain_available);
    assert_eq!(info.limits.maximum_packet_size, Some(2048));
    assert_eq!(info.limits.topic_alias_maximum, 4);
    assert!(!info.limits.wildcard_subscription_available);
    assert!(!info.limits.subscription_identifiers_available);
    assert!(!info.limits.shared_subscription_available);
    assert_eq!(info.response_information.as_deref(), Some("replies/auto-7"));
    assert_eq!(info.server_reference.as_deref(), Some("other.example:1883"));
    assert_eq!(info.reason_string.as_deref(), Some("welcome"));
    assert_eq!(info.user_properties, vec![(s("region"), s("eu"))]);
    // The server's keep-alive replaces our 60 s.
    assert_eq!(session.poll_timeout(), Some(5 + 20_000));
    assert_eq!(session.connection(), Some(info));
}

#[test]
fn assigned_client_identifier_is_reused_on_reconnect() {
    let options = ConnectOptions {
        clean_start: false,
        session_expiry_interval: Some(60),
        ..ConnectOptions::new(ProtocolVersion::V5, "")
    };
    let (mut session, mut peer) = connect_with(
        options,
        connack_with(Properties::from(PropertyValues {
            assigned_client_identifier: Some(s("given-by-server")),
            ..PropertyValues::default()
        })),
    );
    session.transport_closed(10, "socket reset");
    session.connect(20).expect("reconnect");
    match peer.received_one(&mut session) {
        Packet::Connect(connect) => assert_eq!(connect.client_id, "given-by-server"),
        other => panic!("expected CONNECT, got {other:?}"),
    }
}

#[test]
fn v5_refusal_is_named() {
    let mut peer = Peer::new(ProtocolVersion::V5);
    let mut session = ClientSession::new(options(ProtocolVersion::V5));
    session.connect(0).expect("connect");
    let _ = peer.received(&mut session);
    let mut refusal = ConnAck::new(ReasonCode::BadUserNameOrPassword);
    refusal.properties.reason_string = Some(s("who are you"));
    peer.send(&mut session, 1, refusal)
        .expect("a refusal is not an error");
    assert_eq!(session.state(), SessionState::Disconnected);
    let events = app_events(&mut session);
    let [Event::Disconnected(reason)] = events.as_slice() else {
        panic!("expected one Disconnected, got {events:#?}");
    };
    assert!(matches!(
        reason,
        DisconnectReason::Refused {
            code: ReasonCode::BadUserNameOrPassword,
            name: "Bad User Name or Password",
            ..
        }
    ));
    assert_eq!(
        reason.to_string(),
        "connection refused: 0x86 Bad User Name or Password (who are you)"
    );
    assert_eq!(session.poll_timeout(), None);
}

#[test]
fn v311_refusal_uses_the_return_code_name() {
    let mut peer = Peer::new(ProtocolVersion::V3_1_1);
    let mut session = ClientSession::new(options(ProtocolVersion::V3_1_1));
    session.connect(0).expect("connect");
    let _ = peer.received(&mut session);
    peer.send(&mut session, 1, ConnAck::new(ReasonCode::NotAuthorized))
        .expect("a refusal is not an error");
    let events = app_events(&mut session);
    assert!(
        matches!(
            events.as_slice(),
            [Event::Disconnected(DisconnectReason::Refused {
                code: ReasonCode::NotAuthorized,
                name: "Connection Refused, not authorized",
                ..
            })]
        ),
        "{events:#?}"
    );
}

#[test]
fn connect_times_out_without_connack() {
    let mut session = ClientSession::new(ConnectOptions {
        connect_timeout_ms: 5_000,
        ..options(ProtocolVersion::V5)
    });
    session.connect(1_000).expect("connect");
    assert_eq!(session.poll_timeout(), Some(6_000));
    session.handle_timeout(5_999);
    assert_eq!(session.state(), SessionState::Connecting);
    session.handle_timeout(6_000);
    assert_eq!(session.state(), SessionState::Disconnected);
    let events = app_events(&mut session);
    assert_eq!(
        events,
        vec![Event::Disconnected(DisconnectReason::ConnectTimeout {
            waited_ms: 5_000
        })]
    );
    assert_eq!(session.poll_timeout(), None);
}

#[test]
fn commands_need_a_connection_and_connect_needs_none() {
    let mut session = ClientSession::new(options(ProtocolVersion::V5));
    assert_eq!(
        session.publish(0, mqtt::OutgoingPublish::new("a", "b")),
        Err(SessionError::NotConnected {
            state: SessionState::Disconnected
        })
    );
    session.connect(0).expect("connect");
    assert_eq!(
        session.connect(1),
        Err(SessionError::AlreadyConnected {
            state: SessionState::Connecting
        })
    );
}

#[test]
fn packet_events_report_each_packet_with_its_encoded_size() {
    let mut session = ClientSession::new(options(ProtocolVersion::V5));
    session.connect(0).expect("connect");
    let bytes = session.poll_transmit().expect("CONNECT bytes");
    let events = events(&mut session);
    let [Event::PacketSent {
        packet: Packet::Connect(_),
        size,
    }] = events.as_slice()
    else {
        panic!("expected PacketSent(CONNECT), got {events:#?}");
    };
    assert_eq!(*size, bytes.len());

    let peer = Peer::new(ProtocolVersion::V5);
    let connack = peer.encode(&Packet::ConnAck(ConnAck::new(ReasonCode::Success)));
    session.handle_bytes(1, &connack).expect("accepted");
    let events = session_support::events(&mut session);
    assert!(
        matches!(events.first(), Some(Event::PacketReceived { packet: Packet::ConnAck(_), size }) if *size == connack.len()),
        "{events:#?}"
    );
}

#[test]
fn packet_events_can_be_switched_off() {
    let mut session = ClientSession::new(ConnectOptions {
        packet_events: false,
        ..options(ProtocolVersion::V5)
    });
    session.connect(0).expect("connect");
    assert!(session.poll_transmit().is_some());
    assert_eq!(session.poll_event(), None);
}

#[test]
fn connack_split_across_chunks_is_reassembled() {
    let peer = Peer::new(ProtocolVersion::V3_1_1);
    let mut session = ClientSession::new(options(ProtocolVersion::V3_1_1));
    session.connect(0).expect("connect");
    let bytes = peer.encode(&Packet::ConnAck(ConnAck::new(ReasonCode::Success)));
    for byte in bytes.iter() {
        session
            .handle_bytes(1, std::slice::from_ref(byte))
            .expect("accepted");
    }
    assert_eq!(session.state(), SessionState::Connected);
}
