//! MQTT 5 enhanced authentication with SCRAM as a client sees it: the `mqtt` crate's
//! `ClientSession` over TCP, its AUTH events answered by the `scram` crate's client.
//! Success for each hash (and the broker proves it knows the verifier), a wrong
//! password or unknown user gets CONNACK 0x86, an unknown method or a broker without
//! a password file 0x8C, and an exchange left hanging ends with the connect timeout.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use mqtt::client::DisconnectReason;
use mqtt::{
    ByteStr, ClientSession, ConnectOptions, Event, Properties, PropertyValues, ProtocolVersion,
    ReasonCode,
};
use scram::{ScramClient, ScramHash, StoredCredentials};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use broker::auth::{FileAuthenticator, PasswordFile};
use broker::BrokerConfig;
use common::{TestBroker, WAIT};

/// alice has a verifier for every hash, with the password "wonderland".
async fn scram_broker(connect_timeout: Duration) -> TestBroker {
    let mut file = String::new();
    for hash in ScramHash::ALL {
        let line = StoredCredentials::derive(hash, "wonderland", b"alice salt", 4096).to_line();
        file.push_str(&format!("alice:{line}\n"));
    }
    let passwords = PasswordFile::parse(&file, "passwords").expect("password file");
    let mut config = BrokerConfig {
        sys_interval: None,
        authenticator: Arc::new(FileAuthenticator::new(Some(passwords), None, None)),
        ..BrokerConfig::default()
    };
    config.limits.connect_timeout = connect_timeout;
    common::start_with(config).await
}

/// How a connection attempt ended, as the client saw it.
#[derive(Debug)]
enum Outcome {
    /// CONNACK accepted, and the server-final message checked out.
    Connected,
    Refused {
        code: ReasonCode,
        reason: String,
    },
    Closed(Box<DisconnectReason>),
}

