//! Publish and subscribe as clients see it: QoS end to end, wildcards and `$` topics,
//! ordering, overlapping subscriptions, No Local, subscription identifiers, shared
//! subscriptions, and MQTT 5 properties passed through unchanged.

mod common;

use bytes::Bytes;
use common::{v4, v5, QUIET};
use rumqttc::v5::mqttbytes::v5::{Filter, PublishProperties, RetainForwardRule};
use rumqttc::v5::mqttbytes::QoS as Q5;
use rumqttc::QoS as Q4;

#[tokio::test]
async fn delivery_qos_is_the_lower_of_publish_and_granted() {
    let broker = common::start().await;
    let port = broker.port();
    let mut at0 = v4::connect(port, "sub0").await;
    let mut at1 = v4::connect(port, "sub1").await;
    let mut at2 = v4::connect(port, "sub2").await;
    assert_eq!(
        at0.subscribe("q/+", Q4::AtMostOnce).await,
        [rumqttc::SubscribeReasonCode::Success(Q4::AtMostOnce)]
    );
    assert_eq!(
        at1.subscribe("q/+", Q4::AtLeastOnce).await,
        [rumqttc::SubscribeReasonCode::Success(Q4::AtLeastOnce)]
    );
    assert_eq!(
        at2.subscribe("q/+", Q4::ExactlyOnce).await,
        [rumqttc::SubscribeReasonCode::Success(Q4::ExactlyOnce)]
    );
    let publisher = v4::connect(port, "pub").await;
    for (topic, qos) in [
        ("q/0", Q4::AtMostOnce),
        ("q/1", Q4::AtLeastOnce),
        ("q/2", Q4::ExactlyOnce),
    ] {
        publisher.publish(topic, qos, false, topic.as_bytes()).await;
    }
    for (subscriber, granted) in [
        (&mut at0, Q4::AtMostOnce),
        (&mut at1, Q4::AtLeastOnce),
        (&mut at2, Q4::ExactlyOnce),
    ] {
        for sent in [Q4::AtMostOnce, Q4::AtLeastOnce, Q4::ExactlyOnce] {
            let publish = subscriber.next_publish().await;
            let expected = if (sent as u8) < (granted as u8) {
                sent
            } else {
                granted
            };
            assert_eq!(publish.qos, expected, "{}", publish.topic);
            assert!(!publish.retain);
        }
    }
}

#[tokio::test]
async fn messages_arrive_in_order_per_topic() {
    let broker = common::start().await;
    let mut subscriber = v5::connect(broker.port(), "ordered-sub").await;
    subscriber.subscribe("seq", Q5::ExactlyOnce).await;
    let publisher = v5::connect(broker.port(), "ordered-pub").await;
    for index in 0..300u32 {
        let qos = [Q5::AtMostOnce, Q5::AtLeastOnce, Q5::ExactlyOnce][index as usize % 3];
        publisher
            .publish("seq", qos, false, &index.to_be_bytes())
            .await;
    }
    for index in 0..300u32 {
        let publish = subscriber.next_publish().await;
        assert_eq!(&publish.payload[..], &index.to_be_bytes());
    }
}

#[tokio::test]
async fn wildcards_match_but_not_dollar_topics() {
    let broker = common::start().await;
    let mut everything = v4::connect(broker.port(), "everything").await;
    everything.subscribe("#", Q4::AtMostOnce).await;
    let mut sys = v4::connect(broker.port(), "sys").await;
    sys.subscribe("$SYS/broker/uptime", Q4::AtMostOnce).await;
    let mut plus = v4::connect(broker.port(), "plus").await;
    plus.subscribe("a/+/c", Q4::AtMostOnce).await;

    broker.broker.publish_sys_topics();
    assert_eq!(sys.next_publish().await.topic, "$SYS/broker/uptime");
    everything.no_publish(QUIET).await;

    let publisher = v4::connect(broker.port(), "wild-pub").await;
    publisher
        .publish("a/b/c", Q4::AtMostOnce, false, b"1")
        .await;
    publisher
        .publish("a/b/d", Q4::AtMostOnce, false, b"2")
        .await;
    assert_eq!(plus.next_publish().await.topic, "a/b/c");
    assert_eq!(everything.next_publish().await.topic, "a/b/c");
    assert_eq!(everything.next_publish().await.topic, "a/b/d");
    plus.no_publish(QUIET).await;
}

