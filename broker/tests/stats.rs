//! Statistics: the `BrokerStats` snapshot the dashboard serialises, and the
//! `$SYS/broker/...` topics published on an interval under Mosquitto's names.

mod common;

use std::time::Duration;

use broker::{BrokerConfig, Transport};
use common::{v4, v5};
use rumqttc::v5::mqttbytes::QoS as Q5;
use rumqttc::QoS as Q4;

/// A v5 client subscribed to `s/+` (id 9), a 3.1.1 client in share group `g`, and
/// one retained QoS 1 message delivered to both.
async fn busy_broker() -> (common::TestBroker, v5::Client, v4::Client) {
    let broker = common::start().await;
    let mut five = v5::connect(broker.port(), "stats-five").await;
    five.subscribe_many(vec![v5::filter("s/+", Q5::AtLeastOnce)], Some(9))
        .await;
    let mut three = v4::connect(broker.port(), "stats-three").await;
    three.subscribe("$share/g/s/#", Q4::AtMostOnce).await;
    three
        .publish("s/1", Q4::AtLeastOnce, true, b"payload")
        .await;
    five.next_publish().await;
    three.next_publish().await;

    common::eventually("traffic is counted", || {
        let totals = broker.broker.stats().totals;
        totals.publish_received == 1 && totals.publish_sent == 2
    })
    .await;
    (broker, five, three)
}

#[tokio::test]
async fn stats_list_clients_with_their_figures() {
    let (broker, _five, _three) = busy_broker().await;
    let stats = broker.broker.stats();
    assert!(stats.version.starts_with("mqttdeck "));
    assert_eq!(stats.retained_count, 1);
    assert_eq!(stats.offline_sessions, 0);
    let summary: Vec<(&str, &str, Transport, usize)> = stats
        .clients
        .iter()
        .map(|c| {
            (
                c.client_id.as_str(),
                c.protocol.as_str(),
                c.transport,
                c.subscriptions,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("stats-five", "5.0", Transport::Tcp, 1),
            ("stats-three", "3.1.1", Transport::Tcp, 1)
        ]
    );
    let client = &stats.clients[0];
    assert!(client.address.starts_with("127.0.0.1:"));
    assert!(client.connected_since_ms > 1_600_000_000_000);
    assert_eq!(client.keep_alive, 30);
}

#[tokio::test]
async fn stats_list_subscriptions_and_count_traffic() {
    let (broker, _five, _three) = busy_broker().await;
    let stats = broker.broker.stats();
    let subscriptions: Vec<(&str, &str, u8, Option<u32>)> = stats
        .subscriptions
        .iter()
        .map(|s| {
            (
                s.client_id.as_str(),
                s.filter.as_str(),
                s.qos,
                s.subscription_identifier,
            )
        })
        .collect();
    assert_eq!(
        subscriptions,
        [
            ("stats-five", "s/+", 1, Some(9)),
            ("stats-three", "$share/g/s/#", 0, None)
        ]
    );
    assert_eq!(stats.totals.subscription_count, 2);
    assert!(stats.totals.bytes_received > 0 && stats.totals.bytes_sent > 0);
    assert!(stats.totals.messages_received >= 5);

    let json = serde_json::to_value(&stats).expect("serialises");
    assert_eq!(json["clients"][0]["transport"], "tcp");
    assert_eq!(json["totals"]["publish_received"], 1);
}

#[tokio::test]
async fn rates_follow_traffic() {
    let broker = common::start().await;
    let mut subscriber = v5::connect(broker.port(), "rate-sub").await;
    subscriber.subscribe("rate", Q5::AtMostOnce).await;
    let publisher = v5::connect(broker.port(), "rate-pub").await;
    for _ in 0..3 {
        for _ in 0..50 {
            publisher.publish("rate", Q5::AtMostOnce, false, b"r").await;
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    common::eventually("a receive rate is measured", || {
        broker.broker.stats().rates.publish_received > 0.0
    })
    .await;
}

#[tokio::test]
async fn sys_topics_use_mosquittos_names() {
    let broker = common::start_with(BrokerConfig {
        sys_interval: Some(Duration::from_secs(1)),
        ..BrokerConfig::default()
    })
    .await;
    let mut watcher = v4::connect(broker.port(), "sys-watcher").await;
    watcher.subscribe("$SYS/broker/#", Q4::AtMostOnce).await;
    let wanted = [
        "$SYS/broker/version",
        "$SYS/broker/uptime",
        "$SYS/broker/clients/connected",
        "$SYS/broker/messages/received",
        "$SYS/broker/messages/sent",
        "$SYS/broker/bytes/received",
        "$SYS/broker/bytes/sent",
        "$SYS/broker/subscriptions/count",
        "$SYS/broker/retained messages/count",
    ];
    let mut seen = std::collections::HashMap::new();
    while !wanted.iter().all(|topic| seen.contains_key(*topic)) {
        let publish = watcher.next_publish().await;
        seen.insert(
            publish.topic,
            String::from_utf8_lossy(&publish.payload).into_owned(),
        );
    }
    assert_eq!(seen["$SYS/broker/clients/connected"], "1");
    assert_eq!(seen["$SYS/broker/subscriptions/count"], "1");
    assert!(seen["$SYS/broker/uptime"].ends_with(" seconds"));
    assert!(seen["$SYS/broker/version"].starts_with("mqttdeck "));
}
