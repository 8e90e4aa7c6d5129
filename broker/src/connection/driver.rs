//! The connection's event loop: decode and answer what the client sent, move queued
//! messages to the socket, and wait on whichever comes first (bytes in, bytes out,
//! new messages, keep-alive expiry, takeover, shutdown); then the orderly end.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use mqtt::{Disconnect, Packet, ReasonCode};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::Sleep;

use super::error::End;
use super::io::{PacketIo, HIGH_WATER, READ_PAUSE};
use super::Connection;
use crate::session::{Departure, Mailbox};

/// What woke the connection up.
enum Wake {
    Read(std::io::Result<usize>),
    Wrote(std::io::Result<usize>),
    Flushed(std::io::Result<()>),
    /// New messages, or a kick.
    Mailbox,
    KeepAlive,
}

/// What a connection waits on besides its socket.
struct Waits {
    mailbox: Arc<Mailbox>,
    /// Whether keep alive is on.
    keep_alive: bool,
}

impl Waits {
    /// Waits for whichever comes first. While the output buffer is over its high
    /// water mark the mailbox does not wake the connection (a kick still does); far
    /// above it, the socket is not read either.
    ///
    /// Polled by hand rather than with `select!`: a waiting connection's future then
    /// holds no per-branch futures, only these borrows.
    async fn next<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        io: &mut PacketIo<S>,
        mut keep_alive: Pin<&mut Sleep>,
    ) -> Wake {
        let can_read = io.out.len() < READ_PAUSE;
        if self.mailbox.set_wants_messages(io.out.len() < HIGH_WATER) {
            return Wake::Mailbox;
        }
        if can_read {
            io.prepare_read();
        }
        std::future::poll_fn(|cx| {
            if self.mailbox.poll_woken(cx).is_ready() {
                return Poll::Ready(Wake::Mailbox);
            }
            if !io.out.is_empty() {
                if let Poll::Ready(result) = Pin::new(&mut io.stream).poll_write(cx, &io.out) {
                    return Poll::Ready(Wake::Wrote(result));
                }
            } else if io.needs_flush {
                if let Poll::Ready(result) = Pin::new(&mut io.stream).poll_flush(cx) {
                    return Poll::Ready(Wake::Flushed(result));
                }
            }
            if can_read {
                if let Poll::Ready(result) = io.poll_read_once(cx) {
                    return Poll::Ready(Wake::Read(result));
                }
            }
            if self.keep_alive && keep_alive.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Wake::KeepAlive);
            }
            Poll::Pending
        })
        .await
    }
}

/// Far enough away to mean "never" for a keep-alive timer.
const NEVER: Duration = Duration::from_secs(60 * 60 * 24 * 365);

impl Connection {
    /// Runs the connection until it ends, then detaches the session and closes.
    pub(super) async fn run<S: AsyncRead + AsyncWrite + Unpin>(
        mut self: Box<Self>,
        io: &mut PacketIo<S>,
    ) {
        let end = self.drive(io).await;
        Box::pin(self.finish(end, io)).await;
    }

    /// 1.5 × keep alive (spec 3.1.2.10), or `None` when keep alive is off.
    fn keep_alive_grace(&self) -> Option<Duration> {
        (self.keep_alive > 0).then(|| Duration::from_millis(u64::from(self.keep_alive) * 1500))
    }

