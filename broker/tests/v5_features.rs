//! MQTT 5 features a client can observe: topic aliases both ways, Receive Maximum both
//! ways, Maximum Packet Size both ways, Message Expiry, Server Keep Alive, Request
//! Problem Information, reason codes for refused publishes and subscriptions.

mod common;

use std::time::Duration;

use broker::{BrokerConfig, Limits};
use common::raw::{connect_packet, Raw};
use common::{v5, QUIET};
use mqtt::{Packet, ProtocolVersion, PubRel, Publish, QoS, ReasonCode, Subscribe, SubscribeFilter};
use rumqttc::v5::mqttbytes::v5::PublishProperties;
use rumqttc::v5::mqttbytes::QoS as Q5;

fn publish(topic: &str, qos: QoS, packet_id: Option<u16>, payload: &'static [u8]) -> Publish {
    let mut publish = Publish::new(topic, payload);
    publish.qos = qos;
    publish.packet_id = packet_id;
    publish
}

fn disconnect_codes(packets: &[Packet]) -> Vec<ReasonCode> {
    packets
        .iter()
        .filter_map(|packet| match packet {
            Packet::Disconnect(disconnect) => Some(disconnect.code),
            _ => None,
        })
        .collect()
}

fn limited(limits: Limits) -> BrokerConfig {
    BrokerConfig {
        limits,
        sys_interval: None,
        ..BrokerConfig::default()
    }
}

#[tokio::test]
async fn inbound_topic_aliases_stand_for_their_topic() {
    let broker = common::start().await;
    let mut subscriber = v5::connect(broker.port(), "alias-sub").await;
    subscriber.subscribe("alias/#", Q5::AtLeastOnce).await;
    let publisher = v5::connect(broker.port(), "alias-pub").await;
    let with_alias = PublishProperties {
        topic_alias: Some(1),
        ..PublishProperties::default()
    };
    publisher
        .publish_with("alias/x", Q5::AtLeastOnce, false, b"1", with_alias.clone())
        .await;
    publisher
        .publish_with("", Q5::AtLeastOnce, false, b"2", with_alias)
        .await;
    for payload in [b"1", b"2"] {
        let publish = subscriber.next_publish().await;
        assert_eq!(&publish.topic[..], b"alias/x");
        assert_eq!(&publish.payload[..], payload);
    }
}

#[tokio::test]
async fn an_alias_above_the_maximum_or_never_set_ends_the_connection() {
    let broker = common::start().await;
    let (mut raw, _) = Raw::connect(broker.port(), connect_packet(ProtocolVersion::V5, "a1")).await;
    let mut too_high = publish("t", QoS::AtMostOnce, None, b"x");
    too_high.properties.topic_alias = Some(11);
    raw.send(Packet::Publish(too_high)).await;
    assert_eq!(
        disconnect_codes(&raw.until_closed().await),
        [ReasonCode::TopicAliasInvalid]
    );

    let (mut raw, _) = Raw::connect(broker.port(), connect_packet(ProtocolVersion::V5, "a2")).await;
    let mut unknown = publish("", QoS::AtMostOnce, None, b"x");
    unknown.properties.topic_alias = Some(3);
    raw.send(Packet::Publish(unknown)).await;
    assert_eq!(
        disconnect_codes(&raw.until_closed().await),
        [ReasonCode::ProtocolError]
    );
}

