//! MQTT 5 enhanced authentication during CONNECT (§4.12) with SCRAM-SHA-1/256/512:
//! CONNECT carries the client-first message, the broker answers AUTH 0x18 with the
//! server-first message, the client answers AUTH 0x18 with the client-final message,
//! and the CONNACK that accepts carries the server-final message. A wrong proof gets
//! CONNACK 0x86, an unknown method 0x8C; the whole exchange runs within the connect
//! timeout. The start of the exchange is shared with re-authentication
//! (`super::reauth`).

use std::sync::OnceLock;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use bytes::Bytes;
use mqtt::{Auth, ByteStr, Connect, Packet, Properties, PropertyValues, ReasonCode};
use scram::{ClientFirst, ScramHash, ScramServer, StoredCredentials};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::Instant;

use super::handshake::{read_packet, NoConnect, Refusal};
use super::io::PacketIo;
use crate::authenticator::ScramLookup;
use crate::core::Core;

/// What a successful exchange adds to the connection and its CONNACK.
pub(super) struct Authenticated {
    /// The user SCRAM proved: the connection's user name from now on.
    pub username: String,
    pub method: ByteStr,
    /// The server-final message, CONNACK's Authentication Data.
    pub server_final: Bytes,
}

/// Why the exchange did not succeed.
pub(super) enum Failure {
    /// Answer with this CONNACK, then close.
    Refused(Refusal),
    /// The client went away, timed out or sent garbage: just close.
    Gone(NoConnect),
}

impl From<Refusal> for Failure {
    fn from(refusal: Refusal) -> Self {
        Self::Refused(refusal)
    }
}

/// Iterations of the made-up verifier for users the file does not know: the same as
/// `mqttdeck passwd --scram` writes by default, so the server-first message looks alike.
const DECOY_ITERATIONS: u32 = crate::auth::DEFAULT_SCRAM_ITERATIONS;

/// Runs the exchange `connect` started; `deadline` is the connect timeout's end.
pub(super) async fn authenticate<S: AsyncRead + AsyncWrite + Unpin>(
    core: &Core,
    io: &mut PacketIo<S>,
    connect: &Connect,
    deadline: Instant,
) -> Result<Authenticated, Failure> {
    let method = connect
        .properties
        .authentication_method
        .as_deref()
        .unwrap_or_default();
    let server = start_scram(
        core,
        method,
        connect.properties.authentication_data.as_deref(),
    )?;
    let username = server.username().to_owned();
    if connect
        .username
        .as_deref()
        .is_some_and(|name| name != username)
    {
        return Err(
            bad_credentials("the CONNECT user name differs from the SCRAM user name").into(),
        );
    }
    let challenge = auth_packet(
        ReasonCode::ContinueAuthentication,
        method,
        server.server_first().as_bytes(),
    );
    io.send(&challenge).map_err(|error| {
        Refusal::new(
            ReasonCode::ImplementationSpecificError,
            format!("cannot encode AUTH: {error}"),
        )
    })?;
    let client_final = read_client_final(core, io, method, deadline).await?;
    let server_final = server.finish(&client_final).map_err(|error| {
        tracing::info!(user = %username, %method, "SCRAM authentication failed: {error}");
        bad_credentials(error)
    })?;
    Ok(Authenticated {
        username,
        method: ByteStr::from(method),
        server_final: Bytes::from(server_final.into_bytes()),
    })
}

/// Starts the server side of a SCRAM exchange for `method` from the client-first
/// message: at CONNECT, and again at each re-authentication. An unknown user gets
/// made-up credentials, so that the exchange fails only at the proof.
pub(super) fn start_scram(
    core: &Core,
    method: &str,
    client_first: Option<&[u8]>,
) -> Result<ScramServer, Refusal> {
    let Some(hash) = ScramHash::from_method_name(method) else {
        return Err(unsupported(format!(
            "authentication method {method:?} is not supported; \
             this broker offers SCRAM-SHA-1, SCRAM-SHA-256 and SCRAM-SHA-512"
        )));
    };
    let client_first =
        client_first.ok_or_else(|| bad_credentials("no SCRAM client-first message"))?;
    let client_first = ClientFirst::parse(client_first).map_err(bad_credentials)?;
    let credentials = match core
        .config
        .authenticator
        .scram_credentials(hash, &client_first.username)
    {
        ScramLookup::Found(credentials) => credentials,
        ScramLookup::UnknownUser => decoy_credentials(hash, &client_first.username),
        ScramLookup::Unsupported => {
            return Err(unsupported(
                "SCRAM needs a password file with SCRAM entries (mqttdeck --passwords FILE)",
            ))
        }
    };
    ScramServer::start(hash, client_first, credentials, &server_nonce()).map_err(bad_credentials)
}

