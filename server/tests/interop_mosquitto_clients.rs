//! The broker as Eclipse Mosquitto's command-line clients (`mosquitto_pub`,
//! `mosquitto_sub`, Debian's package) see it, speaking MQTT 3.1, 3.1.1 and 5.0: round
//! trips at each QoS, retained messages, wills, v5 properties, mixed versions, the
//! Mosquitto-named `$SYS` topics, and the MQTT 3.1 client-identifier limit.
//! `mosquitto_sub -d` reports its SUBACK, which is how a test knows it may publish.

mod binary_support;
mod interop_support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use interop_support::{missing, run, Broker, Finished, Spawned, CLIENT_DEADLINE};

const PUB: &str = "/usr/bin/mosquitto_pub";
const SUB: &str = "/usr/bin/mosquitto_sub";
const VERSIONS: [&str; 3] = ["mqttv31", "mqttv311", "mqttv5"];
/// Printed before each received message; fields follow, separated by `|`.
const MESSAGE_MARK: &str = "MSG|";
const FIELDS: &str = "MSG|%t|%p|%q|%r";

/// Makes `mosquitto_sub`'s piped stdout line-buffered (it is `exec`'d, so killing the
/// process kills `mosquitto_sub` itself).
const STDBUF: &str = "/usr/bin/stdbuf";

fn installed() -> bool {
    let absent = |tool| missing(Path::new(tool), tool, "install Debian's mosquitto-clients");
    !(absent(PUB) || absent(SUB) || missing(Path::new(STDBUF), STDBUF, "install coreutils"))
}

fn client(tool: &str, broker: &Broker, version: &str) -> Command {
    let mut command = if tool == SUB {
        // Without line buffering "Subscribed" would only show when the process ends.
        let mut command = Command::new(STDBUF);
        command.args(["-oL", SUB]);
        command
    } else {
        Command::new(tool)
    };
    command.args([
        "-h",
        "127.0.0.1",
        "-p",
        &broker.tcp_port.to_string(),
        "-V",
        version,
    ]);
    command
}

/// Runs `mosquitto_pub` to completion and checks it succeeded.
fn publish(broker: &Broker, version: &str, args: &[&str]) {
    let finished = run(client(PUB, broker, version).args(args));
    assert!(
        finished.status.success(),
        "mosquitto_pub {args:?}: {finished:#?}"
    );
}

/// A running `mosquitto_sub` that has had its SUBACK.
struct Subscription {
    process: Spawned,
    /// The granted QoS list as printed after "Subscribed (mid: N): ".
    granted: String,
}

impl Subscription {
    /// Subscribes with `args` (topics, `-C`, `-W`, …) printing messages as `format`.
    fn start_with(broker: &Broker, version: &str, format: &str, args: &[&str]) -> Self {
        let mut process = Spawned::start(
            client(SUB, broker, version)
                .args(["-d", "-F", format])
                .args(args),
        );
        let line = process.wait_for_line("Subscribed (mid");
        let granted = line
            .split_once("): ")
            .map(|(_, granted)| granted.trim().to_owned())
            .unwrap_or_default();
        Self { process, granted }
    }

    fn start(broker: &Broker, version: &str, args: &[&str]) -> Self {
        Self::start_with(broker, version, FIELDS, args)
    }

    /// Waits for `mosquitto_sub` to exit (its `-C` count reached) and returns the
    /// fields of each message it printed.
    fn messages(self) -> Vec<Vec<String>> {
        let finished = self.process.finish(CLIENT_DEADLINE);
        assert!(finished.status.success(), "mosquitto_sub: {finished:#?}");
        fields(&finished)
    }
}

fn fields(finished: &Finished) -> Vec<Vec<String>> {
    finished
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix(MESSAGE_MARK))
        .map(|line| line.split('|').map(str::to_owned).collect())
        .collect()
}

fn row(fields: &[&str]) -> Vec<String> {
    fields.iter().map(|&field| field.to_owned()).collect()
}

