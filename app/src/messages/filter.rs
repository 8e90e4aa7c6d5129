//! What the message log shows: a [`FilterSpec`] is what the user typed and picked
//! (plain data the UI edits), compiled once into a [`MessageFilter`] that checks the
//! topic filter, builds the payload regex and then answers `matches` fast enough to
//! run over a million records on every keystroke.
//!
//! Empty text fields mean "no condition", so the UI can pass its input boxes as they
//! are.

use mqtt::{filter_has_wildcards, validate_topic_filter, QoS, SharedSubscription, TopicError};
use regex::bytes::{Regex, RegexBuilder};

use super::record::{Direction, MessageRecord};

/// Which side of the timeline to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DirectionFilter {
    #[default]
    All,
    Received,
    Published,
}

/// "Only this subscription's messages".
///
/// Two ways, because MQTT 3.x has no subscription identifiers: by identifier when
/// the subscription was made with one (exact: the broker says which subscriptions a
/// message matched), else by the subscription's topic filter (a message that matches
/// two overlapping subscriptions shows under both). Either way only received messages
/// match: published ones did not come through a subscription.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SubscriptionFilter {
    /// MQTT 5 Subscription Identifier, 1 to 268,435,455.
    Identifier(u32),
    /// The subscription's topic filter, such as `sensors/+/temperature` or
    /// `$share/group/jobs/#`.
    TopicFilter(String),
}

/// A payload condition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PayloadQuery {
    /// The payload contains `text` (compared as UTF-8 bytes, so binary payloads can
    /// match too). Case-insensitive matching follows Unicode case folding.
    Text { text: String, case_sensitive: bool },
    /// The payload matches this regular expression (Rust `regex` syntax) somewhere.
    Regex(String),
}

/// The conditions a message must all meet to be shown. Plain data: compile it with
/// [`FilterSpec::compile`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FilterSpec {
    pub direction: DirectionFilter,
    pub subscription: Option<SubscriptionFilter>,
    /// A topic filter in MQTT wildcard syntax (`a/+/c`, `a/#`); empty means any.
    pub topic: Option<String>,
    pub payload: Option<PayloadQuery>,
    pub qos: Option<QoS>,
    pub retained_only: bool,
}

/// Why a filter could not be built. Every message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// The topic condition is not a valid MQTT topic filter.
    #[error("{0}")]
    Topic(TopicError),
    /// The subscription's topic filter is invalid.
    #[error("subscription filter: {0}")]
    SubscriptionTopic(TopicError),
    #[error("subscription identifier {0} is out of range: identifiers run from 1 to 268435455")]
    SubscriptionIdentifier(u32),
    /// The regular expression does not parse.
    #[error("invalid regular expression at character {position}: {message}")]
    Regex {
        /// 1-based character position in the expression where the problem starts.
        position: usize,
        message: String,
    },
    /// The expression parses but cannot be used (for example: it compiles too big).
    #[error("unusable regular expression: {0}")]
    RegexUnusable(String),
}

const MAX_SUBSCRIPTION_IDENTIFIER: u32 = 268_435_455;

/// A compiled [`FilterSpec`].
#[derive(Debug, Clone)]
pub struct MessageFilter {
    spec: FilterSpec,
    subscription: Option<SubscriptionMatcher>,
    topic: Option<TopicMatcher>,
    payload: Option<Regex>,
}

#[derive(Debug, Clone)]
enum SubscriptionMatcher {
    Identifier(u32),
    Topic(TopicMatcher),
}

/// A validated topic filter, taken apart once so that matching a million topics
/// does no parsing (about three times faster than calling [`mqtt::topic_matches`]
/// per record, which it agrees with: a test checks it).
#[derive(Debug, Clone)]
enum TopicMatcher {
    /// No wildcards: plain equality, the fast and common case.
    Exact(String),
    Wildcard {
        /// Levels before any trailing `#`; `None` stands for `+`.
        levels: Vec<Option<String>>,
        /// Ends with `#`: the levels above and anything below them match.
        trailing_hash: bool,
    },
}

impl TopicMatcher {
    /// `filter` must be valid (see [`validate_topic_filter`]).
    fn new(filter: &str) -> Self {
        let filter = match SharedSubscription::parse(filter) {
            Ok(Some(shared)) => shared.filter,
            _ => filter,
        };
        if !filter_has_wildcards(filter) {
            return Self::Exact(filter.to_owned());
        }
        let mut levels: Vec<Option<String>> = filter
            .split('/')
            .map(|level| (level != "+").then(|| level.to_owned()))
            .collect();
        let trailing_hash = levels.last() == Some(&Some("#".to_owned()));
        if trailing_hash {
            levels.pop();
        }
        Self::Wildcard {
            levels,
            trailing_hash,
        }
    }

    fn matches(&self, topic: &str) -> bool {
        match self {
            Self::Exact(filter) => filter == topic,
            Self::Wildcard {
                levels,
                trailing_hash,
            } => {
                if topic.is_empty() {
                    return false;
                }
                // `$SYS/...` and the like are not matched by a leading wildcard.
                let leading_wildcard = levels.first().map_or(*trailing_hash, Option::is_none);
                if leading_wildcard && topic.starts_with('$') {
                    return false;
                }
                match_levels(levels, *trailing_hash, topic.as_bytes())
            }
        }
    }
}

