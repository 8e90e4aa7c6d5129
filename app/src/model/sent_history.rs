//! The history of sent messages: newest first, at most [`MAX_ENTRIES`], a repeat of the
//! newest entry only refreshes its time. Kept in browser storage, so it stays small:
//! payloads over [`MAX_PAYLOAD_CHARS`] and file payloads (whose bytes exist only in
//! memory) are not recorded.

use serde::{Deserialize, Serialize};

use super::publish::PublishDraft;

pub const MAX_ENTRIES: usize = 100;
pub const MAX_PAYLOAD_CHARS: usize = 64 * 1024;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SentEntry {
    pub at_ms: u64,
    pub draft: PublishDraft,
}

/// Adds what was just sent; false when it is not kept (a file, or too large).
pub fn record(history: &mut Vec<SentEntry>, draft: &PublishDraft, at_ms: u64) -> bool {
    if draft.file.is_some() || draft.payload.len() > MAX_PAYLOAD_CHARS {
        return false;
    }
    if let Some(newest) = history.first_mut().filter(|e| e.draft == *draft) {
        newest.at_ms = at_ms;
        return true;
    }
    history.insert(
        0,
        SentEntry {
            at_ms,
            draft: draft.clone(),
        },
    );
    history.truncate(MAX_ENTRIES);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::publish::FilePayload;

    fn draft(payload: &str) -> PublishDraft {
        PublishDraft {
            topic: "t".into(),
            payload: payload.into(),
            ..PublishDraft::default()
        }
    }

    #[test]
    fn newest_first_and_bounded() {
        let mut history = Vec::new();
        for n in 0..(MAX_ENTRIES + 5) {
            assert!(record(&mut history, &draft(&n.to_string()), n as u64));
        }
        assert_eq!(history.len(), MAX_ENTRIES);
        assert_eq!(history[0].draft.payload, (MAX_ENTRIES + 4).to_string());
        assert_eq!(history[MAX_ENTRIES - 1].draft.payload, "5");
    }

    #[test]
    fn a_repeat_refreshes_instead_of_duplicating() {
        let mut history = Vec::new();
        record(&mut history, &draft("a"), 1);
        record(&mut history, &draft("a"), 2);
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].at_ms, 2);
        record(&mut history, &draft("b"), 3);
        record(&mut history, &draft("a"), 4);
        assert_eq!(history.len(), 3);
    }

    #[test]
    fn files_and_huge_payloads_are_not_kept() {
        let mut history = Vec::new();
        let mut with_file = draft("");
        with_file.file = Some(FilePayload {
            name: "f".into(),
            bytes: bytes::Bytes::from_static(b"x"),
        });
        assert!(!record(&mut history, &with_file, 1));
        assert!(!record(
            &mut history,
            &draft(&"x".repeat(MAX_PAYLOAD_CHARS + 1)),
            2
        ));
        assert!(history.is_empty());
    }
}
