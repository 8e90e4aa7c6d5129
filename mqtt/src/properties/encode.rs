//! Writing a property list: one walk over the fields in identifier order, run twice:
//! first by a measuring sink that validates and counts, then by a writing sink.

use std::convert::Infallible;

use bytes::{BufMut, BytesMut};

use crate::codec::varint::{put_varint, varint_len, MAX_VARINT};
use crate::codec::writer::{binary_len, put_prefixed, string_len};
use crate::error::EncodeError;
use crate::protocol::QoS;

use super::decode::repeatable;
use super::{Properties, PropertyContext, PropertyId};

/// Receives each property value in wire order.
trait Sink {
    type Error;
    fn byte(&mut self, id: PropertyId, value: u8) -> Result<(), Self::Error>;
    fn two(&mut self, id: PropertyId, value: u16) -> Result<(), Self::Error>;
    fn four(&mut self, id: PropertyId, value: u32) -> Result<(), Self::Error>;
    fn varint(&mut self, id: PropertyId, value: u32) -> Result<(), Self::Error>;
    fn string(&mut self, id: PropertyId, value: &str) -> Result<(), Self::Error>;
    fn binary(&mut self, id: PropertyId, value: &[u8]) -> Result<(), Self::Error>;
    fn pair(&mut self, id: PropertyId, key: &str, value: &str) -> Result<(), Self::Error>;
}

/// Counts bytes and rejects strings and binaries that cannot be length-prefixed.
struct Measure(usize);

impl Sink for Measure {
    type Error = EncodeError;
    fn byte(&mut self, _: PropertyId, _: u8) -> Result<(), EncodeError> {
        self.0 += 2;
        Ok(())
    }
    fn two(&mut self, _: PropertyId, _: u16) -> Result<(), EncodeError> {
        self.0 += 3;
        Ok(())
    }
    fn four(&mut self, _: PropertyId, _: u32) -> Result<(), EncodeError> {
        self.0 += 5;
        Ok(())
    }
    fn varint(&mut self, _: PropertyId, value: u32) -> Result<(), EncodeError> {
        self.0 += 1 + varint_len(value);
        Ok(())
    }
    fn string(&mut self, id: PropertyId, value: &str) -> Result<(), EncodeError> {
        self.0 += 1 + string_len(value, id.name())?;
        Ok(())
    }
    fn binary(&mut self, id: PropertyId, value: &[u8]) -> Result<(), EncodeError> {
        self.0 += 1 + binary_len(value, id.name())?;
        Ok(())
    }
    fn pair(&mut self, id: PropertyId, key: &str, value: &str) -> Result<(), EncodeError> {
        self.0 += 1 + string_len(key, id.name())? + string_len(value, id.name())?;
        Ok(())
    }
}

struct Write<'a>(&'a mut BytesMut);

impl Sink for Write<'_> {
    type Error = Infallible;
    fn byte(&mut self, id: PropertyId, value: u8) -> Result<(), Infallible> {
        self.0.put_slice(&[id.value(), value]);
        Ok(())
    }
    fn two(&mut self, id: PropertyId, value: u16) -> Result<(), Infallible> {
        self.0.put_u8(id.value());
        self.0.put_u16(value);
        Ok(())
    }
    fn four(&mut self, id: PropertyId, value: u32) -> Result<(), Infallible> {
        self.0.put_u8(id.value());
        self.0.put_u32(value);
        Ok(())
    }
    fn varint(&mut self, id: PropertyId, value: u32) -> Result<(), Infallible> {
        self.0.put_u8(id.value());
        put_varint(self.0, value);
        Ok(())
    }
    fn string(&mut self, id: PropertyId, value: &str) -> Result<(), Infallible> {
        self.binary(id, value.as_bytes())
    }
    fn binary(&mut self, id: PropertyId, value: &[u8]) -> Result<(), Infallible> {
        self.0.put_u8(id.value());
        put_prefixed(self.0, value);
        Ok(())
    }
    fn pair(&mut self, id: PropertyId, key: &str, value: &str) -> Result<(), Infallible> {
        self.0.put_u8(id.value());
        put_prefixed(self.0, key.as_bytes());
        put_prefixed(self.0, value.as_bytes());
        Ok(())
    }
}

impl Properties {
    /// The encoded size, property length prefix included, after checking that every
    /// property may appear in `context` and holds a value the spec allows.
    pub(crate) fn encoded_len(&self, context: PropertyContext) -> Result<usize, EncodeError> {
        if self.is_empty() {
            return Ok(1);
        }
        self.validate(context)?;
        let mut measure = Measure(0);
        self.walk(&mut measure)?;
        Ok(varint_len(measure.0.min(MAX_VARINT as usize + 1) as u32) + measure.0)
    }

    /// Appends the property length and the properties; `encoded_len` validated them.
    pub(crate) fn put(&self, buf: &mut BytesMut) {
        if self.is_empty() {
            buf.put_u8(0);
            return;
        }
        let mut measure = Measure(0);
        // Measuring only fails on values `encoded_len` already rejected.
        let len = match self.walk(&mut measure) {
            Ok(()) => measure.0,
            Err(_) => 0,
        };
        put_varint(buf, len as u32);
        match self.walk(&mut Write(buf)) {
            Ok(()) => {}
            Err(never) => match never {},
        }
    }

