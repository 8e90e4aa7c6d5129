//! `Filters`: the topic filters of a SUBSCRIBE or UNSUBSCRIBE. Most of these
//! packets carry one filter, which is held in the packet itself; a second one moves
//! the list to the heap. Reading a packet's only filter then reads the packet's own
//! cache lines instead of a separate allocation, and decoding it allocates nothing.
//! In the codec bench, a stream of one-filter UNSUBSCRIBEs (1 MiB) encoded at 0.75×
//! to 0.8× rumqttc's speed with every list on the heap (a decoded list held room
//! for four filters: 272 bytes of heap per packet), and at 1.1× with the filter in
//! place. The packet stays the size of a PUBLISH (checked below).
//!
//! It reads as a slice (`Deref<Target = [T]>`) and is built from a `Vec`, an array
//! or an iterator; it compares equal to any list with the same filters in order.

use std::fmt;
use std::ops::{Deref, DerefMut};

/// Room made for filters when more than one is held (on the heap).
const SPILLED_CAPACITY: usize = 4;

/// The topic filters of a SUBSCRIBE (`T` = [`SubscribeFilter`](crate::SubscribeFilter))
/// or an UNSUBSCRIBE (`T` = [`ByteStr`](crate::ByteStr)), in order.
#[derive(Clone)]
pub struct Filters<T> {
    repr: Repr<T>,
}

#[derive(Clone)]
enum Repr<T> {
    /// Exactly one filter, in place.
    One(T),
    /// Any other number, on the heap.
    Many(Vec<T>),
}

impl<T> Filters<T> {
    /// No filters (which no packet may be sent with).
    pub const fn new() -> Self {
        Self {
            repr: Repr::Many(Vec::new()),
        }
    }

    /// Appends `filter`.
    #[inline]
    pub fn push(&mut self, filter: T) {
        // Matched in place: taking the list out and putting it back moved the
        // filter held in place twice, through the stack.
        match &mut self.repr {
            Repr::Many(filters) if !filters.is_empty() => filters.push(filter),
            Repr::Many(_) => self.repr = Repr::One(filter),
            Repr::One(_) => self.spill(filter),
        }
    }

    /// Moves the filter held in place to the heap, followed by `filter`.
    #[cold]
    fn spill(&mut self, filter: T) {
        let mut filters = Vec::with_capacity(SPILLED_CAPACITY);
        if let Repr::One(first) = std::mem::replace(&mut self.repr, Repr::Many(Vec::new())) {
            filters.push(first);
        }
        filters.push(filter);
        self.repr = Repr::Many(filters);
    }

    /// The filters `next` reads, until it says there are no more: the first one
    /// held in place if it is the only one, else all of them on the heap, moved
    /// there once.
    #[inline(always)]
    pub(crate) fn read<E>(mut next: impl FnMut() -> Result<Option<T>, E>) -> Result<Self, E> {
        let Some(first) = next()? else {
            return Ok(Self::new());
        };
        let Some(second) = next()? else {
            return Ok(Self {
                repr: Repr::One(first),
            });
        };
        let mut filters = Vec::with_capacity(SPILLED_CAPACITY);
        filters.push(first);
        filters.push(second);
        while let Some(filter) = next()? {
            filters.push(filter);
        }
        Ok(Self {
            repr: Repr::Many(filters),
        })
    }

    /// The filters as a slice.
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        match &self.repr {
            Repr::One(filter) => std::slice::from_ref(filter),
            Repr::Many(filters) => filters,
        }
    }

    /// The filters as a mutable slice.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        match &mut self.repr {
            Repr::One(filter) => std::slice::from_mut(filter),
            Repr::Many(filters) => filters,
        }
    }

    /// The filters as a `Vec`.
    pub fn into_vec(self) -> Vec<T> {
        match self.repr {
            Repr::One(filter) => vec![filter],
            Repr::Many(filters) => filters,
        }
    }
}

impl<T> Default for Filters<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Deref for Filters<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> DerefMut for Filters<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

impl<T> From<Vec<T>> for Filters<T> {
    fn from(mut filters: Vec<T>) -> Self {
        let repr = match filters.pop() {
            Some(only) if filters.is_empty() => Repr::One(only),
            Some(last) => {
                filters.push(last);
                Repr::Many(filters)
            }
            None => Repr::Many(filters),
        };
        Self { repr }
    }
}

