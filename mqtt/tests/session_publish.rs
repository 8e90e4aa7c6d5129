//! Publishing both ways against a scripted server: QoS 0, 1 and 2 flows, a resent
//! inbound QoS 2 message delivered once, packet identifier allocation, and the
//! server's receive maximum, maximum packet size, maximum QoS and retain limits.

mod session_support;

use bytes::Bytes;
use mqtt::client::{ConnectOptions, Event, OutgoingPublish, SessionError};
use mqtt::{
    Packet, PacketType, Properties, PropertyValues, ProtocolVersion, PubAck, PubComp, PubRec,
    PubRel, Publish, QoS, ReasonCode,
};
use session_support::{app_events, connack_with, connect_with, connected, options};

fn inbound(topic: &str, payload: &'static str, qos: QoS, packet_id: Option<u16>) -> Publish {
    let mut publish = Publish::new(topic, payload);
    publish.qos = qos;
    publish.packet_id = packet_id;
    publish
}

fn sent_publish(packet: Packet) -> Publish {
    match packet {
        Packet::Publish(publish) => publish,
        other => panic!("expected PUBLISH, got {other:?}"),
    }
}

#[test]
fn qos0_publish_goes_out_without_packet_identifier() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V5));
    let id = session
        .publish(1, OutgoingPublish::new("a/b", "hello").with_retain(true))
        .expect("published");
    assert_eq!(id, None);
    let publish = sent_publish(peer.received_one(&mut session));
    assert_eq!(publish.topic, "a/b");
    assert_eq!(publish.payload, Bytes::from_static(b"hello"));
    assert_eq!(
        (publish.qos, publish.packet_id, publish.retain, publish.dup),
        (QoS::AtMostOnce, None, true, false)
    );
    assert!(app_events(&mut session).is_empty());
}

#[test]
fn qos1_publish_completes_on_puback() {
    for version in [ProtocolVersion::V3_1_1, ProtocolVersion::V5] {
        let (mut session, mut peer) = connected(options(version));
        let id = session
            .publish(1, OutgoingPublish::new("a", "x").with_qos(QoS::AtLeastOnce))
            .expect("published")
            .expect("QoS 1 has an identifier");
        assert_ne!(id, 0);
        let publish = sent_publish(peer.received_one(&mut session));
        assert_eq!(
            (publish.qos, publish.packet_id),
            (QoS::AtLeastOnce, Some(id))
        );
        assert_eq!(session.inflight_len(), 1);
        peer.send(&mut session, 2, PubAck::new(id)).expect("PUBACK");
        assert_eq!(
            app_events(&mut session),
            vec![Event::PublishComplete {
                packet_id: id,
                qos: QoS::AtLeastOnce,
                code: ReasonCode::Success,
                properties: Properties::default()
            }]
        );
        assert_eq!(session.inflight_len(), 0);
        assert_eq!(session.packet_ids_in_use(), 0);
    }
}

#[test]
fn qos2_publish_releases_on_pubrec_and_completes_on_pubcomp() {
    for version in [ProtocolVersion::V3_1_1, ProtocolVersion::V5] {
        let (mut session, mut peer) = connected(options(version));
        let id = session
            .publish(1, OutgoingPublish::new("a", "x").with_qos(QoS::ExactlyOnce))
            .expect("published")
            .expect("QoS 2 has an identifier");
        let publish = sent_publish(peer.received_one(&mut session));
        assert_eq!(
            (publish.qos, publish.packet_id),
            (QoS::ExactlyOnce, Some(id))
        );
        peer.send(&mut session, 2, PubRec::new(id)).expect("PUBREC");
        assert_eq!(
            peer.received_one(&mut session),
            Packet::PubRel(PubRel::new(id))
        );
        assert!(
            app_events(&mut session).is_empty(),
            "not complete before PUBCOMP"
        );
        // A repeated PUBREC is answered with PUBREL again.
        peer.send(&mut session, 3, PubRec::new(id))
            .expect("PUBREC again");
        assert_eq!(
            peer.received_one(&mut session),
            Packet::PubRel(PubRel::new(id))
        );
        peer.send(&mut session, 4, PubComp::new(id))
            .expect("PUBCOMP");
        assert_eq!(
            app_events(&mut session),
            vec![Event::PublishComplete {
                packet_id: id,
                qos: QoS::ExactlyOnce,
                code: ReasonCode::Success,
                properties: Properties::default()
            }]
        );
        assert_eq!(session.packet_ids_in_use(), 0);
    }
}

#[test]
fn failed_pubrec_ends_the_flow_with_its_code() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V5));
    let id = session
        .publish(1, OutgoingPublish::new("a", "x").with_qos(QoS::ExactlyOnce))
        .expect("published")
        .expect("id");
    let _ = peer.received(&mut session);
    peer.send(
        &mut session,
        2,
        PubRec::with_code(id, ReasonCode::QuotaExceeded),
    )
    .expect("PUBREC");
    assert!(
        peer.received(&mut session).is_empty(),
        "no PUBREL after a failed PUBREC"
    );
    assert!(matches!(
        app_events(&mut session).as_slice(),
        [Event::PublishComplete {
            code: ReasonCode::QuotaExceeded,
            ..
        }]
    ));
    assert_eq!(session.packet_ids_in_use(), 0);
}