    fn validate(&self, context: PropertyContext) -> Result<(), EncodeError> {
        let invalid = |id, value| EncodeError::InvalidPropertyValue { context, id, value };
        for id in self.present_ids() {
            if !id.allowed_in(context) {
                return Err(EncodeError::PropertyNotAllowed { context, id });
            }
        }
        let subscription_id = PropertyId::SubscriptionIdentifier;
        if self.subscription_identifiers.len() > 1 && !repeatable(subscription_id, context) {
            return Err(EncodeError::DuplicateProperty {
                context,
                id: subscription_id,
            });
        }
        if let Some(&bad) = self
            .subscription_identifiers
            .iter()
            .find(|id| **id == 0 || **id > MAX_VARINT)
        {
            return Err(invalid(subscription_id, bad));
        }
        if self.receive_maximum == Some(0) {
            return Err(invalid(PropertyId::ReceiveMaximum, 0));
        }
        if self.topic_alias == Some(0) {
            return Err(invalid(PropertyId::TopicAlias, 0));
        }
        if self.maximum_packet_size == Some(0) {
            return Err(invalid(PropertyId::MaximumPacketSize, 0));
        }
        if self.maximum_qos == Some(QoS::ExactlyOnce) {
            return Err(invalid(PropertyId::MaximumQoS, 2));
        }
        if self.authentication_data.is_some() && self.authentication_method.is_none() {
            return Err(EncodeError::AuthDataWithoutMethod { context });
        }
        Ok(())
    }

    fn walk<S: Sink>(&self, sink: &mut S) -> Result<(), S::Error> {
        use PropertyId as P;
        let byte = |flag: bool| u8::from(flag);
        if let Some(v) = self.payload_format_indicator {
            sink.byte(P::PayloadFormatIndicator, byte(v))?;
        }
        if let Some(v) = self.message_expiry_interval {
            sink.four(P::MessageExpiryInterval, v)?;
        }
        if let Some(v) = &self.content_type {
            sink.string(P::ContentType, v)?;
        }
        if let Some(v) = &self.response_topic {
            sink.string(P::ResponseTopic, v)?;
        }
        if let Some(v) = &self.correlation_data {
            sink.binary(P::CorrelationData, v)?;
        }
        for &v in &self.subscription_identifiers {
            sink.varint(P::SubscriptionIdentifier, v)?;
        }
        if let Some(v) = self.session_expiry_interval {
            sink.four(P::SessionExpiryInterval, v)?;
        }
        if let Some(v) = &self.assigned_client_identifier {
            sink.string(P::AssignedClientIdentifier, v)?;
        }
        if let Some(v) = self.server_keep_alive {
            sink.two(P::ServerKeepAlive, v)?;
        }
        if let Some(v) = &self.authentication_method {
            sink.string(P::AuthenticationMethod, v)?;
        }
        if let Some(v) = &self.authentication_data {
            sink.binary(P::AuthenticationData, v)?;
        }
        if let Some(v) = self.request_problem_information {
            sink.byte(P::RequestProblemInformation, byte(v))?;
        }
        if let Some(v) = self.will_delay_interval {
            sink.four(P::WillDelayInterval, v)?;
        }
        if let Some(v) = self.request_response_information {
            sink.byte(P::RequestResponseInformation, byte(v))?;
        }
        if let Some(v) = &self.response_information {
            sink.string(P::ResponseInformation, v)?;
        }
        if let Some(v) = &self.server_reference {
            sink.string(P::ServerReference, v)?;
        }
        if let Some(v) = &self.reason_string {
            sink.string(P::ReasonString, v)?;
        }
        self.walk_limits(sink)
    }

    /// The second half of the table, from Receive Maximum (0x21) on.
    fn walk_limits<S: Sink>(&self, sink: &mut S) -> Result<(), S::Error> {
        use PropertyId as P;
        let byte = |flag: bool| u8::from(flag);
        if let Some(v) = self.receive_maximum {
            sink.two(P::ReceiveMaximum, v)?;
        }
        if let Some(v) = self.topic_alias_maximum {
            sink.two(P::TopicAliasMaximum, v)?;
        }
        if let Some(v) = self.topic_alias {
            sink.two(P::TopicAlias, v)?;
        }
        if let Some(v) = self.maximum_qos {
            sink.byte(P::MaximumQoS, v.level())?;
        }
        if let Some(v) = self.retain_available {
            sink.byte(P::RetainAvailable, byte(v))?;
        }
        for (key, value) in &self.user_properties {
            sink.pair(P::UserProperty, key, value)?;
        }
        if let Some(v) = self.maximum_packet_size {
            sink.four(P::MaximumPacketSize, v)?;
        }
        if let Some(v) = self.wildcard_subscription_available {
            sink.byte(P::WildcardSubscriptionAvailable, byte(v))?;
        }
        if let Some(v) = self.subscription_identifier_available {
            sink.byte(P::SubscriptionIdentifierAvailable, byte(v))?;
        }
        if let Some(v) = self.shared_subscription_available {
            sink.byte(P::SharedSubscriptionAvailable, byte(v))?;
        }
        Ok(())
    }
}
