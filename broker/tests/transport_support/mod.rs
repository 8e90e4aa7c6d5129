//! Shared by the `transport_*` tests: a broker with real listeners on free loopback
//! ports, and small helpers for clients that must finish within a bounded time.

#![allow(dead_code)] // Each test file uses its own part of this module.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use broker::listener::{ConnectionGate, Listener, ListenerOptions, TlsIdentity};
use broker::{Broker, BrokerConfig, Transport};
use tokio_util::sync::CancellationToken;

/// How long any single step of a test may take.
pub const STEP: Duration = Duration::from_secs(10);

/// A running broker with one listener per requested transport.
pub struct TestBroker {
    pub broker: Broker,
    pub identity: Option<TlsIdentity>,
    addrs: HashMap<Transport, SocketAddr>,
    stop: CancellationToken,
}

impl TestBroker {
    pub async fn start(config: BrokerConfig, transports: &[Transport]) -> Self {
        let identity = transports
            .iter()
            .any(|transport| matches!(transport, Transport::Tls | Transport::WebSocketTls))
            .then(|| TlsIdentity::self_signed(&[]).expect("self-signed certificate"));
        let gate = ConnectionGate::new(config.limits.max_connections);
        let options = ListenerOptions::from_limits(&config.limits);
        let broker = Broker::new(config);
        let stop = CancellationToken::new();
        let mut addrs = HashMap::new();
        for &transport in transports {
            let loopback: SocketAddr = "127.0.0.1:0".parse().expect("address");
            let listener = Listener::bind(transport, loopback, identity.as_ref())
                .await
                .expect("bind");
            addrs.insert(transport, listener.local_addr());
            tokio::spawn(listener.serve(broker.clone(), gate.clone(), options, stop.clone()));
        }
        Self {
            broker,
            identity,
            addrs,
            stop,
        }
    }

    pub async fn with_defaults(transports: &[Transport]) -> Self {
        Self::start(BrokerConfig::default(), transports).await
    }

    pub fn addr(&self, transport: Transport) -> SocketAddr {
        self.addrs[&transport]
    }

    pub fn port(&self, transport: Transport) -> u16 {
        self.addr(transport).port()
    }

    /// The self-signed certificate in PEM, for clients to trust.
    pub fn ca_pem(&self) -> Vec<u8> {
        self.identity
            .as_ref()
            .expect("a TLS listener")
            .certificate_pem
            .clone()
            .into_bytes()
    }
}

impl Drop for TestBroker {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Awaits `future`, failing the test if it takes longer than [`STEP`].
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    match tokio::time::timeout(STEP, future).await {
        Ok(value) => value,
        Err(_) => panic!("timed out after {STEP:?}: {what}"),
    }
}

/// A minimal MQTT 3.1.1 CONNECT (clean session, keep alive 60 s) for `client_id`.
pub fn connect_v311(client_id: &str) -> Vec<u8> {
    let id = client_id.as_bytes();
    let mut variable = vec![0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x02, 0x00, 0x3c];
    variable.extend_from_slice(&u16::try_from(id.len()).expect("short id").to_be_bytes());
    variable.extend_from_slice(id);
    let mut packet = vec![0x10, u8::try_from(variable.len()).expect("short packet")];
    packet.extend_from_slice(&variable);
    packet
}

/// CONNACK, session not present, accepted.
pub const CONNACK_ACCEPTED: [u8; 4] = [0x20, 0x02, 0x00, 0x00];
pub const PINGREQ: [u8; 2] = [0xc0, 0x00];
pub const PINGRESP: [u8; 2] = [0xd0, 0x00];

/// Subscribes to `topic`, publishes to it at QoS 1 and waits for the message to come
/// back through the broker, with an MQTT 3.1.1 client.
pub async fn v4_round_trip(options: rumqttc::MqttOptions, topic: &str) {
    use rumqttc::{AsyncClient, Event, Packet, QoS};
    let (client, mut events) = AsyncClient::new(options, 10);
    client
        .subscribe(topic, QoS::AtLeastOnce)
        .await
        .expect("subscribe");
    client
        .publish(topic, QoS::AtLeastOnce, false, "hello over the wire")
        .await
        .expect("publish");
    within("the published message to come back", async {
        loop {
            match events.poll().await.expect("connection") {
                Event::Incoming(Packet::Publish(publish)) => {
                    assert_eq!(publish.topic, topic);
                    assert_eq!(&publish.payload[..], b"hello over the wire");
                    return;
                }
                _ => continue,
            }
        }
    })
    .await;
    let _ = client.disconnect().await;
}

/// The same round trip with an MQTT 5 client.
pub async fn v5_round_trip(options: rumqttc::v5::MqttOptions, topic: &str) {
    use rumqttc::v5::mqttbytes::v5::Packet;
    use rumqttc::v5::mqttbytes::QoS;
    use rumqttc::v5::{AsyncClient, Event};
    let (client, mut events) = AsyncClient::new(options, 10);
    client
        .subscribe(topic, QoS::AtLeastOnce)
        .await
        .expect("subscribe");
    client
        .publish(topic, QoS::AtLeastOnce, false, "hello over the wire")
        .await
        .expect("publish");
    within("the published message to come back", async {
        loop {
            match events.poll().await.expect("connection") {
                Event::Incoming(Packet::Publish(publish)) => {
                    assert_eq!(&publish.topic[..], topic.as_bytes());
                    assert_eq!(&publish.payload[..], b"hello over the wire");
                    return;
                }
                _ => continue,
            }
        }
    })
    .await;
    let _ = client.disconnect().await;
}
