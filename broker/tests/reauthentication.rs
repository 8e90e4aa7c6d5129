//! MQTT 5 re-authentication (§4.12.1) as a client sees it: the `mqtt` crate's
//! `ClientSession` over TCP logs in with SCRAM, then sends AUTH 0x19 and plays the
//! exchange again while it keeps publishing and receiving. Success ends with AUTH 0x00
//! carrying a server signature the client checks; a wrong password or another user
//! gets DISCONNECT 0x87, another method (or AUTH without enhanced authentication)
//! 0x8C, AUTH out of turn 0x82.

mod common;

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use mqtt::client::DisconnectReason;
use mqtt::{
    ByteStr, ClientSession, ConnectOptions, Event, OutgoingPublish, Properties, PropertyValues,
    ProtocolVersion, QoS, ReasonCode, SubscribeFilter, SubscriptionOptions,
};
use scram::{ScramClient, ScramHash, StoredCredentials};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use broker::auth::{FileAuthenticator, PasswordFile};
use broker::BrokerConfig;
use common::{TestBroker, WAIT};

const TOPIC: &str = "reauth/t";

/// alice ("wonderland") and bob ("builder") have a verifier for every hash.
async fn scram_broker() -> TestBroker {
    let mut file = String::new();
    for hash in ScramHash::ALL {
        for (user, password) in [("alice", "wonderland"), ("bob", "builder")] {
            let line = StoredCredentials::derive(hash, password, b"some salt", 4096).to_line();
            file.push_str(&format!("{user}:{line}\n"));
        }
    }
    let passwords = PasswordFile::parse(&file, "passwords").expect("password file");
    common::start_with(BrokerConfig {
        sys_interval: None,
        authenticator: Arc::new(FileAuthenticator::new(Some(passwords), None, None)),
        ..BrokerConfig::default()
    })
    .await
}

/// A connected `ClientSession` and its socket.
struct Client {
    session: ClientSession,
    stream: TcpStream,
    started: Instant,
    method: String,
}

impl Client {
    /// Connects as `user` with SCRAM (`method` is `hash`'s name), or without enhanced
    /// authentication when `hash` is `None`, and subscribes to [`TOPIC`].
    async fn connect(broker: &TestBroker, login: Option<(ScramHash, &str, &str)>) -> Client {
        let mut options = ConnectOptions::new(ProtocolVersion::V5, "reauth-client");
        options.connect_timeout_ms = 0;
        let mut scram = None;
        if let Some((hash, user, password)) = login {
            let client = ScramClient::new(hash, user, password, "firstNonce");
            options.authentication_method = Some(hash.method_name().to_owned());
            options.authentication_data = Some(Bytes::from(client.client_first().into_bytes()));
            scram = Some(client);
        }
        let mut client = Client {
            session: ClientSession::new(options),
            stream: TcpStream::connect(broker.addr).await.expect("connect"),
            started: Instant::now(),
            method: login.map_or(String::new(), |(hash, ..)| hash.method_name().to_owned()),
        };
        client.session.connect(client.now()).expect("CONNECT");
        loop {
            match client.next_event().await {
                Event::Auth { properties, .. } => {
                    let scram = scram.as_mut().expect("AUTH only with SCRAM");
                    client.answer(scram, &properties, ReasonCode::ContinueAuthentication);
                }
                Event::Connected(_) => break,
                other => panic!("expected to connect, got {other:?}"),
            }
        }
        let filter = SubscribeFilter {
            filter: ByteStr::from(TOPIC),
            options: SubscriptionOptions {
                qos: QoS::AtLeastOnce,
                ..SubscriptionOptions::default()
            },
        };
        let now = client.now();
        client
            .session
            .subscribe(now, vec![filter], Properties::default())
            .expect("SUBSCRIBE");
        assert!(matches!(
            client.next_event().await,
            Event::Subscribed { .. }
        ));
        client
    }

