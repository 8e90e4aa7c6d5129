//! The server side of an exchange: reads the client-first message (GS2 header, user
//! name, nonce), answers with the server-first message (combined nonce, salt,
//! iteration count), checks the client-final message (channel binding, nonce, proof)
//! and produces the server-final message (`v=` signature). The server nonce comes
//! from the caller, who owns the randomness.

use base64::{engine::general_purpose::STANDARD as B64, Engine};

use crate::crypto::{self, constant_time_eq};
use crate::message::{is_printable, unescape_username, value_of};
use crate::{ScramHash, StoredCredentials};

/// Why the server refuses an exchange.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServerError {
    #[error("the client's SCRAM message is not valid UTF-8")]
    NotUtf8,
    #[error("the client's SCRAM message is malformed: {0}")]
    Malformed(&'static str),
    #[error("the client asks for channel binding, which this server does not offer")]
    ChannelBindingNotSupported,
    #[error("the client asks for an authorization identity, which this server does not support")]
    AuthzidNotSupported,
    #[error("the client requires a SCRAM extension this server does not know")]
    UnsupportedExtension,
    #[error("the channel binding in the client-final message differs from the client-first")]
    ChannelBindingMismatch,
    #[error("the nonce in the client-final message is not the one the server sent")]
    NonceMismatch,
    #[error("the server nonce must be printable ASCII without commas")]
    BadServerNonce,
    #[error("the stored credentials are for {stored}, the exchange uses {exchange}")]
    HashMismatch {
        stored: ScramHash,
        exchange: ScramHash,
    },
    #[error("the client's proof is wrong (wrong password or unknown user)")]
    InvalidProof,
}

impl ServerError {
    /// The RFC 5802 `server-error-value` for an `e=` server-final message.
    pub fn server_error_value(&self) -> &'static str {
        match self {
            Self::NotUtf8 | Self::Malformed(_) | Self::BadServerNonce => "invalid-encoding",
            Self::ChannelBindingNotSupported => "channel-binding-not-supported",
            Self::AuthzidNotSupported => "other-error",
            Self::UnsupportedExtension => "extensions-not-supported",
            Self::ChannelBindingMismatch => "channel-bindings-dont-match",
            Self::NonceMismatch | Self::HashMismatch { .. } => "other-error",
            Self::InvalidProof => "invalid-proof",
        }
    }
}

/// A parsed client-first message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFirst {
    /// The user name, unescaped.
    pub username: String,
    pub client_nonce: String,
    /// `n,,` or `y,,`: echoed base64-encoded in the client-final's `c=`.
    gs2_header: String,
    bare: String,
}

impl ClientFirst {
    /// Reads `n,,n=user,r=nonce` (or `y,,…`), refusing channel binding, an
    /// authorization identity and mandatory extensions (`m=`).
    pub fn parse(message: &[u8]) -> Result<Self, ServerError> {
        let message = std::str::from_utf8(message).map_err(|_| ServerError::NotUtf8)?;
        let mut header = message.splitn(3, ',');
        let (Some(flag), Some(authzid), Some(bare)) = (header.next(), header.next(), header.next())
        else {
            return Err(ServerError::Malformed("no GS2 header (`n,,`)"));
        };
        match flag {
            "n" | "y" => {}
            _ if flag.starts_with("p=") => return Err(ServerError::ChannelBindingNotSupported),
            _ => return Err(ServerError::Malformed("GS2 flag is not `n`, `y` or `p=`")),
        }
        if !authzid.is_empty() {
            return Err(if authzid.starts_with("a=") {
                ServerError::AuthzidNotSupported
            } else {
                ServerError::Malformed("bad authorization identity in the GS2 header")
            });
        }
        let mut attributes = bare.split(',');
        let first = attributes.next().unwrap_or_default();
        if first.starts_with("m=") {
            return Err(ServerError::UnsupportedExtension);
        }
        let escaped = value_of(first, 'n').ok_or(ServerError::Malformed("no user name (n=)"))?;
        let username =
            unescape_username(escaped).ok_or(ServerError::Malformed("bad `=` escape in n="))?;
        if username.is_empty() {
            return Err(ServerError::Malformed("empty user name"));
        }
        let client_nonce = attributes
            .next()
            .and_then(|part| value_of(part, 'r'))
            .ok_or(ServerError::Malformed("no nonce (r=) after the user name"))?;
        if !is_printable(client_nonce) {
            return Err(ServerError::Malformed(
                "the nonce is empty or not printable",
            ));
        }
        Ok(Self {
            username,
            client_nonce: client_nonce.to_owned(),
            gs2_header: format!("{flag},,"),
            bare: bare.to_owned(),
        })
    }
}

