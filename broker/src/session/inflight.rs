//! The QoS 1 and 2 messages a session has sent and the client has not yet finished
//! acknowledging, with the packet identifiers they hold. Kept across reconnects of a
//! persistent session so they can be sent again.

use crate::hashing::LazyMap;
use crate::message::Delivery;

/// Where an outgoing QoS 1 / 2 flow stands.
// Named after the packets the spec names; the shared prefix is theirs.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Awaiting {
    /// QoS 1 PUBLISH sent, waiting for PUBACK.
    PubAck,
    /// QoS 2 PUBLISH sent, waiting for PUBREC.
    PubRec,
    /// PUBREL sent, waiting for PUBCOMP.
    PubComp,
}

#[derive(Debug)]
pub(crate) struct InflightEntry {
    /// Send order, so a resumed session resends in the original order.
    sequence: u64,
    pub delivery: Delivery,
    pub stage: Awaiting,
}

/// Outgoing messages awaiting acknowledgement, by packet identifier.
#[derive(Debug, Default)]
pub(crate) struct Inflight {
    entries: LazyMap<u16, InflightEntry>,
    next_id: u16,
    next_sequence: u64,
}

impl Inflight {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// A packet identifier no inflight message uses, or `None` when all 65,535 are.
    pub fn allocate_id(&mut self) -> Option<u16> {
        for _ in 0..=u16::MAX {
            self.next_id = self.next_id.checked_add(1).unwrap_or(1);
            if !self.entries.contains_key(&self.next_id) {
                return Some(self.next_id);
            }
        }
        None
    }

    pub fn insert(&mut self, packet_id: u16, delivery: Delivery, stage: Awaiting) {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.entries.insert(
            packet_id,
            InflightEntry {
                sequence,
                delivery,
                stage,
            },
        );
    }

    /// Ends a flow in `stage` (PUBACK for QoS 1, PUBCOMP for QoS 2, or an error
    /// PUBREC); false if no flow with that identifier was in that stage.
    pub fn complete(&mut self, packet_id: u16, stage: Awaiting) -> bool {
        match self.entries.get(&packet_id) {
            Some(entry) if entry.stage == stage => {
                self.entries.remove(&packet_id);
                true
            }
            _ => false,
        }
    }

    /// PUBREC received: the flow moves on to PUBREL / PUBCOMP. True if it was
    /// waiting for PUBREC (or already past it, as after a resend).
    pub fn released(&mut self, packet_id: u16) -> bool {
        match self.entries.get_mut(&packet_id) {
            Some(entry) if entry.stage != Awaiting::PubAck => {
                entry.stage = Awaiting::PubComp;
                true
            }
            _ => false,
        }
    }

    /// Every entry in the order it was first sent.
    pub fn in_send_order(&self) -> Vec<(u16, &InflightEntry)> {
        let mut entries: Vec<(u16, &InflightEntry)> = self
            .entries
            .iter()
            .map(|(id, entry)| (*id, entry))
            .collect();
        entries.sort_by_key(|(_, entry)| entry.sequence);
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_skip_those_in_use_and_wrap_past_zero() {
        let mut inflight = Inflight {
            next_id: u16::MAX - 1,
            ..Inflight::default()
        };
        assert_eq!(inflight.allocate_id(), Some(u16::MAX));
        assert_eq!(inflight.allocate_id(), Some(1));
    }
}
