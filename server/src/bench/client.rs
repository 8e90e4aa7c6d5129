//! One benchmark client over `rumqttc`, MQTT 3.1.1 or 5 behind one face: connect (TCP,
//! CONNECT and its CONNACK), publish, subscribe, disconnect, and the few events the
//! benchmark counts. rumqttc has a separate client type per protocol version; this keeps
//! the modes free of that split.
//!
//! A connection is two halves, as in rumqttc: [`Requests`] queues packets, [`Events`]
//! must be polled for anything to move (it writes the queued packets, reads the
//! broker's, answers acknowledgements and pings).

use std::time::Duration;

use rumqttc::v5::mqttbytes::v5::Packet as Packet5;
use rumqttc::v5::mqttbytes::QoS as QoS5;
use rumqttc::{Outgoing, Packet as Packet4, QoS as QoS4};

use super::args::ProtocolVersion;
use super::latency::age_of;

/// How long a connection may take, from the TCP connect to the CONNACK.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a client stopped.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("{0}")]
    V4(Box<rumqttc::ConnectionError>),
    #[error("{0}")]
    V5(Box<rumqttc::v5::ConnectionError>),
    #[error("no CONNACK within {} s", CONNECT_TIMEOUT.as_secs())]
    ConnectTimeout,
    #[error("the client's event loop has stopped")]
    Stopped,
    #[error("the broker refused the subscription to {0:?}")]
    SubscribeRefused(String),
    #[error("the broker disconnected the client: {0}")]
    DisconnectedByBroker(String),
}

impl From<rumqttc::ConnectionError> for ClientError {
    fn from(error: rumqttc::ConnectionError) -> Self {
        Self::V4(Box::new(error))
    }
}

impl From<rumqttc::v5::ConnectionError> for ClientError {
    fn from(error: rumqttc::v5::ConnectionError) -> Self {
        Self::V5(Box::new(error))
    }
}

/// How every client of a run connects.
#[derive(Debug, Clone)]
pub struct ClientSpec {
    /// Client identifiers start with this.
    pub id_prefix: String,
    pub host: String,
    pub port: u16,
    pub protocol: ProtocolVersion,
    pub keep_alive: Duration,
    pub credentials: Option<(String, String)>,
    /// Largest packet sent or accepted.
    pub max_packet_size: u32,
    /// QoS 1/2 publications unacknowledged at most.
    pub inflight: u16,
    /// Requests queued ahead of the event loop before `Requests` waits.
    pub queue: usize,
}

/// What the benchmark cares about in a client's traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A PUBLISH was written to the socket.
    Sent,
    /// A QoS 1 PUBACK or QoS 2 PUBCOMP arrived for one of ours.
    Acked,
    /// A message arrived; `age` is its end-to-end latency when it was stamped.
    Message {
        age: Option<Duration>,
    },
    /// A SUBACK arrived.
    Subscribed {
        refused: bool,
    },
    /// Our DISCONNECT was written: the connection is over.
    Disconnected,
    Other,
}

/// The sending half of a connection.
#[derive(Clone)]
pub enum Requests {
    V4(rumqttc::AsyncClient),
    V5(rumqttc::v5::AsyncClient),
}

/// The half of a connection that must be polled.
pub enum Events {
    V4(Box<rumqttc::EventLoop>),
    V5(Box<rumqttc::v5::EventLoop>),
}

/// Opens a connection and waits for a successful CONNACK.
pub async fn connect(
    spec: &ClientSpec,
    client_id: String,
) -> Result<(Requests, Events), ClientError> {
    let (requests, mut events) = match spec.protocol {
        ProtocolVersion::V311 => new_v4(spec, client_id),
        ProtocolVersion::V5 => new_v5(spec, client_id),
    };
    // The CONNACK is the first event; a refusal comes back as an error.
    match tokio::time::timeout(CONNECT_TIMEOUT, events.next()).await {
        Ok(Ok(_connack)) => Ok((requests, events)),
        Ok(Err(error)) => Err(error),
        Err(_) => Err(ClientError::ConnectTimeout),
    }
}

fn new_v4(spec: &ClientSpec, client_id: String) -> (Requests, Events) {
    let mut options = rumqttc::MqttOptions::new(client_id, spec.host.clone(), spec.port);
    let size = spec.max_packet_size as usize;
    options
        .set_keep_alive(spec.keep_alive)
        .set_max_packet_size(size, size)
        .set_inflight(spec.inflight.max(1));
    if let Some((user, password)) = &spec.credentials {
        options.set_credentials(user.clone(), password.clone());
    }
    let (client, mut events) = rumqttc::AsyncClient::new(options, spec.queue.max(1));
    events
        .network_options
        .set_connection_timeout(CONNECT_TIMEOUT.as_secs());
    (Requests::V4(client), Events::V4(Box::new(events)))
}

fn new_v5(spec: &ClientSpec, client_id: String) -> (Requests, Events) {
    let mut options = rumqttc::v5::MqttOptions::new(client_id, spec.host.clone(), spec.port);
    options
        .set_keep_alive(spec.keep_alive)
        .set_max_packet_size(Some(spec.max_packet_size))
        .set_outgoing_inflight_upper_limit(spec.inflight.max(1))
        .set_connection_timeout(CONNECT_TIMEOUT.as_secs());
    if let Some((user, password)) = &spec.credentials {
        options.set_credentials(user.clone(), password.clone());
    }
    let (client, events) = rumqttc::v5::AsyncClient::new(options, spec.queue.max(1));
    (Requests::V5(client), Events::V5(Box::new(events)))
}

