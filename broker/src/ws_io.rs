//! MQTT over WebSocket as a byte stream. The broker core reads and writes bytes
//! (`AsyncRead + AsyncWrite`); a WebSocket carries messages. [`WsIo`] turns a stream
//! and sink of [`WsIncoming`] / [`WsOutgoing`] into bytes, so one MQTT packet may span
//! several binary frames and one frame may hold several packets (MQTT §6.0). Text
//! frames are refused with close code 1003, as the spec requires.
//!
//! Both WebSocket stacks in use map their own message types onto these two enums:
//! tokio-tungstenite here ([`tungstenite_io`]), axum's WebSocket in the server.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::{Buf, Bytes};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

/// WebSocket close code 1003: the endpoint received data it cannot accept.
pub const CLOSE_UNSUPPORTED_DATA: u16 = 1003;

/// The close reason sent to a peer that sends a text frame.
pub const TEXT_FRAME_REASON: &str = "MQTT over WebSocket uses binary frames only";

/// A WebSocket message as far as MQTT cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WsIncoming {
    /// Bytes of the MQTT stream.
    Binary(Bytes),
    /// A text frame: not allowed for MQTT, the connection is refused.
    Text,
    /// Ping, pong or anything else the WebSocket layer answers by itself.
    Control,
    /// The peer closed the WebSocket.
    Close,
}

/// What [`WsIo`] sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WsOutgoing {
    /// Bytes of the MQTT stream, as one binary frame.
    Binary(Bytes),
    /// Closes the WebSocket with a code and a human-readable reason.
    Close { code: u16, reason: &'static str },
}

/// Where the reading half stands.
#[derive(Debug)]
enum ReadState {
    Open,
    /// A text frame arrived: the close frame saying why is still to be sent.
    Refusing,
    /// The peer closed, the stream ended, or the connection was refused.
    Ended,
}

/// Bytes over WebSocket messages: see the module documentation.
pub struct WsIo<S> {
    inner: S,
    /// What is left of the last binary frame received.
    pending: Bytes,
    state: ReadState,
}

impl<S> WsIo<S> {
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            pending: Bytes::new(),
            state: ReadState::Open,
        }
    }
}

impl<S, E> WsIo<S>
where
    S: Sink<WsOutgoing, Error = E> + Unpin,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    /// Sends the close frame refusing text and flushes it; errors are moot by then.
    fn poll_refuse_text(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if ready!(self.inner.poll_ready_unpin(cx)).is_ok() {
            let close = WsOutgoing::Close {
                code: CLOSE_UNSUPPORTED_DATA,
                reason: TEXT_FRAME_REASON,
            };
            if self.inner.start_send_unpin(close).is_ok() {
                let _ = ready!(self.inner.poll_flush_unpin(cx));
            }
        }
        Poll::Ready(())
    }
}

fn to_io_error<E: Into<Box<dyn std::error::Error + Send + Sync>>>(error: E) -> io::Error {
    io::Error::other(error)
}

impl<S, E> AsyncRead for WsIo<S>
where
    S: Stream<Item = Result<WsIncoming, E>> + Sink<WsOutgoing, Error = E> + Unpin,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if !this.pending.is_empty() {
                let n = this.pending.len().min(buf.remaining());
                buf.put_slice(&this.pending[..n]);
                this.pending.advance(n);
                return Poll::Ready(Ok(()));
            }
            match this.state {
                ReadState::Ended => return Poll::Ready(Ok(())),
                ReadState::Refusing => {
                    ready!(this.poll_refuse_text(cx));
                    this.state = ReadState::Ended;
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        TEXT_FRAME_REASON,
                    )));
                }
                ReadState::Open => {}
            }
            match ready!(this.inner.poll_next_unpin(cx)) {
                None | Some(Ok(WsIncoming::Close)) => this.state = ReadState::Ended,
                Some(Err(error)) => {
                    this.state = ReadState::Ended;
                    return Poll::Ready(Err(to_io_error(error)));
                }
                Some(Ok(WsIncoming::Binary(bytes))) => this.pending = bytes,
                Some(Ok(WsIncoming::Text)) => this.state = ReadState::Refusing,
                Some(Ok(WsIncoming::Control)) => {}
            }
        }
    }
}

impl<S, E> AsyncWrite for WsIo<S>
where
    S: Sink<WsOutgoing, Error = E> + Unpin,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let this = self.get_mut();
        ready!(this.inner.poll_ready_unpin(cx)).map_err(to_io_error)?;
        this.inner
            .start_send_unpin(WsOutgoing::Binary(Bytes::copy_from_slice(buf)))
            .map_err(to_io_error)?;
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut()
            .inner
            .poll_flush_unpin(cx)
            .map_err(to_io_error)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // Closing an already closed WebSocket reports an error; the goal is reached.
        let _ = ready!(self.get_mut().inner.poll_close_unpin(cx));
        Poll::Ready(Ok(()))
    }
}

