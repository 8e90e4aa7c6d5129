//! Shared subscriptions (MQTT 5.0 §4.8.2): `$share/{ShareName}/{filter}` spreads the
//! messages matching `{filter}` over the group's members instead of copying them to
//! each. Brokers commonly accept the form from MQTT 3.1.1 clients too.

use super::common::check_common;
use super::error::excerpt;
use super::filter::check_filter_levels;
use super::{TopicError, TopicKind};

/// A shared subscription taken apart; both parts borrow the original filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SharedSubscription<'a> {
    /// The ShareName: which group of subscribers shares the messages.
    pub group: &'a str,
    /// The topic filter the group subscribes to, e.g. `jobs/#`.
    pub filter: &'a str,
}

impl<'a> SharedSubscription<'a> {
    /// What every shared subscription starts with.
    pub const PREFIX: &'static str = "$share/";

    /// Parses `filter` as a shared subscription. `Ok(None)` when it does not start
    /// with `$share/` (an ordinary filter, not checked here); an error when it does
    /// but the share name is empty or holds `+`/`#`, or the filter after it is
    /// missing or invalid.
    ///
    /// ```
    /// use mqtt::topic::SharedSubscription;
    /// let shared = SharedSubscription::parse("$share/workers/jobs/#").unwrap().unwrap();
    /// assert_eq!((shared.group, shared.filter), ("workers", "jobs/#"));
    /// assert_eq!(SharedSubscription::parse("jobs/#"), Ok(None));
    /// ```
    pub fn parse(filter: &'a str) -> Result<Option<Self>, TopicError> {
        let Some(rest) = filter.strip_prefix(Self::PREFIX) else {
            return Ok(None);
        };
        check_common(filter, TopicKind::Filter)?;
        let (group, inner) = rest.split_once('/').unwrap_or((rest, ""));
        check_share_name(group)?;
        if inner.is_empty() {
            return Err(TopicError::MissingSharedFilter {
                group: excerpt(group),
            });
        }
        check_filter_levels(inner).map_err(|reason| TopicError::InvalidSharedFilter {
            group: excerpt(group),
            reason: Box::new(reason),
        })?;
        Ok(Some(Self {
            group,
            filter: inner,
        }))
    }

    /// Splits `$share/{group}/{filter}` into its two parts without validating them;
    /// `None` when `filter` is not of that form. Cheap enough for matching.
    pub(crate) fn split_unchecked(filter: &'a str) -> Option<(&'a str, &'a str)> {
        filter.strip_prefix(Self::PREFIX)?.split_once('/')
    }
}

fn check_share_name(group: &str) -> Result<(), TopicError> {
    if group.is_empty() {
        return Err(TopicError::EmptyShareName);
    }
    match group
        .chars()
        .find(|&character| character == '+' || character == '#')
    {
        Some(character) => Err(TopicError::InvalidShareName {
            group: excerpt(group),
            character,
        }),
        None => Ok(()),
    }
}
