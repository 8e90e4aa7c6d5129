//! MQTT over WebSocket as a byte stream. The broker core reads and writes bytes
//! (`AsyncRead + AsyncWrite`); a WebSocket carries messages. [`WsIo`] turns a stream
//! and sink of [`WsIncoming`] / [`WsOutgoing`] into bytes, so one MQTT packet may span
//! several binary frames and one frame may hold several packets (MQTT §6.0). Text
//! frames are refused with close code 1003, as the spec requires. A read takes every
//! frame already received; writes are gathered into frames sent at most once per
//! frame interval while bytes keep coming (see [`WsIo::new`]).
//!
//! Both WebSocket stacks in use map their own message types onto these two enums:
//! tokio-tungstenite here ([`tungstenite_io`]), axum's WebSocket in the server.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};
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
    /// Reading failed; the error is reported once the bytes before it are read.
    Failed(io::Error),
    /// The peer closed, the stream ended, or the connection was refused.
    Ended,
}

/// Bytes over WebSocket messages: see the module documentation.
pub struct WsIo<S> {
    inner: S,
    /// What is left of the last binary frame received.
    pending: Bytes,
    state: ReadState,
    /// Bytes written and not yet sent: the next binary frame.
    gathered: BytesMut,
    /// When the last binary frame went out.
    last_frame: Option<Instant>,
    /// While bytes keep coming, frames go out at most this often (see [`WsIo::new`]).
    frame_interval: Duration,
    /// Holds the next frame back until `frame_interval` after the last one.
    hold: Option<Pin<Box<Sleep>>>,
}

/// A frame is sent without waiting once this much is gathered.
const MAX_GATHER: usize = 64 * 1024;

impl<S> WsIo<S> {
    /// `frame_interval`: while bytes keep coming, binary frames go out at most this
    /// often, each holding all that was written meanwhile; a frame after a quiet
    /// spell goes out at once, and zero sends every flush at once. A browser pays for
    /// every WebSocket message it receives (an event and a task on the page's main
    /// thread): under a flood of small MQTT messages, a frame a millisecond instead of
    /// one per message keeps a page responsive (see `Limits::ws_frame_interval`).
    pub fn new(inner: S, frame_interval: Duration) -> Self {
        Self {
            inner,
            pending: Bytes::new(),
            state: ReadState::Open,
            gathered: BytesMut::new(),
            last_frame: None,
            frame_interval,
            hold: None,
        }
    }
}

impl<S, E> WsIo<S>
where
    S: Sink<WsOutgoing, Error = E> + Unpin,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    /// Sends what is gathered as one binary frame, now.
    fn poll_send_gathered(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.gathered.is_empty() {
            return Poll::Ready(Ok(()));
        }
        ready!(self.inner.poll_ready_unpin(cx)).map_err(to_io_error)?;
        // The whole buffer goes with the frame: an idle connection keeps none.
        let frame = std::mem::take(&mut self.gathered).freeze();
        self.inner
            .start_send_unpin(WsOutgoing::Binary(frame))
            .map_err(to_io_error)?;
        self.last_frame = Some(Instant::now());
        self.hold = None;
        Poll::Ready(Ok(()))
    }

    /// Pending while the next frame is held back (see [`WsIo::new`]).
    fn poll_hold(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let Some(last) = self.last_frame else {
            return Poll::Ready(());
        };
        let due = last + self.frame_interval;
        if self.gathered.len() >= MAX_GATHER || Instant::now() >= due {
            return Poll::Ready(());
        }
        let hold = self
            .hold
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(due)));
        hold.as_mut().poll(cx)
    }

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
    /// Fills `buf` from every frame that has already arrived, not just the first: a
    /// client such as MQTT.js sends each packet as a frame of its own, and handing the
    /// connection all of them at once lets it route them in one go, so a subscriber is
    /// woken once and gets them in one write (one WebSocket frame) rather than one by
    /// one. A text frame, close or error that follows data is reported on the next read.
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let start = buf.filled().len();
        loop {
            if !this.pending.is_empty() {
                let n = this.pending.len().min(buf.remaining());
                buf.put_slice(&this.pending[..n]);
                this.pending.advance(n);
                if buf.remaining() == 0 {
                    return Poll::Ready(Ok(()));
                }
            }
            let has_data = buf.filled().len() > start;
            match this.state {
                ReadState::Open => {}
                _ if has_data => return Poll::Ready(Ok(())),
                ReadState::Ended => return Poll::Ready(Ok(())),
                ReadState::Refusing => {
                    ready!(this.poll_refuse_text(cx));
                    this.state = ReadState::Ended;
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        TEXT_FRAME_REASON,
                    )));
                }
                ReadState::Failed(_) => {
                    let failed = std::mem::replace(&mut this.state, ReadState::Ended);
                    if let ReadState::Failed(error) = failed {
                        return Poll::Ready(Err(error));
                    }
                }
            }
            let next = match this.inner.poll_next_unpin(cx) {
                Poll::Ready(next) => next,
                Poll::Pending if has_data => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            };
            match next {
                None | Some(Ok(WsIncoming::Close)) => this.state = ReadState::Ended,
                Some(Err(error)) => this.state = ReadState::Failed(to_io_error(error)),
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
    /// Gathers `buf` into the next frame; the frame goes out on flush.
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.gathered.len() >= MAX_GATHER {
            ready!(this.poll_send_gathered(cx))?;
        }
        this.gathered.extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    /// Sends the gathered bytes as one frame, once the frame interval has passed since
    /// the last one, and flushes.
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if !this.gathered.is_empty() {
            ready!(this.poll_hold(cx));
            ready!(this.poll_send_gathered(cx))?;
        }
        this.inner.poll_flush_unpin(cx).map_err(to_io_error)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_send_gathered(cx))?;
        // Closing an already closed WebSocket reports an error; the goal is reached.
        let _ = ready!(this.inner.poll_close_unpin(cx));
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
    frame_interval: Duration,
) -> WsIo<
    impl Stream<Item = Result<WsIncoming, WsError>> + Sink<WsOutgoing, Error = WsError> + Unpin + Send,
