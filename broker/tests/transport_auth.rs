//! Passwords and ACLs as clients see them: a password file decides who gets in
//! (CONNACK 0x05 for MQTT 3.1.1, 0x86 / 0x87 for MQTT 5 otherwise), and an ACL file
//! what they may subscribe to (SUBACK 0x80 / 0x87) and publish to (PUBACK 0x87, and
//! nobody receives the message).

mod transport_support;

use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::{PasswordHasher, SaltString};
use broker::auth::{AclFile, FileAuthenticator, PasswordFile};
use broker::{BrokerConfig, Transport};
use transport_support::{within, TestBroker};

const ACL: &str = "\
user alice
topic readwrite alice/#
topic read bob/#

user bob
topic readwrite bob/#
";

/// An argon2id hash with tiny parameters: the broker verifies with whatever the hash
/// says, and tests in debug builds should not spend seconds on the default cost.
fn cheap_hash(password: &str) -> String {
    let params = argon2::Params::new(64, 1, 1, None).expect("params");
    let hasher = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let salt = SaltString::encode_b64(b"fixed test salt").expect("salt");
    hasher
        .hash_password(password.as_bytes(), &salt)
        .expect("hash")
        .to_string()
}

async fn guarded_broker() -> TestBroker {
    let passwords = format!(
        "alice:{}\nbob:{}\n",
        cheap_hash("wonderland"),
        cheap_hash("builder")
    );
    let passwords = PasswordFile::parse(&passwords, "passwords").expect("password file");
    let acl = AclFile::parse(ACL, "acl").expect("acl file");
    let config = BrokerConfig {
        authenticator: Arc::new(FileAuthenticator::new(Some(passwords), Some(acl), None)),
        ..BrokerConfig::default()
    };
    TestBroker::start(config, &[Transport::Tcp]).await
}

fn v4_options(broker: &TestBroker, id: &str, login: Option<(&str, &str)>) -> rumqttc::MqttOptions {
    let mut options = rumqttc::MqttOptions::new(id, "127.0.0.1", broker.port(Transport::Tcp));
    if let Some((user, password)) = login {
        options.set_credentials(user, password);
    }
    options
}

fn v5_options(
    broker: &TestBroker,
    id: &str,
    login: Option<(&str, &str)>,
) -> rumqttc::v5::MqttOptions {
    let mut options = rumqttc::v5::MqttOptions::new(id, "127.0.0.1", broker.port(Transport::Tcp));
    if let Some((user, password)) = login {
        options.set_credentials(user, password);
    }
    options
}

async fn v4_connack_error(options: rumqttc::MqttOptions) -> rumqttc::ConnectionError {
    let (_client, mut events) = rumqttc::AsyncClient::new(options, 10);
    within("the CONNACK", events.poll())
        .await
        .expect_err("the connection should be refused")
}

async fn v5_connack_error(options: rumqttc::v5::MqttOptions) -> rumqttc::v5::ConnectionError {
    let (_client, mut events) = rumqttc::v5::AsyncClient::new(options, 10);
    within("the CONNACK", events.poll())
        .await
        .expect_err("the connection should be refused")
}

// Multi-threaded, as in the binary: password checks then leave the worker thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_right_password_lets_a_user_in() {
    let broker = guarded_broker().await;
    let options = v4_options(&broker, "alice-1", Some(("alice", "wonderland")));
    transport_support::v4_round_trip(options, "alice/notes").await;
    let options = v5_options(&broker, "bob-1", Some(("bob", "builder")));
    transport_support::v5_round_trip(options, "bob/notes").await;
}

#[tokio::test]
async fn a_wrong_password_gets_connack_0x05_in_v311() {
    let broker = guarded_broker().await;
    for (user, password) in [("alice", "guess"), ("mallory", "guess")] {
        let error = v4_connack_error(v4_options(&broker, "a", Some((user, password)))).await;
        assert!(
            matches!(
                error,
                rumqttc::ConnectionError::ConnectionRefused(
                    rumqttc::ConnectReturnCode::NotAuthorized
                )
            ),
            "{user}: {error:?}"
        );
    }
}

#[tokio::test]
async fn a_wrong_password_gets_connack_0x86_in_v5() {
    let broker = guarded_broker().await;
    for (user, password) in [("alice", "guess"), ("mallory", "guess")] {
        let error = v5_connack_error(v5_options(&broker, "a", Some((user, password)))).await;
        assert!(
            matches!(
                error,
                rumqttc::v5::ConnectionError::ConnectionRefused(
                    rumqttc::v5::mqttbytes::v5::ConnectReturnCode::BadUserNamePassword
                )
            ),
            "{user}: {error:?}"
        );
    }
}

#[tokio::test]
async fn anonymous_clients_are_refused_when_there_is_a_password_file() {
    let broker = guarded_broker().await;
    let error = v4_connack_error(v4_options(&broker, "anon", None)).await;
    assert!(
        matches!(
            error,
            rumqttc::ConnectionError::ConnectionRefused(rumqttc::ConnectReturnCode::NotAuthorized)
        ),
        "v3.1.1: {error:?}"
    );
    let error = v5_connack_error(v5_options(&broker, "anon", None)).await;
    assert!(
        matches!(
            error,
            rumqttc::v5::ConnectionError::ConnectionRefused(
                rumqttc::v5::mqttbytes::v5::ConnectReturnCode::NotAuthorized
            )
        ),
        "v5: {error:?}"
    );
}

