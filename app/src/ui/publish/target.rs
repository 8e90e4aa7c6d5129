//! Where the publish section sends: one connection, its live status and protocol level,
//! and the shared sent history. Building, sending and recording happen here, so the form,
//! templates and timed publish all send the same way.

use leptos::prelude::*;
use mqtt::client::OutgoingPublish;

use crate::model::publish::PublishDraft;
use crate::model::template::TemplateContext;
use crate::platform::{now_ms, random};
use crate::state::publish::PublishBook;
use crate::state::{AppState, ConnectionRuntime, LinkStatus};

/// What the user sees after an action: an error, or a short note.
#[derive(Clone, Debug, PartialEq)]
pub enum Feedback {
    Error(String),
    Note(String),
}

#[derive(Clone, Copy)]
pub struct Target {
    pub id: StoredValue<String>,
    pub runtime: ConnectionRuntime,
    pub state: AppState,
    pub book: PublishBook,
    pub feedback: RwSignal<Option<Feedback>>,
}

impl Target {
    pub fn new(id: String, runtime: ConnectionRuntime) -> Self {
        Target {
            id: StoredValue::new(id),
            runtime,
            state: expect_context::<AppState>(),
            book: expect_context::<PublishBook>(),
            feedback: RwSignal::new(None),
        }
    }

    pub fn is_v5(&self) -> bool {
        self.id
            .with_value(|id| self.state.with_profile(id, |p| p.version.is_v5()))
            .unwrap_or(false)
    }

    /// Whether the connection is live now (false once its signals are gone).
    pub fn is_connected(&self) -> bool {
        self.runtime.status.try_get_untracked() == Some(LinkStatus::Connected)
    }

    fn require_connected(&self) -> Result<(), String> {
        if self.is_connected() {
            Ok(())
        } else {
            Err("connect first: messages are published over the live connection".into())
        }
    }

    /// Builds `draft` as message number `counter` of its run and sends it; the unknown
    /// template variables (sent as typed) come back.
    pub fn send_draft(&self, draft: &PublishDraft, counter: u64) -> Result<Vec<String>, String> {
        self.require_connected()?;
        let mut random = random;
        let built = draft.build(
            self.is_v5(),
            &mut TemplateContext {
                now_ms: now_ms(),
                counter,
                random: &mut random,
            },
        )?;
        self.send_message(built.message);
        Ok(built.unknown_variables)
    }

    /// Sends once, records it in the history and tells the user how it went.
    pub fn send_once(&self, draft: &PublishDraft) {
        match self.send_draft(draft, 1) {
            Ok(unknown) => {
                self.book.record_sent(draft, now_ms());
                self.feedback
                    .set(unknown_note(&unknown).map(Feedback::Note));
            }
            Err(error) => self.feedback.set(Some(Feedback::Error(error))),
        }
    }

    pub fn send_message(&self, message: OutgoingPublish) {
        #[cfg(feature = "hydrate")]
        self.id.with_value(|id| {
            crate::client::driver::send(id, crate::client::driver::Command::Publish(message))
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = message;
    }

    /// Publishes an empty retained message on the draft's topic, once confirmed.
    pub fn clear_retained(&self, draft: &PublishDraft) {
        let message = match self
            .require_connected()
            .and_then(|()| draft.clear_retained())
        {
            Ok(message) => message,
            Err(error) => return self.feedback.set(Some(Feedback::Error(error))),
        };
        let question = format!(
            "Clear the retained message on \"{}\"? An empty retained message is published there, \
             and the broker forgets the retained message of that topic.",
            draft.topic
        );
        if super::super::dialog::confirm(&question) {
            self.send_message(message);
            self.feedback.set(Some(Feedback::Note(format!(
                "Cleared the retained message on {}",
                draft.topic
            ))));
        }
    }
}

/// The note for variables that were sent as typed, if any.
pub fn unknown_note(unknown: &[String]) -> Option<String> {
    (!unknown.is_empty()).then(|| {
        format!(
            "Sent. Unknown variables were sent as typed: {}",
            unknown.join(", ")
        )
    })
}
