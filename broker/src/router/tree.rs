//! The subscription tree: one node per topic level, `+` and `#` as ordinary children,
//! so matching a topic walks only the branches that can match instead of testing
//! every filter. Shared subscription groups hang off the node of their filter.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use mqtt::topic::TopicLevels;
use mqtt::SubscriptionOptions;

use crate::session::{Mailbox, Session};

/// One session's subscription to one filter.
#[derive(Debug, Clone)]
pub(crate) struct Subscriber {
    pub client_id: Arc<str>,
    pub session: Arc<Session>,
    pub options: SubscriptionOptions,
    pub id: Option<u32>,
}

impl Subscriber {
    /// Where messages for this subscription are queued.
    pub fn mailbox(&self) -> &Mailbox {
        &self.session.mailbox
    }
}

/// A `$share/{group}/{filter}` group: each message goes to one member, in turn.
#[derive(Debug, Default)]
pub(crate) struct SharedGroup {
    members: Vec<Subscriber>,
    cursor: AtomicUsize,
}

impl SharedGroup {
    /// The next member in turn, preferring one that is connected.
    pub fn pick(&self) -> Option<&Subscriber> {
        let count = self.members.len();
        if count == 0 {
            return None;
        }
        let start = self.cursor.fetch_add(1, Ordering::Relaxed) % count;
        (0..count)
            .filter_map(|step| self.members.get((start + step) % count))
            .find(|member| member.mailbox().is_online())
            .or_else(|| self.members.get(start))
    }
}

/// What a topic matched: a plain subscription, or a shared group to pick from.
pub(crate) enum Match<'a> {
    Plain(&'a Subscriber),
    Shared(&'a SharedGroup),
}

#[derive(Debug, Default)]
struct Node {
    children: HashMap<Box<str>, Node>,
    /// Plain subscriptions ending at this node, by client id.
    subscribers: HashMap<Arc<str>, Subscriber>,
    /// Shared groups whose filter ends at this node, by share name.
    groups: HashMap<Box<str>, SharedGroup>,
}

impl Node {
    fn is_empty(&self) -> bool {
        self.children.is_empty() && self.subscribers.is_empty() && self.groups.is_empty()
    }

    fn visit_all<'a>(&'a self, visit: &mut impl FnMut(Match<'a>)) {
        self.subscribers
            .values()
            .for_each(|subscriber| visit(Match::Plain(subscriber)));
        self.groups
            .values()
            .for_each(|group| visit(Match::Shared(group)));
    }
}

/// Every subscription of every session.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    root: Node,
    count: usize,
}

impl Tree {
    /// Adds or replaces `subscriber`'s subscription to `filter` (in `group` if
    /// shared). True if it replaced one.
    pub fn insert(&mut self, filter: &str, group: Option<&str>, subscriber: Subscriber) -> bool {
        let mut node = &mut self.root;
        for level in TopicLevels::new(filter) {
            node = node.children.entry(level.into()).or_default();
        }
        let replaced = match group {
            None => node
                .subscribers
                .insert(subscriber.client_id.clone(), subscriber)
                .is_some(),
            Some(group) => {
                let members = &mut node.groups.entry(group.into()).or_default().members;
                match members
                    .iter_mut()
                    .find(|member| member.client_id == subscriber.client_id)
                {
                    Some(member) => {
                        *member = subscriber;
                        true
                    }
                    None => {
                        members.push(subscriber);
                        false
                    }
                }
            }
        };
        if !replaced {
            self.count += 1;
        }
        replaced
    }

    /// Removes `client_id`'s subscription to `filter`; with `session`, only if it
    /// belongs to that session (a newer session of the same client id keeps its own).
    pub fn remove(
        &mut self,
        filter: &str,
        group: Option<&str>,
        client_id: &str,
        session: Option<&Session>,
    ) -> bool {
        let levels: Vec<&str> = TopicLevels::new(filter).collect();
        let removed = remove_at(&mut self.root, &levels, group, client_id, session);
        if removed {
            self.count = self.count.saturating_sub(1);
        }
        removed
    }

    /// Calls `visit` for every subscription and group matching `topic`, honouring the
    /// rule that `+` and `#` at the first level do not match `$` topics.
    pub fn matches<'a>(&'a self, topic: &str, visit: &mut impl FnMut(Match<'a>)) {
        let levels: Vec<&str> = TopicLevels::new(topic).collect();
        let dollar = topic.starts_with('$');
        walk(&self.root, &levels, dollar, visit);
    }

    /// Calls `visit` with the filter (share prefix included) of every subscription.
    pub fn for_each(&self, visit: &mut impl FnMut(String, &Subscriber)) {
        let mut path = Vec::new();
        for_each_at(&self.root, &mut path, visit);
    }

    pub fn len(&self) -> usize {
        self.count
    }
}

fn subscriber_matches(subscriber: &Subscriber, client_id: &str, session: Option<&Session>) -> bool {
    &*subscriber.client_id == client_id
        && session.is_none_or(|session| std::ptr::eq(session, Arc::as_ptr(&subscriber.session)))
}

fn remove_at(
    node: &mut Node,
    levels: &[&str],
    group: Option<&str>,
    client_id: &str,
    session: Option<&Session>,
) -> bool {
    let Some((first, rest)) = levels.split_first() else {
        return remove_here(node, group, client_id, session);
    };
    let Some(child) = node.children.get_mut(*first) else {
        return false;
    };
    let removed = remove_at(child, rest, group, client_id, session);
    if removed && child.is_empty() {
        node.children.remove(*first);
    }
    removed
}

