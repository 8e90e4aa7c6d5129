//! The PUBLISH fast path of property encoding. A PUBLISH may carry 8 of the 27
//! properties; this measures and writes only those, after one branch-free look at
//! the 19 others unless the set is known to hold none of them (decoded from a
//! PUBLISH, or made and not written since: see `handle`). Anything unusual (a property not allowed on PUBLISH, a value the
//! spec forbids, a string that cannot be sent) makes it decline, and the caller
//! takes the general path, which reports the error exactly as for any other packet.

use crate::codec::spare::SpareWriter;
use crate::codec::varint::{varint_len, MAX_VARINT};

use super::{Properties, PropertyId, PropertyValues};

impl Properties {
    /// The length of the property list of a PUBLISH without its length prefix, or
    /// `None` when the general path must measure it (see the module comment).
    #[inline(always)]
    pub(crate) fn publish_len(&self) -> Option<usize> {
        match self.allocated_for_publish() {
            None => Some(0),
            Some(Ok(values)) => values.publish_len(),
            Some(Err(values)) if values.has_non_publish() => None,
            Some(Err(values)) => values.publish_len(),
        }
    }

    /// Appends the length prefix and the properties of a PUBLISH measured by
    /// [`Properties::publish_len`] as `len` bytes.
    #[inline(always)]
    pub(crate) fn put_publish(&self, len: usize, out: &mut SpareWriter) {
        out.put_varint(len as u32);
        if let Some(values) = self.allocated() {
            values.put_publish(out);
        }
    }
}

impl PropertyValues {
    /// True if a property a PUBLISH may not carry is set. Read without branches:
    /// on the normal path every one of them is looked at anyway.
    #[inline(always)]
    pub(super) fn has_non_publish(&self) -> bool {
        self.session_expiry_interval.is_some()
            | self.assigned_client_identifier.is_some()
            | self.server_keep_alive.is_some()
            | self.authentication_method.is_some()
            | self.authentication_data.is_some()
            | self.request_problem_information.is_some()
            | self.will_delay_interval.is_some()
            | self.request_response_information.is_some()
            | self.response_information.is_some()
            | self.server_reference.is_some()
            | self.reason_string.is_some()
            | self.receive_maximum.is_some()
            | self.topic_alias_maximum.is_some()
            | self.maximum_qos.is_some()
            | self.retain_available.is_some()
            | self.maximum_packet_size.is_some()
            | self.wildcard_subscription_available.is_some()
            | self.subscription_identifier_available.is_some()
            | self.shared_subscription_available.is_some()
    }

    /// The length of the PUBLISH properties, the others known unset.
    #[inline(always)]
    fn publish_len(&self) -> Option<usize> {
        let mut len = 0;
        if self.payload_format_indicator.is_some() {
            len += 2;
        }
        if self.message_expiry_interval.is_some() {
            len += 5;
        }
        if let Some(text) = &self.content_type {
            len += 1 + text.sendable_len()?;
        }
        if let Some(text) = &self.response_topic {
            len += 1 + text.sendable_len()?;
        }
        if let Some(data) = &self.correlation_data {
            if data.len() > usize::from(u16::MAX) {
                return None;
            }
            len += 3 + data.len();
        }
        for &id in &self.subscription_identifiers {
            if id == 0 || id > MAX_VARINT {
                return None;
            }
            len += 1 + varint_len(id);
        }
        match self.topic_alias {
            Some(0) => return None,
            Some(_) => len += 3,
            None => {}
        }
        for (key, value) in &self.user_properties {
            len += 1 + key.sendable_len()? + value.sendable_len()?;
        }
        (len <= MAX_VARINT as usize).then_some(len)
    }

    /// Writes the PUBLISH properties in identifier order.
    #[inline(always)]
    fn put_publish(&self, out: &mut SpareWriter) {
        use PropertyId as P;
        if let Some(flag) = self.payload_format_indicator {
            out.put(&[P::PayloadFormatIndicator.value(), u8::from(flag)]);
        }
        if let Some(seconds) = self.message_expiry_interval {
            let [a, b, c, d] = seconds.to_be_bytes();
            out.put(&[P::MessageExpiryInterval.value(), a, b, c, d]);
        }
        if let Some(text) = &self.content_type {
            out.put(&[P::ContentType.value()]);
            out.put_string(text);
        }
        if let Some(text) = &self.response_topic {
            out.put(&[P::ResponseTopic.value()]);
            out.put_string(text);
        }
        if let Some(data) = &self.correlation_data {
            out.put(&[P::CorrelationData.value()]);
            out.put_prefixed(data);
        }
        for &id in &self.subscription_identifiers {
            out.put(&[P::SubscriptionIdentifier.value()]);
            out.put_varint(id);
        }
        if let Some(alias) = self.topic_alias {
            let [a, b] = alias.to_be_bytes();
            out.put(&[P::TopicAlias.value(), a, b]);
        }
        for (key, value) in &self.user_properties {
            out.put(&[P::UserProperty.value()]);
            out.put_string(key);
            out.put_string(value);
        }
    }
}