#[tokio::test]
async fn overlapping_subscriptions_deliver_once_at_the_highest_qos_with_every_identifier() {
    let broker = common::start().await;
    let mut subscriber = v5::connect(broker.port(), "overlap").await;
    subscriber
        .subscribe_many(vec![v5::filter("o/+", Q5::AtMostOnce)], Some(1))
        .await;
    subscriber
        .subscribe_many(vec![v5::filter("o/#", Q5::ExactlyOnce)], Some(2))
        .await;
    subscriber
        .subscribe_many(vec![v5::filter("o/x", Q5::AtLeastOnce)], None)
        .await;
    let publisher = v5::connect(broker.port(), "overlap-pub").await;
    publisher
        .publish("o/x", Q5::ExactlyOnce, false, b"once")
        .await;
    let publish = subscriber.next_publish().await;
    assert_eq!(publish.qos, Q5::ExactlyOnce);
    let mut ids = publish
        .properties
        .expect("properties")
        .subscription_identifiers;
    ids.sort();
    assert_eq!(ids, [1, 2]);
    subscriber.no_publish(QUIET).await;
}

#[tokio::test]
async fn no_local_keeps_a_clients_own_messages_from_it() {
    let broker = common::start().await;
    let mut client = v5::connect(broker.port(), "narcissus").await;
    let mut filter = v5::filter("echo", Q5::AtLeastOnce);
    filter.nolocal = true;
    client.subscribe_many(vec![filter], None).await;
    client
        .publish("echo", Q5::AtLeastOnce, false, b"mine")
        .await;
    client.no_publish(QUIET).await;
    let other = v5::connect(broker.port(), "other").await;
    other
        .publish("echo", Q5::AtLeastOnce, false, b"theirs")
        .await;
    assert_eq!(&client.next_publish().await.payload[..], b"theirs");
}

#[tokio::test]
async fn a_shared_subscription_gives_each_message_to_one_member_in_turn() {
    let broker = common::start().await;
    let mut first = v5::connect(broker.port(), "worker-1").await;
    let mut second = v5::connect(broker.port(), "worker-2").await;
    let mut v3_member = v4::connect(broker.port(), "worker-3").await;
    first
        .subscribe("$share/workers/jobs/#", Q5::AtLeastOnce)
        .await;
    second
        .subscribe("$share/workers/jobs/#", Q5::AtLeastOnce)
        .await;
    v3_member
        .subscribe("$share/workers/jobs/#", Q4::AtLeastOnce)
        .await;
    let mut watcher = v5::connect(broker.port(), "watcher").await;
    watcher.subscribe("jobs/#", Q5::AtLeastOnce).await;

    let publisher = v5::connect(broker.port(), "boss").await;
    for index in 0..9u8 {
        publisher
            .publish("jobs/new", Q5::AtLeastOnce, false, &[index])
            .await;
    }
    let mut received = Vec::new();
    for _ in 0..3 {
        received.push(first.next_publish().await.payload[0]);
        received.push(second.next_publish().await.payload[0]);
        received.push(v3_member.next_publish().await.payload[0]);
    }
    received.sort();
    assert_eq!(received, (0..9).collect::<Vec<u8>>());
    for _ in 0..9 {
        watcher.next_publish().await;
    }
    first.no_publish(QUIET).await;
    second.no_publish(QUIET).await;
}

#[tokio::test]
async fn properties_pass_through_unchanged() {
    let broker = common::start().await;
    let mut subscriber = v5::connect(broker.port(), "props-sub").await;
    subscriber.subscribe("req", Q5::AtLeastOnce).await;
    let publisher = v5::connect(broker.port(), "props-pub").await;
    let properties = PublishProperties {
        payload_format_indicator: Some(1),
        content_type: Some("application/json".into()),
        response_topic: Some("reply/here".into()),
        correlation_data: Some(Bytes::from_static(b"\x00\x01corr")),
        user_properties: vec![("k".into(), "v1".into()), ("k".into(), "v2".into())],
        ..PublishProperties::default()
    };
    publisher
        .publish_with(
            "req",
            Q5::AtLeastOnce,
            false,
            b"{\"a\":1}",
            properties.clone(),
        )
        .await;
    let received = subscriber
        .next_publish()
        .await
        .properties
        .expect("properties");
    assert_eq!(received.payload_format_indicator, Some(1));
    assert_eq!(received.content_type, properties.content_type);
    assert_eq!(received.response_topic, properties.response_topic);
    assert_eq!(received.correlation_data, properties.correlation_data);
    assert_eq!(received.user_properties, properties.user_properties);
    assert_eq!(received.message_expiry_interval, None);
}

