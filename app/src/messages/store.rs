//! The message log of one connection: a ring buffer of records under a budget of
//! messages and bytes. When either is exceeded the oldest records are evicted and
//! counted, so the page never grows without bound and the user always sees how much
//! was dropped.
//!
//! Built for a firehose: `push` is O(1) and allocates nothing beyond the record
//! itself; lookups by sequence number are O(1) because held records always carry
//! consecutive numbers.

use mqtt::Publish;

use super::chunked::ChunkedDeque;
use super::filter::MessageFilter;
use super::record::{Direction, MessageRecord};

/// How much a store may hold before it evicts its oldest messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreBudget {
    /// The most messages held.
    pub max_messages: usize,
    /// The most bytes held, as summed by [`MessageRecord::approx_bytes`].
    pub max_bytes: u64,
}

impl StoreBudget {
    /// 200,000 messages or 128 MiB, whichever is reached first: a few minutes of a
    /// busy broker in well under the page's memory budget.
    pub const DEFAULT: Self = Self {
        max_messages: 200_000,
        max_bytes: 128 * 1024 * 1024,
    };
}

impl Default for StoreBudget {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The messages of one connection, oldest first.
#[derive(Debug, Default)]
pub struct MessageStore {
    records: ChunkedDeque<MessageRecord>,
    budget: StoreBudget,
    next_seq: u64,
    held_bytes: u64,
    evicted: u64,
    total_received: u64,
    total_published: u64,
}

impl MessageStore {
    /// An empty store with `budget`.
    pub fn new(budget: StoreBudget) -> Self {
        Self {
            budget,
            ..Self::default()
        }
    }

    pub fn budget(&self) -> StoreBudget {
        self.budget
    }

    /// Changes the budget, evicting at once what no longer fits.
    pub fn set_budget(&mut self, budget: StoreBudget) {
        self.budget = budget;
        self.evict_over_budget();
    }

    /// Appends `record`, giving it the next sequence number (returned), then evicts
    /// the oldest records while over budget. The newest record is always kept, even
    /// when it alone exceeds the byte budget, so no message goes unseen.
    pub fn push(&mut self, mut record: MessageRecord) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        record.seq = seq;
        match record.direction {
            Direction::Received => self.total_received += 1,
            Direction::Published => self.total_published += 1,
        }
        self.held_bytes += record.approx_bytes();
        self.records.push_back(record);
        self.evict_over_budget();
        seq
    }

    /// Records `publish` (see [`MessageRecord::from_publish`]) and returns its
    /// sequence number.
    pub fn push_publish(&mut self, publish: &Publish, direction: Direction, at_ms: u64) -> u64 {
        self.push(MessageRecord::from_publish(publish, direction, at_ms))
    }

    fn evict_over_budget(&mut self) {
        while self.records.len() > 1
            && (self.records.len() > self.budget.max_messages
                || self.held_bytes > self.budget.max_bytes)
        {
            let Some(oldest) = self.records.pop_front() else {
                break;
            };
            self.held_bytes = self.held_bytes.saturating_sub(oldest.approx_bytes());
            self.evicted += 1;
        }
    }

    /// How many messages are held.
    pub fn held(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// How many messages were evicted to stay within budget since creation or the
    /// last [`MessageStore::clear`].
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    /// The bytes held, as summed by [`MessageRecord::approx_bytes`].
    pub fn held_bytes(&self) -> u64 {
        self.held_bytes
    }

    /// Messages received since the store was created (evicted and cleared ones too).
    pub fn total_received(&self) -> u64 {
        self.total_received
    }

    /// Messages published since the store was created (evicted and cleared ones too).
    pub fn total_published(&self) -> u64 {
        self.total_published
    }

    /// The sequence number of the oldest message held.
    pub fn first_seq(&self) -> Option<u64> {
        self.records.front().map(|record| record.seq)
    }

    /// The sequence number of the newest message held.
    pub fn last_seq(&self) -> Option<u64> {
        self.records.back().map(|record| record.seq)
    }

    /// The sequence number the next message will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// The message numbered `seq`, if still held.
    pub fn get(&self, seq: u64) -> Option<&MessageRecord> {
        self.records.get(self.index_of(seq)?)
    }

    /// Held messages, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &MessageRecord> + '_ {
        self.records.iter()
    }

    /// Held messages numbered `seq` and above, oldest first (all of them when `seq`
    /// was evicted; none when it is in the future).
    pub fn iter_from(&self, seq: u64) -> impl DoubleEndedIterator<Item = &MessageRecord> + '_ {
        let first = self.first_seq().unwrap_or(self.next_seq);
        let index = seq.saturating_sub(first);
        let index = usize::try_from(index).unwrap_or(usize::MAX);
        self.records.iter_from(index)
    }

    /// The most recent message before `seq` on the same topic and in the same
    /// direction, to diff `seq` against. Walks back through the log: it is meant for
    /// one click, not for every row.
    pub fn previous_on_topic(&self, seq: u64) -> Option<&MessageRecord> {
        let index = self.index_of(seq)?;
        let current = self.records.get(index)?;
        (0..index)
            .rev()
            .filter_map(|earlier| self.records.get(earlier))
            .find(|earlier| {
                earlier.direction == current.direction
                    && earlier.topic.as_bytes() == current.topic.as_bytes()
            })
    }

    /// The sequence numbers of the held messages `filter` lets through, oldest first.
    pub fn matching(&self, filter: &MessageFilter) -> Vec<u64> {
        self.matching_from(filter, 0)
    }

    /// Like [`MessageStore::matching`], only among messages numbered `seq` and above:
    /// for extending a filtered view with what arrived since it was built.
    pub fn matching_from(&self, filter: &MessageFilter, seq: u64) -> Vec<u64> {
        if filter.is_everything() {
            let first = self.first_seq().unwrap_or(self.next_seq).max(seq);
            return (first..self.next_seq).collect();
        }
        self.iter_from(seq)
            .filter(|record| filter.matches(record))
            .map(|record| record.seq)
            .collect()
    }

    /// Drops every held message and resets the evicted count. Sequence numbers and
    /// the received/published totals carry on.
    pub fn clear(&mut self) {
        self.records.clear();
        self.held_bytes = 0;
        self.evicted = 0;
    }

    fn index_of(&self, seq: u64) -> Option<usize> {
        let offset = seq.checked_sub(self.first_seq()?)?;
        usize::try_from(offset).ok()
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
