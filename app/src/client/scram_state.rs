//! The SCRAM exchange of one connection, as the session's AUTH events drive it: the
//! client-first message in CONNECT, the answer to the broker's challenge, and the check
//! of the broker's final signature.

use bytes::Bytes;
use mqtt::client::ConnectOptions;
use mqtt::{ByteStr, Properties, PropertyValues};

use super::clock::random_u32;
use crate::model::profile::{AuthMechanism, ConnectionProfile};
use scram::{ScramClient, ScramHash};

/// The SCRAM exchange of a connection, when its profile uses one.
pub struct ScramState {
    client: Option<(ScramHash, ScramClient)>,
}

impl ScramState {
    pub fn start(profile: &ConnectionProfile) -> Self {
        let hash = match profile.auth_mechanism {
            AuthMechanism::None => return ScramState { client: None },
            AuthMechanism::ScramSha1 => ScramHash::Sha1,
            AuthMechanism::ScramSha256 => ScramHash::Sha256,
            AuthMechanism::ScramSha512 => ScramHash::Sha512,
        };
        let nonce = format!(
            "{:08x}{:08x}{:08x}",
            random_u32(),
            random_u32(),
            random_u32()
        );
        let client = ScramClient::new(hash, &profile.username, &profile.password, &nonce);
        ScramState {
            client: Some((hash, client)),
        }
    }

    /// Puts the client-first message into CONNECT.
    pub fn prepare(&self, options: &mut ConnectOptions) {
        if let Some((hash, client)) = &self.client {
            options.authentication_method = Some(hash.method_name().to_string());
            options.authentication_data = Some(Bytes::from(client.client_first().into_bytes()));
            // SCRAM exists so the password never crosses the wire: not in CONNECT either.
            options.password = None;
        }
    }

    pub fn answer(&mut self, challenge: &Properties) -> Result<Properties, String> {
        let Some((hash, client)) = &mut self.client else {
            return Err(
                "the broker asked for enhanced authentication, but this connection has none set"
                    .into(),
            );
        };
        let server_first = challenge
            .authentication_data
            .as_ref()
            .map(|data| String::from_utf8_lossy(data).into_owned())
            .ok_or("the broker's AUTH carried no authentication data")?;
        let client_final = client
            .client_final(&server_first)
            .map_err(|e| e.to_string())?;
        Ok(Properties::from(PropertyValues {
            authentication_method: Some(ByteStr::from(hash.method_name())),
            authentication_data: Some(Bytes::from(client_final.into_bytes())),
            ..PropertyValues::default()
        }))
    }

    pub fn verify(&self, server_final: Option<&Bytes>) -> Result<(), String> {
        let Some((_, client)) = &self.client else {
            return Ok(());
        };
        let server_final =
            server_final.ok_or("the broker accepted without proving it knows the password")?;
        client
            .verify_server_final(&String::from_utf8_lossy(server_final))
            .map_err(|e| e.to_string())
    }
}
