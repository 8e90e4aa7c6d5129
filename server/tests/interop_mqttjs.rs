//! The broker as MQTT.js (npm `mqtt`, the library most browser and Node tools use) sees
//! it over `ws://…/mqtt`, as an MQTT 3.1, 3.1.1 and 5.0 client: CONNACK, QoS 0/1/2 round
//! trips, retained messages, wills, shared subscriptions and No Local. Each scenario is
//! a script in `interop/mqttjs/` that prints what MQTT.js observed as JSON; these tests
//! assert on it. Needs `node` and `end2end/node_modules` (`cargo xtask setup`).

mod binary_support;
mod interop_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use binary_support::binary;
use interop_support::{missing, repo_root, run, Broker};
use serde_json::{json, Value};

/// MQTT.js protocol versions: 3 is MQTT 3.1, 4 is 3.1.1, 5 is 5.0.
const ALL_VERSIONS: [u8; 3] = [3, 4, 5];

fn node() -> Option<PathBuf> {
    let node = ["/usr/bin/node", "/usr/local/bin/node"]
        .into_iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
        .unwrap_or_else(|| PathBuf::from("/usr/bin/node"));
    if missing(&node, "node", "install Debian's nodejs package")
        || missing(
            &repo_root().join("end2end/node_modules/mqtt/package.json"),
            "MQTT.js (npm `mqtt`)",
            "run `cargo xtask setup` (npm ci in end2end/)",
        )
    {
        return None;
    }
    Some(node)
}

/// Runs `interop/mqttjs/SCRIPT.mjs` against the broker's WebSocket listener.
fn mqttjs(node: &Path, broker: &Broker, script: &str, version: u8) -> Value {
    mqttjs_with(node, broker, script, version, &[])
}

/// `script` with extra arguments after `URL VERSION`.
fn mqttjs_with(node: &Path, broker: &Broker, script: &str, version: u8, extra: &[&str]) -> Value {
    let script_path = repo_root()
        .join("interop/mqttjs")
        .join(format!("{script}.mjs"));
    run(Command::new(node)
        .arg(script_path)
        .arg(&broker.ws_url)
        .arg(version.to_string())
        .args(extra))
    .json()
}

/// `script` at each of `versions` against one broker.
fn each_version(script: &str, versions: &[u8], check: impl Fn(&Value, u8)) {
    let Some(node) = node() else { return };
    let broker = Broker::start();
    for &version in versions {
        let result = mqttjs(&node, &broker, script, version);
        check(&result, version);
    }
    broker.stop();
}