    async fn drive<S: AsyncRead + AsyncWrite + Unpin>(&mut self, io: &mut PacketIo<S>) -> End {
        // Not kept in a local: whatever this future keeps, every idle connection does.
        let keep_alive = tokio::time::sleep(self.keep_alive_grace().unwrap_or(NEVER));
        tokio::pin!(keep_alive);
        let mut waits = Waits {
            mailbox: self.attached.session.mailbox.clone(),
            keep_alive: self.keep_alive > 0,
        };
        loop {
            if let Some(end) = self.step(io) {
                return end;
            }
            let wake = waits.next(io, keep_alive.as_mut()).await;
            match wake {
                Wake::Read(Ok(0)) | Wake::Wrote(Ok(0)) => return End::Closed(None),
                Wake::Read(Ok(len)) => io.received(len),
                Wake::Wrote(Ok(len)) => io.wrote(len),
                Wake::Flushed(Ok(())) => io.needs_flush = false,
                Wake::Read(Err(error)) | Wake::Wrote(Err(error)) | Wake::Flushed(Err(error)) => {
                    return End::Closed(Some(error))
                }
                Wake::Mailbox => {}
                Wake::KeepAlive => {
                    let deadline = self.last_received + self.keep_alive_grace().unwrap_or(NEVER);
                    if deadline <= Instant::now() {
                        return End::KeepAliveTimeout;
                    }
                    keep_alive.as_mut().reset(deadline.into());
                }
            }
        }
    }

    /// Everything that needs no waiting: heed a kick or shutdown, answer what was
    /// received, move queued messages out, publish the figures.
    fn step<S: AsyncRead + AsyncWrite + Unpin>(&mut self, io: &mut PacketIo<S>) -> Option<End> {
        match self.presence.kicked() {
            Some(ReasonCode::ServerShuttingDown) => return Some(End::Shutdown),
            Some(reason) => return Some(End::Kicked(reason)),
            None if self.core.is_shutting_down() => return Some(End::Shutdown),
            None => {}
        }
        let end = self.process_buffered(io);
        if end.is_none() {
            self.pump(io);
        }
        io.flush_tally(&self.core.counters);
        let state = &self.attached.state;
        self.presence
            .set_counts(state.inflight.len(), state.subscriptions.len());
        end
    }

    /// Handles the packets already decoded, until replies back up (see [`READ_PAUSE`]).
    fn process_buffered<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        io: &mut PacketIo<S>,
    ) -> Option<End> {
        let mut received_any = false;
        while io.out.len() < READ_PAUSE {
            let packet = match io.decoder.next_packet() {
                Ok(Some(packet)) => packet,
                Ok(None) => break,
                Err(error) => return Some(End::Error(error.into())),
            };
            received_any = true;
            io.tally.packets_in += 1;
            if matches!(packet, Packet::Publish(_)) {
                io.tally.publish_in += 1;
            }
            match self.handle(packet, io) {
                Ok(None) => {}
                Ok(Some(end)) => return Some(end),
                Err(error) => return Some(End::Error(error)),
            }
        }
        if received_any {
            self.last_received = Instant::now();
        }
        None
    }

    /// Tells an MQTT 5 client why (if the broker ends the connection), hands the
    /// session back, publishes or schedules the will, and closes the socket.
    async fn finish<S: AsyncRead + AsyncWrite + Unpin>(
        self: Box<Self>,
        end: End,
        io: &mut PacketIo<S>,
    ) {
        let this = *self;
        let client_id = this.client_id.clone();
        match &end {
            End::Error(error) => {
                tracing::warn!(%client_id, remote = %this.presence.info.connection.remote, "closing connection: {error}")
            }
            other => tracing::debug!(%client_id, "connection ended: {other}"),
        }
        if this.version.is_v5() {
            if let Some(code) = end.disconnect_code() {
                let mut disconnect = Disconnect::new(code);
                disconnect.properties.reason_string = Some(end.to_string().into());
                let mut packet = Packet::Disconnect(disconnect);
                if packet
                    .encoded_len(this.version)
                    .map_or(true, |len| len > this.client.max_packet_size)
                {
                    packet = Packet::Disconnect(Disconnect::new(code));
                }
                let _ = io.send(&packet);
            }
        }
        let departure = Departure {
            will: this.will.filter(|_| end.sends_will()).map(|will| *will),
            session_expiry: this.session_expiry,
        };
        let core = this.core.clone();
        core.detach(this.attached, departure);
        io.close().await;
        io.flush_tally(&core.counters);
    }
}
