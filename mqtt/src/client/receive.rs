//! What the server sends: decoding the byte stream and handling each packet — inbound
//! messages at QoS 0, 1 and 2 (a resent QoS 2 message is delivered once), the
//! acknowledgements of our messages and requests, PINGRESP, AUTH and DISCONNECT. A
//! packet the protocol forbids ends the connection through `fail`.

use crate::packet::{Packet, PubAck, PubComp, PubRec, PubRel, Publish, SubAck, UnsubAck};
use crate::protocol::{PacketType, QoS};
use crate::reason::ReasonCode;

use super::error::SessionError;
use super::event::{DisconnectReason, Event, SubscribeResult, UnsubscribeResult};
use super::outbound::PubRecOutcome;
use super::session::ClientSession;
use super::state::SessionState;

impl ClientSession {
    /// Feeds bytes received from the transport, in any chunking. Malformed input or a
    /// protocol violation ends the connection (DISCONNECT with the matching reason
    /// code in MQTT 5, `Event::ProtocolError`, `Event::Disconnected`) and is returned.
    /// Bytes arriving while disconnected are ignored.
    pub fn handle_bytes(&mut self, now: u64, bytes: &[u8]) -> Result<(), SessionError> {
        if self.state == SessionState::Disconnected {
            return Ok(());
        }
        self.decoder.feed(bytes);
        while self.state != SessionState::Disconnected {
            let packet = match self.decoder.next_packet() {
                Ok(Some(packet)) => packet,
                Ok(None) => break,
                Err(error) => return Err(self.fail(now, SessionError::Decode(error))),
            };
            if self.options.packet_events {
                let size = packet.encoded_len(self.options.protocol).unwrap_or(0);
                self.events.push_back(Event::PacketReceived {
                    packet: packet.clone(),
                    size,
                });
            }
            if let Err(error) = self.dispatch(now, packet) {
                return Err(self.fail(now, error));
            }
        }
        Ok(())
    }

    fn dispatch(&mut self, now: u64, packet: Packet) -> Result<(), SessionError> {
        use SessionState::{Connected, Connecting};
        match (self.state, packet) {
            (Connecting, Packet::ConnAck(connack)) => self.on_connack(now, connack),
            (Connecting | Connected, Packet::Auth(auth)) => {
                if self.options.authentication_method.is_none() {
                    return Err(SessionError::UnexpectedAuth);
                }
                self.events.push_back(Event::Auth {
                    code: auth.code,
                    properties: auth.properties,
                });
                Ok(())
            }
            (Connecting | Connected, Packet::Disconnect(disconnect)) => {
                self.enter_disconnected(DisconnectReason::Server {
                    code: disconnect.code,
                    properties: disconnect.properties,
                });
                Ok(())
            }
            (Connected, Packet::Publish(publish)) => self.on_publish(now, publish),
            (Connected, Packet::PubAck(ack)) => {
                self.on_puback(now, ack);
                Ok(())
            }
            (Connected, Packet::PubRec(rec)) => self.on_pubrec(now, rec),
            (Connected, Packet::PubRel(rel)) => self.on_pubrel(now, rel),
            (Connected, Packet::PubComp(comp)) => {
                self.on_pubcomp(now, comp);
                Ok(())
            }
            (Connected, Packet::SubAck(ack)) => self.on_suback(ack),
            (Connected, Packet::UnsubAck(ack)) => self.on_unsuback(ack),
            (Connected, Packet::PingResp) => {
                if let Some(round_trip_ms) = self.keep_alive.on_pong(now) {
                    self.events.push_back(Event::Pong { round_trip_ms });
                }
                Ok(())
            }
            (state, packet) => Err(SessionError::UnexpectedPacket {
                packet: packet.packet_type(),
                state,
            }),
        }
    }

    fn on_publish(&mut self, now: u64, mut publish: Publish) -> Result<(), SessionError> {
        self.inbound_aliases.resolve(&mut publish)?;
        match (publish.qos, publish.packet_id) {
            (QoS::AtLeastOnce, Some(packet_id)) => {
                self.events.push_back(Event::Message(publish));
                self.send(now, Packet::PubAck(PubAck::new(packet_id)))?;
            }
            (QoS::ExactlyOnce, Some(packet_id)) => {
                if !self.unreleased_inbound.contains(packet_id) {
                    let maximum = self.options.inbound_receive_maximum();
                    if self.unreleased_inbound.len() >= usize::from(maximum) {
                        return Err(SessionError::ReceiveMaximumExceeded { maximum });
                    }
                    self.unreleased_inbound.insert(packet_id);
                    self.events.push_back(Event::Message(publish));
                }
                // A resent PUBLISH before PUBREL is answered again but not delivered again.
                self.send(now, Packet::PubRec(PubRec::new(packet_id)))?;
            }
            _ => self.events.push_back(Event::Message(publish)),
        }
        Ok(())
    }

