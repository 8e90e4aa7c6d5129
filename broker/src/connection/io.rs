//! One connection's bytes: reads feeding the streaming decoder, writes draining one
//! reusable output buffer that packets are encoded into, and the tally of what went
//! each way (added to the broker's counters in batches). Reads and writes are polled
//! on the one stream by the one task, so the stream is not split (which would cost a
//! shared allocation and a lock per read and write).

use std::future::Future;
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::{Buf, BytesMut};
use mqtt::{Decoder, EncodeError, Packet, ProtocolVersion};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};

use crate::counters::Counters;

/// Above this many bytes waiting to be written, the connection stops taking messages
/// from its mailbox until the socket drains (the mailbox then applies its bounds).
pub(super) const HIGH_WATER: usize = 64 * 1024;

/// Above this many bytes waiting to be written, the connection also stops reading from
/// the client. Far above [`HIGH_WATER`] on purpose: many clients stop reading while
/// they wait to write, so pausing reads as soon as forwarding backs up would deadlock
/// with them; only replies to the client's own packets can push the buffer this far.
pub(super) const READ_PAUSE: usize = 4 * HIGH_WATER;

const MIN_READ: u32 = 256;

/// An output buffer below this capacity is freed once written out (see
/// [`PacketIo::wrote`]).
const SMALL_OUT: usize = 64;
const MAX_READ: u32 = 64 * 1024;

/// The most a read onto the stack takes (see [`read_once`]).
const STACK_READ: usize = 4 * 1024;

/// How long a closing connection tries to get its last packets out.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// Packets and bytes moved since the last [`PacketIo::flush_tally`], which comes
/// after every wake-up (a few reads and writes of at most [`MAX_READ`] bytes), so 32
/// bits are plenty; every connection carries one.
#[derive(Debug, Default)]
pub(super) struct Tally {
    pub packets_in: u32,
    pub packets_out: u32,
    pub publish_in: u32,
    pub publish_out: u32,
    pub bytes_in: u32,
    pub bytes_out: u32,
}

impl Tally {
    pub fn add_bytes_in(&mut self, len: usize) {
        self.bytes_in = self.bytes_in.saturating_add(saturating_u32(len));
    }

    pub fn add_bytes_out(&mut self, len: usize) {
        self.bytes_out = self.bytes_out.saturating_add(saturating_u32(len));
    }
}

fn saturating_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// The framed stream of one connection.
pub(super) struct PacketIo<S> {
    pub stream: S,
    pub decoder: Decoder,
    pub read_buf: BytesMut,
    /// The size of the next read; at most [`MAX_READ`], so 32 bits, which pack beside
    /// the tally in every connection's task.
    read_size: u32,
    /// Encoded packets not yet written.
    pub out: BytesMut,
    /// Bytes were written since the last flush.
    pub needs_flush: bool,
    /// Protocol level packets are encoded with.
    pub version: ProtocolVersion,
    pub tally: Tally,
}

impl<S: AsyncRead + AsyncWrite + Unpin> PacketIo<S> {
    pub fn new(stream: S, max_packet_size: usize) -> Self {
        Self {
            stream,
            decoder: Decoder::new(max_packet_size),
            read_buf: BytesMut::new(),
            read_size: MIN_READ,
            out: BytesMut::new(),
            needs_flush: false,
            version: ProtocolVersion::V5,
            tally: Tally::default(),
        }
    }

    /// Makes room for the next read; the buffer grows while reads fill it and shrinks
    /// back when they do not. A connection reading little gets none: [`read_once`]
    /// reads onto the stack for it, so idle connections hold no read buffer.
    pub fn prepare_read(&mut self) {
        if self.read_size > MIN_READ {
            self.read_buf.reserve(self.read_size as usize);
        }
    }

