//! `mqttdeck broker` and `mqttdeck` as MQTT clients see them: the logged addresses
//! are where the broker answers (TCP, WebSocket, and `/mqtt` on the app's own port),
//! `/api/broker/stats` reports connected clients, and SIGTERM tells MQTT 5 clients
//! the server is shutting down (DISCONNECT 0x8B) before the process exits cleanly.

mod binary_support;

use std::time::Duration;

use binary_support::{http_get, Running, DEADLINE};

fn port_of(addr: &str) -> u16 {
    addr.trim_start_matches("ws://")
        .split('/')
        .next()
        .and_then(|host| host.rsplit(':').next())
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("no port in {addr}"))
}

async fn v4_round_trip(options: rumqttc::MqttOptions) {
    use rumqttc::{AsyncClient, Event, Packet, QoS};
    let (client, mut events) = AsyncClient::new(options, 10);
    client
        .subscribe("deck/test", QoS::AtLeastOnce)
        .await
        .expect("subscribe");
    client
        .publish("deck/test", QoS::AtLeastOnce, false, "ping")
        .await
        .expect("publish");
    tokio::time::timeout(DEADLINE, async {
        loop {
            if let Event::Incoming(Packet::Publish(publish)) =
                events.poll().await.expect("connection")
            {
                assert_eq!(&publish.payload[..], b"ping");
                return;
            }
        }
    })
    .await
    .expect("the message came back in time");
}

#[test]
fn the_broker_subcommand_answers_over_tcp_and_websocket() {
    let mut broker = Running::start(&["broker", "--mqtt", "127.0.0.1:0", "--ws", "127.0.0.1:0"]);
    let tcp = port_of(&broker.value_after("MQTT over TCP on "));
    let ws_url = broker.value_after("MQTT over WebSocket on ");
    let ws = port_of(&ws_url);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        v4_round_trip(rumqttc::MqttOptions::new("over-tcp", "127.0.0.1", tcp)).await;
        let mut options = rumqttc::MqttOptions::new("over-ws", ws_url.clone(), ws);
        options.set_transport(rumqttc::Transport::Ws);
        v4_round_trip(options).await;
    });
    let status = broker.terminate();
    assert!(
        status.success(),
        "{status:?}; log:\n{}",
        broker.log.join("\n")
    );
}

#[test]
fn sigterm_tells_v5_clients_the_server_is_shutting_down() {
    use rumqttc::v5::mqttbytes::v5::{DisconnectReasonCode, Packet};
    use rumqttc::v5::{AsyncClient, ConnectionError, Event, MqttOptions, StateError};
    let mut broker = Running::start(&["broker", "--mqtt", "127.0.0.1:0", "--ws", "off"]);
    let tcp = port_of(&broker.value_after("MQTT over TCP on "));
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (_client, mut events) = runtime.block_on(async {
        let (client, mut events) =
            AsyncClient::new(MqttOptions::new("v5-listener", "127.0.0.1", tcp), 10);
        let connack = tokio::time::timeout(DEADLINE, events.poll())
            .await
            .expect("in time");
        assert!(
            matches!(connack, Ok(Event::Incoming(Packet::ConnAck(_)))),
            "{connack:?}"
        );
        (client, events)
    });
    let status = std::thread::scope(|scope| {
        let stopper = scope.spawn(|| broker.terminate());
        let disconnect = runtime.block_on(async {
            tokio::time::timeout(DEADLINE, async {
                loop {
                    // rumqttc reports the server's DISCONNECT as an error carrying its reason.
                    match events.poll().await {
                        Ok(Event::Incoming(Packet::Disconnect(disconnect))) => {
                            return Some(disconnect.reason_code)
                        }
                        Ok(_) => continue,
                        Err(ConnectionError::MqttState(StateError::ServerDisconnect {
                            reason_code,
                            ..
                        })) => return Some(reason_code),
                        Err(_) => return None,
                    }
                }
            })
            .await
        });
        assert_eq!(
            disconnect.expect("in time"),
            Some(DisconnectReasonCode::ServerShuttingDown)
        );
        stopper.join().expect("terminate")
    });
    assert!(status.success(), "{status:?}");
}

