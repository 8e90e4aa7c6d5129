//! CONNACK: a refusal ends the connection with the refusal's name; an acceptance
//! applies what the server granted, then either resumes the session (resending
//! unacknowledged PUBLISH with DUP and PUBREL, in order) or, when the server has no
//! session for us, discards ours and says so. Pending requests and queued messages
//! go out after that.

use crate::packet::{ConnAck, Packet, PubRel};

use super::error::SessionError;
use super::event::{ConnectionInfo, DisconnectReason, Event};
use super::limits::ServerLimits;
use super::outbound::Resend;
use super::session::ClientSession;
use super::state::SessionState;

impl ClientSession {
    pub(super) fn on_connack(&mut self, now: u64, connack: ConnAck) -> Result<(), SessionError> {
        if connack.code.is_error() {
            self.enter_disconnected(DisconnectReason::refused(
                self.options.protocol,
                connack.code,
                connack.properties,
            ));
            return Ok(());
        }
        let our_client_id = self
            .options
            .effective_client_id(self.assigned_client_id.as_ref());
        let info = ConnectionInfo::new(
            self.options.protocol,
            &connack,
            &our_client_id,
            self.options.keep_alive_secs,
        );
        self.apply_grants(now, &info);
        let session_present = info.session_present;
        self.connection = Some(info.clone());
        self.events.push_back(Event::Connected(info));
        if session_present {
            self.resend_inflight(now);
        } else {
            self.discard_session_state();
        }
        for request in self.requests.packets() {
            self.send(now, request)?;
        }
        self.flush_queue(now);
        Ok(())
    }

    fn apply_grants(&mut self, now: u64, info: &ConnectionInfo) {
        self.state = SessionState::Connected;
        self.limits = if self.options.protocol.is_v5() {
            info.limits
        } else {
            ServerLimits::default()
        };
        if let Some(assigned) = &info.assigned_client_identifier {
            self.assigned_client_id = Some(assigned.clone());
        }
        self.keep_alive
            .start(now, info.keep_alive_secs, self.options.ping_timeout_ms);
        self.inbound_aliases
            .reset(self.options.inbound_topic_alias_maximum());
        let outgoing_aliases = if self.options.outgoing_topic_aliases {
            self.limits.topic_alias_maximum
        } else {
            0
        };
        self.outbound_aliases.reset(outgoing_aliases);
    }

    /// Resends what the resumed session still owes. A message the new connection's
    /// limits refuse is dropped with `Event::PublishDropped` rather than sent.
    fn resend_inflight(&mut self, now: u64) {
        for resend in self.outbound.resend_list() {
            let (packet_id, result) = match resend {
                Resend::Publish(publish) => {
                    let publish = *publish;
                    let packet_id = publish.packet_id.unwrap_or(0);
                    let result = self
                        .check_size(&Packet::Publish(publish.clone()))
                        .and_then(|size| self.transmit_publish(now, publish, size));
                    (packet_id, result)
                }
                Resend::Release(packet_id) => {
                    let result = self.send(now, Packet::PubRel(PubRel::new(packet_id)));
                    (packet_id, result.map(|_| ()))
                }
            };
            if let Err(error) = result {
                if let Some(publish) = self.outbound.forget(packet_id) {
                    self.packet_ids.release(packet_id);
                    self.events.push_back(Event::PublishDropped {
                        packet_id: Some(packet_id),
                        topic: publish.topic,
                        error,
                    });
                }
            }
        }
    }

    /// Session Present 0: the server has no session, so ours goes too (spec 3.2.2.2).
    fn discard_session_state(&mut self) {
        let inbound_was_empty = self.unreleased_inbound.is_empty();
        self.unreleased_inbound.clear();
        let (unacknowledged, unreleased) = self.outbound.discard_inflight();
        for packet_id in unacknowledged
            .iter()
            .filter_map(|publish| publish.packet_id)
            .chain(unreleased.iter().copied())
        {
            self.packet_ids.release(packet_id);
        }
        if !unacknowledged.is_empty() || !unreleased.is_empty() || !inbound_was_empty {
            self.events.push_back(Event::SessionDiscarded {
                unacknowledged,
                unreleased,
            });
        }
    }
}
