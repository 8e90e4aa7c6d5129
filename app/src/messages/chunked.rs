//! A double-ended queue stored as fixed-size chunks, for the message store.
//!
//! A single `VecDeque` of a million records grows by doubling: each growth copies
//! everything held (a pause of tens of milliseconds in the browser) and briefly needs
//! the old and the new buffer at once. Chunks never move what they hold; a full store
//! that evicts as it receives reuses the chunk it just emptied, so steady-state pushes
//! allocate nothing.

use std::collections::VecDeque;

/// Items per chunk: large enough that the chunk index stays tiny, small enough that
/// one allocation is cheap.
pub(crate) const CHUNK: usize = 4096;

/// A FIFO with O(1) `push_back`, `pop_front` and indexing.
///
/// Invariant: only the back chunk receives items and a new back chunk is started only
/// when the current one holds `CHUNK`; only the front chunk loses items. So every chunk
/// except the front one starts at the chunk's first slot and every chunk between front
/// and back is full, which makes `get` arithmetic.
#[derive(Debug)]
pub(crate) struct ChunkedDeque<T> {
    chunks: VecDeque<VecDeque<T>>,
    len: usize,
    spare: Option<VecDeque<T>>,
}

impl<T> Default for ChunkedDeque<T> {
    fn default() -> Self {
        Self {
            chunks: VecDeque::new(),
            len: 0,
            spare: None,
        }
    }
}

impl<T> ChunkedDeque<T> {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn push_back(&mut self, item: T) {
        let needs_chunk = self.chunks.back().is_none_or(|back| back.len() >= CHUNK);
        if needs_chunk {
            let chunk = self
                .spare
                .take()
                .unwrap_or_else(|| VecDeque::with_capacity(CHUNK));
            self.chunks.push_back(chunk);
        }
        if let Some(back) = self.chunks.back_mut() {
            back.push_back(item);
            self.len += 1;
        }
    }

    pub(crate) fn pop_front(&mut self) -> Option<T> {
        let front = self.chunks.front_mut()?;
        let item = front.pop_front();
        if front.is_empty() {
            if let Some(emptied) = self.chunks.pop_front() {
                self.spare.get_or_insert(emptied);
            }
        }
        if item.is_some() {
            self.len -= 1;
        }
        item
    }

    pub(crate) fn front(&self) -> Option<&T> {
        self.chunks.front()?.front()
    }

    pub(crate) fn back(&self) -> Option<&T> {
        self.chunks.back()?.back()
    }

    /// The item `index` places from the front.
    pub(crate) fn get(&self, index: usize) -> Option<&T> {
        let (chunk, offset) = self.locate(index)?;
        self.chunks.get(chunk)?.get(offset)
    }

    /// Items from `index` (counted from the front) to the back.
    pub(crate) fn iter_from(&self, index: usize) -> impl DoubleEndedIterator<Item = &T> + '_ {
        let (first_chunk, first_offset) = self.locate(index).unwrap_or((self.chunks.len(), 0));
        self.chunks
            .range(first_chunk.min(self.chunks.len())..)
            .enumerate()
            .flat_map(move |(nth, chunk)| {
                let start = if nth == 0 { first_offset } else { 0 };
                chunk.range(start.min(chunk.len())..)
            })
    }

    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.iter_from(0)
    }

    /// Drops every item, keeping one chunk's allocation for the next pushes.
    pub(crate) fn clear(&mut self) {
        while let Some(mut chunk) = self.chunks.pop_front() {
            if self.spare.is_none() {
                chunk.clear();
                self.spare = Some(chunk);
            }
        }
        self.len = 0;
    }

    /// Chunk index and offset in that chunk of the item `index` places from the front.
    fn locate(&self, index: usize) -> Option<(usize, usize)> {
        if index >= self.len {
            return None;
        }
        let front_len = self.chunks.front()?.len();
        if index < front_len {
            return Some((0, index));
        }
        let past_front = index - front_len;
        Some((1 + past_front / CHUNK, past_front % CHUNK))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The deque must behave exactly like a plain `VecDeque`.
    fn check_same(chunked: &ChunkedDeque<usize>, plain: &VecDeque<usize>) {
        assert_eq!(chunked.len(), plain.len());
        assert_eq!(chunked.front(), plain.front());
        assert_eq!(chunked.back(), plain.back());
        assert!(chunked.iter().eq(plain.iter()));
        assert!(chunked.iter().rev().eq(plain.iter().rev()));
        for index in [
            0,
            1,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            plain.len() / 2,
            plain.len(),
        ] {
            assert_eq!(chunked.get(index), plain.get(index), "index {index}");
            assert!(chunked
                .iter_from(index)
                .eq(plain.range(index.min(plain.len())..)));
        }
        if let Some(last) = plain.len().checked_sub(1) {
            assert_eq!(chunked.get(last), plain.get(last));
        }
    }

    #[test]
    fn behaves_like_a_vecdeque_across_chunk_boundaries() {
        let mut chunked = ChunkedDeque::default();
        let mut plain = VecDeque::new();
        check_same(&chunked, &plain);
        let mut next = 0;
        // Grow past three chunks, drain into the middle of the second, grow again.
        for (pushes, pops) in [
            (3 * CHUNK + 17, 0),
            (0, CHUNK + 5),
            (2 * CHUNK, 0),
            (0, 4 * CHUNK),
        ] {
            for _ in 0..pushes {
                chunked.push_back(next);
                plain.push_back(next);
                next += 1;
            }
            check_same(&chunked, &plain);
            for _ in 0..pops {
                assert_eq!(chunked.pop_front(), plain.pop_front());
            }
            check_same(&chunked, &plain);
        }
        while !plain.is_empty() {
            assert_eq!(chunked.pop_front(), plain.pop_front());
        }
        assert_eq!(chunked.pop_front(), None);
        assert!(chunked.is_empty());
        check_same(&chunked, &plain);
    }

    #[test]
    fn a_single_chunk_used_as_a_ring_keeps_its_order() {
        let mut chunked = ChunkedDeque::default();
        let mut plain = VecDeque::new();
        for value in 0..(10 * CHUNK) {
            chunked.push_back(value);
            plain.push_back(value);
            if plain.len() > CHUNK / 2 {
                assert_eq!(chunked.pop_front(), plain.pop_front());
            }
        }
        check_same(&chunked, &plain);
    }

    #[test]
    fn clear_empties_and_can_be_refilled() {
        let mut chunked = ChunkedDeque::default();
        for value in 0..(CHUNK + 3) {
            chunked.push_back(value);
        }
        chunked.clear();
        assert!(chunked.is_empty());
        assert_eq!(chunked.get(0), None);
        assert_eq!(chunked.iter().count(), 0);
        chunked.push_back(42);
        assert_eq!(chunked.get(0), Some(&42));
        assert_eq!(chunked.len(), 1);
    }
}
