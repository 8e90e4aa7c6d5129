//! The connection's event loop: decode and answer what the client sent, move queued
//! messages to the socket, and wait on whichever comes first (bytes in, bytes out,
//! new messages, or a kick: takeover, shutdown, keep-alive expiry); then the orderly
//! end. Keep alive is watched broker-wide (`crate::keep_alive`), which kicks the
//! connection, so a waiting connection carries no timer of its own.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use mqtt::{Disconnect, Packet, ReasonCode};
use tokio::io::{AsyncRead, AsyncWrite};

use super::error::End;
use super::io::{PacketIo, HIGH_WATER, READ_PAUSE};
use super::Connection;
use crate::session::Departure;

/// What woke the connection up.
enum Wake {
    Read(std::io::Result<usize>),
    Wrote(std::io::Result<usize>),
    Flushed(std::io::Result<()>),
    /// New messages, or a kick.
    Mailbox,
}

impl Connection {
    /// Runs the connection until it ends: answers what the client sends, forwards
    /// what the mailbox holds, and waits whenever neither has anything to do.
    ///
    /// One hand-written poll rather than an `async` loop around a wait: a waiting
    /// connection's future then holds just these two borrows, not a stack of nested
    /// futures each keeping its own copies of them. Whether it is waiting is kept in
    /// the connection, where it fits in padding, rather than in every task.
    pub(super) fn drive<'a, S: AsyncRead + AsyncWrite + Unpin>(
        &'a mut self,
        io: &'a mut PacketIo<S>,
    ) -> impl Future<Output = End> + 'a {
        std::future::poll_fn(move |cx| loop {
            let can_read = match self.waiting {
                Some(can_read) => can_read,
                None => {
                    if let Some(end) = self.step(io) {
                        return Poll::Ready(end);
                    }
                    let Some(can_read) = self.begin_wait(io) else {
                        continue;
                    };
                    self.waiting = Some(can_read);
                    can_read
                }
            };
            let wake = ready!(self.poll_wake(io, can_read, cx));
            self.waiting = None;
            if let Some(end) = io_outcome(io, wake) {
                return Poll::Ready(end);
            }
        })
    }

    /// Gets ready to wait: `None` when messages are already waiting (the pushes did
    /// not wake a connection whose output was backed up), else whether to read.
    /// While the output buffer is over its high water mark the mailbox does not wake
    /// the connection (a kick still does); far above it, the socket is not read
    /// either.
    fn begin_wait<S: AsyncRead + AsyncWrite + Unpin>(&self, io: &mut PacketIo<S>) -> Option<bool> {
        let mailbox = &self.attached.session.mailbox;
        if mailbox.set_wants_messages(io.out.len() < HIGH_WATER) {
            return None;
        }
        let can_read = io.out.len() < READ_PAUSE;
        if can_read {
            io.prepare_read();
        }
        Some(can_read)
    }

    /// Polls what the connection waits on, in order: the mailbox, the write (or
    /// flush), the read.
    fn poll_wake<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        io: &mut PacketIo<S>,
        can_read: bool,
        cx: &mut Context<'_>,
    ) -> Poll<Wake> {
        if self.attached.session.mailbox.poll_woken(cx).is_ready() {
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
        Poll::Pending
    }

    /// Everything that needs no waiting: heed a kick or shutdown, answer what was
    /// received, move queued messages out, publish the figures.
    fn step<S: AsyncRead + AsyncWrite + Unpin>(&mut self, io: &mut PacketIo<S>) -> Option<End> {
        match self.presence.kicked() {
            Some(ReasonCode::ServerShuttingDown) => return Some(End::Shutdown),
            Some(ReasonCode::KeepAliveTimeout) => return Some(End::KeepAliveTimeout),
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
            self.presence.received_at(self.core.uptime_millis());
        }
        None
    }

    /// Tells an MQTT 5 client why (if the broker ends the connection), hands the
    /// session back, publishes or schedules the will, and closes the socket.
    pub(super) async fn finish<S: AsyncRead + AsyncWrite + Unpin>(
        self: Box<Self>,
        end: End,
        io: &mut PacketIo<S>,
    ) {
        let this = *self;
        let client_id = this.client_id().clone();
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
                    .map_or(true, |len| len > this.client.max_packet_size())
                {
                    packet = Packet::Disconnect(Disconnect::new(code));
                }
                let _ = io.send(&packet);
            }
        }
        let departure = Departure {
            will: this.will.filter(|_| end.sends_will()),
            session_expiry: this.session_expiry,
        };
        let core = this.core.clone();
        core.detach(this.attached, departure);
        io.close().await;
        io.flush_tally(&core.counters);
    }
}

/// Takes in what a read, write or flush did; the end of the connection if it failed or
/// the peer closed.
fn io_outcome<S: AsyncRead + AsyncWrite + Unpin>(io: &mut PacketIo<S>, wake: Wake) -> Option<End> {
    match wake {
        Wake::Read(Ok(0)) | Wake::Wrote(Ok(0)) => return Some(End::Closed(None)),
        Wake::Read(Ok(len)) => io.received(len),
        Wake::Wrote(Ok(len)) => io.wrote(len),
        Wake::Flushed(Ok(())) => io.needs_flush = false,
        Wake::Read(Err(error)) | Wake::Wrote(Err(error)) | Wake::Flushed(Err(error)) => {
            return Some(End::Closed(Some(error)))
        }
        Wake::Mailbox => {}
    }
    None
}
