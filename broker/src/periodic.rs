//! Broker-wide background work on a fixed period (keep-alive sweeps, statistics):
//! one loop that ticks until the broker shuts down or is dropped, so each job only
//! says what to do on a tick. Missed ticks are delayed, not bunched up.

use std::sync::{Arc, Weak};
use std::time::Duration;

use crate::core::Core;

/// Calls `tick` every `period` with the live broker, until it shuts down or is dropped.
pub(crate) async fn every(core: Weak<Core>, period: Duration, mut tick: impl FnMut(&Arc<Core>)) {
    let mut shutdown = match core.upgrade() {
        Some(core) => core.shutdown.subscribe(),
        None => return,
    };
    let mut ticker = tokio::time::interval(period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = shutdown.wait_for(|down| *down) => return,
        }
        let Some(core) = core.upgrade() else { return };
        tick(&core);
    }
}
