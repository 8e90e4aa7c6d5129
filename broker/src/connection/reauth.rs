//! MQTT 5 re-authentication (§4.12.1). A client that logged in with enhanced
//! authentication may send AUTH 0x19 (Re-authenticate) at any time after CONNACK, with
//! the same method and a new SCRAM client-first message; the broker answers AUTH 0x18
//! with the server-first message, the client AUTH 0x18 with the client-final message,
//! and the broker AUTH 0x00 (Success) with the server-final message. Meanwhile the
//! connection goes on under the earlier authentication. A failed proof ends the
//! connection with DISCONNECT 0x87 (Not authorized), another method (or AUTH on a
//! connection that named none) with 0x8C, AUTH out of turn with 0x82. The user name
//! may not change: the connection's permissions and statistics are its user's.

use mqtt::{Auth, ByteStr, Packet, ReasonCode};
use scram::ScramServer;
use tokio::io::{AsyncRead, AsyncWrite};

use super::enhanced_auth::{auth_packet, start_scram};
use super::error::ConnectionError;
use super::io::PacketIo;
use super::Connection;
use crate::core::Core;

/// What a connection that logged in with enhanced authentication keeps for
/// re-authenticating. Boxed in the connection: most connections have none.
pub(super) struct Reauthentication {
    /// The Authentication Method CONNECT named; every AUTH must name it again.
    method: ByteStr,
    /// The exchange under way, between the server-first and the client-final message.
    exchange: Option<ScramServer>,
}

impl Reauthentication {
    pub(super) fn new(method: ByteStr) -> Box<Self> {
        Box::new(Self {
            method,
            exchange: None,
        })
    }

    /// Takes the client's AUTH; the AUTH to answer with, or why the connection ends.
    fn answer(
        &mut self,
        core: &Core,
        username: Option<&str>,
        auth: &Auth,
    ) -> Result<Packet, ConnectionError> {
        if auth.properties.authentication_method.as_deref() != Some(self.method.as_str()) {
            return Err(ConnectionError::Reauthentication {
                code: ReasonCode::BadAuthenticationMethod,
                reason: "AUTH names a different authentication method than CONNECT".into(),
            });
        }
        let data = auth.properties.authentication_data.as_deref();
        match auth.code {
            ReasonCode::ReAuthenticate if self.exchange.is_some() => Err(
                ConnectionError::Protocol("AUTH 0x19 (Re-authenticate) while one is under way"),
            ),
            ReasonCode::ReAuthenticate => {
                let server = start_scram(core, &self.method, data).map_err(|refusal| {
                    let (code, reason) = refusal.into_parts();
                    ConnectionError::Reauthentication {
                        // DISCONNECT has no "bad user name or password".
                        code: match code {
                            ReasonCode::BadUserNameOrPassword => ReasonCode::NotAuthorized,
                            other => other,
                        },
                        reason,
                    }
                })?;
                if Some(server.username()) != username {
                    return Err(not_authorized(
                        "re-authentication may not change the user name",
                    ));
                }
                let challenge = auth_packet(
                    ReasonCode::ContinueAuthentication,
                    &self.method,
                    server.server_first().as_bytes(),
                );
                self.exchange = Some(server);
                Ok(challenge)
            }
            ReasonCode::ContinueAuthentication => {
                let server = self.exchange.take().ok_or(ConnectionError::Protocol(
                    "AUTH 0x18 (Continue authentication) with no re-authentication under way",
                ))?;
                let server_final = server.finish(data.unwrap_or_default()).map_err(|error| {
                    tracing::info!(user = server.username(), method = %self.method, "SCRAM re-authentication failed: {error}");
                    not_authorized("re-authentication failed")
                })?;
                Ok(auth_packet(
                    ReasonCode::Success,
                    &self.method,
                    server_final.as_bytes(),
                ))
            }
            _ => Err(ConnectionError::Protocol(
                "a client's AUTH is 0x18 (Continue authentication) or 0x19 (Re-authenticate)",
            )),
        }
    }
}

fn not_authorized(reason: &str) -> ConnectionError {
    ConnectionError::Reauthentication {
        code: ReasonCode::NotAuthorized,
        reason: reason.into(),
    }
}

impl Connection {
    /// Handles an AUTH from the client after CONNACK: a step of re-authentication.
    pub(super) fn on_auth<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        auth: Auth,
        io: &mut PacketIo<S>,
    ) -> Result<(), ConnectionError> {
        let Some(reauth) = self.reauth.as_deref_mut() else {
            return Err(ConnectionError::Reauthentication {
                code: ReasonCode::BadAuthenticationMethod,
                reason: "AUTH on a connection whose CONNECT named no authentication method".into(),
            });
        };
        let username = self.presence.info.username.as_deref();
        let reply = reauth.answer(&self.core, username, &auth)?;
        if auth.code == ReasonCode::ContinueAuthentication {
            tracing::debug!(client_id = %self.client_id(), "client re-authenticated");
        }
        self.send(io, &reply)
    }
}
