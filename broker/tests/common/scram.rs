//! The client's side of a SCRAM step, for the enhanced-authentication tests.

use mqtt::Properties;
use scram::ScramClient;

/// The client-final message answering the server-first message that the broker sent
/// as Authentication Data in `properties`.
pub fn client_final(scram: &mut ScramClient, properties: &Properties) -> String {
    let server_first = properties
        .authentication_data
        .clone()
        .expect("server-first");
    let server_first = String::from_utf8(server_first.to_vec()).expect("utf-8");
    scram.client_final(&server_first).expect("client-final")
}
