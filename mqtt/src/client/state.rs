//! `SessionState`: where the client session is in the life of one network connection.

use std::fmt;

/// The connection state of a [`super::ClientSession`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionState {
    /// No network connection in use: before `connect`, or after the connection ended.
    /// Session state (unacknowledged messages, pending subscriptions) is kept for the
    /// next `connect`.
    Disconnected,
    /// CONNECT sent; waiting for CONNACK (and any AUTH exchange before it).
    Connecting,
    /// CONNACK accepted the connection.
    Connected,
}

impl SessionState {
    /// A lowercase word for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Disconnected => "disconnected",
            Self::Connecting => "connecting",
            Self::Connected => "connected",
        }
    }
}

impl fmt::Display for SessionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
