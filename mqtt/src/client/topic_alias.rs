//! Topic aliases (MQTT 5, spec 3.3.2.3.4), which live as long as one network
//! connection: the server's aliases towards us, resolved back to topic names, and the
//! aliases we choose towards the server for topics we publish repeatedly.

use std::collections::HashMap;

use crate::bytestr::ByteStr;
use crate::packet::Publish;

use super::error::SessionError;

/// The aliases the server established on this connection.
#[derive(Debug, Clone, Default)]
pub(crate) struct InboundAliases {
    maximum: u16,
    topics: HashMap<u16, ByteStr>,
}

impl InboundAliases {
    /// Forgets every alias; the server may use up to `maximum` on the new connection.
    pub(crate) fn reset(&mut self, maximum: u16) {
        self.maximum = maximum;
        self.topics.clear();
    }

    /// Records or applies the Topic Alias of an incoming PUBLISH, leaving its topic
    /// set to the full topic name.
    pub(crate) fn resolve(&mut self, publish: &mut Publish) -> Result<(), SessionError> {
        let Some(alias) = publish.properties.topic_alias else {
            return Ok(());
        };
        if alias == 0 || alias > self.maximum {
            return Err(SessionError::TopicAliasOutOfRange {
                alias,
                maximum: self.maximum,
            });
        }
        if publish.topic.is_empty() {
            match self.topics.get(&alias) {
                Some(topic) => publish.topic = topic.clone(),
                None => return Err(SessionError::UnknownTopicAlias { alias }),
            }
        } else {
            self.topics.insert(alias, publish.topic.clone());
        }
        Ok(())
    }
}

/// The aliases we established towards the server on this connection. Aliases are
/// handed out first come, first served and never reassigned: once all are taken,
/// further topics travel in full.
#[derive(Debug, Clone, Default)]
pub(crate) struct OutboundAliases {
    maximum: u16,
    by_topic: HashMap<ByteStr, u16>,
}

impl OutboundAliases {
    /// Forgets every alias; we may use up to `maximum` on the new connection.
    pub(crate) fn reset(&mut self, maximum: u16) {
        self.maximum = maximum;
        self.by_topic.clear();
    }

    /// Rewrites `publish` to use an alias: an established one replaces the topic,
    /// a free one is sent alongside the topic to establish it. Any alias the
    /// application set is replaced, since the session owns the mapping.
    pub(crate) fn apply(&mut self, publish: &mut Publish) {
        publish.properties.topic_alias = None;
        if self.maximum == 0 || publish.topic.is_empty() {
            return;
        }
        if let Some(alias) = self.by_topic.get(&publish.topic) {
            publish.properties.topic_alias = Some(*alias);
            publish.topic = ByteStr::new();
            return;
        }
        let Ok(used) = u16::try_from(self.by_topic.len()) else {
            return;
        };
        if used < self.maximum {
            let alias = used + 1;
            self.by_topic.insert(publish.topic.clone(), alias);
            publish.properties.topic_alias = Some(alias);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aliased(topic: &str, alias: u16) -> Publish {
        let mut publish = Publish::new(topic, "x");
        publish.properties.topic_alias = Some(alias);
        publish
    }

    #[test]
    fn inbound_alias_is_learned_then_resolved() {
        let mut aliases = InboundAliases::default();
        aliases.reset(5);
        let mut first = aliased("sensors/a", 3);
        assert_eq!(aliases.resolve(&mut first), Ok(()));
        let mut second = aliased("", 3);
        assert_eq!(aliases.resolve(&mut second), Ok(()));
        assert_eq!(second.topic, "sensors/a");
    }

    #[test]
    fn inbound_unknown_and_out_of_range_aliases_are_errors() {
        let mut aliases = InboundAliases::default();
        aliases.reset(2);
        assert_eq!(
            aliases.resolve(&mut aliased("", 1)),
            Err(SessionError::UnknownTopicAlias { alias: 1 })
        );
        assert_eq!(
            aliases.resolve(&mut aliased("t", 3)),
            Err(SessionError::TopicAliasOutOfRange {
                alias: 3,
                maximum: 2
            })
        );
        assert_eq!(
            aliases.resolve(&mut aliased("t", 0)),
            Err(SessionError::TopicAliasOutOfRange {
                alias: 0,
                maximum: 2
            })
        );
    }

    #[test]
    fn reset_forgets_inbound_aliases() {
        let mut aliases = InboundAliases::default();
        aliases.reset(2);
        assert_eq!(aliases.resolve(&mut aliased("t", 1)), Ok(()));
        aliases.reset(2);
        assert_eq!(
            aliases.resolve(&mut aliased("", 1)),
            Err(SessionError::UnknownTopicAlias { alias: 1 })
        );
    }

    #[test]
    fn outbound_aliases_are_established_then_reused_until_full() {
        let mut aliases = OutboundAliases::default();
        aliases.reset(1);
        let mut first = Publish::new("a/b", "x");
        aliases.apply(&mut first);
        assert_eq!(
            (first.topic.as_str(), first.properties.topic_alias),
            ("a/b", Some(1))
        );
        let mut again = Publish::new("a/b", "x");
        aliases.apply(&mut again);
        assert_eq!(
            (again.topic.as_str(), again.properties.topic_alias),
            ("", Some(1))
        );
        let mut other = Publish::new("c", "x");
        aliases.apply(&mut other);
        assert_eq!(
            (other.topic.as_str(), other.properties.topic_alias),
            ("c", None)
        );
    }

    #[test]
    fn outbound_aliases_are_off_when_the_server_allows_none() {
        let mut aliases = OutboundAliases::default();
        let mut publish = aliased("a", 7);
        aliases.apply(&mut publish);
        assert_eq!(
            (publish.topic.as_str(), publish.properties.topic_alias),
            ("a", None)
        );
    }
}