    fn now(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Sends whatever is queued, then reads until the session has an event worth
    /// looking at (not the packet log).
    async fn next_event(&mut self) -> Event {
        let mut buffer = vec![0u8; 4096];
        let wait = async {
            loop {
                while let Some(event) = self.session.poll_event() {
                    if !matches!(
                        event,
                        Event::PacketSent { .. } | Event::PacketReceived { .. }
                    ) {
                        return event;
                    }
                }
                while let Some(bytes) = self.session.poll_transmit() {
                    self.stream.write_all(&bytes).await.expect("write");
                }
                let now = self.now();
                match self.stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => self.session.transport_closed(now, "closed"),
                    Ok(read) => {
                        let _ = self.session.handle_bytes(now, &buffer[..read]);
                    }
                }
            }
        };
        tokio::time::timeout(WAIT, wait)
            .await
            .expect("an event within the wait")
    }

    /// Sends AUTH with `code`, naming `method`, carrying `data`.
    fn auth(&mut self, code: ReasonCode, method: &str, data: String) {
        let properties = Properties::from(PropertyValues {
            authentication_method: Some(ByteStr::from(method)),
            authentication_data: Some(Bytes::from(data.into_bytes())),
            ..PropertyValues::default()
        });
        let now = self.now();
        self.session.auth(now, code, properties).expect("AUTH");
    }

    /// Answers the broker's server-first message with the client-final message.
    fn answer(&mut self, scram: &mut ScramClient, properties: &Properties, code: ReasonCode) {
        assert_eq!(
            properties.authentication_method.as_deref(),
            Some(self.method.as_str())
        );
        let client_final = common::scram::client_final(scram, properties);
        let method = self.method.clone();
        self.auth(code, &method, client_final);
    }

    /// Starts a re-authentication as `user` with `hash`, returning the SCRAM client.
    fn start_reauth(&mut self, hash: ScramHash, user: &str, password: &str) -> ScramClient {
        let scram = ScramClient::new(hash, user, password, "againNonce");
        self.auth(
            ReasonCode::ReAuthenticate,
            hash.method_name(),
            scram.client_first(),
        );
        scram
    }

    /// Publishes `payload` to [`TOPIC`] at QoS 1.
    fn publish(&mut self, payload: &'static str) {
        let message = OutgoingPublish::new(TOPIC, payload).with_qos(QoS::AtLeastOnce);
        let now = self.now();
        self.session.publish(now, message).expect("PUBLISH");
    }

    /// Waits until both the PUBACK and the message itself (back through the
    /// subscription) arrived.
    async fn expect_round_trip(&mut self, payload: &str) {
        let (mut acknowledged, mut received) = (false, false);
        while !(acknowledged && received) {
            match self.next_event().await {
                Event::PublishComplete { code, .. } => {
                    assert_eq!(code, ReasonCode::Success);
                    acknowledged = true;
                }
                Event::Message(message) => {
                    assert_eq!(&message.payload[..], payload.as_bytes());
                    received = true;
                }
                other => panic!("expected the message's round trip, got {other:?}"),
            }
        }
    }

    /// Waits for the broker's DISCONNECT and returns its reason code.
    async fn expect_disconnect(&mut self) -> ReasonCode {
        loop {
            match self.next_event().await {
                Event::Disconnected(DisconnectReason::Server { code, .. }) => return code,
                Event::Auth { code, .. } => {
                    assert_eq!(code, ReasonCode::ContinueAuthentication)
                }
                other => panic!("expected DISCONNECT, got {other:?}"),
            }
        }
    }
}