/// Waits for the client's AUTH 0x18 with the same method and returns its data.
async fn read_client_final<S: AsyncRead + AsyncWrite + Unpin>(
    core: &Core,
    io: &mut PacketIo<S>,
    method: &str,
    deadline: Instant,
) -> Result<Bytes, Failure> {
    io.tally.packets_in += 1;
    match read_packet(core, io, deadline).await.map_err(Failure::Gone)? {
        Packet::Auth(auth) => {
            if auth.code != ReasonCode::ContinueAuthentication {
                return Err(protocol_error("AUTH during CONNECT must be 0x18 (Continue authentication)"));
            }
            if auth.properties.authentication_method.as_deref() != Some(method) {
                return Err(protocol_error("AUTH names a different authentication method than CONNECT"));
            }
            auth.properties
                .authentication_data
                .clone()
                .ok_or_else(|| bad_credentials("AUTH has no SCRAM client-final message").into())
        }
        Packet::Disconnect(_) => Err(Failure::Gone(NoConnect::Closed)),
        other => Err(protocol_error(format!(
            "{} before CONNACK during enhanced authentication (only AUTH or DISCONNECT may be sent)",
            other.packet_type()
        ))),
    }
}

/// An AUTH packet of `method` carrying `data`.
pub(super) fn auth_packet(code: ReasonCode, method: &str, data: &[u8]) -> Packet {
    Packet::Auth(Auth {
        code,
        properties: Properties::from(PropertyValues {
            authentication_method: Some(ByteStr::from(method)),
            authentication_data: Some(Bytes::copy_from_slice(data)),
            ..PropertyValues::default()
        }),
    })
}

fn unsupported(reason: impl Into<String>) -> Refusal {
    Refusal::new(ReasonCode::BadAuthenticationMethod, reason)
}

fn bad_credentials(reason: impl ToString) -> Refusal {
    Refusal::new(ReasonCode::BadUserNameOrPassword, reason.to_string())
}

fn protocol_error(reason: impl Into<String>) -> Failure {
    Refusal::new(ReasonCode::ProtocolError, reason).into()
}

/// 18 random bytes as base64: printable and without commas, as SCRAM nonces must be.
fn server_nonce() -> String {
    use base64::{engine::general_purpose::STANDARD, Engine};
    let mut bytes = [0u8; 18];
    OsRng.fill_bytes(&mut bytes);
    STANDARD.encode(bytes)
}

/// A verifier no password matches, with a salt that stays the same for the same user
/// name for the broker's life, so that asking twice does not reveal the user is unknown.
fn decoy_credentials(hash: ScramHash, username: &str) -> StoredCredentials {
    static SECRET: OnceLock<[u8; 32]> = OnceLock::new();
    let secret = SECRET.get_or_init(|| {
        let mut secret = [0u8; 32];
        OsRng.fill_bytes(&mut secret);
        secret
    });
    let derive = |label: &[u8]| {
        let mut digest = Sha256::new();
        digest.update(secret);
        digest.update(label);
        digest.update(hash.method_name());
        digest.update(username);
        digest.finalize().to_vec()
    };
    let mut stored_key = derive(b"stored");
    stored_key.resize(hash.output_len(), 0);
    let mut server_key = derive(b"server");
    server_key.resize(hash.output_len(), 0);
    StoredCredentials {
        hash,
        salt: derive(b"salt")[..16].to_vec(),
        iterations: DECOY_ITERATIONS,
        stored_key,
        server_key,
    }
}
