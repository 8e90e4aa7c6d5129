//! Shared by the integration tests: a broker served on 127.0.0.1:0 with a tiny accept
//! loop, `rumqttc` v4 and v5 clients whose events are collected on a channel, and a
//! raw TCP client speaking bytes encoded with the `mqtt` crate, for what no
//! well-behaved client library will send.

#![allow(dead_code)]

pub mod raw;
pub mod scram;
pub mod v4;
pub mod v5;

use std::net::SocketAddr;
use std::time::Duration;

use broker::{Broker, BrokerConfig, ConnectionInfo, Transport};
use tokio::net::TcpListener;

/// The bound on every wait in the tests.
pub const WAIT: Duration = Duration::from_secs(5);

/// How long to watch for something that must not happen.
pub const QUIET: Duration = Duration::from_millis(300);

pub struct TestBroker {
    pub broker: Broker,
    pub addr: SocketAddr,
}

impl TestBroker {
    pub fn port(&self) -> u16 {
        self.addr.port()
    }
}

/// A broker with the default configuration (no `$SYS` timer).
pub async fn start() -> TestBroker {
    start_with(BrokerConfig {
        sys_interval: None,
        ..BrokerConfig::default()
    })
    .await
}

pub async fn start_with(config: BrokerConfig) -> TestBroker {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    let broker = Broker::new(config);
    let serving = broker.clone();
    tokio::spawn(async move {
        loop {
            // Accept errors (a peer that reset before accept, no file descriptors
            // left) concern one connection, not the listener.
            let Ok((stream, remote)) = listener.accept().await else {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            };
            let _ = stream.set_nodelay(true);
            let info = ConnectionInfo {
                remote,
                transport: Transport::Tcp,
            };
            tokio::spawn(serving.serve_connection(stream, info));
        }
    });
    TestBroker { broker, addr }
}

/// Polls `condition` until it holds, failing the test after [`WAIT`].
pub async fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !condition() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting until {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
