//! A session's queue of messages waiting to be sent: the only part of a session that
//! publishers touch. QoS 1 / 2 messages are bounded in number (as Mosquitto's
//! `max_queued_messages`), and all messages together in bytes; when the bytes run out,
//! queued QoS 0 messages are dropped first to make room for QoS 1 / 2 ones, then new
//! messages are refused, and every drop is counted.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};

use futures_util::task::AtomicWaker;
use mqtt::QoS;
use parking_lot::Mutex;

use crate::message::Delivery;

/// The bounded queue between routing and a session's connection.
#[derive(Debug)]
pub(crate) struct Mailbox {
    queue: Mutex<Queue>,
    /// Wakes the connection: for new messages, and when it is kicked. A waker and a
    /// flag rather than a `Notify`, so that a waiting connection holds no waiter node
    /// in its future (see [`Mailbox::poll_woken`]).
    waker: AtomicWaker,
    /// A wake-up the connection has not seen yet.
    woken: AtomicBool,
    online: AtomicBool,
    /// Whether the connection is ready for more messages; pushes do not wake it
    /// while it is not (its socket is backed up).
    wants_messages: AtomicBool,
    dropped: AtomicU64,
    /// 32 bits, which every session's mailbox is the smaller for: a queue that long
    /// would hold hundreds of GiB, far past the byte bound.
    max_messages: u32,
    max_bytes: usize,
}

#[derive(Debug, Default)]
struct Queue {
    items: VecDeque<Delivery>,
    bytes: usize,
    qos0: usize,
}

/// What happened to a pushed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pushed {
    Queued,
    /// Queued, after dropping an older QoS 0 message to make room.
    QueuedDroppingOlder,
    /// Not queued: the queue is full (or the session is offline and it is QoS 0).
    Dropped,
    /// Not queued: QoS 0 to an offline session, which is not kept (not a failure).
    Skipped,
}

impl Mailbox {
    pub fn new(max_messages: usize, max_bytes: usize) -> Self {
        Self {
            queue: Mutex::new(Queue::default()),
            waker: AtomicWaker::new(),
            woken: AtomicBool::new(false),
            online: AtomicBool::new(false),
            wants_messages: AtomicBool::new(true),
            dropped: AtomicU64::new(0),
            max_messages: u32::try_from(max_messages.max(1)).unwrap_or(u32::MAX),
            max_bytes: max_bytes.max(1),
        }
    }

    /// Queues `delivery` and wakes the connection, applying the drop policy.
    pub fn push(&self, delivery: Delivery) -> Pushed {
        let reliable = delivery.qos != QoS::AtMostOnce;
        if !reliable && !self.is_online() {
            return Pushed::Skipped;
        }
        let size = delivery.size();
        let outcome = {
            let mut queue = self.queue.lock();
            if reliable && queue.reliable() >= self.max_messages as usize {
                return self.refuse();
            }
            let mut outcome = Pushed::Queued;
            while !queue.items.is_empty() && queue.bytes + size > self.max_bytes {
                if !reliable || !queue.drop_oldest_qos0() {
                    return self.refuse();
                }
                self.dropped.fetch_add(1, Ordering::Relaxed);
                outcome = Pushed::QueuedDroppingOlder;
            }
            queue.push(delivery, size);
            outcome
        };
        if self.wants_messages.load(Ordering::Acquire) {
            self.wake();
        }
        outcome
    }

    fn refuse(&self) -> Pushed {
        self.dropped.fetch_add(1, Ordering::Relaxed);
        Pushed::Dropped
    }

    /// Moves up to `max` messages from the front into `out`. QoS 1 / 2 messages each
    /// take one unit of `room` (free inflight slots); a QoS 1 / 2 message at the front
    /// with no room left stops the batch, so order is kept.
    pub fn take_batch(&self, out: &mut Vec<Delivery>, max: usize, mut room: usize) {
        let mut queue = self.queue.lock();
        while out.len() < max {
            let Some(front) = queue.items.front() else {
                break;
            };
            if front.qos != QoS::AtMostOnce {
                if room == 0 {
                    break;
                }
                room -= 1;
            }
            if let Some(delivery) = queue.pop_front() {
                out.push(delivery);
            }
        }
    }

