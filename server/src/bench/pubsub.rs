//! The `pub`, `sub` and `pubsub` modes as one flow: connect every client, subscribe and
//! wait for the grants, publish for the window, wait for acknowledgements and for the
//! messages still on their way, then sum up.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::args::{PubArgs, PubSubArgs, PublishArgs, SubArgs, TargetArgs};
use super::client::Requests;
use super::conn::{connect_many, spec_address, Connected, GOODBYE};
use super::publisher::{self, PublishPlan, Publisher};
use super::report::{per_second, ErrorTally, PublishSummary, ReceiveSummary, Report};
use super::subscriber::{self, Received, Shared};
use super::{client_ids, client_spec, expand, Role};

/// Requests a publisher may queue ahead of its connection. Small, so that a flat-out
/// run measures the broker rather than a queue inside the client.
const PUBLISH_QUEUE: usize = 16;
/// How long to wait for QoS 1/2 acknowledgements once publishing stops.
const ACK_WAIT: Duration = Duration::from_secs(5);
/// Messages still arriving after publishing stops are waited for until none has come
/// for this long...
const QUIET: Duration = Duration::from_millis(500);
/// ...or this long at most.
const DRAIN_LIMIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(10);

/// `mqttdeck bench pub`.
pub async fn run_pub(args: PubArgs) -> anyhow::Result<Report> {
    check_topic(&args.publish.topic)?;
    let flow = Flow {
        mode: "pub",
        target: &args.target,
        publishers: args.publishers as usize,
        publish: Some(&args.publish),
        filters: Vec::new(),
        subscribe_qos: args.publish.qos,
        listen: None,
        loss_known: false,
    };
    Ok(flow.run().await)
}

/// `mqttdeck bench sub`.
pub async fn run_sub(args: SubArgs) -> anyhow::Result<Report> {
    check_filter(&args.topic)?;
    let filters = (0..args.subscribers as usize)
        .map(|n| expand(&args.topic, n))
        .collect();
    let flow = Flow {
        mode: "sub",
        target: &args.target,
        publishers: 0,
        publish: None,
        filters,
        subscribe_qos: args.qos,
        listen: Some((args.duration, args.count)),
        loss_known: false,
    };
    Ok(flow.run().await)
}

/// `mqttdeck bench pubsub`.
pub async fn run_pubsub(args: PubSubArgs) -> anyhow::Result<Report> {
    check_topic(&args.publish.topic)?;
    let publishers = args.publishers as usize;
    let filters: Vec<String> = match &args.filter {
        Some(filter) => {
            check_filter(filter)?;
            (0..args.subscribers as usize)
                .map(|n| expand(filter, n))
                .collect()
        }
        None => (0..args.subscribers as usize)
            .map(|n| expand(&args.publish.topic, n % publishers.max(1)))
            .collect(),
    };
    let flow = Flow {
        mode: "pubsub",
        target: &args.target,
        publishers,
        publish: Some(&args.publish),
        filters,
        subscribe_qos: args.publish.qos,
        listen: None,
        loss_known: args.filter.is_none(),
    };
    Ok(flow.run().await)
}

fn check_topic(pattern: &str) -> anyhow::Result<()> {
    if pattern.is_empty() || pattern.contains(['+', '#', '\0']) {
        bail!("--topic {pattern:?} cannot be published to: give a topic name without wildcards");
    }
    Ok(())
}

fn check_filter(filter: &str) -> anyhow::Result<()> {
    if filter.is_empty() || filter.contains('\0') {
        bail!("{filter:?} is not a topic filter");
    }
    Ok(())
}

struct Flow<'a> {
    mode: &'static str,
    target: &'a TargetArgs,
    publishers: usize,
    publish: Option<&'a PublishArgs>,
    /// One filter per subscriber.
    filters: Vec<String>,
    subscribe_qos: u8,
    /// `sub` mode: receive for this long, or until this many messages (0: no limit).
    listen: Option<(Duration, u64)>,
    /// Whether the filters are exactly the publishers' topics, so loss can be counted.
    loss_known: bool,
}

