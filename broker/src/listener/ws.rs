//! Opening MQTT over WebSocket on an accepted byte stream (plain TCP, or TLS for
//! `wss://`): reads the request head, answers `101` or an HTTP error that says what
//! is wrong (see [`super::ws_handshake`]), and hands back the WebSocket.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::WebSocketStream;

use super::ws_handshake::{
    error_response, examine_head, switching_protocols, HeadOutcome, Refusal,
};

/// Time a refused client is given to read the error before the socket closes.
const LINGER_AFTER_REFUSAL: Duration = Duration::from_millis(500);

/// Why a WebSocket could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum WsAcceptError {
    #[error("the peer closed the connection during the WebSocket handshake")]
    ClosedEarly,
    #[error("WebSocket handshake refused with HTTP {}: {}", .0.status, .0.reason)]
    Refused(Refusal),
    #[error("WebSocket handshake failed: {0}")]
    Io(#[from] std::io::Error),
}

/// WebSocket settings for MQTT: frames and messages bounded by the broker's packet
/// size limit (with room for several packets in one frame), and a small read buffer
/// because most connections are idle most of the time.
pub fn mqtt_websocket_config(max_packet_size: usize) -> WebSocketConfig {
    let max_message = max_packet_size.saturating_mul(2).max(64 * 1024);
    WebSocketConfig::default()
        .read_buffer_size(8 * 1024)
        .max_message_size(Some(max_message))
        .max_frame_size(Some(max_message))
}

/// Performs the server side of the opening handshake for `/mqtt`.
pub async fn accept_websocket<S>(
    mut stream: S,
    config: WebSocketConfig,
) -> Result<WebSocketStream<S>, WsAcceptError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut buffer = Vec::with_capacity(1024);
    loop {
        if stream.read_buf(&mut buffer).await? == 0 {
            return Err(WsAcceptError::ClosedEarly);
        }
        match examine_head(&buffer) {
            HeadOutcome::Incomplete => {}
            HeadOutcome::Refused(refusal) => {
                refuse(&mut stream, &refusal).await;
                return Err(WsAcceptError::Refused(refusal));
            }
            HeadOutcome::Upgrade { upgrade, head_len } => {
                stream
                    .write_all(switching_protocols(&upgrade).as_bytes())
                    .await?;
                stream.flush().await?;
                // Clients should wait for the 101, but frames sent right behind the
                // request are theirs and must not be lost.
                let early_frames = buffer.split_off(head_len.min(buffer.len()));
                let socket = WebSocketStream::from_partially_read(
                    stream,
                    early_frames,
                    Role::Server,
                    Some(config),
                )
                .await;
                return Ok(socket);
            }
        }
    }
}

/// Sends the HTTP error, then lets the client read it before the socket closes:
/// closing with unread input would reset the connection and lose the answer.
async fn refuse<S: AsyncRead + AsyncWrite + Unpin>(stream: &mut S, refusal: &Refusal) {
    if stream
        .write_all(error_response(refusal).as_bytes())
        .await
        .is_err()
    {
        return;
    }
    let _ = stream.shutdown().await;
    let mut sink = [0u8; 1024];
    let drain = async {
        while let Ok(read) = stream.read(&mut sink).await {
            if read == 0 {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(LINGER_AFTER_REFUSAL, drain).await;
}