#[tokio::test]
async fn outbound_topic_aliases_are_used_when_the_client_allows_them() {
    let broker = common::start().await;
    let mut connect = connect_packet(ProtocolVersion::V5, "alias-raw");
    connect.properties.topic_alias_maximum = Some(2);
    let (mut raw, _) = Raw::connect(broker.port(), connect).await;
    raw.send(Packet::Subscribe(Subscribe::new(
        1,
        vec![SubscribeFilter::new("out/#", QoS::AtMostOnce)],
    )))
    .await;
    assert!(matches!(raw.recv().await, Some(Packet::SubAck(_))));

    let mut rumq_options = v5::options(broker.port(), "alias-rumqttc");
    rumq_options.set_topic_alias_max(Some(2));
    let mut rumq = v5::connect_with(rumq_options).await;
    rumq.subscribe("out/#", Q5::AtMostOnce).await;

    let publisher = v5::connect(broker.port(), "alias-src").await;
    for topic in ["out/a", "out/a", "out/b", "out/c", "out/c"] {
        publisher.publish(topic, Q5::AtMostOnce, false, b"p").await;
    }
    let mut wire = Vec::new();
    while wire.len() < 5 {
        if let Some(Packet::Publish(publish)) = raw.recv().await {
            wire.push((publish.topic.to_string(), publish.properties.topic_alias));
        }
    }
    assert_eq!(
        wire,
        [
            ("out/a".to_owned(), Some(1)),
            (String::new(), Some(1)),
            ("out/b".to_owned(), Some(2)),
            ("out/c".to_owned(), None),
            ("out/c".to_owned(), None),
        ]
    );
    for topic in ["out/a", "out/a", "out/b", "out/c", "out/c"] {
        assert_eq!(&rumq.next_publish().await.topic[..], topic.as_bytes());
    }
}

#[tokio::test]
async fn never_more_unacknowledged_messages_than_the_clients_receive_maximum() {
    let broker = common::start().await;
    let mut options = v5::options(broker.port(), "slow-acker");
    options.set_receive_maximum(Some(2));
    options.set_manual_acks(true);
    let mut subscriber = v5::connect_with(options).await;
    subscriber.subscribe("rm", Q5::AtLeastOnce).await;
    let publisher = v5::connect(broker.port(), "rm-pub").await;
    for index in 0..5u8 {
        publisher
            .publish("rm", Q5::AtLeastOnce, false, &[index])
            .await;
    }
    let mut received = vec![
        subscriber.next_publish().await,
        subscriber.next_publish().await,
    ];
    subscriber.no_publish(QUIET).await;
    let stats = broker.broker.stats();
    let client = stats
        .clients
        .iter()
        .find(|c| c.client_id == "slow-acker")
        .expect("listed");
    assert_eq!((client.inflight, client.queued), (2, 3));
    for publish in received.drain(..) {
        subscriber.client.ack(&publish).await.expect("ack");
    }
    for index in 2..4u8 {
        let publish = subscriber.next_publish().await;
        assert_eq!(publish.payload[0], index);
        received.push(publish);
    }
    subscriber.no_publish(QUIET).await;
    for publish in received.drain(..) {
        subscriber.client.ack(&publish).await.expect("ack");
    }
    assert_eq!(subscriber.next_publish().await.payload[0], 4);
}

#[tokio::test]
async fn exceeding_the_brokers_receive_maximum_ends_the_connection_with_0x93() {
    let broker = common::start().await;
    let (mut raw, connack) =
        Raw::connect(broker.port(), connect_packet(ProtocolVersion::V5, "flood")).await;
    let maximum = connack.properties.receive_maximum.expect("Receive Maximum");
    assert_eq!(maximum, 20);
    for id in 1..=maximum {
        raw.send(Packet::Publish(publish(
            "flood",
            QoS::ExactlyOnce,
            Some(id),
            b"x",
        )))
        .await;
        assert!(matches!(raw.recv().await, Some(Packet::PubRec(_))));
    }
    // Completing one flow frees a slot.
    raw.send(Packet::PubRel(PubRel::new(1))).await;
    assert!(matches!(raw.recv().await, Some(Packet::PubComp(_))));
    raw.send(Packet::Publish(publish(
        "flood",
        QoS::ExactlyOnce,
        Some(100),
        b"x",
    )))
    .await;
    assert!(matches!(raw.recv().await, Some(Packet::PubRec(_))));
    raw.send(Packet::Publish(publish(
        "flood",
        QoS::ExactlyOnce,
        Some(101),
        b"x",
    )))
    .await;
    assert_eq!(
        disconnect_codes(&raw.until_closed().await),
        [ReasonCode::ReceiveMaximumExceeded]
    );
}

