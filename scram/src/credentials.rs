//! What a server stores for a user instead of the password (RFC 5802 §3): the salt,
//! the iteration count, StoredKey = H(ClientKey) and ServerKey. Enough to check a
//! client's proof and to sign the server-final message, not enough to log in as the
//! user. Written as one line, `$scram-sha-256$<iterations>$<salt>$<StoredKey>$<ServerKey>`
//! (standard base64), which is how the broker's password file holds it.

use base64::{engine::general_purpose::STANDARD as B64, Engine};

use crate::crypto;
use crate::ScramHash;

/// Iteration counts above this are refused when reading stored credentials: every
/// login would make the client spend that much.
pub const MAX_STORED_ITERATIONS: u32 = 1_000_000;

/// A user's SCRAM verifier for one hash.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredCredentials {
    pub hash: ScramHash,
    pub salt: Vec<u8>,
    pub iterations: u32,
    pub stored_key: Vec<u8>,
    pub server_key: Vec<u8>,
}

impl std::fmt::Debug for StoredCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The keys are password equivalents for an attacker who can sniff one exchange.
        f.debug_struct("StoredCredentials")
            .field("hash", &self.hash)
            .field("iterations", &self.iterations)
            .finish_non_exhaustive()
    }
}

/// Why a stored-credentials line cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    #[error("expected `$scram-sha-256$<iterations>$<salt>$<StoredKey>$<ServerKey>`")]
    Shape,
    #[error("unknown SCRAM hash `{0}` (expected scram-sha-1, scram-sha-256 or scram-sha-512)")]
    UnknownHash(String),
    #[error("the iteration count must be a number from 1 to {MAX_STORED_ITERATIONS}")]
    Iterations,
    #[error("the {0} is not standard base64")]
    Base64(&'static str),
    #[error("the {0} has the wrong length for this hash")]
    KeyLength(&'static str),
    #[error("the salt is empty")]
    EmptySalt,
}

impl StoredCredentials {
    /// Derives the verifier from a password (what `mqttdeck passwd --scram` does).
    pub fn derive(hash: ScramHash, password: &str, salt: &[u8], iterations: u32) -> Self {
        let salted = crypto::salted_password(hash, password.as_bytes(), salt, iterations);
        let client_key = crypto::client_key(hash, &salted);
        Self {
            hash,
            salt: salt.to_vec(),
            iterations,
            stored_key: crypto::digest(hash, &client_key),
            server_key: crypto::server_key(hash, &salted),
        }
    }

    /// The one-line form, e.g. `$scram-sha-256$4096$<salt>$<StoredKey>$<ServerKey>`.
    pub fn to_line(&self) -> String {
        format!(
            "${}${}${}${}${}",
            self.hash.method_name().to_ascii_lowercase(),
            self.iterations,
            B64.encode(&self.salt),
            B64.encode(&self.stored_key),
            B64.encode(&self.server_key)
        )
    }

    /// Whether `text` is meant as a SCRAM line (as opposed to some other hash format).
    pub fn looks_like_line(text: &str) -> bool {
        text.len() > 7 && text[..7].eq_ignore_ascii_case("$scram-")
    }

    /// Reads the one-line form.
    pub fn parse_line(text: &str) -> Result<Self, CredentialsError> {
        let mut parts = text.split('$');
        let (Some(""), Some(name), Some(iterations), Some(salt), Some(stored), Some(server), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(CredentialsError::Shape);
        };
        let hash = ScramHash::from_method_name(name)
            .ok_or_else(|| CredentialsError::UnknownHash(name.to_owned()))?;
        let iterations = iterations
            .parse::<u32>()
            .ok()
            .filter(|count| (1..=MAX_STORED_ITERATIONS).contains(count))
            .ok_or(CredentialsError::Iterations)?;
        let decode =
            |what, text: &str| B64.decode(text).map_err(|_| CredentialsError::Base64(what));
        let salt = decode("salt", salt)?;
        if salt.is_empty() {
            return Err(CredentialsError::EmptySalt);
        }
        let stored_key = decode("StoredKey", stored)?;
        let server_key = decode("ServerKey", server)?;
        if stored_key.len() != hash.output_len() {
            return Err(CredentialsError::KeyLength("StoredKey"));
        }
        if server_key.len() != hash.output_len() {
            return Err(CredentialsError::KeyLength("ServerKey"));
        }
        Ok(Self {
            hash,
            salt,
            iterations,
            stored_key,
            server_key,
        })
    }
}
