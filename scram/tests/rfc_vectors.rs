//! The example exchanges of RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3 (SCRAM-SHA-256),
//! user "user" and password "pencil", played from each side.

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use scram::{ClientFirst, ScramClient, ScramError, ScramHash, ScramServer, StoredCredentials};

struct Vector {
    hash: ScramHash,
    client_nonce: &'static str,
    server_nonce: &'static str,
    salt: &'static str,
    client_first: &'static str,
    server_first: &'static str,
    client_final: &'static str,
    server_final: &'static str,
}

const RFC5802_SHA1: Vector = Vector {
    hash: ScramHash::Sha1,
    client_nonce: "fyko+d2lbbFgONRv9qkxdawL",
    server_nonce: "3rfcNHYJY1ZVvWVs7j",
    salt: "QSXCR+Q6sek8bf92",
    client_first: "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
    server_first: "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
    client_final:
        "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
    server_final: "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
};

const RFC7677_SHA256: Vector = Vector {
    hash: ScramHash::Sha256,
    client_nonce: "rOprNGfwEbeRWgbNEkqO",
    server_nonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
    salt: "W22ZaJ0SNY7soEsUEjb6gQ==",
    client_first: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
    server_first:
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
    client_final: "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
    server_final: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
};

fn client_side(vector: &Vector) {
    let mut client = ScramClient::new(vector.hash, "user", "pencil", vector.client_nonce);
    assert_eq!(client.client_first(), vector.client_first);
    assert_eq!(
        client.client_final(vector.server_first).as_deref(),
        Ok(vector.client_final)
    );
    assert_eq!(client.verify_server_final(vector.server_final), Ok(()));
    let forged = format!("v={}", B64.encode(vec![0u8; vector.hash.output_len()]));
    assert_eq!(
        client.verify_server_final(&forged),
        Err(ScramError::BadServerSignature)
    );
}

fn server_side(vector: &Vector) {
    let salt = B64.decode(vector.salt).expect("salt");
    let credentials = StoredCredentials::derive(vector.hash, "pencil", &salt, 4096);
    let first = ClientFirst::parse(vector.client_first.as_bytes()).expect("client-first");
    assert_eq!(first.username, "user");
    assert_eq!(first.client_nonce, vector.client_nonce);
    let server =
        ScramServer::start(vector.hash, first, credentials, vector.server_nonce).expect("start");
    assert_eq!(server.server_first(), vector.server_first);
    assert_eq!(
        server.finish(vector.client_final.as_bytes()).as_deref(),
        Ok(vector.server_final)
    );
}

#[test]
fn rfc5802_sha1_client() {
    client_side(&RFC5802_SHA1);
}

#[test]
fn rfc5802_sha1_server() {
    server_side(&RFC5802_SHA1);
}

#[test]
fn rfc7677_sha256_client() {
    client_side(&RFC7677_SHA256);
}

#[test]
fn rfc7677_sha256_server() {
    server_side(&RFC7677_SHA256);
}

#[test]
fn the_stored_form_of_the_rfc_credentials_reads_back() {
    let salt = B64.decode(RFC7677_SHA256.salt).expect("salt");
    let credentials = StoredCredentials::derive(ScramHash::Sha256, "pencil", &salt, 4096);
    let line = credentials.to_line();
    assert!(
        line.starts_with("$scram-sha-256$4096$W22ZaJ0SNY7soEsUEjb6gQ==$"),
        "{line}"
    );
    assert_eq!(StoredCredentials::parse_line(&line), Ok(credentials));
}