/// The payloads of a list of messages (objects with a `payload`, or bare payloads).
fn payloads(messages: &Value) -> Vec<String> {
    messages
        .as_array()
        .map(|list| {
            list.iter()
                .map(|message| match message.get("payload").unwrap_or(message) {
                    Value::String(payload) => payload.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn connack_and_qos_0_1_2_round_trip_over_websocket() {
    each_version("round_trip", &ALL_VERSIONS, |result, version| {
        let at = format!("v{version}: {result}");
        assert_eq!(result["connack"]["returnCode"], 0, "{at}");
        assert_eq!(result["connack"]["sessionPresent"], false, "{at}");
        assert_eq!(result["granted"], json!([2]), "{at}");
        let received: Vec<(Value, Value, Value)> = result["received"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|message| {
                        (
                            message["payload"].clone(),
                            message["qos"].clone(),
                            message["retain"].clone(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            received,
            [0, 1, 2].map(|qos| (
                json!(format!("payload at qos {qos}")),
                json!(qos),
                json!(false)
            )),
            "{at}"
        );
        if version == 5 {
            let properties = &result["connack"]["properties"];
            // MQTT.js enforces what the broker advertises; paho drops the connection if
            // Maximum Packet Size exceeds the protocol's limit.
            let receive_maximum = properties["receiveMaximum"].as_u64();
            assert!(
                receive_maximum.is_some_and(|maximum| (1..=1000).contains(&maximum)),
                "a modest Receive Maximum is advertised: {at}"
            );
            let packet_size = properties["maximumPacketSize"].as_u64();
            assert!(packet_size.is_none_or(|size| size <= 268_435_455), "{at}");
        }
    });
}

#[test]
fn retained_message_is_delivered_on_subscribe_and_cleared_by_an_empty_payload() {
    each_version("retained", &ALL_VERSIONS, |result, version| {
        let at = format!("v{version}: {result}");
        let delivered = &result["delivered"];
        assert_eq!(payloads(delivered), ["kept"], "{at}");
        assert_eq!(delivered[0]["retain"], true, "{at}");
        assert_eq!(delivered[0]["qos"], 1, "{at}");
        assert_eq!(result["afterClear"], json!([]), "{at}");
    });
}

#[test]
fn will_is_published_when_the_websocket_dies_and_not_after_a_normal_disconnect() {
    each_version("will", &ALL_VERSIONS, |result, version| {
        let at = format!("v{version}: {result}");
        assert_eq!(result["afterNormalDisconnect"], json!([]), "{at}");
        let will = &result["will"];
        assert!(
            will["topic"]
                .as_str()
                .is_some_and(|topic| topic.ends_with("/crash")),
            "{at}"
        );
        assert_eq!(will["payload"], "crash will", "{at}");
        assert_eq!(will["qos"], 1, "{at}");
        if version == 5 {
            assert_eq!(will["properties"]["contentType"], "text/plain", "{at}");
            assert_eq!(
                will["properties"]["userProperties"],
                json!({"why": "crashed"}),
                "{at}"
            );
        }
    });
}

#[test]
fn a_shared_subscription_gives_each_message_to_exactly_one_member() {
    each_version("shared", &[4, 5], |result, version| {
        let at = format!("v{version}: {result}");
        let count = result["count"].as_u64().unwrap_or(0) as usize;
        let all: Vec<String> = (0..count).map(|n| format!("message {n}")).collect();
        assert_eq!(result["granted"], json!([1, 1]), "{at}");
        assert_eq!(payloads(&result["seenByAll"]), all, "{at}");
        let members: Vec<Vec<String>> = result["byMember"]
            .as_array()
            .map(|list| list.iter().map(payloads).collect())
            .unwrap_or_default();
        assert_eq!(members.len(), 2, "{at}");
        assert!(
            members.iter().all(|got| !got.is_empty()),
            "both members share the load: {at}"
        );
        let mut delivered: Vec<String> = members.concat();
        delivered.sort_by_key(|payload| {
            payload
                .trim_start_matches("message ")
                .parse::<usize>()
                .unwrap_or(usize::MAX)
        });
        assert_eq!(delivered, all, "each message exactly once: {at}");
    });
}

#[test]
fn no_local_keeps_a_v5_clients_own_messages_from_it() {
    each_version("no_local", &[5, 4], |result, version| {
        let at = format!("v{version}: {result}");
        assert_eq!(payloads(&result["otherGot"]), ["own message"], "{at}");
        // MQTT 3.1.1 has no No Local: there the talker hears itself, which shows the
        // v5 result is the option at work and not a lost message.
        let expected: &[&str] = if version == 5 { &[] } else { &["own message"] };
        assert_eq!(payloads(&result["talkerGot"]), expected, "{at}");
    });
}

#[test]
fn scram_sha_256_enhanced_authentication_with_a_user_from_mqttdeck_passwd() {
    let Some(node) = node() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let passwords = dir.path().join("passwords");
    let passwords = passwords.to_str().expect("utf-8 path");
    let written = binary()
        .args(["passwd", passwords, "alice", "--scram", "sha-256"])
        .args(["--password", "wonderland"])
        .output()
        .expect("run mqttdeck passwd");
    assert!(written.status.success(), "{written:?}");
    let broker = Broker::start_with(&["--passwords", passwords]);
    let result = mqttjs_with(&node, &broker, "scram", 5, &["alice", "wonderland"]);
    assert_eq!(result["challenges"], 1, "one AUTH 0x18 challenge: {result}");
    assert_eq!(result["method"], "SCRAM-SHA-256", "{result}");
    assert_eq!(
        result["serverVerified"], true,
        "CONNACK carries the broker's valid server signature: {result}"
    );
    assert_eq!(result["received"], "after SCRAM", "{result}");
    let wrong = &result["wrongPassword"];
    assert_eq!(wrong["challenges"], 1, "{result}");
    assert_eq!(
        wrong["refusal"]["code"], 0x86,
        "a wrong password gets CONNACK 0x86: {result}"
    );
    broker.stop();
}
