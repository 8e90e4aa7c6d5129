//! `ClientSession`: the sans-I/O MQTT client. The caller feeds it received bytes and
//! the time, gives it commands, and polls it for bytes to send, events and its next
//! deadline; the session never touches a socket or a clock. This file holds the
//! state, the polling side and the plumbing every flow shares; the commands, the
//! handling of received packets and CONNACK live in their own files.

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};

use crate::bytestr::ByteStr;
use crate::decoder::Decoder;
use crate::packet::{Disconnect, Packet};
use crate::protocol::PacketType;
use crate::reason::ReasonCode;

use super::error::SessionError;
use super::event::{ConnectionInfo, DisconnectReason, Event};
use super::inbound::UnreleasedInbound;
use super::keep_alive::{KeepAlive, KeepAliveAction};
use super::limits::ServerLimits;
use super::options::ConnectOptions;
use super::outbound::Outbound;
use super::packet_ids::PacketIds;
use super::requests::PendingRequests;
use super::state::SessionState;
use super::topic_alias::{InboundAliases, OutboundAliases};

/// Reason strings we put in a DISCONNECT are cut to this many bytes.
const MAX_REASON_STRING: usize = 256;

/// A client's MQTT session across any number of network connections.
///
/// Times (`now`) are milliseconds of a monotonic clock the caller chooses; only
/// differences matter.
#[derive(Debug)]
pub struct ClientSession {
    pub(super) options: ConnectOptions,
    pub(super) state: SessionState,
    pub(super) decoder: Decoder,
    pub(super) transmit: BytesMut,
    pub(super) events: VecDeque<Event>,
    pub(super) packet_ids: PacketIds,
    pub(super) outbound: Outbound,
    pub(super) unreleased_inbound: UnreleasedInbound,
    pub(super) requests: PendingRequests,
    pub(super) inbound_aliases: InboundAliases,
    pub(super) outbound_aliases: OutboundAliases,
    pub(super) keep_alive: KeepAlive,
    pub(super) connect_started: u64,
    pub(super) limits: ServerLimits,
    pub(super) connection: Option<ConnectionInfo>,
    pub(super) assigned_client_id: Option<ByteStr>,
}

impl ClientSession {
    /// A disconnected session; `connect` starts the first connection.
    pub fn new(options: ConnectOptions) -> Self {
        let decoder = Self::new_decoder(&options);
        Self {
            options,
            state: SessionState::Disconnected,
            decoder,
            transmit: BytesMut::new(),
            events: VecDeque::new(),
            packet_ids: PacketIds::default(),
            outbound: Outbound::default(),
            unreleased_inbound: UnreleasedInbound::default(),
            requests: PendingRequests::default(),
            inbound_aliases: InboundAliases::default(),
            outbound_aliases: OutboundAliases::default(),
            keep_alive: KeepAlive::default(),
            connect_started: 0,
            limits: ServerLimits::default(),
            connection: None,
            assigned_client_id: None,
        }
    }

    // ---- getters ----

    pub fn state(&self) -> SessionState {
        self.state
    }

    pub fn options(&self) -> &ConnectOptions {
        &self.options
    }

    /// Replaces the options for the next `connect`; only while disconnected.
    pub fn set_options(&mut self, options: ConnectOptions) -> Result<(), SessionError> {
        if self.state != SessionState::Disconnected {
            return Err(SessionError::AlreadyConnected { state: self.state });
        }
        self.options = options;
        Ok(())
    }

    /// What the last accepted CONNACK granted.
    pub fn connection(&self) -> Option<&ConnectionInfo> {
        self.connection.as_ref()
    }

    /// The server's limits on the current connection (the spec's defaults before CONNACK).
    pub fn server_limits(&self) -> &ServerLimits {
        &self.limits
    }

    /// QoS 1 and 2 messages sent and not yet completed.
    pub fn inflight_len(&self) -> usize {
        self.outbound.inflight_len()
    }

    /// Messages waiting to be sent (for CONNACK or for the server's receive maximum).
    pub fn queued_len(&self) -> usize {
        self.outbound.queued_len()
    }

    /// SUBSCRIBE and UNSUBSCRIBE requests not yet acknowledged.
    pub fn pending_requests_len(&self) -> usize {
        self.requests.len()
    }

    /// Packet identifiers currently in use.
    pub fn packet_ids_in_use(&self) -> usize {
        self.packet_ids.in_use_count()
    }

    // ---- polling ----

