//! The broker's authenticator built from the files: the password file decides who a
//! client is, the anonymous policy whether no user name is acceptable, and the ACL
//! file what each may publish and subscribe to. Without an ACL file every topic is
//! open to whoever got in.

use std::net::SocketAddr;

use super::acl::{AclFile, Requester};
use super::login_cache::LoginCache;
use super::password_file::{PasswordFile, Verification};
use crate::authenticator::{AuthDecision, Authenticator, ScramLookup};
use scram::ScramHash;

/// Who may connect without a user name and password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnonymousPolicy {
    /// Clients on this machine only (127.0.0.0/8, ::1): the default without a
    /// password file.
    Loopback,
    /// Anyone who reaches a listener.
    Always,
    /// Nobody: the default with a password file.
    Never,
}

impl AnonymousPolicy {
    fn allows(self, remote: SocketAddr) -> bool {
        match self {
            Self::Loopback => is_loopback(remote),
            Self::Always => true,
            Self::Never => false,
        }
    }
}

fn is_loopback(remote: SocketAddr) -> bool {
    match remote {
        SocketAddr::V4(v4) => v4.ip().is_loopback(),
        SocketAddr::V6(v6) => {
            v6.ip().is_loopback() || v6.ip().to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Runs `verify` (tens of milliseconds of argon2) so that, on a multi-threaded Tokio
/// runtime, the worker's other connections move to other threads meanwhile.
fn off_the_runtime<T>(verify: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(verify)
        }
        _ => verify(),
    }
}

/// Passwords, ACL and anonymous policy together.
#[derive(Debug)]
pub struct FileAuthenticator {
    passwords: Option<PasswordFile>,
    acl: Option<AclFile>,
    anonymous: AnonymousPolicy,
    logins: LoginCache,
}

impl FileAuthenticator {
    /// `anonymous` of `None` picks the default: [`AnonymousPolicy::Never`] with a
    /// password file, [`AnonymousPolicy::Loopback`] without.
    pub fn new(
        passwords: Option<PasswordFile>,
        acl: Option<AclFile>,
        anonymous: Option<AnonymousPolicy>,
    ) -> Self {
        let anonymous = anonymous.unwrap_or(if passwords.is_some() {
            AnonymousPolicy::Never
        } else {
            AnonymousPolicy::Loopback
        });
        Self {
            passwords,
            acl,
            anonymous,
            logins: LoginCache::default(),
        }
    }

    pub fn anonymous_policy(&self) -> AnonymousPolicy {
        self.anonymous
    }
}

impl Authenticator for FileAuthenticator {
    fn authenticate(
        &self,
        client_id: &str,
        username: Option<&str>,
        password: Option<&[u8]>,
        remote: SocketAddr,
    ) -> AuthDecision {
        match (username, &self.passwords) {
            (Some(user), Some(passwords)) => {
                let password = password.unwrap_or_default();
                if self.logins.knows(user, password) {
                    return AuthDecision::Allow;
                }
                match off_the_runtime(|| passwords.verify(user, password)) {
                    Verification::Valid => {
                        self.logins.remember(user, password);
                        AuthDecision::Allow
                    }
                    Verification::WrongPassword | Verification::UnknownUser => {
                        tracing::info!(%remote, client_id, user, "bad user name or password");
                        AuthDecision::BadCredentials
                    }
                }
            }
            // Without a password file a user name cannot be checked: it only selects
            // the ACL rules, and the client counts as anonymous for getting in.
            _ if self.anonymous.allows(remote) => AuthDecision::Allow,
            _ => {
                tracing::info!(%remote, client_id, "anonymous client refused");
                AuthDecision::NotAuthorized
            }
        }
    }

    fn scram_credentials(&self, hash: ScramHash, username: &str) -> ScramLookup {
        match &self.passwords {
            None => ScramLookup::Unsupported,
            Some(passwords) => match passwords.scram_credentials(username, hash) {
                Some(credentials) => ScramLookup::Found(credentials.clone()),
                None => ScramLookup::UnknownUser,
            },
        }
    }

    fn can_publish(&self, username: Option<&str>, client_id: &str, topic: &str) -> bool {
        self.acl.as_ref().is_none_or(|acl| {
            acl.may_publish(
                Requester {
                    username,
                    client_id,
                },
                topic,
            )
        })
    }

    fn can_subscribe(&self, username: Option<&str>, client_id: &str, filter: &str) -> bool {
        self.acl.as_ref().is_none_or(|acl| {
            acl.may_subscribe(
                Requester {
                    username,
                    client_id,
                },
                filter,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::hash_password;

    fn remote(ip: &str) -> SocketAddr {
        SocketAddr::new(ip.parse().expect("ip"), 50000)
    }

    fn with_alice() -> FileAuthenticator {
        let hash = hash_password(b"wonderland").expect("hash");
        let passwords = PasswordFile::parse(&format!("alice:{hash}\n"), "p").expect("parse");
        FileAuthenticator::new(Some(passwords), None, None)
    }

    #[test]
    fn without_files_anonymous_is_welcome_on_loopback_only() {
        let auth = FileAuthenticator::new(None, None, None);
        assert_eq!(
            auth.authenticate("c", None, None, remote("127.0.0.1")),
            AuthDecision::Allow
        );
        assert_eq!(
            auth.authenticate("c", None, None, remote("::1")),
            AuthDecision::Allow
        );
        assert_eq!(
            auth.authenticate("c", Some("x"), Some(b"y"), remote("::ffff:127.0.0.1")),
            AuthDecision::Allow
        );
        assert_eq!(
            auth.authenticate("c", None, None, remote("192.168.1.20")),
            AuthDecision::NotAuthorized
        );
        assert!(auth.can_publish(None, "c", "any/topic"));
        assert!(auth.can_subscribe(None, "c", "#"));
    }

    #[test]
    fn a_password_file_checks_credentials_and_refuses_anonymous() {
        let auth = with_alice();
        let local = remote("127.0.0.1");
        assert_eq!(
            auth.authenticate("c", Some("alice"), Some(b"wonderland"), local),
            AuthDecision::Allow
        );
        assert_eq!(
            auth.authenticate("c", Some("alice"), Some(b"looking-glass"), local),
            AuthDecision::BadCredentials
        );
        assert_eq!(
            auth.authenticate("c", Some("alice"), None, local),
            AuthDecision::BadCredentials
        );
        assert_eq!(
            auth.authenticate("c", Some("bob"), Some(b"x"), local),
            AuthDecision::BadCredentials
        );
        assert_eq!(
            auth.authenticate("c", None, None, local),
            AuthDecision::NotAuthorized
        );
    }

    #[test]
    fn the_anonymous_policy_can_be_chosen() {
        let always = FileAuthenticator::new(None, None, Some(AnonymousPolicy::Always));
        assert_eq!(
            always.authenticate("c", None, None, remote("10.0.0.1")),
            AuthDecision::Allow
        );
        let never = FileAuthenticator::new(None, None, Some(AnonymousPolicy::Never));
        assert_eq!(
            never.authenticate("c", None, None, remote("127.0.0.1")),
            AuthDecision::NotAuthorized
        );
    }

    #[test]
    fn the_acl_decides_topics() {
        let acl = AclFile::parse("user alice\ntopic readwrite a/#\n", "acl").expect("acl");
        let auth = FileAuthenticator::new(None, Some(acl), None);
        assert!(auth.can_publish(Some("alice"), "c", "a/b"));
        assert!(!auth.can_publish(Some("alice"), "c", "b"));
        assert!(auth.can_subscribe(Some("alice"), "c", "a/+"));
        assert!(!auth.can_subscribe(None, "c", "a/+"));
    }
}
