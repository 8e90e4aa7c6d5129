//! Remembers passwords that verified, so a client reconnecting (or a thousand doing
//! so at once) costs a SHA-256 instead of an argon2 run each time. Only a keyed digest
//! is kept, under a key drawn at start-up, never the password itself; a wrong
//! password never enters the cache and always goes through argon2.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// Users remembered at most; past that the cache starts over.
const CAPACITY: usize = 10_000;

#[derive(Debug)]
pub struct LoginCache {
    key: [u8; 32],
    verified: Mutex<HashMap<String, [u8; 32]>>,
}

impl Default for LoginCache {
    fn default() -> Self {
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key);
        Self {
            key,
            verified: Mutex::new(HashMap::new()),
        }
    }
}

impl LoginCache {
    fn digest(&self, user: &str, password: &[u8]) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(self.key);
        hasher.update((user.len() as u64).to_be_bytes());
        hasher.update(user.as_bytes());
        hasher.update(password);
        hasher.finalize().into()
    }

    /// Whether `password` is the one last verified for `user`.
    pub fn knows(&self, user: &str, password: &[u8]) -> bool {
        let digest = self.digest(user, password);
        let verified = match self.verified.lock() {
            Ok(verified) => verified,
            Err(poisoned) => poisoned.into_inner(),
        };
        verified.get(user) == Some(&digest)
    }

    /// Records that `password` verified for `user`.
    pub fn remember(&self, user: &str, password: &[u8]) {
        let digest = self.digest(user, password);
        let mut verified = match self.verified.lock() {
            Ok(verified) => verified,
            Err(poisoned) => poisoned.into_inner(),
        };
        if verified.len() >= CAPACITY && !verified.contains_key(user) {
            verified.clear();
        }
        verified.insert(user.to_owned(), digest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_only_the_verified_password_of_each_user() {
        let cache = LoginCache::default();
        assert!(!cache.knows("alice", b"pw"));
        cache.remember("alice", b"pw");
        assert!(cache.knows("alice", b"pw"));
        assert!(!cache.knows("alice", b"other"));
        assert!(!cache.knows("bob", b"pw"));
    }
}
