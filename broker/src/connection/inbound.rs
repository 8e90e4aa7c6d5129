//! What the broker does with each packet a connected client sends: PUBLISH at each
//! QoS (aliases, limits, permissions, routing, acknowledgement), the acknowledgements
//! of messages the broker sent, PINGREQ, DISCONNECT, and packets a client may not send.

use std::time::Instant;

use mqtt::{Disconnect, Packet, PubAck, PubComp, PubRec, PubRel, Publish, QoS, ReasonCode};
use tokio::io::{AsyncRead, AsyncWrite};

use super::error::{ConnectionError, End};
use super::io::PacketIo;
use super::Connection;
use crate::message::Message;
use crate::session::Awaiting;

impl Connection {
    /// Handles one packet; `Some` ends the connection.
    pub(super) fn handle<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        packet: Packet,
        io: &mut PacketIo<S>,
    ) -> Result<Option<End>, ConnectionError> {
        match packet {
            Packet::Publish(publish) => self.on_publish(publish, io)?,
            Packet::PubAck(ack) => {
                self.state()
                    .inflight
                    .complete(ack.packet_id, Awaiting::PubAck);
            }
            Packet::PubRec(rec) => self.on_pubrec(rec, io)?,
            Packet::PubRel(rel) => self.on_pubrel(rel, io)?,
            Packet::PubComp(comp) => {
                self.state()
                    .inflight
                    .complete(comp.packet_id, Awaiting::PubComp);
            }
            Packet::Subscribe(subscribe) => self.on_subscribe(subscribe, io)?,
            Packet::Unsubscribe(unsubscribe) => self.on_unsubscribe(unsubscribe, io)?,
            Packet::PingReq => self.send(io, &Packet::PingResp)?,
            Packet::Disconnect(disconnect) => return self.on_disconnect(disconnect).map(Some),
            Packet::Connect(_) => return Err(ConnectionError::Protocol("a second CONNECT")),
            Packet::Auth(auth) => self.on_auth(auth, io)?,
            Packet::ConnAck(_) | Packet::SubAck(_) | Packet::UnsubAck(_) | Packet::PingResp => {
                return Err(ConnectionError::Protocol("a packet only a server may send"))
            }
        }
        Ok(None)
    }

    fn on_publish<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        publish: Publish,
        io: &mut PacketIo<S>,
    ) -> Result<(), ConnectionError> {
        if !publish.properties.subscription_identifiers.is_empty() {
            return Err(ConnectionError::Protocol(
                "a PUBLISH from a client carries a Subscription Identifier",
            ));
        }
        let packet_id = publish.packet_id.unwrap_or(0);
        if publish.qos == QoS::ExactlyOnce {
            let receive_maximum = self.core.config.limits.receive_maximum;
            let enforced = self.version.is_v5();
            let incoming = &mut self.state().incoming_qos2;
            if incoming.contains_key(&packet_id) {
                // A resend of a message already accepted: acknowledge, do not route again.
                return self.send(io, &Packet::PubRec(PubRec::new(packet_id)));
            }
            // Only MQTT 5 clients were told the Receive Maximum. An MQTT 3 client may
            // have as many QoS 2 messages awaiting PUBREL as it has packet identifiers
            // (65,535 at most, a few hundred KiB of state): pausing reads instead would
            // deadlock, as the PUBRELs that free them arrive behind its publishes.
            if enforced && incoming.len() >= usize::from(receive_maximum) {
                return Err(ConnectionError::ReceiveMaximumExceeded(receive_maximum));
            }
        }
        let topic = self
            .aliases_in
            .resolve(publish.topic, publish.properties.topic_alias)?;
        let code = self.accept_publish(Message::from_publish(
            topic,
            publish.payload,
            publish.qos,
            publish.retain,
            &publish.properties,
            Some(self.client_id().clone()),
            Instant::now(),
        ));
        let (code, reason) = match code {
            Ok(code) => (code, None),
            Err((code, reason)) => {
                tracing::debug!(client_id = %self.client_id(), "publish refused: {reason}");
                (code, Some(reason))
            }
        };
        match publish.qos {
            QoS::AtMostOnce => Ok(()),
            QoS::AtLeastOnce => {
                let mut ack = PubAck::with_code(packet_id, self.ack_code(code));
                ack.properties.reason_string = self.reason_string(reason);
                self.send_ack(io, Packet::PubAck(ack))
            }
            QoS::ExactlyOnce => {
                if !code.is_error() {
                    self.state().incoming_qos2.insert(packet_id, ());
                }
                let mut rec = PubRec::with_code(packet_id, self.ack_code(code));
                rec.properties.reason_string = self.reason_string(reason);
                self.send_ack(io, Packet::PubRec(rec))
            }
        }
    }

    /// Checks and routes an incoming message; the code for PUBACK / PUBREC, or the
    /// refusal code and why.
    fn accept_publish(&mut self, message: Message) -> Result<ReasonCode, (ReasonCode, String)> {
        let limits = &self.core.config.limits;
        crate::topic_limits::check_topic_name(&message.topic, limits)
            .map_err(|reason| (ReasonCode::TopicNameInvalid, format!("topic name {reason}")))?;
        let allowed = self.core.config.authenticator.can_publish(
            self.username(),
            self.client_id(),
            &message.topic,
        );
        if !allowed {
            return Err((
                ReasonCode::NotAuthorized,
                format!("not authorised to publish to '{}'", message.topic),
            ));
        }
        if message.properties.payload_format_indicator == Some(true)
            && std::str::from_utf8(&message.payload).is_err()
        {
            return Err((
                ReasonCode::PayloadFormatInvalid,
                "the payload is marked UTF-8 but is not valid UTF-8".to_owned(),
            ));
        }
        if message.topic.starts_with("$SYS") {
            // The broker's own statistics topics: accepted, not routed.
            return Ok(ReasonCode::Success);
        }
        let routed = self.core.publish(message);
        Ok(if routed.queued == 0 && routed.dropped == 0 {
            ReasonCode::NoMatchingSubscribers
        } else {
            ReasonCode::Success
        })
    }

    /// MQTT 3 acknowledgements carry no code; errors there are silent drops.
    fn ack_code(&self, code: ReasonCode) -> ReasonCode {
        if self.version.is_v5() {
            code
        } else {
            ReasonCode::Success
        }
    }

    /// A reason string for an acknowledgement, if the client did not opt out.
    fn reason_string(&self, reason: Option<String>) -> Option<mqtt::ByteStr> {
        reason
            .filter(|_| self.version.is_v5() && self.client.request_problem_information)
            .map(Into::into)
    }

    /// Sends an acknowledgement, without its properties if they would make it larger
    /// than the client accepts.
    pub(super) fn send_ack<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        io: &mut PacketIo<S>,
        mut packet: Packet,
    ) -> Result<(), ConnectionError> {
        let too_big = packet
            .encoded_len(self.version)
            .is_ok_and(|len| len > self.client.max_packet_size());
        if too_big {
            match &mut packet {
                Packet::PubAck(ack) => ack.properties = Default::default(),
                Packet::PubRec(rec) => rec.properties = Default::default(),
                Packet::SubAck(ack) => ack.properties = Default::default(),
                Packet::UnsubAck(ack) => ack.properties = Default::default(),
                _ => {}
            }
        }
        self.send(io, &packet)
    }

    fn on_pubrec<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        rec: PubRec,
        io: &mut PacketIo<S>,
    ) -> Result<(), ConnectionError> {
        if rec.code.is_error() {
            // The client refused the message: the QoS 2 flow ends here.
            self.state()
                .inflight
                .complete(rec.packet_id, Awaiting::PubRec);
            return Ok(());
        }
        let code = if self.state().inflight.released(rec.packet_id) {
            ReasonCode::Success
        } else {
            self.ack_code(ReasonCode::PacketIdentifierNotFound)
        };
        self.send(io, &Packet::PubRel(PubRel::with_code(rec.packet_id, code)))
    }

    fn on_pubrel<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        rel: PubRel,
        io: &mut PacketIo<S>,
    ) -> Result<(), ConnectionError> {
        let code = if self.state().incoming_qos2.remove(&rel.packet_id).is_some() {
            ReasonCode::Success
        } else {
            self.ack_code(ReasonCode::PacketIdentifierNotFound)
        };
        self.send(
            io,
            &Packet::PubComp(PubComp::with_code(rel.packet_id, code)),
        )
    }

    fn on_disconnect(&mut self, disconnect: Disconnect) -> Result<End, ConnectionError> {
        if let Some(expiry) = disconnect.properties.session_expiry_interval {
            if self.session_expiry == 0 && expiry != 0 {
                return Err(ConnectionError::Protocol(
                    "DISCONNECT sets a Session Expiry Interval after CONNECT set 0",
                ));
            }
            self.session_expiry = expiry.min(self.core.config.limits.max_session_expiry_interval);
        }
        Ok(End::ClientDisconnect {
            send_will: disconnect.code == ReasonCode::DisconnectWithWillMessage,
        })
    }
}
