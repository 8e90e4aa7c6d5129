//! MQTT over TCP as clients see it: rumqttc (3.1.1 and 5) round trips through a real
//! listener, the connection limit enforced at accept, and a stopped listener.

mod transport_support;

use std::time::Duration;

use broker::{BrokerConfig, Transport};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use transport_support::{connect_v311, within, TestBroker, CONNACK_ACCEPTED};

#[tokio::test]
async fn a_v311_client_round_trips_over_tcp() {
    let broker = TestBroker::with_defaults(&[Transport::Tcp]).await;
    let options = rumqttc::MqttOptions::new("tcp-v4", "127.0.0.1", broker.port(Transport::Tcp));
    transport_support::v4_round_trip(options, "tcp/v4").await;
}

#[tokio::test]
async fn a_v5_client_round_trips_over_tcp() {
    let broker = TestBroker::with_defaults(&[Transport::Tcp]).await;
    let options = rumqttc::v5::MqttOptions::new("tcp-v5", "127.0.0.1", broker.port(Transport::Tcp));
    transport_support::v5_round_trip(options, "tcp/v5").await;
}

async fn connect_raw(broker: &TestBroker, client_id: &str) -> TcpStream {
    let mut stream = TcpStream::connect(broker.addr(Transport::Tcp))
        .await
        .expect("connect");
    stream
        .write_all(&connect_v311(client_id))
        .await
        .expect("send CONNECT");
    stream
}

#[tokio::test]
async fn connections_past_the_limit_are_closed_at_accept() {
    let mut config = BrokerConfig::default();
    config.limits.max_connections = 1;
    let broker = TestBroker::start(config, &[Transport::Tcp]).await;

    let mut first = connect_raw(&broker, "first").await;
    let mut connack = [0u8; 4];
    within(
        "CONNACK for the first client",
        first.read_exact(&mut connack),
    )
    .await
    .expect("CONNACK");
    assert_eq!(connack, CONNACK_ACCEPTED);

    let mut second = TcpStream::connect(broker.addr(Transport::Tcp))
        .await
        .expect("the socket is accepted, then closed");
    let _ = second.write_all(&connect_v311("second")).await;
    let mut buffer = [0u8; 4];
    let read = within(
        "the second connection to be closed",
        second.read(&mut buffer),
    )
    .await;
    assert!(
        matches!(read, Ok(0) | Err(_)),
        "the second client got {read:?} instead of a closed connection"
    );

    drop(first);
    // The first connection's place frees once the broker notices it is gone.
    within("a place to free up", async {
        loop {
            let mut third = connect_raw(&broker, "third").await;
            let mut reply = [0u8; 4];
            if let Ok(Ok(4)) =
                tokio::time::timeout(Duration::from_millis(500), third.read(&mut reply)).await
            {
                assert_eq!(reply, CONNACK_ACCEPTED);
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn a_stopped_listener_refuses_connections() {
    let broker = TestBroker::with_defaults(&[Transport::Tcp]).await;
    let addr = broker.addr(Transport::Tcp);
    drop(broker);
    within("the listening socket to close", async {
        while TcpStream::connect(addr).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
}
