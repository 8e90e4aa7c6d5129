//! Hash maps keyed once per process. `RandomState` carries its 16-byte key in every
//! map, and a broker keeps several small maps per session, mostly empty; these share
//! one random key instead, so keys a client chooses still cannot be aimed at a
//! known hash function.

use std::collections::hash_map::{DefaultHasher, RandomState};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
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

/// A `HashSet` hashed with [`ProcessKeyed`].
pub(crate) type Set<T> = HashSet<T, ProcessKeyed>;