impl Flow<'_> {
    async fn run(self) -> Report {
        let errors = Arc::new(ErrorTally::default());
        let (inflight, size) = self.publish.map_or((100, 0), |p| (p.inflight, p.size));
        let spec = client_spec(self.target, inflight, size, PUBLISH_QUEUE);
        let subscribers = self.filters.len();
        let mut ids = client_ids(&spec, Role::Sub, subscribers);
        ids.extend(client_ids(&spec, Role::Pub, self.publishers));
        let concurrency = self.target.connect_concurrency as usize;
        let outcome = connect_many(&spec, ids, concurrency, &errors).await;
        let (sub_clients, pub_clients): (Vec<Connected>, Vec<Connected>) = outcome
            .connected
            .into_iter()
            .partition(|client| client.index < subscribers);

        let (ready, readiness) = mpsc::unbounded_channel();
        let shared = Shared {
            total: Arc::new(AtomicU64::new(0)),
            ready,
            stop: CancellationToken::new(),
            errors: errors.clone(),
        };
        let (receiving, subscribed) = self.subscribe_all(sub_clients, &shared, readiness).await;
        eprintln!(
            "{} of {} clients connected, {subscribed} of {subscribers} subscribed",
            outcome.summary.connected, outcome.summary.attempted
        );

        let origin = Instant::now();
        let (publishers, senders, publish_end) =
            self.publish_all(pub_clients, origin, &errors).await;
        let expected = || self.expected(&publishers);
        match self.listen {
            Some((window, count)) => listen(&shared.total, window, count).await,
            None if !receiving.is_empty() && !publishers.is_empty() => {
                drain(&shared.total, &expected).await
            }
            None => {}
        }

        shared.stop.cancel();
        for requests in &senders {
            let _ = tokio::time::timeout(GOODBYE, requests.disconnect()).await;
        }
        let mut received = Received::default();
        for task in receiving {
            if let Ok(one) = task.await {
                merge(&mut received, one);
            }
        }
        let receive = self.receive_summary(&received, origin, expected());
        let publish = self
            .publish
            .map(|p| publish_summary(p, &publishers, origin, publish_end));
        for publisher in publishers {
            let _ = tokio::time::timeout(GOODBYE, publisher.driver).await;
        }
        Report {
            mode: self.mode,
            broker: spec_address(&spec),
            protocol: spec.protocol.label(),
            connections: outcome.summary,
            hold: None,
            publish,
            receive,
            errors: errors.count(),
            error_samples: errors.samples(),
        }
    }

    /// Starts the subscribers and waits until each has its SUBACK (or has failed);
    /// returns their tasks and how many subscribed.
    async fn subscribe_all(
        &self,
        clients: Vec<Connected>,
        shared: &Shared,
        mut readiness: mpsc::UnboundedReceiver<bool>,
    ) -> (Vec<JoinHandle<Received>>, usize) {
        let mut receiving = Vec::with_capacity(clients.len());
        for client in clients {
            let filter = self.filters.get(client.index).cloned().unwrap_or_default();
            let task = subscriber::spawn(
                client.requests,
                client.events,
                filter,
                self.subscribe_qos,
                shared.clone(),
            );
            receiving.push(task);
        }
        let mut subscribed = 0;
        for _ in 0..receiving.len() {
            match readiness.recv().await {
                Some(true) => subscribed += 1,
                Some(false) => {}
                None => break,
            }
        }
        (receiving, subscribed)
    }

    /// Publishes until every publisher is done, then waits for QoS 1/2
    /// acknowledgements; returns the publishers, their sending halves and when
    /// publishing stopped.
    async fn publish_all(
        &self,
        clients: Vec<Connected>,
        origin: Instant,
        errors: &Arc<ErrorTally>,
    ) -> (Vec<Publisher>, Vec<Requests>, Instant) {
        let mut publishers = match self.publish {
            Some(publish) => spawn_publishers(clients, publish, origin, errors),
            None => Vec::new(),
        };
        let mut senders = Vec::with_capacity(publishers.len());
        for publisher in &mut publishers {
            if let Ok(requests) = (&mut publisher.publishing).await {
                senders.push(requests);
            }
        }
        let publish_end = Instant::now();
        if self.subscribe_qos > 0 && !publishers.is_empty() {
            wait_for_acks(&publishers).await;
        }
        (publishers, senders, publish_end)
    }

    /// What the subscribers saw; the rate is over the time from the first publish (or,
    /// in `sub` mode, the first message) to the last message.
    fn receive_summary(
        &self,
        received: &Received,
        origin: Instant,
        expected: Option<u64>,
    ) -> Option<ReceiveSummary> {
        let subscribers = self.filters.len();
        if subscribers == 0 {
            return None;
        }
        let since = match self.publish {
            Some(_) => Some(origin),
            None => received.first_at,
        };
        let window = since
            .zip(received.last_at)
            .map_or(Duration::ZERO, |(first, last)| {
                last.saturating_duration_since(first)
            });
        Some(ReceiveSummary {
            subscribers: u32::try_from(subscribers).unwrap_or(u32::MAX),
            messages: received.messages,
            expected,
            lost: expected.map(|e| e.saturating_sub(received.messages)),
            seconds: window.as_secs_f64(),
            per_second: per_second(received.messages, window),
            latency: received.latencies.summary(),
        })
    }

    /// Deliveries the subscriptions call for: each subscriber gets what was sent to
    /// its filter (known only when the filters are the publishers' own topics).
    fn expected(&self, publishers: &[Publisher]) -> Option<u64> {
        if !self.loss_known {
            return None;
        }
        let mut sent_to: HashMap<&str, u64> = HashMap::new();
        for publisher in publishers {
            *sent_to.entry(publisher.topic.as_str()).or_default() +=
                publisher.tally.sent.load(Ordering::Relaxed);
        }
        Some(
            self.filters
                .iter()
                .map(|filter| sent_to.get(filter.as_str()).copied().unwrap_or(0))
                .sum(),
        )
    }
}