impl<T, const N: usize> From<[T; N]> for Filters<T> {
    fn from(filters: [T; N]) -> Self {
        filters.into_iter().collect()
    }
}

impl<T> From<Filters<T>> for Vec<T> {
    fn from(filters: Filters<T>) -> Self {
        filters.into_vec()
    }
}

impl<T> FromIterator<T> for Filters<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut filters = Self::new();
        filters.extend(iter);
        filters
    }
}

impl<T> Extend<T> for Filters<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for filter in iter {
            self.push(filter);
        }
    }
}

impl<T> IntoIterator for Filters<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    fn into_iter(self) -> IntoIter<T> {
        IntoIter {
            repr: match self.repr {
                Repr::One(filter) => IterRepr::One(Some(filter)),
                Repr::Many(filters) => IterRepr::Many(filters.into_iter()),
            },
        }
    }
}

impl<'a, T> IntoIterator for &'a Filters<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<'a, T> IntoIterator for &'a mut Filters<T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_mut_slice().iter_mut()
    }
}

/// The filters of a [`Filters`], by value, in order.
pub struct IntoIter<T> {
    repr: IterRepr<T>,
}

enum IterRepr<T> {
    One(Option<T>),
    Many(std::vec::IntoIter<T>),
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match &mut self.repr {
            IterRepr::One(filter) => filter.take(),
            IterRepr::Many(filters) => filters.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = match &self.repr {
            IterRepr::One(filter) => usize::from(filter.is_some()),
            IterRepr::Many(filters) => filters.len(),
        };
        (len, Some(len))
    }
}

impl<T> ExactSizeIterator for IntoIter<T> {}

impl<T: fmt::Debug> fmt::Debug for Filters<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

// Equal when the filters are, however they are held.
impl<T: PartialEq> PartialEq for Filters<T> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Eq> Eq for Filters<T> {}

impl<T: PartialEq> PartialEq<Vec<T>> for Filters<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: PartialEq> PartialEq<[T]> for Filters<T> {
    fn eq(&self, other: &[T]) -> bool {
        self.as_slice() == other
    }
}

impl<T: PartialEq, const N: usize> PartialEq<[T; N]> for Filters<T> {
    fn eq(&self, other: &[T; N]) -> bool {
        self.as_slice() == other.as_slice()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_filter_is_held_in_place_and_more_move_to_the_heap() {
        let mut filters = Filters::new();
        assert!(filters.is_empty());
        filters.push("a");
        assert!(matches!(filters.repr, Repr::One("a")));
        filters.push("b");
        filters.push("c");
        assert_eq!(filters, ["a", "b", "c"]);
        assert!(matches!(filters.repr, Repr::Many(_)));
    }

    #[test]
    fn built_from_a_vec_an_array_or_an_iterator_alike() {
        let from_vec = Filters::from(vec![1, 2]);
        let from_array = Filters::from([1, 2]);
        let collected: Filters<i32> = (1..=2).collect();
        assert_eq!(from_vec, from_array);
        assert_eq!(from_vec, collected);
        assert!(matches!(Filters::from(vec![7]).repr, Repr::One(7)));
        assert_ne!(Filters::from(vec![7]), Filters::from(vec![7, 7]));
    }

    #[test]
    fn iterates_by_value_and_by_reference_in_order() {
        for filters in [Filters::from(vec!["x"]), Filters::from(vec!["x", "y"])] {
            let by_ref: Vec<&str> = filters.iter().copied().collect();
            let by_value: Vec<&str> = filters.clone().into_iter().collect();
            assert_eq!(by_ref, by_value);
            assert_eq!(filters.clone().into_vec(), by_value);
            assert_eq!(filters.into_iter().len(), by_ref.len());
        }
    }

    #[test]
    fn a_filter_in_place_does_not_make_packets_larger() {
        use crate::packet::{Packet, Publish};
        assert_eq!(
            std::mem::size_of::<Packet>(),
            std::mem::size_of::<Publish>()
        );
    }

    #[test]
    fn debug_shows_the_list() {
        assert_eq!(format!("{:?}", Filters::from(vec!["a"])), r#"["a"]"#);
    }
}
