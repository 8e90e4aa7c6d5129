//! `SessionError`: why the client session refused a command from the application, or
//! why it gave up on what the server sent. Protocol errors carry the MQTT 5 reason code
//! the session puts in the DISCONNECT it sends before giving up.

use crate::error::{DecodeError, EncodeError};
use crate::protocol::{PacketType, ProtocolVersion, QoS};
use crate::reason::ReasonCode;
use crate::topic::TopicError;

use super::state::SessionState;

/// What went wrong in the client session.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    // ---- commands the application gave at the wrong time or with bad arguments ----
    #[error("not connected (session is {state}): call connect() and wait for the CONNACK first")]
    NotConnected { state: SessionState },
    #[error("already {state}: close the transport (transport_closed) or disconnect() before connecting again")]
    AlreadyConnected { state: SessionState },
    #[error("{what} needs MQTT 5.0 but this session speaks {}", version.name())]
    NotInVersion {
        what: &'static str,
        version: ProtocolVersion,
    },
    #[error("invalid topic name {topic:?}: {source}")]
    InvalidTopicName { topic: String, source: TopicError },
    #[error("invalid topic filter {filter:?}: {source}")]
    InvalidTopicFilter { filter: String, source: TopicError },
    #[error("{packet} needs at least one topic filter")]
    NoTopicFilters { packet: PacketType },
    #[error("{packet} would be {size} bytes, above the server's maximum packet size of {maximum} bytes: send less payload or fewer properties")]
    PacketTooLarge {
        packet: PacketType,
        size: usize,
        maximum: u32,
    },
    #[error("the server accepts at most {maximum}, so a message at {requested} cannot be published: lower the QoS")]
    QoSNotSupported { requested: QoS, maximum: QoS },
    #[error("the server does not support retained messages: publish without the retain flag")]
    RetainNotSupported,
    #[error(
        "the server does not support wildcard subscriptions, so {filter:?} cannot be subscribed"
    )]
    WildcardSubscriptionsNotSupported { filter: String },
    #[error(
        "the server does not support shared subscriptions, so {filter:?} cannot be subscribed"
    )]
    SharedSubscriptionsNotSupported { filter: String },
    #[error("the server does not support subscription identifiers: subscribe without one")]
    SubscriptionIdentifiersNotSupported,
    #[error("topic alias {alias} is outside 1..={maximum}, the server's Topic Alias Maximum")]
    OutgoingTopicAliasInvalid { alias: u16, maximum: u16 },
    #[error("DISCONNECT may not set a non-zero Session Expiry Interval when CONNECT set it to 0 or left it out")]
    SessionExpiryOnDisconnect,
    #[error("all 65535 packet identifiers are in use: wait for acknowledgements")]
    PacketIdsExhausted,
    #[error("{limit} messages are already queued waiting for the server's receive maximum: wait for acknowledgements or raise max_queued_publishes")]
    QueueFull { limit: usize },
    #[error("cannot encode {packet}: {source}")]
    Encode {
        packet: PacketType,
        source: EncodeError,
    },

    // ---- what the server sent broke the protocol ----
    #[error("malformed packet from the server: {0}")]
    Decode(#[from] DecodeError),
    #[error("the server sent {packet} while the session is {state}, which the protocol forbids")]
    UnexpectedPacket {
        packet: PacketType,
        state: SessionState,
    },
    #[error("the server sent AUTH although CONNECT named no authentication method")]
    UnexpectedAuth,
    #[error("the server sent {packet} for packet identifier {packet_id}, which has nothing outstanding; ignored")]
    UnknownPacketId { packet: PacketType, packet_id: u16 },
    #[error("the server used topic alias {alias} before giving it a topic name")]
    UnknownTopicAlias { alias: u16 },
    #[error("the server used topic alias {alias}, outside 1..={maximum}, our Topic Alias Maximum")]
    TopicAliasOutOfRange { alias: u16, maximum: u16 },
    #[error("the server has more than {maximum} QoS 2 messages unreleased, our Receive Maximum")]
    ReceiveMaximumExceeded { maximum: u16 },
    #[error("{packet} for packet identifier {packet_id} carries {received} reason codes for {expected} topic filters")]
    AckCountMismatch {
        packet: PacketType,
        packet_id: u16,
        expected: usize,
        received: usize,
    },
}

impl SessionError {
    /// The reason code of the DISCONNECT the session sends when this error ends the
    /// connection (MQTT 5); `None` for errors that only refuse an application command.
    pub fn disconnect_code(&self) -> Option<ReasonCode> {
        Some(match self {
            Self::Decode(error) => error.reason_code(),
            Self::UnexpectedPacket { .. }
            | Self::UnexpectedAuth
            | Self::UnknownTopicAlias { .. }
            | Self::AckCountMismatch { .. } => ReasonCode::ProtocolError,
            Self::TopicAliasOutOfRange { .. } => ReasonCode::TopicAliasInvalid,
            Self::ReceiveMaximumExceeded { .. } => ReasonCode::ReceiveMaximumExceeded,
            _ => return None,
        })
    }

    /// True when the error came from the server breaking the protocol, which ends the
    /// connection.
    pub fn is_protocol_violation(&self) -> bool {
        self.disconnect_code().is_some()
    }
}
