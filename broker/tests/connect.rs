//! CONNECT and the connection's life, as clients see it: every protocol version,
//! CONNACK properties, assigned client ids, keep alive, takeover, refusals, shutdown.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use broker::{AuthDecision, Authenticator, BrokerConfig, Limits};
use common::raw::{connect_packet, Raw};
use common::{v4, v5, WAIT};
use mqtt::{Packet, ProtocolVersion, Publish, QoS, ReasonCode, Subscribe, SubscribeFilter};
use rumqttc::v5::mqttbytes::v5::{ConnectReturnCode, DisconnectReasonCode};

#[tokio::test]
async fn v5_connack_advertises_modest_limits() {
    let broker = common::start().await;
    let client = v5::connect(broker.port(), "props").await;
    let properties = client
        .connack
        .properties
        .clone()
        .expect("CONNACK properties");
    assert_eq!(properties.receive_max, Some(20));
    assert_eq!(properties.topic_alias_max, Some(10));
    let max_packet_size = properties.max_packet_size.expect("Maximum Packet Size");
    assert!(max_packet_size <= 268_435_455);
    assert_eq!(max_packet_size, 1024 * 1024);
    assert_eq!(properties.assigned_client_identifier, None);
    assert!(!client.connack.session_present);
}

#[tokio::test]
async fn mqtt_3_1_3_1_1_and_5_interoperate() {
    let broker = common::start().await;
    let port = broker.port();
    let (mut v31, connack) = Raw::connect(port, connect_packet(ProtocolVersion::V3_1, "old")).await;
    assert_eq!(connack.code, ReasonCode::Success);
    let mut v311 = v4::connect(port, "v311").await;
    let mut v50 = v5::connect(port, "v50").await;
    v311.subscribe("mix/#", rumqttc::QoS::AtLeastOnce).await;
    v50.subscribe("mix/#", rumqttc::v5::mqttbytes::QoS::AtLeastOnce)
        .await;
    v31.send(Packet::Subscribe(Subscribe::new(
        1,
        vec![SubscribeFilter::new("mix/#", QoS::AtLeastOnce)],
    )))
    .await;
    assert!(matches!(v31.recv().await, Some(Packet::SubAck(_))));

    v50.publish(
        "mix/from5",
        rumqttc::v5::mqttbytes::QoS::AtLeastOnce,
        false,
        b"five",
    )
    .await;
    v311.publish("mix/from311", rumqttc::QoS::AtLeastOnce, false, b"three")
        .await;
    let mut publish = Publish::new("mix/from31", &b"old"[..]);
    publish.qos = QoS::AtLeastOnce;
    publish.packet_id = Some(7);
    v31.send(Packet::Publish(publish)).await;

    let mut seen_by_v311 = Vec::new();
    let mut seen_by_v50 = Vec::new();
    for _ in 0..3 {
        seen_by_v311.push(v311.next_publish().await.topic);
        seen_by_v50.push(String::from_utf8_lossy(&v50.next_publish().await.topic).into_owned());
    }
    let mut seen_by_v31 = Vec::new();
    while seen_by_v31.len() < 3 {
        match v31.recv().await {
            Some(Packet::Publish(publish)) => seen_by_v31.push(publish.topic.to_string()),
            Some(_) => {}
            None => panic!("3.1 client disconnected"),
        }
    }
    for seen in [&mut seen_by_v311, &mut seen_by_v50, &mut seen_by_v31] {
        seen.sort();
        assert_eq!(*seen, ["mix/from31", "mix/from311", "mix/from5"]);
    }
}

#[tokio::test]
async fn an_empty_client_id_is_assigned_one() {
    let broker = common::start().await;
    let mut connect = connect_packet(ProtocolVersion::V5, "");
    connect.clean_start = true;
    let (_client, connack) = Raw::connect(broker.port(), connect).await;
    assert_eq!(connack.code, ReasonCode::Success);
    let assigned = connack
        .properties
        .assigned_client_identifier
        .clone()
        .expect("Assigned Client Identifier");
    assert!(assigned.starts_with("mqttdeck-"), "{assigned}");
    let ids: Vec<String> = broker
        .broker
        .stats()
        .clients
        .into_iter()
        .map(|c| c.client_id)
        .collect();
    assert_eq!(ids, [assigned.to_string()]);

    let v311 = connect_packet(ProtocolVersion::V3_1_1, "");
    let (_client, connack) = Raw::connect(broker.port(), v311).await;
    assert_eq!(connack.code, ReasonCode::Success);
}

