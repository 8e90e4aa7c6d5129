//! Faults: malformed and protocol-violating bytes, connections cut mid-packet, a
//! subscriber that never reads, hundreds of clients connecting at once and takeover
//! storms. Each checks that the broker stays up and well-behaved clients lose nothing.

mod common;

use std::time::Duration;

use broker::{BrokerConfig, Limits};
use common::raw::{connect_packet, Raw};
use common::{v4, v5, WAIT};
use mqtt::{Packet, ProtocolVersion, QoS, ReasonCode, Subscribe, SubscribeFilter};
use rumqttc::v5::mqttbytes::QoS as Q5;
use rumqttc::QoS as Q4;
use tokio::io::AsyncWriteExt;

/// A subscriber and a publisher that must keep working whatever else happens.
async fn bystanders(port: u16) -> (v5::Client, v4::Client) {
    let mut subscriber = v5::connect(port, "bystander-sub").await;
    subscriber.subscribe("calm/#", Q5::AtLeastOnce).await;
    let publisher = v4::connect(port, "bystander-pub").await;
    (subscriber, publisher)
}

async fn still_fine(subscriber: &mut v5::Client, publisher: &v4::Client, payload: &[u8]) {
    publisher
        .publish("calm/check", Q4::AtLeastOnce, false, payload)
        .await;
    assert_eq!(&subscriber.next_publish().await.payload[..], payload);
}

#[tokio::test]
async fn garbage_before_connect_closes_only_that_connection() {
    let broker = common::start().await;
    let (mut subscriber, publisher) = bystanders(broker.port()).await;
    let garbage: [&[u8]; 5] = [
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        &[0x00, 0x00],
        &[0x10, 0xff, 0xff, 0xff, 0xff, 0x7f],
        &[0x30, 0x02, 0x00, 0x00],
        &[
            0x10,
            0x0a,
            0,
            4,
            b'M',
            b'Q',
            b'T',
            b'T',
            4,
            0b0000_0001,
            0,
            10,
        ],
    ];
    for bytes in garbage {
        let mut raw = Raw::open(broker.port()).await;
        raw.send_bytes(bytes).await;
        let packets = raw.until_closed().await;
        assert!(
            packets.iter().all(
                |packet| !matches!(packet, Packet::ConnAck(ack) if ack.code == ReasonCode::Success)
            ),
            "{packets:?}"
        );
    }
    still_fine(&mut subscriber, &publisher, b"after garbage").await;
}

#[tokio::test]
async fn malformed_packets_after_connect_get_the_v5_reason_code() {
    let broker = common::start().await;
    let (mut subscriber, publisher) = bystanders(broker.port()).await;
    let cases: [(&[u8], ReasonCode); 5] = [
        // PUBLISH with QoS 3.
        (&[0x36, 0x03, 0x00, 0x01, b't'], ReasonCode::MalformedPacket),
        // Reserved packet type 0.
        (&[0x00, 0x00], ReasonCode::MalformedPacket),
        // SUBSCRIBE with wrong fixed-header flags.
        (
            &[0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01, b'a'],
            ReasonCode::MalformedPacket,
        ),
        // A second CONNECT.
        (
            &[
                0x10, 0x0d, 0, 4, b'M', b'Q', b'T', b'T', 5, 2, 0, 30, 0, 0, 0,
            ],
            ReasonCode::ProtocolError,
        ),
        // PUBLISH whose topic contains a wildcard.
        (
            &[0x30, 0x04, 0x00, 0x01, b'#', 0x00],
            ReasonCode::TopicNameInvalid,
        ),
    ];
    for (bytes, expected) in cases {
        let (mut raw, _) =
            Raw::connect(broker.port(), connect_packet(ProtocolVersion::V5, "bad")).await;
        raw.send_bytes(bytes).await;
        let codes: Vec<ReasonCode> = raw
            .until_closed()
            .await
            .into_iter()
            .filter_map(|packet| match packet {
                Packet::Disconnect(disconnect) => Some(disconnect.code),
                _ => None,
            })
            .collect();
        assert_eq!(codes, [expected], "after {bytes:02x?}");
    }
    let (mut raw, _) = Raw::connect(
        broker.port(),
        connect_packet(ProtocolVersion::V3_1_1, "bad3"),
    )
    .await;
    raw.send_bytes(&[0x36, 0x03, 0x00, 0x01, b't']).await;
    assert!(raw.until_closed().await.is_empty());
    still_fine(&mut subscriber, &publisher, b"after malformed").await;
}