>
where
    T: AsyncRead + AsyncWrite + Unpin + Send,
{
    let mapped = socket
        .with(|message| std::future::ready(Ok::<_, WsError>(outgoing_to_tungstenite(message))))
        .map(|result| result.map(incoming_from_tungstenite));
    WsIo::new(mapped, frame_interval)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listener::ws::{accept_websocket, mqtt_websocket_config};
    use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;

    type Client = WebSocketStream<DuplexStream>;

    /// Longer than the default: tokio's timers tick in milliseconds, and the tests
    /// tell a held frame from a prompt one by waiting a quarter of it.
    const INTERVAL: Duration = Duration::from_millis(20);

    async fn next_binary(client: &mut Client) -> Vec<u8> {
        match client.next().await {
            Some(Ok(Message::Binary(bytes))) => bytes.to_vec(),
            other => panic!("expected a binary frame, got {other:?}"),
        }
    }

    async fn pair(
        frame_interval: Duration,
    ) -> (
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
        (
            tungstenite_io(server.expect("server handshake"), frame_interval),
            client,
        )
    }

    #[tokio::test]
    async fn frames_are_a_byte_stream_in_both_directions() {
        let (mut io, mut client) = pair(INTERVAL).await;
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
    async fn one_read_takes_every_frame_already_received() {
        let (mut io, mut client) = pair(INTERVAL).await;
        for frame in [vec![1u8, 2], vec![3u8], vec![4u8, 5, 6]] {
            client.send(Message::binary(frame)).await.expect("send");
        }
        client.send(Message::text("not MQTT")).await.expect("send");
        let mut buf = [0u8; 64];
        let n = io.read(&mut buf).await.expect("read");
        assert_eq!(&buf[..n], [1, 2, 3, 4, 5, 6]);
        let error = io
            .read(&mut buf)
            .await
            .expect_err("then the text is refused");
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    }

    #[tokio::test(start_paused = true)]
    async fn writes_in_quick_succession_share_one_frame() {
        let (mut io, mut client) = pair(INTERVAL).await;
        io.write_all(&[1]).await.expect("write");
        io.flush().await.expect("a first frame goes out at once");
        assert_eq!(next_binary(&mut client).await, [1]);

        io.write_all(&[2]).await.expect("write");
        let held = tokio::time::timeout(INTERVAL / 4, io.flush()).await;
        assert!(held.is_err(), "the next frame waits out the interval");
        io.write_all(&[3, 4]).await.expect("write");
        io.flush().await.expect("flush once the interval is over");
        assert_eq!(next_binary(&mut client).await, [2, 3, 4]);

        tokio::time::sleep(INTERVAL * 2).await;
        io.write_all(&[5]).await.expect("write");
        tokio::time::timeout(INTERVAL / 4, io.flush())
            .await
            .expect("after a quiet spell a frame goes out at once")
            .expect("flush");
        assert_eq!(next_binary(&mut client).await, [5]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_zero_interval_sends_every_flush_at_once() {
        let (mut io, mut client) = pair(Duration::ZERO).await;
        for byte in [1u8, 2] {
            io.write_all(&[byte]).await.expect("write");
            tokio::time::timeout(INTERVAL / 4, io.flush())
                .await
                .expect("not held")
                .expect("flush");
        }
        assert_eq!(next_binary(&mut client).await, [1]);
        assert_eq!(next_binary(&mut client).await, [2]);
    }

    #[tokio::test]
    async fn a_text_frame_is_refused_with_close_1003() {
        let (mut io, mut client) = pair(INTERVAL).await;
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
        let (mut io, mut client) = pair(INTERVAL).await;
        client.send(Message::binary(vec![1u8])).await.expect("send");
        client.close(None).await.expect("close");
        let mut all = Vec::new();
        io.read_to_end(&mut all).await.expect("clean end");
        assert_eq!(all, [1]);
    }
}