#[test]
fn messages_at_qos_0_1_2_round_trip_in_3_1_3_1_1_and_5() {
    if !installed() {
        return;
    }
    let broker = Broker::start();
    for version in VERSIONS {
        let topic = format!("interop/mosquitto/round-trip/{version}");
        let filter = format!("{topic}/#");
        let subscription = Subscription::start(
            &broker,
            version,
            &["-t", &filter, "-q", "2", "-C", "3", "-W", "10"],
        );
        assert_eq!(subscription.granted, "2", "{version}");
        for qos in ["0", "1", "2"] {
            let payload = format!("qos {qos} in {version}");
            publish(
                &broker,
                version,
                &["-t", &format!("{topic}/q{qos}"), "-q", qos, "-m", &payload],
            );
        }
        let expected: Vec<Vec<String>> = ["0", "1", "2"]
            .map(|qos| {
                row(&[
                    &format!("{topic}/q{qos}"),
                    &format!("qos {qos} in {version}"),
                    qos,
                    "0",
                ])
            })
            .into();
        assert_eq!(subscription.messages(), expected, "{version}");
    }
    broker.stop();
}

#[test]
fn clients_of_different_versions_get_each_others_messages() {
    if !installed() {
        return;
    }
    let broker = Broker::start();
    for subscriber in VERSIONS {
        let topic = format!("interop/mosquitto/mixed/to-{subscriber}");
        let subscription = Subscription::start(
            &broker,
            subscriber,
            &["-t", &topic, "-q", "1", "-C", "3", "-W", "10"],
        );
        for publisher in VERSIONS {
            publish(
                &broker,
                publisher,
                &["-t", &topic, "-q", "1", "-m", &format!("from {publisher}")],
            );
        }
        let expected: Vec<Vec<String>> = VERSIONS
            .map(|publisher| row(&[&topic, &format!("from {publisher}"), "1", "0"]))
            .into();
        assert_eq!(subscription.messages(), expected, "subscriber {subscriber}");
    }
    broker.stop();
}

#[test]
fn a_retained_message_is_delivered_on_subscribe_until_an_empty_payload_clears_it() {
    if !installed() {
        return;
    }
    let broker = Broker::start();
    for version in VERSIONS {
        let topic = format!("interop/mosquitto/retained/{version}");
        publish(
            &broker,
            version,
            &["-t", &topic, "-q", "1", "-r", "-m", "kept"],
        );
        let later = Subscription::start(
            &broker,
            version,
            &["-t", &topic, "-q", "1", "-C", "1", "-W", "10"],
        );
        assert_eq!(
            later.messages(),
            [row(&[&topic, "kept", "1", "1"])],
            "{version}"
        );

        publish(&broker, version, &["-t", &topic, "-q", "1", "-r", "-n"]);
        let after_clear = Subscription::start(
            &broker,
            version,
            &["-t", &topic, "-q", "1", "-C", "1", "-W", "10"],
        );
        publish(&broker, version, &["-t", &topic, "-q", "1", "-m", "live"]);
        assert_eq!(
            after_clear.messages(),
            [row(&[&topic, "live", "1", "0"])],
            "nothing retained is left before the live message ({version})"
        );
    }
    broker.stop();
}

#[test]
fn the_will_of_a_killed_client_is_published_and_a_polite_clients_is_not() {
    if !installed() {
        return;
    }
    let broker = Broker::start();
    for version in VERSIONS {
        let topic = format!("interop/mosquitto/will/{version}");
        let watcher = Subscription::start(
            &broker,
            version,
            &["-t", &topic, "-q", "1", "-C", "2", "-W", "10"],
        );
        let victim = Subscription::start(
            &broker,
            version,
            &[
                "-t",
                "interop/mosquitto/elsewhere",
                "--will-topic",
                &topic,
                "--will-payload",
                "crashed",
                "--will-qos",
                "1",
            ],
        );
        publish(
            &broker,
            version,
            &[
                "-t",
                "interop/mosquitto/elsewhere",
                "-m",
                "bye",
                "--will-topic",
                &topic,
                "--will-payload",
                "polite",
                "--will-qos",
                "1",
            ],
        );
        publish(&broker, version, &["-t", &topic, "-q", "1", "-m", "marker"]);
        // SIGKILL: the kernel closes the socket, no DISCONNECT is sent.
        victim.process.kill();
        assert_eq!(
            watcher.messages(),
            [
                row(&[&topic, "marker", "1", "0"]),
                row(&[&topic, "crashed", "1", "0"])
            ],
            "{version}"
        );
    }
    broker.stop();
}

