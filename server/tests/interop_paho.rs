//! The broker as Eclipse paho-mqtt (Python, PyPI) sees it, over TCP and over WebSocket
//! (`/mqtt`), as an MQTT 3.1.1 and an MQTT 5.0 client: QoS 0/1/2 round trips, retained
//! messages, wills, v5 properties and mixed-version traffic. Each scenario is a script in
//! `interop/paho/` that prints what paho observed as JSON; these tests assert on it.
//! Needs the `.venv` that `cargo xtask setup` creates.

mod binary_support;
mod interop_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use interop_support::{missing, repo_root, run, Broker};
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug)]
enum Transport {
    Tcp,
    WebSocket,
}

const TRANSPORTS: [Transport; 2] = [Transport::Tcp, Transport::WebSocket];
const VERSIONS: [&str; 2] = ["311", "5"];

fn python() -> Option<PathBuf> {
    let python = repo_root().join(".venv/bin/python");
    let absent = missing(
        &python,
        "the paho-mqtt venv",
        "run `cargo xtask setup` to create it",
    );
    (!absent).then_some(python)
}

/// Runs `interop/paho/SCRIPT.py` against `broker` and returns the JSON it printed.
fn paho(
    python: &Path,
    broker: &Broker,
    script: &str,
    transport: Transport,
    version: &str,
) -> Value {
    let (port, transport_name) = match transport {
        Transport::Tcp => (broker.tcp_port, "tcp"),
        Transport::WebSocket => (broker.ws_port(), "websockets"),
    };
    let script_path = repo_root()
        .join("interop/paho")
        .join(format!("{script}.py"));
    run(Command::new(python)
        .arg(script_path)
        .arg(port.to_string())
        .arg(transport_name)
        .arg(version)
        .env("PYTHONDONTWRITEBYTECODE", "1"))
    .json()
}

/// Every transport × version combination of `script` against one broker.
fn each_combination(script: &str, check: impl Fn(&Value, Transport, &str)) {
    let Some(python) = python() else { return };
    let broker = Broker::start();
    for transport in TRANSPORTS {
        for version in VERSIONS {
            let result = paho(&python, &broker, script, transport, version);
            check(&result, transport, version);
        }
    }
    broker.stop();
}

fn payloads(messages: &Value) -> Vec<(String, u64)> {
    messages
        .as_array()
        .map(|list| {
            list.iter()
                .map(|message| {
                    (
                        message["payload"].as_str().unwrap_or_default().to_owned(),
                        message["qos"].as_u64().unwrap_or(99),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn qos_0_1_2_messages_come_back_once_in_order_at_their_qos() {
    each_combination("round_trip", |result, transport, version| {
        let at = format!("{transport:?} v{version}: {result}");
        assert_eq!(result["connack"], 0, "{at}");
        assert_eq!(result["granted"], json!([2]), "{at}");
        assert_eq!(
            payloads(&result["received"]),
            [
                ("payload at qos 0".to_owned(), 0),
                ("payload at qos 1".to_owned(), 1),
                ("payload at qos 2".to_owned(), 2),
            ],
            "{at}"
        );
        let retained = result["received"]
            .as_array()
            .is_some_and(|list| list.iter().any(|message| message["retain"] != false));
        assert!(!retained, "{at}");
    });
}

#[test]
fn retained_message_reaches_later_subscribers_until_an_empty_payload_clears_it() {
    each_combination("retained", |result, transport, version| {
        let at = format!("{transport:?} v{version}: {result}");
        assert_eq!(
            result["delivered"],
            json!({"payload": "kept", "retain": true, "qos": 1}),
            "{at}"
        );
        assert_eq!(result["after_clear"], json!([]), "{at}");
    });
}

#[test]
fn will_is_published_when_the_socket_dies_and_not_after_a_normal_disconnect() {
    each_combination("will", |result, transport, version| {
        let at = format!("{transport:?} v{version}: {result}");
        assert_eq!(result["after_normal_disconnect"], json!([]), "{at}");
        let will = &result["will"];
        assert!(
            will["topic"]
                .as_str()
                .is_some_and(|topic| topic.ends_with("/crash")),
            "{at}"
        );
        assert_eq!(will["payload"], "crash will", "{at}");
        assert_eq!(will["qos"], 1, "{at}");
        if version == "5" {
            assert_eq!(will["properties"]["ContentType"], "text/plain", "{at}");
            assert_eq!(
                will["properties"]["UserProperty"],
                json!([["why", "crashed"]]),
                "{at}"
            );
        }
    });
}

#[test]
fn v5_publish_properties_pass_through_unchanged() {
    let Some(python) = python() else { return };
    let broker = Broker::start();
    for transport in TRANSPORTS {
        let result = paho(&python, &broker, "properties", transport, "5");
        let at = format!("{transport:?}: {result}");
        let received = &result["received"];
        assert_eq!(received["payload"], r#"{"hello": "deck"}"#, "{at}");
        let properties = &received["properties"];
        assert_eq!(
            properties["UserProperty"],
            json!([["b", "2"], ["a", "1"], ["a", "again"], ["ünï", "cödé"]]),
            "{at}"
        );
        assert_eq!(
            properties["ContentType"], "application/json; charset=utf-8",
            "{at}"
        );
        let topic = received["topic"].as_str().unwrap_or_default();
        assert_eq!(
            properties["ResponseTopic"],
            format!("{topic}/reply"),
            "{at}"
        );
        assert_eq!(properties["CorrelationData"], "000102feff", "{at}");
        assert_eq!(properties["PayloadFormatIndicator"], 1, "{at}");
        let expiry = properties["MessageExpiryInterval"].as_u64();
        assert!(
            expiry.is_some_and(|seconds| (3590..=3600).contains(&seconds)),
            "the remaining expiry interval is sent: {at}"
        );
    }
    broker.stop();
}

#[test]
fn v5_and_v3_1_1_clients_get_each_others_messages() {
    let Some(python) = python() else { return };
    let broker = Broker::start();
    for transport in TRANSPORTS {
        // The script's own version argument is unused: it runs one client of each.
        let result = paho(&python, &broker, "mixed_versions", transport, "5");
        let at = format!("{transport:?}: {result}");
        let by_v5 = &result["v5_received"];
        assert_eq!(by_v5["payload"], "hello from 3.1.1", "{at}");
        assert_eq!(by_v5["qos"], 2, "{at}");
        assert_eq!(by_v5["properties"], json!({}), "{at}");
        let by_v311 = &result["v311_received"];
        assert_eq!(by_v311["payload"], "hello from 5", "{at}");
        assert_eq!(by_v311["qos"], 1, "{at}");
    }
    broker.stop();
}
