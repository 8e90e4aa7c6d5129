//! Walking a topic name or filter level by level, without allocating: the building
//! block of matching here and of the broker's subscription tree.

use std::iter::FusedIterator;
use std::str::Split;

use super::LEVEL_SEPARATOR;

/// The levels of a topic name or filter, in order. Empty levels are levels too:
/// `/a//b` has the four levels `""`, `"a"`, `""`, `"b"`, and `""` has one.
///
/// ```
/// use mqtt::topic::TopicLevels;
/// let levels: Vec<&str> = TopicLevels::new("sport/tennis/").collect();
/// assert_eq!(levels, ["sport", "tennis", ""]);
/// ```
#[derive(Debug, Clone)]
pub struct TopicLevels<'a> {
    inner: Split<'a, char>,
}

impl<'a> TopicLevels<'a> {
    /// The levels of `topic`, a name or a filter.
    pub fn new(topic: &'a str) -> Self {
        Self {
            inner: topic.split(LEVEL_SEPARATOR),
        }
    }
}

impl<'a> Iterator for TopicLevels<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        self.inner.next()
    }
}

impl DoubleEndedIterator for TopicLevels<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.inner.next_back()
    }
}

impl FusedIterator for TopicLevels<'_> {}

/// What one level of a topic filter stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterLevel<'a> {
    /// Matches exactly this text (which may be empty).
    Literal(&'a str),
    /// `+`: matches any one level.
    SingleLevelWildcard,
    /// `#`: matches the parent level and every level below it.
    MultiLevelWildcard,
}

impl<'a> FilterLevel<'a> {
    /// Classifies one level of a filter. A level that holds a wildcard next to other
    /// text (`a+`) is not a valid filter level; it comes back as a literal, which is
    /// how matching treats it.
    pub fn classify(level: &'a str) -> Self {
        match level {
            "+" => Self::SingleLevelWildcard,
            "#" => Self::MultiLevelWildcard,
            literal => Self::Literal(literal),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_levels_are_counted() {
        assert_eq!(TopicLevels::new("").count(), 1);
        assert_eq!(TopicLevels::new("/").count(), 2);
        let levels: Vec<&str> = TopicLevels::new("/a//b").collect();
        assert_eq!(levels, ["", "a", "", "b"]);
    }

    #[test]
    fn walks_backwards() {
        let levels: Vec<&str> = TopicLevels::new("a/b/c").rev().collect();
        assert_eq!(levels, ["c", "b", "a"]);
    }

    #[test]
    fn classifies_wildcards_only_when_alone() {
        assert_eq!(FilterLevel::classify("+"), FilterLevel::SingleLevelWildcard);
        assert_eq!(FilterLevel::classify("#"), FilterLevel::MultiLevelWildcard);
        assert_eq!(FilterLevel::classify("a+"), FilterLevel::Literal("a+"));
        assert_eq!(FilterLevel::classify(""), FilterLevel::Literal(""));
    }
}
