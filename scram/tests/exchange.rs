//! Client and server of this crate against each other: every hash succeeds with the
//! right password and fails with a wrong one; tampering and malformed messages are
//! refused with the error that names the problem.

use base64::{engine::general_purpose::STANDARD as B64, Engine};
use scram::{
    ClientFirst, CredentialsError, ScramClient, ScramError, ScramHash, ScramServer, ServerError,
    StoredCredentials,
};

const SALT: &[u8] = b"sixteen byte slt";

fn server_for(hash: ScramHash, password: &str, client_first: &str) -> ScramServer {
    let credentials = StoredCredentials::derive(hash, password, SALT, 64);
    let first = ClientFirst::parse(client_first.as_bytes()).expect("client-first");
    ScramServer::start(hash, first, credentials, "srvNonce+/=").expect("start")
}

#[test]
fn every_hash_completes_with_the_right_password() {
    for hash in ScramHash::ALL {
        let mut client = ScramClient::new(hash, "al=ice,w", "correct horse", "cliNonce");
        let server = server_for(hash, "correct horse", &client.client_first());
        assert_eq!(server.username(), "al=ice,w");
        let client_final = client.client_final(server.server_first()).expect("final");
        let server_final = server.finish(client_final.as_bytes()).expect("accepted");
        assert_eq!(client.verify_server_final(&server_final), Ok(()), "{hash}");
        let signature = B64.decode(&server_final[2..]).expect("base64");
        assert_eq!(signature.len(), hash.output_len());
    }
}

#[test]
fn a_wrong_password_is_an_invalid_proof() {
    for hash in ScramHash::ALL {
        let mut client = ScramClient::new(hash, "alice", "wrong", "cliNonce");
        let server = server_for(hash, "right", &client.client_first());
        let client_final = client.client_final(server.server_first()).expect("final");
        let refusal = server.finish(client_final.as_bytes());
        assert_eq!(refusal, Err(ServerError::InvalidProof), "{hash}");
        assert_eq!(
            ServerError::InvalidProof.server_error_value(),
            "invalid-proof"
        );
    }
}

#[test]
fn a_tampered_nonce_or_channel_binding_is_refused() {
    let mut client = ScramClient::new(ScramHash::Sha256, "alice", "pw", "cliNonce");
    let server = server_for(ScramHash::Sha256, "pw", &client.client_first());
    let client_final = client.client_final(server.server_first()).expect("final");
    let other_nonce = client_final.replace("srvNonce", "srvNoncf");
    assert_eq!(
        server.finish(other_nonce.as_bytes()),
        Err(ServerError::NonceMismatch)
    );
    let other_binding = client_final.replace("c=biws", "c=eSws");
    assert_eq!(
        server.finish(other_binding.as_bytes()),
        Err(ServerError::ChannelBindingMismatch)
    );
    let short_proof = format!("{},p=AAAA", client_final.rsplit_once(',').expect(",").0);
    assert_eq!(
        server.finish(short_proof.as_bytes()),
        Err(ServerError::InvalidProof)
    );
}

#[test]
fn the_client_refuses_a_server_that_does_not_extend_its_nonce() {
    let mut client = ScramClient::new(ScramHash::Sha256, "user", "pencil", "abc");
    for server_first in [
        "r=xyz123,s=QSXCR+Q6sek8bf92,i=4096",
        "r=abc,s=QSXCR+Q6sek8bf92,i=4096",
    ] {
        assert_eq!(
            client.client_final(server_first),
            Err(ScramError::NonceMismatch)
        );
    }
}