    /// Hands `len` freshly read bytes to the decoder, without copying them.
    pub fn received(&mut self, len: usize) {
        self.tally.add_bytes_in(len);
        let read_size = self.read_size as usize;
        if len >= read_size {
            self.read_size = (self.read_size * 2).min(MAX_READ);
        } else if len < read_size / 4 {
            self.read_size = (self.read_size / 2).max(MIN_READ);
        }
        let chunk = if self.read_size <= MIN_READ {
            // Reading little: hand the whole buffer over (no copy, no allocation) and
            // keep no spare room.
            std::mem::take(&mut self.read_buf).freeze()
        } else {
            self.read_buf.split().freeze()
        };
        self.decoder.feed_bytes(chunk);
    }

    /// Reads once; `Ok(0)` is end of stream.
    pub async fn read_some(&mut self) -> std::io::Result<usize> {
        self.prepare_read();
        let len = std::future::poll_fn(|cx| self.poll_read_once(cx)).await?;
        self.received(len);
        Ok(len)
    }

    /// Reads once into `read_buf`: into the room [`PacketIo::prepare_read`] reserved,
    /// or, when it reserved none, onto the stack, keeping only the bytes that arrived.
    /// A pending read holds no buffer, so a connection waiting for its client costs
    /// none.
    pub fn poll_read_once(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<usize>> {
        let read_buf = &mut self.read_buf;
        if read_buf.capacity() > read_buf.len() {
            return std::pin::pin!(self.stream.read_buf(read_buf)).poll(cx);
        }
        // Uninitialised: this runs on every poll, most of which find nothing to read.
        let mut stack = [MaybeUninit::<u8>::uninit(); STACK_READ];
        let mut filled = ReadBuf::uninit(&mut stack);
        ready!(Pin::new(&mut self.stream).poll_read(cx, &mut filled))?;
        read_buf.extend_from_slice(filled.filled());
        Poll::Ready(Ok(filled.filled().len()))
    }

    /// Appends `packet` to the output buffer.
    pub fn send(&mut self, packet: &Packet) -> Result<(), EncodeError> {
        packet.encode(self.version, &mut self.out)?;
        self.tally.packets_out += 1;
        if matches!(packet, Packet::Publish(_)) {
            self.tally.publish_out += 1;
        }
        Ok(())
    }

    /// `len` bytes of the output buffer reached the socket.
    pub fn wrote(&mut self, len: usize) {
        self.out.advance(len);
        self.tally.add_bytes_out(len);
        self.needs_flush = true;
        if self.out.is_empty() && !(SMALL_OUT..=2 * READ_PAUSE).contains(&self.out.capacity()) {
            // A burst grew the buffer: give the memory back while idle. A small one
            // (CONNACK, PINGRESP) would stay allocated for an idle connection's whole
            // life; it costs little to make again.
            self.out = BytesMut::new();
        }
    }

    /// Writes out everything buffered and flushes, for the handshake (which then
    /// waits for the client's answer) and for the close.
    pub async fn write_out(&mut self) -> std::io::Result<()> {
        while !self.out.is_empty() {
            let written = self.stream.write(&self.out).await?;
            if written == 0 {
                return Err(std::io::ErrorKind::WriteZero.into());
            }
            self.wrote(written);
        }
        self.stream.flush().await?;
        self.needs_flush = false;
        Ok(())
    }

    /// Writes everything buffered and closes the write side, giving up after a short
    /// timeout (the peer may have stopped reading).
    pub async fn close(&mut self) {
        let drain = async {
            self.write_out().await?;
            self.stream.shutdown().await
        };
        if let Ok(Err(error)) = tokio::time::timeout(CLOSE_TIMEOUT, drain).await {
            tracing::trace!("closing connection: {error}");
        }
    }

    /// Adds the tally to the broker's counters and starts a new one.
    pub fn flush_tally(&mut self, counters: &Counters) {
        let tally = std::mem::take(&mut self.tally);
        let pairs = [
            (&counters.messages_received, tally.packets_in),
            (&counters.messages_sent, tally.packets_out),
            (&counters.publish_received, tally.publish_in),
            (&counters.publish_sent, tally.publish_out),
            (&counters.bytes_received, tally.bytes_in),
            (&counters.bytes_sent, tally.bytes_out),
        ];
        for (counter, amount) in pairs {
            if amount > 0 {
                Counters::add(counter, u64::from(amount));
            }
        }
    }
}
