//! Reason codes: MQTT 5's single table of outcomes (spec 2.4, table 2-6), which packets
//! each code may appear on, and the CONNACK return codes of 3.1 / 3.1.1 with their
//! mapping to and from reason codes.

use crate::error::InvalidValue;
use crate::protocol::PacketType;

const fn bit(packet: PacketType) -> u16 {
    1 << packet as u8
}
const CONNACK: u16 = bit(PacketType::ConnAck);
const PUBACK: u16 = bit(PacketType::PubAck);
const PUBREC: u16 = bit(PacketType::PubRec);
const PUBREL: u16 = bit(PacketType::PubRel);
const PUBCOMP: u16 = bit(PacketType::PubComp);
const SUBACK: u16 = bit(PacketType::SubAck);
const UNSUBACK: u16 = bit(PacketType::UnsubAck);
const DISCONNECT: u16 = bit(PacketType::Disconnect);
const AUTH: u16 = bit(PacketType::Auth);
const ACKS: u16 = PUBACK | PUBREC | SUBACK | UNSUBACK;

macro_rules! reason_codes {
    ($($variant:ident = $value:literal, $name:literal, $packets:expr;)*) => {
        /// An MQTT 5 reason code. 0x00 is one code with three names (Success, Normal
        /// disconnection, Granted QoS 0): see [`ReasonCode::name_on`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum ReasonCode {
            $(#[doc = $name] $variant = $value,)*
        }

        impl ReasonCode {
            /// Every reason code, in ascending order.
            pub const ALL: &'static [ReasonCode] = &[$(Self::$variant),*];

            /// The spec's name (for 0x00: "Success").
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            /// Whether the spec allows this code on `packet`.
            #[inline]
            pub fn allowed_on(self, packet: PacketType) -> bool {
                // The packets of each code, by the code's value: one load, where a
                // `match` over the sparse values compiled to a chain of compares
                // that the encoders' checks paid for on every code.
                const PACKETS: [u16; 256] = {
                    let mut packets = [0; 256];
                    $(packets[$value] = $packets;)*
                    packets
                };
                PACKETS[self as usize] & bit(packet) != 0
            }
        }

        impl TryFrom<u8> for ReasonCode {
            type Error = InvalidValue;

            fn try_from(value: u8) -> Result<Self, Self::Error> {
                match value {
                    $($value => Ok(Self::$variant),)*
                    _ => Err(InvalidValue::new("reason code", value)),
                }
            }
        }
    };
}

