//! Keep alive for every connection at once (spec 3.1.2.10): one task looks at each
//! connected client's last packet time a few times a second and kicks the connections
//! whose client stayed silent for 1.5 × its keep alive; they end with "keep alive
//! timeout" and publish their will. One broker-wide timer rather than one per
//! connection: a timer entry would sit in every idle connection's task.

use std::sync::Weak;
use std::time::Duration;

use mqtt::ReasonCode;

use crate::core::Core;

/// How often silent clients are looked for: the most a connection outlives its
/// keep-alive grace.
const SWEEP_INTERVAL: Duration = Duration::from_millis(250);

/// Runs until the broker is dropped or shuts down (which ends every connection).
pub(crate) async fn run(core: Weak<Core>) {
    let mut shutdown = match core.upgrade() {
        Some(core) => core.shutdown.subscribe(),
        None => return,
    };
    let mut ticker = tokio::time::interval(SWEEP_INTERVAL);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = shutdown.wait_for(|down| *down) => return,
        }
        let Some(core) = core.upgrade() else { return };
        let now_ms = core.uptime_millis();
        core.registry
            .kick_online_where(ReasonCode::KeepAliveTimeout, |presence| {
                presence.keep_alive_expired(now_ms)
            });
    }
}
