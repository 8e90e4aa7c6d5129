//! Statistics: the lock-free counters every connection bumps, and the serialisable
//! snapshot (`BrokerStats`) the dashboard and the `$SYS` topics are built from.

use serde::Serialize;

use crate::info::Transport;

/// A point-in-time view of the broker, for the dashboard's JSON endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BrokerStats {
    /// e.g. "mqttdeck 0.1.0".
    pub version: String,
    pub uptime_secs: u64,
    /// Connected clients, ordered by client id.
    pub clients: Vec<ClientStats>,
    /// Persistent sessions whose client is not connected.
    pub offline_sessions: usize,
    /// Every subscription of every session, ordered by client id then filter.
    pub subscriptions: Vec<SubscriptionStats>,
    pub retained_count: usize,
    pub totals: Totals,
    /// Per second, averaged over the last few seconds.
    pub rates: Rates,
}

/// One connected client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientStats {
    pub client_id: String,
    pub username: Option<String>,
    /// "3.1", "3.1.1" or "5.0".
    pub protocol: String,
    pub transport: Transport,
    pub address: String,
    /// Unix time in milliseconds.
    pub connected_since_ms: u64,
    /// Seconds; 0 means none.
    pub keep_alive: u16,
    pub subscriptions: usize,
    /// QoS 1 / 2 messages sent and not yet acknowledged.
    pub inflight: usize,
    /// Messages waiting to be sent.
    pub queued: usize,
    /// Messages dropped for this session because its queue was full.
    pub dropped: u64,
}

/// One subscription of one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubscriptionStats {
    pub client_id: String,
    /// As the client sent it, `$share/group/` prefix included.
    pub filter: String,
    pub qos: u8,
    pub no_local: bool,
    pub retain_as_published: bool,
    pub subscription_identifier: Option<u32>,
}

/// Counters since start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub clients_connected: usize,
    /// Connections accepted since start.
    pub connections_total: u64,
    pub messages_received: u64,
    pub messages_sent: u64,
    pub publish_received: u64,
    pub publish_sent: u64,
    /// Messages dropped because a subscriber's queue was full (or, offline, QoS 0).
    pub publish_dropped: u64,
    pub bytes_received: u64,
    pub bytes_sent: u64,
    pub subscription_count: usize,
}

/// Rates per second.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Rates {
    pub messages_received: f64,
    pub messages_sent: f64,
    pub publish_received: f64,
    pub publish_sent: f64,
    pub bytes_received: f64,
    pub bytes_sent: f64,
}
