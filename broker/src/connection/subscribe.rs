//! SUBSCRIBE and UNSUBSCRIBE: checking each filter (syntax, limits, permission,
//! quota), recording it in the session and the tree, answering with one code per
//! filter, then queueing the retained messages the Retain Handling option asks for.

use std::time::Instant;

use mqtt::ReasonCode;
use mqtt::{
    ByteStr, Packet, RetainHandling, SharedSubscription, SubAck, Subscribe, SubscribeFilter,
    UnsubAck, Unsubscribe,
};
use tokio::io::{AsyncRead, AsyncWrite};

use super::error::ConnectionError;
use super::io::PacketIo;
use super::Connection;
use crate::message::Delivery;
use crate::router::Subscriber;
use crate::session::SubscriptionRecord;

/// A subscription made by this SUBSCRIBE whose retained messages are due.
struct RetainedDue {
    filter: ByteStr,
    record: SubscriptionRecord,
}

impl Connection {
    pub(super) fn on_subscribe<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        subscribe: Subscribe,
        io: &mut PacketIo<S>,
    ) -> Result<(), ConnectionError> {
        let id = subscribe
            .properties
            .subscription_identifiers
            .first()
            .copied();
        let mut codes = Vec::with_capacity(subscribe.filters.len());
        let mut reasons = Vec::new();
        let mut due = Vec::new();
        for filter in subscribe.filters {
            match self.subscribe_one(filter, id, &mut due)? {
                Ok(code) => codes.push(code),
                Err((code, reason)) => {
                    codes.push(code);
                    reasons.push(reason);
                }
            }
        }
        let mut suback = SubAck::new(subscribe.packet_id, codes);
        if !reasons.is_empty() {
            tracing::debug!(client_id = %self.client_id(), "subscription refused: {}", reasons.join("; "));
            suback.properties.reason_string = self.subscribe_reason(reasons.join("; "));
        }
        self.send_ack(io, Packet::SubAck(suback))?;
        for retained in due {
            self.queue_retained(&retained);
        }
        Ok(())
    }

    /// One filter: its SUBACK code, or a refusal with a reason. A protocol error
    /// (No Local on a shared subscription) ends the connection.
    #[allow(clippy::type_complexity)]
    fn subscribe_one(
        &mut self,
        request: SubscribeFilter,
        id: Option<u32>,
        due: &mut Vec<RetainedDue>,
    ) -> Result<Result<ReasonCode, (ReasonCode, String)>, ConnectionError> {
        let SubscribeFilter { filter, options } = request;
        let limits = &self.core.config.limits;
        if let Err(reason) = crate::topic_limits::check_topic_filter(&filter, limits) {
            let reason = format!("'{}': {reason}", excerpt(&filter));
            return Ok(Err((ReasonCode::TopicFilterInvalid, reason)));
        }
        let shared = matches!(SharedSubscription::parse(&filter), Ok(Some(_)));
        if shared && options.no_local {
            return Err(ConnectionError::Protocol(
                "No Local set on a shared subscription",
            ));
        }
        let allowed = self.core.config.authenticator.can_subscribe(
            self.username(),
            self.client_id(),
            &filter,
        );
        if !allowed {
            let reason = format!("not authorised to subscribe to '{}'", excerpt(&filter));
            return Ok(Err((ReasonCode::NotAuthorized, reason)));
        }
        let max = limits.max_subscriptions_per_client;
        let state = &self.attached.state;
        if !state.subscriptions.contains_key(&filter) && state.subscriptions.len() >= max {
            let reason = format!("this session already has its maximum of {max} subscriptions");
            return Ok(Err((ReasonCode::QuotaExceeded, reason)));
        }
        let record = SubscriptionRecord { options, id };
        let existed = self.core.router.subscribe(
            &filter,
            Subscriber {
                client_id: self.client_id().clone(),
                session: self.attached.session.clone(),
                options,
                id,
            },
        );
        // An owned copy: a slice would keep the SUBSCRIBE's read buffer alive.
        let kept = ByteStr::from(filter.as_str());
        self.state().subscriptions.insert(kept, record);
        let send_retained = match options.retain_handling {
            RetainHandling::SendOnSubscribe => true,
            RetainHandling::SendIfNew => !existed,
            RetainHandling::DoNotSend => false,
        };
        if send_retained && !shared {
            due.push(RetainedDue { filter, record });
        }
        Ok(Ok(ReasonCode::granted(options.qos)))
    }

    /// Retained messages go out with RETAIN set, at the lower of their QoS and the
    /// granted one.
    fn queue_retained(&self, retained: &RetainedDue) {
        let messages = self
            .core
            .retained
            .matching(&retained.filter, Instant::now());
        for message in messages {
            let delivery = Delivery {
                qos: message.qos.min(retained.record.options.qos),
                retain: true,
                subscription_ids: retained.record.id.into_iter().collect(),
                message,
            };
            self.attached.session.mailbox.push(delivery);
        }
    }

    pub(super) fn on_unsubscribe<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        unsubscribe: Unsubscribe,
        io: &mut PacketIo<S>,
    ) -> Result<(), ConnectionError> {
        let mut codes = Vec::with_capacity(unsubscribe.filters.len());
        for filter in &unsubscribe.filters {
            let code = if crate::topic_limits::check_topic_filter(filter, &self.core.config.limits)
                .is_err()
            {
                ReasonCode::TopicFilterInvalid
            } else if self.state().subscriptions.remove(filter).is_some() {
                self.core.router.unsubscribe(
                    filter,
                    self.client_id(),
                    Some(&*self.attached.session),
                );
                ReasonCode::Success
            } else {
                ReasonCode::NoSubscriptionExisted
            };
            codes.push(code);
        }
        self.send_ack(
            io,
            Packet::UnsubAck(UnsubAck::new(unsubscribe.packet_id, codes)),
        )
    }

    fn subscribe_reason(&self, reason: String) -> Option<ByteStr> {
        (self.version.is_v5() && self.client.request_problem_information).then(|| reason.into())
    }
}

/// At most 64 characters of a filter, for messages.
fn excerpt(filter: &str) -> String {
    match filter.char_indices().nth(64) {
        Some((cut, _)) => format!("{}…", filter.get(..cut).unwrap_or_default()),
        None => filter.to_owned(),
    }
}
