//! Retained messages as subscribers see them: stored, replaced, cleared by an empty
//! payload, delivered on subscribe at the lower QoS, and Retain Handling 0 / 1 / 2.

mod common;

use common::{v4, v5, QUIET};
use rumqttc::v5::mqttbytes::v5::{Filter, RetainForwardRule};
use rumqttc::v5::mqttbytes::QoS as Q5;
use rumqttc::QoS as Q4;

#[tokio::test]
async fn the_latest_retained_message_is_delivered_on_subscribe() {
    let broker = common::start().await;
    let publisher = v4::connect(broker.port(), "ret-pub").await;
    publisher
        .publish("ret/a", Q4::AtLeastOnce, true, b"first")
        .await;
    publisher
        .publish("ret/a", Q4::AtLeastOnce, true, b"second")
        .await;
    publisher
        .publish("ret/b", Q4::AtMostOnce, true, b"other")
        .await;
    publisher
        .publish("ret/c", Q4::AtMostOnce, false, b"not retained")
        .await;
    common::eventually("two retained messages are stored", || {
        broker.broker.stats().retained_count == 2
    })
    .await;

    let mut subscriber = v4::connect(broker.port(), "ret-sub").await;
    subscriber.subscribe("ret/+", Q4::ExactlyOnce).await;
    let mut got = Vec::new();
    for _ in 0..2 {
        let publish = subscriber.next_publish().await;
        assert!(publish.retain);
        got.push((publish.topic, publish.payload.to_vec(), publish.qos as u8));
    }
    got.sort();
    assert_eq!(
        got,
        [
            ("ret/a".to_owned(), b"second".to_vec(), 1),
            ("ret/b".to_owned(), b"other".to_vec(), 0),
        ]
    );
    subscriber.no_publish(QUIET).await;
}

#[tokio::test]
async fn an_empty_retained_payload_clears_the_topic_and_is_still_delivered() {
    let broker = common::start().await;
    let publisher = v5::connect(broker.port(), "clear-pub").await;
    publisher
        .publish("clear/me", Q5::AtLeastOnce, true, b"state")
        .await;
    let mut live = v5::connect(broker.port(), "clear-live").await;
    live.subscribe("clear/me", Q5::AtLeastOnce).await;
    assert_eq!(&live.next_publish().await.payload[..], b"state");
    publisher
        .publish("clear/me", Q5::AtLeastOnce, true, b"")
        .await;
    assert!(live.next_publish().await.payload.is_empty());
    common::eventually("the retained message is cleared", || {
        broker.broker.stats().retained_count == 0
    })
    .await;
    let mut later = v5::connect(broker.port(), "clear-later").await;
    later.subscribe("clear/#", Q5::AtLeastOnce).await;
    later.no_publish(QUIET).await;
}

fn with_rule(rule: RetainForwardRule) -> Filter {
    let mut filter = Filter::new("rh/topic", Q5::AtLeastOnce);
    filter.retain_forward_rule = rule;
    filter
}

#[tokio::test]
async fn retain_handling_0_1_and_2() {
    let broker = common::start().await;
    let publisher = v5::connect(broker.port(), "rh-pub").await;
    publisher
        .publish("rh/topic", Q5::AtLeastOnce, true, b"kept")
        .await;
    common::eventually("the message is retained", || {
        broker.broker.stats().retained_count == 1
    })
    .await;

    let mut always = v5::connect(broker.port(), "rh0").await;
    let mut if_new = v5::connect(broker.port(), "rh1").await;
    let mut never = v5::connect(broker.port(), "rh2").await;
    for _ in 0..2 {
        always
            .subscribe_many(vec![with_rule(RetainForwardRule::OnEverySubscribe)], None)
            .await;
        if_new
            .subscribe_many(vec![with_rule(RetainForwardRule::OnNewSubscribe)], None)
            .await;
        never
            .subscribe_many(vec![with_rule(RetainForwardRule::Never)], None)
            .await;
    }
    for _ in 0..2 {
        assert!(always.next_publish().await.retain);
    }
    assert!(if_new.next_publish().await.retain);
    for client in [&mut always, &mut if_new, &mut never] {
        client.no_publish(QUIET).await;
    }
}

#[tokio::test]
async fn retained_messages_are_not_sent_to_shared_subscriptions() {
    let broker = common::start().await;
    let publisher = v5::connect(broker.port(), "rs-pub").await;
    publisher
        .publish("shared/ret", Q5::AtLeastOnce, true, b"r")
        .await;
    common::eventually("the message is retained", || {
        broker.broker.stats().retained_count == 1
    })
    .await;
    let mut member = v5::connect(broker.port(), "rs-member").await;
    member
        .subscribe("$share/g/shared/ret", Q5::AtLeastOnce)
        .await;
    member.no_publish(QUIET).await;
}
