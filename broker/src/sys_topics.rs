//! The broker's background work: once a second the traffic rates are sampled and
//! expired retained messages forgotten; every `sys_interval` the `$SYS/broker/...`
//! statistics are published, retained, under the names Mosquitto uses, so tools that
//! read Mosquitto's `$SYS` tree work unchanged.

use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use bytes::Bytes;
use mqtt::{Properties, QoS};

use crate::core::{version, Core};
use crate::counters::Counters;
use crate::message::Message;
use crate::periodic::every;

const TICK: Duration = Duration::from_secs(1);

/// Runs until the broker is dropped or shuts down.
pub(crate) async fn run(core: Weak<Core>) {
    let mut last_sys: Option<Instant> = None;
    every(core, TICK, |core| {
        let now = Instant::now();
        core.counters.update_rates(now);
        core.retained.purge_expired(now);
        if let Some(interval) = core.config.sys_interval {
            if last_sys.is_none_or(|last| now.duration_since(last) >= interval) {
                last_sys = Some(now);
                publish_sys(core);
            }
        }
    })
    .await;
}

/// Publishes every `$SYS/broker/...` topic once.
pub(crate) fn publish_sys(core: &Arc<Core>) {
    for (name, value) in sys_values(core) {
        core.publish(Message {
            topic: format!("$SYS/broker/{name}").into(),
            payload: Bytes::from(value),
            qos: QoS::AtMostOnce,
            retain: true,
            properties: Properties::default(),
            expires_at: None,
            origin: None,
        });
    }
}

/// Topic (under `$SYS/broker/`) and payload of each statistic, as Mosquitto names
/// and formats them.
fn sys_values(core: &Core) -> Vec<(&'static str, String)> {
    let connected = core.registry.online().len();
    let offline = core.registry.offline_count();
    let mut values = vec![
        ("version", version()),
        (
            "uptime",
            format!("{} seconds", core.started.elapsed().as_secs()),
        ),
        ("clients/connected", connected.to_string()),
        ("clients/active", connected.to_string()),
        ("clients/disconnected", offline.to_string()),
        ("clients/inactive", offline.to_string()),
        ("clients/total", (connected + offline).to_string()),
        (
            "subscriptions/count",
            core.router.subscription_count().to_string(),
        ),
        ("retained messages/count", core.retained.len().to_string()),
    ];
    let counters = &core.counters;
    let totals = [
        ("messages/received", &counters.messages_received),
        ("messages/sent", &counters.messages_sent),
        ("publish/messages/received", &counters.publish_received),
        ("publish/messages/sent", &counters.publish_sent),
        ("publish/messages/dropped", &counters.publish_dropped),
        ("bytes/received", &counters.bytes_received),
        ("bytes/sent", &counters.bytes_sent),
    ];
    values.extend(totals.map(|(name, counter)| (name, Counters::get(counter).to_string())));
    let rates = counters.rates();
    let per_minute = [
        ("load/messages/received/1min", rates.messages_received),
        ("load/messages/sent/1min", rates.messages_sent),
        ("load/bytes/received/1min", rates.bytes_received),
        ("load/bytes/sent/1min", rates.bytes_sent),
    ];
    values.extend(per_minute.map(|(name, per_second)| (name, format!("{:.2}", per_second * 60.0))));
    values
}