#[test]
fn the_client_refuses_malformed_and_hostile_server_messages() {
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
fn user_names_are_escaped_by_the_client() {
    let client = ScramClient::new(ScramHash::Sha1, "a=b,c", "p", "n");
    assert_eq!(client.client_first(), "n,,n=a=3Db=2Cc,r=n");
}

#[test]
fn malformed_client_first_messages_are_refused() {
    let cases: [(&[u8], ServerError); 11] = [
        (b"", ServerError::Malformed("no GS2 header (`n,,`)")),
        (
            b"n,n=user,r=x",
            ServerError::Malformed("bad authorization identity in the GS2 header"),
        ),
        (
            b"x,,n=user,r=x",
            ServerError::Malformed("GS2 flag is not `n`, `y` or `p=`"),
        ),
        (
            b"p=tls-unique,,n=user,r=x",
            ServerError::ChannelBindingNotSupported,
        ),
        (b"n,a=admin,n=user,r=x", ServerError::AuthzidNotSupported),
        (b"n,,m=ext,n=user,r=x", ServerError::UnsupportedExtension),
        (
            b"n,,r=x,n=user",
            ServerError::Malformed("no user name (n=)"),
        ),
        (
            b"n,,n=us=er,r=x",
            ServerError::Malformed("bad `=` escape in n="),
        ),
        (
            b"n,,n=user",
            ServerError::Malformed("no nonce (r=) after the user name"),
        ),
        (
            b"n,,n=user,r=a b",
            ServerError::Malformed("the nonce is empty or not printable"),
        ),
        (b"n,,n=\xff,r=x", ServerError::NotUtf8),
    ];
    for (message, expected) in cases {
        assert_eq!(
            ClientFirst::parse(message),
            Err(expected),
            "{}",
            String::from_utf8_lossy(message)
        );
    }
    let accepted = ClientFirst::parse(b"y,,n=user,r=x,ext=1").expect("y flag and an extension");
    assert_eq!(accepted.username, "user");
}

#[test]
fn malformed_client_final_messages_are_refused() {
    let server = server_for(ScramHash::Sha1, "pw", "n,,n=user,r=cli");
    let cases: [(&str, ServerError); 5] = [
        ("", ServerError::Malformed("no proof (p=) at the end")),
        (
            "c=biws,r=clisrvNonce+/=",
            ServerError::Malformed("no proof (p=) at the end"),
        ),
        (
            "r=clisrvNonce+/=,p=AAAA",
            ServerError::Malformed("no channel binding (c=) first"),
        ),
        (
            "c=biws,p=AAAA",
            ServerError::Malformed("no nonce (r=) after the channel binding"),
        ),
        (
            "c=biws,r=clisrvNonce+/=,p=***",
            ServerError::Malformed("the proof is not base64"),
        ),
    ];
    for (message, expected) in cases {
        assert_eq!(
            server.finish(message.as_bytes()),
            Err(expected),
            "{message}"
        );
    }
}

#[test]
fn the_server_checks_its_own_inputs() {
    let first = ClientFirst::parse(b"n,,n=user,r=cli").expect("client-first");
    let sha1 = StoredCredentials::derive(ScramHash::Sha1, "pw", SALT, 16);
    assert!(matches!(
        ScramServer::start(ScramHash::Sha256, first.clone(), sha1.clone(), "nonce"),
        Err(ServerError::HashMismatch { .. })
    ));
    assert!(matches!(
        ScramServer::start(ScramHash::Sha1, first, sha1, "a,b"),
        Err(ServerError::BadServerNonce)
    ));
}

#[test]
fn stored_credential_lines_are_checked() {
    let good = StoredCredentials::derive(ScramHash::Sha512, "pw", SALT, 4096).to_line();
    assert!(good.starts_with("$scram-sha-512$4096$"), "{good}");
    assert!(StoredCredentials::looks_like_line(&good));
    let sha1_keys = StoredCredentials::derive(ScramHash::Sha1, "pw", SALT, 1).to_line();
    let (_, sha1_tail) = sha1_keys.split_at(sha1_keys.find("$c2l4").expect("salt"));
    let cases = [
        ("$scram-sha-256$4096$c2FsdA==", CredentialsError::Shape),
        (
            "$scram-md5$1$c2FsdA==$AA==$AA==",
            CredentialsError::UnknownHash("scram-md5".into()),
        ),
        (
            "$scram-sha-1$0$c2FsdA==$AA==$AA==",
            CredentialsError::Iterations,
        ),
        (
            "$scram-sha-1$x$c2FsdA==$AA==$AA==",
            CredentialsError::Iterations,
        ),
        (
            "$scram-sha-1$1$!!$AA==$AA==",
            CredentialsError::Base64("salt"),
        ),
        ("$scram-sha-1$1$$AA==$AA==", CredentialsError::EmptySalt),
        (
            "$scram-sha-1$1$c2FsdA==$AA==$AA==",
            CredentialsError::KeyLength("StoredKey"),
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(StoredCredentials::parse_line(line), Err(expected), "{line}");
    }
    let wrong_hash = format!("$scram-sha-256$1{sha1_tail}");
    assert_eq!(
        StoredCredentials::parse_line(&wrong_hash),
        Err(CredentialsError::KeyLength("StoredKey"))
    );
}
