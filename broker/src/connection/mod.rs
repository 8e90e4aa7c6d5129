//! One client connection, from the first byte to the close: the CONNECT handshake,
//! then one task that reads and decodes the client's packets, answers them, moves
//! messages from the session's mailbox to the socket, and watches keep alive,
//! takeover and shutdown, until the connection ends and the session is detached.

mod aliases;
mod driver;
mod enhanced_auth;
mod error;
mod handshake;
mod inbound;
mod io;
mod outbound;
mod reauth;
mod subscribe;
mod terms;

use std::future::Future;
use std::sync::Arc;

use mqtt::{Packet, ProtocolVersion};
use tokio::io::{AsyncRead, AsyncWrite};

use crate::core::Core;
use crate::info::ConnectionInfo;
use crate::message::Delivery;
use crate::session::{Attached, Presence, SessionState};
use crate::will::Will;

use aliases::{InboundAliases, OutboundAliases};
use io::PacketIo;

/// Runs one connection to its end.
///
/// The connection's state is made here and handed to the handshake, whose future is
/// boxed and owns it until CONNECT is accepted: the handshake's state (CONNECT, the
/// address and all) is then freed, and the future that stays for the connection's
/// life holds just the connection's pointer, its bytes and the wait. An `async fn`, or
/// an `async` block capturing the state, would keep its captures for good beside the
/// state made from them (a task grows in steps of 128 bytes, so every word counts).
pub(crate) fn serve<S>(
    core: Arc<Core>,
    stream: S,
    info: ConnectionInfo,
) -> impl Future<Output = ()> + Send + 'static
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (slot, over_limit) = ConnectionSlot::open(core);
    let io = PacketIo::new(stream, slot.config.limits.max_packet_size);
    let establishing = Box::pin(handshake::establish(slot, io, info, over_limit));
    async move {
        let Some((mut connection, mut io)) = establishing.await else {
            return;
        };
        let end = connection.drive(&mut io).await;
        Box::pin(connection.finish(end, &mut io)).await;
    }
}

/// Counts the connection as open for as long as it lives: the connection's handle on
/// the broker, kept by the handshake and then by the [`Connection`].
struct ConnectionSlot {
    core: Arc<Core>,
}

impl ConnectionSlot {
    /// The slot, and whether it is past the broker's connection limit.
    fn open(core: Arc<Core>) -> (Self, bool) {
        let mut open = 0;
        core.connections.send_modify(|count| {
            *count += 1;
            open = *count;
        });
        crate::counters::Counters::add(&core.counters.connections_total, 1);
        let over_limit = open > core.config.limits.max_connections;
        (Self { core }, over_limit)
    }
}

/// The slot stands for the broker wherever the connection uses it.
impl std::ops::Deref for ConnectionSlot {
    type Target = Arc<Core>;

    fn deref(&self) -> &Arc<Core> {
        &self.core
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        self.core
            .connections
            .send_modify(|count| *count = count.saturating_sub(1));
    }
}

/// What the client said in CONNECT about what it can receive (MQTT 5; defaults for
/// 3.1 / 3.1.1). Kept in the protocol's own widths (a receive maximum is 16-bit, a
/// packet size at most 268,435,460 bytes), which every connection is the smaller for.
#[derive(Debug, Clone, Copy)]
struct ClientLimits {
    /// QoS 1 / 2 messages in flight to the client at once.
    inflight: u16,
    /// `u32::MAX` for no limit (above any packet's size).
    max_packet_size: u32,
    request_problem_information: bool,
}

impl ClientLimits {
    fn inflight(&self) -> usize {
        usize::from(self.inflight)
    }

    fn max_packet_size(&self) -> usize {
        usize::try_from(self.max_packet_size).unwrap_or(usize::MAX)
    }
}

/// A connection past CONNECT, attached to its session.
struct Connection {
    /// The broker; dropped last, when the connection no longer counts as open.
    core: ConnectionSlot,
    attached: Attached,
    presence: Arc<Presence>,
    version: ProtocolVersion,
    /// Boxed: held for the connection's whole life, and most connections have none.
    will: Option<Box<Will>>,
    /// Set when CONNECT used enhanced authentication, which the client may run again.
    reauth: Option<Box<reauth::Reauthentication>>,
    /// Seconds the session outlives the connection; DISCONNECT may change it.
    session_expiry: u32,
    client: ClientLimits,
    aliases_in: InboundAliases,
    aliases_out: OutboundAliases,
    /// Reused between mailbox batches.
    batch: Vec<Delivery>,
    /// `Some(can_read)` while [`Connection::drive`] waits: a wake-up then polls what
    /// it waits on again, without first redoing the work done before the wait began.
    waiting: Option<bool>,
}

impl Connection {
    /// The session's client id (not kept twice: every connection would pay for it).
    fn client_id(&self) -> &Arc<str> {
        &self.attached.session.client_id
    }

    /// The user name CONNECT (or enhanced authentication) established.
    fn username(&self) -> Option<&str> {
        self.presence.info.username.as_deref()
    }

    fn state(&mut self) -> &mut SessionState {
        &mut self.attached.state
    }

    /// Encodes a reply; a packet that cannot be encoded is a broker bug, logged and
    /// treated as a failed connection.
    fn send<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        io: &mut PacketIo<S>,
        packet: &Packet,
    ) -> Result<(), error::ConnectionError> {
        io.send(packet).map_err(|error| {
            tracing::error!(client_id = %self.client_id(), "cannot encode {}: {error}", packet.packet_type());
            error::ConnectionError::Encode(error)
        })
    }
}
