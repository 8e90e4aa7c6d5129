//! QoS 2 messages received from the server and not yet released: their identifiers
//! make a resent PUBLISH (before PUBREL) recognisable, so it is delivered only once.

use std::collections::HashSet;

/// Identifiers of inbound QoS 2 messages awaiting PUBREL.
#[derive(Debug, Clone, Default)]
pub(crate) struct UnreleasedInbound {
    packet_ids: HashSet<u16>,
}

impl UnreleasedInbound {
    pub(crate) fn contains(&self, packet_id: u16) -> bool {
        self.packet_ids.contains(&packet_id)
    }

    pub(crate) fn len(&self) -> usize {
        self.packet_ids.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.packet_ids.is_empty()
    }

    pub(crate) fn insert(&mut self, packet_id: u16) {
        self.packet_ids.insert(packet_id);
    }

    /// PUBREL arrived; true if the message was known.
    pub(crate) fn release(&mut self, packet_id: u16) -> bool {
        self.packet_ids.remove(&packet_id)
    }

    pub(crate) fn clear(&mut self) {
        self.packet_ids.clear();
    }
}
