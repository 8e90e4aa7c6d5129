//! Wills as the subscribers of their topic see them: published on abnormal
//! disconnect, keep-alive expiry, takeover and DISCONNECT 0x04; not on a normal
//! DISCONNECT; after the Will Delay Interval, or not at all if the client comes back.

mod common;

use std::time::Duration;

use bytes::Bytes;
use common::raw::{connect_packet, Raw};
use common::{v4, v5, QUIET};
use mqtt::{Disconnect, LastWill, Packet, ProtocolVersion, QoS, ReasonCode};
use rumqttc::v5::mqttbytes::v5::{LastWill as LastWill5, LastWillProperties};
use rumqttc::v5::mqttbytes::QoS as Q5;
use rumqttc::QoS as Q4;

async fn watcher(port: u16, id: &str) -> v5::Client {
    let mut watcher = v5::connect(port, id).await;
    watcher.subscribe("will/#", Q5::AtLeastOnce).await;
    watcher
}

fn v4_with_will(port: u16, id: &str) -> rumqttc::MqttOptions {
    let mut options = v4::options(port, id);
    options.set_last_will(rumqttc::LastWill::new(
        format!("will/{id}"),
        "gone",
        Q4::AtLeastOnce,
        false,
    ));
    options
}

#[tokio::test]
async fn an_abnormal_disconnect_publishes_the_will() {
    let broker = common::start().await;
    let mut watcher = watcher(broker.port(), "w-abnormal").await;
    let client = v4::connect_with(v4_with_will(broker.port(), "crasher")).await;
    client.kill();
    let will = watcher.next_publish().await;
    assert_eq!(&will.topic[..], b"will/crasher");
    assert_eq!(&will.payload[..], b"gone");
    assert_eq!(will.qos, Q5::AtLeastOnce);
}

#[tokio::test]
async fn a_normal_disconnect_discards_the_will() {
    let broker = common::start().await;
    let mut watcher = watcher(broker.port(), "w-normal").await;
    let client = v4::connect_with(v4_with_will(broker.port(), "polite")).await;
    client.disconnect().await;
    watcher.no_publish(QUIET).await;
}

#[tokio::test]
async fn disconnect_with_will_message_publishes_it() {
    let broker = common::start().await;
    let mut watcher = watcher(broker.port(), "w-04").await;
    let mut connect = connect_packet(ProtocolVersion::V5, "asks");
    connect.will = Some(LastWill::new(
        "will/asks",
        Bytes::from_static(b"please"),
        QoS::AtMostOnce,
    ));
    let (mut raw, _) = Raw::connect(broker.port(), connect).await;
    raw.send(Packet::Disconnect(Disconnect::new(
        ReasonCode::DisconnectWithWillMessage,
    )))
    .await;
    assert_eq!(&watcher.next_publish().await.payload[..], b"please");
}

#[tokio::test]
async fn keep_alive_expiry_publishes_the_will() {
    let broker = common::start().await;
    let mut watcher = watcher(broker.port(), "w-ka").await;
    let mut connect = connect_packet(ProtocolVersion::V3_1_1, "silent");
    connect.keep_alive = 1;
    connect.will = Some(LastWill::new(
        "will/silent",
        Bytes::from_static(b"timeout"),
        QoS::AtLeastOnce,
    ));
    let (_raw, _) = Raw::connect(broker.port(), connect).await;
    let will = watcher.next_publish().await;
    assert_eq!(&will.payload[..], b"timeout");
}

#[tokio::test]
async fn a_retained_will_is_kept() {
    let broker = common::start().await;
    let mut options = v4::options(broker.port(), "retainer");
    options.set_last_will(rumqttc::LastWill::new(
        "will/retained",
        "last words",
        Q4::AtMostOnce,
        true,
    ));
    v4::connect_with(options).await.kill();
    common::eventually("the will is retained", || {
        broker.broker.stats().retained_count == 1
    })
    .await;
    let mut late = v5::connect(broker.port(), "late").await;
    late.subscribe("will/retained", Q5::AtMostOnce).await;
    let will = late.next_publish().await;
    assert!(will.retain);
    assert_eq!(&will.payload[..], b"last words");
}

