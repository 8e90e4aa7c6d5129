//! `/mqtt` on the app's own origin: the same MQTT over WebSocket endpoint as the
//! broker's `--ws` listener (subprotocols `mqtt` / `mqttv3.1`, binary frames, text
//! frames refused with close code 1003), so the page always has a broker at
//! `ws://<its host>/mqtt` whatever ports are free.

use std::future::ready;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use broker::listener::ws_handshake::choose_subprotocol;
use broker::ws_io::{WsIncoming, WsIo, WsOutgoing};
use broker::{ConnectionInfo, Transport};
use futures_util::{SinkExt, StreamExt};

use super::BrokerHandle;

/// Upgrades to WebSocket and serves MQTT over it, within the broker's connection limit.
pub async fn mqtt_over_websocket(
    State(handle): State<BrokerHandle>,
    ConnectInfo(remote): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    // From the raw header: the client's order of preference matters.
    let offered = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|value| value.to_str().ok());
    let subprotocol = match choose_subprotocol(offered) {
        Ok(subprotocol) => subprotocol,
        Err(refusal) => return (StatusCode::BAD_REQUEST, refusal.reason).into_response(),
    };
    let Some(permit) = handle.gate.try_enter() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "the broker's connection limit is reached",
        )
            .into_response();
    };
    let limit = broker::listener::ws::mqtt_websocket_config(handle.max_packet_size)
        .max_message_size
        .unwrap_or(handle.max_packet_size);
    let upgrade = upgrade
        .read_buffer_size(8 * 1024)
        .max_message_size(limit)
        .max_frame_size(limit)
        .protocols(subprotocol);
    let info = ConnectionInfo {
        remote,
        transport: Transport::WebSocket,
    };
    upgrade.on_upgrade(move |socket| async move {
        handle
            .broker
            .serve_connection(axum_io(socket, handle.ws_frame_interval), info)
            .await;
        drop(permit);
    })
}

/// An axum WebSocket as the byte stream the broker reads and writes.
fn axum_io(
    socket: WebSocket,
    frame_interval: Duration,
) -> WsIo<
    impl futures_util::Stream<Item = Result<WsIncoming, axum::Error>>
        + futures_util::Sink<WsOutgoing, Error = axum::Error>
        + Unpin
        + Send,
> {
    let mapped = socket
        .with(|message| ready(Ok::<_, axum::Error>(outgoing(message))))
        .map(|result| result.map(incoming));
    WsIo::new(mapped, frame_interval)
}

fn incoming(message: Message) -> WsIncoming {
    match message {
        Message::Binary(bytes) => WsIncoming::Binary(bytes),
        Message::Text(_) => WsIncoming::Text,
        Message::Close(_) => WsIncoming::Close,
        Message::Ping(_) | Message::Pong(_) => WsIncoming::Control,
    }
}

fn outgoing(message: WsOutgoing) -> Message {
    match message {
        WsOutgoing::Binary(bytes) => Message::Binary(bytes),
        WsOutgoing::Close { code, reason } => Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        })),
    }
}
