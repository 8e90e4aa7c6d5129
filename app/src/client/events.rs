//! Turns the session's events into what the UI shows: status, granted properties, log
//! lines and inspector records; AUTH challenges go to the connection's SCRAM exchange.

use leptos::prelude::{Set, Update, UpdateValue};
use mqtt::client::{ClientSession, DisconnectReason, Event};
use mqtt::{Packet, Properties, ReasonCode};

use super::clock::wall_ms;
use super::frames::schedule_redraw;
use super::scram_state::ScramState;
use crate::messages::{Direction, MessageRecord};
use crate::state::messages::SharedStore;
use crate::state::{ConnectionRuntime, LinkStatus, LogLevel, PacketRecord, SubAckStatus};

pub enum Applied {
    Continue { connected: bool },
    Ended(Box<DisconnectReason>),
}

pub fn apply_event(
    event: Event,
    session: &mut ClientSession,
    runtime: &ConnectionRuntime,
    scram: &mut ScramState,
    packets: &mut Vec<PacketRecord>,
    store: &SharedStore,
) -> Applied {
    let now = wall_ms();
    match event {
        Event::PacketSent { packet, size } => packets.push(record(now, true, packet, size)),
        Event::PacketReceived { packet, size } => packets.push(record(now, false, packet, size)),
        Event::Connected(info) => {
            if let Err(error) = scram.verify(info.authentication_data.as_ref()) {
                runtime.push_log(now, LogLevel::Error, format!("authentication: {error}"));
                let _ = session.disconnect(wall_ms(), ReasonCode::NotAuthorized, Properties::default());
                return Applied::Continue { connected: false };
            }
            runtime.push_log(
                now,
                LogLevel::Info,
                format!("connected as {} (session present: {})", info.client_id, info.session_present),
            );
            runtime.granted.set(Some(info));
            runtime.status.set(LinkStatus::Connected);
            return Applied::Continue { connected: true };
        }
        Event::Disconnected(reason) => {
            let level = match reason {
                DisconnectReason::Client { .. } => LogLevel::Info,
                _ => LogLevel::Error,
            };
            runtime.push_log(now, level, reason.to_string());
            return Applied::Ended(Box::new(reason));
        }
        Event::Message(publish) => {
            store
                .borrow_mut()
                .push(MessageRecord::from_publish_owned(publish, Direction::Received, now));
            runtime.pending_unread.update_value(|n| *n = n.saturating_add(1));
            schedule_redraw(*runtime);
        }
        Event::Auth { code, properties } => match scram.answer(&properties) {
            Ok(answer) => {
                runtime.push_log(now, LogLevel::Info, format!("AUTH {}: answering the challenge", code.name()));
                if let Err(error) = session.auth(wall_ms(), ReasonCode::ContinueAuthentication, answer) {
                    runtime.push_log(now, LogLevel::Error, error.to_string());
                }
            }
            Err(error) => {
                runtime.push_log(now, LogLevel::Error, format!("authentication: {error}"));
                let _ = session.disconnect(wall_ms(), ReasonCode::NotAuthorized, Properties::default());
            }
        },
        Event::ProtocolError(error) => runtime.push_log(now, LogLevel::Error, format!("protocol error: {error}")),
        Event::SessionDiscarded { unacknowledged, unreleased } => runtime.push_log(
            now,
            LogLevel::Warning,
            format!(
                "the broker did not resume the session: {} unacknowledged and {} unreleased messages given up",
                unacknowledged.len(),
                unreleased.len()
            ),
        ),
        Event::PublishDropped { topic, error, .. } => {
            runtime.push_log(now, LogLevel::Error, format!("message to {topic} not sent: {error}"))
        }
        Event::Subscribed { results, .. } => runtime.suback.update(|map| {
            for result in results {
                let name = result.code_name();
                let ok = result.granted_qos().is_some();
                let text = match crate::model::subscription::suback_hint(name) {
                    Some(hint) if !ok => format!("{name} (0x{:02X}): {hint}", result.code.value()),
                    _ => name.to_string(),
                };
                map.insert(result.filter.filter.to_string(), SubAckStatus { ok, text });
            }
        }),
        Event::Unsubscribed { results, .. } => {
            for result in results {
                runtime.push_log(now, LogLevel::Info, format!("UNSUBACK {}: {}", result.filter, result.code.name()));
                runtime.suback.update(|map| {
                    map.remove(result.filter.as_str());
                });
            }
        }
        Event::PublishComplete { .. } | Event::Pong { .. } => {}
    }
    Applied::Continue { connected: false }
}

fn record(at_ms: u64, sent: bool, packet: Packet, size: usize) -> PacketRecord {
    PacketRecord {
        at_ms,
        sent,
        kind: packet.packet_type().name(),
        size,
        packet,
    }
}