#[tokio::test]
async fn mqtt_3_1_1_refuses_an_empty_id_without_clean_session() {
    let broker = common::start().await;
    let mut connect = connect_packet(ProtocolVersion::V3_1_1, "");
    connect.clean_start = false;
    let (mut client, connack) = Raw::connect(broker.port(), connect).await;
    assert_eq!(connack.code, ReasonCode::ClientIdentifierNotValid);
    assert!(client.until_closed().await.is_empty());
}

#[tokio::test]
async fn an_unsupported_protocol_level_gets_return_code_1() {
    let broker = common::start().await;
    let mut raw = Raw::open(broker.port()).await;
    // CONNECT, protocol "MQTT" level 6.
    raw.send_bytes(&[0x10, 0x0c, 0, 4, b'M', b'Q', b'T', b'T', 6, 2, 0, 30, 0, 0])
        .await;
    let mut reply = [0u8; 4];
    tokio::io::AsyncReadExt::read_exact(&mut raw.stream, &mut reply)
        .await
        .expect("CONNACK");
    assert_eq!(reply, [0x20, 0x02, 0x00, 0x01]);
}

#[tokio::test]
async fn keep_alive_zero_is_accepted_and_never_times_out() {
    let broker = common::start().await;
    let mut connect = connect_packet(ProtocolVersion::V3_1_1, "no-keepalive");
    connect.keep_alive = 0;
    let (mut raw, connack) = Raw::connect(broker.port(), connect).await;
    assert_eq!(connack.code, ReasonCode::Success);
    tokio::time::sleep(Duration::from_millis(1600)).await;
    raw.send(Packet::PingReq).await;
    assert_eq!(raw.recv().await, Some(Packet::PingResp));
}

#[tokio::test]
async fn keep_alive_expires_after_one_and_a_half_intervals() {
    let broker = common::start().await;
    let mut connect = connect_packet(ProtocolVersion::V5, "sleepy");
    connect.keep_alive = 1;
    let (mut raw, _) = Raw::connect(broker.port(), connect).await;
    let started = tokio::time::Instant::now();
    let packets = raw.until_closed().await;
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(1400),
        "closed after {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_millis(3000),
        "closed after {elapsed:?}"
    );
    let codes: Vec<ReasonCode> = packets
        .iter()
        .filter_map(|packet| match packet {
            Packet::Disconnect(disconnect) => Some(disconnect.code),
            _ => None,
        })
        .collect();
    assert_eq!(codes, [ReasonCode::KeepAliveTimeout]);
}

#[tokio::test]
async fn a_second_connection_takes_the_client_id_over() {
    let broker = common::start().await;
    let mut first = v5::connect(broker.port(), "twin").await;
    let mut second = v5::connect(broker.port(), "twin").await;
    let error = first.closed().await;
    assert_eq!(
        v5::server_disconnect(&error),
        Some(DisconnectReasonCode::SessionTakenOver),
        "{error:?}"
    );
    second
        .subscribe("t", rumqttc::v5::mqttbytes::QoS::AtMostOnce)
        .await;
    second
        .publish("t", rumqttc::v5::mqttbytes::QoS::AtMostOnce, false, b"x")
        .await;
    assert_eq!(&second.next_publish().await.payload[..], b"x");
    assert_eq!(broker.broker.stats().clients.len(), 1);
}

#[tokio::test]
async fn a_v3_connection_taken_over_is_closed() {
    let broker = common::start().await;
    let mut first = v4::connect(broker.port(), "twin3").await;
    let _second = v4::connect(broker.port(), "twin3").await;
    first.closed().await;
}

struct Gatekeeper;

impl Authenticator for Gatekeeper {
    fn authenticate(
        &self,
        _client_id: &str,
        username: Option<&str>,
        password: Option<&[u8]>,
        _remote: SocketAddr,
    ) -> AuthDecision {
        match (username, password) {
            (Some("alice"), Some(b"secret")) => AuthDecision::Allow,
            (None, _) => AuthDecision::NotAuthorized,
            _ => AuthDecision::BadCredentials,
        }
    }

    fn can_publish(&self, _username: Option<&str>, _client_id: &str, topic: &str) -> bool {
        !topic.starts_with("private/")
    }

    fn can_subscribe(&self, _username: Option<&str>, _client_id: &str, filter: &str) -> bool {
        !filter.starts_with("private/")
    }
}

async fn guarded_broker() -> common::TestBroker {
    common::start_with(BrokerConfig {
        authenticator: Arc::new(Gatekeeper),
        sys_interval: None,
        ..BrokerConfig::default()
    })
    .await
}

