//! Keep alive for every connection at once (spec 3.1.2.10): one task looks at each
//! connected client's last packet time a few times a second and kicks the connections
//! whose client stayed silent for 1.5 × its keep alive; they end with "keep alive
//! timeout" and publish their will. One broker-wide timer rather than one per
//! connection: a timer entry would sit in every idle connection's task.

use std::sync::Weak;
use std::time::Duration;

use mqtt::ReasonCode;

use crate::core::Core;
use crate::periodic::every;

/// How often silent clients are looked for: the most a connection outlives its
/// keep-alive grace.
const SWEEP_INTERVAL: Duration = Duration::from_millis(250);

/// Runs until the broker is dropped or shuts down (which ends every connection).
pub(crate) async fn run(core: Weak<Core>) {
    every(core, SWEEP_INTERVAL, |core| {
        let now_ms = core.uptime_millis();
        core.registry
            .kick_online_where(ReasonCode::KeepAliveTimeout, |presence| {
                presence.keep_alive_expired(now_ms)
            });
    })
    .await;
}