#[test]
fn inbound_qos0_and_qos1_are_delivered_and_qos1_acknowledged() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V3_1_1));
    peer.send(
        &mut session,
        1,
        inbound("t/0", "zero", QoS::AtMostOnce, None),
    )
    .expect("QoS 0");
    assert!(peer.received(&mut session).is_empty());
    peer.send(
        &mut session,
        2,
        inbound("t/1", "one", QoS::AtLeastOnce, Some(77)),
    )
    .expect("QoS 1");
    assert_eq!(
        peer.received_one(&mut session),
        Packet::PubAck(PubAck::new(77))
    );
    let events = app_events(&mut session);
    let topics: Vec<&str> = events
        .iter()
        .filter_map(|event| match event {
            Event::Message(publish) => Some(publish.topic.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(topics, ["t/0", "t/1"]);
}

#[test]
fn inbound_qos2_resent_before_pubrel_is_delivered_once() {
    for version in [ProtocolVersion::V3_1_1, ProtocolVersion::V5] {
        let (mut session, mut peer) = connected(options(version));
        let first = inbound("t/2", "once", QoS::ExactlyOnce, Some(9));
        peer.send(&mut session, 1, first.clone()).expect("PUBLISH");
        assert_eq!(
            peer.received_one(&mut session),
            Packet::PubRec(PubRec::new(9))
        );
        let mut again = first.clone();
        again.dup = true;
        peer.send(&mut session, 2, again).expect("PUBLISH again");
        assert_eq!(
            peer.received_one(&mut session),
            Packet::PubRec(PubRec::new(9))
        );
        let delivered = app_events(&mut session)
            .into_iter()
            .filter(|event| matches!(event, Event::Message(_)))
            .count();
        assert_eq!(delivered, 1, "{version}");

        peer.send(&mut session, 3, PubRel::new(9)).expect("PUBREL");
        assert_eq!(
            peer.received_one(&mut session),
            Packet::PubComp(PubComp::new(9))
        );
        // After the release, identifier 9 carries a new message.
        peer.send(&mut session, 4, first)
            .expect("new message with id 9");
        assert!(matches!(
            app_events(&mut session).as_slice(),
            [Event::Message(_)]
        ));
    }
}

#[test]
fn pubrel_for_an_unknown_identifier_is_completed_with_not_found() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V5));
    peer.send(&mut session, 1, PubRel::new(33)).expect("PUBREL");
    assert_eq!(
        peer.received_one(&mut session),
        Packet::PubComp(PubComp::with_code(33, ReasonCode::PacketIdentifierNotFound))
    );
}

#[test]
fn unknown_puback_is_reported_without_ending_the_connection() {
    let (mut session, peer) = connected(options(ProtocolVersion::V5));
    peer.send(&mut session, 1, PubAck::new(400))
        .expect("tolerated");
    assert_eq!(
        app_events(&mut session),
        vec![Event::ProtocolError(SessionError::UnknownPacketId {
            packet: PacketType::PubAck,
            packet_id: 400
        })]
    );
    assert_eq!(session.state(), mqtt::SessionState::Connected);
}

#[test]
fn packet_identifiers_are_non_zero_and_skip_those_in_use() {
    let (mut session, mut peer) = connected(ConnectOptions {
        packet_events: false,
        ..options(ProtocolVersion::V5)
    });
    let mut seen = std::collections::HashSet::new();
    for _ in 0..u16::MAX {
        let id = session
            .publish(1, OutgoingPublish::new("t", "").with_qos(QoS::AtLeastOnce))
            .expect("published")
            .expect("id");
        assert_ne!(id, 0);
        assert!(seen.insert(id), "identifier {id} handed out twice");
    }
    assert_eq!(
        session.publish(1, OutgoingPublish::new("t", "").with_qos(QoS::AtLeastOnce)),
        Err(SessionError::PacketIdsExhausted)
    );
    let _ = peer.received(&mut session);
    peer.send(&mut session, 2, PubAck::new(500))
        .expect("PUBACK");
    assert_eq!(
        session.publish(3, OutgoingPublish::new("t", "").with_qos(QoS::AtLeastOnce)),
        Ok(Some(500))
    );
}

