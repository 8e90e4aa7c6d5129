//! The codec's errors. A `DecodeError` says what a peer got wrong and which reason
//! code the receiver must answer with; an `EncodeError` says why a packet cannot be
//! put on the wire for the chosen protocol version.

use crate::properties::{PropertyContext, PropertyId};
use crate::protocol::{PacketType, ProtocolVersion};
use crate::reason::ReasonCode;

/// A byte that is not one of the values an enum allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{value} is not a valid {kind}")]
pub struct InvalidValue {
    /// What the byte was meant to be, e.g. "QoS".
    pub kind: &'static str,
    /// The byte.
    pub value: u8,
}

impl InvalidValue {
    pub(crate) const fn new(kind: &'static str, value: u8) -> Self {
        Self { kind, value }
    }
}

/// Why received bytes are not a valid MQTT packet. Needing more bytes is not an
/// error: the streaming decoder answers `Ok(None)` then.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("fixed header incomplete: {len} bytes")]
    IncompleteHeader { len: usize },
    #[error("remaining length {remaining_length}, but {actual} bytes follow the fixed header")]
    LengthMismatch {
        remaining_length: usize,
        actual: usize,
    },
    #[error("variable byte integer ({what}) longer than 4 bytes")]
    VarIntTooLong { what: &'static str },
    #[error("variable byte integer ({what}) not in its shortest form")]
    VarIntNotMinimal { what: &'static str },
    #[error("packet of {size} bytes (remaining length {remaining_length}) exceeds maximum packet size {max}")]
    PacketTooLarge {
        remaining_length: usize,
        size: usize,
        max: usize,
    },
    #[error("packet type {nibble} is reserved")]
    ReservedPacketType { nibble: u8 },
    #[error("{packet} does not exist in MQTT {}", version.name())]
    PacketNotInVersion {
        packet: PacketType,
        version: ProtocolVersion,
    },
    #[error("{packet} with fixed header flags 0b{flags:04b}, expected 0b{expected:04b}")]
    InvalidFlags {
        packet: PacketType,
        flags: u8,
        expected: u8,
    },
    #[error("PUBLISH with QoS 3")]
    PublishQoS3,
    #[error("PUBLISH with DUP set at QoS 0")]
    DupAtQoS0,
    #[error("{packet} ends before its {what}")]
    Truncated {
        packet: PacketType,
        what: &'static str,
    },
    #[error("{packet} has {count} bytes left over after its {after}")]
    TrailingBytes {
        packet: PacketType,
        after: &'static str,
        count: usize,
    },
    #[error("{what} in {packet} is not valid UTF-8")]
    InvalidUtf8 {
        packet: PacketType,
        what: &'static str,
    },
    #[error("{what} in {packet} contains U+0000")]
    NullCharacter {
        packet: PacketType,
        what: &'static str,
    },
    #[error("{packet} with packet identifier 0")]
    ZeroPacketId { packet: PacketType },
    #[error("CONNECT with unsupported protocol level {level}")]
    UnsupportedProtocolLevel { level: u8 },
    #[error(
        "CONNECT with protocol name {name:?}, which is not the name of protocol level {level}"
    )]
    ProtocolNameMismatch { name: String, level: u8 },
    #[error("CONNECT with the reserved flag set")]
    ConnectReservedFlag,
    #[error("CONNECT with will QoS or will retain but no will flag")]
    WillFlagsWithoutWill,
    #[error("CONNECT with will QoS 3")]
    WillQoS3,
    #[error("CONNECT with a password but no user name, which MQTT {} forbids", version.name())]
    PasswordWithoutUsername { version: ProtocolVersion },
    #[error("client identifier rejected: {reason}")]
    ClientIdRejected {
        version: ProtocolVersion,
        reason: &'static str,
    },
    #[error("CONNACK acknowledge flags 0b{flags:08b} have reserved bits set")]
    ConnAckReservedFlags { flags: u8 },
    #[error("CONNACK with session present and failure {code}")]
    SessionPresentOnFailure { code: ReasonCode },
    #[error("CONNACK return code {value} is not defined")]
    UnknownReturnCode { value: u8 },
    #[error("reason code 0x{value:02X} on {packet} is not defined")]
    UnknownReasonCode { packet: PacketType, value: u8 },
    #[error("reason code {code} not allowed on {packet}")]
    ReasonCodeNotAllowed {
        packet: PacketType,
        code: ReasonCode,
    },
    #[error("{packet} without any topic filter")]
    NoTopicFilters { packet: PacketType },
    #[error("subscription options 0x{options:02X} have reserved bits set")]
    SubscriptionOptionsReserved { options: u8 },
    #[error("subscription with maximum QoS 3")]
    SubscriptionQoS3,
    #[error("subscription with retain handling 3")]
    RetainHandling3,
    #[error("unknown property identifier 0x{id:02X} on {context}")]
    UnknownProperty { context: PropertyContext, id: u8 },
    #[error("property {id} not allowed on {context}")]
    PropertyNotAllowed {
        context: PropertyContext,
        id: PropertyId,
    },
    #[error("property {id} more than once on {context}")]
    DuplicateProperty {
        context: PropertyContext,
        id: PropertyId,
    },
    #[error("property {id} with invalid value {value} on {context}")]
    InvalidPropertyValue {
        context: PropertyContext,
        id: PropertyId,
        value: u32,
    },
    #[error("Authentication Data without Authentication Method on {context}")]
    AuthDataWithoutMethod { context: PropertyContext },
    #[error("PUBLISH topic name {reason}")]
    TopicNameInvalid { reason: &'static str },
    #[error("PUBLISH with an empty topic name and no Topic Alias")]
    EmptyTopicWithoutAlias,
    #[error("{packet} without any reason code")]
    NoReasonCodes { packet: PacketType },
}

