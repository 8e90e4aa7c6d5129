//! The CONNECT handshake: waiting for CONNECT, refusing it with the right code
//! (shutdown, too many connections, bad will, credentials), running an enhanced
//! authentication exchange when CONNECT asks for one, assigning a client id, attaching
//! the session (taking it over from another connection if need be) and answering
//! CONNACK.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::time::Instant as Deadline;

use bytes::Bytes;
use mqtt::{ByteStr, ConnAck, Connect, LastWill, Packet, ProtocolVersion, ReasonCode};
use tokio::io::{AsyncRead, AsyncWrite};

use super::aliases::{InboundAliases, OutboundAliases};
use super::enhanced_auth::{self, Authenticated, Failure};
use super::io::PacketIo;
use super::reauth::Reauthentication;
use super::terms::Terms;
use super::{Connection, ConnectionSlot};
use crate::authenticator::AuthDecision;
use crate::core::{unix_millis, Core};
use crate::info::ConnectionInfo;
use crate::session::{ClientInfo, Presence};
use crate::will::Will;

/// Why no CONNECT was accepted from a new connection.
#[derive(Debug, thiserror::Error)]
pub(super) enum NoConnect {
    #[error("timed out waiting for CONNECT or AUTH")]
    Timeout,
    #[error("connection closed before CONNACK")]
    Closed,
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
    #[error("first packet was {0}, not CONNECT")]
    NotConnect(mqtt::PacketType),
    #[error("malformed CONNECT: {0}")]
    Malformed(#[from] mqtt::DecodeError),
    #[error("broker shutting down")]
    Shutdown,
}

/// Waits for CONNECT and accepts or refuses it. Accepted, the connection comes back
/// boxed (it lives as long as the connection, and its caller's future would otherwise
/// keep room for it) with its bytes; refused, the refusal (if any) is flushed and the
/// socket closed here, and `None` comes back.
pub(super) async fn establish<S: AsyncRead + AsyncWrite + Unpin>(
    slot: ConnectionSlot,
    mut io: PacketIo<S>,
    info: ConnectionInfo,
    over_limit: bool,
) -> Option<(Box<Connection>, PacketIo<S>)> {
    // Here, on the connection's first poll, because it needs the runtime: a broker
    // made outside one starts its background work with its first connection.
    slot.start_background();
    let deadline = Deadline::now() + slot.config.limits.connect_timeout;
    let accepted = match read_connect(&slot, &mut io, deadline).await {
        Ok(connect) => accept(slot, &mut io, connect, info, over_limit, deadline).await,
        Err(reason) => {
            tracing::debug!(remote = %info.remote, transport = %info.transport, "no CONNECT: {reason}");
            Err(slot)
        }
    };
    match accepted {
        Ok(connection) => Some((Box::new(connection), io)),
        Err(slot) => {
            io.close().await;
            io.flush_tally(&slot.counters);
            None
        }
    }
}

/// Reads the first packet, which must be CONNECT, before `deadline`.
async fn read_connect<S: AsyncRead + AsyncWrite + Unpin>(
    core: &Core,
    io: &mut PacketIo<S>,
    deadline: Deadline,
) -> Result<Connect, NoConnect> {
    match read_packet(core, io, deadline).await {
        Ok(Packet::Connect(connect)) => Ok(*connect),
        Ok(other) => Err(NoConnect::NotConnect(other.packet_type())),
        Err(NoConnect::Malformed(error)) => {
            refuse_malformed(io, &error);
            Err(NoConnect::Malformed(error))
        }
        Err(other) => Err(other),
    }
}

/// Reads the next packet before `deadline` (CONNECT, or AUTH during enhanced
/// authentication), writing out what is queued meanwhile.
pub(super) async fn read_packet<S: AsyncRead + AsyncWrite + Unpin>(
    core: &Core,
    io: &mut PacketIo<S>,
    deadline: Deadline,
) -> Result<Packet, NoConnect> {
    let mut shutdown = core.shutdown.subscribe();
    let read = async {
        // The AUTH challenge, if one is queued, goes out before the answer is awaited.
        io.write_out().await?;
        loop {
            if let Some(packet) = io.decoder.next_packet()? {
                return Ok(packet);
            }
            if io.read_some().await? == 0 {
                return Err(NoConnect::Closed);
            }
        }
    };
    tokio::select! {
        result = tokio::time::timeout_at(deadline, read) => {
            result.unwrap_or(Err(NoConnect::Timeout))
        }
        _ = shutdown.wait_for(|down| *down) => Err(NoConnect::Shutdown),
    }
}

/// An unsupported protocol level gets the CONNACK 3.1.1 defines for it (return code
/// 1); other malformed CONNECTs just close.
fn refuse_malformed<S: AsyncRead + AsyncWrite + Unpin>(
    io: &mut PacketIo<S>,
    error: &mqtt::DecodeError,
) {
    let code = error.reason_code();
    if matches!(
        code,
        ReasonCode::UnsupportedProtocolVersion | ReasonCode::ClientIdentifierNotValid
    ) {
        if let mqtt::DecodeError::ClientIdRejected { version, .. } = error {
            io.version = *version;
        } else {
            io.version = ProtocolVersion::V3_1_1;
        }
        let _ = io.send(&Packet::ConnAck(ConnAck::new(code)));
    }
}

/// A refused CONNECT: the code and, for MQTT 5, a reason string.
pub(super) struct Refusal {
    code: ReasonCode,
    reason: String,
}

impl Refusal {
    /// The code and the reason.
    pub(super) fn into_parts(self) -> (ReasonCode, String) {
        (self.code, self.reason)
    }

