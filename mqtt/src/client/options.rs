//! `ConnectOptions`: everything the application chooses about a connection, from the
//! CONNECT fields and MQTT 5 properties to the session's own limits and timers, and the
//! CONNECT packet built from them.

use bytes::Bytes;

use crate::bytestr::ByteStr;
use crate::packet::{Connect, LastWill};
use crate::properties::{Properties, PropertyValues};
use crate::protocol::ProtocolVersion;

/// The largest packet the protocol can describe: a 268,435,455 byte remaining length
/// behind a five byte fixed header.
pub const PROTOCOL_MAX_PACKET_SIZE: u32 = 268_435_460;

/// How the session connects and behaves. Fields named after MQTT 5 properties are sent
/// only when the session speaks 5.0 and are left out of the packet when `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectOptions {
    pub protocol: ProtocolVersion,
    /// May be empty in 3.1.1 and 5.0 to let the server assign one (with `clean_start`
    /// in 3.1.1). An identifier the server assigned is reused on later reconnects.
    pub client_id: String,
    /// 3.1.1's "clean session"; `false` resumes the server's session state.
    pub clean_start: bool,
    /// Seconds between control packets the server can expect; 0 turns keep-alive off.
    /// A Server Keep Alive in CONNACK overrides it.
    pub keep_alive_secs: u16,
    pub username: Option<String>,
    pub password: Option<Bytes>,
    /// The will message, with its MQTT 5 will properties.
    pub will: Option<LastWill>,
    /// Seconds the server keeps the session after the connection ends.
    pub session_expiry_interval: Option<u32>,
    /// How many unreleased QoS 2 messages we accept from the server at once.
    pub receive_maximum: Option<u16>,
    /// The largest packet we accept; larger ones end the connection with 0x95.
    pub maximum_packet_size: Option<u32>,
    /// How many topic aliases the server may use towards us; 0 or `None` for none.
    pub topic_alias_maximum: Option<u16>,
    pub request_response_information: Option<bool>,
    pub request_problem_information: Option<bool>,
    pub user_properties: Vec<(String, String)>,
    pub authentication_method: Option<String>,
    pub authentication_data: Option<Bytes>,
    /// Milliseconds to wait for CONNACK after `connect`; 0 waits for ever.
    pub connect_timeout_ms: u64,
    /// Milliseconds to wait for PINGRESP after a PINGREQ before giving the connection up.
    pub ping_timeout_ms: u64,
    /// Emit `Event::PacketSent` / `Event::PacketReceived` for every packet. Costs a
    /// clone of each packet; turn off when nobody inspects packets.
    pub packet_events: bool,
    /// Replace repeated topic names by topic aliases, up to the server's Topic Alias
    /// Maximum (MQTT 5). When off, a Topic Alias the application sets is sent as is.
    pub outgoing_topic_aliases: bool,
    /// How many messages may wait for the server's receive maximum (or for CONNACK)
    /// before `publish` refuses more.
    pub max_queued_publishes: usize,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            protocol: ProtocolVersion::V5,
            client_id: String::new(),
            clean_start: true,
            keep_alive_secs: 60,
            username: None,
            password: None,
            will: None,
            session_expiry_interval: None,
            receive_maximum: None,
            maximum_packet_size: None,
            topic_alias_maximum: None,
            request_response_information: None,
            request_problem_information: None,
            user_properties: Vec::new(),
            authentication_method: None,
            authentication_data: None,
            connect_timeout_ms: 30_000,
            ping_timeout_ms: 10_000,
            packet_events: true,
            outgoing_topic_aliases: false,
            max_queued_publishes: 10_000,
        }
    }
}

impl ConnectOptions {
    /// Defaults for `protocol` with `client_id`: clean start, 60 s keep-alive.
    pub fn new(protocol: ProtocolVersion, client_id: impl Into<String>) -> Self {
        Self {
            protocol,
            client_id: client_id.into(),
            ..Self::default()
        }
    }

    /// The identifier to connect with: the configured one, or when that is empty
    /// the one the server assigned last time (so that the session can be resumed).
    pub(crate) fn effective_client_id(&self, assigned: Option<&ByteStr>) -> ByteStr {
        match assigned {
            Some(assigned) if self.client_id.is_empty() => assigned.clone(),
            _ => ByteStr::from(self.client_id.as_str()),
        }
    }

    /// The CONNECT packet these options describe.
    pub(crate) fn connect_packet(&self, assigned_client_id: Option<&ByteStr>) -> Connect {
        Connect {
            protocol: self.protocol,
            clean_start: self.clean_start,
            keep_alive: self.keep_alive_secs,
            client_id: self.effective_client_id(assigned_client_id),
            will: self.will.clone(),
            username: self.username.as_deref().map(ByteStr::from),
            password: self.password.clone(),
            properties: self.connect_properties(),
        }
    }

    fn connect_properties(&self) -> Properties {
        if !self.protocol.is_v5() {
            return Properties::default();
        }
        Properties::from(PropertyValues {
            session_expiry_interval: self.session_expiry_interval,
            receive_maximum: self.receive_maximum,
            maximum_packet_size: self.maximum_packet_size,
            topic_alias_maximum: self.topic_alias_maximum,
            request_response_information: self.request_response_information,
            request_problem_information: self.request_problem_information,
            user_properties: self
                .user_properties
                .iter()
                .map(|(key, value)| (ByteStr::from(key.as_str()), ByteStr::from(value.as_str())))
                .collect(),
            authentication_method: self.authentication_method.as_deref().map(ByteStr::from),
            authentication_data: self.authentication_data.clone(),
            ..PropertyValues::default()
        })
    }

    /// How many unreleased inbound QoS 2 messages the server may have at once.
    pub(crate) fn inbound_receive_maximum(&self) -> u16 {
        match self.receive_maximum {
            Some(maximum) if self.protocol.is_v5() && maximum > 0 => maximum,
            _ => u16::MAX,
        }
    }

    /// The highest topic alias the server may use towards us.
    pub(crate) fn inbound_topic_alias_maximum(&self) -> u16 {
        if self.protocol.is_v5() {
            self.topic_alias_maximum.unwrap_or(0)
        } else {
            0
        }
    }

    /// The largest packet the decoder accepts.
    pub(crate) fn inbound_packet_limit(&self) -> usize {
        let limit = match self.maximum_packet_size {
            Some(maximum) if self.protocol.is_v5() && maximum > 0 => maximum,
            _ => PROTOCOL_MAX_PACKET_SIZE,
        };
        usize::try_from(limit).unwrap_or(usize::MAX)
    }

    /// True when CONNECT asked the session to outlive the connection (MQTT 5).
    pub(crate) fn has_session_expiry(&self) -> bool {
        self.session_expiry_interval
            .is_some_and(|seconds| seconds > 0)
    }
}
