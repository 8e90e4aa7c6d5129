//! Writing a property list: one walk over the fields in identifier order, run by a
//! sink that checks each property is allowed where it is, one that validates and
//! counts, and one that writes. Writing does not measure again: it leaves one byte
//! for the length and moves the properties along in the rare case that needs more.

use std::convert::Infallible;

use bytes::{BufMut, BytesMut};

use crate::bytestr::ByteStr;
use crate::codec::varint::{put_varint, varint_into, varint_len, MAX_VARINT};
use crate::codec::writer::{binary_len, byte_str_len, put_byte_str, put_prefixed};
use crate::error::EncodeError;
use crate::protocol::QoS;

use super::decode::repeatable;
use super::{Properties, PropertyContext, PropertyId, PropertyValues};

/// Receives each property value in wire order.
trait Sink {
    type Error;
    fn byte(&mut self, id: PropertyId, value: u8) -> Result<(), Self::Error>;
    fn two(&mut self, id: PropertyId, value: u16) -> Result<(), Self::Error>;
    fn four(&mut self, id: PropertyId, value: u32) -> Result<(), Self::Error>;
    fn varint(&mut self, id: PropertyId, value: u32) -> Result<(), Self::Error>;
    fn string(&mut self, id: PropertyId, value: &ByteStr) -> Result<(), Self::Error>;
    fn binary(&mut self, id: PropertyId, value: &[u8]) -> Result<(), Self::Error>;
    fn pair(&mut self, id: PropertyId, key: &ByteStr, value: &ByteStr) -> Result<(), Self::Error>;
}

/// Counts bytes, and notes the first property (in identifier order) not allowed in
/// the context and the first string or binary that cannot be sent. It never stops
/// early: errors are rare, and one walk serves both checks.
struct Measure {
    len: usize,
    context: PropertyContext,
    not_allowed: Option<PropertyId>,
    unsendable: Option<EncodeError>,
}

impl Measure {
    fn new(context: PropertyContext) -> Self {
        Self {
            len: 0,
            context,
            not_allowed: None,
            unsendable: None,
        }
    }

    /// Counts a property of `len` bytes after its identifier.
    #[inline(always)]
    fn count(&mut self, id: PropertyId, len: usize) {
        if !id.allowed_in(self.context) && self.not_allowed.is_none() {
            self.not_allowed = Some(id);
        }
        self.len += 1 + len;
    }

    /// The length of a string or binary, or 0 after noting why it cannot be sent.
    #[inline(always)]
    fn sendable(&mut self, len: Result<usize, EncodeError>) -> usize {
        len.unwrap_or_else(|error| {
            self.unsendable.get_or_insert(error);
            0
        })
    }
}

impl Sink for Measure {
    type Error = Infallible;
    #[inline(always)]
    fn byte(&mut self, id: PropertyId, _: u8) -> Result<(), Infallible> {
        self.count(id, 1);
        Ok(())
    }
    #[inline(always)]
    fn two(&mut self, id: PropertyId, _: u16) -> Result<(), Infallible> {
        self.count(id, 2);
        Ok(())
    }
    #[inline(always)]
    fn four(&mut self, id: PropertyId, _: u32) -> Result<(), Infallible> {
        self.count(id, 4);
        Ok(())
    }
    #[inline(always)]
    fn varint(&mut self, id: PropertyId, value: u32) -> Result<(), Infallible> {
        // Out of range values are refused by `check_values`; count them as the maximum.
        self.count(id, varint_len(value.min(MAX_VARINT)));
        Ok(())
    }
    #[inline(always)]
    fn string(&mut self, id: PropertyId, value: &ByteStr) -> Result<(), Infallible> {
        let len = self.sendable(byte_str_len(value, id.name()));
        self.count(id, len);
        Ok(())
    }
    #[inline(always)]
    fn binary(&mut self, id: PropertyId, value: &[u8]) -> Result<(), Infallible> {
        let len = self.sendable(binary_len(value, id.name()));
        self.count(id, len);
        Ok(())
    }
    #[inline(always)]
    fn pair(&mut self, id: PropertyId, key: &ByteStr, value: &ByteStr) -> Result<(), Infallible> {
        let len = self.sendable(byte_str_len(key, id.name()))
            + self.sendable(byte_str_len(value, id.name()));
        self.count(id, len);
        Ok(())
    }
}

struct Write<'a>(&'a mut BytesMut);

