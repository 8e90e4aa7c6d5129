//! SCRAM-SHA-1 / SHA-256 / SHA-512 client (RFC 5802, RFC 7677) for MQTT 5 enhanced
//! authentication: CONNECT carries the client-first message, AUTH 0x18 (Continue
//! authentication) carries the server-first and client-final messages, and CONNACK carries
//! the server-final message, whose signature proves the server knew the password too.
//! The nonce is passed in so the exchange is deterministic under test; the browser glue
//! draws it from `crypto.getRandomValues`.

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use hmac::digest::{core_api::BlockSizeUser, Digest, KeyInit};
use hmac::{Mac, SimpleHmac};

/// Which hash the exchange uses; its name is the MQTT Authentication Method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScramHash {
    Sha1,
    Sha256,
    Sha512,
}

impl ScramHash {
    pub fn method_name(self) -> &'static str {
        match self {
            ScramHash::Sha1 => "SCRAM-SHA-1",
            ScramHash::Sha256 => "SCRAM-SHA-256",
            ScramHash::Sha512 => "SCRAM-SHA-512",
        }
    }
}

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
        let (proof, server_signature) = match self.hash {
            ScramHash::Sha1 => {
                prove::<sha1::Sha1>(&self.password, &salt, iterations, &auth_message)
            }
            ScramHash::Sha256 => {
                prove::<sha2::Sha256>(&self.password, &salt, iterations, &auth_message)
            }
            ScramHash::Sha512 => {
                prove::<sha2::Sha512>(&self.password, &salt, iterations, &auth_message)
            }
        };
        self.expected_server_signature = Some(server_signature);
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
            Some(expected) if *expected == signature => Ok(()),
            _ => Err(ScramError::BadServerSignature),
        }
    }
}

/// The client proof and the server signature we expect, per RFC 5802 §3.
fn prove<D>(password: &str, salt: &[u8], iterations: u32, auth_message: &str) -> (Vec<u8>, Vec<u8>)
where
    D: Digest + BlockSizeUser + Clone + Sync,
{
    let mut salted = vec![0u8; <D as Digest>::output_size()];
    // HMAC accepts keys of any length, so this cannot fail.
    let _ = pbkdf2::pbkdf2::<SimpleHmac<D>>(password.as_bytes(), salt, iterations, &mut salted);
    let client_key = hmac::<D>(&salted, b"Client Key");
    let stored_key = D::digest(&client_key).to_vec();
    let client_signature = hmac::<D>(&stored_key, auth_message.as_bytes());
    let proof = client_key
        .iter()
        .zip(&client_signature)
        .map(|(k, s)| k ^ s)
        .collect();
    let server_key = hmac::<D>(&salted, b"Server Key");
    (proof, hmac::<D>(&server_key, auth_message.as_bytes()))
}

fn hmac<D>(key: &[u8], data: &[u8]) -> Vec<u8>
where
    D: Digest + BlockSizeUser + Clone,
{
    match <SimpleHmac<D> as KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        // HMAC accepts keys of any length; an empty result would fail verification safely.
        Err(_) => Vec::new(),
    }
}

/// RFC 5802 §5.1: `=` and `,` in the user name are escaped.
fn escape_username(username: &str) -> String {
    username.replace('=', "=3D").replace(',', "=2C")
}

/// The value of `name=` in a comma-separated SCRAM message.
fn attribute(message: &str, name: char) -> Option<&str> {
    message.split(',').find_map(|part| {
        let mut chars = part.chars();
        (chars.next() == Some(name) && chars.next() == Some('=')).then(|| &part[2..])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5802 §5: user "user", password "pencil".
    #[test]
    fn rfc5802_sha1_vector() {
        let mut client = ScramClient::new(
            ScramHash::Sha1,
            "user",
            "pencil",
            "fyko+d2lbbFgONRv9qkxdawL",
        );
        assert_eq!(
            client.client_first(),
            "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"
        );
        let server_first = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
        assert_eq!(
            client
                .client_final(server_first)
                .expect("valid server-first"),
            "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="
        );
        assert_eq!(
            client.verify_server_final("v=rmF9pqV8S7suAoZWja4dJRkFsKQ="),
            Ok(())
        );
        assert_eq!(
            client.verify_server_final("v=AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
            Err(ScramError::BadServerSignature)
        );
    }

    /// RFC 7677 §3: user "user", password "pencil".
    #[test]
    fn rfc7677_sha256_vector() {
        let mut client =
            ScramClient::new(ScramHash::Sha256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        assert_eq!(client.client_first(), "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        let server_first =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        assert_eq!(
            client.client_final(server_first).expect("valid server-first"),
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        assert_eq!(
            client.verify_server_final("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="),
            Ok(())
        );
    }

    #[test]
    fn sha512_produces_a_64_byte_proof() {
        let mut client = ScramClient::new(ScramHash::Sha512, "user", "pencil", "abc");
        let final_message = client
            .client_final("r=abcdef,s=QSXCR+Q6sek8bf92,i=16")
            .expect("valid");
        let proof = attribute(&final_message, 'p').expect("proof");
        assert_eq!(B64.decode(proof).expect("base64").len(), 64);
    }

    #[test]
    fn a_server_that_does_not_extend_our_nonce_is_refused() {
        let mut client = ScramClient::new(ScramHash::Sha256, "user", "pencil", "abc");
        assert_eq!(
            client.client_final("r=xyz123,s=QSXCR+Q6sek8bf92,i=4096"),
            Err(ScramError::NonceMismatch)
        );
        assert_eq!(
            client.client_final("r=abc,s=QSXCR+Q6sek8bf92,i=4096"),
            Err(ScramError::NonceMismatch)
        );
    }

    #[test]
    fn malformed_and_hostile_server_messages_are_errors() {
        let mut client = ScramClient::new(ScramHash::Sha256, "user", "pencil", "abc");
        assert!(matches!(
            client.client_final("garbage"),
            Err(ScramError::Malformed(_))
        ));
        assert!(matches!(
            client.client_final("r=abcd,s=!!!,i=1"),
            Err(ScramError::Malformed(_))
        ));
        assert_eq!(
            client.client_final("r=abcd,s=QSXCR+Q6sek8bf92,i=999999999"),
            Err(ScramError::TooManyIterations(999_999_999))
        );
        assert_eq!(
            client.verify_server_final("e=invalid-proof"),
            Err(ScramError::ServerError("invalid-proof".into()))
        );
    }

    #[test]
    fn user_names_are_escaped() {
        let client = ScramClient::new(ScramHash::Sha1, "a=b,c", "p", "n");
        assert_eq!(client.client_first(), "n,,n=a=3Db=2Cc,r=n");
    }
}
