//! The text a decoder produces, with an optional character budget so that list
//! previews stop decoding as soon as they have enough, and with the ranges of the
//! escapes it wrote (`\xFF`, `\r`, …) so the UI can style them apart from the
//! payload's own characters.

use std::ops::Range;

use super::{DecodeError, Rendered};

/// What a preview ends with when the payload had more to show.
pub(crate) const ELLIPSIS: char = '…';

#[derive(Debug)]
pub(crate) struct Output {
    text: String,
    escapes: Vec<Range<usize>>,
    /// Characters written, counted only when there is a limit.
    chars: usize,
    limit: Option<usize>,
}

impl Output {
    /// Output for a full rendering: no budget.
    pub(crate) fn unlimited(capacity: usize) -> Self {
        Self {
            text: String::with_capacity(capacity),
            escapes: Vec::new(),
            chars: 0,
            limit: None,
        }
    }

    /// Output for a preview of at most `max_chars` characters. Producers stop once
    /// [`Output::is_full`] says one character more than that was written, which proves
    /// the preview must be cut.
    pub(crate) fn limited(max_chars: usize) -> Self {
        Self {
            text: String::with_capacity(max_chars.min(1024) + 8),
            escapes: Vec::new(),
            chars: 0,
            limit: Some(max_chars),
        }
    }

    /// True once more than the budget was written; producers should stop.
    pub(crate) fn is_full(&self) -> bool {
        self.limit.is_some_and(|limit| self.chars > limit)
    }

    /// For a preview: enough input bytes to fill what is left of the budget (a
    /// character takes at most four bytes of UTF-8). `None` for a full rendering.
    pub(crate) fn byte_budget(&self) -> Option<usize> {
        let limit = self.limit?;
        let left = limit.saturating_add(1).saturating_sub(self.chars);
        Some(left.saturating_mul(4).saturating_add(4))
    }

    pub(crate) fn push_str(&mut self, text: &str) {
        self.text.push_str(text);
        if self.limit.is_some() {
            self.chars += text.chars().count();
        }
    }

    pub(crate) fn push_char(&mut self, character: char) {
        self.text.push(character);
        self.chars += 1;
    }

    /// Writes an escape that stands for payload bytes or characters, and remembers
    /// where it is.
    pub(crate) fn push_escape(&mut self, escape: &str) {
        let start = self.text.len();
        self.push_str(escape);
        self.escapes.push(start..self.text.len());
    }

    /// Two lower-case hex digits per byte, stopping early when the budget is spent.
    pub(crate) fn push_hex(&mut self, bytes: &[u8]) {
        let digit = |nibble: u8| char::from_digit(u32::from(nibble), 16).unwrap_or('?');
        for &byte in bytes {
            if self.is_full() {
                return;
            }
            self.push_char(digit(byte >> 4));
            self.push_char(digit(byte & 0x0f));
        }
    }

    /// The finished rendering; a preview over budget is cut to `max_chars` characters,
    /// the last being an ellipsis.
    pub(crate) fn finish(self, error: Option<DecodeError>) -> Rendered {
        let Self {
            mut text,
            mut escapes,
            chars,
            limit,
        } = self;
        let mut truncated = false;
        if let Some(limit) = limit.filter(|limit| chars > *limit) {
            truncated = true;
            let keep = limit.saturating_sub(1);
            let cut = text
                .char_indices()
                .nth(keep)
                .map_or(text.len(), |(index, _)| index);
            text.truncate(cut);
            if limit > 0 {
                text.push(ELLIPSIS);
            }
            escapes.retain(|range| range.start < cut);
            if let Some(last) = escapes.last_mut() {
                last.end = last.end.min(cut);
            }
        }
        Rendered {
            text,
            error,
            escapes,
            truncated,
        }
    }
}
