//! Messages on their way to the client: taken from the session's mailbox in batches
//! while the output buffer and the client's Receive Maximum allow, expired ones
//! dropped, the remaining expiry and subscription identifiers filled in, a topic
//! alias used when the client allows them, and messages larger than the client's
//! Maximum Packet Size dropped for this client only. On resume, the messages still in
//! flight are sent again with DUP set.

use std::time::Instant;

use mqtt::{ByteStr, Packet, Properties, PubRel, Publish, QoS};
use tokio::io::{AsyncRead, AsyncWrite};

use super::aliases::AliasChoice;
use super::error::ConnectionError;
use super::io::{PacketIo, HIGH_WATER};
use super::Connection;
use crate::counters::Counters;
use crate::message::Delivery;
use crate::session::Awaiting;

/// Messages taken from the mailbox per lock.
const BATCH: usize = 64;

impl Connection {
    /// Moves queued messages to the output buffer while there is room.
    pub(super) fn pump<S: AsyncRead + AsyncWrite + Unpin>(&mut self, io: &mut PacketIo<S>) {
        let mut batch = std::mem::take(&mut self.batch);
        while io.out.len() < HIGH_WATER {
            let room = self
                .client
                .inflight()
                .saturating_sub(self.attached.state.inflight.len());
            self.attached
                .session
                .mailbox
                .take_batch(&mut batch, BATCH, room);
            if batch.is_empty() {
                break;
            }
            let now = Instant::now();
            for delivery in batch.drain(..) {
                self.send_delivery(delivery, now, io);
            }
        }
        self.batch = batch;
    }

    fn send_delivery<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        delivery: Delivery,
        now: Instant,
        io: &mut PacketIo<S>,
    ) {
        if delivery.message.is_expired(now) {
            return;
        }
        let packet_id = match delivery.qos {
            QoS::AtMostOnce => None,
            _ => match self.state().inflight.allocate_id() {
                Some(id) => Some(id),
                None => return,
            },
        };
        let alias = self.aliases_out.choose(&delivery.message.topic);
        let packet = Packet::Publish(self.publish_for(&delivery, packet_id, alias, now));
        let fits = packet
            .encoded_len(self.version)
            .is_ok_and(|len| len <= self.client.max_packet_size());
        if !fits {
            self.drop_too_large(&delivery);
            return;
        }
        if let Err(error) = self.send(io, &packet) {
            tracing::debug!(client_id = %self.client_id(), "message not sent: {error}");
            return;
        }
        if let AliasChoice::Assign(alias) = alias {
            self.aliases_out.commit(&delivery.message.topic, alias);
        }
        if let Some(id) = packet_id {
            let stage = match delivery.qos {
                QoS::ExactlyOnce => Awaiting::PubRec,
                _ => Awaiting::PubAck,
            };
            self.state().inflight.insert(id, delivery, stage);
        }
    }

    /// The PUBLISH for `delivery`, as this client's protocol version and options want it.
    fn publish_for(
        &self,
        delivery: &Delivery,
        packet_id: Option<u16>,
        alias: AliasChoice,
        now: Instant,
    ) -> Publish {
        let message = &delivery.message;
        let (topic, properties) = if self.version.is_v5() {
            let mut properties = message.properties.clone();
            properties.message_expiry_interval = message.remaining_expiry(now);
            properties.subscription_identifiers = delivery.subscription_ids.clone();
            let topic = match alias {
                AliasChoice::None => message.topic.clone(),
                AliasChoice::Assign(alias) => {
                    properties.topic_alias = Some(alias);
                    message.topic.clone()
                }
                AliasChoice::Reuse(alias) => {
                    properties.topic_alias = Some(alias);
                    ByteStr::new()
                }
            };
            (topic, properties)
        } else {
            (message.topic.clone(), Properties::default())
        };
        Publish {
            dup: false,
            qos: delivery.qos,
            retain: delivery.retain,
            topic,
            packet_id,
            properties,
            payload: message.payload.clone(),
        }
    }

    fn drop_too_large(&self, delivery: &Delivery) {
        Counters::add(&self.core.counters.publish_dropped, 1);
        tracing::debug!(
            client_id = %self.client_id(),
            topic = %delivery.message.topic,
            max = self.client.max_packet_size(),
            "message dropped: larger than the client's Maximum Packet Size"
        );
    }

    /// On resume: every message still in flight goes again, in its original order,
    /// PUBLISH with DUP for those not yet acknowledged, PUBREL for those past PUBREC.
    pub(super) fn resend_inflight<S: AsyncRead + AsyncWrite + Unpin>(
        &mut self,
        io: &mut PacketIo<S>,
    ) -> Result<(), ConnectionError> {
        let now = Instant::now();
        let mut packets = Vec::new();
        let mut too_large = Vec::new();
        for (id, entry) in self.attached.state.inflight.in_send_order() {
            let packet = match entry.stage {
                Awaiting::PubComp => Packet::PubRel(PubRel::new(id)),
                Awaiting::PubAck | Awaiting::PubRec => {
                    let mut publish =
                        self.publish_for(&entry.delivery, Some(id), AliasChoice::None, now);
                    publish.dup = true;
                    Packet::Publish(publish)
                }
            };
            let fits = packet
                .encoded_len(self.version)
                .is_ok_and(|len| len <= self.client.max_packet_size());
            if fits {
                packets.push(packet);
            } else {
                too_large.push((id, entry.stage));
            }
        }
        for (id, stage) in too_large {
            self.state().inflight.complete(id, stage);
        }
        for packet in &packets {
            self.send(io, packet)?;
        }
        Ok(())
    }
}