    /// The bytes to write to the transport next, every packet queued so far.
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        if self.transmit.is_empty() {
            None
        } else {
            Some(self.transmit.split().freeze())
        }
    }

    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When `handle_timeout` should next be called, if ever.
    pub fn poll_timeout(&self) -> Option<u64> {
        match self.state {
            SessionState::Connecting => self.connect_deadline(),
            SessionState::Connected => self.keep_alive.deadline(),
            SessionState::Disconnected => None,
        }
    }

    /// Runs the timers due at `now`: the connect timeout, keep-alive PINGREQ and the
    /// PINGRESP timeout.
    pub fn handle_timeout(&mut self, now: u64) {
        match self.state {
            SessionState::Connecting => {
                if self
                    .connect_deadline()
                    .is_some_and(|deadline| now >= deadline)
                {
                    let waited_ms = now.saturating_sub(self.connect_started);
                    self.enter_disconnected(DisconnectReason::ConnectTimeout { waited_ms });
                }
            }
            SessionState::Connected => match self.keep_alive.on_timeout(now) {
                KeepAliveAction::Nothing => {}
                KeepAliveAction::SendPing => {
                    // PINGREQ has no fields, so encoding it cannot fail.
                    let _ = self.send(now, Packet::PingReq);
                    self.keep_alive.on_ping_sent(now);
                }
                KeepAliveAction::TimedOut { waited_ms } => {
                    self.enter_disconnected(DisconnectReason::PingTimeout { waited_ms });
                }
            },
            SessionState::Disconnected => {}
        }
    }

    /// The transport closed (or failed). The session state is kept so that the next
    /// `connect` on a new transport can resume it; bytes not yet written are dropped.
    pub fn transport_closed(&mut self, now: u64, reason: impl Into<String>) {
        let _ = now;
        self.transmit.clear();
        if self.state != SessionState::Disconnected {
            self.enter_disconnected(DisconnectReason::TransportClosed {
                reason: reason.into(),
            });
        }
    }

    // ---- shared plumbing ----

    fn connect_deadline(&self) -> Option<u64> {
        match self.options.connect_timeout_ms {
            0 => None,
            timeout => Some(self.connect_started.saturating_add(timeout)),
        }
    }

    pub(super) fn new_decoder(options: &ConnectOptions) -> Decoder {
        let mut decoder = Decoder::new(options.inbound_packet_limit());
        decoder.set_protocol(options.protocol);
        decoder
    }

    /// Encodes `packet` onto the transmit buffer; its encoded size on success.
    pub(super) fn send(&mut self, now: u64, packet: Packet) -> Result<usize, SessionError> {
        let before = self.transmit.len();
        if let Err(source) = packet.encode(self.options.protocol, &mut self.transmit) {
            self.transmit.truncate(before);
            return Err(SessionError::Encode {
                packet: packet.packet_type(),
                source,
            });
        }
        let size = self.transmit.len() - before;
        self.keep_alive.on_sent(now);
        if self.options.packet_events {
            self.events.push_back(Event::PacketSent { packet, size });
        }
        Ok(size)
    }

    /// The encoded size of `packet`, refused if above the server's maximum packet size.
    pub(super) fn check_size(&self, packet: &Packet) -> Result<usize, SessionError> {
        let size = packet
            .encoded_len(self.options.protocol)
            .map_err(|source| SessionError::Encode {
                packet: packet.packet_type(),
                source,
            })?;
        match self.limits.maximum_packet_size {
            Some(maximum) if size > usize::try_from(maximum).unwrap_or(usize::MAX) => {
                Err(SessionError::PacketTooLarge {
                    packet: packet.packet_type(),
                    size,
                    maximum,
                })
            }
            _ => Ok(size),
        }
    }

    /// Ends the connection: timers stop, undecoded bytes are dropped, session state
    /// stays. Bytes already queued (a DISCONNECT) remain to be polled.
    pub(super) fn enter_disconnected(&mut self, reason: DisconnectReason) {
        self.state = SessionState::Disconnected;
        self.keep_alive.stop();
        self.decoder = Self::new_decoder(&self.options);
        self.events.push_back(Event::Disconnected(reason));
    }

    /// The server broke the protocol: report it, send DISCONNECT with the matching
    /// reason code (MQTT 5), and end the connection. Hands the error back.
    pub(super) fn fail(&mut self, now: u64, error: SessionError) -> SessionError {
        let code = error
            .disconnect_code()
            .filter(|code| code.allowed_on(PacketType::Disconnect))
            .unwrap_or(ReasonCode::ProtocolError);
        self.events.push_back(Event::ProtocolError(error.clone()));
        if self.options.protocol.is_v5() && self.state != SessionState::Disconnected {
            self.send_error_disconnect(now, code, &error);
        }
        self.enter_disconnected(DisconnectReason::ProtocolError {
            code,
            error: error.clone(),
        });
        error
    }

    fn send_error_disconnect(&mut self, now: u64, code: ReasonCode, error: &SessionError) {
        let mut reason = error.to_string();
        if reason.len() > MAX_REASON_STRING {
            let mut cut = MAX_REASON_STRING;
            while !reason.is_char_boundary(cut) {
                cut -= 1;
            }
            reason.truncate(cut);
        }
        let mut disconnect = Disconnect::new(code);
        disconnect.properties.reason_string = Some(ByteStr::from(reason));
        let with_reason = Packet::Disconnect(disconnect);
        let packet = if self.check_size(&with_reason).is_ok() {
            with_reason
        } else {
            Packet::Disconnect(Disconnect::new(code))
        };
        // A DISCONNECT with a valid code always encodes; if it somehow did not, the
        // connection ends all the same.
        let _ = self.send(now, packet);
    }
}
