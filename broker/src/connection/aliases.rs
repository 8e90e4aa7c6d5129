//! Topic aliases (MQTT 5, spec 3.3.2.3.4), both ways: the aliases a client sets up
//! for its publishes, up to the maximum the broker advertised, and the aliases the
//! broker assigns on messages it sends, up to the maximum the client advertised.

use mqtt::ByteStr;

use super::error::ConnectionError;
use crate::hashing::LazyMap;

/// Alias → topic, as set by the client's publishes. The map is allocated when the
/// first alias is set: most connections never use one, and an empty map would still
/// take its room in every connection.
#[derive(Debug, Default)]
pub(super) struct InboundAliases {
    maximum: u16,
    topics: LazyMap<u16, ByteStr>,
}

impl InboundAliases {
    pub fn new(maximum: u16) -> Self {
        Self {
            maximum,
            topics: LazyMap::default(),
        }
    }

    /// The topic a PUBLISH is for: its own topic (which also (re)defines `alias`), or
    /// the topic `alias` stands for when the topic is empty.
    pub fn resolve(
        &mut self,
        topic: ByteStr,
        alias: Option<u16>,
    ) -> Result<ByteStr, ConnectionError> {
        let Some(alias) = alias else {
            return Ok(topic);
        };
        if alias == 0 || alias > self.maximum {
            return Err(ConnectionError::TopicAliasInvalid {
                alias,
                maximum: self.maximum,
            });
        }
        if topic.is_empty() {
            return self
                .topics
                .get(&alias)
                .cloned()
                .ok_or(ConnectionError::TopicAliasUnknown(alias));
        }
        self.topics.insert(alias, topic.clone());
        Ok(topic)
    }
}

/// How an outgoing PUBLISH names its topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AliasChoice {
    /// Full topic, no alias.
    None,
    /// Empty topic and this alias, which the client already knows.
    Reuse(u16),
    /// Full topic and this new alias, for the client to remember.
    Assign(u16),
}

/// Topic → alias, as assigned by the broker on this connection; the map is allocated
/// with the first alias, as for [`InboundAliases`].
#[derive(Debug, Default)]
pub(super) struct OutboundAliases {
    maximum: u16,
    aliases: LazyMap<ByteStr, u16>,
}

impl OutboundAliases {
    pub fn new(maximum: u16) -> Self {
        Self {
            maximum,
            aliases: LazyMap::default(),
        }
    }

    /// Reuses the topic's alias, or offers the next free one; once all are taken,
    /// further topics go without (the first topics seen keep theirs).
    pub fn choose(&self, topic: &str) -> AliasChoice {
        if let Some(alias) = self.aliases.get(topic) {
            return AliasChoice::Reuse(*alias);
        }
        match u16::try_from(self.aliases.len() + 1) {
            Ok(next) if next <= self.maximum => AliasChoice::Assign(next),
            _ => AliasChoice::None,
        }
    }

    /// Records an alias once the PUBLISH that assigns it has been encoded.
    pub fn commit(&mut self, topic: &ByteStr, alias: u16) {
        self.aliases.insert(topic.clone(), alias);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbound_aliases_are_set_used_and_checked() {
        let mut aliases = InboundAliases::new(2);
        assert_eq!(aliases.resolve("a".into(), Some(1)).ok(), Some("a".into()));
        assert_eq!(aliases.resolve("".into(), Some(1)).ok(), Some("a".into()));
        assert!(matches!(
            aliases.resolve("".into(), Some(2)),
            Err(ConnectionError::TopicAliasUnknown(2))
        ));
        assert!(matches!(
            aliases.resolve("b".into(), Some(3)),
            Err(ConnectionError::TopicAliasInvalid { alias: 3, .. })
        ));
    }

    #[test]
    fn outbound_aliases_are_assigned_until_the_maximum() {
        let mut aliases = OutboundAliases::new(1);
        assert_eq!(aliases.choose("a"), AliasChoice::Assign(1));
        aliases.commit(&"a".into(), 1);
        assert_eq!(aliases.choose("a"), AliasChoice::Reuse(1));
        assert_eq!(aliases.choose("b"), AliasChoice::None);
        assert_eq!(OutboundAliases::new(0).choose("a"), AliasChoice::None);
    }
}
