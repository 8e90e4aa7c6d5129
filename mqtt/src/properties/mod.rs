//! MQTT 5 properties (spec 2.2.2): one `Option` field per property of the spec's
//! table, repeatable ones as `Vec`s, plus the identifier table that says which packet
//! each property may appear on. Encoding and decoding live in the submodules; the
//! one-pointer handle that packets hold lives in `handle`.

mod decode;
mod encode;
mod handle;
mod id;
mod publish;

use bytes::Bytes;

use crate::bytestr::ByteStr;
use crate::protocol::QoS;

pub use handle::Properties;
pub use id::{PropertyContext, PropertyId};

/// Every MQTT 5 property. `None` / empty means absent from the packet.
///
/// Byte properties that may only be 0 or 1 are `bool`s; `payload_format_indicator`
/// is `true` for UTF-8 payloads (value 1). Packets hold these through
/// [`Properties`], which reads and writes the fields directly.
///
/// Laid out in declaration order (`repr(C)`): the eight properties a PUBLISH may
/// carry first, so that encoding a PUBLISH reads three cache lines of the set
/// rather than the six the compiler's order spread them over; then the others,
/// small ones first.
#[derive(Clone, PartialEq, Eq, Default)]
#[repr(C)]
pub struct PropertyValues {
    /// 0x26, every packet with properties; order and duplicates are kept.
    pub user_properties: Vec<(ByteStr, ByteStr)>,
    /// 0x0B, 1..=268,435,455; several on PUBLISH, at most one on SUBSCRIBE.
    pub subscription_identifiers: Vec<u32>,
    /// 0x02, seconds, PUBLISH and will.
    pub message_expiry_interval: Option<u32>,
    /// 0x23, non-zero, PUBLISH.
    pub topic_alias: Option<u16>,
    /// 0x01, PUBLISH and will.
    pub payload_format_indicator: Option<bool>,
    /// 0x24, QoS 0 or 1 only, CONNACK.
    pub maximum_qos: Option<QoS>,
    /// 0x17, CONNECT.
    pub request_problem_information: Option<bool>,
    /// 0x19, CONNECT.
    pub request_response_information: Option<bool>,
    /// 0x03, PUBLISH and will.
    pub content_type: Option<ByteStr>,
    /// 0x09, PUBLISH and will.
    pub correlation_data: Option<Bytes>,
    /// 0x08, PUBLISH and will.
    pub response_topic: Option<ByteStr>,
    /// 0x11, seconds, CONNECT, CONNACK and DISCONNECT.
    pub session_expiry_interval: Option<u32>,
    /// 0x18, seconds, will.
    pub will_delay_interval: Option<u32>,
    /// 0x27, non-zero, CONNECT and CONNACK.
    pub maximum_packet_size: Option<u32>,
    /// 0x13, seconds, CONNACK.
    pub server_keep_alive: Option<u16>,
    /// 0x21, non-zero, CONNECT and CONNACK.
    pub receive_maximum: Option<u16>,
    /// 0x22, CONNECT and CONNACK.
    pub topic_alias_maximum: Option<u16>,
    /// 0x25, CONNACK.
    pub retain_available: Option<bool>,
    /// 0x28, CONNACK.
    pub wildcard_subscription_available: Option<bool>,
    /// 0x29, CONNACK.
    pub subscription_identifier_available: Option<bool>,
    /// 0x2A, CONNACK.
    pub shared_subscription_available: Option<bool>,
    /// 0x16, CONNECT, CONNACK and AUTH.
    pub authentication_data: Option<Bytes>,
    /// 0x12, CONNACK.
    pub assigned_client_identifier: Option<ByteStr>,
    /// 0x15, CONNECT, CONNACK and AUTH.
    pub authentication_method: Option<ByteStr>,
    /// 0x1A, CONNACK.
    pub response_information: Option<ByteStr>,
    /// 0x1C, CONNACK and DISCONNECT.
    pub server_reference: Option<ByteStr>,
    /// 0x1F, every acknowledgement, DISCONNECT and AUTH.
    pub reason_string: Option<ByteStr>,
}

