//! Wills: the message a client leaves with the broker at CONNECT, published when its
//! connection ends without a clean DISCONNECT (or with DISCONNECT 0x04), possibly
//! after the Will Delay Interval.

use std::sync::Arc;
use std::time::Instant;

use mqtt::{ByteStr, LastWill};

use crate::message::Message;

/// A will held for a session.
#[derive(Debug, Clone)]
pub(crate) struct Will {
    /// Boxed: every connection holds its will for its whole life, mostly unused.
    pub will: Box<LastWill>,
    pub client_id: Arc<str>,
    /// For the publish permission check when it is sent.
    pub username: Option<ByteStr>,
}

impl Will {
    /// Seconds to wait after the connection ends (MQTT 5 Will Delay Interval).
    pub fn delay(&self) -> u32 {
        self.will.properties.will_delay_interval.unwrap_or(0)
    }

    /// The message to publish, with its expiry counted from `now`.
    pub fn into_message(self, now: Instant) -> Message {
        let LastWill {
            topic,
            payload,
            qos,
            retain,
            properties,
        } = *self.will;
        Message::from_publish(
            topic,
            payload,
            qos,
            retain,
            &properties,
            Some(self.client_id),
            now,
        )
    }
}
