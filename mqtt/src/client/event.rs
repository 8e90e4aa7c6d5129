//! `Event`: everything the session has to tell the application, polled with
//! `ClientSession::poll_event`: connection outcomes, messages, acknowledgements
//! correlated with what was asked, AUTH exchanges, and (for a packet inspector) every
//! packet sent and received.

use std::fmt;

use crate::bytestr::ByteStr;
use crate::packet::{ConnAck, Packet, Publish, SubscribeFilter};
use crate::properties::Properties;
use crate::protocol::{PacketType, ProtocolVersion, QoS};
use crate::reason::{ConnectReturnCode, ReasonCode};

use super::error::SessionError;
use super::limits::ServerLimits;

/// Something the application should know about.
// `Connected` is the largest by far but comes once per connection; boxing it would
// change how every application matches on events for no measurable gain.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// CONNACK accepted the connection.
    Connected(ConnectionInfo),
    /// The connection ended; close the transport if it is still open. Session state
    /// is kept for the next `connect`.
    Disconnected(DisconnectReason),
    /// A message from the server, its topic resolved from any topic alias.
    Message(Publish),
    /// A QoS 1 or 2 message we published reached its end: PUBACK, PUBCOMP, or a
    /// PUBREC with a failure code.
    PublishComplete {
        packet_id: u16,
        qos: QoS,
        /// The acknowledgement's reason code (Success in 3.1 / 3.1.1).
        code: ReasonCode,
        properties: Properties,
    },
    /// A queued message could not be sent under the limits the server announced.
    PublishDropped {
        packet_id: Option<u16>,
        topic: ByteStr,
        error: SessionError,
    },
    /// SUBACK for the SUBSCRIBE with `packet_id`.
    Subscribed {
        packet_id: u16,
        results: Vec<SubscribeResult>,
        properties: Properties,
    },
    /// UNSUBACK for the UNSUBSCRIBE with `packet_id`.
    Unsubscribed {
        packet_id: u16,
        results: Vec<UnsubscribeResult>,
        properties: Properties,
    },
    /// The server sent AUTH (MQTT 5 extended authentication); answer with `auth`.
    Auth {
        code: ReasonCode,
        properties: Properties,
    },
    /// PINGRESP arrived.
    Pong { round_trip_ms: u64 },
    /// The server resumed without our session (Session Present 0): these messages
    /// were sent but never fully acknowledged and are given up, as the spec requires.
    SessionDiscarded {
        /// Messages awaiting PUBACK or PUBREC; they may or may not have arrived.
        unacknowledged: Vec<Publish>,
        /// Packet identifiers of QoS 2 messages awaiting PUBCOMP; those did arrive.
        unreleased: Vec<u16>,
    },
    /// The server broke the protocol. When it ends the connection a `Disconnected`
    /// follows; otherwise the session ignored the offending packet.
    ProtocolError(SessionError),
    /// A packet was queued for sending; `size` is its encoded length in bytes.
    PacketSent { packet: Packet, size: usize },
    /// A packet was received; `size` is its encoded length in bytes.
    PacketReceived { packet: Packet, size: usize },
}

/// What CONNACK granted, with the spec's defaults filled in for absent properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionInfo {
    pub protocol: ProtocolVersion,
    pub session_present: bool,
    /// The identifier the session is known by: the assigned one, or the one we sent.
    pub client_id: ByteStr,
    pub assigned_client_identifier: Option<ByteStr>,
    /// The keep-alive in effect: the server's if it sent one, else ours.
    pub keep_alive_secs: u16,
    pub server_keep_alive: Option<u16>,
    pub session_expiry_interval: Option<u32>,
    pub limits: ServerLimits,
    pub response_information: Option<ByteStr>,
    pub server_reference: Option<ByteStr>,
    pub reason_string: Option<ByteStr>,
    pub authentication_method: Option<ByteStr>,
    pub authentication_data: Option<bytes::Bytes>,
    pub user_properties: Vec<(ByteStr, ByteStr)>,
}

