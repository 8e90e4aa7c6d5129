//! Malformed and forbidden input from the server: the session answers with a
//! DISCONNECT carrying the right reason code (MQTT 5), reports the error, ends the
//! connection, and never panics, whatever the bytes and however they are chunked.

mod session_support;

use mqtt::client::{
    ClientSession, ConnectOptions, DisconnectReason, Event, SessionError, SessionState,
};
use mqtt::{ConnAck, Disconnect, Packet, ProtocolVersion, ReasonCode, SubscribeFilter};
use proptest::prelude::*;
use session_support::{app_events, connected, options, Peer};

fn disconnect_code(packets: &[Packet]) -> Option<ReasonCode> {
    match packets {
        [Packet::Disconnect(Disconnect { code, .. })] => Some(*code),
        _ => None,
    }
}

#[test]
fn reserved_packet_type_is_a_malformed_packet() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V5));
    let result = session.handle_bytes(1, &[0x00, 0x00]);
    assert!(matches!(result, Err(SessionError::Decode(_))), "{result:?}");
    assert_eq!(
        disconnect_code(&peer.received(&mut session)),
        Some(ReasonCode::MalformedPacket)
    );
    let events = app_events(&mut session);
    assert!(
        matches!(
            events.as_slice(),
            [
                Event::ProtocolError(SessionError::Decode(_)),
                Event::Disconnected(DisconnectReason::ProtocolError {
                    code: ReasonCode::MalformedPacket,
                    ..
                })
            ]
        ),
        "{events:#?}"
    );
    assert_eq!(session.state(), SessionState::Disconnected);
}

#[test]
fn packet_above_our_maximum_size_is_packet_too_large() {
    let (mut session, mut peer) = connected(ConnectOptions {
        maximum_packet_size: Some(32),
        ..options(ProtocolVersion::V5)
    });
    let big = mqtt::Publish::new("t", vec![b'x'; 64]);
    let result = peer.send(&mut session, 1, big);
    assert!(matches!(result, Err(SessionError::Decode(_))), "{result:?}");
    assert_eq!(
        disconnect_code(&peer.received(&mut session)),
        Some(ReasonCode::PacketTooLarge)
    );
}

#[test]
fn packets_a_server_must_not_send_are_protocol_errors() {
    let forbidden = [
        Packet::PingReq,
        Packet::ConnAck(ConnAck::new(ReasonCode::Success)),
        Packet::Subscribe(mqtt::Subscribe::new(
            1,
            vec![SubscribeFilter::new("a", mqtt::QoS::AtMostOnce)],
        )),
    ];
    for packet in forbidden {
        let (mut session, mut peer) = connected(options(ProtocolVersion::V5));
        let kind = packet.packet_type();
        let result = peer.send(&mut session, 1, packet);
        assert_eq!(
            result,
            Err(SessionError::UnexpectedPacket {
                packet: kind,
                state: SessionState::Connected
            })
        );
        assert_eq!(
            disconnect_code(&peer.received(&mut session)),
            Some(ReasonCode::ProtocolError),
            "{kind}"
        );
    }
}

#[test]
fn publish_before_connack_is_a_protocol_error() {
    let mut peer = Peer::new(ProtocolVersion::V5);
    let mut session = ClientSession::new(options(ProtocolVersion::V5));
    session.connect(0).expect("connect");
    let _ = peer.received(&mut session);
    let result = peer.send(&mut session, 1, mqtt::Publish::new("early", "x"));
    assert!(matches!(result, Err(SessionError::UnexpectedPacket { .. })));
    assert_eq!(session.state(), SessionState::Disconnected);
}

#[test]
fn v311_malformed_input_closes_without_disconnect() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V3_1_1));
    // PUBLISH at QoS 3.
    let result = session.handle_bytes(1, &[0x36, 0x03, 0x00, 0x01, b't']);
    assert!(result.is_err());
    assert!(
        peer.received(&mut session).is_empty(),
        "3.1.1 has no DISCONNECT from the client for errors"
    );
    assert!(matches!(
        app_events(&mut session).last(),
        Some(Event::Disconnected(DisconnectReason::ProtocolError { .. }))
    ));
}

#[test]
fn bytes_after_the_fatal_error_are_ignored() {
    let (mut session, _peer) = connected(options(ProtocolVersion::V5));
    assert!(session.handle_bytes(1, &[0x00, 0x00]).is_err());
    let _ = app_events(&mut session);
    assert_eq!(session.handle_bytes(2, &[0xD0, 0x00]), Ok(()));
    assert!(app_events(&mut session).is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(
        version in prop_oneof![Just(ProtocolVersion::V3_1_1), Just(ProtocolVersion::V5)],
        chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 0..8),
    ) {
        let (mut session, _peer) = connected(options(version));
        for (step, chunk) in chunks.iter().enumerate() {
            let now = u64::try_from(step).unwrap_or(0);
            let result = session.handle_bytes(now, chunk);
            if result.is_err() {
                prop_assert_eq!(session.state(), SessionState::Disconnected);
            }
            session.handle_timeout(now * 1_000);
            while session.poll_transmit().is_some() {}
            while session.poll_event().is_some() {}
        }
    }
}
