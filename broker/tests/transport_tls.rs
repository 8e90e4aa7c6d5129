//! MQTT over TLS and over secure WebSocket as clients see them: rumqttc trusting the
//! broker's self-signed certificate round-trips messages; a client that does not
//! trust it is turned away without disturbing others; a peer that never starts its
//! handshake is disconnected after the connect timeout.

mod transport_support;

use std::time::Duration;

use broker::{BrokerConfig, Transport};
use rumqttc::TlsConfiguration;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use transport_support::{within, TestBroker};

fn trusting(broker: &TestBroker) -> TlsConfiguration {
    TlsConfiguration::Simple {
        ca: broker.ca_pem(),
        alpn: None,
        client_auth: None,
    }
}

#[tokio::test]
async fn a_v311_client_round_trips_over_tls() {
    let broker = TestBroker::with_defaults(&[Transport::Tls]).await;
    let mut options = rumqttc::MqttOptions::new("tls-v4", "localhost", broker.port(Transport::Tls));
    options.set_transport(rumqttc::Transport::Tls(trusting(&broker)));
    transport_support::v4_round_trip(options, "tls/v4").await;
}

#[tokio::test]
async fn a_v5_client_round_trips_over_tls_to_an_ip_address() {
    let broker = TestBroker::with_defaults(&[Transport::Tls]).await;
    let mut options =
        rumqttc::v5::MqttOptions::new("tls-v5", "127.0.0.1", broker.port(Transport::Tls));
    options.set_transport(rumqttc::Transport::Tls(trusting(&broker)));
    transport_support::v5_round_trip(options, "tls/v5").await;
}

#[tokio::test]
async fn a_client_round_trips_over_secure_websocket() {
    let broker = TestBroker::with_defaults(&[Transport::WebSocketTls]).await;
    let port = broker.port(Transport::WebSocketTls);
    let url = format!("wss://localhost:{port}/mqtt");
    let mut options = rumqttc::MqttOptions::new("wss-v4", url, port);
    options.set_transport(rumqttc::Transport::Wss(trusting(&broker)));
    transport_support::v4_round_trip(options, "wss/v4").await;
}

#[tokio::test]
async fn an_untrusting_client_is_refused_and_others_carry_on() {
    let broker = TestBroker::with_defaults(&[Transport::Tls]).await;
    let port = broker.port(Transport::Tls);
    let stranger = broker::listener::TlsIdentity::self_signed(&[]).expect("another certificate");
    let mut options = rumqttc::MqttOptions::new("untrusting", "localhost", port);
    options.set_transport(rumqttc::Transport::Tls(TlsConfiguration::Simple {
        ca: stranger.certificate_pem.into_bytes(),
        alpn: None,
        client_auth: None,
    }));
    let (_client, mut events) = rumqttc::AsyncClient::new(options, 10);
    let outcome = within("the untrusting client's handshake", events.poll()).await;
    assert!(outcome.is_err(), "the handshake should fail: {outcome:?}");

    let mut options = rumqttc::MqttOptions::new("trusting", "localhost", port);
    options.set_transport(rumqttc::Transport::Tls(trusting(&broker)));
    transport_support::v4_round_trip(options, "tls/after").await;
}

#[tokio::test]
async fn a_silent_peer_is_dropped_after_the_connect_timeout() {
    let mut config = BrokerConfig::default();
    config.limits.connect_timeout = Duration::from_millis(300);
    let broker = TestBroker::start(config, &[Transport::Tls, Transport::WebSocket]).await;
    for transport in [Transport::Tls, Transport::WebSocket] {
        let mut silent = TcpStream::connect(broker.addr(transport))
            .await
            .expect("connect");
        let mut byte = [0u8; 1];
        let read = within("the silent peer to be dropped", silent.read(&mut byte)).await;
        assert!(matches!(read, Ok(0) | Err(_)), "{transport}: {read:?}");
    }
}