#[test]
fn v5_properties_set_by_mosquitto_pub_reach_mosquitto_sub_unchanged() {
    if !installed() {
        return;
    }
    let broker = Broker::start();
    let topic = "interop/mosquitto/properties";
    let subscription = Subscription::start_with(
        &broker,
        "mqttv5",
        "MSG|%p|%C|%R|%D|%P|%F",
        &["-t", topic, "-q", "1", "-C", "1", "-W", "10"],
    );
    publish(
        &broker,
        "mqttv5",
        &[
            "-t",
            topic,
            "-q",
            "1",
            "-m",
            "{\"on\": true}",
            "-D",
            "publish",
            "content-type",
            "application/json",
            "-D",
            "publish",
            "response-topic",
            "interop/mosquitto/reply",
            "-D",
            "publish",
            "correlation-data",
            "req-42",
            "-D",
            "publish",
            "payload-format-indicator",
            "1",
            "-D",
            "publish",
            "user-property",
            "colour",
            "green",
            "-D",
            "publish",
            "user-property",
            "colour",
            "blue",
        ],
    );
    let messages = subscription.messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let message = &messages[0];
    assert_eq!(message[0], "{\"on\": true}", "{message:?}");
    assert_eq!(message[1], "application/json", "{message:?}");
    assert_eq!(message[2], "interop/mosquitto/reply", "{message:?}");
    assert_eq!(message[3], "req-42", "{message:?}");
    assert_eq!(message[4], "colour:green colour:blue", "{message:?}");
    assert_eq!(message[5], "1", "{message:?}");
    broker.stop();
}

#[test]
fn sys_topics_carry_mosquittos_names_and_are_retained() {
    if !installed() {
        return;
    }
    let broker = Broker::start();
    // The next live update counts both clients now connected: the reader and this one
    // (checked first, while no other client has come and gone).
    let idle = Subscription::start(&broker, "mqttv311", &["-t", "interop/mosquitto/idle"]);
    let connected = Subscription::start(
        &broker,
        "mqttv311",
        &[
            "-t",
            "$SYS/broker/clients/connected",
            "-R",
            "-C",
            "1",
            "-W",
            "15",
        ],
    );
    assert_eq!(
        connected.messages(),
        [row(&["$SYS/broker/clients/connected", "2", "0", "0"])]
    );
    drop(idle);

    // Retained, so a subscriber has the version at once instead of after the interval.
    let asked = Instant::now();
    let version = Subscription::start(
        &broker,
        "mqttv31",
        &["-t", "$SYS/broker/version", "-C", "1", "-W", "15"],
    );
    let version = version.messages();
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "took {:?}",
        asked.elapsed()
    );
    assert_eq!(version.len(), 1, "{version:?}");
    assert!(version[0][1].starts_with("mqttdeck "), "{version:?}");
    assert_eq!(version[0][3], "1", "delivered as retained: {version:?}");

    broker.stop();
}

#[test]
fn a_hash_subscription_does_not_receive_sys_topics() {
    if !installed() {
        return;
    }
    let broker = Broker::start();
    let everything = Subscription::start(&broker, "mqttv311", &["-t", "#", "-C", "1", "-W", "10"]);
    publish(
        &broker,
        "mqttv311",
        &["-t", "interop/mosquitto/plain", "-m", "first"],
    );
    assert_eq!(
        everything.messages(),
        [row(&["interop/mosquitto/plain", "first", "0", "0"])]
    );
    broker.stop();
}

#[test]
fn an_mqtt_3_1_client_id_longer_than_23_characters_is_rejected() {
    if !installed() {
        return;
    }
    let broker = Broker::start();
    let long_id = "interop-client-id-24-chr";
    assert_eq!(long_id.len(), 24);
    let args = ["-i", long_id, "-t", "interop/mosquitto/id", "-m", "x"];
    let v31 = run(client(PUB, &broker, "mqttv31").args(args));
    assert!(!v31.status.success(), "{v31:#?}");
    assert!(v31.stderr.contains("identifier rejected"), "{v31:#?}");
    // MQTT 3.1.1 lifts the limit; the same identifier is accepted there.
    publish(&broker, "mqttv311", &args);
    broker.stop();
}
