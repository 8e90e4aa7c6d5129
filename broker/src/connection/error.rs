//! Why a connection ends, and what the client is told: the MQTT 5 reason code for
//! each protocol violation, and whether the will goes out.

use mqtt::{DecodeError, EncodeError, ReasonCode};

/// A client broke the protocol, or the connection failed underneath.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConnectionError {
    #[error("malformed packet: {0}")]
    Decode(#[from] DecodeError),
    #[error("protocol error: {0}")]
    Protocol(&'static str),
    #[error("more than {0} QoS 2 publishes unacknowledged (Receive Maximum)")]
    ReceiveMaximumExceeded(u16),
    #[error("topic alias {alias} is outside 1..={maximum}")]
    TopicAliasInvalid { alias: u16, maximum: u16 },
    #[error("topic alias {0} was never set on this connection")]
    TopicAliasUnknown(u16),
    #[error("re-authentication refused: {reason}")]
    Reauthentication { code: ReasonCode, reason: String },
    #[error("could not encode a reply: {0}")]
    Encode(#[from] EncodeError),
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
}

impl ConnectionError {
    /// The DISCONNECT reason code an MQTT 5 client gets, if any (I/O errors get none).
    pub fn reason_code(&self) -> Option<ReasonCode> {
        Some(match self {
            Self::Decode(error) => error.reason_code(),
            Self::Protocol(_) | Self::TopicAliasUnknown(_) => ReasonCode::ProtocolError,
            Self::ReceiveMaximumExceeded(_) => ReasonCode::ReceiveMaximumExceeded,
            Self::TopicAliasInvalid { .. } => ReasonCode::TopicAliasInvalid,
            Self::Reauthentication { code, .. } => *code,
            Self::Encode(_) => ReasonCode::ImplementationSpecificError,
            Self::Io(_) => return None,
        })
    }
}

/// How the connection ended.
#[derive(Debug)]
pub(crate) enum End {
    /// The client sent DISCONNECT; with 0x04 it asked for its will to be sent.
    ClientDisconnect { send_will: bool },
    /// The network connection closed or failed.
    Closed(Option<std::io::Error>),
    /// Nothing arrived within 1.5 × keep alive.
    KeepAliveTimeout,
    /// Another connection took the client id over, or the broker was told to drop it.
    Kicked(ReasonCode),
    /// The broker is shutting down.
    Shutdown,
    /// The client broke the protocol.
    Error(ConnectionError),
}

impl End {
    /// The DISCONNECT the broker sends an MQTT 5 client before closing, if any.
    pub fn disconnect_code(&self) -> Option<ReasonCode> {
        match self {
            Self::ClientDisconnect { .. } | Self::Closed(_) => None,
            Self::KeepAliveTimeout => Some(ReasonCode::KeepAliveTimeout),
            Self::Kicked(code) => Some(*code),
            Self::Shutdown => Some(ReasonCode::ServerShuttingDown),
            Self::Error(error) => error.reason_code(),
        }
    }

    /// Whether the will is published: always, except after a normal DISCONNECT and
    /// when the broker itself shuts down.
    pub fn sends_will(&self) -> bool {
        match self {
            Self::ClientDisconnect { send_will } => *send_will,
            Self::Shutdown => false,
            _ => true,
        }
    }
}

impl std::fmt::Display for End {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ClientDisconnect { send_will: false } => f.write_str("client disconnected"),
            Self::ClientDisconnect { send_will: true } => {
                f.write_str("client disconnected asking for its will")
            }
            Self::Closed(None) => f.write_str("connection closed by peer"),
            Self::Closed(Some(error)) => write!(f, "connection lost: {error}"),
            Self::KeepAliveTimeout => f.write_str("keep alive timed out"),
            Self::Kicked(code) => write!(f, "disconnected by the broker: {code}"),
            Self::Shutdown => f.write_str("broker shutting down"),
            Self::Error(error) => error.fmt(f),
        }
    }
}
