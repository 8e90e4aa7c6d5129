//! The map from client id to session. Each attach gets a generation number; timers
//! and departing connections act on a session only if the generation they hold is
//! still the current one, so a reconnect always wins over a stale timer.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use mqtt::ReasonCode;
use parking_lot::Mutex;

use super::{Presence, Session};
use crate::hashing::Map;
use crate::will::Will;

/// A slot's key: the session itself, looked up by its client id. Keyed on the session
/// rather than on a copy of its client id, every entry of the table (as many as
/// sessions, and more while the table has room to grow) is 16 bytes smaller.
#[derive(Debug)]
struct SessionKey(Arc<Session>);

impl Borrow<str> for SessionKey {
    fn borrow(&self) -> &str {
        &self.0.client_id
    }
}

/// Hashed and compared as its client id, which [`Borrow`] requires.
impl Hash for SessionKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        str::hash(&self.0.client_id, state);
    }
}

impl PartialEq for SessionKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.client_id == other.0.client_id
    }
}

impl Eq for SessionKey {}

#[derive(Debug)]
struct Slot {
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
    pub pending_will: Option<Box<Will>>,
}

/// Every session, connected or not.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    slots: Mutex<Map<SessionKey, Slot>>,
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
        // Looked up twice when the session exists (its key, then its slot): a
        // reconnect is rare next to the memory the key saves.
        if let Some((SessionKey(session), _)) = slots.get_key_value(client_id) {
            let session = session.clone();
            if let Some(slot) = slots.get_mut(client_id) {
                if let Some(previous) = slot.online.replace(presence) {
                    previous.kick(ReasonCode::SessionTakenOver);
                    session.mailbox.wake();
                }
                slot.generation = generation;
                return Claim {
                    session,
                    generation,
                    existed: true,
                    pending_will: slot.pending_will.take(),
                };
            }
        }
        let session = Arc::new(new_session(client_id.into()));
        slots.insert(
            SessionKey(session.clone()),
            Slot {
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
        pending_will: Option<Box<Will>>,
    ) -> bool {
        let mut slots = self.slots.lock();
        let Some(slot) = slots.get_mut(client_id) else {
            return false;
        };
        if slot.generation != generation {
            if pending_will.is_some() {
                slot.pending_will = pending_will;
            }
            return false;
        }
        if keep {
            slot.online = None;
            slot.pending_will = pending_will;
        } else {
            slots.remove(client_id);
        }
        true
    }

    /// Removes the session if it is still offline since `generation` left; returns it
    /// with its pending will.
    pub fn expire(
        &self,
        client_id: &str,
        generation: u64,
    ) -> Option<(Arc<Session>, Option<Box<Will>>)> {
        let mut slots = self.slots.lock();
        let current = slots.get(client_id)?;
        if current.generation != generation || current.online.is_some() {
            return None;
        }
        let (SessionKey(session), slot) = slots.remove_entry(client_id)?;
        Some((session, slot.pending_will))
    }

    /// The delayed will a taken-over connection left in [`Registry::release`], taken by
    /// the connection that took the session over once the previous one has let go.
    pub fn take_handed_over_will(&self, client_id: &str) -> Option<Box<Will>> {
        self.slots.lock().get_mut(client_id)?.pending_will.take()
    }

    /// Takes the delayed will of `generation`, if the session was not resumed since.
    pub fn take_pending_will(&self, client_id: &str, generation: u64) -> Option<Box<Will>> {
        let mut slots = self.slots.lock();
        let slot = slots.get_mut(client_id)?;
        if slot.generation != generation || slot.online.is_some() {
            return None;
        }
        slot.pending_will.take()
    }

    /// Connected clients with their sessions, ordered by client id.
    pub fn online(&self) -> Vec<(Arc<Session>, Arc<Presence>)> {
        let slots = self.slots.lock();
        let mut online: Vec<(Arc<Session>, Arc<Presence>)> = slots
            .iter()
            .filter_map(|(SessionKey(session), slot)| Some((session.clone(), slot.online.clone()?)))
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
        for (SessionKey(session), slot) in self.slots.lock().iter() {
            if let Some(presence) = slot.online.as_ref().filter(|presence| select(presence)) {
                presence.kick(reason);
                session.mailbox.wake();
            }
        }
    }
}