    /// Ready when something was pushed or [`Mailbox::wake`] called since it was last
    /// ready (a stored wake-up counts, so none is lost); otherwise the task is woken
    /// when that happens.
    pub fn poll_woken(&self, cx: &mut Context<'_>) -> Poll<()> {
        if self.woken.swap(false, Ordering::AcqRel) {
            return Poll::Ready(());
        }
        self.waker.register(cx.waker());
        // A wake between the check and the registration found no waker to wake.
        if self.woken.swap(false, Ordering::AcqRel) {
            return Poll::Ready(());
        }
        Poll::Pending
    }

    /// Resolves as [`Mailbox::poll_woken`] does.
    #[cfg(test)]
    pub async fn woken(&self) {
        std::future::poll_fn(|cx| self.poll_woken(cx)).await
    }

    /// Wakes the connection draining this mailbox, e.g. to tell it it was kicked.
    pub fn wake(&self) {
        // Already set: whoever set it woke the task, which has not looked yet.
        if !self.woken.swap(true, Ordering::AcqRel) {
            self.waker.wake();
        }
    }

    /// Says whether the connection can take messages now. Returns true when it starts
    /// wanting them again while some are queued: the pushes in between did not wake it.
    pub fn set_wants_messages(&self, wants: bool) -> bool {
        let wanted = self.wants_messages.swap(wants, Ordering::AcqRel);
        wants && !wanted && !self.queue.lock().items.is_empty()
    }

    /// Marks whether a connection is draining this mailbox. Going offline drops the
    /// queued QoS 0 messages, which are not kept for offline sessions.
    pub fn set_online(&self, online: bool) {
        self.online.store(online, Ordering::Release);
        if !online {
            let mut queue = self.queue.lock();
            if queue.qos0 > 0 {
                queue
                    .items
                    .retain(|delivery| delivery.qos != QoS::AtMostOnce);
                queue.recount();
            }
        }
    }

    pub fn is_online(&self) -> bool {
        self.online.load(Ordering::Acquire)
    }

    /// Empties the queue (a clean start discards the old session's messages).
    pub fn clear(&self) {
        let mut queue = self.queue.lock();
        *queue = Queue::default();
    }

    pub fn len(&self) -> usize {
        self.queue.lock().items.len()
    }

    /// Messages this mailbox refused or evicted because it was full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

impl Queue {
    /// Queued QoS 1 / 2 messages.
    fn reliable(&self) -> usize {
        self.items.len() - self.qos0
    }

    fn push(&mut self, delivery: Delivery, size: usize) {
        self.bytes += size;
        if delivery.qos == QoS::AtMostOnce {
            self.qos0 += 1;
        }
        self.items.push_back(delivery);
    }

    fn pop_front(&mut self) -> Option<Delivery> {
        let delivery = self.items.pop_front()?;
        self.forget(&delivery);
        Some(delivery)
    }

    fn forget(&mut self, delivery: &Delivery) {
        self.bytes = self.bytes.saturating_sub(delivery.size());
        if delivery.qos == QoS::AtMostOnce {
            self.qos0 = self.qos0.saturating_sub(1);
        }
    }

    /// Removes the oldest QoS 0 message; false if there is none.
    fn drop_oldest_qos0(&mut self) -> bool {
        if self.qos0 == 0 {
            return false;
        }
        let Some(index) = self
            .items
            .iter()
            .position(|delivery| delivery.qos == QoS::AtMostOnce)
        else {
            return false;
        };
        match self.items.remove(index) {
            Some(delivery) => {
                self.forget(&delivery);
                true
            }
            None => false,
        }
    }

