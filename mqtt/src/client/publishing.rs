//! Publishing: checking a message against the server's limits, queueing it, and
//! sending queued messages while the server's receive maximum allows, with outgoing
//! topic aliases applied on the wire only.

use crate::packet::{Packet, Publish};
use crate::protocol::QoS;
use crate::topic::validate_topic_name;

use super::error::SessionError;
use super::event::Event;
use super::outgoing::OutgoingPublish;
use super::session::ClientSession;
use super::state::SessionState;

/// An alias first sent alongside its topic adds at most this many bytes: the property
/// identifier, the two byte alias, and one more byte of property length.
const ALIAS_OVERHEAD: usize = 4;

impl ClientSession {
    /// Publishes `message`: the packet identifier for QoS 1 and 2. While connecting,
    /// or while the server's receive maximum is reached, the message waits in a
    /// queue; `Event::PublishComplete` reports the acknowledgement.
    pub fn publish(
        &mut self,
        now: u64,
        message: OutgoingPublish,
    ) -> Result<Option<u16>, SessionError> {
        self.require_open()?;
        self.check_topic(&message)?;
        if self.outbound.queued_len() >= self.options.max_queued_publishes {
            return Err(SessionError::QueueFull {
                limit: self.options.max_queued_publishes,
            });
        }
        let packet_id = match message.qos {
            QoS::AtMostOnce => None,
            QoS::AtLeastOnce | QoS::ExactlyOnce => Some(self.allocate_packet_id()?),
        };
        let publish = message.into_publish(packet_id);
        if let Err(error) = self.check_publish(&publish) {
            if let Some(id) = packet_id {
                self.packet_ids.release(id);
            }
            return Err(error);
        }
        self.outbound.enqueue(publish);
        if self.state == SessionState::Connected {
            self.flush_queue(now);
        }
        Ok(packet_id)
    }

    /// Sends queued messages while the receive maximum allows. Messages the server's
    /// limits now refuse are dropped with `Event::PublishDropped`.
    pub(super) fn flush_queue(&mut self, now: u64) {
        while let Some(publish) = self.outbound.next_sendable(self.limits.receive_maximum) {
            let result = self
                .check_publish(&publish)
                .and_then(|size| self.transmit_publish(now, publish.clone(), size));
            match result {
                Ok(()) => self.outbound.mark_sent(publish),
                Err(error) => {
                    if let Some(id) = publish.packet_id {
                        self.packet_ids.release(id);
                    }
                    self.events.push_back(Event::PublishDropped {
                        packet_id: publish.packet_id,
                        topic: publish.topic,
                        error,
                    });
                }
            }
        }
    }

    /// Puts `publish` on the wire, through an outgoing topic alias when enabled and
    /// when the alias cannot push it over the server's maximum packet size.
    pub(super) fn transmit_publish(
        &mut self,
        now: u64,
        mut publish: Publish,
        size: usize,
    ) -> Result<(), SessionError> {
        if self.options.outgoing_topic_aliases && self.options.protocol.is_v5() {
            let fits = self.limits.maximum_packet_size.is_none_or(|maximum| {
                size.saturating_add(ALIAS_OVERHEAD)
                    <= usize::try_from(maximum).unwrap_or(usize::MAX)
            });
            if fits {
                self.outbound_aliases.apply(&mut publish);
            } else {
                publish.properties.topic_alias = None;
            }
        }
        self.send(now, Packet::Publish(publish)).map(|_| ())
    }

    /// Refuses a topic that is not a valid topic name, unless it is the empty topic
    /// of an application-managed alias.
    fn check_topic(&self, message: &OutgoingPublish) -> Result<(), SessionError> {
        let managed_alias = self.options.protocol.is_v5()
            && !self.options.outgoing_topic_aliases
            && message.properties.topic_alias.is_some();
        if message.topic.is_empty() && managed_alias {
            return Ok(());
        }
        validate_topic_name(&message.topic).map_err(|source| SessionError::InvalidTopicName {
            topic: message.topic.to_string(),
            source,
        })
    }

    /// Checks `publish` against the server's limits; its encoded size if it passes.
    fn check_publish(&self, publish: &Publish) -> Result<usize, SessionError> {
        if publish.qos > self.limits.maximum_qos {
            return Err(SessionError::QoSNotSupported {
                requested: publish.qos,
                maximum: self.limits.maximum_qos,
            });
        }
        if publish.retain && !self.limits.retain_available {
            return Err(SessionError::RetainNotSupported);
        }
        // Before CONNACK the server's alias maximum is unknown; the flush checks again.
        let managed_alias = self.options.protocol.is_v5()
            && !self.options.outgoing_topic_aliases
            && self.state == SessionState::Connected;
        if let Some(alias) = publish.properties.topic_alias.filter(|_| managed_alias) {
            let maximum = self.limits.topic_alias_maximum;
            if alias == 0 || alias > maximum {
                return Err(SessionError::OutgoingTopicAliasInvalid { alias, maximum });
            }
        }
        self.check_size(&Packet::Publish(publish.clone()))
    }
}