impl Outcome {
    /// The CONNACK refusal's code and reason string; any other outcome fails the test.
    fn refusal(self) -> (ReasonCode, String) {
        match self {
            Outcome::Refused { code, reason } => (code, reason),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}

/// What the client does with the broker's AUTH challenge.
#[derive(Clone, Copy, PartialEq)]
enum Answer {
    Scram,
    Never,
}

/// Connects with `method` and the SCRAM client-first of `user` / `password`, and plays
/// the exchange out over TCP.
async fn connect(
    broker: &TestBroker,
    method: &str,
    hash: ScramHash,
    (user, password): (&str, &str),
    answer: Answer,
) -> Outcome {
    let mut scram = ScramClient::new(hash, user, password, "clientNonce0123");
    let mut options = ConnectOptions::new(ProtocolVersion::V5, format!("scram-{method}-{user}"));
    options.authentication_method = Some(method.to_owned());
    options.authentication_data = Some(Bytes::from(scram.client_first().into_bytes()));
    options.connect_timeout_ms = 0;
    let mut session = ClientSession::new(options);
    let mut stream = TcpStream::connect(broker.addr).await.expect("connect");
    let started = Instant::now();
    let now = || started.elapsed().as_millis() as u64;
    session.connect(now()).expect("CONNECT");
    let mut buffer = vec![0u8; 4096];
    let play = async {
        loop {
            while let Some(event) = session.poll_event() {
                match event {
                    Event::Auth { code, properties } => {
                        assert_eq!(code, ReasonCode::ContinueAuthentication);
                        assert_eq!(properties.authentication_method.as_deref(), Some(method));
                        if answer == Answer::Never {
                            continue;
                        }
                        let client_final = common::scram::client_final(&mut scram, &properties);
                        let reply = Properties::from(PropertyValues {
                            authentication_method: Some(ByteStr::from(method)),
                            authentication_data: Some(Bytes::from(client_final.into_bytes())),
                            ..PropertyValues::default()
                        });
                        session
                            .auth(now(), ReasonCode::ContinueAuthentication, reply)
                            .expect("AUTH");
                    }
                    Event::Connected(info) => {
                        assert_eq!(info.authentication_method.as_deref(), Some(method));
                        let server_final = info.authentication_data.expect("server-final");
                        let server_final = String::from_utf8(server_final.to_vec()).expect("utf-8");
                        scram
                            .verify_server_final(&server_final)
                            .expect("the broker's signature is right");
                        return Outcome::Connected;
                    }
                    Event::Disconnected(DisconnectReason::Refused {
                        code, properties, ..
                    }) => {
                        let reason = properties.reason_string.as_deref().unwrap_or("").to_owned();
                        return Outcome::Refused { code, reason };
                    }
                    Event::Disconnected(other) => return Outcome::Closed(Box::new(other)),
                    _ => {}
                }
            }
            while let Some(bytes) = session.poll_transmit() {
                stream.write_all(&bytes).await.expect("write");
            }
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => session.transport_closed(now(), "closed"),
                Ok(read) => {
                    let _ = session.handle_bytes(now(), &buffer[..read]);
                }
            }
        }
    };
    tokio::time::timeout(WAIT, play)
        .await
        .expect("the exchange ends within the wait")
}

#[tokio::test]
async fn each_scram_hash_logs_in_and_the_broker_proves_it_knows_the_verifier() {
    let broker = scram_broker(Duration::from_secs(10)).await;
    for hash in ScramHash::ALL {
        let outcome = connect(
            &broker,
            hash.method_name(),
            hash,
            ("alice", "wonderland"),
            Answer::Scram,
        )
        .await;
        assert!(matches!(outcome, Outcome::Connected), "{hash}: {outcome:?}");
    }
    common::eventually("alice's client shows up with her user name", || {
        broker
            .broker
            .stats()
            .clients
            .iter()
            .any(|client| client.username.as_deref() == Some("alice"))
    })
    .await;
}

#[tokio::test]
async fn a_wrong_password_or_unknown_user_gets_bad_user_name_or_password() {
    let broker = scram_broker(Duration::from_secs(10)).await;
    for login in [("alice", "looking-glass"), ("mallory", "wonderland")] {
        let outcome = connect(
            &broker,
            "SCRAM-SHA-256",
            ScramHash::Sha256,
            login,
            Answer::Scram,
        )
        .await;
        let (code, _) = outcome.refusal();
        assert_eq!(code, ReasonCode::BadUserNameOrPassword, "{login:?}");
    }
}

#[tokio::test]
async fn an_unknown_method_gets_bad_authentication_method() {
    let broker = scram_broker(Duration::from_secs(10)).await;
    let outcome = connect(
        &broker,
        "SCRAM-SHA-384",
        ScramHash::Sha256,
        ("alice", "wonderland"),
        Answer::Scram,
    )
    .await;
    let (code, reason) = outcome.refusal();
    assert_eq!(code, ReasonCode::BadAuthenticationMethod);
    assert!(reason.contains("SCRAM-SHA-256"), "{reason}");
}

#[tokio::test]
async fn without_a_password_file_scram_is_not_offered() {
    let broker = common::start().await;
    let outcome = connect(
        &broker,
        "SCRAM-SHA-1",
        ScramHash::Sha1,
        ("alice", "wonderland"),
        Answer::Scram,
    )
    .await;
    let (code, reason) = outcome.refusal();
    assert_eq!(code, ReasonCode::BadAuthenticationMethod);
    assert!(reason.contains("--passwords"), "{reason}");
}

#[tokio::test]
async fn an_exchange_left_unanswered_ends_at_the_connect_timeout() {
    let broker = scram_broker(Duration::from_millis(300)).await;
    let outcome = connect(
        &broker,
        "SCRAM-SHA-512",
        ScramHash::Sha512,
        ("alice", "wonderland"),
        Answer::Never,
    )
    .await;
    let Outcome::Closed(reason) = &outcome else {
        panic!("expected the broker to close, got {outcome:?}");
    };
    assert!(
        matches!(**reason, DisconnectReason::TransportClosed { .. }),
        "{reason:?}"
    );
}
