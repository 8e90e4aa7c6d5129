//! SUBSCRIBE and UNSUBSCRIBE requests awaiting their acknowledgement, kept whole so
//! that SUBACK / UNSUBACK can be reported against the filters that were asked for, and
//! so that requests cut off by a lost connection are sent again on the next one.

use std::collections::VecDeque;

use crate::packet::{Packet, Subscribe, Unsubscribe};

/// Requests in the order they were made.
#[derive(Debug, Clone, Default)]
pub(crate) struct PendingRequests {
    pending: VecDeque<Packet>,
}

impl PendingRequests {
    pub(crate) fn push_subscribe(&mut self, subscribe: Subscribe) {
        self.pending.push_back(Packet::Subscribe(subscribe));
    }

    pub(crate) fn push_unsubscribe(&mut self, unsubscribe: Unsubscribe) {
        self.pending.push_back(Packet::Unsubscribe(unsubscribe));
    }

    /// The SUBSCRIBE that SUBACK `packet_id` answers, removed from the pending list.
    pub(crate) fn take_subscribe(&mut self, packet_id: u16) -> Option<Subscribe> {
        let index = self.pending.iter().position(
            |packet| matches!(packet, Packet::Subscribe(subscribe) if subscribe.packet_id == packet_id),
        )?;
        match self.pending.remove(index) {
            Some(Packet::Subscribe(subscribe)) => Some(subscribe),
            _ => None,
        }
    }

    /// The UNSUBSCRIBE that UNSUBACK `packet_id` answers, removed from the pending list.
    pub(crate) fn take_unsubscribe(&mut self, packet_id: u16) -> Option<Unsubscribe> {
        let index = self.pending.iter().position(|packet| {
            matches!(packet, Packet::Unsubscribe(unsubscribe) if unsubscribe.packet_id == packet_id)
        })?;
        match self.pending.remove(index) {
            Some(Packet::Unsubscribe(unsubscribe)) => Some(unsubscribe),
            _ => None,
        }
    }

    /// Every pending request, to send (again) on a new connection.
    pub(crate) fn packets(&self) -> Vec<Packet> {
        self.pending.iter().cloned().collect()
    }

    pub(crate) fn len(&self) -> usize {
        self.pending.len()
    }
}