fn delayed_will(port: u16, id: &str, delay: u32) -> rumqttc::v5::MqttOptions {
    let mut options = v5::persistent(port, id, 60);
    let properties = LastWillProperties {
        delay_interval: Some(delay),
        payload_format_indicator: None,
        message_expiry_interval: None,
        content_type: Some("text/plain".into()),
        response_topic: None,
        correlation_data: None,
        user_properties: vec![("reason".into(), "test".into())],
    };
    options.set_last_will(LastWill5::new(
        format!("will/{id}"),
        "delayed",
        Q5::AtLeastOnce,
        false,
        Some(properties),
    ));
    options
}

#[tokio::test]
async fn a_will_delay_holds_the_will_back_and_keeps_its_properties() {
    let broker = common::start().await;
    let mut watcher = watcher(broker.port(), "w-delay").await;
    let client = v5::connect_with(delayed_will(broker.port(), "late-will", 1)).await;
    client.kill();
    let started = tokio::time::Instant::now();
    let will = watcher.next_publish().await;
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    let properties = will.properties.expect("will properties");
    assert_eq!(properties.content_type.as_deref(), Some("text/plain"));
    assert_eq!(
        properties.user_properties,
        [("reason".to_owned(), "test".to_owned())]
    );
}

#[tokio::test]
async fn reconnecting_within_the_will_delay_cancels_the_will() {
    let broker = common::start().await;
    let mut watcher = watcher(broker.port(), "w-cancel").await;
    let client = v5::connect_with(delayed_will(broker.port(), "comeback", 1)).await;
    client.kill();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _back = v5::connect_with(v5::persistent(broker.port(), "comeback", 60)).await;
    watcher.no_publish(Duration::from_millis(1500)).await;
}

#[tokio::test]
async fn a_will_goes_out_when_its_session_ends_before_the_delay() {
    let broker = common::start().await;
    let mut watcher = watcher(broker.port(), "w-session-end").await;
    let mut options = delayed_will(broker.port(), "short-session", 30);
    let mut properties = options.connect_properties().expect("properties");
    properties.session_expiry_interval = Some(0);
    options.set_connect_properties(properties);
    v5::connect_with(options).await.kill();
    assert_eq!(&watcher.next_publish().await.payload[..], b"delayed");
}

#[tokio::test]
async fn a_taken_over_connection_publishes_its_will() {
    let broker = common::start().await;
    let mut watcher = watcher(broker.port(), "w-takeover").await;
    let _first = v4::connect_with(v4_with_will(broker.port(), "doubled")).await;
    let _second = v4::connect(broker.port(), "doubled").await;
    assert_eq!(&watcher.next_publish().await.topic[..], b"will/doubled");
}

#[tokio::test]
async fn a_takeover_that_continues_the_session_cancels_a_delayed_will() {
    let broker = common::start().await;
    let mut watcher = watcher(broker.port(), "w-takeover-resume").await;
    let _first = v5::connect_with(delayed_will(broker.port(), "resumed", 1)).await;
    let second = v5::connect_with(v5::persistent(broker.port(), "resumed", 60)).await;
    assert!(second.connack.session_present);
    watcher.no_publish(Duration::from_millis(1500)).await;
}

#[tokio::test]
async fn a_takeover_that_starts_clean_ends_the_session_and_sends_a_delayed_will() {
    let broker = common::start().await;
    let mut watcher = watcher(broker.port(), "w-takeover-clean").await;
    // The delay is far longer than the test waits: only the session ending sends it.
    let _first = v5::connect_with(delayed_will(broker.port(), "restarted", 300)).await;
    let second = v5::connect(broker.port(), "restarted").await;
    assert!(!second.connack.session_present);
    let will = watcher.next_publish().await;
    assert_eq!(&will.topic[..], b"will/restarted");
    assert_eq!(&will.payload[..], b"delayed");
}
