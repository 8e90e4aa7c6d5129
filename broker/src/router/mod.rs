//! Routing: the subscription tree behind a read-write lock, and the one function that
//! turns a published message into deliveries, one per matching session, at the
//! highest QoS any of its matching subscriptions granted and with all their
//! subscription identifiers.

mod tree;

use std::sync::Arc;

use mqtt::{QoS, SharedSubscription};
use parking_lot::RwLock;

use crate::message::{Delivery, Message};
use crate::session::{Pushed, Session};
use crate::stats::SubscriptionStats;

pub(crate) use tree::Subscriber;
use tree::{Match, Tree};

/// What routing one message did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Routed {
    /// Sessions the message was queued for.
    pub queued: usize,
    /// Sessions whose full queue refused it (or evicted an older message for it).
    pub dropped: usize,
}

/// Every subscription, shared by all connections.
#[derive(Debug, Default)]
pub(crate) struct Router {
    tree: RwLock<Tree>,
}

/// One matching session, its subscriptions folded together.
struct Target<'a> {
    subscriber: &'a Subscriber,
    qos: QoS,
    retain_as_published: bool,
    ids: Vec<u32>,
}

impl Router {
    /// Adds or replaces a subscription; `filter` may be a `$share/` filter. True if
    /// the session already had a subscription to this filter.
    pub fn subscribe(&self, filter: &str, subscriber: Subscriber) -> bool {
        let (group, filter) = split_shared(filter);
        self.tree.write().insert(filter, group, subscriber)
    }

    /// Removes a subscription (only the one owned by `session`, when given).
    pub fn unsubscribe(&self, filter: &str, client_id: &str, session: Option<&Session>) -> bool {
        let (group, filter) = split_shared(filter);
        self.tree.write().remove(filter, group, client_id, session)
    }

    /// Queues `message` for every session with a matching subscription.
    pub fn route(&self, message: &Arc<Message>) -> Routed {
        let tree = self.tree.read();
        let mut plain: Vec<&Subscriber> = Vec::new();
        let mut shared: Vec<&Subscriber> = Vec::new();
        tree.matches(&message.topic, &mut |found| match found {
            Match::Plain(subscriber) => {
                let own = message
                    .origin
                    .as_ref()
                    .is_some_and(|origin| *origin == subscriber.client_id);
                if !(subscriber.options.no_local && own) {
                    plain.push(subscriber);
                }
            }
            Match::Shared(group) => shared.extend(group.pick()),
        });
        let mut routed = Routed::default();
        for target in fold_by_session(plain) {
            let delivery = Delivery {
                message: message.clone(),
                qos: message.qos.min(target.qos),
                retain: message.retain && target.retain_as_published,
                subscription_ids: target.ids,
            };
            routed.count(push(target.subscriber, delivery));
        }
        for member in shared {
            let delivery = Delivery {
                message: message.clone(),
                qos: message.qos.min(member.options.qos),
                retain: message.retain && member.options.retain_as_published,
                subscription_ids: member.id.into_iter().collect(),
            };
            routed.count(push(member, delivery));
        }
        routed
    }

    pub fn subscription_count(&self) -> usize {
        self.tree.read().len()
    }

    /// Every subscription, ordered by client id then filter.
    pub fn list(&self) -> Vec<SubscriptionStats> {
        let mut list = Vec::new();
        self.tree.read().for_each(&mut |filter, subscriber| {
            list.push(SubscriptionStats {
                client_id: subscriber.client_id.to_string(),
                filter,
                qos: subscriber.options.qos.level(),
                no_local: subscriber.options.no_local,
                retain_as_published: subscriber.options.retain_as_published,
                subscription_identifier: subscriber.id,
            })
        });
        list.sort_by(|a, b| (&a.client_id, &a.filter).cmp(&(&b.client_id, &b.filter)));
        list
    }
}

impl Routed {
    fn count(&mut self, pushed: Pushed) {
        match pushed {
            Pushed::Queued => self.queued += 1,
            Pushed::QueuedDroppingOlder => {
                self.queued += 1;
                self.dropped += 1;
            }
            Pushed::Dropped => self.dropped += 1,
            Pushed::Skipped => {}
        }
    }
}

/// Queues a delivery, logging drops (at 1, 2, 4, 8, … drops per session, so a stalled
/// subscriber cannot flood the log).
fn push(subscriber: &Subscriber, delivery: Delivery) -> Pushed {
    let pushed = subscriber.mailbox().push(delivery);
    if matches!(pushed, Pushed::Dropped | Pushed::QueuedDroppingOlder) {
        let dropped = subscriber.mailbox().dropped();
        if dropped.is_power_of_two() {
            tracing::warn!(
                client_id = %subscriber.client_id,
                dropped,
                "subscriber too slow: its queue is full, messages dropped (QoS 0 first)"
            );
        }
    }
    pushed
}

/// `$share/g/a/b` → (`Some("g")`, `a/b`); anything else → (`None`, itself).
fn split_shared(filter: &str) -> (Option<&str>, &str) {
    match SharedSubscription::parse(filter) {
        Ok(Some(shared)) => (Some(shared.group), shared.filter),
        _ => (None, filter),
    }
}

/// Overlapping subscriptions of one session become one delivery: the highest granted
/// QoS, retain-as-published if any asks for it, and every subscription identifier.
fn fold_by_session(mut matches: Vec<&Subscriber>) -> Vec<Target<'_>> {
    if matches.len() > 1 {
        matches.sort_by_key(|subscriber| Arc::as_ptr(&subscriber.session));
    }
    let mut targets: Vec<Target<'_>> = Vec::with_capacity(matches.len());
    for subscriber in matches {
        if let Some(last) = targets
            .last_mut()
            .filter(|last| Arc::ptr_eq(&last.subscriber.session, &subscriber.session))
        {
            last.qos = last.qos.max(subscriber.options.qos);
            last.retain_as_published |= subscriber.options.retain_as_published;
            last.ids.extend(subscriber.id);
            continue;
        }
        targets.push(Target {
            subscriber,
            qos: subscriber.options.qos,
            retain_as_published: subscriber.options.retain_as_published,
            ids: subscriber.id.into_iter().collect(),
        });
    }
    targets
}