#[tokio::test]
async fn a_forbidden_subscription_gets_suback_0x80_in_v311() {
    use rumqttc::{Event, Packet, QoS, SubscribeFilter, SubscribeReasonCode};
    let broker = guarded_broker().await;
    let options = v4_options(&broker, "bob-sub", Some(("bob", "builder")));
    let (client, mut events) = rumqttc::AsyncClient::new(options, 10);
    client
        .subscribe_many([
            SubscribeFilter::new("bob/#".into(), QoS::AtLeastOnce),
            SubscribeFilter::new("alice/#".into(), QoS::AtLeastOnce),
        ])
        .await
        .expect("subscribe");
    let codes = within("the SUBACK", async {
        loop {
            if let Event::Incoming(Packet::SubAck(suback)) =
                events.poll().await.expect("connection")
            {
                return suback.return_codes;
            }
        }
    })
    .await;
    assert_eq!(
        codes,
        [
            SubscribeReasonCode::Success(QoS::AtLeastOnce),
            SubscribeReasonCode::Failure
        ]
    );
}

/// rumqttc reports a refused subscription or publish as an error of the state
/// machine, carrying the reason code the broker sent.
fn v5_refusal(error: &rumqttc::v5::ConnectionError) -> Option<&rumqttc::v5::StateError> {
    match error {
        rumqttc::v5::ConnectionError::MqttState(state) => Some(state),
        _ => None,
    }
}

#[tokio::test]
async fn a_forbidden_subscription_gets_suback_0x87_in_v5() {
    use rumqttc::v5::mqttbytes::v5::{Packet, SubscribeReasonCode};
    use rumqttc::v5::mqttbytes::QoS;
    use rumqttc::v5::{Event, StateError};
    let broker = guarded_broker().await;
    let options = v5_options(&broker, "bob-sub5", Some(("bob", "builder")));
    let (client, mut events) = rumqttc::v5::AsyncClient::new(options, 10);
    client
        .subscribe("bob/+", QoS::AtMostOnce)
        .await
        .expect("subscribe");
    let codes = within("the SUBACK", async {
        loop {
            if let Event::Incoming(Packet::SubAck(suback)) =
                events.poll().await.expect("connection")
            {
                return suback.return_codes;
            }
        }
    })
    .await;
    assert_eq!(codes, [SubscribeReasonCode::Success(QoS::AtMostOnce)]);

    client
        .subscribe("#", QoS::AtMostOnce)
        .await
        .expect("subscribe");
    let error = within("the refusing SUBACK", async {
        loop {
            if let Err(error) = events.poll().await {
                return error;
            }
        }
    })
    .await;
    assert!(
        matches!(
            v5_refusal(&error),
            Some(StateError::SubFail {
                reason: SubscribeReasonCode::NotAuthorized
            })
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_forbidden_publish_gets_puback_0x87_and_reaches_nobody() {
    use rumqttc::v5::mqttbytes::v5::{Packet, PubAckReason};
    use rumqttc::v5::mqttbytes::QoS;
    use rumqttc::v5::{Event, StateError};
    let broker = guarded_broker().await;

    // Alice may read both bob/# and alice/#.
    let (alice, mut alice_events) = rumqttc::v5::AsyncClient::new(
        v5_options(&broker, "alice-reader", Some(("alice", "wonderland"))),
        10,
    );
    alice
        .subscribe("alice/#", QoS::AtLeastOnce)
        .await
        .expect("subscribe");
    alice
        .subscribe("bob/#", QoS::AtLeastOnce)
        .await
        .expect("subscribe");
    within("alice's two SUBACKs", async {
        let mut subacks = 0;
        while subacks < 2 {
            if let Event::Incoming(Packet::SubAck(_)) = alice_events.poll().await.expect("alice") {
                subacks += 1;
            }
        }
    })
    .await;

    // Bob may write bob/# only.
    let (bob, mut bob_events) = rumqttc::v5::AsyncClient::new(
        v5_options(&broker, "bob-forger", Some(("bob", "builder"))),
        10,
    );
    bob.publish("alice/inbox", QoS::AtLeastOnce, false, "forged")
        .await
        .expect("publish");
    let error = within("the refusing PUBACK", async {
        loop {
            if let Err(error) = bob_events.poll().await {
                return error;
            }
        }
    })
    .await;
    assert!(
        matches!(
            v5_refusal(&error),
            Some(StateError::PubAckFail {
                reason: PubAckReason::NotAuthorized
            })
        ),
        "{error:?}"
    );

    let (bob, mut bob_events) = rumqttc::v5::AsyncClient::new(
        v5_options(&broker, "bob-writer", Some(("bob", "builder"))),
        10,
    );
    bob.publish("bob/status", QoS::AtLeastOnce, false, "fine")
        .await
        .expect("publish");
    tokio::spawn(async move { while bob_events.poll().await.is_ok() {} });

    let first = within("the permitted message", async {
        loop {
            if let Event::Incoming(Packet::Publish(publish)) =
                alice_events.poll().await.expect("alice")
            {
                return publish;
            }
        }
    })
    .await;
    assert_eq!(&first.topic[..], b"bob/status");
    let more = tokio::time::timeout(Duration::from_millis(300), async {
        loop {
            if let Event::Incoming(Packet::Publish(publish)) =
                alice_events.poll().await.expect("alice")
            {
                return publish;
            }
        }
    })
    .await;
    assert!(
        more.is_err(),
        "the forbidden message was delivered: {more:?}"
    );
}