    fn on_pubrel(&mut self, now: u64, rel: PubRel) -> Result<(), SessionError> {
        let known = self.unreleased_inbound.release(rel.packet_id);
        let comp = if known || !self.options.protocol.is_v5() {
            PubComp::new(rel.packet_id)
        } else {
            PubComp::with_code(rel.packet_id, ReasonCode::PacketIdentifierNotFound)
        };
        self.send(now, Packet::PubComp(comp))?;
        Ok(())
    }

    fn on_puback(&mut self, now: u64, ack: PubAck) {
        match self.outbound.on_puback(ack.packet_id) {
            Some(_) => self.complete_publish(
                now,
                ack.packet_id,
                QoS::AtLeastOnce,
                ack.code,
                ack.properties,
            ),
            None => self.report_unknown(PacketType::PubAck, ack.packet_id),
        }
    }

    fn on_pubrec(&mut self, now: u64, rec: PubRec) -> Result<(), SessionError> {
        match self.outbound.on_pubrec(rec.packet_id, rec.code.is_error()) {
            PubRecOutcome::Release => {
                self.send(now, Packet::PubRel(PubRel::new(rec.packet_id)))?;
            }
            PubRecOutcome::Failed => {
                self.complete_publish(
                    now,
                    rec.packet_id,
                    QoS::ExactlyOnce,
                    rec.code,
                    rec.properties,
                );
            }
            PubRecOutcome::Unknown => {
                self.report_unknown(PacketType::PubRec, rec.packet_id);
                if !rec.code.is_error() {
                    // Lets the server finish its side of a flow we no longer track.
                    let rel = if self.options.protocol.is_v5() {
                        PubRel::with_code(rec.packet_id, ReasonCode::PacketIdentifierNotFound)
                    } else {
                        PubRel::new(rec.packet_id)
                    };
                    self.send(now, Packet::PubRel(rel))?;
                }
            }
        }
        Ok(())
    }

    fn on_pubcomp(&mut self, now: u64, comp: PubComp) {
        match self.outbound.on_pubcomp(comp.packet_id) {
            Some(_) => self.complete_publish(
                now,
                comp.packet_id,
                QoS::ExactlyOnce,
                comp.code,
                comp.properties,
            ),
            None => self.report_unknown(PacketType::PubComp, comp.packet_id),
        }
    }

    /// A message's flow ended: free its identifier, report it, and let a queued
    /// message take its slot.
    fn complete_publish(
        &mut self,
        now: u64,
        packet_id: u16,
        qos: QoS,
        code: ReasonCode,
        properties: crate::properties::Properties,
    ) {
        self.packet_ids.release(packet_id);
        self.events.push_back(Event::PublishComplete {
            packet_id,
            qos,
            code,
            properties,
        });
        self.flush_queue(now);
    }

    fn on_suback(&mut self, ack: SubAck) -> Result<(), SessionError> {
        let Some(subscribe) = self.requests.take_subscribe(ack.packet_id) else {
            self.report_unknown(PacketType::SubAck, ack.packet_id);
            return Ok(());
        };
        self.packet_ids.release(ack.packet_id);
        if ack.codes.len() != subscribe.filters.len() {
            return Err(SessionError::AckCountMismatch {
                packet: PacketType::SubAck,
                packet_id: ack.packet_id,
                expected: subscribe.filters.len(),
                received: ack.codes.len(),
            });
        }
        let results = subscribe
            .filters
            .into_iter()
            .zip(ack.codes)
            .map(|(filter, code)| SubscribeResult { filter, code })
            .collect();
        self.events.push_back(Event::Subscribed {
            packet_id: ack.packet_id,
            results,
            properties: ack.properties,
        });
        Ok(())
    }

    fn on_unsuback(&mut self, ack: UnsubAck) -> Result<(), SessionError> {
        let Some(unsubscribe) = self.requests.take_unsubscribe(ack.packet_id) else {
            self.report_unknown(PacketType::UnsubAck, ack.packet_id);
            return Ok(());
        };
        self.packet_ids.release(ack.packet_id);
        let codes = if self.options.protocol.is_v5() {
            if ack.codes.len() != unsubscribe.filters.len() {
                return Err(SessionError::AckCountMismatch {
                    packet: PacketType::UnsubAck,
                    packet_id: ack.packet_id,
                    expected: unsubscribe.filters.len(),
                    received: ack.codes.len(),
                });
            }
            ack.codes
        } else {
            vec![ReasonCode::Success; unsubscribe.filters.len()]
        };
        let results = unsubscribe
            .filters
            .into_iter()
            .zip(codes)
            .map(|(filter, code)| UnsubscribeResult { filter, code })
            .collect();
        self.events.push_back(Event::Unsubscribed {
            packet_id: ack.packet_id,
            results,
            properties: ack.properties,
        });
        Ok(())
    }

    fn report_unknown(&mut self, packet: PacketType, packet_id: u16) {
        self.events
            .push_back(Event::ProtocolError(SessionError::UnknownPacketId {
                packet,
                packet_id,
            }));
    }
}
