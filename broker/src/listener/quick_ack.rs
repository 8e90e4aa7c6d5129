//! A TCP stream that acknowledges what it reads at once (Linux `TCP_QUICKACK`) when
//! no reply is likely to carry the acknowledgement.
//!
//! Many MQTT clients leave Nagle's algorithm on. A client publishing at QoS 0 gets
//! nothing back from the broker, so the ACK for its last small segment is the only
//! thing that lets Nagle release the next one, and Linux delays that ACK by up to
//! 40 ms when no data goes back to carry it. Re-arming `TCP_QUICKACK` after a read
//! sends that ACK straight away. The flag is not sticky (the kernel falls back to
//! delayed ACKs on its own), hence once per read that returned data. It is skipped
//! when the broker wrote to this client after each of the last [`STEADY_REPLIES`]
//! reads: a connection that answers what it reads (PUBACK at QoS 1) or streams
//! messages to the client sends its ACKs with that data anyway, and an extra bare ACK
//! would only cost both ends a packet. One reply is not enough to skip: CONNACK and
//! SUBACK are followed by a stream of QoS 0 publishes that nothing answers, and the
//! first of them would wait for a delayed ACK.

use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// After this many reads in a row each followed by a write, replies are expected to
/// carry the ACKs.
const STEADY_REPLIES: u8 = 2;

/// A TCP stream whose reads are acknowledged at once when no reply goes with them.
pub(super) struct QuickAckStream {
    stream: TcpStream,
    /// Bytes were written since the last read that returned data.
    wrote: bool,
    /// Reads in a row followed by a write, up to [`STEADY_REPLIES`].
    replied_reads: u8,
}

impl QuickAckStream {
    pub(super) fn new(stream: TcpStream) -> Self {
        Self {
            stream,
            wrote: false,
            replied_reads: 0,
        }
    }

    /// Asks the kernel to acknowledge now what was just read.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn acknowledge_now(&self) {
        // Best effort: if it fails, delayed ACKs are merely slower, not wrong.
        let _ = self.stream.set_quickack(true);
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    fn acknowledge_now(&self) {}
}

impl AsyncRead for QuickAckStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let this = self.get_mut();
        ready!(Pin::new(&mut this.stream).poll_read(cx, buf))?;
        if buf.filled().len() > before {
            this.replied_reads = match this.wrote {
                true => (this.replied_reads + 1).min(STEADY_REPLIES),
                false => 0,
            };
            this.wrote = false;
            if this.replied_reads < STEADY_REPLIES {
                this.acknowledge_now();
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for QuickAckStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let written = ready!(Pin::new(&mut this.stream).poll_write(cx, buf))?;
        this.wrote |= written > 0;
        Poll::Ready(Ok(written))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let written = ready!(Pin::new(&mut this.stream).poll_write_vectored(cx, bufs))?;
        this.wrote |= written > 0;
        Poll::Ready(Ok(written))
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