/// Classifies a tungstenite message.
pub fn incoming_from_tungstenite(message: Message) -> WsIncoming {
    match message {
        Message::Binary(bytes) => WsIncoming::Binary(bytes),
        Message::Text(_) => WsIncoming::Text,
        Message::Close(_) => WsIncoming::Close,
        Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => WsIncoming::Control,
    }
}

/// The tungstenite message for what [`WsIo`] sends.
pub fn outgoing_to_tungstenite(message: WsOutgoing) -> Message {
    match message {
        WsOutgoing::Binary(bytes) => Message::Binary(bytes),
        WsOutgoing::Close { code, reason } => Message::Close(Some(CloseFrame {
            code: CloseCode::from(code),
            reason: reason.into(),
        })),
    }
}

/// A tokio-tungstenite WebSocket as a byte stream.
pub fn tungstenite_io<T>(
    socket: WebSocketStream<T>,
) -> WsIo<
    impl Stream<Item = Result<WsIncoming, WsError>> + Sink<WsOutgoing, Error = WsError> + Unpin + Send,
>
where
    T: AsyncRead + AsyncWrite + Unpin + Send,
{
    let mapped = socket
        .with(|message| std::future::ready(Ok::<_, WsError>(outgoing_to_tungstenite(message))))
        .map(|result| result.map(incoming_from_tungstenite));
    WsIo::new(mapped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listener::ws::{accept_websocket, mqtt_websocket_config};
    use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;

    type Client = WebSocketStream<DuplexStream>;

    async fn pair() -> (
        WsIo<
            impl Stream<Item = Result<WsIncoming, WsError>>
                + Sink<WsOutgoing, Error = WsError>
                + Unpin
                + Send,
        >,
        Client,
    ) {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let mut request = "ws://localhost/mqtt"
            .into_client_request()
            .expect("request");
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", "mqtt".parse().expect("header"));
        let (client, server) = tokio::join!(
            tokio_tungstenite::client_async(request, client_end),
            accept_websocket(server_end, mqtt_websocket_config(1024 * 1024)),
        );
        let (client, response) = client.expect("client handshake");
        assert_eq!(response.headers()["Sec-WebSocket-Protocol"], "mqtt");
        (tungstenite_io(server.expect("server handshake")), client)
    }

    #[tokio::test]
    async fn frames_are_a_byte_stream_in_both_directions() {
        let (mut io, mut client) = pair().await;
        client
            .send(Message::binary(vec![1u8, 2, 3]))
            .await
            .expect("send");
        client
            .send(Message::binary(vec![4u8, 5]))
            .await
            .expect("send");
        let mut five = [0u8; 5];
        io.read_exact(&mut five).await.expect("read across frames");
        assert_eq!(five, [1, 2, 3, 4, 5]);

        client
            .send(Message::binary(vec![6u8, 7, 8, 9]))
            .await
            .expect("send");
        let mut two = [0u8; 2];
        io.read_exact(&mut two)
            .await
            .expect("first part of a frame");
        io.read_exact(&mut two).await.expect("rest of the frame");
        assert_eq!(two, [8, 9]);

        io.write_all(&[0x20, 0x02, 0x00, 0x00])
            .await
            .expect("write");
        io.flush().await.expect("flush");
        let received = client.next().await.expect("a message").expect("ok");
        assert_eq!(received, Message::binary(vec![0x20u8, 0x02, 0x00, 0x00]));
    }

    #[tokio::test]
    async fn a_text_frame_is_refused_with_close_1003() {
        let (mut io, mut client) = pair().await;
        client
            .send(Message::text("{\"hello\":1}"))
            .await
            .expect("send");
        let mut byte = [0u8; 1];
        let error = io.read(&mut byte).await.expect_err("text is refused");
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        match client.next().await {
            Some(Ok(Message::Close(Some(frame)))) => {
                assert_eq!(u16::from(frame.code), CLOSE_UNSUPPORTED_DATA);
                assert_eq!(frame.reason.as_str(), TEXT_FRAME_REASON);
            }
            other => panic!("expected a close frame, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_close_from_the_peer_ends_the_stream() {
        let (mut io, mut client) = pair().await;
        client.send(Message::binary(vec![1u8])).await.expect("send");
        client.close(None).await.expect("close");
        let mut all = Vec::new();
        io.read_to_end(&mut all).await.expect("clean end");
        assert_eq!(all, [1]);
    }
}
