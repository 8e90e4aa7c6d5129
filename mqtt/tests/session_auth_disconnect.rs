//! AUTH exchanges and DISCONNECT in both directions against a scripted server:
//! extended authentication surfaced as events and answered, re-authentication, our
//! DISCONNECT with its reason code and properties, and the server's DISCONNECT
//! reported with its reason's name.

mod session_support;

use bytes::Bytes;
use mqtt::client::{
    ClientSession, ConnectOptions, DisconnectReason, Event, SessionError, SessionState,
};
use mqtt::{
    Auth, ByteStr, ConnAck, Disconnect, Packet, Properties, PropertyValues, ProtocolVersion,
    ReasonCode,
};
use session_support::{app_events, connected, options, Peer};

fn auth_properties(method: &str, data: &'static [u8]) -> Properties {
    Properties::from(PropertyValues {
        authentication_method: Some(ByteStr::from(method)),
        authentication_data: Some(Bytes::from_static(data)),
        ..PropertyValues::default()
    })
}

fn scram_options() -> ConnectOptions {
    ConnectOptions {
        authentication_method: Some("SCRAM-SHA-256".into()),
        authentication_data: Some(Bytes::from_static(b"client-first")),
        ..options(ProtocolVersion::V5)
    }
}

#[test]
fn auth_exchange_before_connack_is_surfaced_and_answered() {
    let mut peer = Peer::new(ProtocolVersion::V5);
    let mut session = ClientSession::new(scram_options());
    session.connect(0).expect("connect");
    let _ = peer.received(&mut session);

    let challenge = auth_properties("SCRAM-SHA-256", b"server-first");
    peer.send(
        &mut session,
        1,
        Auth {
            code: ReasonCode::ContinueAuthentication,
            properties: challenge.clone(),
        },
    )
    .expect("AUTH");
    assert_eq!(
        app_events(&mut session),
        vec![Event::Auth {
            code: ReasonCode::ContinueAuthentication,
            properties: challenge
        }]
    );
    assert_eq!(session.state(), SessionState::Connecting);

    let answer = auth_properties("SCRAM-SHA-256", b"client-final");
    session
        .auth(2, ReasonCode::ContinueAuthentication, answer.clone())
        .expect("answer");
    assert_eq!(
        peer.received_one(&mut session),
        Packet::Auth(Auth {
            code: ReasonCode::ContinueAuthentication,
            properties: answer
        })
    );
    let mut connack = ConnAck::new(ReasonCode::Success);
    connack.properties = auth_properties("SCRAM-SHA-256", b"server-final");
    peer.send(&mut session, 3, connack).expect("CONNACK");
    let events = app_events(&mut session);
    let [Event::Connected(info)] = events.as_slice() else {
        panic!("{events:#?}");
    };
    assert_eq!(
        info.authentication_data,
        Some(Bytes::from_static(b"server-final"))
    );
}

#[test]
fn re_authentication_while_connected() {
    let (mut session, mut peer) = connected(scram_options());
    session
        .auth(
            1,
            ReasonCode::ReAuthenticate,
            auth_properties("SCRAM-SHA-256", b"again"),
        )
        .expect("re-authenticate");
    assert!(matches!(
        peer.received_one(&mut session),
        Packet::Auth(Auth {
            code: ReasonCode::ReAuthenticate,
            ..
        })
    ));
    peer.send(
        &mut session,
        2,
        Auth {
            code: ReasonCode::Success,
            properties: auth_properties("SCRAM-SHA-256", b"ok"),
        },
    )
    .expect("AUTH success");
    assert!(matches!(
        app_events(&mut session).as_slice(),
        [Event::Auth {
            code: ReasonCode::Success,
            ..
        }]
    ));
    assert_eq!(session.state(), SessionState::Connected);
}

#[test]
fn auth_is_refused_in_3_1_1() {
    let (mut session, _peer) = connected(options(ProtocolVersion::V3_1_1));
    assert_eq!(
        session.auth(1, ReasonCode::ReAuthenticate, Properties::default()),
        Err(SessionError::NotInVersion {
            what: "AUTH",
            version: ProtocolVersion::V3_1_1
        })
    );
}