#[test]
fn receive_maximum_queues_and_acks_release_in_order() {
    let (mut session, mut peer) = connect_with(
        options(ProtocolVersion::V5),
        connack_with(Properties::from(PropertyValues {
            receive_maximum: Some(2),
            ..PropertyValues::default()
        })),
    );
    let mut ids = Vec::new();
    for n in 0..4 {
        let message = OutgoingPublish::new(format!("t/{n}"), "x").with_qos(QoS::AtLeastOnce);
        ids.push(session.publish(1, message).expect("accepted").expect("id"));
    }
    session
        .publish(1, OutgoingPublish::new("t/qos0", "x"))
        .expect("QoS 0 accepted");
    let sent: Vec<Publish> = peer
        .received(&mut session)
        .into_iter()
        .map(sent_publish)
        .collect();
    assert_eq!(
        sent.iter().map(|p| p.topic.as_str()).collect::<Vec<_>>(),
        ["t/0", "t/1"]
    );
    assert_eq!((session.inflight_len(), session.queued_len()), (2, 3));

    peer.send(&mut session, 2, PubAck::new(ids[0]))
        .expect("PUBACK");
    let sent: Vec<Publish> = peer
        .received(&mut session)
        .into_iter()
        .map(sent_publish)
        .collect();
    assert_eq!(
        sent.iter().map(|p| p.topic.as_str()).collect::<Vec<_>>(),
        ["t/2"]
    );

    peer.send(&mut session, 3, PubAck::new(ids[1]))
        .expect("PUBACK");
    let sent: Vec<Publish> = peer
        .received(&mut session)
        .into_iter()
        .map(sent_publish)
        .collect();
    // The QoS 0 message kept its place behind t/3.
    assert_eq!(
        sent.iter().map(|p| p.topic.as_str()).collect::<Vec<_>>(),
        ["t/3", "t/qos0"]
    );
    assert_eq!((session.inflight_len(), session.queued_len()), (2, 0));
}

#[test]
fn queue_beyond_its_limit_is_refused() {
    let (mut session, _peer) = connect_with(
        ConnectOptions {
            max_queued_publishes: 1,
            ..options(ProtocolVersion::V5)
        },
        connack_with(Properties::from(PropertyValues {
            receive_maximum: Some(1),
            ..PropertyValues::default()
        })),
    );
    let qos1 = || OutgoingPublish::new("t", "x").with_qos(QoS::AtLeastOnce);
    session.publish(1, qos1()).expect("in flight");
    session.publish(1, qos1()).expect("queued");
    assert_eq!(
        session.publish(1, qos1()),
        Err(SessionError::QueueFull { limit: 1 })
    );
}

#[test]
fn packet_above_the_servers_maximum_is_refused_before_sending() {
    let (mut session, mut peer) = connect_with(
        options(ProtocolVersion::V5),
        connack_with(Properties::from(PropertyValues {
            maximum_packet_size: Some(64),
            ..PropertyValues::default()
        })),
    );
    let result = session.publish(
        1,
        OutgoingPublish::new("big", vec![0u8; 100]).with_qos(QoS::AtLeastOnce),
    );
    assert!(
        matches!(
            result,
            Err(SessionError::PacketTooLarge { packet: PacketType::Publish, maximum: 64, size }) if size > 100
        ),
        "{result:?}"
    );
    assert!(peer.received(&mut session).is_empty());
    assert_eq!(session.packet_ids_in_use(), 0);
    session
        .publish(2, OutgoingPublish::new("small", "ok"))
        .expect("a small message still goes");
}

#[test]
fn maximum_qos_and_retain_available_are_honoured() {
    let (mut session, mut peer) = connect_with(
        options(ProtocolVersion::V5),
        connack_with(Properties::from(PropertyValues {
            maximum_qos: Some(QoS::AtMostOnce),
            retain_available: Some(false),
            ..PropertyValues::default()
        })),
    );
    assert_eq!(
        session.publish(1, OutgoingPublish::new("t", "x").with_qos(QoS::ExactlyOnce)),
        Err(SessionError::QoSNotSupported {
            requested: QoS::ExactlyOnce,
            maximum: QoS::AtMostOnce
        })
    );
    assert_eq!(
        session.publish(1, OutgoingPublish::new("t", "x").with_retain(true)),
        Err(SessionError::RetainNotSupported)
    );
    assert!(peer.received(&mut session).is_empty());
    assert_eq!(session.packet_ids_in_use(), 0);
}

#[test]
fn invalid_topic_names_are_refused() {
    let (mut session, mut peer) = connected(options(ProtocolVersion::V3_1_1));
    for topic in ["", "a/+", "a/#"] {
        assert!(
            matches!(
                session.publish(1, OutgoingPublish::new(topic, "x")),
                Err(SessionError::InvalidTopicName { .. })
            ),
            "{topic:?}"
        );
    }
    assert!(peer.received(&mut session).is_empty());
}

#[test]
fn publishes_made_while_connecting_go_out_after_connack() {
    let mut peer = session_support::Peer::new(ProtocolVersion::V5);
    let mut session = mqtt::ClientSession::new(options(ProtocolVersion::V5));
    session.connect(0).expect("connect");
    let _ = peer.received(&mut session);
    session
        .publish(
            1,
            OutgoingPublish::new("early", "x").with_qos(QoS::AtLeastOnce),
        )
        .expect("queued");
    assert!(
        peer.received(&mut session).is_empty(),
        "nothing before CONNACK"
    );
    peer.send(&mut session, 2, mqtt::ConnAck::new(ReasonCode::Success))
        .expect("CONNACK");
    let publish = sent_publish(peer.received_one(&mut session));
    assert_eq!(publish.topic, "early");
}