#[tokio::test]
async fn a_v3_subscriber_gets_a_v5_message_without_properties() {
    let broker = common::start().await;
    let mut subscriber = v4::connect(broker.port(), "plain").await;
    subscriber.subscribe("x", Q4::AtLeastOnce).await;
    let publisher = v5::connect(broker.port(), "fancy").await;
    let properties = PublishProperties {
        content_type: Some("text/plain".into()),
        user_properties: vec![("a".into(), "b".into())],
        ..PublishProperties::default()
    };
    publisher
        .publish_with("x", Q5::AtLeastOnce, false, b"hello", properties)
        .await;
    let publish = subscriber.next_publish().await;
    assert_eq!(&publish.payload[..], b"hello");
    assert_eq!(publish.qos, Q4::AtLeastOnce);
}

#[tokio::test]
async fn retain_as_published_keeps_the_flag_on_live_messages() {
    let broker = common::start().await;
    let mut keeps = v5::connect(broker.port(), "keeps").await;
    let mut filter = Filter::new("rap", Q5::AtMostOnce);
    filter.preserve_retain = true;
    filter.retain_forward_rule = RetainForwardRule::Never;
    keeps.subscribe_many(vec![filter], None).await;
    let mut clears = v5::connect(broker.port(), "clears").await;
    clears.subscribe("rap", Q5::AtMostOnce).await;
    let publisher = v5::connect(broker.port(), "rap-pub").await;
    publisher.publish("rap", Q5::AtMostOnce, true, b"r").await;
    assert!(keeps.next_publish().await.retain);
    assert!(!clears.next_publish().await.retain);
}

#[tokio::test]
async fn unsubscribe_stops_delivery() {
    let broker = common::start().await;
    let mut subscriber = v5::connect(broker.port(), "leaver").await;
    subscriber.subscribe("u/#", Q5::AtMostOnce).await;
    subscriber
        .client
        .unsubscribe("u/#")
        .await
        .expect("unsubscribe");
    subscriber
        .expect("UNSUBACK", |packet| match packet {
            rumqttc::v5::mqttbytes::v5::Packet::UnsubAck(ack) => Some(ack.clone()),
            _ => None,
        })
        .await;
    let publisher = v5::connect(broker.port(), "u-pub").await;
    publisher
        .publish("u/1", Q5::AtMostOnce, false, b"gone")
        .await;
    subscriber.no_publish(QUIET).await;
    assert!(broker.broker.stats().subscriptions.is_empty());
}

/// MQTT 3.1.1 clients never hear the broker's Receive Maximum, so a burst of
/// unacknowledged QoS 1 / 2 publishes larger than it must not cost them the connection.
#[tokio::test]
async fn a_v3_burst_beyond_the_receive_maximum_is_delivered_in_full() {
    const BURST: usize = 100;
    let broker = common::start().await;
    let port = broker.port();
    for qos in [Q4::ExactlyOnce, Q4::AtLeastOnce] {
        let mut subscriber = v4::connect(port, "burst-sub").await;
        subscriber.subscribe("burst", qos).await;
        let mut options = v4::options(port, "burst-pub");
        options.set_inflight(u16::try_from(BURST * 2).unwrap_or(u16::MAX));
        let mut publisher = v4::connect_with(options).await;
        for index in 0..BURST {
            publisher
                .publish("burst", qos, false, index.to_string().as_bytes())
                .await;
        }
        for index in 0..BURST {
            publisher
                .expect(
                    "the acknowledgement that ends the flow",
                    |packet| match packet {
                        rumqttc::Packet::PubComp(_) | rumqttc::Packet::PubAck(_) => Some(()),
                        _ => None,
                    },
                )
                .await;
            let publish = subscriber.next_publish().await;
            assert_eq!(
                &publish.payload[..],
                index.to_string().as_bytes(),
                "{qos:?}"
            );
        }
        publisher.disconnect().await;
        subscriber.disconnect().await;
    }
}