/// Starts every connected publisher; publisher `n`'s topic has `%i` = n, its share of
/// the rate and count, and a first message staggered by n / rate.
fn spawn_publishers(
    clients: Vec<Connected>,
    publish: &PublishArgs,
    origin: Instant,
    errors: &Arc<ErrorTally>,
) -> Vec<Publisher> {
    let total = clients.len().max(1) as u64;
    let rate = (publish.rate > 0).then_some(publish.rate as f64 / total as f64);
    let deadline = publish.window().map(|window| origin + window);
    clients
        .into_iter()
        .enumerate()
        .map(|(n, client)| {
            let n64 = n as u64;
            let count = (publish.count > 0)
                .then(|| publish.count / total + u64::from(n64 < publish.count % total));
            let stagger = match publish.rate {
                0 => Duration::ZERO,
                rate => Duration::from_secs_f64(n as f64 / rate as f64),
            };
            let plan = PublishPlan {
                topic: expand(&publish.topic, n),
                qos: publish.qos,
                size: publish.size as usize,
                rate,
                first_due: origin + stagger,
                count,
                deadline,
            };
            publisher::spawn(client.requests, client.events, plan, origin, errors.clone())
        })
        .collect()
}

fn publish_summary(
    publish: &PublishArgs,
    publishers: &[Publisher],
    origin: Instant,
    publish_end: Instant,
) -> PublishSummary {
    let sum = |field: fn(&publisher::PublisherTally) -> &AtomicU64| -> u64 {
        publishers
            .iter()
            .map(|p| field(&p.tally).load(Ordering::Relaxed))
            .sum()
    };
    let messages = sum(|t| &t.sent);
    let last_sent = publishers
        .iter()
        .map(|p| p.tally.last_sent_nanos.load(Ordering::Relaxed))
        .max()
        .map(Duration::from_nanos)
        .filter(|d| !d.is_zero())
        .unwrap_or_else(|| publish_end.saturating_duration_since(origin));
    PublishSummary {
        publishers: u32::try_from(publishers.len()).unwrap_or(u32::MAX),
        qos: publish.qos,
        payload_bytes: publish.size,
        target_rate: (publish.rate > 0).then_some(publish.rate),
        messages,
        acked: (publish.qos > 0).then(|| sum(|t| &t.acked)),
        seconds: last_sent.as_secs_f64(),
        per_second: per_second(messages, last_sent),
    }
}

async fn wait_for_acks(publishers: &[Publisher]) {
    let give_up = Instant::now() + ACK_WAIT;
    while Instant::now() < give_up {
        let outstanding = publishers
            .iter()
            .any(|p| p.tally.acked.load(Ordering::Relaxed) < p.tally.sent.load(Ordering::Relaxed));
        if !outstanding {
            break;
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Waits until every expected message has arrived, or none has for [`QUIET`].
async fn drain(total: &AtomicU64, expected: &dyn Fn() -> Option<u64>) {
    let give_up = Instant::now() + DRAIN_LIMIT;
    let mut seen = total.load(Ordering::Relaxed);
    let mut last_change = Instant::now();
    while Instant::now() < give_up {
        let now = total.load(Ordering::Relaxed);
        if expected().is_some_and(|expected| now >= expected) {
            break;
        }
        if now != seen {
            (seen, last_change) = (now, Instant::now());
        } else if last_change.elapsed() >= QUIET {
            break;
        }
        tokio::time::sleep(POLL).await;
    }
}

/// `sub` mode: receives for `window`, or until `count` messages (0: no limit).
async fn listen(total: &AtomicU64, window: Duration, count: u64) {
    let give_up = Instant::now() + window;
    while Instant::now() < give_up {
        if count > 0 && total.load(Ordering::Relaxed) >= count {
            break;
        }
        tokio::time::sleep(POLL).await;
    }
}

fn merge(into: &mut Received, one: Received) {
    into.messages += one.messages;
    into.latencies.merge(&one.latencies);
    into.first_at = match (into.first_at, one.first_at) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    into.last_at = into.last_at.max(one.last_at);
}