/// One server-side exchange, between the server-first and the client-final message.
pub struct ScramServer {
    credentials: StoredCredentials,
    client_first: ClientFirst,
    combined_nonce: String,
    server_first: String,
}

impl ScramServer {
    /// Starts answering `client_first` for a user whose verifier is `credentials`.
    /// `hash` is the mechanism the client asked for; for an unknown user, pass made-up
    /// credentials so the exchange fails only at the proof, as RFC 5802 §9 advises.
    pub fn start(
        hash: ScramHash,
        client_first: ClientFirst,
        credentials: StoredCredentials,
        server_nonce: &str,
    ) -> Result<Self, ServerError> {
        if credentials.hash != hash {
            return Err(ServerError::HashMismatch {
                stored: credentials.hash,
                exchange: hash,
            });
        }
        if !is_printable(server_nonce) {
            return Err(ServerError::BadServerNonce);
        }
        let combined_nonce = format!("{}{server_nonce}", client_first.client_nonce);
        let server_first = format!(
            "r={combined_nonce},s={},i={}",
            B64.encode(&credentials.salt),
            credentials.iterations
        );
        Ok(Self {
            credentials,
            client_first,
            combined_nonce,
            server_first,
        })
    }

    /// The user name the client claims (proven only once `finish` succeeds).
    pub fn username(&self) -> &str {
        &self.client_first.username
    }

    /// The server-first message, the Authentication Data of AUTH 0x18.
    pub fn server_first(&self) -> &str {
        &self.server_first
    }

    /// Checks the client-final message; on success returns the server-final message
    /// (`v=<ServerSignature>`), the Authentication Data of CONNACK.
    pub fn finish(&self, client_final: &[u8]) -> Result<String, ServerError> {
        let client_final = std::str::from_utf8(client_final).map_err(|_| ServerError::NotUtf8)?;
        let (without_proof, proof) = client_final
            .rsplit_once(',')
            .and_then(|(head, last)| Some((head, value_of(last, 'p')?)))
            .ok_or(ServerError::Malformed("no proof (p=) at the end"))?;
        let mut attributes = without_proof.split(',');
        let binding = attributes
            .next()
            .and_then(|part| value_of(part, 'c'))
            .ok_or(ServerError::Malformed("no channel binding (c=) first"))?;
        let nonce = attributes
            .next()
            .and_then(|part| value_of(part, 'r'))
            .ok_or(ServerError::Malformed(
                "no nonce (r=) after the channel binding",
            ))?;
        if binding != B64.encode(&self.client_first.gs2_header) {
            return Err(ServerError::ChannelBindingMismatch);
        }
        if nonce != self.combined_nonce {
            return Err(ServerError::NonceMismatch);
        }
        let proof = B64
            .decode(proof)
            .map_err(|_| ServerError::Malformed("the proof is not base64"))?;
        let hash = self.credentials.hash;
        if proof.len() != hash.output_len() {
            return Err(ServerError::InvalidProof);
        }
        let auth_message = format!(
            "{},{},{without_proof}",
            self.client_first.bare, self.server_first
        );
        let client_signature =
            crypto::hmac(hash, &self.credentials.stored_key, auth_message.as_bytes());
        let client_key = crypto::xor(&proof, &client_signature);
        if !constant_time_eq(
            &crypto::digest(hash, &client_key),
            &self.credentials.stored_key,
        ) {
            return Err(ServerError::InvalidProof);
        }
        let server_signature =
            crypto::hmac(hash, &self.credentials.server_key, auth_message.as_bytes());
        Ok(format!("v={}", B64.encode(server_signature)))
    }
}