fn qos4(qos: u8) -> QoS4 {
    rumqttc::qos(qos).unwrap_or(QoS4::AtMostOnce)
}

fn qos5(qos: u8) -> QoS5 {
    rumqttc::v5::mqttbytes::qos(qos).unwrap_or(QoS5::AtMostOnce)
}

impl Requests {
    /// Queues a publication; waits while the queue is full.
    pub async fn publish(&self, topic: &str, qos: u8, payload: Vec<u8>) -> Result<(), ClientError> {
        let sent = match self {
            Self::V4(client) => client
                .publish(topic, qos4(qos), false, payload)
                .await
                .is_ok(),
            Self::V5(client) => client
                .publish(topic, qos5(qos), false, payload)
                .await
                .is_ok(),
        };
        sent.then_some(()).ok_or(ClientError::Stopped)
    }

    pub async fn subscribe(&self, filter: &str, qos: u8) -> Result<(), ClientError> {
        let sent = match self {
            Self::V4(client) => client.subscribe(filter, qos4(qos)).await.is_ok(),
            Self::V5(client) => client.subscribe(filter, qos5(qos)).await.is_ok(),
        };
        sent.then_some(()).ok_or(ClientError::Stopped)
    }

    /// Queues a DISCONNECT (after anything already queued).
    pub async fn disconnect(&self) -> Result<(), ClientError> {
        let sent = match self {
            Self::V4(client) => client.disconnect().await.is_ok(),
            Self::V5(client) => client.disconnect().await.is_ok(),
        };
        sent.then_some(()).ok_or(ClientError::Stopped)
    }
}

impl Events {
    /// The next event. Errors end the connection: the caller stops polling (rumqttc
    /// would otherwise reconnect, which a benchmark must not hide).
    pub async fn next(&mut self) -> Result<Event, ClientError> {
        use rumqttc::v5::ConnectionError as Error5;
        use rumqttc::ConnectionError as Error4;
        match self {
            Self::V4(events) => match events.poll().await {
                Ok(event) => Ok(reduce_v4(event)),
                // Our sending half is gone: nothing more will be asked of this client.
                Err(Error4::RequestsDone) => Ok(Event::Disconnected),
                Err(error) => Err(error.into()),
            },
            Self::V5(events) => match events.poll().await {
                Ok(event) => reduce_v5(event),
                Err(Error5::RequestsDone) => Ok(Event::Disconnected),
                Err(error) => Err(error.into()),
            },
        }
    }

    /// Polls until our DISCONNECT is written, the connection fails, or `limit` passes.
    pub async fn finish(&mut self, limit: Duration) {
        let _ = tokio::time::timeout(limit, async {
            while let Ok(event) = self.next().await {
                if event == Event::Disconnected {
                    break;
                }
            }
        })
        .await;
    }
}

fn reduce_outgoing(outgoing: Outgoing) -> Event {
    match outgoing {
        Outgoing::Publish(_) => Event::Sent,
        Outgoing::Disconnect => Event::Disconnected,
        _ => Event::Other,
    }
}

fn reduce_v4(event: rumqttc::Event) -> Event {
    match event {
        rumqttc::Event::Outgoing(outgoing) => reduce_outgoing(outgoing),
        rumqttc::Event::Incoming(Packet4::Publish(publish)) => Event::Message {
            age: age_of(&publish.payload),
        },
        rumqttc::Event::Incoming(Packet4::PubAck(_) | Packet4::PubComp(_)) => Event::Acked,
        rumqttc::Event::Incoming(Packet4::SubAck(suback)) => Event::Subscribed {
            refused: suback
                .return_codes
                .iter()
                .any(|code| matches!(code, rumqttc::SubscribeReasonCode::Failure)),
        },
        rumqttc::Event::Incoming(_) => Event::Other,
    }
}

fn reduce_v5(event: rumqttc::v5::Event) -> Result<Event, ClientError> {
    use rumqttc::v5::mqttbytes::v5::SubscribeReasonCode;
    Ok(match event {
        rumqttc::v5::Event::Outgoing(outgoing) => reduce_outgoing(outgoing),
        rumqttc::v5::Event::Incoming(Packet5::Publish(publish)) => Event::Message {
            age: age_of(&publish.payload),
        },
        rumqttc::v5::Event::Incoming(Packet5::PubAck(_) | Packet5::PubComp(_)) => Event::Acked,
        rumqttc::v5::Event::Incoming(Packet5::SubAck(suback)) => Event::Subscribed {
            refused: suback
                .return_codes
                .iter()
                .any(|code| !matches!(code, SubscribeReasonCode::Success(_))),
        },
        rumqttc::v5::Event::Incoming(Packet5::Disconnect(disconnect)) => {
            return Err(ClientError::DisconnectedByBroker(format!(
                "{:?}",
                disconnect.reason_code
            )))
        }
        rumqttc::v5::Event::Incoming(_) => Event::Other,
    })
}