reason_codes! {
    Success = 0x00, "Success", CONNACK | PUBACK | PUBREC | PUBREL | PUBCOMP | SUBACK | UNSUBACK | DISCONNECT | AUTH;
    GrantedQoS1 = 0x01, "Granted QoS 1", SUBACK;
    GrantedQoS2 = 0x02, "Granted QoS 2", SUBACK;
    DisconnectWithWillMessage = 0x04, "Disconnect with Will Message", DISCONNECT;
    NoMatchingSubscribers = 0x10, "No matching subscribers", PUBACK | PUBREC;
    NoSubscriptionExisted = 0x11, "No subscription existed", UNSUBACK;
    ContinueAuthentication = 0x18, "Continue authentication", AUTH;
    ReAuthenticate = 0x19, "Re-authenticate", AUTH;
    UnspecifiedError = 0x80, "Unspecified error", CONNACK | ACKS | DISCONNECT;
    MalformedPacket = 0x81, "Malformed Packet", CONNACK | DISCONNECT;
    ProtocolError = 0x82, "Protocol Error", CONNACK | DISCONNECT;
    ImplementationSpecificError = 0x83, "Implementation specific error", CONNACK | ACKS | DISCONNECT;
    UnsupportedProtocolVersion = 0x84, "Unsupported Protocol Version", CONNACK;
    ClientIdentifierNotValid = 0x85, "Client Identifier not valid", CONNACK;
    BadUserNameOrPassword = 0x86, "Bad User Name or Password", CONNACK;
    NotAuthorized = 0x87, "Not authorized", CONNACK | ACKS | DISCONNECT;
    ServerUnavailable = 0x88, "Server unavailable", CONNACK;
    ServerBusy = 0x89, "Server busy", CONNACK | DISCONNECT;
    Banned = 0x8A, "Banned", CONNACK;
    ServerShuttingDown = 0x8B, "Server shutting down", DISCONNECT;
    BadAuthenticationMethod = 0x8C, "Bad authentication method", CONNACK | DISCONNECT;
    KeepAliveTimeout = 0x8D, "Keep Alive timeout", DISCONNECT;
    SessionTakenOver = 0x8E, "Session taken over", DISCONNECT;
    TopicFilterInvalid = 0x8F, "Topic Filter invalid", SUBACK | UNSUBACK | DISCONNECT;
    TopicNameInvalid = 0x90, "Topic Name invalid", CONNACK | PUBACK | PUBREC | DISCONNECT;
    PacketIdentifierInUse = 0x91, "Packet Identifier in use", ACKS;
    PacketIdentifierNotFound = 0x92, "Packet Identifier not found", PUBREL | PUBCOMP;
    ReceiveMaximumExceeded = 0x93, "Receive Maximum exceeded", DISCONNECT;
    TopicAliasInvalid = 0x94, "Topic Alias invalid", DISCONNECT;
    PacketTooLarge = 0x95, "Packet too large", CONNACK | DISCONNECT;
    MessageRateTooHigh = 0x96, "Message rate too high", DISCONNECT;
    QuotaExceeded = 0x97, "Quota exceeded", CONNACK | PUBACK | PUBREC | SUBACK | DISCONNECT;
    AdministrativeAction = 0x98, "Administrative action", DISCONNECT;
    PayloadFormatInvalid = 0x99, "Payload format invalid", CONNACK | PUBACK | PUBREC | DISCONNECT;
    RetainNotSupported = 0x9A, "Retain not supported", CONNACK | DISCONNECT;
    QoSNotSupported = 0x9B, "QoS not supported", CONNACK | DISCONNECT;
    UseAnotherServer = 0x9C, "Use another server", CONNACK | DISCONNECT;
    ServerMoved = 0x9D, "Server moved", CONNACK | DISCONNECT;
    SharedSubscriptionsNotSupported = 0x9E, "Shared Subscriptions not supported", SUBACK | DISCONNECT;
    ConnectionRateExceeded = 0x9F, "Connection rate exceeded", CONNACK | DISCONNECT;
    MaximumConnectTime = 0xA0, "Maximum connect time", DISCONNECT;
    SubscriptionIdentifiersNotSupported = 0xA1, "Subscription Identifiers not supported", SUBACK | DISCONNECT;
    WildcardSubscriptionsNotSupported = 0xA2, "Wildcard Subscriptions not supported", SUBACK | DISCONNECT;
}

impl ReasonCode {
    /// 0x00 on DISCONNECT.
    pub const NORMAL_DISCONNECTION: ReasonCode = ReasonCode::Success;
    /// 0x00 on SUBACK.
    pub const GRANTED_QOS_0: ReasonCode = ReasonCode::Success;

    /// The byte on the wire.
    #[inline]
    pub fn value(self) -> u8 {
        self as u8
    }

    /// True for codes 0x80 and above, which report a failure.
    #[inline]
    pub fn is_error(self) -> bool {
        self.value() >= 0x80
    }

