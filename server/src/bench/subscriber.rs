//! One subscribing client: subscribes, says when the broker has granted the
//! subscription, then counts the messages that arrive and records their latency until
//! told to stop.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::client::{ClientError, Event, Events, Requests, CONNECT_TIMEOUT};
use super::conn::GOODBYE;
use super::latency::Latencies;
use super::report::ErrorTally;

/// What one subscriber received.
#[derive(Default)]
pub struct Received {
    pub messages: u64,
    pub latencies: Latencies,
    pub first_at: Option<Instant>,
    pub last_at: Option<Instant>,
}

/// Where a subscriber reports to while it runs.
#[derive(Clone)]
pub struct Shared {
    /// Messages received over all subscribers.
    pub total: Arc<AtomicU64>,
    /// One `true` per subscriber once subscribed, `false` if it could not.
    pub ready: mpsc::UnboundedSender<bool>,
    pub stop: CancellationToken,
    pub errors: Arc<ErrorTally>,
}

pub fn spawn(
    requests: Requests,
    events: Events,
    filter: String,
    qos: u8,
    shared: Shared,
) -> JoinHandle<Received> {
    tokio::spawn(run(requests, events, filter, qos, shared))
}

async fn run(
    requests: Requests,
    mut events: Events,
    filter: String,
    qos: u8,
    shared: Shared,
) -> Received {
    let mut received = Received::default();
    let subscribed = match tokio::time::timeout(
        CONNECT_TIMEOUT,
        subscribe(&requests, &mut events, &filter, qos),
    )
    .await
    {
        Ok(outcome) => outcome,
        Err(_) => Err(ClientError::SubscribeRefused(format!(
            "{filter} (no SUBACK in time)"
        ))),
    };
    let _ = shared.ready.send(subscribed.is_ok());
    if let Err(error) = subscribed {
        shared.errors.record("subscribe", &error);
        return received;
    }
    loop {
        tokio::select! {
            biased;
            () = shared.stop.cancelled() => break,
            event = events.next() => match event {
                Ok(Event::Message { age }) => {
                    let now = Instant::now();
                    received.messages += 1;
                    received.first_at.get_or_insert(now);
                    received.last_at = Some(now);
                    if let Some(age) = age {
                        received.latencies.record(age);
                    }
                    shared.total.fetch_add(1, Ordering::Relaxed);
                }
                Ok(Event::Disconnected) => break,
                Ok(_) => {}
                Err(error) => {
                    shared.errors.record("subscriber", &error);
                    return received;
                }
            },
        }
    }
    if requests.disconnect().await.is_ok() {
        events.finish(GOODBYE).await;
    }
    received
}

async fn subscribe(
    requests: &Requests,
    events: &mut Events,
    filter: &str,
    qos: u8,
) -> Result<(), ClientError> {
    requests.subscribe(filter, qos).await?;
    loop {
        match events.next().await? {
            Event::Subscribed { refused: false } => return Ok(()),
            Event::Subscribed { refused: true } => {
                return Err(ClientError::SubscribeRefused(filter.to_owned()))
            }
            Event::Disconnected => return Err(ClientError::Stopped),
            _ => {}
        }
    }
}