impl Sink for Write<'_> {
    type Error = Infallible;
    #[inline(always)]
    fn byte(&mut self, id: PropertyId, value: u8) -> Result<(), Infallible> {
        self.0.put_slice(&[id.value(), value]);
        Ok(())
    }
    #[inline(always)]
    fn two(&mut self, id: PropertyId, value: u16) -> Result<(), Infallible> {
        self.0.put_u8(id.value());
        self.0.put_u16(value);
        Ok(())
    }
    #[inline(always)]
    fn four(&mut self, id: PropertyId, value: u32) -> Result<(), Infallible> {
        self.0.put_u8(id.value());
        self.0.put_u32(value);
        Ok(())
    }
    #[inline(always)]
    fn varint(&mut self, id: PropertyId, value: u32) -> Result<(), Infallible> {
        self.0.put_u8(id.value());
        put_varint(self.0, value);
        Ok(())
    }
    #[inline(always)]
    fn string(&mut self, id: PropertyId, value: &ByteStr) -> Result<(), Infallible> {
        self.0.put_u8(id.value());
        put_byte_str(self.0, value);
        Ok(())
    }
    #[inline(always)]
    fn binary(&mut self, id: PropertyId, value: &[u8]) -> Result<(), Infallible> {
        self.0.put_u8(id.value());
        put_prefixed(self.0, value);
        Ok(())
    }
    #[inline(always)]
    fn pair(&mut self, id: PropertyId, key: &ByteStr, value: &ByteStr) -> Result<(), Infallible> {
        self.0.put_u8(id.value());
        put_byte_str(self.0, key);
        put_byte_str(self.0, value);
        Ok(())
    }
}

impl Properties {
    /// The encoded size, property length prefix included, after checking that every
    /// property may appear in `context` and holds a value the spec allows.
    #[inline]
    pub(crate) fn encoded_len(&self, context: PropertyContext) -> Result<usize, EncodeError> {
        match self.allocated() {
            None => Ok(1),
            Some(values) => values.encoded_len(context),
        }
    }

    /// Appends the property length and the properties; `encoded_len` validated them.
    #[inline]
    pub(crate) fn put(&self, buf: &mut BytesMut) {
        match self.allocated() {
            None => buf.put_u8(0),
            Some(values) => values.put(buf),
        }
    }
}

impl PropertyValues {
    /// Walks the fields without an `is_empty` pass first: an empty list measures 1.
    fn encoded_len(&self, context: PropertyContext) -> Result<usize, EncodeError> {
        let mut measure = Measure::new(context);
        match self.walk(&mut measure) {
            Ok(()) => {}
            Err(never) => match never {},
        }
        // Reported in this order whatever the order of the properties.
        if let Some(id) = measure.not_allowed {
            return Err(EncodeError::PropertyNotAllowed { context, id });
        }
        self.check_values(context)?;
        if let Some(error) = measure.unsendable {
            return Err(error);
        }
        let len = measure.len;
        Ok(varint_len(len.min(MAX_VARINT as usize + 1) as u32) + len)
    }

    /// An empty list, walked like any other, comes out as its zero length byte.
    fn put(&self, buf: &mut BytesMut) {
        // Almost every property list is under 128 bytes, so its length takes one byte:
        // leave that byte, write the properties, then fill it in.
        let start = buf.len();
        buf.put_u8(0);
        match self.walk(&mut Write(buf)) {
            Ok(()) => {}
            Err(never) => match never {},
        }
        let len = buf.len() - start - 1;
        let extra = varint_len(len as u32) - 1;
        if extra > 0 {
            buf.put_slice([0; 3].get(..extra).unwrap_or_default());
            buf.copy_within(start + 1..start + 1 + len, start + 1 + extra);
        }
        let mut length = [0; 4];
        let length = varint_into(&mut length, len as u32);
        if let Some(slot) = buf.get_mut(start..start + length.len()) {
            slot.copy_from_slice(length);
        }
    }

    /// The checks on values, and on repetition, that the walk does not make.
    fn check_values(&self, context: PropertyContext) -> Result<(), EncodeError> {
        let invalid = |id, value| EncodeError::InvalidPropertyValue { context, id, value };
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

    #[inline(always)]
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
    #[inline(always)]
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

#[cfg(test)]
mod tests {
    use bytes::BytesMut;

    use crate::packet::{Packet, PubAck};
    use crate::properties::{Properties, PropertyValues};
    use crate::protocol::ProtocolVersion;

    /// A PUBACK whose properties take `len` bytes or a little more.
    fn puback_with_properties(len: usize) -> Packet {
        let mut ack = PubAck::new(7);
        ack.properties = Properties::from(PropertyValues {
            reason_string: Some("r".repeat(len.min(60_000)).into()),
            user_properties: (0..len / 60_000)
                .map(|_| ("k".into(), "v".repeat(60_000).into()))
                .collect(),
            ..PropertyValues::default()
        });
        Packet::PubAck(ack)
    }

    // Writing leaves one byte for the property length; longer lists move along.
    #[test]
    fn property_lengths_of_every_size_round_trip() {
        for len in [1, 100, 124, 125, 126, 127, 200, 16_380, 16_384, 70_000] {
            let packet = puback_with_properties(len);
            let mut buf = BytesMut::new();
            packet.encode(ProtocolVersion::V5, &mut buf).expect("valid");
            assert_eq!(
                packet.encoded_len(ProtocolVersion::V5),
                Ok(buf.len()),
                "{len}"
            );
            let decoded = Packet::decode(ProtocolVersion::V5, buf.freeze());
            assert_eq!(decoded, Ok(packet), "{len}");
        }
    }
}
