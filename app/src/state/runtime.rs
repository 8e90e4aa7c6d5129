//! The live side of one connection, as the UI shows it: status, what CONNACK granted,
//! a timestamped connection log and a bounded packet inspector.

use std::collections::{HashMap, VecDeque};

use leptos::prelude::*;
use mqtt::client::ConnectionInfo;

/// Packets kept per connection for the inspector; older ones are dropped.
pub const MAX_PACKETS: usize = 2_000;
/// Connection log lines kept per connection.
pub const MAX_LOG: usize = 500;

/// The connection's state as the sidebar and the status badge show it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum LinkStatus {
    #[default]
    Disconnected,
    Connecting,
    Connected,
    /// Waiting before reconnect attempt `attempt`.
    Reconnecting {
        attempt: u32,
    },
    /// Gave up; the text says why.
    Error(String),
}

impl LinkStatus {
    pub fn label(&self) -> &'static str {
        match self {
            LinkStatus::Disconnected => "disconnected",
            LinkStatus::Connecting => "connecting",
            LinkStatus::Connected => "connected",
            LinkStatus::Reconnecting { .. } => "reconnecting",
            LinkStatus::Error(_) => "error",
        }
    }

    /// Whether a transport is open or being opened (Connect is not offered then).
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            LinkStatus::Connecting | LinkStatus::Connected | LinkStatus::Reconnecting { .. }
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogLevel {
    Info,
    Warning,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    pub at_ms: u64,
    pub level: LogLevel,
    pub text: String,
}

/// One packet for the inspector. The packet itself is kept (its payload shares the
/// received buffer); its text is made only when a row is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PacketRecord {
    pub at_ms: u64,
    pub sent: bool,
    pub kind: &'static str,
    pub size: usize,
    pub packet: mqtt::Packet,
}

/// Signals of one connection's live state (cheap to copy).
#[derive(Clone, Copy)]
pub struct ConnectionRuntime {
    pub status: RwSignal<LinkStatus>,
    pub granted: RwSignal<Option<ConnectionInfo>>,
    pub log: RwSignal<VecDeque<LogEntry>>,
    /// Kept outside the reactive graph: a flood of packets must not cost a redraw each.
    pub packets: StoredValue<VecDeque<PacketRecord>>,
    /// Bumped at each redraw (see `client::frames`) when `packets` changed.
    pub packets_version: RwSignal<u64>,
    /// Packets dropped from the front of `packets`: with a deque position it makes a
    /// packet's lasting number, which a selection keeps while older ones go.
    pub packets_evicted: StoredValue<u64>,
    pub unread: RwSignal<u32>,
    /// The broker's answer per subscription filter (SUBACK / UNSUBACK).
    pub suback: RwSignal<HashMap<String, SubAckStatus>>,
    /// Bumped at each redraw (ten a second at most) when messages arrived: the log
    /// redraws then.
    pub messages_version: RwSignal<u64>,
    /// The redraws of the message views, ten a second at most (see `client::frames`).
    pub redraw: Pacing,
    /// Messages received since the last redraw, added to `unread` then.
    pub pending_unread: StoredValue<u32>,
    /// The packet inspector is on screen; off it, it is drawn less often.
    pub packets_on_screen: StoredValue<bool>,
    /// The packet inspector's draws (`packets_version` bumped), paced while it is off
    /// screen; its `last_ms` counts on-screen draws too.
    pub packets_draw: Pacing,
}

/// A draw run at most once per interval (see `client::frames`): whether one is already
/// set to come, and when the last ran (ms, `performance.now()`).
#[derive(Clone, Copy)]
pub struct Pacing {
    pub pending: StoredValue<bool>,
    pub last_ms: StoredValue<f64>,
}

impl Pacing {
    fn new() -> Self {
        Pacing {
            pending: StoredValue::new(false),
            last_ms: StoredValue::new(f64::NEG_INFINITY),
        }
    }
}

/// What the broker said to one filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubAckStatus {
    pub ok: bool,
    pub text: String,
}

impl ConnectionRuntime {
    pub fn new() -> Self {
        ConnectionRuntime {
            status: RwSignal::new(LinkStatus::Disconnected),
            granted: RwSignal::new(None),
            log: RwSignal::new(VecDeque::new()),
            packets: StoredValue::new(VecDeque::new()),
            packets_version: RwSignal::new(0),
            packets_evicted: StoredValue::new(0),
            unread: RwSignal::new(0),
            suback: RwSignal::new(HashMap::new()),
            messages_version: RwSignal::new(0),
            redraw: Pacing::new(),
            pending_unread: StoredValue::new(0),
            packets_on_screen: StoredValue::new(true),
            packets_draw: Pacing::new(),
        }
    }

    pub fn push_log(&self, at_ms: u64, level: LogLevel, text: impl Into<String>) {
        let entry = LogEntry {
            at_ms,
            level,
            text: text.into(),
        };
        self.log.update(|log| push_bounded(log, entry, MAX_LOG));
    }

    /// Adds a batch of packets; the caller schedules the redraw.
    pub fn push_packets(&self, records: Vec<PacketRecord>) {
        if records.is_empty() {
            return;
        }
        let mut evicted = 0;
        self.packets.update_value(|packets| {
            for record in records {
                evicted += u64::from(packets.len() >= MAX_PACKETS);
                push_bounded(packets, record, MAX_PACKETS);
            }
        });
        self.packets_evicted.update_value(|total| *total += evicted);
    }
}

impl Default for ConnectionRuntime {
    fn default() -> Self {
        Self::new()
    }
}

fn push_bounded<T>(queue: &mut VecDeque<T>, item: T, max: usize) {
    if queue.len() >= max {
        queue.pop_front();
    }
    queue.push_back(item);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queues_stay_bounded() {
        let mut queue = VecDeque::new();
        for i in 0..10 {
            push_bounded(&mut queue, i, 3);
        }
        assert_eq!(queue, [7, 8, 9]);
    }

    #[test]
    fn only_live_states_are_active() {
        assert!(LinkStatus::Connected.is_active());
        assert!(LinkStatus::Reconnecting { attempt: 2 }.is_active());
        assert!(!LinkStatus::Error("x".into()).is_active());
        assert!(!LinkStatus::Disconnected.is_active());
    }
}
