//! Sessions: what the broker keeps for a client id between and during connections
//! (subscriptions, QoS flows in progress, queued messages), the registry that maps
//! client ids to sessions and hands a session from one connection to the next, and
//! the session lifecycle (attach, detach, expiry, delayed wills).

mod inflight;
mod lifecycle;
mod mailbox;
mod presence;
mod registry;

use std::sync::Arc;

use mqtt::{ByteStr, SubscriptionOptions};

use crate::hashing::LazyMap;

pub(crate) use inflight::{Awaiting, Inflight};
pub(crate) use lifecycle::{Attached, Departure};
pub(crate) use mailbox::{Mailbox, Pushed};
pub(crate) use presence::{ClientInfo, Presence};
pub(crate) use registry::Registry;

/// One session. The session is shared with the subscription tree, which pushes
/// messages into its mailbox; the state belongs to whichever connection holds its
/// lock, which is how a session moves from an old connection to the one taking it
/// over. The mailbox is part of the session (one allocation less per client).
#[derive(Debug)]
pub(crate) struct Session {
    pub client_id: Arc<str>,
    pub mailbox: Mailbox,
    pub state: Arc<tokio::sync::Mutex<SessionState>>,
}

impl Session {
    pub fn new(client_id: Arc<str>, max_messages: usize, max_bytes: usize) -> Self {
        Self {
            client_id,
            mailbox: Mailbox::new(max_messages, max_bytes),
            state: Arc::new(tokio::sync::Mutex::new(SessionState::default())),
        }
    }
}

/// The part of a session only its connection touches.
#[derive(Debug, Default)]
pub(crate) struct SessionState {
    /// By filter as the client sent it (`$share/...` included).
    pub subscriptions: LazyMap<ByteStr, SubscriptionRecord>,
    /// Outgoing QoS 1 / 2 messages not yet acknowledged.
    pub inflight: Inflight,
    /// Packet identifiers of incoming QoS 2 messages awaiting PUBREL.
    /// A map to nothing rather than a set, so that it too is allocated only when used.
    pub incoming_qos2: LazyMap<u16, ()>,
}

/// One subscription as the session remembers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SubscriptionRecord {
    pub options: SubscriptionOptions,
    pub id: Option<u32>,
}