fn remove_here(
    node: &mut Node,
    group: Option<&str>,
    client_id: &str,
    session: Option<&Session>,
) -> bool {
    match group {
        None => {
            let found = node
                .subscribers
                .get(client_id)
                .is_some_and(|subscriber| subscriber_matches(subscriber, client_id, session));
            if found {
                node.subscribers.remove(client_id);
            }
            found
        }
        Some(name) => {
            let Some(shared) = node.groups.get_mut(name) else {
                return false;
            };
            let before = shared.members.len();
            shared
                .members
                .retain(|member| !subscriber_matches(member, client_id, session));
            let removed = shared.members.len() < before;
            if shared.members.is_empty() {
                node.groups.remove(name);
            }
            removed
        }
    }
}

fn walk<'a>(node: &'a Node, levels: &[&str], dollar: bool, visit: &mut impl FnMut(Match<'a>)) {
    // `dollar` is only true at the root: wildcards may match `$` levels further down.
    if !dollar {
        if let Some(rest_of_topic) = node.children.get("#") {
            rest_of_topic.visit_all(visit);
        }
    }
    let Some((first, rest)) = levels.split_first() else {
        node.visit_all(visit);
        return;
    };
    if !dollar {
        if let Some(any_level) = node.children.get("+") {
            walk(any_level, rest, false, visit);
        }
    }
    if let Some(child) = node.children.get(*first) {
        walk(child, rest, false, visit);
    }
}

fn for_each_at<'a>(
    node: &'a Node,
    path: &mut Vec<&'a str>,
    visit: &mut impl FnMut(String, &Subscriber),
) {
    if !path.is_empty() {
        let filter = path.join("/");
        for subscriber in node.subscribers.values() {
            visit(filter.clone(), subscriber);
        }
        for (group, shared) in &node.groups {
            for member in &shared.members {
                visit(format!("$share/{group}/{filter}"), member);
            }
        }
    }
    for (level, child) in &node.children {
        path.push(level);
        for_each_at(child, path, visit);
        path.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subscriber(client_id: &str) -> Subscriber {
        Subscriber {
            client_id: client_id.into(),
            session: Arc::new(Session::new(client_id.into(), 10, 1000)),
            options: SubscriptionOptions::default(),
            id: None,
        }
    }

    fn matching(tree: &Tree, topic: &str) -> Vec<String> {
        let mut found = Vec::new();
        tree.matches(topic, &mut |found_match| {
            if let Match::Plain(subscriber) = found_match {
                found.push(subscriber.client_id.to_string());
            }
        });
        found.sort();
        found
    }

    #[test]
    fn wildcards_match_levels_and_hash_matches_the_parent() {
        let mut tree = Tree::default();
        tree.insert("a/+/c", None, subscriber("plus"));
        tree.insert("a/#", None, subscriber("hash"));
        tree.insert("a/b/c", None, subscriber("exact"));
        tree.insert("#", None, subscriber("all"));
        assert_eq!(matching(&tree, "a/b/c"), ["all", "exact", "hash", "plus"]);
        assert_eq!(matching(&tree, "a"), ["all", "hash"]);
        assert_eq!(matching(&tree, "a/b"), ["all", "hash"]);
        assert_eq!(matching(&tree, "b"), ["all"]);
    }

    #[test]
    fn leading_wildcards_do_not_match_dollar_topics() {
        let mut tree = Tree::default();
        tree.insert("#", None, subscriber("all"));
        tree.insert("+/broker/uptime", None, subscriber("plus"));
        tree.insert("$SYS/#", None, subscriber("sys"));
        tree.insert("$SYS/+/uptime", None, subscriber("sys-plus"));
        assert_eq!(matching(&tree, "$SYS/broker/uptime"), ["sys", "sys-plus"]);
    }

    #[test]
    fn empty_levels_are_levels() {
        let mut tree = Tree::default();
        tree.insert("/+", None, subscriber("a"));
        tree.insert("+/+", None, subscriber("b"));
        assert_eq!(matching(&tree, "/x"), ["a", "b"]);
        assert_eq!(matching(&tree, "x"), Vec::<String>::new());
    }

    #[test]
    fn removal_prunes_and_respects_the_owning_session() {
        let mut tree = Tree::default();
        let old = subscriber("c");
        let old_session = old.session.clone();
        tree.insert("x/y", None, old);
        let newer = subscriber("c");
        tree.insert("x/y", None, newer);
        assert!(!tree.remove("x/y", None, "c", Some(&*old_session)));
        assert_eq!(tree.len(), 1);
        assert!(tree.remove("x/y", None, "c", None));
        assert_eq!(tree.len(), 0);
        assert!(tree.root.is_empty());
    }

    #[test]
    fn shared_groups_take_turns() {
        let mut tree = Tree::default();
        for member in ["m1", "m2"] {
            let subscriber = subscriber(member);
            subscriber.mailbox().set_online(true);
            tree.insert("jobs/#", Some("g"), subscriber);
        }
        let mut picks = Vec::new();
        for _ in 0..4 {
            tree.matches("jobs/1", &mut |found| {
                if let Match::Shared(group) = found {
                    picks.extend(group.pick().map(|m| m.client_id.to_string()));
                }
            });
        }
        assert_eq!(picks, ["m1", "m2", "m1", "m2"]);
    }

    #[test]
    fn for_each_rebuilds_filters() {
        let mut tree = Tree::default();
        tree.insert("a/+", None, subscriber("p"));
        tree.insert("a/#", Some("g"), subscriber("s"));
        let mut filters = Vec::new();
        tree.for_each(&mut |filter, _| filters.push(filter));
        filters.sort();
        assert_eq!(filters, ["$share/g/a/#", "a/+"]);
    }
}