    fn recount(&mut self) {
        self.bytes = self.items.iter().map(Delivery::size).sum();
        self.qos0 = self
            .items
            .iter()
            .filter(|delivery| delivery.qos == QoS::AtMostOnce)
            .count();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bytes::Bytes;
    use mqtt::{ByteStr, Properties};

    use super::*;
    use crate::message::Message;

    fn delivery(qos: QoS, payload: &'static [u8]) -> Delivery {
        Delivery {
            message: Arc::new(Message {
                topic: ByteStr::from_static("t"),
                payload: Bytes::from_static(payload),
                qos,
                retain: false,
                properties: Properties::default(),
                expires_at: None,
                origin: None,
            }),
            qos,
            retain: false,
            subscription_ids: Vec::new(),
        }
    }

    fn online(max_messages: usize, max_bytes: usize) -> Mailbox {
        let mailbox = Mailbox::new(max_messages, max_bytes);
        mailbox.set_online(true);
        mailbox
    }

    #[test]
    fn qos1_is_bounded_in_number_and_qos0_only_in_bytes() {
        let mailbox = online(2, 1 << 20);
        for _ in 0..5 {
            assert_eq!(
                mailbox.push(delivery(QoS::AtMostOnce, b"a")),
                Pushed::Queued
            );
        }
        assert_eq!(
            mailbox.push(delivery(QoS::AtLeastOnce, b"b")),
            Pushed::Queued
        );
        assert_eq!(
            mailbox.push(delivery(QoS::ExactlyOnce, b"c")),
            Pushed::Queued
        );
        assert_eq!(
            mailbox.push(delivery(QoS::AtLeastOnce, b"d")),
            Pushed::Dropped
        );
        assert_eq!((mailbox.len(), mailbox.dropped()), (7, 1));
    }

    #[test]
    fn when_bytes_run_out_qos0_makes_room_for_qos1() {
        let unit = delivery(QoS::AtMostOnce, b"a").size();
        let mailbox = online(10, unit * 2);
        assert_eq!(
            mailbox.push(delivery(QoS::AtMostOnce, b"a")),
            Pushed::Queued
        );
        assert_eq!(
            mailbox.push(delivery(QoS::AtLeastOnce, b"b")),
            Pushed::Queued
        );
        assert_eq!(
            mailbox.push(delivery(QoS::AtMostOnce, b"c")),
            Pushed::Dropped
        );
        assert_eq!(
            mailbox.push(delivery(QoS::AtLeastOnce, b"d")),
            Pushed::QueuedDroppingOlder
        );
        assert_eq!(
            mailbox.push(delivery(QoS::ExactlyOnce, b"e")),
            Pushed::Dropped
        );
        assert_eq!(mailbox.dropped(), 3);
        let mut out = Vec::new();
        mailbox.take_batch(&mut out, 10, 10);
        let payloads: Vec<&[u8]> = out.iter().map(|d| d.message.payload.as_ref()).collect();
        assert_eq!(payloads, [b"b".as_ref(), b"d".as_ref()]);
    }

    #[test]
    fn a_batch_stops_at_qos1_without_inflight_room_and_keeps_order() {
        let mailbox = online(10, 1 << 20);
        mailbox.push(delivery(QoS::AtMostOnce, b"a"));
        mailbox.push(delivery(QoS::AtLeastOnce, b"b"));
        mailbox.push(delivery(QoS::AtMostOnce, b"c"));
        let mut out = Vec::new();
        mailbox.take_batch(&mut out, 10, 0);
        assert_eq!(out.len(), 1);
        mailbox.take_batch(&mut out, 10, 1);
        assert_eq!(out.len(), 3);
    }

    #[test]
    fn offline_sessions_keep_qos1_but_not_qos0() {
        let mailbox = online(10, 1 << 20);
        mailbox.push(delivery(QoS::AtMostOnce, b"a"));
        mailbox.push(delivery(QoS::AtLeastOnce, b"b"));
        mailbox.set_online(false);
        assert_eq!(mailbox.len(), 1);
        assert_eq!(
            mailbox.push(delivery(QoS::AtMostOnce, b"c")),
            Pushed::Skipped
        );
        assert_eq!(
            mailbox.push(delivery(QoS::AtLeastOnce, b"d")),
            Pushed::Queued
        );
        assert_eq!(mailbox.len(), 2);
    }

    #[tokio::test]
    async fn a_wake_before_the_connection_waits_is_kept_once() {
        let mailbox = Arc::new(online(10, 1 << 20));
        mailbox.push(delivery(QoS::AtLeastOnce, b"a"));
        mailbox.wake();
        // Two wake-ups before anyone looked count once: the first wait returns at once.
        mailbox.woken().await;
        let waiting = tokio::spawn({
            let mailbox = mailbox.clone();
            async move { mailbox.woken().await }
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        mailbox.push(delivery(QoS::AtLeastOnce, b"b"));
        waiting
            .await
            .expect("the waiting task was woken by the push");
    }

    #[test]
    fn the_byte_bound_applies_but_one_message_always_fits() {
        let mailbox = online(100, 4);
        assert_eq!(
            mailbox.push(delivery(QoS::AtLeastOnce, b"12345678")),
            Pushed::Queued
        );
        assert_eq!(
            mailbox.push(delivery(QoS::AtLeastOnce, b"1")),
            Pushed::Dropped
        );
    }
}