#[tokio::test]
async fn connections_cut_mid_packet_do_not_disturb_others() {
    let broker = common::start().await;
    let (mut subscriber, publisher) = bystanders(broker.port()).await;
    for cut in [1usize, 2, 5, 9] {
        let (mut raw, _) =
            Raw::connect(broker.port(), connect_packet(ProtocolVersion::V5, "cut")).await;
        // A PUBLISH announcing 100 bytes, of which only `cut` arrive.
        let mut bytes = vec![0x30, 100, 0x00, 0x04, b'c', b'a', b'l', b'm', 0x00];
        bytes.extend_from_slice(&[b'x'; 91]);
        raw.stream.write_all(&bytes[..cut]).await.expect("write");
        drop(raw);
    }
    let mut half_connect = Raw::open(broker.port()).await;
    half_connect.send_bytes(&[0x10, 0x20, 0, 4, b'M']).await;
    drop(half_connect);
    still_fine(&mut subscriber, &publisher, b"after cuts").await;
    common::eventually("the cut connections are gone", || {
        broker.broker.stats().clients.len() == 2
    })
    .await;
}

#[tokio::test]
async fn a_subscriber_that_never_reads_neither_grows_memory_nor_delays_others() {
    let queue_limit = 200;
    let broker = common::start_with(BrokerConfig {
        limits: Limits {
            max_queued_messages: queue_limit,
            ..Limits::default()
        },
        sys_interval: None,
        ..BrokerConfig::default()
    })
    .await;
    let (mut stalled, _) = Raw::connect(
        broker.port(),
        connect_packet(ProtocolVersion::V5, "stalled"),
    )
    .await;
    stalled
        .send(Packet::Subscribe(Subscribe::new(
            1,
            vec![SubscribeFilter::new("flood", QoS::AtLeastOnce)],
        )))
        .await;
    assert!(matches!(stalled.recv().await, Some(Packet::SubAck(_))));
    // From here on the stalled client reads nothing.

    let mut reader = v5::connect(broker.port(), "reader").await;
    reader.subscribe("flood", Q5::AtLeastOnce).await;
    let publisher = v5::connect(broker.port(), "flooder").await;
    let payload = vec![b'p'; 4096];
    // In lockstep with the reader, so that only the stalled client can fall behind;
    // every message must reach the reader promptly even once the stalled one is full.
    for index in 0..3000u32 {
        let mut body = index.to_be_bytes().to_vec();
        body.extend_from_slice(&payload);
        publisher
            .publish("flood", Q5::AtLeastOnce, false, &body)
            .await;
        let publish = reader.next_publish().await;
        assert_eq!(&publish.payload[..4], &index.to_be_bytes());
    }
    let stats = broker.broker.stats();
    let stalled_stats = stats
        .clients
        .iter()
        .find(|client| client.client_id == "stalled")
        .expect("the stalled client is still connected");
    assert!(stalled_stats.queued <= queue_limit, "{stalled_stats:?}");
    assert!(stalled_stats.dropped > 0, "{stalled_stats:?}");
    assert!(stats.totals.publish_dropped >= stalled_stats.dropped);
    drop(stalled);
}

#[tokio::test]
async fn hundreds_of_clients_connecting_at_once_all_get_through() {
    let broker = common::start().await;
    let port = broker.port();
    let clients = 250;
    let mut connecting = Vec::new();
    for index in 0..clients {
        connecting.push(tokio::spawn(async move {
            let mut client = v4::connect(port, &format!("crowd-{index}")).await;
            client.subscribe("crowd/all", Q4::AtLeastOnce).await;
            client
        }));
    }
    let mut connected = Vec::new();
    for task in connecting {
        connected.push(
            tokio::time::timeout(WAIT, task)
                .await
                .expect("in time")
                .expect("connected"),
        );
    }
    assert_eq!(broker.broker.stats().clients.len(), clients);
    let announcer = v5::connect(port, "announcer").await;
    announcer
        .publish("crowd/all", Q5::AtLeastOnce, false, b"hello all")
        .await;
    for client in &mut connected {
        assert_eq!(&client.next_publish().await.payload[..], b"hello all");
    }
}

#[tokio::test]
async fn a_takeover_storm_leaves_one_connection_and_a_working_broker() {
    let broker = common::start().await;
    let port = broker.port();
    let (mut subscriber, publisher) = bystanders(port).await;
    let mut storm = Vec::new();
    for _ in 0..30 {
        storm.push(tokio::spawn(async move {
            let (mut raw, connack) =
                Raw::connect(port, connect_packet(ProtocolVersion::V5, "contested")).await;
            assert_eq!(connack.code, ReasonCode::Success);
            raw.send(Packet::PingReq).await;
            raw
        }));
    }
    let mut survivors = Vec::new();
    for task in storm {
        survivors.push(
            tokio::time::timeout(WAIT, task)
                .await
                .expect("in time")
                .expect("connected"),
        );
    }
    common::eventually("exactly one contested connection remains", || {
        let stats = broker.broker.stats();
        stats
            .clients
            .iter()
            .filter(|c| c.client_id == "contested")
            .count()
            == 1
    })
    .await;
    still_fine(&mut subscriber, &publisher, b"after the storm").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(broker.broker.stats().clients.len(), 3);
}
