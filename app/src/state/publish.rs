//! Publishing data kept beside the connections: the global publish templates and the
//! history of sent messages. Both are saved in the stored document with the connections
//! (per-connection templates live in each connection's profile).

use leptos::prelude::*;

use crate::model::publish::{PublishDraft, PublishTemplate};
use crate::model::sent_history::{record, SentEntry};

#[derive(Clone, Copy)]
pub struct PublishBook {
    /// Templates offered on every connection.
    pub templates: RwSignal<Vec<PublishTemplate>>,
    /// Sent messages, newest first.
    pub history: RwSignal<Vec<SentEntry>>,
}

impl PublishBook {
    pub fn provide() -> Self {
        let book = PublishBook {
            templates: RwSignal::new(Vec::new()),
            history: RwSignal::new(Vec::new()),
        };
        provide_context(book);
        book
    }

    /// Adds a sent draft to the history (unless it is not kept: see `sent_history`).
    pub fn record_sent(&self, draft: &PublishDraft, at_ms: u64) {
        let mut history = self.history.get_untracked();
        if record(&mut history, draft, at_ms) {
            self.history.set(history);
        }
    }
}