impl PropertyValues {
    /// No properties at all, usable in constants.
    pub const EMPTY: Self = Self {
        payload_format_indicator: None,
        message_expiry_interval: None,
        content_type: None,
        response_topic: None,
        correlation_data: None,
        subscription_identifiers: Vec::new(),
        session_expiry_interval: None,
        assigned_client_identifier: None,
        server_keep_alive: None,
        authentication_method: None,
        authentication_data: None,
        request_problem_information: None,
        will_delay_interval: None,
        request_response_information: None,
        response_information: None,
        server_reference: None,
        reason_string: None,
        receive_maximum: None,
        topic_alias_maximum: None,
        topic_alias: None,
        maximum_qos: None,
        retain_available: None,
        user_properties: Vec::new(),
        maximum_packet_size: None,
        wildcard_subscription_available: None,
        subscription_identifier_available: None,
        shared_subscription_available: None,
    };

    /// No properties at all.
    pub fn new() -> Self {
        Self::default()
    }

    /// True when no property is set.
    #[inline]
    pub fn is_empty(&self) -> bool {
        // Field by field rather than through `present_ids`: this runs for every packet.
        self.payload_format_indicator.is_none()
            && self.message_expiry_interval.is_none()
            && self.content_type.is_none()
            && self.response_topic.is_none()
            && self.correlation_data.is_none()
            && self.subscription_identifiers.is_empty()
            && self.session_expiry_interval.is_none()
            && self.assigned_client_identifier.is_none()
            && self.server_keep_alive.is_none()
            && self.authentication_method.is_none()
            && self.authentication_data.is_none()
            && self.request_problem_information.is_none()
            && self.will_delay_interval.is_none()
            && self.request_response_information.is_none()
            && self.response_information.is_none()
            && self.server_reference.is_none()
            && self.reason_string.is_none()
            && self.receive_maximum.is_none()
            && self.topic_alias_maximum.is_none()
            && self.topic_alias.is_none()
            && self.maximum_qos.is_none()
            && self.retain_available.is_none()
            && self.user_properties.is_empty()
            && self.maximum_packet_size.is_none()
            && self.wildcard_subscription_available.is_none()
            && self.subscription_identifier_available.is_none()
            && self.shared_subscription_available.is_none()
    }

