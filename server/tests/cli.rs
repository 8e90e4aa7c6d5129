//! The `mqttdeck` command line as a user meets it: help that lists the broker's
//! options, clear refusals of bad or non-loopback addresses, and `passwd` writing a
//! password file the broker then accepts.

mod binary_support;

use binary_support::{run_to_end, Running};

#[test]
fn help_lists_the_broker_options_and_subcommands() {
    let (status, stdout, _) = run_to_end(&["--help"], "");
    assert!(status.success());
    for expected in [
        "--http",
        "--mqtt",
        "--ws",
        "--mqtts",
        "--wss",
        "--tls-cert",
        "--tls-key",
        "--tls-self-signed",
        "--no-broker",
        "--passwords",
        "--acl",
        "--allow-remote",
        "--max-connections",
        "--max-packet-size",
        "MQTTDECK_MQTT",
        "broker",
        "passwd",
    ] {
        assert!(
            stdout.contains(expected),
            "--help lacks {expected}:\n{stdout}"
        );
    }
    let (status, stdout, _) = run_to_end(&["broker", "--help"], "");
    assert!(status.success());
    assert!(
        stdout.contains("--passwords") && !stdout.contains("--http"),
        "{stdout}"
    );
}

#[test]
fn a_non_loopback_address_needs_allow_remote() {
    let (status, _, stderr) = run_to_end(&["broker", "--mqtt", "0.0.0.0:0", "--ws", "off"], "");
    assert!(!status.success());
    assert!(
        stderr.contains("0.0.0.0:0") && stderr.contains("--allow-remote"),
        "{stderr}"
    );
    let (status, _, stderr) = run_to_end(&["--http", "0.0.0.0:0", "--no-broker"], "");
    assert!(!status.success());
    assert!(stderr.contains("--allow-remote"), "{stderr}");
}

#[test]
fn a_malformed_address_is_explained() {
    let (status, _, stderr) = run_to_end(&["broker", "--mqtt", "localhost:1883"], "");
    assert_eq!(status.code(), Some(2));
    assert!(stderr.contains("expected IP:PORT"), "{stderr}");
}

#[test]
fn tls_listeners_without_a_certificate_are_refused() {
    let (status, _, stderr) = run_to_end(
        &[
            "broker",
            "--mqtt",
            "off",
            "--ws",
            "off",
            "--mqtts",
            "127.0.0.1:0",
        ],
        "",
    );
    assert!(!status.success());
    assert!(stderr.contains("--tls-self-signed"), "{stderr}");
}

#[test]
fn a_broken_password_file_names_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("passwords");
    std::fs::write(&file, "# users\nalice\n").expect("write");
    let path = file.to_string_lossy().into_owned();
    let (status, _, stderr) = run_to_end(
        &[
            "broker",
            "--mqtt",
            "127.0.0.1:0",
            "--ws",
            "off",
            "--passwords",
            &path,
        ],
        "",
    );
    assert!(!status.success());
    assert!(stderr.contains(&format!("{path}:2")), "{stderr}");
}

#[test]
fn passwd_writes_a_file_the_broker_accepts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("passwords");
    let path = file.to_string_lossy().into_owned();
    let (status, stdout, stderr) = run_to_end(&["passwd", &path, "alice"], "wonderland\n");
    assert!(status.success(), "{stderr}");
    assert!(stdout.contains("added user alice"), "{stdout}");
    let (status, stdout, _) = run_to_end(&["passwd", &path, "bob", "--password", "builder"], "");
    assert!(status.success());
    assert!(stdout.contains("added user bob"), "{stdout}");
    let contents = std::fs::read_to_string(&file).expect("read");
    assert!(
        contents.contains("alice:$argon2id$") && contents.contains("bob:$argon2id$"),
        "{contents}"
    );
    assert!(
        !contents.contains("wonderland"),
        "the password is stored in clear"
    );

    let mut broker = Running::start(&[
        "broker",
        "--mqtt",
        "127.0.0.1:0",
        "--ws",
        "off",
        "--passwords",
        &path,
    ]);
    let addr = broker.value_after("MQTT over TCP on ");
    let port: u16 = addr
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        use rumqttc::v5::{
            mqttbytes::v5::ConnectReturnCode, AsyncClient, ConnectionError, Event, MqttOptions,
        };
        let mut options = MqttOptions::new("alice-1", "127.0.0.1", port);
        options.set_credentials("alice", "wonderland");
        let (_client, mut events) = AsyncClient::new(options, 10);
        let event = tokio::time::timeout(binary_support::DEADLINE, events.poll())
            .await
            .expect("in time");
        assert!(matches!(event, Ok(Event::Incoming(_))), "alice: {event:?}");

        let mut options = MqttOptions::new("alice-2", "127.0.0.1", port);
        options.set_credentials("alice", "looking-glass");
        let (_client, mut events) = AsyncClient::new(options, 10);
        let event = tokio::time::timeout(binary_support::DEADLINE, events.poll())
            .await
            .expect("in time");
        assert!(
            matches!(
                event,
                Err(ConnectionError::ConnectionRefused(
                    ConnectReturnCode::BadUserNamePassword
                ))
            ),
            "wrong password: {event:?}"
        );
    });
    let status = broker.terminate();
    assert!(
        status.success(),
        "{status:?}; log:\n{}",
        broker.log.join("\n")
    );
}

#[test]
fn passwd_refuses_an_empty_password_and_a_bad_user_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("passwords").to_string_lossy().into_owned();
    let (status, _, stderr) = run_to_end(&["passwd", &path, "alice"], "\n");
    assert!(!status.success());
    assert!(stderr.contains("empty"), "{stderr}");
    let (status, _, stderr) = run_to_end(&["passwd", &path, "a:b", "--password", "x"], "");
    assert!(!status.success());
    assert!(stderr.contains("`:`"), "{stderr}");
}