impl DecodeError {
    /// The reason code the receiver must use to refuse the packet: in CONNACK when
    /// the packet was a CONNECT, in DISCONNECT otherwise.
    pub fn reason_code(&self) -> ReasonCode {
        use DecodeError as E;
        match self {
            E::PacketTooLarge { .. } => ReasonCode::PacketTooLarge,
            E::UnsupportedProtocolLevel { .. } | E::ProtocolNameMismatch { .. } => {
                ReasonCode::UnsupportedProtocolVersion
            }
            E::ClientIdRejected { .. } => ReasonCode::ClientIdentifierNotValid,
            E::TopicNameInvalid { .. } => ReasonCode::TopicNameInvalid,
            E::SessionPresentOnFailure { .. }
            | E::NoTopicFilters { .. }
            | E::SubscriptionQoS3
            | E::RetainHandling3
            | E::DuplicateProperty { .. }
            | E::InvalidPropertyValue { .. }
            | E::AuthDataWithoutMethod { .. }
            | E::EmptyTopicWithoutAlias => ReasonCode::ProtocolError,
            E::IncompleteHeader { .. }
            | E::LengthMismatch { .. }
            | E::VarIntTooLong { .. }
            | E::VarIntNotMinimal { .. }
            | E::ReservedPacketType { .. }
            | E::PacketNotInVersion { .. }
            | E::InvalidFlags { .. }
            | E::PublishQoS3
            | E::DupAtQoS0
            | E::Truncated { .. }
            | E::TrailingBytes { .. }
            | E::InvalidUtf8 { .. }
            | E::NullCharacter { .. }
            | E::ZeroPacketId { .. }
            | E::ConnectReservedFlag
            | E::WillFlagsWithoutWill
            | E::WillQoS3
            | E::PasswordWithoutUsername { .. }
            | E::ConnAckReservedFlags { .. }
            | E::UnknownReturnCode { .. }
            | E::UnknownReasonCode { .. }
            | E::ReasonCodeNotAllowed { .. }
            | E::SubscriptionOptionsReserved { .. }
            | E::UnknownProperty { .. }
            | E::NoReasonCodes { .. }
            | E::PropertyNotAllowed { .. } => ReasonCode::MalformedPacket,
        }
    }
}

/// Why a packet cannot be encoded for the chosen protocol version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("{what} of {len} bytes is longer than the 65535 bytes a length prefix allows")]
    TooLong { what: &'static str, len: usize },
    #[error("{what} contains U+0000")]
    NullCharacter { what: &'static str },
    #[error("{packet} would have remaining length {remaining_length}, above the 268435455 limit")]
    PacketTooLarge {
        packet: PacketType,
        remaining_length: usize,
    },
    #[error("{packet} does not exist in MQTT {}", version.name())]
    PacketNotInVersion {
        packet: PacketType,
        version: ProtocolVersion,
    },
    #[error("{packet} with packet identifier 0")]
    ZeroPacketId { packet: PacketType },
    #[error("PUBLISH at {qos} {}", if *qos == crate::protocol::QoS::AtMostOnce { "must not carry a packet identifier" } else { "needs a packet identifier" })]
    PacketIdMismatch { qos: crate::protocol::QoS },
    #[error("PUBLISH with DUP set at QoS 0")]
    DupAtQoS0,
    #[error("PUBLISH topic name {reason}")]
    TopicNameInvalid { reason: &'static str },
    #[error("{packet} without any topic filter")]
    NoTopicFilters { packet: PacketType },
    #[error("reason code {code} not allowed on {packet}")]
    ReasonCodeNotAllowed {
        packet: PacketType,
        code: ReasonCode,
    },
    #[error("reason code {code} on {packet} cannot be expressed in MQTT {}", version.name())]
    ReasonCodeNotInVersion {
        packet: PacketType,
        code: ReasonCode,
        version: ProtocolVersion,
    },
    #[error("CONNACK with session present and failure {code}")]
    SessionPresentOnFailure { code: ReasonCode },
    #[error("CONNECT with a password but no user name, which MQTT {} forbids", version.name())]
    PasswordWithoutUsername { version: ProtocolVersion },
    #[error("property {id} not allowed on {context}")]
    PropertyNotAllowed {
        context: PropertyContext,
        id: PropertyId,
    },
    #[error("property {id} with invalid value {value} on {context}")]
    InvalidPropertyValue {
        context: PropertyContext,
        id: PropertyId,
        value: u32,
    },
    #[error("property {id} more than once on {context}")]
    DuplicateProperty {
        context: PropertyContext,
        id: PropertyId,
    },
    #[error("Authentication Data without Authentication Method on {context}")]
    AuthDataWithoutMethod { context: PropertyContext },
    #[error("PUBLISH with an empty topic name and no Topic Alias")]
    EmptyTopicWithoutAlias,
    #[error("{packet} without any reason code")]
    NoReasonCodes { packet: PacketType },
}