    /// The identifiers of the properties that are set, once each, in table order.
    pub fn present_ids(&self) -> impl Iterator<Item = PropertyId> + '_ {
        PropertyId::ALL.iter().copied().filter(|id| self.has(*id))
    }

    /// Unsets property `id` (every occurrence, for the repeatable ones).
    pub fn remove(&mut self, id: PropertyId) {
        use PropertyId as P;
        match id {
            P::PayloadFormatIndicator => self.payload_format_indicator = None,
            P::MessageExpiryInterval => self.message_expiry_interval = None,
            P::ContentType => self.content_type = None,
            P::ResponseTopic => self.response_topic = None,
            P::CorrelationData => self.correlation_data = None,
            P::SubscriptionIdentifier => self.subscription_identifiers.clear(),
            P::SessionExpiryInterval => self.session_expiry_interval = None,
            P::AssignedClientIdentifier => self.assigned_client_identifier = None,
            P::ServerKeepAlive => self.server_keep_alive = None,
            P::AuthenticationMethod => self.authentication_method = None,
            P::AuthenticationData => self.authentication_data = None,
            P::RequestProblemInformation => self.request_problem_information = None,
            P::WillDelayInterval => self.will_delay_interval = None,
            P::RequestResponseInformation => self.request_response_information = None,
            P::ResponseInformation => self.response_information = None,
            P::ServerReference => self.server_reference = None,
            P::ReasonString => self.reason_string = None,
            P::ReceiveMaximum => self.receive_maximum = None,
            P::TopicAliasMaximum => self.topic_alias_maximum = None,
            P::TopicAlias => self.topic_alias = None,
            P::MaximumQoS => self.maximum_qos = None,
            P::RetainAvailable => self.retain_available = None,
            P::UserProperty => self.user_properties.clear(),
            P::MaximumPacketSize => self.maximum_packet_size = None,
            P::WildcardSubscriptionAvailable => self.wildcard_subscription_available = None,
            P::SubscriptionIdentifierAvailable => self.subscription_identifier_available = None,
            P::SharedSubscriptionAvailable => self.shared_subscription_available = None,
        }
    }

    /// Unsets every property the spec does not allow in `context`, e.g. before
    /// forwarding a message's properties on another packet.
    pub fn retain_allowed_in(&mut self, context: PropertyContext) {
        for &id in PropertyId::ALL {
            if !id.allowed_in(context) {
                self.remove(id);
            }
        }
    }

    /// Whether property `id` is set.
    pub fn has(&self, id: PropertyId) -> bool {
        use PropertyId as P;
        match id {
            P::PayloadFormatIndicator => self.payload_format_indicator.is_some(),
            P::MessageExpiryInterval => self.message_expiry_interval.is_some(),
            P::ContentType => self.content_type.is_some(),
            P::ResponseTopic => self.response_topic.is_some(),
            P::CorrelationData => self.correlation_data.is_some(),
            P::SubscriptionIdentifier => !self.subscription_identifiers.is_empty(),
            P::SessionExpiryInterval => self.session_expiry_interval.is_some(),
            P::AssignedClientIdentifier => self.assigned_client_identifier.is_some(),
            P::ServerKeepAlive => self.server_keep_alive.is_some(),
            P::AuthenticationMethod => self.authentication_method.is_some(),
            P::AuthenticationData => self.authentication_data.is_some(),
            P::RequestProblemInformation => self.request_problem_information.is_some(),
            P::WillDelayInterval => self.will_delay_interval.is_some(),
            P::RequestResponseInformation => self.request_response_information.is_some(),
            P::ResponseInformation => self.response_information.is_some(),
            P::ServerReference => self.server_reference.is_some(),
            P::ReasonString => self.reason_string.is_some(),
            P::ReceiveMaximum => self.receive_maximum.is_some(),
            P::TopicAliasMaximum => self.topic_alias_maximum.is_some(),
            P::TopicAlias => self.topic_alias.is_some(),
            P::MaximumQoS => self.maximum_qos.is_some(),
            P::RetainAvailable => self.retain_available.is_some(),
            P::UserProperty => !self.user_properties.is_empty(),
            P::MaximumPacketSize => self.maximum_packet_size.is_some(),
            P::WildcardSubscriptionAvailable => self.wildcard_subscription_available.is_some(),
            P::SubscriptionIdentifierAvailable => self.subscription_identifier_available.is_some(),
            P::SharedSubscriptionAvailable => self.shared_subscription_available.is_some(),
        }
    }
}

// Only the properties that are set: packets in logs and test failures stay readable.
impl std::fmt::Debug for PropertyValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("Properties");
        macro_rules! fields {
            ($($field:ident),*) => {$(
                if let Some(value) = &self.$field {
                    out.field(stringify!($field), value);
                }
            )*};
        }
        fields!(
            payload_format_indicator,
            message_expiry_interval,
            content_type,
            response_topic,
            correlation_data
        );
        if !self.subscription_identifiers.is_empty() {
            out.field("subscription_identifiers", &self.subscription_identifiers);
        }
        fields!(
            session_expiry_interval,
            assigned_client_identifier,
            server_keep_alive,
            authentication_method,
            authentication_data,
            request_problem_information,
            will_delay_interval,
            request_response_information,
            response_information,
            server_reference,
            reason_string,
            receive_maximum,
            topic_alias_maximum,
            topic_alias,
            maximum_qos,
            retain_available
        );
        if !self.user_properties.is_empty() {
            out.field("user_properties", &self.user_properties);
        }
        fields!(
            maximum_packet_size,
            wildcard_subscription_available,
            subscription_identifier_available,
            shared_subscription_available
        );
        out.finish()
    }
}