#[tokio::test]
async fn a_message_too_big_for_one_subscriber_is_dropped_for_that_subscriber_only() {
    let broker = common::start().await;
    let mut options = v5::options(broker.port(), "small");
    options.set_max_packet_size(Some(128));
    let mut small = v5::connect_with(options).await;
    small.subscribe("size", Q5::AtLeastOnce).await;
    let mut large = v5::connect(broker.port(), "large").await;
    large.subscribe("size", Q5::AtLeastOnce).await;
    let publisher = v5::connect(broker.port(), "size-pub").await;
    publisher
        .publish("size", Q5::AtLeastOnce, false, &[7u8; 1000])
        .await;
    publisher
        .publish("size", Q5::AtLeastOnce, false, b"tiny")
        .await;
    assert_eq!(large.next_publish().await.payload.len(), 1000);
    assert_eq!(&large.next_publish().await.payload[..], b"tiny");
    assert_eq!(&small.next_publish().await.payload[..], b"tiny");
    assert!(broker.broker.stats().totals.publish_dropped >= 1);
}

#[tokio::test]
async fn a_packet_above_the_brokers_maximum_ends_the_connection_with_0x95() {
    let broker = common::start_with(limited(Limits {
        max_packet_size: 1024,
        ..Limits::default()
    }))
    .await;
    let (mut raw, connack) =
        Raw::connect(broker.port(), connect_packet(ProtocolVersion::V5, "big")).await;
    assert_eq!(connack.properties.maximum_packet_size, Some(1024));
    let payload: &'static [u8] = Box::leak(vec![0u8; 2000].into_boxed_slice());
    raw.send(Packet::Publish(publish(
        "big",
        QoS::AtMostOnce,
        None,
        payload,
    )))
    .await;
    assert_eq!(
        disconnect_codes(&raw.until_closed().await),
        [ReasonCode::PacketTooLarge]
    );
}

#[tokio::test]
async fn expired_retained_messages_are_dropped_and_live_ones_carry_the_remaining_interval() {
    let broker = common::start().await;
    let publisher = v5::connect(broker.port(), "expiry-pub").await;
    let expiring = |seconds| PublishProperties {
        message_expiry_interval: Some(seconds),
        ..PublishProperties::default()
    };
    publisher
        .publish_with("exp/short", Q5::AtLeastOnce, true, b"s", expiring(1))
        .await;
    publisher
        .publish_with("exp/long", Q5::AtLeastOnce, true, b"l", expiring(60))
        .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut subscriber = v5::connect(broker.port(), "expiry-sub").await;
    subscriber.subscribe("exp/#", Q5::AtLeastOnce).await;
    let publish = subscriber.next_publish().await;
    assert_eq!(&publish.topic[..], b"exp/long");
    let remaining = publish.properties.and_then(|p| p.message_expiry_interval);
    assert!(matches!(remaining, Some(58..=60)), "{remaining:?}");
    subscriber.no_publish(QUIET).await;
}

#[tokio::test]
async fn server_keep_alive_overrides_the_clients() {
    let broker = common::start_with(limited(Limits {
        server_keep_alive: Some(7),
        ..Limits::default()
    }))
    .await;
    let client = v5::connect(broker.port(), "told").await;
    let properties = client.connack.properties.clone().expect("properties");
    assert_eq!(properties.server_keep_alive, Some(7));
    assert_eq!(broker.broker.stats().clients[0].keep_alive, 7);
}

