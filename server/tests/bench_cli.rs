//! `mqttdeck bench` against `mqttdeck broker`, as a user runs it: the end-to-end mode
//! reports messages flowing with nothing lost and no errors, and the connection mode
//! reports every client connected and held. No timing is asserted, only that the
//! numbers describe a working run.

mod binary_support;

use binary_support::{run_to_end, Running};

fn start_broker() -> (Running, String) {
    let mut broker = Running::start(&["broker", "--mqtt", "127.0.0.1:0", "--ws", "off"]);
    let addr = broker.value_after("MQTT over TCP on ");
    let port = addr
        .rsplit(':')
        .next()
        .unwrap_or_else(|| panic!("no port in {addr}"))
        .to_owned();
    (broker, port)
}

#[test]
fn pubsub_reports_a_message_rate_and_no_errors() {
    let (_broker, port) = start_broker();
    let (status, stdout, stderr) = run_to_end(
        &[
            "bench",
            "pubsub",
            "--port",
            &port,
            "--publishers",
            "2",
            "--subscribers",
            "2",
            "--qos",
            "1",
            "--duration",
            "1",
            "--json",
        ],
        "",
    );
    assert!(status.success(), "bench failed: {stdout}\n{stderr}");
    let report: serde_json::Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|error| panic!("not a JSON report ({error}): {stdout}\n{stderr}"));
    assert_eq!(report["errors"], 0, "{report}");
    assert_eq!(report["connections"]["connected"], 4, "{report}");
    let sent = report["publish"]["messages"].as_u64().unwrap_or(0);
    let received = &report["receive"];
    assert!(sent > 0, "nothing published: {report}");
    assert!(
        received["per_second"].as_f64().unwrap_or(0.0) > 0.0,
        "{report}"
    );
    // QoS 1, each subscriber following one publisher: every message arrives.
    assert_eq!(received["expected"].as_u64(), Some(sent), "{report}");
    assert_eq!(received["lost"], 0, "{report}");
    assert!(received["latency"]["p99_ms"].as_f64().is_some(), "{report}");
}

#[test]
fn conn_connects_every_client_and_holds_them() {
    let (_broker, port) = start_broker();
    let (status, stdout, stderr) = run_to_end(
        &[
            "bench",
            "conn",
            "--port",
            &port,
            "--clients",
            "20",
            "--duration",
            "0.3",
            "--version",
            "5",
        ],
        "",
    );
    assert!(status.success(), "bench failed: {stdout}\n{stderr}");
    assert!(stdout.contains("20 of 20"), "{stdout}");
    assert!(stdout.contains("20 still open at the end"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|line| line.split_whitespace().eq(["errors", "0"])),
        "{stdout}"
    );
}

#[test]
fn bench_without_a_broker_fails_with_the_reason() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port().to_string())
        .expect("a free port");
    let (status, stdout, stderr) =
        run_to_end(&["bench", "pub", "--port", &port, "--duration", "0.2"], "");
    assert!(!status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("no client could connect"), "{stderr}");
    assert!(stdout.contains("0 of 1"), "{stdout}");
}
