//! What a CONNECT and the broker's limits settle between them: the keep alive in
//! force, how long the session outlives the connection, what the client can receive
//! (MQTT 5 Receive Maximum, Maximum Packet Size, Topic Alias Maximum, Request Problem
//! Information), and the CONNACK properties that tell the client the broker's side.

use mqtt::{ByteStr, ConnAck, Connect, Properties, PropertyValues, ProtocolVersion, ReasonCode};

use super::ClientLimits;
use crate::config::{Limits, PROTOCOL_MAX_PACKET_SIZE};

/// The settled terms of one connection.
#[derive(Debug, Clone, Copy)]
pub(super) struct Terms {
    /// Seconds; 0 means none.
    pub keep_alive: u16,
    /// What the client asked for (3.1.1: 0 for clean session, forever otherwise).
    pub requested_expiry: u32,
    /// What it gets, capped by the broker.
    pub session_expiry: u32,
    pub client: ClientLimits,
    /// Topic aliases the client may set up (the broker's Topic Alias Maximum).
    pub inbound_aliases: u16,
    /// Topic aliases the broker may set up (the client's Topic Alias Maximum).
    pub outbound_aliases: u16,
}

impl Terms {
    pub fn negotiate(limits: &Limits, connect: &Connect) -> Self {
        let v5 = connect.protocol.is_v5();
        let properties = &connect.properties;
        let keep_alive = match (v5, limits.server_keep_alive) {
            (true, Some(server)) => server,
            _ => connect.keep_alive,
        };
        let requested_expiry = match (v5, connect.clean_start) {
            (true, _) => properties.session_expiry_interval.unwrap_or(0),
            (false, true) => 0,
            (false, false) => u32::MAX,
        };
        Self {
            keep_alive,
            requested_expiry,
            session_expiry: requested_expiry.min(limits.max_session_expiry_interval),
            client: client_limits(limits, connect.protocol, properties),
            inbound_aliases: if v5 { limits.topic_alias_maximum } else { 0 },
            outbound_aliases: properties.topic_alias_maximum.filter(|_| v5).unwrap_or(0),
        }
    }

    /// The CONNACK accepting the connection.
    pub fn connack(
        &self,
        limits: &Limits,
        version: ProtocolVersion,
        session_present: bool,
        assigned_client_id: Option<String>,
    ) -> ConnAck {
        let mut connack = ConnAck::new(ReasonCode::Success);
        connack.session_present = session_present;
        if !version.is_v5() {
            return connack;
        }
        let max_packet_size = limits.max_packet_size.clamp(1, PROTOCOL_MAX_PACKET_SIZE);
        connack.properties = Properties::from(PropertyValues {
            receive_maximum: (limits.receive_maximum < u16::MAX)
                .then_some(limits.receive_maximum.max(1)),
            maximum_packet_size: u32::try_from(max_packet_size).ok(),
            topic_alias_maximum: (limits.topic_alias_maximum > 0)
                .then_some(limits.topic_alias_maximum),
            assigned_client_identifier: assigned_client_id.map(ByteStr::from),
            server_keep_alive: limits.server_keep_alive,
            session_expiry_interval: (self.session_expiry != self.requested_expiry)
                .then_some(self.session_expiry),
            ..PropertyValues::default()
        });
        connack
    }
}

fn client_limits(
    limits: &Limits,
    version: ProtocolVersion,
    properties: &Properties,
) -> ClientLimits {
    let ours = limits.max_inflight_out.max(1);
    if !version.is_v5() {
        return ClientLimits {
            inflight: ours,
            max_packet_size: u32::MAX,
            request_problem_information: true,
        };
    }
    ClientLimits {
        inflight: properties
            .receive_maximum
            .map_or(ours, |theirs| ours.min(theirs.max(1))),
        max_packet_size: properties.maximum_packet_size.unwrap_or(u32::MAX),
        request_problem_information: properties.request_problem_information.unwrap_or(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_sessions_expire_with_clean_session_only() {
        let limits = Limits::default();
        let mut connect = Connect::new(ProtocolVersion::V3_1_1, "c");
        assert_eq!(Terms::negotiate(&limits, &connect).session_expiry, 0);
        connect.clean_start = false;
        assert_eq!(Terms::negotiate(&limits, &connect).session_expiry, u32::MAX);
    }

    #[test]
    fn the_client_receive_maximum_and_ours_both_bound_inflight() {
        let limits = Limits {
            max_inflight_out: 50,
            ..Limits::default()
        };
        let mut connect = Connect::new(ProtocolVersion::V5, "c");
        assert_eq!(Terms::negotiate(&limits, &connect).client.inflight(), 50);
        connect.properties.receive_maximum = Some(5);
        assert_eq!(Terms::negotiate(&limits, &connect).client.inflight(), 5);
    }

    #[test]
    fn a_capped_session_expiry_is_announced() {
        let limits = Limits {
            max_session_expiry_interval: 100,
            ..Limits::default()
        };
        let mut connect = Connect::new(ProtocolVersion::V5, "c");
        connect.properties.session_expiry_interval = Some(1000);
        let terms = Terms::negotiate(&limits, &connect);
        let connack = terms.connack(&limits, ProtocolVersion::V5, false, None);
        assert_eq!(connack.properties.session_expiry_interval, Some(100));
        assert_eq!(connack.properties.receive_maximum, Some(20));
    }
}