#[tokio::test]
async fn bad_credentials_are_refused_in_each_version() {
    let broker = guarded_broker().await;
    let mut options = v4::options(broker.port(), "wrong4");
    options.set_credentials("alice", "nope");
    let error = v4::try_connect(options).await.err().expect("refused");
    assert!(
        matches!(
            error,
            rumqttc::ConnectionError::ConnectionRefused(rumqttc::ConnectReturnCode::NotAuthorized)
        ),
        "{error:?}"
    );
    let mut options = v5::options(broker.port(), "wrong5");
    options.set_credentials("alice", "nope");
    let error = v5::try_connect(options).await.err().expect("refused");
    assert!(
        matches!(
            error,
            rumqttc::v5::ConnectionError::ConnectionRefused(ConnectReturnCode::BadUserNamePassword)
        ),
        "{error:?}"
    );
    let error = v5::try_connect(v5::options(broker.port(), "anonymous"))
        .await
        .err()
        .expect("refused");
    assert!(
        matches!(
            error,
            rumqttc::v5::ConnectionError::ConnectionRefused(ConnectReturnCode::NotAuthorized)
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn forbidden_publish_and_subscribe_get_the_right_answers() {
    let broker = guarded_broker().await;
    let mut options = v5::options(broker.port(), "alice5");
    options.set_credentials("alice", "secret");
    let mut alice5 = v5::connect_with(options).await;
    alice5
        .client
        .subscribe("private/x", rumqttc::v5::mqttbytes::QoS::AtLeastOnce)
        .await
        .expect("subscribe request");
    // rumqttc reports a refused subscription as an error carrying the SUBACK code.
    let error = alice5.closed().await;
    assert!(
        matches!(
            error,
            rumqttc::v5::ConnectionError::MqttState(rumqttc::v5::StateError::SubFail {
                reason: rumqttc::v5::mqttbytes::v5::SubscribeReasonCode::NotAuthorized
            })
        ),
        "{error:?}"
    );

    let mut options = v4::options(broker.port(), "alice4");
    options.set_credentials("alice", "secret");
    let mut alice4 = v4::connect_with(options).await;
    let codes = alice4
        .subscribe("private/x", rumqttc::QoS::AtLeastOnce)
        .await;
    assert_eq!(codes, [rumqttc::SubscribeReasonCode::Failure]);

    let mut connect = connect_packet(ProtocolVersion::V5, "alice-raw");
    connect.username = Some("alice".into());
    connect.password = Some(bytes::Bytes::from_static(b"secret"));
    let (mut raw, _) = Raw::connect(broker.port(), connect).await;
    let mut publish = Publish::new("private/x", &b"no"[..]);
    publish.qos = QoS::AtLeastOnce;
    publish.packet_id = Some(1);
    raw.send(Packet::Publish(publish)).await;
    match raw.recv().await {
        Some(Packet::PubAck(ack)) => {
            assert_eq!(ack.code, ReasonCode::NotAuthorized);
            assert!(ack.properties.reason_string.is_some());
        }
        other => panic!("expected PUBACK, got {other:?}"),
    }
}

#[tokio::test]
async fn shutdown_tells_v5_clients_and_closes_v3_sockets() {
    let broker = common::start().await;
    let mut five = v5::connect(broker.port(), "five").await;
    let mut three = v4::connect(broker.port(), "three").await;
    tokio::time::timeout(WAIT, broker.broker.shutdown())
        .await
        .expect("shutdown completes");
    let error = five.closed().await;
    assert_eq!(
        v5::server_disconnect(&error),
        Some(DisconnectReasonCode::ServerShuttingDown),
        "{error:?}"
    );
    three.closed().await;
    assert!(broker.broker.is_shut_down());
    assert!(broker.broker.stats().clients.is_empty());
}

#[tokio::test]
async fn too_many_connections_are_refused_with_server_busy() {
    let broker = common::start_with(BrokerConfig {
        limits: Limits {
            max_connections: 1,
            ..Limits::default()
        },
        sys_interval: None,
        ..BrokerConfig::default()
    })
    .await;
    let _first = v5::connect(broker.port(), "first").await;
    let error = v5::try_connect(v5::options(broker.port(), "second"))
        .await
        .err()
        .expect("refused");
    assert!(
        matches!(
            error,
            rumqttc::v5::ConnectionError::ConnectionRefused(ConnectReturnCode::ServerBusy)
        ),
        "{error:?}"
    );
}
