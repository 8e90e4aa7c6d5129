//! The client side of an exchange: the client-first message, the client-final message
//! with its proof, and the check of the server's signature, which proves the server
//! knew the password too. The browser client draws its nonce from
//! `crypto.getRandomValues`; tests pass fixed ones.

use base64::{engine::general_purpose::STANDARD as B64, Engine};

use crate::crypto::{self, constant_time_eq};
use crate::message::{attribute, escape_username};
use crate::ScramHash;

/// Why the client cannot go on with an exchange.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScramError {
    #[error("the server's SCRAM message is malformed: {0}")]
    Malformed(&'static str),
    #[error("the server's nonce does not extend ours: the server may not be who it claims")]
    NonceMismatch,
    #[error("the server reported an error: {0}")]
    ServerError(String),
    #[error("the server's signature is wrong: it does not know this password (possible impostor)")]
    BadServerSignature,
    #[error("the server asked for too many iterations ({0}); refusing to freeze the page")]
    TooManyIterations(u32),
}

/// Browsers must stay responsive: PBKDF2 beyond this is refused.
const MAX_ITERATIONS: u32 = 1_000_000;

/// One client-side SCRAM exchange.
pub struct ScramClient {
    hash: ScramHash,
    password: String,
    client_first_bare: String,
    client_nonce: String,
    expected_server_signature: Option<Vec<u8>>,
}

impl ScramClient {
    /// Starts an exchange; `client_first()` is the CONNECT's Authentication Data.
    pub fn new(hash: ScramHash, username: &str, password: &str, client_nonce: &str) -> Self {
        let client_first_bare = format!("n={},r={client_nonce}", escape_username(username));
        ScramClient {
            hash,
            password: password.to_string(),
            client_first_bare,
            client_nonce: client_nonce.to_string(),
            expected_server_signature: None,
        }
    }

    pub fn hash(&self) -> ScramHash {
        self.hash
    }

    /// `n,,` (no channel binding) followed by the bare message.
    pub fn client_first(&self) -> String {
        format!("n,,{}", self.client_first_bare)
    }

    /// Answers the server-first message with the client-final message (with the proof).
    pub fn client_final(&mut self, server_first: &str) -> Result<String, ScramError> {
        let nonce = attribute(server_first, 'r').ok_or(ScramError::Malformed("no nonce (r=)"))?;
        if !nonce.starts_with(&self.client_nonce) || nonce.len() == self.client_nonce.len() {
            return Err(ScramError::NonceMismatch);
        }
        let salt = attribute(server_first, 's').ok_or(ScramError::Malformed("no salt (s=)"))?;
        let salt = B64
            .decode(salt)
            .map_err(|_| ScramError::Malformed("salt is not base64"))?;
        let iterations: u32 = attribute(server_first, 'i')
            .and_then(|i| i.parse().ok())
            .filter(|i| *i > 0)
            .ok_or(ScramError::Malformed("no iteration count (i=)"))?;
        if iterations > MAX_ITERATIONS {
            return Err(ScramError::TooManyIterations(iterations));
        }
        let without_proof = format!("c=biws,r={nonce}");
        let auth_message = format!("{},{server_first},{without_proof}", self.client_first_bare);
        let hash = self.hash;
        let salted = crypto::salted_password(hash, self.password.as_bytes(), &salt, iterations);
        let client_key = crypto::client_key(hash, &salted);
        let stored_key = crypto::digest(hash, &client_key);
        let client_signature = crypto::hmac(hash, &stored_key, auth_message.as_bytes());
        let proof = crypto::xor(&client_key, &client_signature);
        let server_key = crypto::server_key(hash, &salted);
        self.expected_server_signature =
            Some(crypto::hmac(hash, &server_key, auth_message.as_bytes()));
        Ok(format!("{without_proof},p={}", B64.encode(proof)))
    }

    /// Checks the server-final message (`v=` signature, or `e=` error).
    pub fn verify_server_final(&self, server_final: &str) -> Result<(), ScramError> {
        if let Some(error) = attribute(server_final, 'e') {
            return Err(ScramError::ServerError(error.to_string()));
        }
        let signature =
            attribute(server_final, 'v').ok_or(ScramError::Malformed("no verifier (v=)"))?;
        let signature = B64
            .decode(signature)
            .map_err(|_| ScramError::Malformed("verifier is not base64"))?;
        match &self.expected_server_signature {
            Some(expected) if constant_time_eq(expected, &signature) => Ok(()),
            _ => Err(ScramError::BadServerSignature),
        }
    }
}
