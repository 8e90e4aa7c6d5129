//! What the listener knows about a connection before any MQTT is spoken: the peer's
//! address and the transport it came over.

use std::net::SocketAddr;

use serde::Serialize;

/// The transport a client connected over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transport {
    Tcp,
    WebSocket,
    Tls,
    WebSocketTls,
}

impl Transport {
    /// A short lowercase name for logs: "tcp", "ws", "tls" or "wss".
    pub fn name(self) -> &'static str {
        match self {
            Self::Tcp => "tcp",
            Self::WebSocket => "ws",
            Self::Tls => "tls",
            Self::WebSocketTls => "wss",
        }
    }
}

impl std::fmt::Display for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Passed to [`crate::Broker::serve_connection`] by the listener that accepted it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionInfo {
    pub remote: SocketAddr,
    pub transport: Transport,
}
