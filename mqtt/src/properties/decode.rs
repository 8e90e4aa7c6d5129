//! Reading a property list (spec 2.2.2): the property length, then identifier / value
//! pairs, each checked against the packet it sits on, for repetition and for the
//! values the spec forbids.

use crate::bytestr::ByteStr;
use crate::codec::reader::Reader;
use crate::error::DecodeError;
use crate::protocol::{PacketType, QoS};

use super::{Properties, PropertyContext, PropertyId, PropertyValues};

impl Properties {
    /// Reads the property length and the properties it covers into `self`, which is
    /// empty. Storage is only allocated when the list is not empty.
    #[inline]
    pub(crate) fn read_from(
        &mut self,
        reader: &mut Reader,
        context: PropertyContext,
    ) -> Result<(), DecodeError> {
        let len = reader.varint("property length")? as usize;
        if len == 0 {
            return Ok(());
        }
        let values: &mut PropertyValues = self;
        reader.within(len, "properties", |reader| {
            values.read_list(reader, context)
        })
    }
}

impl PropertyValues {
    /// Reads the properties of a non-empty list, `reader` covering exactly them.
    fn read_list(
        &mut self,
        reader: &mut Reader,
        context: PropertyContext,
    ) -> Result<(), DecodeError> {
        let mut seen: u64 = 0;
        while !reader.is_empty() {
            let raw_id = reader.u8("property identifier")?;
            let id = PropertyId::try_from(raw_id).map_err(|_| DecodeError::UnknownProperty {
                context,
                id: raw_id,
            })?;
            if !id.allowed_in(context) {
                return Err(DecodeError::PropertyNotAllowed { context, id });
            }
            // Identifiers are below 0x40, so one bit each fits.
            let bit = 1u64 << raw_id;
            if seen & bit != 0 && !repeatable(id, context) {
                return Err(DecodeError::DuplicateProperty { context, id });
            }
            seen |= bit;
            self.read_value(reader, id, context)?;
        }
        if self.authentication_data.is_some() && self.authentication_method.is_none() {
            return Err(DecodeError::AuthDataWithoutMethod { context });
        }
        Ok(())
    }

    fn read_value(
        &mut self,
        reader: &mut Reader,
        id: PropertyId,
        context: PropertyContext,
    ) -> Result<(), DecodeError> {
        use PropertyId as P;
        let what = id.name();
        let value = Value { id, context };
        match id {
            P::PayloadFormatIndicator => self.payload_format_indicator = Some(value.flag(reader)?),
            P::MessageExpiryInterval => self.message_expiry_interval = Some(reader.u32(what)?),
            P::ContentType => reader.string_into(self.content_type.insert(ByteStr::new()), what)?,
            P::ResponseTopic => {
                reader.string_into(self.response_topic.insert(ByteStr::new()), what)?
            }
            P::CorrelationData => self.correlation_data = Some(reader.binary(what)?),
            P::SubscriptionIdentifier => match reader.varint(what)? {
                0 => return Err(value.invalid(0)),
                id => self.subscription_identifiers.push(id),
            },
            P::SessionExpiryInterval => self.session_expiry_interval = Some(reader.u32(what)?),
            P::AssignedClientIdentifier => {
                reader.string_into(self.assigned_client_identifier.insert(ByteStr::new()), what)?
            }
            P::ServerKeepAlive => self.server_keep_alive = Some(reader.u16(what)?),
            P::AuthenticationMethod => {
                reader.string_into(self.authentication_method.insert(ByteStr::new()), what)?
            }
            P::AuthenticationData => self.authentication_data = Some(reader.binary(what)?),
            P::RequestProblemInformation => {
                self.request_problem_information = Some(value.flag(reader)?)
            }
            P::WillDelayInterval => self.will_delay_interval = Some(reader.u32(what)?),
            P::RequestResponseInformation => {
                self.request_response_information = Some(value.flag(reader)?)
            }
            P::ResponseInformation => {
                reader.string_into(self.response_information.insert(ByteStr::new()), what)?
            }
            P::ServerReference => {
                reader.string_into(self.server_reference.insert(ByteStr::new()), what)?
            }
            P::ReasonString => {
                reader.string_into(self.reason_string.insert(ByteStr::new()), what)?
            }
            _ => self.read_limit(reader, value)?,
        }
        Ok(())
    }

    /// The second half of the table, from Receive Maximum (0x21) on.
    fn read_limit(&mut self, reader: &mut Reader, value: Value) -> Result<(), DecodeError> {
        use PropertyId as P;
        let what = value.id.name();
        match value.id {
            P::ReceiveMaximum => self.receive_maximum = Some(value.non_zero_u16(reader)?),
            P::TopicAliasMaximum => self.topic_alias_maximum = Some(reader.u16(what)?),
            P::TopicAlias => self.topic_alias = Some(value.non_zero_u16(reader)?),
            P::MaximumQoS => {
                self.maximum_qos = Some(match reader.u8(what)? {
                    0 => QoS::AtMostOnce,
                    1 => QoS::AtLeastOnce,
                    other => return Err(value.invalid(u32::from(other))),
                })
            }
            P::RetainAvailable => self.retain_available = Some(value.flag(reader)?),
            P::UserProperty => {
                // Most packets carry one or two: no room for four at the first.
                if self.user_properties.capacity() == 0 {
                    self.user_properties.reserve_exact(1);
                }
                self.user_properties.push((ByteStr::new(), ByteStr::new()));
                if let Some((key, text)) = self.user_properties.last_mut() {
                    reader.string_into(key, what)?;
                    reader.string_into(text, what)?;
                }
            }
            P::MaximumPacketSize => match reader.u32(what)? {
                0 => return Err(value.invalid(0)),
                size => self.maximum_packet_size = Some(size),
            },
            P::WildcardSubscriptionAvailable => {
                self.wildcard_subscription_available = Some(value.flag(reader)?)
            }
            P::SubscriptionIdentifierAvailable => {
                self.subscription_identifier_available = Some(value.flag(reader)?)
            }
            P::SharedSubscriptionAvailable => {
                self.shared_subscription_available = Some(value.flag(reader)?)
            }
            // `read_value` handles the first half of the table.
            _ => {}
        }
        Ok(())
    }
}

/// The property being read, for reading constrained values and naming bad ones.
#[derive(Clone, Copy)]
struct Value {
    id: PropertyId,
    context: PropertyContext,
}

impl Value {
    fn invalid(self, value: u32) -> DecodeError {
        DecodeError::InvalidPropertyValue {
            context: self.context,
            id: self.id,
            value,
        }
    }

    /// A byte that may only be 0 or 1.
    fn flag(self, reader: &mut Reader) -> Result<bool, DecodeError> {
        match reader.u8(self.id.name())? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.invalid(u32::from(other))),
        }
    }

    fn non_zero_u16(self, reader: &mut Reader) -> Result<u16, DecodeError> {
        match reader.u16(self.id.name())? {
            0 => Err(self.invalid(0)),
            value => Ok(value),
        }
    }
}

/// User properties may repeat anywhere; subscription identifiers on PUBLISH only
/// (one per matching subscription), never on SUBSCRIBE.
pub(super) fn repeatable(id: PropertyId, context: PropertyContext) -> bool {
    match id {
        PropertyId::UserProperty => true,
        PropertyId::SubscriptionIdentifier => {
            context != PropertyContext::Packet(PacketType::Subscribe)
        }
        _ => false,
    }
}