#[test]
fn auth_from_a_server_we_gave_no_method_is_a_protocol_error() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V5));
    let result = peer.send(
        &mut session,
        1,
        Auth::new(ReasonCode::ContinueAuthentication),
    );
    assert_eq!(result, Err(SessionError::UnexpectedAuth));
    assert!(matches!(
        peer.received(&mut session).as_slice(),
        [Packet::Disconnect(Disconnect {
            code: ReasonCode::ProtocolError,
            ..
        })]
    ));
    assert_eq!(session.state(), SessionState::Disconnected);
}

#[test]
fn our_disconnect_carries_code_and_properties() {
    let (mut session, mut peer) = connected(ConnectOptions {
        session_expiry_interval: Some(60),
        ..options(ProtocolVersion::V5)
    });
    let properties = Properties::from(PropertyValues {
        session_expiry_interval: Some(0),
        reason_string: Some(ByteStr::from("closing the tab")),
        user_properties: vec![(ByteStr::from("who"), ByteStr::from("deck"))],
        ..PropertyValues::default()
    });
    session
        .disconnect(1, ReasonCode::DisconnectWithWillMessage, properties.clone())
        .expect("disconnect");
    assert_eq!(
        peer.received_one(&mut session),
        Packet::Disconnect(Disconnect {
            code: ReasonCode::DisconnectWithWillMessage,
            properties
        })
    );
    assert_eq!(session.state(), SessionState::Disconnected);
    assert_eq!(
        app_events(&mut session),
        vec![Event::Disconnected(DisconnectReason::Client {
            code: ReasonCode::DisconnectWithWillMessage
        })]
    );
    assert_eq!(session.poll_timeout(), None);
    // Whatever the server still sends is ignored.
    assert_eq!(peer.send(&mut session, 2, mqtt::Packet::PingResp), Ok(()));
    assert!(app_events(&mut session).is_empty());
}

#[test]
fn v311_disconnect_is_bare() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V3_1_1));
    session
        .disconnect(1, ReasonCode::NORMAL_DISCONNECTION, Properties::default())
        .expect("disconnect");
    assert_eq!(session.poll_transmit().as_deref(), Some(&[0xE0, 0x00][..]));
    assert!(peer.received(&mut session).is_empty());
}

#[test]
fn session_expiry_cannot_be_raised_from_zero_on_disconnect() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V5));
    let raise = Properties::from(PropertyValues {
        session_expiry_interval: Some(10),
        ..PropertyValues::default()
    });
    assert_eq!(
        session.disconnect(1, ReasonCode::Success, raise),
        Err(SessionError::SessionExpiryOnDisconnect)
    );
    assert!(peer.received(&mut session).is_empty());
    assert_eq!(session.state(), SessionState::Connected);
}

#[test]
fn server_disconnect_is_reported_with_its_reason_name() {
    let (mut session, peer) = connected(options(ProtocolVersion::V5));
    let mut disconnect = Disconnect::new(ReasonCode::SessionTakenOver);
    disconnect.properties.reason_string = Some(ByteStr::from("another client connected"));
    peer.send(&mut session, 5, disconnect.clone())
        .expect("a server DISCONNECT is not an error");
    assert_eq!(session.state(), SessionState::Disconnected);
    let events = app_events(&mut session);
    let [Event::Disconnected(reason)] = events.as_slice() else {
        panic!("{events:#?}");
    };
    assert_eq!(
        reason,
        &DisconnectReason::Server {
            code: ReasonCode::SessionTakenOver,
            properties: disconnect.properties
        }
    );
    assert_eq!(
        reason.to_string(),
        "disconnected by the server: 0x8E Session taken over (another client connected)"
    );
    // Transport closing afterwards adds nothing.
    session.transport_closed(6, "closed by peer");
    assert!(app_events(&mut session).is_empty());
    assert_eq!(
        session.publish(7, mqtt::OutgoingPublish::new("t", "x")),
        Err(SessionError::NotConnected {
            state: SessionState::Disconnected
        })
    );
}