#[tokio::test]
async fn a_client_re_authenticates_twice_while_its_messages_keep_flowing() {
    let broker = scram_broker().await;
    let mut client =
        Client::connect(&broker, Some((ScramHash::Sha256, "alice", "wonderland"))).await;
    for round in ["first", "second"] {
        let mut scram = client.start_reauth(ScramHash::Sha256, "alice", "wonderland");
        // The exchange is under way: the connection goes on under the old login.
        client.publish("during");
        let mut challenge = None;
        let (mut acknowledged, mut received) = (false, false);
        while challenge.is_none() || !acknowledged || !received {
            match client.next_event().await {
                Event::Auth { code, properties } => {
                    assert_eq!(code, ReasonCode::ContinueAuthentication, "{round}");
                    challenge = Some(properties);
                }
                Event::PublishComplete { .. } => acknowledged = true,
                Event::Message(_) => received = true,
                other => panic!("{round}: unexpected {other:?}"),
            }
        }
        let challenge = challenge.expect("AUTH 0x18");
        client.answer(&mut scram, &challenge, ReasonCode::ContinueAuthentication);
        match client.next_event().await {
            Event::Auth { code, properties } => {
                assert_eq!(code, ReasonCode::Success, "{round}");
                assert_eq!(
                    properties.authentication_method.as_deref(),
                    Some("SCRAM-SHA-256")
                );
                let server_final = properties
                    .authentication_data
                    .clone()
                    .expect("server-final");
                let server_final = String::from_utf8(server_final.to_vec()).expect("utf-8");
                scram
                    .verify_server_final(&server_final)
                    .expect("the broker's signature is right");
            }
            other => panic!("{round}: expected AUTH 0x00, got {other:?}"),
        }
        client.publish("after");
        client.expect_round_trip("after").await;
    }
}

#[tokio::test]
async fn a_wrong_password_on_re_authentication_gets_not_authorized() {
    let broker = scram_broker().await;
    let mut client =
        Client::connect(&broker, Some((ScramHash::Sha512, "alice", "wonderland"))).await;
    let mut scram = client.start_reauth(ScramHash::Sha512, "alice", "looking-glass");
    let Event::Auth { code, properties } = client.next_event().await else {
        panic!("expected the broker's AUTH 0x18");
    };
    assert_eq!(code, ReasonCode::ContinueAuthentication);
    client.answer(&mut scram, &properties, ReasonCode::ContinueAuthentication);
    assert_eq!(client.expect_disconnect().await, ReasonCode::NotAuthorized);
}

#[tokio::test]
async fn re_authenticating_as_another_user_gets_not_authorized() {
    let broker = scram_broker().await;
    let mut client = Client::connect(&broker, Some((ScramHash::Sha1, "alice", "wonderland"))).await;
    client.start_reauth(ScramHash::Sha1, "bob", "builder");
    assert_eq!(client.expect_disconnect().await, ReasonCode::NotAuthorized);
}

#[tokio::test]
async fn re_authenticating_with_another_method_gets_bad_authentication_method() {
    let broker = scram_broker().await;
    let mut client =
        Client::connect(&broker, Some((ScramHash::Sha256, "alice", "wonderland"))).await;
    client.start_reauth(ScramHash::Sha512, "alice", "wonderland");
    assert_eq!(
        client.expect_disconnect().await,
        ReasonCode::BadAuthenticationMethod
    );
}

#[tokio::test]
async fn auth_without_enhanced_authentication_gets_bad_authentication_method() {
    let broker = common::start().await;
    let mut client = Client::connect(&broker, None).await;
    client.start_reauth(ScramHash::Sha256, "alice", "wonderland");
    assert_eq!(
        client.expect_disconnect().await,
        ReasonCode::BadAuthenticationMethod
    );
}

#[tokio::test]
async fn continuing_an_exchange_that_was_never_started_is_a_protocol_error() {
    let broker = scram_broker().await;
    let mut client =
        Client::connect(&broker, Some((ScramHash::Sha256, "alice", "wonderland"))).await;
    client.auth(
        ReasonCode::ContinueAuthentication,
        "SCRAM-SHA-256",
        "c=biws,r=x,p=AAAA".to_owned(),
    );
    assert_eq!(client.expect_disconnect().await, ReasonCode::ProtocolError);
}
