//! Sessions as a returning client sees them: clean session (3.1.1), Clean Start and
//! Session Expiry (5.0), Session Present, messages queued while offline (bounded, QoS
//! 0 not kept, expired ones dropped), and unacknowledged messages resent with DUP.

mod common;

use std::time::Duration;

use broker::{BrokerConfig, Limits};
use common::raw::{connect_packet, Raw};
use common::{v4, v5, QUIET};
use mqtt::{Packet, ProtocolVersion, PubAck, QoS, Subscribe, SubscribeFilter};
use rumqttc::v5::mqttbytes::v5::PublishProperties;
use rumqttc::v5::mqttbytes::QoS as Q5;
use rumqttc::QoS as Q4;

fn v4_persistent(port: u16, id: &str) -> rumqttc::MqttOptions {
    let mut options = v4::options(port, id);
    options.set_clean_session(false);
    options
}

#[tokio::test]
async fn a_v3_persistent_session_keeps_subscriptions_and_queues_messages() {
    let broker = common::start().await;
    let mut client = v4::connect_with(v4_persistent(broker.port(), "keeper")).await;
    assert!(!client.connack.session_present);
    client.subscribe("keep/#", Q4::AtLeastOnce).await;
    client.disconnect().await;

    let publisher = v4::connect(broker.port(), "keep-pub").await;
    for index in 0..3u8 {
        publisher
            .publish("keep/x", Q4::AtLeastOnce, false, &[index])
            .await;
    }
    publisher
        .publish("keep/x", Q4::AtMostOnce, false, b"qos0 is not kept")
        .await;
    common::eventually("three messages are queued", || {
        broker.broker.stats().totals.publish_received == 4
    })
    .await;

    let mut back = v4::connect_with(v4_persistent(broker.port(), "keeper")).await;
    assert!(back.connack.session_present);
    for index in 0..3u8 {
        let publish = back.next_publish().await;
        assert_eq!(&publish.payload[..], &[index]);
    }
    back.no_publish(QUIET).await;
    publisher
        .publish("keep/y", Q4::AtLeastOnce, false, b"live")
        .await;
    assert_eq!(&back.next_publish().await.payload[..], b"live");
}

#[tokio::test]
async fn a_v3_clean_session_forgets_everything() {
    let broker = common::start().await;
    let mut client = v4::connect(broker.port(), "forgetful").await;
    client.subscribe("f/#", Q4::AtLeastOnce).await;
    client.disconnect().await;
    let back = v4::connect(broker.port(), "forgetful").await;
    assert!(!back.connack.session_present);
    assert!(broker.broker.stats().subscriptions.is_empty());
}

#[tokio::test]
async fn a_v5_session_lives_for_its_expiry_interval() {
    let broker = common::start().await;
    let mut client = v5::connect_with(v5::persistent(broker.port(), "expiring", 1)).await;
    client.subscribe("e/#", Q5::AtLeastOnce).await;
    client.disconnect().await;
    let back = v5::connect_with(v5::persistent(broker.port(), "expiring", 1)).await;
    assert!(back.connack.session_present);
    back.disconnect().await;
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let later = v5::connect_with(v5::persistent(broker.port(), "expiring", 1)).await;
    assert!(!later.connack.session_present);
    assert_eq!(broker.broker.stats().subscriptions.len(), 0);
}

#[tokio::test]
async fn a_v5_session_without_expiry_ends_with_the_connection() {
    let broker = common::start().await;
    let mut options = v5::options(broker.port(), "brief");
    options.set_clean_start(false);
    let mut client = v5::connect_with(options.clone()).await;
    client.subscribe("b/#", Q5::AtLeastOnce).await;
    client.disconnect().await;
    let back = v5::connect_with(options).await;
    assert!(!back.connack.session_present);
}

#[tokio::test]
async fn clean_start_discards_a_stored_session() {
    let broker = common::start().await;
    let mut client = v5::connect_with(v5::persistent(broker.port(), "restart", 60)).await;
    client.subscribe("r/#", Q5::AtLeastOnce).await;
    client.disconnect().await;
    let mut options = v5::persistent(broker.port(), "restart", 60);
    options.set_clean_start(true);
    let mut fresh = v5::connect_with(options).await;
    assert!(!fresh.connack.session_present);
    let publisher = v5::connect(broker.port(), "r-pub").await;
    publisher.publish("r/1", Q5::AtLeastOnce, false, b"x").await;
    fresh.no_publish(QUIET).await;
}