/// Walks the topic's bytes once, comparing each level in place.
fn match_levels(levels: &[Option<String>], trailing_hash: bool, topic: &[u8]) -> bool {
    // Start of the current topic level; `None` once the topic has no levels left.
    let mut start = Some(0);
    for level in levels {
        let Some(from) = start else {
            return false;
        };
        let rest = topic.get(from..).unwrap_or_default();
        let len = match level {
            None => rest
                .iter()
                .position(|&byte| byte == b'/')
                .unwrap_or(rest.len()),
            Some(expected) => {
                let expected = expected.as_bytes();
                let whole_level = rest.starts_with(expected)
                    && matches!(rest.get(expected.len()), None | Some(b'/'));
                if !whole_level {
                    return false;
                }
                expected.len()
            }
        };
        start = (from + len < topic.len()).then_some(from + len + 1);
    }
    trailing_hash || start.is_none()
}

impl Default for MessageFilter {
    fn default() -> Self {
        Self::everything()
    }
}

impl FilterSpec {
    /// Checks and compiles the conditions.
    pub fn compile(&self) -> Result<MessageFilter, FilterError> {
        let subscription = match &self.subscription {
            None => None,
            Some(SubscriptionFilter::Identifier(id)) => {
                if !(1..=MAX_SUBSCRIPTION_IDENTIFIER).contains(id) {
                    return Err(FilterError::SubscriptionIdentifier(*id));
                }
                Some(SubscriptionMatcher::Identifier(*id))
            }
            Some(SubscriptionFilter::TopicFilter(filter)) => {
                validate_topic_filter(filter).map_err(FilterError::SubscriptionTopic)?;
                Some(SubscriptionMatcher::Topic(TopicMatcher::new(filter)))
            }
        };
        let topic = match self.topic.as_deref() {
            None | Some("") => None,
            Some(filter) => {
                validate_topic_filter(filter).map_err(FilterError::Topic)?;
                Some(TopicMatcher::new(filter))
            }
        };
        let payload = match &self.payload {
            None => None,
            Some(PayloadQuery::Text { text, .. }) if text.is_empty() => None,
            Some(PayloadQuery::Regex(pattern)) if pattern.is_empty() => None,
            Some(PayloadQuery::Text {
                text,
                case_sensitive,
            }) => Some(literal_regex(text, *case_sensitive)?),
            Some(PayloadQuery::Regex(pattern)) => Some(compile_regex(pattern)?),
        };
        Ok(MessageFilter {
            spec: self.clone(),
            subscription,
            topic,
            payload,
        })
    }
}

fn literal_regex(text: &str, case_sensitive: bool) -> Result<Regex, FilterError> {
    RegexBuilder::new(&regex::escape(text))
        .case_insensitive(!case_sensitive)
        .build()
        .map_err(|error| FilterError::RegexUnusable(error.to_string()))
}

fn compile_regex(pattern: &str) -> Result<Regex, FilterError> {
    RegexBuilder::new(pattern)
        .build()
        .map_err(|error| regex_error(pattern, error))
}

/// Turns the `regex` crate's multi-line diagram into one line with a position, by
/// asking `regex-syntax` (the parser `regex` uses, set up as `regex::bytes` does)
/// where the problem is.
fn regex_error(pattern: &str, error: regex::Error) -> FilterError {
    let parsed = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern);
    let located = match &parsed {
        Err(regex_syntax::Error::Parse(error)) => {
            Some((error.span().start, error.kind().to_string()))
        }
        Err(regex_syntax::Error::Translate(error)) => {
            Some((error.span().start, error.kind().to_string()))
        }
        _ => None,
    };
    match located {
        Some((start, message)) => {
            let prefix = pattern.get(..start.offset).unwrap_or(pattern);
            FilterError::Regex {
                position: prefix.chars().count() + 1,
                message,
            }
        }
        None => FilterError::RegexUnusable(error.to_string()),
    }
}

impl MessageFilter {
    /// A filter that lets every message through.
    pub fn everything() -> Self {
        Self {
            spec: FilterSpec::default(),
            subscription: None,
            topic: None,
            payload: None,
        }
    }

    /// The conditions this filter was compiled from.
    pub fn spec(&self) -> &FilterSpec {
        &self.spec
    }

    /// True when no condition is set, so every message matches.
    pub fn is_everything(&self) -> bool {
        self.spec.direction == DirectionFilter::All
            && self.subscription.is_none()
            && self.topic.is_none()
            && self.payload.is_none()
            && self.spec.qos.is_none()
            && !self.spec.retained_only
    }

    /// Whether `record` meets every condition. Cheap checks go first; the payload
    /// search last.
    pub fn matches(&self, record: &MessageRecord) -> bool {
        let direction_ok = match self.spec.direction {
            DirectionFilter::All => true,
            DirectionFilter::Received => record.direction == Direction::Received,
            DirectionFilter::Published => record.direction == Direction::Published,
        };
        direction_ok
            && (!self.spec.retained_only || record.retain)
            && self.spec.qos.is_none_or(|qos| record.qos == qos)
            && self
                .subscription
                .as_ref()
                .is_none_or(|subscription| subscription_matches(subscription, record))
            && self
                .topic
                .as_ref()
                .is_none_or(|topic| topic.matches(&record.topic))
            && self
                .payload
                .as_ref()
                .is_none_or(|regex| regex.is_match(&record.payload))
    }
}

fn subscription_matches(subscription: &SubscriptionMatcher, record: &MessageRecord) -> bool {
    if record.direction != Direction::Received {
        return false;
    }
    match subscription {
        SubscriptionMatcher::Identifier(id) => record.subscription_identifiers.contains(id),
        SubscriptionMatcher::Topic(filter) => filter.matches(&record.topic),
    }
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;
