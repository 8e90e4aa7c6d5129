//! Losing the connection and coming back: with Session Present the session resends
//! unacknowledged PUBLISH with DUP set and PUBREL, in their original order, and still
//! delivers a resent inbound QoS 2 message once; without it the session discards its
//! state and says so.

mod session_support;

use mqtt::client::{ClientSession, ConnectOptions, Event, OutgoingPublish, SessionState};
use mqtt::{
    ConnAck, Packet, Properties, ProtocolVersion, PubAck, PubComp, PubRec, PubRel, Publish, QoS,
    ReasonCode, SubscribeFilter,
};
use session_support::{app_events, connected, Peer};

fn resumable(version: ProtocolVersion) -> ConnectOptions {
    ConnectOptions {
        clean_start: false,
        session_expiry_interval: version.is_v5().then_some(300),
        ..ConnectOptions::new(version, "resumer")
    }
}

fn connack(session_present: bool) -> ConnAck {
    ConnAck {
        session_present,
        code: ReasonCode::Success,
        properties: Properties::default(),
    }
}

/// Three messages in flight, at three stages: QoS 1 unacknowledged (id a), QoS 2
/// unacknowledged (id b), QoS 2 released and awaiting PUBCOMP (id c).
fn session_with_inflight(version: ProtocolVersion) -> (ClientSession, Peer, [u16; 3]) {
    let (mut session, mut peer) = connected(resumable(version));
    let mut publish = |topic: &str, qos| {
        session
            .publish(1, OutgoingPublish::new(topic, "payload").with_qos(qos))
            .expect("published")
            .expect("id")
    };
    let a = publish("q/1", QoS::AtLeastOnce);
    let b = publish("q/2", QoS::ExactlyOnce);
    let c = publish("q/3", QoS::ExactlyOnce);
    assert_eq!(peer.received(&mut session).len(), 3);
    peer.send(&mut session, 2, PubRec::new(c)).expect("PUBREC");
    assert_eq!(
        peer.received_one(&mut session),
        Packet::PubRel(PubRel::new(c))
    );
    (session, peer, [a, b, c])
}

fn reconnect(session: &mut ClientSession, version: ProtocolVersion, now: u64) -> Peer {
    session.transport_closed(now, "network unreachable");
    assert_eq!(session.state(), SessionState::Disconnected);
    assert!(
        session.poll_transmit().is_none(),
        "nothing left for the dead transport"
    );
    let mut peer = Peer::new(version);
    session.connect(now + 1).expect("reconnect");
    match peer.received_one(session) {
        Packet::Connect(connect) => assert!(!connect.clean_start),
        other => panic!("expected CONNECT, got {other:?}"),
    }
    peer
}

#[test]
fn session_present_resends_publish_with_dup_and_pubrel_in_order() {
    for version in [ProtocolVersion::V3_1_1, ProtocolVersion::V5] {
        let (mut session, _old_peer, [a, b, c]) = session_with_inflight(version);
        let mut peer = reconnect(&mut session, version, 10);
        let events = app_events(&mut session);
        assert!(
            matches!(
                events.as_slice(),
                [Event::Disconnected(
                    mqtt::client::DisconnectReason::TransportClosed { .. }
                )]
            ),
            "{events:#?}"
        );
        peer.send(&mut session, 12, connack(true)).expect("CONNACK");
        let resent = peer.received(&mut session);
        let expect_dup = |topic: &str, qos, id| {
            let mut publish = Publish::new(topic, "payload");
            publish.qos = qos;
            publish.packet_id = Some(id);
            publish.dup = true;
            Packet::Publish(publish)
        };
        assert_eq!(
            resent,
            vec![
                expect_dup("q/1", QoS::AtLeastOnce, a),
                expect_dup("q/2", QoS::ExactlyOnce, b),
                Packet::PubRel(PubRel::new(c)),
            ],
            "{version}"
        );
        // The flows finish on the new connection.
        peer.send(&mut session, 13, PubAck::new(a)).expect("PUBACK");
        peer.send(&mut session, 13, PubRec::new(b)).expect("PUBREC");
        assert_eq!(
            peer.received_one(&mut session),
            Packet::PubRel(PubRel::new(b))
        );
        peer.send(&mut session, 14, PubComp::new(b))
            .expect("PUBCOMP");
        peer.send(&mut session, 14, PubComp::new(c))
            .expect("PUBCOMP");
        let completed: Vec<u16> = app_events(&mut session)
            .into_iter()
            .filter_map(|event| match event {
                Event::PublishComplete { packet_id, .. } => Some(packet_id),
                _ => None,
            })
            .collect();
        assert_eq!(completed, vec![a, b, c]);
        assert_eq!(session.packet_ids_in_use(), 0);
    }
}

