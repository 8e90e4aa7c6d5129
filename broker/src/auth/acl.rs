//! Mosquitto-style ACL files: which topics each user may publish to (write) and
//! subscribe to (read).
//!
//! ```text
//! # Before any `user` line: rules for anonymous clients.
//! topic read $SYS/#
//! user alice
//! topic readwrite sensors/#
//! topic deny sensors/secret/#
//! # For every client; %u is the user name, %c the client id.
//! pattern write devices/%c/status
//! ```
//!
//! With an ACL file, what is not granted is refused, and a `deny` rule beats any grant.
//! A subscription is granted only when every topic it can match is readable, so `#`
//! is refused to someone who may read only `sensors/#`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use mqtt::topic::SharedSubscription;

use super::filters::{filter_covers, filters_overlap};

/// Why an ACL file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum AclError {
    #[error("cannot read ACL file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}:{line}: {problem}")]
    Line {
        origin: String,
        line: usize,
        problem: String,
    },
}

/// What a rule allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    ReadWrite,
    /// Neither, whatever other rules grant.
    Deny,
}

impl Access {
    fn parse(word: &str) -> Option<Self> {
        match word {
            "read" => Some(Self::Read),
            "write" => Some(Self::Write),
            "readwrite" => Some(Self::ReadWrite),
            "deny" => Some(Self::Deny),
            _ => None,
        }
    }

    fn grants_read(self) -> bool {
        matches!(self, Self::Read | Self::ReadWrite)
    }

    fn grants_write(self) -> bool {
        matches!(self, Self::Write | Self::ReadWrite)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    access: Access,
    filter: String,
}

/// The rules of an ACL file.
#[derive(Debug, Clone, Default)]
pub struct AclFile {
    anonymous: Vec<Rule>,
    users: HashMap<String, Vec<Rule>>,
    /// `pattern` rules, with `%u` / `%c` still in them.
    patterns: Vec<Rule>,
}

/// The client a question is about.
#[derive(Debug, Clone, Copy)]
pub struct Requester<'a> {
    pub username: Option<&'a str>,
    pub client_id: &'a str,
}

