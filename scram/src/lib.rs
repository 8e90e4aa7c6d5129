//! SCRAM (Salted Challenge Response Authentication Mechanism, RFC 5802) with SHA-1,
//! SHA-256 (RFC 7677) and SHA-512, both sides, as MQTT 5 enhanced authentication uses
//! it: the client-first message rides in CONNECT, server-first and client-final in
//! AUTH 0x18, server-final in CONNACK. No I/O and no randomness: nonces and salts are
//! passed in, so the crate builds for wasm32 and every exchange is reproducible under
//! test. Passwords are used as their UTF-8 bytes (no SASLprep), on both sides.

mod client;
mod credentials;
mod crypto;
mod message;
mod server;

pub use client::{ScramClient, ScramError};
pub use credentials::{CredentialsError, StoredCredentials, MAX_STORED_ITERATIONS};
pub use server::{ClientFirst, ScramServer, ServerError};

/// Which hash an exchange uses; its name is the MQTT Authentication Method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScramHash {
    Sha1,
    Sha256,
    Sha512,
}

impl ScramHash {
    pub const ALL: [ScramHash; 3] = [ScramHash::Sha1, ScramHash::Sha256, ScramHash::Sha512];

    /// The SASL mechanism name, e.g. `SCRAM-SHA-256`.
    pub fn method_name(self) -> &'static str {
        match self {
            ScramHash::Sha1 => "SCRAM-SHA-1",
            ScramHash::Sha256 => "SCRAM-SHA-256",
            ScramHash::Sha512 => "SCRAM-SHA-512",
        }
    }

    /// The hash for a mechanism name (case-insensitive, as SASL names are compared).
    pub fn from_method_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|hash| hash.method_name().eq_ignore_ascii_case(name))
    }

    /// Length in bytes of the hash's output, and so of keys, proofs and signatures.
    pub fn output_len(self) -> usize {
        match self {
            ScramHash::Sha1 => 20,
            ScramHash::Sha256 => 32,
            ScramHash::Sha512 => 64,
        }
    }
}

impl std::fmt::Display for ScramHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.method_name())
    }
}
