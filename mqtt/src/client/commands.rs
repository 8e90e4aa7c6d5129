//! The application's commands besides publishing: connect, subscribe, unsubscribe,
//! AUTH and disconnect. Each checks its arguments and the server's limits first, so
//! a refusal comes back as an error instead of a broken connection.

use crate::bytestr::ByteStr;
use crate::packet::{Auth, Disconnect, Packet, Subscribe, SubscribeFilter, Unsubscribe};
use crate::properties::Properties;
use crate::protocol::PacketType;
use crate::reason::ReasonCode;
use crate::topic::{filter_has_wildcards, validate_topic_filter, SharedSubscription};

use super::error::SessionError;
use super::event::DisconnectReason;
use super::limits::ServerLimits;
use super::session::ClientSession;
use super::state::SessionState;

impl ClientSession {
    /// Queues CONNECT on a new transport: the first connection, or a reconnect that
    /// resumes the session when `clean_start` is off.
    pub fn connect(&mut self, now: u64) -> Result<(), SessionError> {
        if self.state != SessionState::Disconnected {
            return Err(SessionError::AlreadyConnected { state: self.state });
        }
        let connect = self
            .options
            .connect_packet(self.assigned_client_id.as_ref());
        // Whatever was left for the old transport must not reach the new one.
        self.transmit.clear();
        self.decoder = Self::new_decoder(&self.options);
        self.limits = ServerLimits::default();
        self.inbound_aliases.reset(0);
        self.outbound_aliases.reset(0);
        self.send(now, Packet::Connect(Box::new(connect)))?;
        self.state = SessionState::Connecting;
        self.connect_started = now;
        Ok(())
    }

    /// Subscribes to `filters`; the packet identifier that `Event::Subscribed` will
    /// carry. While connecting, the SUBSCRIBE goes out after CONNACK.
    pub fn subscribe(
        &mut self,
        now: u64,
        filters: Vec<SubscribeFilter>,
        properties: Properties,
    ) -> Result<u16, SessionError> {
        self.require_open()?;
        if filters.is_empty() {
            return Err(SessionError::NoTopicFilters {
                packet: PacketType::Subscribe,
            });
        }
        for filter in &filters {
            self.check_subscribe_filter(&filter.filter)?;
        }
        if !properties.subscription_identifiers.is_empty()
            && !self.limits.subscription_identifiers_available
        {
            return Err(SessionError::SubscriptionIdentifiersNotSupported);
        }
        let packet_id = self.allocate_packet_id()?;
        let subscribe = Subscribe {
            packet_id,
            filters: filters.into(),
            properties,
        };
        self.send_request(now, Packet::Subscribe(subscribe.clone()))?;
        self.requests.push_subscribe(subscribe);
        Ok(packet_id)
    }

    /// Unsubscribes from `filters`; the packet identifier that `Event::Unsubscribed`
    /// will carry.
    pub fn unsubscribe<I, S>(
        &mut self,
        now: u64,
        filters: I,
        properties: Properties,
    ) -> Result<u16, SessionError>
    where
        I: IntoIterator<Item = S>,
        S: Into<ByteStr>,
    {
        self.require_open()?;
        let filters: Vec<ByteStr> = filters.into_iter().map(Into::into).collect();
        if filters.is_empty() {
            return Err(SessionError::NoTopicFilters {
                packet: PacketType::Unsubscribe,
            });
        }
        for filter in &filters {
            validate_topic_filter(filter).map_err(|source| SessionError::InvalidTopicFilter {
                filter: filter.to_string(),
                source,
            })?;
        }
        let packet_id = self.allocate_packet_id()?;
        let unsubscribe = Unsubscribe {
            packet_id,
            filters: filters.into(),
            properties,
        };
        self.send_request(now, Packet::Unsubscribe(unsubscribe.clone()))?;
        self.requests.push_unsubscribe(unsubscribe);
        Ok(packet_id)
    }

    /// Sends AUTH (MQTT 5): to continue an exchange the server started, or with
    /// Re-authenticate to start a new one.
    pub fn auth(
        &mut self,
        now: u64,
        code: ReasonCode,
        properties: Properties,
    ) -> Result<(), SessionError> {
        if !self.options.protocol.is_v5() {
            return Err(SessionError::NotInVersion {
                what: "AUTH",
                version: self.options.protocol,
            });
        }
        self.require_open()?;
        let packet = Packet::Auth(Auth { code, properties });
        self.check_size(&packet)?;
        self.send(now, packet)?;
        Ok(())
    }

    /// Sends DISCONNECT with `code` (MQTT 5; 3.1 / 3.1.1 send a bare DISCONNECT) and
    /// ends the connection. Poll the DISCONNECT out, then close the transport.
    pub fn disconnect(
        &mut self,
        now: u64,
        code: ReasonCode,
        properties: Properties,
    ) -> Result<(), SessionError> {
        self.require_open()?;
        if properties
            .session_expiry_interval
            .is_some_and(|seconds| seconds > 0)
            && !self.options.has_session_expiry()
        {
            return Err(SessionError::SessionExpiryOnDisconnect);
        }
        let packet = Packet::Disconnect(Disconnect { code, properties });
        self.check_size(&packet)?;
        self.send(now, packet)?;
        self.enter_disconnected(DisconnectReason::Client { code });
        Ok(())
    }

    pub(super) fn require_open(&self) -> Result<(), SessionError> {
        match self.state {
            SessionState::Connecting | SessionState::Connected => Ok(()),
            SessionState::Disconnected => Err(SessionError::NotConnected { state: self.state }),
        }
    }

    pub(super) fn allocate_packet_id(&mut self) -> Result<u16, SessionError> {
        self.packet_ids
            .allocate()
            .ok_or(SessionError::PacketIdsExhausted)
    }

    /// Checks a new SUBSCRIBE or UNSUBSCRIBE and sends it now if connected (after
    /// CONNACK otherwise); frees its identifier if it is refused.
    fn send_request(&mut self, now: u64, packet: Packet) -> Result<(), SessionError> {
        let packet_id = match &packet {
            Packet::Subscribe(subscribe) => subscribe.packet_id,
            Packet::Unsubscribe(unsubscribe) => unsubscribe.packet_id,
            _ => 0,
        };
        let result = self.check_size(&packet).and_then(|_| {
            if self.state == SessionState::Connected {
                self.send(now, packet).map(|_| ())
            } else {
                Ok(())
            }
        });
        if result.is_err() {
            self.packet_ids.release(packet_id);
        }
        result
    }

    fn check_subscribe_filter(&self, filter: &str) -> Result<(), SessionError> {
        validate_topic_filter(filter).map_err(|source| SessionError::InvalidTopicFilter {
            filter: filter.to_owned(),
            source,
        })?;
        if !self.limits.wildcard_subscription_available && filter_has_wildcards(filter) {
            return Err(SessionError::WildcardSubscriptionsNotSupported {
                filter: filter.to_owned(),
            });
        }
        let shared = matches!(SharedSubscription::parse(filter), Ok(Some(_)));
        if shared && !self.limits.shared_subscription_available {
            return Err(SessionError::SharedSubscriptionsNotSupported {
                filter: filter.to_owned(),
            });
        }
        Ok(())
    }
}