#[test]
fn the_app_serves_mqtt_at_its_own_origin_and_reports_stats() {
    let mut app = Running::start(&["--http", "127.0.0.1:0", "--mqtt", "off", "--ws", "off"]);
    let http = app.value_after("MQTT Deck on http://");
    let http_port = port_of(&http);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (status, body) = http_get(&http, "/api/broker/stats");
    assert_eq!(status, 200, "{body}");
    let stats: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert!(
        stats["clients"].as_array().is_some_and(Vec::is_empty),
        "{stats}"
    );

    runtime.block_on(async {
        let url = format!("ws://{http}/mqtt");
        let mut options = rumqttc::MqttOptions::new("page-origin", url, http_port);
        options.set_transport(rumqttc::Transport::Ws);
        let (client, mut events) = rumqttc::AsyncClient::new(options, 10);
        client
            .subscribe("deck/#", rumqttc::QoS::AtMostOnce)
            .await
            .expect("subscribe");
        tokio::time::timeout(DEADLINE, async {
            loop {
                if let rumqttc::Event::Incoming(rumqttc::Packet::SubAck(_)) =
                    events.poll().await.expect("connection")
                {
                    return;
                }
            }
        })
        .await
        .expect("SUBACK in time");
        let http_for_check = http.clone();
        let clients =
            tokio::task::spawn_blocking(move || http_get(&http_for_check, "/api/broker/clients"))
                .await
                .expect("request");
        assert_eq!(clients.0, 200, "{}", clients.1);
        let clients: serde_json::Value = serde_json::from_str(&clients.1).expect("json");
        let page = clients
            .as_array()
            .and_then(|list| {
                list.iter()
                    .find(|client| client["client_id"] == "page-origin")
            })
            .unwrap_or_else(|| panic!("page-origin not listed: {clients}"));
        assert_eq!(page["transport"], "web-socket", "{page}");
        assert_eq!(page["subscriptions"], 1, "{page}");
        drop(events);
        drop(client);
    });
    let status = app.terminate();
    assert!(status.success(), "{status:?}; log:\n{}", app.log.join("\n"));
    std::thread::sleep(Duration::from_millis(10));
}

#[test]
fn without_the_broker_its_api_says_so() {
    let mut app = Running::start(&["--http", "127.0.0.1:0", "--no-broker"]);
    let http = app.value_after("MQTT Deck on http://");
    let (status, body) = http_get(&http, "/api/broker/stats");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("--no-broker"), "{body}");
    let status = app.terminate();
    assert!(status.success(), "{status:?}; log:\n{}", app.log.join("\n"));
}

#[test]
fn the_apps_mqtt_endpoint_negotiates_mqtt_and_refuses_text_frames() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
    use tokio_tungstenite::tungstenite::Message;
    let mut app = Running::start(&["--http", "127.0.0.1:0", "--mqtt", "off", "--ws", "off"]);
    let http = app.value_after("MQTT Deck on http://");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let request = |offer: &str| {
            let mut request = format!("ws://{http}/mqtt").into_client_request().expect("request");
            request
                .headers_mut()
                .insert("Sec-WebSocket-Protocol", offer.parse().expect("header"));
            request
        };
        let refused = tokio_tungstenite::connect_async(request("chat")).await;
        assert!(
            matches!(&refused, Err(tokio_tungstenite::tungstenite::Error::Http(response)) if response.status() == 400),
            "{refused:?}"
        );

        let (mut socket, response) = tokio::time::timeout(DEADLINE, tokio_tungstenite::connect_async(request("mqttv3.1, mqtt")))
            .await
            .expect("in time")
            .expect("handshake");
        assert_eq!(response.headers()["Sec-WebSocket-Protocol"], "mqttv3.1");
        socket.send(Message::text("hello")).await.expect("send");
        let reply = tokio::time::timeout(DEADLINE, socket.next()).await.expect("in time");
        match reply {
            Some(Ok(Message::Close(Some(frame)))) => assert_eq!(frame.code, CloseCode::Unsupported),
            other => panic!("expected close 1003, got {other:?}"),
        }
    });
    let status = app.terminate();
    assert!(status.success(), "{status:?}; log:\n{}", app.log.join("\n"));
}
