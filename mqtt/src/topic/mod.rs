//! Topic names and topic filters (MQTT 3.1.1 §4.7, MQTT 5.0 §4.7 and §4.8.2): checking
//! that a name or filter is well formed, matching a name against a filter with the
//! `+` and `#` wildcards and the `$`-topic rule, and taking shared subscriptions
//! (`$share/{ShareName}/{filter}`) apart.
//!
//! Everything here borrows the caller's strings and allocates only to build an error.

mod common;
mod error;
mod filter;
mod levels;
mod matching;
mod name;
mod shared;

pub use error::{TopicError, TopicKind};
pub use filter::{filter_has_wildcards, validate_topic_filter};
pub use levels::{FilterLevel, TopicLevels};
pub use matching::topic_matches;
pub use name::validate_topic_name;
pub use shared::SharedSubscription;

/// The longest topic name or filter the protocol can carry: its length travels as a
/// two-byte prefix, so 65,535 bytes of UTF-8.
pub const MAX_TOPIC_LEN: usize = u16::MAX as usize;

/// Separates the levels of a topic name or filter.
pub const LEVEL_SEPARATOR: char = '/';

/// The wildcard that stands for exactly one level.
pub const SINGLE_LEVEL_WILDCARD: char = '+';

/// The wildcard that stands for the parent level and every level below it.
pub const MULTI_LEVEL_WILDCARD: char = '#';