impl ConnectionInfo {
    pub(crate) fn new(
        protocol: ProtocolVersion,
        connack: &ConnAck,
        our_client_id: &ByteStr,
        our_keep_alive: u16,
    ) -> Self {
        let properties = &connack.properties;
        let assigned = properties.assigned_client_identifier.clone();
        Self {
            protocol,
            session_present: connack.session_present,
            client_id: assigned.clone().unwrap_or_else(|| our_client_id.clone()),
            assigned_client_identifier: assigned,
            keep_alive_secs: properties.server_keep_alive.unwrap_or(our_keep_alive),
            server_keep_alive: properties.server_keep_alive,
            session_expiry_interval: properties.session_expiry_interval,
            limits: ServerLimits::from_connack(properties),
            response_information: properties.response_information.clone(),
            server_reference: properties.server_reference.clone(),
            reason_string: properties.reason_string.clone(),
            authentication_method: properties.authentication_method.clone(),
            authentication_data: properties.authentication_data.clone(),
            user_properties: properties.user_properties.clone(),
        }
    }
}

/// One filter of a SUBSCRIBE and the server's answer to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribeResult {
    pub filter: SubscribeFilter,
    pub code: ReasonCode,
}

impl SubscribeResult {
    /// The QoS granted, or `None` when the server refused the filter.
    pub fn granted_qos(&self) -> Option<QoS> {
        self.code.granted_qos()
    }

    /// The code's name as a SUBACK reads it, e.g. "Granted QoS 0" or "Not authorized".
    pub fn code_name(&self) -> &'static str {
        self.code.name_on(PacketType::SubAck)
    }
}

/// One filter of an UNSUBSCRIBE and the server's answer to it. 3.1 / 3.1.1 UNSUBACK
/// carries no codes; every filter reads Success there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsubscribeResult {
    pub filter: ByteStr,
    pub code: ReasonCode,
}

/// Why the connection ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisconnectReason {
    /// The application called `disconnect`; we sent DISCONNECT with `code`.
    Client { code: ReasonCode },
    /// The server sent DISCONNECT.
    Server {
        code: ReasonCode,
        properties: Properties,
    },
    /// CONNACK refused the connection. `name` is the refusal as the protocol level
    /// names it (3.1.1's return code names, MQTT 5's reason code names).
    Refused {
        code: ReasonCode,
        name: &'static str,
        properties: Properties,
    },
    /// The transport closed under us (`transport_closed`).
    TransportClosed { reason: String },
    /// No CONNACK arrived within the connect timeout.
    ConnectTimeout { waited_ms: u64 },
    /// No PINGRESP arrived within the ping timeout.
    PingTimeout { waited_ms: u64 },
    /// The server broke the protocol; in MQTT 5 we sent DISCONNECT with `code`.
    ProtocolError {
        code: ReasonCode,
        error: SessionError,
    },
}

impl DisconnectReason {
    /// The refusal of a CONNACK with failure `code`, named as `protocol` names it.
    pub(crate) fn refused(
        protocol: ProtocolVersion,
        code: ReasonCode,
        properties: Properties,
    ) -> Self {
        let name = match ConnectReturnCode::from_reason_code(code) {
            Some(legacy) if !protocol.is_v5() => legacy.name(),
            _ => code.name(),
        };
        Self::Refused {
            code,
            name,
            properties,
        }
    }

    /// The reason string the server gave, if any.
    pub fn reason_string(&self) -> Option<&str> {
        match self {
            Self::Server { properties, .. } | Self::Refused { properties, .. } => {
                properties.reason_string.as_deref()
            }
            _ => None,
        }
    }
}

impl fmt::Display for DisconnectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Client { code } => write!(
                f,
                "disconnected by us: 0x{:02X} {}",
                code.value(),
                code.name_on(PacketType::Disconnect)
            ),
            Self::Server { code, .. } => write!(
                f,
                "disconnected by the server: 0x{:02X} {}",
                code.value(),
                code.name_on(PacketType::Disconnect)
            ),
            Self::Refused { code, name, .. } => {
                write!(f, "connection refused: 0x{:02X} {name}", code.value())
            }
            Self::TransportClosed { reason } => write!(f, "connection lost: {reason}"),
            Self::ConnectTimeout { waited_ms } => {
                write!(f, "no CONNACK within {waited_ms} ms")
            }
            Self::PingTimeout { waited_ms } => write!(f, "no PINGRESP within {waited_ms} ms"),
            Self::ProtocolError { code, error } => write!(
                f,
                "protocol error, disconnected with 0x{:02X} {}: {error}",
                code.value(),
                code.name()
            ),
        }?;
        if let Some(reason) = self.reason_string() {
            write!(f, " ({reason})")?;
        }
        Ok(())
    }
}
