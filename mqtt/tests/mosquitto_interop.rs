//! The client session against a broker nobody here wrote: Mosquitto from Debian's
//! packages, started on a free loopback port with a temporary configuration and
//! killed at the end. A small tokio loop carries the session's bytes over TCP. For
//! MQTT 3.1.1 and 5.0: connect, subscribe, a QoS 0/1/2 round trip to ourselves, a
//! retained message reaching a second session, and a will published when a
//! session's socket is dropped without DISCONNECT. Every wait is bounded.

use std::fs::File;
use std::net::{TcpListener as StdListener, TcpStream as StdStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use mqtt::client::{ClientSession, ConnectOptions, Event, OutgoingPublish};
use mqtt::{LastWill, Properties, ProtocolVersion, Publish, QoS, SubscribeFilter};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const MOSQUITTO: &str = "/usr/sbin/mosquitto";
const STEP_TIMEOUT: Duration = Duration::from_secs(5);
const TEST_TIMEOUT: Duration = Duration::from_secs(60);
const VERSIONS: [ProtocolVersion; 2] = [ProtocolVersion::V3_1_1, ProtocolVersion::V5];

/// A Mosquitto process on a loopback port, killed on drop.
struct Broker {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Broker {
    /// `None` (with the reason printed) when Mosquitto is not installed.
    fn start(name: &str) -> Option<Broker> {
        if !Path::new(MOSQUITTO).exists() {
            eprintln!("skipping: {MOSQUITTO} not found (apt-get install mosquitto)");
            return None;
        }
        let port = StdListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let dir = std::env::temp_dir().join(format!("mqtt-interop-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        let config = dir.join("mosquitto.conf");
        std::fs::write(
            &config,
            format!("listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n"),
        )
        .expect("write mosquitto.conf");
        let log = File::create(dir.join("mosquitto.log")).expect("log file");
        let child = Command::new(MOSQUITTO)
            .arg("-c")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start mosquitto");
        let broker = Broker { child, port, dir };
        broker.wait_until_listening();
        Some(broker)
    }

    fn wait_until_listening(&self) {
        let deadline = Instant::now() + STEP_TIMEOUT;
        while Instant::now() < deadline {
            if StdStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let log = std::fs::read_to_string(self.dir.join("mosquitto.log")).unwrap_or_default();
        panic!(
            "mosquitto did not listen on port {} within {STEP_TIMEOUT:?}:\n{log}",
            self.port
        );
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A client session driven over a TCP connection.
struct Client {
    session: ClientSession,
    stream: TcpStream,
    clock: Instant,
    /// Events not yet asked for: a message can arrive before our own PUBACK.
    backlog: Vec<Event>,
}

impl Client {
    /// Connects and waits for CONNACK.
    async fn connect(port: u16, options: ConnectOptions) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("TCP connect to mosquitto");
        let mut client = Client {
            session: ClientSession::new(ConnectOptions {
                packet_events: false,
                ..options
            }),
            stream,
            clock: Instant::now(),
            backlog: Vec::new(),
        };
        let now = client.now();
        client.session.connect(now).expect("CONNECT queued");
        let event = client
            .wait_for("CONNACK", |event| {
                matches!(event, Event::Connected(_) | Event::Disconnected(_))
            })
            .await;
        assert!(
            matches!(event, Event::Connected(_)),
            "connection refused: {event:?}"
        );
        client
    }

    fn now(&self) -> u64 {
        u64::try_from(self.clock.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    async fn flush(&mut self) {
        while let Some(bytes) = self.session.poll_transmit() {
            self.stream
                .write_all(&bytes)
                .await
                .expect("write to mosquitto");
        }
    }

    /// Drives the session until an event matching `wanted` arrives; other events
    /// wait in the backlog for a later call. Panics after `STEP_TIMEOUT`.
    async fn wait_for(&mut self, what: &str, wanted: impl Fn(&Event) -> bool) -> Event {
        let give_up = Instant::now() + STEP_TIMEOUT;
        let mut buffer = vec![0u8; 16 * 1024];
        loop {
            self.flush().await;
            self.backlog
                .extend(std::iter::from_fn(|| self.session.poll_event()));
            if let Some(index) = self.backlog.iter().position(&wanted) {
                return self.backlog.remove(index);
            }
            let now = Instant::now();
            assert!(now < give_up, "no {what} within {STEP_TIMEOUT:?}");
            let mut wait = give_up - now;
            if let Some(deadline) = self.session.poll_timeout() {
                wait = wait.min(Duration::from_millis(deadline.saturating_sub(self.now())));
            }
            match tokio::time::timeout(wait, self.stream.read(&mut buffer)).await {
                Ok(Ok(0)) => {
                    let now = self.now();
                    self.session
                        .transport_closed(now, "mosquitto closed the connection");
                }
                Ok(Ok(read)) => {
                    let now = self.now();
                    let received = buffer.get(..read).unwrap_or_default();
                    self.session
                        .handle_bytes(now, received)
                        .expect("mosquitto sends valid MQTT");
                }
                Ok(Err(error)) => panic!("reading from mosquitto: {error}"),
                Err(_elapsed) => {
                    let now = self.now();
                    self.session.handle_timeout(now);
                }
            }
        }
    }

    async fn subscribe(&mut self, filter: &str, qos: QoS) {
        let now = self.now();
        let id = self
            .session
            .subscribe(
                now,
                vec![SubscribeFilter::new(filter, qos)],
                Properties::default(),
            )
            .expect("SUBSCRIBE queued");
        let event = self
            .wait_for(
                "SUBACK",
                |event| matches!(event, Event::Subscribed { packet_id, .. } if *packet_id == id),
            )
            .await;
        let Event::Subscribed { results, .. } = event else {
            unreachable!("wait_for returned a non-matching event")
        };
        let granted: Vec<Option<QoS>> = results.iter().map(|result| result.granted_qos()).collect();
        assert_eq!(granted, vec![Some(qos)], "SUBACK for {filter}");
    }

    /// Publishes and, for QoS 1 and 2, waits for the flow to complete.
    async fn publish(&mut self, message: OutgoingPublish) {
        let now = self.now();
        let id = self.session.publish(now, message).expect("PUBLISH queued");
        match id {
            Some(id) => {
                let event = self
                    .wait_for("PUBACK/PUBCOMP", |event| {
                        matches!(event, Event::PublishComplete { packet_id, .. } if *packet_id == id)
                    })
                    .await;
                assert!(
                    matches!(event, Event::PublishComplete { code, .. } if !code.is_error()),
                    "{event:?}"
                );
            }
            None => self.flush().await,
        }
    }

    async fn message(&mut self, topic: &str) -> Publish {
        match self
            .wait_for(
                topic,
                |event| matches!(event, Event::Message(publish) if publish.topic == topic),
            )
            .await
        {
            Event::Message(publish) => publish,
            other => unreachable!("wait_for returned {other:?}"),
        }
    }
}

fn options(version: ProtocolVersion, client_id: &str) -> ConnectOptions {
    ConnectOptions::new(version, format!("{client_id}-{}", version.level()))
}

async fn bounded(test: impl std::future::Future<Output = ()>) {
    tokio::time::timeout(TEST_TIMEOUT, test)
        .await
        .expect("interop test finished in time");
}

#[tokio::test(flavor = "current_thread")]
async fn qos_0_1_2_round_trip_to_ourselves() {
    let Some(broker) = Broker::start("round-trip") else {
        return;
    };
    bounded(async {
        for version in VERSIONS {
            let mut client = Client::connect(broker.port, options(version, "round-trip")).await;
            let base = format!("interop/{}", version.level());
            client
                .subscribe(&format!("{base}/#"), QoS::ExactlyOnce)
                .await;
            for qos in [QoS::AtMostOnce, QoS::AtLeastOnce, QoS::ExactlyOnce] {
                let topic = format!("{base}/q{}", qos.level());
                let payload = Bytes::from(format!("payload at {qos} over {version}"));
                client
                    .publish(OutgoingPublish::new(topic.as_str(), payload.clone()).with_qos(qos))
                    .await;
                let received = client.message(&topic).await;
                assert_eq!(received.payload, payload);
                assert_eq!(received.qos, qos, "{version}");
                assert!(!received.retain);
            }
            let now = client.now();
            client
                .session
                .disconnect(
                    now,
                    mqtt::ReasonCode::NORMAL_DISCONNECTION,
                    Properties::default(),
                )
                .expect("DISCONNECT queued");
            client.flush().await;
        }
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn retained_message_reaches_a_second_session() {
    let Some(broker) = Broker::start("retained") else {
        return;
    };
    bounded(async {
        for version in VERSIONS {
            let topic = format!("interop/retained/{}", version.level());
            let mut publisher = Client::connect(broker.port, options(version, "retainer")).await;
            publisher
                .publish(
                    OutgoingPublish::new(topic.as_str(), "kept")
                        .with_qos(QoS::AtLeastOnce)
                        .with_retain(true),
                )
                .await;
            let mut late = Client::connect(broker.port, options(version, "late-comer")).await;
            late.subscribe(&topic, QoS::AtLeastOnce).await;
            let received = late.message(&topic).await;
            assert_eq!(received.payload, Bytes::from_static(b"kept"));
            assert!(
                received.retain,
                "a retained message is flagged as such ({version})"
            );
        }
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn will_is_published_when_the_socket_drops_without_disconnect() {
    let Some(broker) = Broker::start("will") else {
        return;
    };
    bounded(async {
        for version in VERSIONS {
            let topic = format!("interop/will/{}", version.level());
            let mut observer = Client::connect(broker.port, options(version, "observer")).await;
            observer.subscribe(&topic, QoS::AtLeastOnce).await;
            let doomed = Client::connect(
                broker.port,
                ConnectOptions {
                    will: Some(LastWill::new(topic.as_str(), "gone", QoS::AtLeastOnce)),
                    ..options(version, "doomed")
                },
            )
            .await;
            drop(doomed);
            let will = observer.message(&topic).await;
            assert_eq!(will.payload, Bytes::from_static(b"gone"));
            assert_eq!(will.qos, QoS::AtLeastOnce);
        }
    })
    .await;
}