    /// The spec's name for this code on `packet`: 0x00 reads "Normal disconnection" on
    /// DISCONNECT and "Granted QoS 0" on SUBACK.
    pub fn name_on(self, packet: PacketType) -> &'static str {
        match (self, packet) {
            (Self::Success, PacketType::Disconnect) => "Normal disconnection",
            (Self::Success, PacketType::SubAck) => "Granted QoS 0",
            _ => self.name(),
        }
    }

    /// The SUBACK code granting `qos`.
    pub fn granted(qos: crate::protocol::QoS) -> Self {
        match qos {
            crate::protocol::QoS::AtMostOnce => Self::Success,
            crate::protocol::QoS::AtLeastOnce => Self::GrantedQoS1,
            crate::protocol::QoS::ExactlyOnce => Self::GrantedQoS2,
        }
    }

    /// The QoS a SUBACK code grants, or `None` for a failure code.
    pub fn granted_qos(self) -> Option<crate::protocol::QoS> {
        match self {
            Self::Success => Some(crate::protocol::QoS::AtMostOnce),
            Self::GrantedQoS1 => Some(crate::protocol::QoS::AtLeastOnce),
            Self::GrantedQoS2 => Some(crate::protocol::QoS::ExactlyOnce),
            _ => None,
        }
    }
}

impl std::fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0x{:02X} {}", self.value(), self.name())
    }
}

/// The CONNACK return code of MQTT 3.1 and 3.1.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ConnectReturnCode {
    Accepted = 0,
    UnacceptableProtocolVersion = 1,
    IdentifierRejected = 2,
    ServerUnavailable = 3,
    BadUserNameOrPassword = 4,
    NotAuthorized = 5,
}

impl ConnectReturnCode {
    /// The byte on the wire.
    #[inline]
    pub fn value(self) -> u8 {
        self as u8
    }

    /// The 3.1.1 spec's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Accepted => "Connection Accepted",
            Self::UnacceptableProtocolVersion => {
                "Connection Refused, unacceptable protocol version"
            }
            Self::IdentifierRejected => "Connection Refused, identifier rejected",
            Self::ServerUnavailable => "Connection Refused, Server unavailable",
            Self::BadUserNameOrPassword => "Connection Refused, bad user name or password",
            Self::NotAuthorized => "Connection Refused, not authorized",
        }
    }

    /// The MQTT 5 reason code meaning the same.
    pub fn to_reason_code(self) -> ReasonCode {
        match self {
            Self::Accepted => ReasonCode::Success,
            Self::UnacceptableProtocolVersion => ReasonCode::UnsupportedProtocolVersion,
            Self::IdentifierRejected => ReasonCode::ClientIdentifierNotValid,
            Self::ServerUnavailable => ReasonCode::ServerUnavailable,
            Self::BadUserNameOrPassword => ReasonCode::BadUserNameOrPassword,
            Self::NotAuthorized => ReasonCode::NotAuthorized,
        }
    }

    /// The return code a 3.1 / 3.1.1 client should see for a CONNACK reason code:
    /// exact for the six codes both versions share, the nearest refusal for the other
    /// CONNACK failures, and `None` for codes that are not allowed on CONNACK.
    pub fn from_reason_code(code: ReasonCode) -> Option<Self> {
        use ReasonCode as R;
        Some(match code {
            R::Success => Self::Accepted,
            R::UnsupportedProtocolVersion => Self::UnacceptableProtocolVersion,
            R::ClientIdentifierNotValid => Self::IdentifierRejected,
            R::BadUserNameOrPassword | R::BadAuthenticationMethod => Self::BadUserNameOrPassword,
            R::NotAuthorized | R::Banned => Self::NotAuthorized,
            other if other.is_error() && other.allowed_on(PacketType::ConnAck) => {
                Self::ServerUnavailable
            }
            _ => return None,
        })
    }
}

impl TryFrom<u8> for ConnectReturnCode {
    type Error = InvalidValue;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Ok(match value {
            0 => Self::Accepted,
            1 => Self::UnacceptableProtocolVersion,
            2 => Self::IdentifierRejected,
            3 => Self::ServerUnavailable,
            4 => Self::BadUserNameOrPassword,
            5 => Self::NotAuthorized,
            _ => return Err(InvalidValue::new("CONNACK return code", value)),
        })
    }
}

impl From<ConnectReturnCode> for ReasonCode {
    fn from(code: ConnectReturnCode) -> Self {
        code.to_reason_code()
    }
}

impl std::fmt::Display for ConnectReturnCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0x{:02X} {}", self.value(), self.name())
    }
}
