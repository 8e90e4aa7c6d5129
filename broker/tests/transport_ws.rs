//! MQTT over WebSocket as clients see it: rumqttc over `ws://…/mqtt`, the subprotocol
//! negotiation, packets split over frames and frames holding several packets, text
//! frames closed with 1003, and handshakes that are not MQTT over WebSocket refused
//! with an HTTP error that says why.

mod transport_support;

use broker::Transport;
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use transport_support::{connect_v311, within, TestBroker, CONNACK_ACCEPTED, PINGREQ, PINGRESP};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn ws_url(broker: &TestBroker) -> String {
    format!("ws://127.0.0.1:{}/mqtt", broker.port(Transport::WebSocket))
}

#[tokio::test]
async fn a_v311_client_round_trips_over_websocket() {
    let broker = TestBroker::with_defaults(&[Transport::WebSocket]).await;
    let port = broker.port(Transport::WebSocket);
    let mut options = rumqttc::MqttOptions::new("ws-v4", ws_url(&broker), port);
    options.set_transport(rumqttc::Transport::Ws);
    transport_support::v4_round_trip(options, "ws/v4").await;
}

#[tokio::test]
async fn a_v5_client_round_trips_over_websocket() {
    let broker = TestBroker::with_defaults(&[Transport::WebSocket]).await;
    let port = broker.port(Transport::WebSocket);
    let mut options = rumqttc::v5::MqttOptions::new("ws-v5", ws_url(&broker), port);
    options.set_transport(rumqttc::Transport::Ws);
    transport_support::v5_round_trip(options, "ws/v5").await;
}

/// Opens a WebSocket offering `subprotocols`; returns it and the one chosen.
async fn open(broker: &TestBroker, subprotocols: Option<&str>) -> (Socket, Option<String>) {
    let mut request = ws_url(broker).into_client_request().expect("request");
    if let Some(offer) = subprotocols {
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", offer.parse().expect("header"));
    }
    let (socket, response) = within(
        "the WebSocket handshake",
        tokio_tungstenite::connect_async(request),
    )
    .await
    .expect("handshake");
    let chosen = response
        .headers()
        .get("Sec-WebSocket-Protocol")
        .map(|value| value.to_str().expect("text").to_owned());
    (socket, chosen)
}

/// Reads binary messages until `count` bytes have arrived.
async fn read_bytes(socket: &mut Socket, count: usize) -> Vec<u8> {
    within("bytes from the broker", async {
        let mut received = Vec::new();
        while received.len() < count {
            match socket.next().await {
                Some(Ok(Message::Binary(bytes))) => received.extend_from_slice(&bytes),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                other => panic!("expected binary frames, got {other:?}"),
            }
        }
        received
    })
    .await
}

#[tokio::test]
async fn subprotocols_mqtt_and_mqttv3_1_are_negotiated() {
    let broker = TestBroker::with_defaults(&[Transport::WebSocket]).await;
    let (_, chosen) = open(&broker, Some("chat, mqtt")).await;
    assert_eq!(chosen.as_deref(), Some("mqtt"));
    let (_, chosen) = open(&broker, Some("mqttv3.1")).await;
    assert_eq!(chosen.as_deref(), Some("mqttv3.1"));
    let (mut socket, chosen) = open(&broker, None).await;
    assert_eq!(chosen, None);
    socket
        .send(Message::binary(connect_v311("no-subprotocol")))
        .await
        .expect("send");
    assert_eq!(read_bytes(&mut socket, 4).await, CONNACK_ACCEPTED);
}

#[tokio::test]
async fn a_packet_may_span_frames_and_a_frame_may_hold_packets() {
    let broker = TestBroker::with_defaults(&[Transport::WebSocket]).await;
    let (mut socket, _) = open(&broker, Some("mqtt")).await;
    let connect = connect_v311("split");
    let (head, tail) = connect.split_at(5);
    socket
        .send(Message::binary(head.to_vec()))
        .await
        .expect("send");
    socket
        .send(Message::binary(tail.to_vec()))
        .await
        .expect("send");
    assert_eq!(read_bytes(&mut socket, 4).await, CONNACK_ACCEPTED);

    let two_pings = [PINGREQ, PINGREQ].concat();
    socket.send(Message::binary(two_pings)).await.expect("send");
    assert_eq!(
        read_bytes(&mut socket, 4).await,
        [PINGRESP, PINGRESP].concat()
    );
}

#[tokio::test]
async fn a_text_frame_is_closed_with_1003_and_a_reason() {
    let broker = TestBroker::with_defaults(&[Transport::WebSocket]).await;
    let (mut socket, _) = open(&broker, Some("mqtt")).await;
    socket
        .send(Message::text("CONNECT please"))
        .await
        .expect("send");
    let reply = within("the close frame", socket.next()).await;
    match reply {
        Some(Ok(Message::Close(Some(frame)))) => {
            assert_eq!(frame.code, CloseCode::Unsupported);
            assert!(frame.reason.contains("binary"), "reason: {}", frame.reason);
        }
        other => panic!("expected a close frame, got {other:?}"),
    }
}

/// Sends a raw HTTP request and returns the whole answer.
async fn http_exchange(broker: &TestBroker, request: &str) -> String {
    let mut stream = TcpStream::connect(broker.addr(Transport::WebSocket))
        .await
        .expect("connect");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    within("the HTTP answer", stream.read_to_end(&mut answer))
        .await
        .expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

const UPGRADE_HEADERS: &str = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

#[tokio::test]
async fn bad_handshakes_get_an_http_error_saying_why() {
    let broker = TestBroker::with_defaults(&[Transport::WebSocket]).await;

    let plain_get = http_exchange(&broker, "GET /mqtt HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert!(plain_get.starts_with("HTTP/1.1 426 "), "{plain_get}");
    assert!(plain_get.contains("MQTT over WebSocket"), "{plain_get}");

    let wrong_path = http_exchange(
        &broker,
        &format!("GET /ws HTTP/1.1\r\nHost: x\r\n{UPGRADE_HEADERS}\r\n"),
    )
    .await;
    assert!(wrong_path.starts_with("HTTP/1.1 404 "), "{wrong_path}");
    assert!(wrong_path.contains("/mqtt"), "{wrong_path}");

    let wrong_protocol = http_exchange(
        &broker,
        &format!("GET /mqtt HTTP/1.1\r\nHost: x\r\n{UPGRADE_HEADERS}Sec-WebSocket-Protocol: chat\r\n\r\n"),
    )
    .await;
    assert!(
        wrong_protocol.starts_with("HTTP/1.1 400 "),
        "{wrong_protocol}"
    );
    assert!(wrong_protocol.contains("\"mqtt\""), "{wrong_protocol}");

    let raw_mqtt = {
        let mut stream = TcpStream::connect(broker.addr(Transport::WebSocket))
            .await
            .expect("connect");
        stream.write_all(&connect_v311("lost")).await.expect("send");
        let mut answer = Vec::new();
        within("the answer to raw MQTT", stream.read_to_end(&mut answer))
            .await
            .expect("read");
        String::from_utf8_lossy(&answer).into_owned()
    };
    assert!(raw_mqtt.starts_with("HTTP/1.1 400 "), "{raw_mqtt}");
}
