//! The map from client id to session. Each attach gets a generation number; timers
//! and departing connections act on a session only if the generation they hold is
//! still the current one, so a reconnect always wins over a stale timer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use mqtt::ReasonCode;
use parking_lot::Mutex;

use super::{Presence, Session};
use crate::will::Will;

#[derive(Debug)]
struct Slot {
    session: Arc<Session>,
    /// The attach that owns (or last owned) the session.
    generation: u64,
    online: Option<Arc<Presence>>,
    /// A will waiting for its Will Delay Interval; boxed, as most slots never hold
    /// one and every slot is as large as its largest field.
    pending_will: Option<Box<Will>>,
}

/// What claiming a client id found.
#[derive(Debug)]
pub(crate) struct Claim {
    pub session: Arc<Session>,
    pub generation: u64,
    /// A session already existed for this client id.
    pub existed: bool,
    /// A delayed will of the previous connection, cancelled by this one. The caller
    /// publishes it if it starts clean (the old session ended), else drops it.
    pub pending_will: Option<Will>,
}

/// Every session, connected or not.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    slots: Mutex<HashMap<Arc<str>, Slot>>,
    generations: AtomicU64,
}

impl Registry {
    /// Makes `presence` the session's connection, creating the session if needed and
    /// telling any connection already attached that it was taken over.
    pub fn claim(
        &self,
        client_id: &str,
        presence: Arc<Presence>,
        new_session: impl FnOnce(Arc<str>) -> Session,
    ) -> Claim {
        let generation = self.generations.fetch_add(1, Ordering::Relaxed) + 1;
        let mut slots = self.slots.lock();
        if let Some(slot) = slots.get_mut(client_id) {
            if let Some(previous) = slot.online.replace(presence) {
                previous.kick(ReasonCode::SessionTakenOver);
                slot.session.mailbox.wake();
            }
            slot.generation = generation;
            return Claim {
                session: slot.session.clone(),
                generation,
                existed: true,
                pending_will: slot.pending_will.take().map(|will| *will),
            };
        }
        let client_id: Arc<str> = client_id.into();
        let session = Arc::new(new_session(client_id.clone()));
        slots.insert(
            client_id,
            Slot {
                session: session.clone(),
                generation,
                online: Some(presence),
                pending_will: None,
            },
        );
        Claim {
            session,
            generation,
            existed: false,
            pending_will: None,
        }
    }

    /// The connection of `generation` leaves. Returns false if it no longer owns the
    /// session (it was taken over): then `pending_will` is left with the session for
    /// the connection taking over, which publishes it if it starts clean. Otherwise
    /// the session is removed when `keep` is false, or kept offline holding
    /// `pending_will`.
    pub fn release(
        &self,
        client_id: &str,
        generation: u64,
        keep: bool,
        pending_will: Option<Will>,
    ) -> bool {
        let mut slots = self.slots.lock();
        let Some(slot) = slots.get_mut(client_id) else {
            return false;
        };
        if slot.generation != generation {
            if pending_will.is_some() {
                slot.pending_will = pending_will.map(Box::new);
            }
            return false;
        }
        if keep {
            slot.online = None;
            slot.pending_will = pending_will.map(Box::new);
        } else {
            slots.remove(client_id);
        }
        true
    }

    /// Removes the session if it is still offline since `generation` left; returns it
    /// with its pending will.
    pub fn expire(&self, client_id: &str, generation: u64) -> Option<(Arc<Session>, Option<Will>)> {
        let mut slots = self.slots.lock();
        let current = slots.get(client_id)?;
        if current.generation != generation || current.online.is_some() {
            return None;
        }
        let slot = slots.remove(client_id)?;
        Some((slot.session, slot.pending_will.map(|will| *will)))
    }

    /// The delayed will a taken-over connection left in [`Registry::release`], taken by
    /// the connection that took the session over once the previous one has let go.
    pub fn take_handed_over_will(&self, client_id: &str) -> Option<Will> {
        self.slots
            .lock()
            .get_mut(client_id)?
            .pending_will
            .take()
            .map(|will| *will)
    }

    /// Takes the delayed will of `generation`, if the session was not resumed since.
    pub fn take_pending_will(&self, client_id: &str, generation: u64) -> Option<Will> {
        let mut slots = self.slots.lock();
        let slot = slots.get_mut(client_id)?;
        if slot.generation != generation || slot.online.is_some() {
            return None;
        }
        slot.pending_will.take().map(|will| *will)
    }

    /// Connected clients with their sessions, ordered by client id.
    pub fn online(&self) -> Vec<(Arc<Session>, Arc<Presence>)> {
        let slots = self.slots.lock();
        let mut online: Vec<(Arc<Session>, Arc<Presence>)> = slots
            .values()
            .filter_map(|slot| Some((slot.session.clone(), slot.online.clone()?)))
            .collect();
        online.sort_by(|a, b| a.0.client_id.cmp(&b.0.client_id));
        online
    }

    /// Sessions kept for clients that are not connected.
    pub fn offline_count(&self) -> usize {
        self.slots
            .lock()
            .values()
            .filter(|slot| slot.online.is_none())
            .count()
    }

    /// Tells every connected client's connection to end with `reason`.
    pub fn kick_all(&self, reason: ReasonCode) {
        self.kick_online_where(reason, |_| true);
    }

    /// Tells the connections `select` picks to end with `reason`.
    pub fn kick_online_where(&self, reason: ReasonCode, mut select: impl FnMut(&Presence) -> bool) {
        for slot in self.slots.lock().values() {
            if let Some(presence) = slot.online.as_ref().filter(|presence| select(presence)) {
                presence.kick(reason);
                slot.session.mailbox.wake();
            }
        }
    }
}
