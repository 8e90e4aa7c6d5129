//! A `rumqttc` MQTT 3.1.1 client whose event loop runs in its own task, with helpers
//! that wait (bounded) for the packets a test expects.

use std::time::Duration;

use rumqttc::{AsyncClient, ConnAck, Event, MqttOptions, Packet, Publish, QoS};
use tokio::sync::mpsc;

use super::WAIT;

pub struct Client {
    pub client: AsyncClient,
    events: mpsc::UnboundedReceiver<Result<Packet, rumqttc::ConnectionError>>,
    task: tokio::task::JoinHandle<()>,
    pub connack: ConnAck,
    /// Packets skipped by one `expect`, kept for the next.
    pending: std::collections::VecDeque<Packet>,
}

pub fn options(port: u16, id: &str) -> MqttOptions {
    let mut options = MqttOptions::new(id, "127.0.0.1", port);
    options.set_keep_alive(Duration::from_secs(30));
    options.set_max_packet_size(1024 * 1024, 1024 * 1024);
    options
}

/// Connects with default options.
pub async fn connect(port: u16, id: &str) -> Client {
    connect_with(options(port, id)).await
}

/// Connects and waits for a successful CONNACK.
pub async fn connect_with(options: MqttOptions) -> Client {
    let result = try_connect(options).await;
    result.unwrap_or_else(|error| panic!("connect failed: {error}"))
}

/// Connects and returns the CONNACK, or the error the event loop reported.
pub async fn try_connect(options: MqttOptions) -> Result<Client, rumqttc::ConnectionError> {
    let (client, mut eventloop) = AsyncClient::new(options, 1000);
    let (sender, mut events) = mpsc::unbounded_channel();
    let task = tokio::spawn(async move {
        loop {
            match eventloop.poll().await {
                Ok(Event::Incoming(packet)) => {
                    if sender.send(Ok(packet)).is_err() {
                        return;
                    }
                }
                Ok(Event::Outgoing(_)) => {}
                Err(error) => {
                    let _ = sender.send(Err(error));
                    return;
                }
            }
        }
    });
    let first = tokio::time::timeout(WAIT, events.recv())
        .await
        .expect("no CONNACK in time")
        .expect("event loop ended");
    match first? {
        Packet::ConnAck(connack) => Ok(Client {
            client,
            events,
            task,
            connack,
            pending: std::collections::VecDeque::new(),
        }),
        other => panic!("expected CONNACK, got {other:?}"),
    }
}

impl Client {
    /// The next incoming packet matching `pick`, skipping others.
    pub async fn expect<T>(&mut self, what: &str, mut pick: impl FnMut(&Packet) -> Option<T>) -> T {
        if let Some(index) = self
            .pending
            .iter()
            .position(|packet| pick(packet).is_some())
        {
            if let Some(found) = self.pending.remove(index).and_then(|packet| pick(&packet)) {
                return found;
            }
        }
        let pending = &mut self.pending;
        let events = &mut self.events;
        let wait = async {
            loop {
                match events.recv().await {
                    Some(Ok(packet)) => match pick(&packet) {
                        Some(found) => return found,
                        None => pending.push_back(packet),
                    },
                    Some(Err(error)) => {
                        panic!("connection failed while waiting for {what}: {error}")
                    }
                    None => panic!("event loop ended while waiting for {what}"),
                }
            }
        };
        tokio::time::timeout(WAIT, wait)
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
    }

    pub async fn next_publish(&mut self) -> Publish {
        self.expect("PUBLISH", |packet| match packet {
            Packet::Publish(publish) => Some(publish.clone()),
            _ => None,
        })
        .await
    }

    /// Subscribes and waits for the SUBACK; returns its return codes.
    pub async fn subscribe(&mut self, filter: &str, qos: QoS) -> Vec<rumqttc::SubscribeReasonCode> {
        self.client
            .subscribe(filter, qos)
            .await
            .expect("subscribe request");
        self.expect("SUBACK", |packet| match packet {
            Packet::SubAck(ack) => Some(ack.return_codes.clone()),
            _ => None,
        })
        .await
    }

    pub async fn publish(&self, topic: &str, qos: QoS, retain: bool, payload: &[u8]) {
        self.client
            .publish(topic, qos, retain, payload.to_vec())
            .await
            .expect("publish request");
    }

    /// Asserts no PUBLISH arrives for a short while.
    pub async fn no_publish(&mut self, within: Duration) {
        if let Some(Packet::Publish(publish)) = self
            .pending
            .iter()
            .find(|packet| matches!(packet, Packet::Publish(_)))
        {
            panic!("unexpected PUBLISH: {publish:?}");
        }
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Err(_) => return,
                Ok(Some(Ok(Packet::Publish(publish)))) => {
                    panic!(
                        "unexpected PUBLISH on {}: {:?}",
                        publish.topic, publish.payload
                    )
                }
                Ok(Some(Ok(_))) => {}
                Ok(Some(Err(_)) | None) => return,
            }
        }
    }

    /// Waits for the event loop to report the connection's end.
    pub async fn closed(&mut self) -> rumqttc::ConnectionError {
        let wait = async {
            loop {
                match self.events.recv().await {
                    Some(Err(error)) => return Some(error),
                    Some(Ok(_)) => {}
                    None => return None,
                }
            }
        };
        tokio::time::timeout(WAIT, wait)
            .await
            .expect("connection did not end in time")
            .expect("event loop ended without an error")
    }

    /// Sends DISCONNECT and waits for the event loop to stop.
    pub async fn disconnect(mut self) {
        self.client.disconnect().await.expect("disconnect request");
        let _ = self.closed().await;
    }

    /// Drops the TCP connection without DISCONNECT.
    pub fn kill(self) {
        self.task.abort();
    }
}
