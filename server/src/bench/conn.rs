//! Opening many connections at once (a bounded number being set up at a time, timed one
//! by one), and the `conn` mode built on it: connect --clients, then hold them idle for
//! --duration so the broker's memory per connection can be read from outside.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::args::ConnArgs;
use super::client::{connect, ClientSpec, Events, Requests};
use super::latency::Latencies;
use super::report::{per_second, ConnectionSummary, ErrorTally, HoldSummary, Report};
use super::{client_ids, client_spec, Role};

/// How long a client may take to say goodbye at the end of a run.
pub const GOODBYE: Duration = Duration::from_secs(2);

/// An open connection.
pub struct Connected {
    pub index: usize,
    pub requests: Requests,
    pub events: Events,
}

/// The clients that connected, and how connecting went.
pub struct ConnectOutcome {
    pub connected: Vec<Connected>,
    pub summary: ConnectionSummary,
}

/// Connects one client per identifier, `concurrency` at a time. Failures are counted in
/// `errors`; the clients that connected come back in the order of `client_ids`, each
/// with its position there as `index`.
pub async fn connect_many(
    spec: &ClientSpec,
    client_ids: Vec<String>,
    concurrency: usize,
    errors: &Arc<ErrorTally>,
) -> ConnectOutcome {
    let count = client_ids.len();
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for (index, client_id) in client_ids.into_iter().enumerate() {
        let (spec, permits) = (spec.clone(), permits.clone());
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let begun = Instant::now();
            let outcome = connect(&spec, client_id).await;
            (index, begun.elapsed(), outcome)
        });
    }
    let mut latencies = Latencies::new();
    let mut connected = Vec::with_capacity(count);
    let mut failed = 0;
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((index, took, Ok((requests, events)))) => {
                latencies.record(took);
                connected.push(Connected {
                    index,
                    requests,
                    events,
                });
            }
            Ok((_, _, Err(error))) => {
                failed += 1;
                errors.record("connect", &error);
            }
            Err(error) => {
                failed += 1;
                errors.record("connect", &error);
            }
        }
    }
    let elapsed = started.elapsed();
    connected.sort_by_key(|client| client.index);
    let ok = connected.len() as u64;
    ConnectOutcome {
        connected,
        summary: ConnectionSummary {
            attempted: count as u64,
            connected: ok,
            failed,
            seconds: elapsed.as_secs_f64(),
            per_second: per_second(ok, elapsed),
            latency: latencies.summary(),
        },
    }
}

/// `mqttdeck bench conn`.
pub async fn run(args: ConnArgs) -> Report {
    let spec = client_spec(&args.target, 1, 1024, 1);
    let errors = Arc::new(ErrorTally::default());
    let concurrency = args.target.connect_concurrency as usize;
    let ids = client_ids(&spec, Role::Conn, args.clients as usize);
    let outcome = connect_many(&spec, ids, concurrency, &errors).await;
    eprintln!(
        "connected {} of {} in {:.3} s; holding them for {:.1} s",
        outcome.summary.connected,
        outcome.summary.attempted,
        outcome.summary.seconds,
        args.duration.as_secs_f64()
    );
    let stop = CancellationToken::new();
    let still_open = Arc::new(AtomicU64::new(0));
    let mut holders = JoinSet::new();
    for client in outcome.connected {
        holders.spawn(hold(
            client,
            stop.clone(),
            still_open.clone(),
            errors.clone(),
        ));
    }
    let held_from = Instant::now();
    tokio::time::sleep(args.duration).await;
    let held = held_from.elapsed();
    stop.cancel();
    while holders.join_next().await.is_some() {}
    Report {
        mode: "conn",
        broker: spec_address(&spec),
        protocol: spec.protocol.label(),
        connections: outcome.summary,
        hold: Some(HoldSummary {
            seconds: held.as_secs_f64(),
            still_open: still_open.load(Ordering::Relaxed),
        }),
        publish: None,
        receive: None,
        errors: errors.count(),
        error_samples: errors.samples(),
    }
}

/// Keeps one connection alive (answering pings) until `stop`, then disconnects it.
async fn hold(
    client: Connected,
    stop: CancellationToken,
    still_open: Arc<AtomicU64>,
    errors: Arc<ErrorTally>,
) {
    let Connected {
        requests,
        mut events,
        ..
    } = client;
    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            event = events.next() => if let Err(error) = event {
                errors.record("while held", &error);
                return;
            },
        }
    }
    still_open.fetch_add(1, Ordering::Relaxed);
    if requests.disconnect().await.is_ok() {
        events.finish(GOODBYE).await;
    }
}

pub fn spec_address(spec: &ClientSpec) -> String {
    format!("{}:{}", spec.host, spec.port)
}
