//! One publishing client: a loop that queues stamped messages at its share of the rate
//! (or as fast as the client takes them) until its count or the deadline, and a driver
//! that polls the connection and counts what was written and acknowledged.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;

use super::client::{Event, Events, Requests};
use super::latency::stamped_payload;
use super::report::ErrorTally;

/// What one publisher sends.
#[derive(Debug, Clone)]
pub struct PublishPlan {
    pub topic: String,
    pub qos: u8,
    pub size: usize,
    /// This publisher's messages per second; `None` for flat out.
    pub rate: Option<f64>,
    /// When this publisher's first message is due (publishers are staggered so that
    /// paced runs do not send in lockstep).
    pub first_due: Instant,
    /// Messages to send at most.
    pub count: Option<u64>,
    /// No message is queued from this instant on.
    pub deadline: Option<Instant>,
}

/// What one publisher's connection has done, updated while it runs.
#[derive(Debug, Default)]
pub struct PublisherTally {
    pub sent: AtomicU64,
    pub acked: AtomicU64,
    /// When the last PUBLISH was written, in nanoseconds after the run's origin.
    pub last_sent_nanos: AtomicU64,
}

/// A publisher at work: its publishing loop hands the connection's sending half back
/// when done; the driver ends once the connection does.
pub struct Publisher {
    pub topic: String,
    pub tally: Arc<PublisherTally>,
    pub publishing: JoinHandle<Requests>,
    pub driver: JoinHandle<()>,
}

pub fn spawn(
    requests: Requests,
    events: Events,
    plan: PublishPlan,
    origin: Instant,
    errors: Arc<ErrorTally>,
) -> Publisher {
    let tally = Arc::new(PublisherTally::default());
    let topic = plan.topic.clone();
    let driver = tokio::spawn(drive(events, tally.clone(), origin, errors.clone()));
    let publishing = tokio::spawn(publish(requests, plan, errors));
    Publisher {
        topic,
        tally,
        publishing,
        driver,
    }
}

async fn publish(requests: Requests, plan: PublishPlan, errors: Arc<ErrorTally>) -> Requests {
    let past_deadline = |at: Instant| plan.deadline.is_some_and(|deadline| at >= deadline);
    let mut queued: u64 = 0;
    loop {
        if plan.count.is_some_and(|count| queued >= count) {
            break;
        }
        if let Some(rate) = plan.rate {
            let due = plan.first_due + Duration::from_secs_f64(queued as f64 / rate);
            if past_deadline(due) {
                break;
            }
            tokio::time::sleep_until(due.into()).await;
        }
        if past_deadline(Instant::now()) {
            break;
        }
        let payload = stamped_payload(plan.size);
        let publishing = requests.publish(&plan.topic, plan.qos, payload);
        let outcome = match plan.deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline.into(), publishing).await {
                Ok(outcome) => outcome,
                Err(_) => break,
            },
            None => publishing.await,
        };
        if let Err(error) = outcome {
            errors.record("publish", &error);
            break;
        }
        queued += 1;
    }
    requests
}

async fn drive(
    mut events: Events,
    tally: Arc<PublisherTally>,
    origin: Instant,
    errors: Arc<ErrorTally>,
) {
    loop {
        match events.next().await {
            Ok(Event::Sent) => {
                tally.sent.fetch_add(1, Ordering::Relaxed);
                let nanos = u64::try_from(origin.elapsed().as_nanos()).unwrap_or(u64::MAX);
                tally.last_sent_nanos.fetch_max(nanos, Ordering::Relaxed);
            }
            Ok(Event::Acked) => {
                tally.acked.fetch_add(1, Ordering::Relaxed);
            }
            Ok(Event::Disconnected) => break,
            Ok(_) => {}
            Err(error) => {
                errors.record("publisher", &error);
                break;
            }
        }
    }
}
