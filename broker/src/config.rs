//! The broker's configuration: every limit explicit, with defaults that are safe for a
//! broker on a developer's machine, plus the authenticator and the `$SYS` interval.

use std::sync::Arc;
use std::time::Duration;

use crate::authenticator::{AllowAnonymous, Authenticator};

/// The largest value MQTT's Remaining Length can express plus the largest fixed header:
/// no packet can be bigger, and advertising more makes some clients (paho) give up.
pub const PROTOCOL_MAX_PACKET_SIZE: usize = 268_435_455;

/// Limits that keep one client, or many, from exhausting the broker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Simultaneous network connections, counted from accept (before CONNECT).
    pub max_connections: usize,
    /// Largest packet accepted from a client, in bytes, fixed header included.
    /// Advertised to MQTT 5 clients as Maximum Packet Size.
    pub max_packet_size: usize,
    /// Receive Maximum advertised to MQTT 5 clients: QoS 1 / 2 publishes a client may
    /// have unacknowledged at once. Exceeding it ends the connection with 0x93.
    /// MQTT 3.1 / 3.1.1 clients are never told a limit, so none is enforced on them:
    /// what they can have awaiting PUBREL is bounded by the 65,535 packet identifiers.
    pub receive_maximum: u16,
    /// Upper bound on QoS 1 / 2 messages in flight to one client, whatever the
    /// client's own Receive Maximum says.
    pub max_inflight_out: u16,
    /// QoS 1 / 2 messages queued per session (offline, or waiting behind the inflight
    /// window), as Mosquitto's `max_queued_messages`.
    pub max_queued_messages: usize,
    /// Bytes (payloads, topics and per-message overhead) queued per session, all QoS
    /// levels together: what bounds QoS 0 messages for a slow subscriber.
    pub max_queued_bytes: usize,
    /// Retained messages held by the broker.
    pub max_retained_messages: usize,
    /// Levels in a topic name or filter (`a/b/c` has three).
    pub max_topic_levels: usize,
    /// Bytes in a topic name or filter.
    pub max_topic_length: usize,
    /// Subscriptions one session may hold.
    pub max_subscriptions_per_client: usize,
    /// Topic Alias Maximum advertised to MQTT 5 clients (0 turns inbound aliases off).
    pub topic_alias_maximum: u16,
    /// Overrides the keep alive MQTT 5 clients ask for (sent as Server Keep Alive).
    pub server_keep_alive: Option<u16>,
    /// Time a new connection has to send CONNECT.
    pub connect_timeout: Duration,
    /// Caps the Session Expiry Interval MQTT 5 clients ask for, in seconds.
    pub max_session_expiry_interval: u32,
    /// While messages keep coming to a WebSocket client, frames go out at most this
    /// often, each holding every packet written meanwhile (zero: a frame per write).
    /// A browser handles each frame as a task of its own; see [`crate::ws_io::WsIo`].
    pub ws_frame_interval: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 50_000,
            max_packet_size: 1024 * 1024,
            receive_maximum: 20,
            max_inflight_out: 100,
            max_queued_messages: 10_000,
            max_queued_bytes: 16 * 1024 * 1024,
            max_retained_messages: 10_000,
            max_topic_levels: 128,
            max_topic_length: 4_096,
            max_subscriptions_per_client: 1_000,
            topic_alias_maximum: 10,
            server_keep_alive: None,
            connect_timeout: Duration::from_secs(10),
            max_session_expiry_interval: u32::MAX,
            ws_frame_interval: Duration::from_millis(1),
        }
    }
}

/// Everything [`crate::Broker::new`] needs.
#[derive(Clone)]
pub struct BrokerConfig {
    pub limits: Limits,
    /// Decides who may connect, publish and subscribe. Defaults to allowing anyone.
    pub authenticator: Arc<dyn Authenticator>,
    /// How often `$SYS/broker/...` statistics are published; `None` turns them off.
    pub sys_interval: Option<Duration>,
}

impl Default for BrokerConfig {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            authenticator: Arc::new(AllowAnonymous),
            sys_interval: Some(Duration::from_secs(10)),
        }
    }
}

impl std::fmt::Debug for BrokerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrokerConfig")
            .field("limits", &self.limits)
            .field("sys_interval", &self.sys_interval)
            .finish_non_exhaustive()
    }
}
