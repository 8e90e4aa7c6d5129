//! The hook that decides who may connect and what they may publish and subscribe to.
//! The broker core only asks; password files and ACLs implement it elsewhere.

use std::net::SocketAddr;

use scram::{ScramHash, StoredCredentials};

/// The outcome of checking a client's credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthDecision {
    /// Let the client in.
    Allow,
    /// Unknown user or wrong password: CONNACK 0x86 (v3: return code 5, as Mosquitto).
    BadCredentials,
    /// Known, but not allowed to connect (e.g. anonymous refused): CONNACK 0x87 (v3: 5).
    NotAuthorized,
}

/// What the authenticator knows about a user for SCRAM (MQTT 5 enhanced
/// authentication).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScramLookup {
    /// SCRAM is not offered at all (no password file): CONNACK 0x8C.
    Unsupported,
    /// No verifier for this user and hash: the exchange runs on with made-up
    /// credentials and fails at the proof, so user names cannot be probed.
    UnknownUser,
    Found(StoredCredentials),
}

/// Authentication and authorisation, consulted on CONNECT, PUBLISH and SUBSCRIBE.
/// Implementations must be cheap: `can_publish` runs for every message received.
pub trait Authenticator: Send + Sync {
    /// Whether a client may connect with these credentials.
    fn authenticate(
        &self,
        client_id: &str,
        username: Option<&str>,
        password: Option<&[u8]>,
        remote: SocketAddr,
    ) -> AuthDecision;

    /// The SCRAM verifier of `username` for `hash`, for a CONNECT with Authentication
    /// Method `SCRAM-SHA-*`. By default SCRAM is not offered.
    fn scram_credentials(&self, hash: ScramHash, username: &str) -> ScramLookup {
        let _ = (hash, username);
        ScramLookup::Unsupported
    }

    /// Whether the client may publish to `topic` (wills included).
    fn can_publish(&self, username: Option<&str>, client_id: &str, topic: &str) -> bool;

    /// Whether the client may subscribe to `filter` (a `$share/...` filter is passed
    /// whole).
    fn can_subscribe(&self, username: Option<&str>, client_id: &str, filter: &str) -> bool;
}

/// Lets everyone in, anonymous or not, to every topic: the default for a broker bound
/// to loopback.
#[derive(Debug, Clone, Copy, Default)]
pub struct AllowAnonymous;

impl Authenticator for AllowAnonymous {
    fn authenticate(
        &self,
        _client_id: &str,
        _username: Option<&str>,
        _password: Option<&[u8]>,
        _remote: SocketAddr,
    ) -> AuthDecision {
        AuthDecision::Allow
    }

    fn can_publish(&self, _username: Option<&str>, _client_id: &str, _topic: &str) -> bool {
        true
    }

    fn can_subscribe(&self, _username: Option<&str>, _client_id: &str, _filter: &str) -> bool {
        true
    }
}