    pub(super) fn new(code: ReasonCode, reason: impl Into<String>) -> Self {
        Self {
            code,
            reason: reason.into(),
        }
    }
}

/// Accepts or refuses `connect`; on success the session is attached and CONNACK (and
/// any resent inflight messages) are queued for writing. Refused, the slot comes back.
async fn accept<S: AsyncRead + AsyncWrite + Unpin>(
    slot: ConnectionSlot,
    io: &mut PacketIo<S>,
    mut connect: Connect,
    info: ConnectionInfo,
    over_limit: bool,
    deadline: Deadline,
) -> Result<Connection, ConnectionSlot> {
    let core: &Arc<Core> = &slot;
    let version = connect.protocol;
    io.version = version;
    io.tally.packets_in += 1;
    let assigned = connect.client_id.is_empty().then(assign_client_id);
    let client_id: Arc<str> = assigned.as_deref().unwrap_or(&connect.client_id).into();
    let checked = match check(core, &connect, over_limit) {
        Ok(()) => log_in(core, io, &connect, &client_id, info, deadline).await,
        Err(refusal) => Err(Failure::Refused(refusal)),
    };
    let enhanced = match checked {
        Ok(enhanced) => enhanced,
        Err(Failure::Refused(refusal)) => {
            tracing::info!(%client_id, remote = %info.remote, code = %refusal.code, "connection refused: {}", refusal.reason);
            refuse(io, refusal);
            return Err(slot);
        }
        Err(Failure::Gone(reason)) => {
            tracing::debug!(%client_id, remote = %info.remote, "enhanced authentication abandoned: {reason}");
            return Err(slot);
        }
    };
    if let Some(enhanced) = &enhanced {
        connect.username = Some(ByteStr::from(enhanced.username.as_str()));
    }
    let terms = Terms::negotiate(&core.config.limits, &connect);
    let presence = Arc::new(Presence::new(
        ClientInfo {
            username: connect.username.as_deref().map(Box::from),
            protocol: version,
            connection: info,
            connected_since_ms: unix_millis(),
            keep_alive: terms.keep_alive,
        },
        core.uptime_millis(),
    ));
    let attaching = core.attach(&client_id, connect.clean_start, presence.clone());
    let (attached, session_present) = match attaching.await {
        Ok(attached) => attached,
        Err(error) => {
            refuse(io, Refusal::new(ReasonCode::ServerBusy, error.to_string()));
            return Err(slot);
        }
    };
    tracing::debug!(%client_id, remote = %info.remote, transport = %info.transport, protocol = %version, %session_present, "client connected");
    let mut connack = terms.connack(&core.config.limits, version, session_present, assigned);
    let reauth = enhanced.map(|enhanced| {
        connack.properties.authentication_method = Some(enhanced.method.clone());
        connack.properties.authentication_data = Some(enhanced.server_final);
        Reauthentication::new(enhanced.method)
    });
    let will = owned_will(connect.username, connect.will, &attached.session.client_id);
    let mut connection = Connection {
        core: slot,
        attached,
        presence,
        will,
        reauth,
        version,
        session_expiry: terms.session_expiry,
        client: terms.client,
        aliases_in: InboundAliases::new(terms.inbound_aliases),
        aliases_out: OutboundAliases::new(terms.outbound_aliases),
        batch: Vec::new(),
        waiting: None,
    };
    let sent = connection.send(io, &Packet::ConnAck(connack));
    match sent.and_then(|()| connection.resend_inflight(io)) {
        Ok(()) => Ok(connection),
        Err(_) => Err(connection.core),
    }
}

/// An owned copy of the will (with the user name it is published under): it lives as
/// long as the connection, and slices would keep the whole buffer CONNECT was read
/// into alive.
fn owned_will(
    username: Option<ByteStr>,
    will: Option<LastWill>,
    client_id: &Arc<str>,
) -> Option<Box<Will>> {
    will.map(|mut will| {
        will.topic = ByteStr::from(will.topic.as_str());
        will.payload = Bytes::copy_from_slice(&will.payload);
        Box::new(Will {
            will: Box::new(will),
            client_id: client_id.clone(),
            username: username.as_deref().map(ByteStr::from),
        })
    })
}

/// The reasons to refuse a CONNECT before looking at credentials, in the order a
/// client would want to hear them.
fn check(core: &Core, connect: &Connect, over_limit: bool) -> Result<(), Refusal> {
    if core.is_shutting_down() {
        return Err(Refusal::new(
            ReasonCode::ServerUnavailable,
            "the broker is shutting down",
        ));
    }
    if over_limit {
        return Err(Refusal::new(
            ReasonCode::ServerBusy,
            format!(
                "the broker already has its maximum of {} connections",
                core.config.limits.max_connections
            ),
        ));
    }
    if let Some(will) = &connect.will {
        crate::topic_limits::check_topic_name(&will.topic, &core.config.limits).map_err(
            |reason| {
                Refusal::new(
                    ReasonCode::TopicNameInvalid,
                    format!("will topic: {reason}"),
                )
            },
        )?;
    }
    Ok(())
}

/// Checks the client's credentials: an enhanced authentication exchange when
/// CONNECT names a method (MQTT 5), the user name and password otherwise.
async fn log_in<S: AsyncRead + AsyncWrite + Unpin>(
    core: &Core,
    io: &mut PacketIo<S>,
    connect: &Connect,
    client_id: &str,
    info: ConnectionInfo,
    deadline: Deadline,
) -> Result<Option<Authenticated>, Failure> {
    if connect.protocol.is_v5() && connect.properties.authentication_method.is_some() {
        return enhanced_auth::authenticate(core, io, connect, deadline)
            .await
            .map(Some);
    }
    check_password(core, connect, client_id, info)?;
    Ok(None)
}

fn check_password(
    core: &Core,
    connect: &Connect,
    client_id: &str,
    info: ConnectionInfo,
) -> Result<(), Refusal> {
    let decision = core.config.authenticator.authenticate(
        client_id,
        connect.username.as_deref(),
        connect.password.as_deref(),
        info.remote,
    );
    match decision {
        AuthDecision::Allow => Ok(()),
        // 3.1.1 clients get "not authorized" (5), as from Mosquitto: return code 4
        // reads as a malformed user name or password to some of them.
        AuthDecision::BadCredentials if !connect.protocol.is_v5() => Err(Refusal::new(
            ReasonCode::NotAuthorized,
            "bad user name or password",
        )),
        AuthDecision::BadCredentials => Err(Refusal::new(
            ReasonCode::BadUserNameOrPassword,
            "bad user name or password",
        )),
        AuthDecision::NotAuthorized => Err(Refusal::new(
            ReasonCode::NotAuthorized,
            "not authorised to connect",
        )),
    }
}

fn refuse<S: AsyncRead + AsyncWrite + Unpin>(io: &mut PacketIo<S>, refusal: Refusal) {
    let mut connack = ConnAck::new(refusal.code);
    if io.version.is_v5() {
        connack.properties.reason_string = Some(refusal.reason.into());
    }
    if let Err(error) = io.send(&Packet::ConnAck(connack)) {
        tracing::error!("cannot encode refusal CONNACK: {error}");
    }
}

/// A client id for a client that sent an empty one: unique for this broker's life
/// and unpredictable enough not to collide with ids clients choose.
fn assign_client_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u64(crate::core::unix_millis());
    format!("mqttdeck-{:016x}", hasher.finish())
}