#[test]
fn session_not_present_discards_and_reports_the_lost_messages() {
    let version = ProtocolVersion::V5;
    let (mut session, _old_peer, [a, b, c]) = session_with_inflight(version);
    let mut peer = reconnect(&mut session, version, 10);
    let _ = app_events(&mut session);
    peer.send(&mut session, 12, connack(false))
        .expect("CONNACK");
    assert!(peer.received(&mut session).is_empty(), "nothing resent");
    let events = app_events(&mut session);
    let [Event::Connected(info), Event::SessionDiscarded {
        unacknowledged,
        unreleased,
    }] = events.as_slice()
    else {
        panic!("expected Connected then SessionDiscarded, got {events:#?}");
    };
    assert!(!info.session_present);
    let lost: Vec<Option<u16>> = unacknowledged.iter().map(|p| p.packet_id).collect();
    assert_eq!(lost, vec![Some(a), Some(b)]);
    assert_eq!(unreleased, &vec![c]);
    assert_eq!(
        (session.inflight_len(), session.packet_ids_in_use()),
        (0, 0)
    );
}

#[test]
fn inbound_qos2_resent_after_reconnect_is_not_delivered_again() {
    let version = ProtocolVersion::V5;
    let (mut session, mut peer) = connected(resumable(version));
    let mut publish = Publish::new("in/2", "once");
    publish.qos = QoS::ExactlyOnce;
    publish.packet_id = Some(21);
    peer.send(&mut session, 1, publish.clone())
        .expect("PUBLISH");
    assert_eq!(
        peer.received_one(&mut session),
        Packet::PubRec(PubRec::new(21))
    );
    let mut peer = reconnect(&mut session, version, 5);
    peer.send(&mut session, 7, connack(true)).expect("CONNACK");
    publish.dup = true;
    peer.send(&mut session, 8, publish).expect("PUBLISH resent");
    assert_eq!(
        peer.received_one(&mut session),
        Packet::PubRec(PubRec::new(21))
    );
    peer.send(&mut session, 9, PubRel::new(21)).expect("PUBREL");
    assert_eq!(
        peer.received_one(&mut session),
        Packet::PubComp(PubComp::new(21))
    );
    let delivered = app_events(&mut session)
        .into_iter()
        .filter(|event| matches!(event, Event::Message(_)))
        .count();
    assert_eq!(delivered, 1);
}

#[test]
fn unacknowledged_subscribe_and_queued_messages_go_out_on_the_next_connection() {
    let version = ProtocolVersion::V3_1_1;
    let (mut session, mut peer) = connected(resumable(version));
    let sub_id = session
        .subscribe(
            1,
            vec![SubscribeFilter::new("s/#", QoS::AtLeastOnce)],
            Properties::default(),
        )
        .expect("subscribe");
    let _ = peer.received(&mut session);
    let mut peer = reconnect(&mut session, version, 5);
    session
        .publish(
            6,
            OutgoingPublish::new("later", "x").with_qos(QoS::AtLeastOnce),
        )
        .expect("queued while connecting");
    assert!(peer.received(&mut session).is_empty());
    peer.send(&mut session, 7, connack(false)).expect("CONNACK");
    let sent = peer.received(&mut session);
    assert!(
        matches!(
            sent.as_slice(),
            [Packet::Subscribe(subscribe), Packet::Publish(publish)]
                if subscribe.packet_id == sub_id && publish.topic == "later" && !publish.dup
        ),
        "{sent:#?}"
    );
}
