//! Packet identifier allocation: non-zero 16-bit identifiers handed out in rising
//! order (wrapping after 65535), skipping every identifier still in use by an
//! unacknowledged PUBLISH, SUBSCRIBE or UNSUBSCRIBE.

const WORDS: usize = (u16::MAX as usize + 1) / 64;

/// The set of identifiers in use, and where the next search starts.
#[derive(Debug, Clone)]
pub(crate) struct PacketIds {
    in_use: Box<[u64; WORDS]>,
    count: usize,
    next: u16,
}

impl Default for PacketIds {
    fn default() -> Self {
        Self {
            in_use: Box::new([0; WORDS]),
            count: 0,
            next: 1,
        }
    }
}

impl PacketIds {
    /// A free identifier, now marked in use; `None` when all 65535 are taken.
    pub(crate) fn allocate(&mut self) -> Option<u16> {
        if self.count >= usize::from(u16::MAX) {
            return None;
        }
        // At most 65535 steps, and the count check above guarantees a free one.
        for _ in 0..u16::MAX {
            let candidate = self.next;
            self.next = if candidate == u16::MAX {
                1
            } else {
                candidate + 1
            };
            if !self.is_in_use(candidate) {
                self.mark(candidate);
                return Some(candidate);
            }
        }
        None
    }

    /// Marks `id` in use (an identifier the session already knows, e.g. restored).
    pub(crate) fn mark(&mut self, id: u16) {
        if id == 0 || self.is_in_use(id) {
            return;
        }
        let (word, bit) = Self::position(id);
        if let Some(slot) = self.in_use.get_mut(word) {
            *slot |= bit;
            self.count += 1;
        }
    }

    /// Frees `id` for reuse.
    pub(crate) fn release(&mut self, id: u16) {
        if !self.is_in_use(id) {
            return;
        }
        let (word, bit) = Self::position(id);
        if let Some(slot) = self.in_use.get_mut(word) {
            *slot &= !bit;
            self.count -= 1;
        }
    }

    pub(crate) fn is_in_use(&self, id: u16) -> bool {
        let (word, bit) = Self::position(id);
        self.in_use.get(word).is_some_and(|slot| slot & bit != 0)
    }

    /// How many identifiers are in use.
    pub(crate) fn in_use_count(&self) -> usize {
        self.count
    }

    fn position(id: u16) -> (usize, u64) {
        (usize::from(id) / 64, 1 << (id % 64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_at_one_and_never_hands_out_zero() {
        let mut ids = PacketIds::default();
        assert_eq!(ids.allocate(), Some(1));
        assert_eq!(ids.allocate(), Some(2));
    }

    #[test]
    fn skips_identifiers_in_use_after_wrapping() {
        let mut ids = PacketIds::default();
        let first = ids.allocate();
        let second = ids.allocate();
        assert_eq!((first, second), (Some(1), Some(2)));
        ids.release(2);
        for _ in 3..=u16::MAX {
            assert!(ids.allocate().is_some());
        }
        // Wrapped: 1 is still in use, 2 was released.
        assert_eq!(ids.allocate(), Some(2));
        assert_eq!(ids.in_use_count(), usize::from(u16::MAX));
        assert_eq!(ids.allocate(), None);
    }

    #[test]
    fn released_identifiers_are_free_again_and_double_release_is_harmless() {
        let mut ids = PacketIds::default();
        let id = ids.allocate().unwrap_or_default();
        ids.release(id);
        ids.release(id);
        assert!(!ids.is_in_use(id));
        assert_eq!(ids.in_use_count(), 0);
    }

    #[test]
    fn marked_identifiers_are_skipped() {
        let mut ids = PacketIds::default();
        ids.mark(1);
        ids.mark(1);
        ids.mark(0);
        assert_eq!(ids.in_use_count(), 1);
        assert_eq!(ids.allocate(), Some(2));
    }
}
