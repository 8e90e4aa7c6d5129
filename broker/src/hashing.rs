//! Hash maps keyed once per process. `RandomState` carries its 16-byte key in every
//! map, and a broker keeps several small maps per session, mostly empty; these share
//! one random key instead, so keys a client chooses still cannot be aimed at a
//! known hash function. [`LazyMap`] goes further for the maps most sessions leave
//! empty: it takes no allocation and one pointer's room until its first entry.

use std::borrow::Borrow;
use std::collections::hash_map::{DefaultHasher, RandomState};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::sync::OnceLock;

/// SipHash keyed with one random key per process; takes no room in a map.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ProcessKeyed;

impl BuildHasher for ProcessKeyed {
    type Hasher = DefaultHasher;

    fn build_hasher(&self) -> DefaultHasher {
        static KEY: OnceLock<RandomState> = OnceLock::new();
        KEY.get_or_init(RandomState::new).build_hasher()
    }
}

/// A `HashMap` hashed with [`ProcessKeyed`].
pub(crate) type Map<K, V> = HashMap<K, V, ProcessKeyed>;

/// A [`Map`] allocated with its first entry: a session keeps several maps that most
/// sessions never fill, and an empty map still takes 32 bytes where this takes 8.
/// Emptied by [`LazyMap::drain`], it gives its memory back.
#[derive(Debug)]
pub(crate) struct LazyMap<K, V>(Option<Box<Map<K, V>>>);

impl<K, V> Default for LazyMap<K, V> {
    fn default() -> Self {
        Self(None)
    }
}

impl<K: Eq + Hash, V> LazyMap<K, V> {
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |map| map.len())
    }

    pub fn contains_key<Q: Eq + Hash + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.0.as_ref().is_some_and(|map| map.contains_key(key))
    }

    pub fn get<Q: Eq + Hash + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.0.as_ref()?.get(key)
    }

    pub fn get_mut<Q: Eq + Hash + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.0.as_mut()?.get_mut(key)
    }

    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.0.get_or_insert_with(Box::default).insert(key, value)
    }

    pub fn remove<Q: Eq + Hash + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.0.as_mut()?.remove(key)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().flat_map(|map| map.iter())
    }

    /// Takes every entry out, leaving the map unallocated.
    pub fn drain(&mut self) -> impl Iterator<Item = (K, V)> {
        self.0.take().into_iter().flat_map(|map| map.into_iter())
    }
}