#[tokio::test]
async fn refused_publishes_get_reason_strings_unless_the_client_opted_out() {
    let broker = common::start_with(limited(Limits {
        max_topic_levels: 2,
        ..Limits::default()
    }))
    .await;
    for (id, problem_info, expect_reason) in
        [("rpi-on", None, true), ("rpi-off", Some(false), false)]
    {
        let mut connect = connect_packet(ProtocolVersion::V5, id);
        connect.properties.request_problem_information = problem_info;
        let (mut raw, _) = Raw::connect(broker.port(), connect).await;
        raw.send(Packet::Publish(publish(
            "a/b/c",
            QoS::AtLeastOnce,
            Some(1),
            b"x",
        )))
        .await;
        match raw.recv().await {
            Some(Packet::PubAck(ack)) => {
                assert_eq!(ack.code, ReasonCode::TopicNameInvalid);
                assert_eq!(ack.properties.reason_string.is_some(), expect_reason);
            }
            other => panic!("expected PUBACK, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_payload_marked_utf8_must_be_utf8() {
    let broker = common::start().await;
    let (mut raw, _) =
        Raw::connect(broker.port(), connect_packet(ProtocolVersion::V5, "utf")).await;
    let mut bad = publish("u", QoS::AtLeastOnce, Some(1), b"\xff\xfe");
    bad.properties.payload_format_indicator = Some(true);
    raw.send(Packet::Publish(bad)).await;
    match raw.recv().await {
        Some(Packet::PubAck(ack)) => assert_eq!(ack.code, ReasonCode::PayloadFormatInvalid),
        other => panic!("expected PUBACK, got {other:?}"),
    }
}

#[tokio::test]
async fn publishing_with_no_subscribers_is_reported() {
    let broker = common::start().await;
    let (mut raw, _) =
        Raw::connect(broker.port(), connect_packet(ProtocolVersion::V5, "lonely")).await;
    raw.send(Packet::Publish(publish(
        "nobody",
        QoS::AtLeastOnce,
        Some(1),
        b"x",
    )))
    .await;
    match raw.recv().await {
        Some(Packet::PubAck(ack)) => assert_eq!(ack.code, ReasonCode::NoMatchingSubscribers),
        other => panic!("expected PUBACK, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_filters_are_refused_per_filter_in_each_version() {
    let broker = common::start().await;
    for (version, expected) in [
        (ProtocolVersion::V5, ReasonCode::TopicFilterInvalid),
        (ProtocolVersion::V3_1_1, ReasonCode::UnspecifiedError),
    ] {
        let (mut raw, _) = Raw::connect(broker.port(), connect_packet(version, "filters")).await;
        let filters = vec![
            SubscribeFilter::new("ok/+", QoS::AtLeastOnce),
            SubscribeFilter::new("bad/#/x", QoS::AtLeastOnce),
            SubscribeFilter::new("$share/g", QoS::AtLeastOnce),
        ];
        raw.send(Packet::Subscribe(Subscribe::new(5, filters)))
            .await;
        match raw.recv().await {
            Some(Packet::SubAck(ack)) => {
                assert_eq!(
                    ack.codes,
                    [ReasonCode::GrantedQoS1, expected, expected],
                    "{version}"
                )
            }
            other => panic!("expected SUBACK, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn no_local_on_a_shared_subscription_is_a_protocol_error() {
    let broker = common::start().await;
    let (mut raw, _) = Raw::connect(broker.port(), connect_packet(ProtocolVersion::V5, "nl")).await;
    let mut filter = SubscribeFilter::new("$share/g/t", QoS::AtMostOnce);
    filter.options.no_local = true;
    raw.send(Packet::Subscribe(Subscribe::new(1, vec![filter])))
        .await;
    assert_eq!(
        disconnect_codes(&raw.until_closed().await),
        [ReasonCode::ProtocolError]
    );
}

#[tokio::test]
async fn subscription_quota_is_enforced() {
    let broker = common::start_with(limited(Limits {
        max_subscriptions_per_client: 2,
        ..Limits::default()
    }))
    .await;
    let (mut raw, _) =
        Raw::connect(broker.port(), connect_packet(ProtocolVersion::V5, "greedy")).await;
    let filters: Vec<SubscribeFilter> = ["a", "b", "a", "c"]
        .into_iter()
        .map(|filter| SubscribeFilter::new(filter, QoS::AtMostOnce))
        .collect();
    raw.send(Packet::Subscribe(Subscribe::new(1, filters)))
        .await;
    match raw.recv().await {
        Some(Packet::SubAck(ack)) => assert_eq!(
            ack.codes,
            [
                ReasonCode::Success,
                ReasonCode::Success,
                ReasonCode::Success,
                ReasonCode::QuotaExceeded
            ]
        ),
        other => panic!("expected SUBACK, got {other:?}"),
    }
}