#[tokio::test]
async fn the_offline_queue_is_bounded_and_drops_are_counted() {
    let broker = common::start_with(BrokerConfig {
        limits: Limits {
            max_queued_messages: 5,
            ..Limits::default()
        },
        sys_interval: None,
        ..BrokerConfig::default()
    })
    .await;
    let mut client = v5::connect_with(v5::persistent(broker.port(), "bounded", 60)).await;
    client.subscribe("bq", Q5::AtLeastOnce).await;
    client.disconnect().await;
    let publisher = v5::connect(broker.port(), "bq-pub").await;
    for index in 0..10u8 {
        publisher
            .publish("bq", Q5::AtLeastOnce, false, &[index])
            .await;
    }
    common::eventually("five messages are dropped", || {
        broker.broker.stats().totals.publish_dropped == 5
    })
    .await;
    let mut back = v5::connect_with(v5::persistent(broker.port(), "bounded", 60)).await;
    for index in 0..5u8 {
        assert_eq!(back.next_publish().await.payload[0], index);
    }
    back.no_publish(QUIET).await;
}

#[tokio::test]
async fn messages_that_expire_while_queued_are_not_delivered() {
    let broker = common::start().await;
    let mut client = v5::connect_with(v5::persistent(broker.port(), "expiry-queue", 60)).await;
    client.subscribe("eq", Q5::AtLeastOnce).await;
    client.disconnect().await;
    let publisher = v5::connect(broker.port(), "eq-pub").await;
    let expiry = |seconds| PublishProperties {
        message_expiry_interval: Some(seconds),
        ..PublishProperties::default()
    };
    publisher
        .publish_with("eq", Q5::AtLeastOnce, false, b"short", expiry(1))
        .await;
    publisher
        .publish_with("eq", Q5::AtLeastOnce, false, b"long", expiry(100))
        .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut back = v5::connect_with(v5::persistent(broker.port(), "expiry-queue", 60)).await;
    let publish = back.next_publish().await;
    assert_eq!(&publish.payload[..], b"long");
    let remaining = publish.properties.and_then(|p| p.message_expiry_interval);
    assert!(matches!(remaining, Some(97..=99)), "{remaining:?}");
    back.no_publish(QUIET).await;
}

#[tokio::test]
async fn unacknowledged_messages_are_resent_with_dup_on_resume() {
    let broker = common::start().await;
    let mut connect = connect_packet(ProtocolVersion::V3_1_1, "forgets-acks");
    connect.clean_start = false;
    let (mut raw, connack) = Raw::connect(broker.port(), connect.clone()).await;
    assert!(!connack.session_present);
    raw.send(Packet::Subscribe(Subscribe::new(
        1,
        vec![
            SubscribeFilter::new("dup/1", QoS::AtLeastOnce),
            SubscribeFilter::new("dup/2", QoS::ExactlyOnce),
        ],
    )))
    .await;
    assert!(matches!(raw.recv().await, Some(Packet::SubAck(_))));
    let publisher = v4::connect(broker.port(), "dup-pub").await;
    publisher
        .publish("dup/1", Q4::AtLeastOnce, false, b"one")
        .await;
    publisher
        .publish("dup/2", Q4::ExactlyOnce, false, b"two")
        .await;
    let mut first = Vec::new();
    while first.len() < 2 {
        if let Some(Packet::Publish(publish)) = raw.recv().await {
            assert!(!publish.dup);
            first.push(publish);
        }
    }
    drop(raw);

    let (mut again, connack) = Raw::connect(broker.port(), connect).await;
    assert!(connack.session_present);
    for original in &first {
        match again.recv().await {
            Some(Packet::Publish(resent)) => {
                assert!(resent.dup);
                assert_eq!(resent.packet_id, original.packet_id);
                assert_eq!(resent.payload, original.payload);
                assert_eq!(resent.qos, original.qos);
            }
            other => panic!("expected the resent PUBLISH, got {other:?}"),
        }
    }
    let id = first[0].packet_id.expect("QoS 1 packet id");
    again.send(Packet::PubAck(PubAck::new(id))).await;
}