impl AclFile {
    pub fn load(path: &Path) -> Result<Self, AclError> {
        let text = std::fs::read_to_string(path).map_err(|source| AclError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses file contents; `origin` names the file in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Self, AclError> {
        let mut acl = Self::default();
        let mut current_user: Option<String> = None;
        for (index, raw) in text.lines().enumerate() {
            let error = |problem: String| AclError::Line {
                origin: origin.to_owned(),
                line: index + 1,
                problem,
            };
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (keyword, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let rest = rest.trim();
            match keyword {
                "user" if rest.is_empty() => return Err(error("`user` needs a user name".into())),
                "user" => {
                    acl.users.entry(rest.to_owned()).or_default();
                    current_user = Some(rest.to_owned());
                }
                "topic" => {
                    let rule = parse_rule(rest, false).map_err(error)?;
                    match &current_user {
                        Some(user) => acl.users.entry(user.clone()).or_default().push(rule),
                        None => acl.anonymous.push(rule),
                    }
                }
                "pattern" => acl.patterns.push(parse_rule(rest, true).map_err(error)?),
                other => {
                    return Err(error(format!(
                        "unknown directive `{other}` (expected `user`, `topic` or `pattern`)"
                    )))
                }
            }
        }
        Ok(acl)
    }

    /// Whether the client may publish to `topic`.
    pub fn may_publish(&self, who: Requester<'_>, topic: &str) -> bool {
        self.decide(who, Access::grants_write, |rule_filter| {
            mqtt::topic_matches(rule_filter, topic)
        })
    }

    /// Whether the client may subscribe to `filter` (shared subscriptions are judged by
    /// the filter after `$share/{group}/`).
    pub fn may_subscribe(&self, who: Requester<'_>, filter: &str) -> bool {
        let filter = match SharedSubscription::parse(filter) {
            Ok(Some(shared)) => shared.filter,
            Ok(None) => filter,
            Err(_) => return false,
        };
        let mut denied = false;
        let mut granted = false;
        self.for_each_rule(who, |rule_filter, access| {
            if access == Access::Deny {
                denied |= filters_overlap(rule_filter, filter);
            } else if access.grants_read() {
                granted |= filter_covers(rule_filter, filter);
            }
        });
        granted && !denied
    }

    fn decide(
        &self,
        who: Requester<'_>,
        grants: fn(Access) -> bool,
        matches: impl Fn(&str) -> bool,
    ) -> bool {
        let mut denied = false;
        let mut granted = false;
        self.for_each_rule(who, |rule_filter, access| {
            if access == Access::Deny {
                denied |= matches(rule_filter);
            } else if grants(access) {
                granted |= matches(rule_filter);
            }
        });
        granted && !denied
    }

    /// Calls `visit` with every rule that applies to `who`, patterns substituted.
    fn for_each_rule(&self, who: Requester<'_>, mut visit: impl FnMut(&str, Access)) {
        let own = match who.username {
            Some(user) => self.users.get(user).map(Vec::as_slice).unwrap_or_default(),
            None => self.anonymous.as_slice(),
        };
        for rule in own {
            visit(&rule.filter, rule.access);
        }
        for rule in &self.patterns {
            if let Some(filter) = substitute(&rule.filter, who) {
                visit(&filter, rule.access);
            }
        }
    }
}

/// `[read|write|readwrite|deny] FILTER`; no access word means readwrite.
fn parse_rule(rest: &str, pattern: bool) -> Result<Rule, String> {
    let (first, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let (access, filter) = match Access::parse(first) {
        Some(access) => (access, after.trim()),
        None => (Access::ReadWrite, rest),
    };
    if filter.is_empty() {
        return Err("a topic filter is missing".into());
    }
    let checked = if pattern {
        filter.replace("%u", "u").replace("%c", "c")
    } else {
        filter.to_owned()
    };
    mqtt::validate_topic_filter(&checked)
        .map_err(|reason| format!("invalid topic filter {filter:?}: {reason}"))?;
    Ok(Rule {
        access,
        filter: filter.to_owned(),
    })
}

/// The pattern with `%u` and `%c` replaced; `None` when it does not apply (it names
/// the user but the client is anonymous, or a substituted value holds a wildcard or a
/// `/` and would widen the rule).
fn substitute(pattern: &str, who: Requester<'_>) -> Option<String> {
    let mut filter = pattern.to_owned();
    if filter.contains("%u") {
        let user = who.username?;
        if has_wildcard(user) {
            return None;
        }
        filter = filter.replace("%u", user);
    }
    if filter.contains("%c") {
        if has_wildcard(who.client_id) {
            return None;
        }
        filter = filter.replace("%c", who.client_id);
    }
    Some(filter)
}

fn has_wildcard(value: &str) -> bool {
    value.contains(['+', '#', '/'])
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACL: &str = "\
# anonymous
topic read public/#

user alice
topic readwrite sensors/#
topic deny sensors/secret/#
topic write  commands/door

user bob
topic sensors/+/temp

pattern readwrite devices/%c/#
pattern read users/%u/inbox
";

    fn acl() -> AclFile {
        AclFile::parse(ACL, "acl").expect("parse")
    }

    fn user<'a>(name: &'a str, client_id: &'a str) -> Requester<'a> {
        Requester {
            username: Some(name),
            client_id,
        }
    }

    const ANONYMOUS: Requester<'static> = Requester {
        username: None,
        client_id: "anon",
    };

    #[test]
    fn users_publish_only_where_they_may_write() {
        let acl = acl();
        let alice = user("alice", "a1");
        assert!(acl.may_publish(alice, "sensors/kitchen/temp"));
        assert!(acl.may_publish(alice, "commands/door"));
        assert!(!acl.may_publish(alice, "sensors/secret/key"));
        assert!(!acl.may_publish(alice, "public/news"));
        assert!(acl.may_publish(user("bob", "b"), "sensors/x/temp"));
        assert!(!acl.may_publish(user("carol", "c"), "sensors/x/temp"));
        assert!(!acl.may_publish(ANONYMOUS, "public/news"));
    }

    #[test]
    fn subscriptions_must_stay_within_what_is_readable() {
        let acl = acl();
        let alice = user("alice", "a1");
        assert!(acl.may_subscribe(alice, "sensors/kitchen/+"));
        assert!(acl.may_subscribe(alice, "sensors"));
        assert!(
            !acl.may_subscribe(alice, "sensors/+/key"),
            "could match sensors/secret/key"
        );
        assert!(!acl.may_subscribe(alice, "#"), "wider than sensors/#");
        assert!(
            !acl.may_subscribe(alice, "sensors/#"),
            "overlaps the denied secret topics"
        );
        assert!(!acl.may_subscribe(alice, "commands/door"), "write only");
        assert!(acl.may_subscribe(ANONYMOUS, "public/#"));
        assert!(acl.may_subscribe(ANONYMOUS, "$share/g/public/+"));
        assert!(!acl.may_subscribe(ANONYMOUS, "sensors/#"));
    }

    #[test]
    fn patterns_substitute_the_client_id_and_user() {
        let acl = acl();
        assert!(acl.may_publish(user("carol", "dev7"), "devices/dev7/state"));
        assert!(!acl.may_publish(user("carol", "dev7"), "devices/dev8/state"));
        assert!(acl.may_publish(ANONYMOUS, "devices/anon/state"));
        assert!(acl.may_subscribe(user("carol", "c"), "users/carol/inbox"));
        assert!(!acl.may_subscribe(ANONYMOUS, "users/+/inbox"));
        assert!(!acl.may_publish(user("carol", "#"), "devices/x/state"));
        assert!(!acl.may_subscribe(user("+", "c"), "users/+/inbox"));
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("user alice\ntopic\n", "acl:2: a topic filter is missing"),
            (
                "topic read a/#/b\n",
                "acl:1: invalid topic filter \"a/#/b\"",
            ),
            ("allow all\n", "acl:1: unknown directive `allow`"),
            ("\n\nuser\n", "acl:3: `user` needs a user name"),
        ];
        for (text, expected) in cases {
            let error = AclFile::parse(text, "acl").expect_err(text);
            assert!(
                error.to_string().starts_with(expected),
                "{error} / {expected}"
            );
        }
    }
}
