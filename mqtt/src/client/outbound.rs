//! Messages we publish: the queue of those not yet sent (waiting for CONNACK or for a
//! free slot under the server's receive maximum) and the QoS 1 / 2 messages in flight,
//! kept in send order so that a resumed session resends them in the same order.

use std::collections::VecDeque;

use crate::packet::Publish;
use crate::protocol::QoS;

/// How far an in-flight message got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Sent; waiting for PUBACK (QoS 1) or PUBREC (QoS 2).
    AwaitingAck,
    /// QoS 2 released with PUBREL; waiting for PUBCOMP.
    AwaitingComplete,
}

#[derive(Debug, Clone)]
struct Inflight {
    /// As the application gave it: full topic, no session-chosen alias.
    publish: Publish,
    packet_id: u16,
    stage: Stage,
}

/// What a PUBREC means for our side of the QoS 2 flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PubRecOutcome {
    /// Send PUBREL (first time, or again for a repeated PUBREC).
    Release,
    /// PUBREC carried a failure code: the flow ends here.
    Failed,
    /// No QoS 2 message with that identifier is in flight.
    Unknown,
}

/// One packet to resend when a session is resumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resend {
    Publish(Box<Publish>),
    Release(u16),
}

/// Outgoing messages not yet completed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outbound {
    queued: VecDeque<Publish>,
    inflight: VecDeque<Inflight>,
}

impl Outbound {
    pub(crate) fn queued_len(&self) -> usize {
        self.queued.len()
    }

    pub(crate) fn inflight_len(&self) -> usize {
        self.inflight.len()
    }

    pub(crate) fn enqueue(&mut self, publish: Publish) {
        self.queued.push_back(publish);
    }

    /// Takes the next queued message if it may be sent now: QoS 0 always, QoS 1 and 2
    /// while fewer than `receive_maximum` are in flight. Order is kept: a message
    /// that must wait holds back the ones behind it.
    pub(crate) fn next_sendable(&mut self, receive_maximum: u16) -> Option<Publish> {
        let front = self.queued.front()?;
        let has_slot = self.inflight.len() < usize::from(receive_maximum);
        if front.qos == QoS::AtMostOnce || has_slot {
            self.queued.pop_front()
        } else {
            None
        }
    }

    /// Records a QoS 1 or 2 message as sent.
    pub(crate) fn mark_sent(&mut self, publish: Publish) {
        if let Some(packet_id) = publish.packet_id {
            self.inflight.push_back(Inflight {
                publish,
                packet_id,
                stage: Stage::AwaitingAck,
            });
        }
    }

    /// PUBACK for `packet_id`: the completed QoS 1 message.
    pub(crate) fn on_puback(&mut self, packet_id: u16) -> Option<Publish> {
        let index = self.position(packet_id, QoS::AtLeastOnce, Stage::AwaitingAck)?;
        self.inflight.remove(index).map(|entry| entry.publish)
    }

    /// PUBREC for `packet_id`, with a failure code or not.
    pub(crate) fn on_pubrec(&mut self, packet_id: u16, failed: bool) -> PubRecOutcome {
        let Some(index) = self.inflight.iter().position(|entry| {
            entry.packet_id == packet_id && entry.publish.qos == QoS::ExactlyOnce
        }) else {
            return PubRecOutcome::Unknown;
        };
        let Some(entry) = self.inflight.get_mut(index) else {
            return PubRecOutcome::Unknown;
        };
        if entry.stage == Stage::AwaitingComplete {
            return PubRecOutcome::Release;
        }
        if failed {
            self.inflight.remove(index);
            return PubRecOutcome::Failed;
        }
        entry.stage = Stage::AwaitingComplete;
        PubRecOutcome::Release
    }

    /// PUBCOMP for `packet_id`: the completed QoS 2 message.
    pub(crate) fn on_pubcomp(&mut self, packet_id: u16) -> Option<Publish> {
        let index = self.position(packet_id, QoS::ExactlyOnce, Stage::AwaitingComplete)?;
        self.inflight.remove(index).map(|entry| entry.publish)
    }

    /// Gives up the in-flight message with `packet_id`, whatever its stage.
    pub(crate) fn forget(&mut self, packet_id: u16) -> Option<Publish> {
        let index = self
            .inflight
            .iter()
            .position(|entry| entry.packet_id == packet_id)?;
        self.inflight.remove(index).map(|entry| entry.publish)
    }

