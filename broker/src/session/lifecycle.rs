//! A session's life: attached by CONNECT (new, resumed, or taken over from another
//! connection), detached when the connection ends, ended by Clean Start or by its
//! expiry, and the delayed will that may fire in between.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::OwnedMutexGuard;

use super::{Presence, Session, SessionState};
use crate::core::Core;
use crate::will::Will;

/// How long a new connection waits for the one it takes over to let go.
const TAKEOVER_TIMEOUT: Duration = Duration::from_secs(10);

/// A session attached to a connection, which holds its state until it detaches.
#[derive(Debug)]
pub(crate) struct Attached {
    pub session: Arc<Session>,
    pub state: OwnedMutexGuard<SessionState>,
    pub generation: u64,
}

/// The previous connection did not let go of the session in time.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the connection holding this client id did not close within {TAKEOVER_TIMEOUT:?}")]
pub(crate) struct TakeoverTimeout;

/// How a connection left its session.
#[derive(Debug)]
pub(crate) struct Departure {
    /// The will, if CONNECT had one and the connection did not end in a way that
    /// discards it. Boxed as the connection kept it, and as the registry keeps it
    /// while it waits for its delay.
    pub will: Option<Box<Will>>,
    /// Seconds the session outlives the connection (0: it ends now).
    pub session_expiry: u32,
}

impl Core {
    /// Attaches `client_id`'s session to a new connection, waiting for a connection
    /// it takes over to let go first; with whether a session was present (for
    /// CONNACK, and not kept in [`Attached`], which lives as long as the connection).
    pub async fn attach(
        self: &Arc<Self>,
        client_id: &str,
        clean_start: bool,
        presence: Arc<Presence>,
    ) -> Result<(Attached, bool), TakeoverTimeout> {
        let limits = &self.config.limits;
        let claim = self.registry.claim(client_id, presence, |id| {
            Session::new(id, limits.max_queued_messages, limits.max_queued_bytes)
        });
        let lock = claim.session.state.clone().lock_owned();
        let Ok(mut state) = tokio::time::timeout(TAKEOVER_TIMEOUT, lock).await else {
            self.registry
                .release(client_id, claim.generation, true, None);
            return Err(TakeoverTimeout);
        };
        // A delayed will of the connection just taken over is handed over when it lets
        // go, which is before the lock is ours.
        let pending_will = claim
            .pending_will
            .or_else(|| self.registry.take_handed_over_will(client_id));
        if clean_start && claim.existed {
            self.end_session(&claim.session, &mut state);
            // The old session ends before its Will Delay Interval: the will goes out
            // now (spec 3.1.3.2.2). When the session continues it is dropped instead:
            // a new connection came before the delay elapsed [MQTT-3.1.3-9].
            if let Some(will) = pending_will {
                self.publish_will(*will);
            }
        }
        claim.session.mailbox.set_online(true);
        let session_present = claim.existed && !clean_start;
        let attached = Attached {
            session: claim.session,
            state,
            generation: claim.generation,
        };
        Ok((attached, session_present))
    }

    /// Detaches a connection from its session: ends the session or keeps it for
    /// `session_expiry` seconds, and publishes or schedules the will.
    pub fn detach(self: &Arc<Self>, attached: Attached, departure: Departure) {
        let Attached {
            session,
            mut state,
            generation,
        } = attached;
        let expiry = departure.session_expiry;
        let keep = expiry > 0;
        let (will_now, will_later) = match departure.will {
            Some(will) if keep && will.delay() > 0 => (None, Some(will)),
            will => (will, None),
        };
        let will_delay = will_later.as_deref().map(Will::delay);
        let client_id = session.client_id.clone();
        // Taken over, a delayed will stays with the session: whether it goes out depends
        // on whether the taking connection continues the session.
        if self
            .registry
            .release(&client_id, generation, keep, will_later)
        {
            session.mailbox.set_online(false);
            if !keep {
                self.end_session(&session, &mut state);
            } else {
                if let Some(delay) = will_delay {
                    self.schedule_will(client_id.clone(), generation, delay.min(expiry));
                }
                if expiry != u32::MAX {
                    self.schedule_expiry(client_id, generation, expiry);
                }
            }
        }
        drop(state);
        if let Some(will) = will_now {
            self.publish_will(*will);
        }
    }

    /// Forgets everything a session held: subscriptions, flows, queued messages.
    fn end_session(&self, session: &Session, state: &mut SessionState) {
        for (filter, _) in state.subscriptions.drain() {
            self.router
                .unsubscribe(&filter, &session.client_id, Some(session));
        }
        *state = SessionState::default();
        session.mailbox.clear();
    }

    /// Publishes a will, if the client may publish to its topic.
    pub fn publish_will(&self, will: Will) {
        let username = will.username.as_deref();
        let allowed =
            self.config
                .authenticator
                .can_publish(username, &will.client_id, &will.will.topic);
        if !allowed {
            tracing::info!(client_id = %will.client_id, topic = %will.will.topic, "will not published: not authorised");
            return;
        }
        tracing::debug!(client_id = %will.client_id, topic = %will.will.topic, "publishing will");
        self.publish(will.into_message(Instant::now()));
    }

    fn schedule_will(self: &Arc<Self>, client_id: Arc<str>, generation: u64, seconds: u32) {
        let core = Arc::downgrade(self);
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(u64::from(seconds))).await;
            let Some(core) = core.upgrade() else { return };
            if let Some(will) = core.registry.take_pending_will(&client_id, generation) {
                core.publish_will(*will);
            }
        });
    }

    fn schedule_expiry(self: &Arc<Self>, client_id: Arc<str>, generation: u64, seconds: u32) {
        let core = Arc::downgrade(self);
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(u64::from(seconds))).await;
            let Some(core) = core.upgrade() else { return };
            let Some((session, will)) = core.registry.expire(&client_id, generation) else {
                return;
            };
            tracing::debug!(%client_id, "session expired");
            let mut state = session.state.lock().await;
            core.end_session(&session, &mut state);
            drop(state);
            if let Some(will) = will {
                core.publish_will(*will);
            }
        });
    }
}
