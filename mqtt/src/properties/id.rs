//! The property identifier table (spec 2.2.2.2, table 2-4): each property's byte, name
//! and the packets it may appear on.

use crate::error::InvalidValue;
use crate::protocol::PacketType;

/// Where a property list sits: in a packet's variable header, or in CONNECT's will.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PropertyContext {
    /// The properties of a packet of this type.
    Packet(PacketType),
    /// The will properties inside CONNECT's payload.
    Will,
}

impl PropertyContext {
    #[inline]
    const fn bit(self) -> u16 {
        match self {
            // Packet types are 1..=15, so bit 0 is free for the will.
            Self::Packet(packet) => 1 << packet as u8,
            Self::Will => 1,
        }
    }
}

impl std::fmt::Display for PropertyContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Packet(packet) => f.write_str(packet.name()),
            Self::Will => f.write_str("will properties"),
        }
    }
}

const fn on(packet: PacketType) -> u16 {
    PropertyContext::Packet(packet).bit()
}
const WILL: u16 = PropertyContext::Will.bit();
const CONNECT: u16 = on(PacketType::Connect);
const CONNACK: u16 = on(PacketType::ConnAck);
const PUBLISH: u16 = on(PacketType::Publish);
const SUBSCRIBE: u16 = on(PacketType::Subscribe);
const DISCONNECT: u16 = on(PacketType::Disconnect);
const AUTH: u16 = on(PacketType::Auth);
const ACKS: u16 = on(PacketType::PubAck)
    | on(PacketType::PubRec)
    | on(PacketType::PubRel)
    | on(PacketType::PubComp)
    | on(PacketType::SubAck)
    | on(PacketType::UnsubAck);
const EVERYWHERE: u16 = CONNECT
    | CONNACK
    | PUBLISH
    | WILL
    | ACKS
    | SUBSCRIBE
    | on(PacketType::Unsubscribe)
    | DISCONNECT
    | AUTH;

macro_rules! property_ids {
    ($($variant:ident = $value:literal, $name:literal, $contexts:expr;)*) => {
        /// A property identifier.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum PropertyId {
            $(#[doc = $name] $variant = $value,)*
        }

        impl PropertyId {
            /// Every property, in ascending identifier order.
            pub const ALL: &'static [PropertyId] = &[$(Self::$variant),*];

            /// The spec's name, e.g. "Topic Alias".
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            /// Whether the spec allows this property in `context`.
            #[inline]
            pub fn allowed_in(self, context: PropertyContext) -> bool {
                let contexts: u16 = match self {
                    $(Self::$variant => $contexts,)*
                };
                contexts & context.bit() != 0
            }
        }

        impl TryFrom<u8> for PropertyId {
            type Error = InvalidValue;

            fn try_from(value: u8) -> Result<Self, Self::Error> {
                match value {
                    $($value => Ok(Self::$variant),)*
                    _ => Err(InvalidValue::new("property identifier", value)),
                }
            }
        }
    };
}

property_ids! {
    PayloadFormatIndicator = 0x01, "Payload Format Indicator", PUBLISH | WILL;
    MessageExpiryInterval = 0x02, "Message Expiry Interval", PUBLISH | WILL;
    ContentType = 0x03, "Content Type", PUBLISH | WILL;
    ResponseTopic = 0x08, "Response Topic", PUBLISH | WILL;
    CorrelationData = 0x09, "Correlation Data", PUBLISH | WILL;
    SubscriptionIdentifier = 0x0B, "Subscription Identifier", PUBLISH | SUBSCRIBE;
    SessionExpiryInterval = 0x11, "Session Expiry Interval", CONNECT | CONNACK | DISCONNECT;
    AssignedClientIdentifier = 0x12, "Assigned Client Identifier", CONNACK;
    ServerKeepAlive = 0x13, "Server Keep Alive", CONNACK;
    AuthenticationMethod = 0x15, "Authentication Method", CONNECT | CONNACK | AUTH;
    AuthenticationData = 0x16, "Authentication Data", CONNECT | CONNACK | AUTH;
    RequestProblemInformation = 0x17, "Request Problem Information", CONNECT;
    WillDelayInterval = 0x18, "Will Delay Interval", WILL;
    RequestResponseInformation = 0x19, "Request Response Information", CONNECT;
    ResponseInformation = 0x1A, "Response Information", CONNACK;
    ServerReference = 0x1C, "Server Reference", CONNACK | DISCONNECT;
    ReasonString = 0x1F, "Reason String", CONNACK | ACKS | DISCONNECT | AUTH;
    ReceiveMaximum = 0x21, "Receive Maximum", CONNECT | CONNACK;
    TopicAliasMaximum = 0x22, "Topic Alias Maximum", CONNECT | CONNACK;
    TopicAlias = 0x23, "Topic Alias", PUBLISH;
    MaximumQoS = 0x24, "Maximum QoS", CONNACK;
    RetainAvailable = 0x25, "Retain Available", CONNACK;
    UserProperty = 0x26, "User Property", EVERYWHERE;
    MaximumPacketSize = 0x27, "Maximum Packet Size", CONNECT | CONNACK;
    WildcardSubscriptionAvailable = 0x28, "Wildcard Subscription Available", CONNACK;
    SubscriptionIdentifierAvailable = 0x29, "Subscription Identifier Available", CONNACK;
    SharedSubscriptionAvailable = 0x2A, "Shared Subscription Available", CONNACK;
}

impl PropertyId {
    /// The identifier byte.
    #[inline]
    pub fn value(self) -> u8 {
        self as u8
    }
}

impl std::fmt::Display for PropertyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0x{:02X} {}", self.value(), self.name())
    }
}