    /// What to resend on a resumed session, in the original order: unacknowledged
    /// messages with DUP set, and PUBREL for released ones.
    pub(crate) fn resend_list(&self) -> Vec<Resend> {
        self.inflight
            .iter()
            .map(|entry| match entry.stage {
                Stage::AwaitingAck => {
                    let mut publish = entry.publish.clone();
                    publish.dup = true;
                    Resend::Publish(Box::new(publish))
                }
                Stage::AwaitingComplete => Resend::Release(entry.packet_id),
            })
            .collect()
    }

    /// Drops everything in flight (the server lost the session): the unacknowledged
    /// messages, and the identifiers of released ones.
    pub(crate) fn discard_inflight(&mut self) -> (Vec<Publish>, Vec<u16>) {
        let mut unacknowledged = Vec::new();
        let mut unreleased = Vec::new();
        for entry in self.inflight.drain(..) {
            match entry.stage {
                Stage::AwaitingAck => unacknowledged.push(entry.publish),
                Stage::AwaitingComplete => unreleased.push(entry.packet_id),
            }
        }
        (unacknowledged, unreleased)
    }

    fn position(&self, packet_id: u16, qos: QoS, stage: Stage) -> Option<usize> {
        self.inflight.iter().position(|entry| {
            entry.packet_id == packet_id && entry.publish.qos == qos && entry.stage == stage
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(packet_id: u16, qos: QoS) -> Publish {
        let mut publish = Publish::new("t", "x");
        publish.qos = qos;
        publish.packet_id = Some(packet_id);
        publish
    }

    #[test]
    fn receive_maximum_holds_back_the_queue_in_order() {
        let mut outbound = Outbound::default();
        outbound.enqueue(message(1, QoS::AtLeastOnce));
        outbound.enqueue(message(2, QoS::AtLeastOnce));
        outbound.enqueue(Publish::new("t", "qos0"));
        let first = outbound.next_sendable(1);
        assert_eq!(first.as_ref().and_then(|p| p.packet_id), Some(1));
        outbound.mark_sent(first.unwrap_or_else(|| Publish::new("t", "")));
        assert_eq!(outbound.next_sendable(1), None);
        assert!(outbound.on_puback(1).is_some());
        assert_eq!(outbound.next_sendable(1).and_then(|p| p.packet_id), Some(2));
        assert_eq!(
            outbound.next_sendable(1).map(|p| p.qos),
            Some(QoS::AtMostOnce)
        );
    }

    #[test]
    fn qos2_flow_releases_then_completes() {
        let mut outbound = Outbound::default();
        outbound.mark_sent(message(7, QoS::ExactlyOnce));
        assert!(outbound.on_puback(7).is_none());
        assert_eq!(outbound.on_pubcomp(7), None);
        assert_eq!(outbound.on_pubrec(7, false), PubRecOutcome::Release);
        assert_eq!(outbound.on_pubrec(7, false), PubRecOutcome::Release);
        assert_eq!(outbound.resend_list(), vec![Resend::Release(7)]);
        assert!(outbound.on_pubcomp(7).is_some());
        assert_eq!(outbound.inflight_len(), 0);
    }

    #[test]
    fn failed_pubrec_ends_the_flow() {
        let mut outbound = Outbound::default();
        outbound.mark_sent(message(3, QoS::ExactlyOnce));
        assert_eq!(outbound.on_pubrec(3, true), PubRecOutcome::Failed);
        assert_eq!(outbound.on_pubrec(3, false), PubRecOutcome::Unknown);
    }

    #[test]
    fn resend_sets_dup_and_discard_splits_by_stage() {
        let mut outbound = Outbound::default();
        outbound.mark_sent(message(1, QoS::AtLeastOnce));
        outbound.mark_sent(message(2, QoS::ExactlyOnce));
        outbound.on_pubrec(2, false);
        let resend = outbound.resend_list();
        assert!(
            matches!(resend.first(), Some(Resend::Publish(p)) if p.dup && p.packet_id == Some(1))
        );
        assert_eq!(resend.get(1), Some(&Resend::Release(2)));
        let (unacknowledged, unreleased) = outbound.discard_inflight();
        assert_eq!(unacknowledged.len(), 1);
        assert_eq!(unreleased, vec![2]);
        assert_eq!(outbound.inflight_len(), 0);
    }
}
