//! Payload bytes rendered for display in a chosen format. Rendering is a view: it
//! never changes the stored bytes, and switching formats just renders again.
//!
//! [`render`] is the detail view (everything, pretty, with errors that say where);
//! [`render_preview`] is the one-line list preview, which reads only as much of the
//! payload as `max_chars` can show, so a 100 MB payload costs what a 100 byte one
//! does.

pub(crate) mod cbor;
mod hexdump;
pub(crate) mod json;
pub(crate) mod msgpack;
mod output;
mod text;
mod tree;

use std::ops::Range;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;

pub use hexdump::{hex_dump, hex_dump_line, hex_dump_line_count, HEX_BYTES_PER_LINE};
pub use json::{json_tokens, TokenKind};

pub(crate) use output::Output;
use text::Breaks;
pub(crate) use tree::TreeWriter;

/// How to show a payload.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum PayloadFormat {
    /// UTF-8 text; invalid bytes and control characters shown as escapes.
    #[default]
    Text,
    /// Pretty-printed JSON, or the text and where it stops being JSON.
    Json,
    /// Standard Base64 (RFC 4648, with padding) of the bytes.
    Base64,
    /// A `hexdump -C` style dump.
    Hex,
    /// CBOR (RFC 8949) decoded to JSON-like text.
    Cbor,
    /// MessagePack decoded to JSON-like text.
    #[serde(rename = "msgpack")]
    MessagePack,
}

impl PayloadFormat {
    /// Every format, in the order a picker lists them.
    pub const ALL: [Self; 6] = [
        Self::Text,
        Self::Json,
        Self::Base64,
        Self::Hex,
        Self::Cbor,
        Self::MessagePack,
    ];

    /// The name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Self::Text => "Text",
            Self::Json => "JSON",
            Self::Base64 => "Base64",
            Self::Hex => "Hex",
            Self::Cbor => "CBOR",
            Self::MessagePack => "MessagePack",
        }
    }

    /// The value an optional format has in pickers and storage (the name serde writes),
    /// `"detect"` for no fixed format.
    pub fn picker_value(format: Option<Self>) -> &'static str {
        match format {
            None => "detect",
            Some(Self::Text) => "text",
            Some(Self::Json) => "json",
            Some(Self::Base64) => "base64",
            Some(Self::Hex) => "hex",
            Some(Self::Cbor) => "cbor",
            Some(Self::MessagePack) => "msgpack",
        }
    }

    /// The format a picker value stands for; anything unknown means "detect".
    pub fn from_picker_value(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|format| Self::picker_value(Some(*format)) == value)
    }
}

/// Why a payload could not be shown in the chosen format. Offsets count bytes from 0,
/// as the hex view does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Line and column count from 1; the column in characters.
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("invalid CBOR at byte {offset}: {message}")]
    Cbor { offset: usize, message: String },
    #[error("invalid MessagePack at byte {offset}: {message}")]
    MessagePack { offset: usize, message: String },
}

/// A payload as text to put in a text node (never HTML).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    /// What to show. When decoding failed: the payload as text (JSON) or as a hex
    /// dump (CBOR, MessagePack; hex pairs in previews), so the bytes stay visible.
    pub text: String,
    /// Why the payload is not valid in the chosen format.
    pub error: Option<DecodeError>,
    /// Byte ranges of `text` that are escapes standing for payload bytes or
    /// characters (`\xFF`, `\r`, `\u{202E}`), not the payload's own characters, so the
    /// UI can style them differently. Ascending and non-overlapping.
    pub escapes: Vec<Range<usize>>,
    /// True when a preview was cut short (it then ends with `…`).
    pub truncated: bool,
}

/// The whole payload in `format`.
pub fn render(payload: &[u8], format: PayloadFormat) -> Rendered {
    match format {
        PayloadFormat::Text => {
            let mut out = Output::unlimited(payload.len());
            text::write_text(&mut out, payload, Breaks::Keep);
            out.finish(None)
        }
        PayloadFormat::Json => json::render(payload),
        PayloadFormat::Base64 => plain(BASE64.encode(payload)),
        PayloadFormat::Hex => plain(hex_dump(payload)),
        PayloadFormat::Cbor => render_tree(payload, cbor::write_cbor),
        PayloadFormat::MessagePack => render_tree(payload, msgpack::write_msgpack),
    }
}

fn plain(text: String) -> Rendered {
    Rendered {
        text,
        ..Rendered::default()
    }
}

/// The most a rendering reserves up front; it grows past this only if it must.
const MAX_INITIAL_CAPACITY: usize = 16 << 20;

pub(crate) type TreeDecoder = fn(&[u8], &mut TreeWriter) -> Result<(), DecodeError>;

fn render_tree(payload: &[u8], decode: TreeDecoder) -> Rendered {
    let capacity = payload.len().saturating_mul(3).min(MAX_INITIAL_CAPACITY);
    let mut writer = TreeWriter::new(Output::unlimited(capacity), true);
    match decode(payload, &mut writer) {
        Ok(()) => writer.into_output().finish(None),
        Err(error) => Rendered {
            text: hex_dump(payload),
            error: Some(error),
            ..Rendered::default()
        },
    }
}

/// At most `max_chars` characters on one line (line breaks escaped), ending with `…`
/// when cut. Reads only the start of the payload that the preview needs. JSON
/// payloads up to 64 KiB are validated (an invalid one previews as text, with the
/// error); larger ones are previewed unchecked.
pub fn render_preview(payload: &[u8], format: PayloadFormat, max_chars: usize) -> Rendered {
    let mut out = Output::limited(max_chars);
    match format {
        PayloadFormat::Text => {
            let prefix = payload.get(..preview_bytes(max_chars)).unwrap_or(payload);
            text::write_text(&mut out, prefix, Breaks::Escape);
            out.finish(None)
        }
        PayloadFormat::Json => json::render_preview(payload, max_chars),
        PayloadFormat::Base64 => {
            // Whole groups of three bytes encode to a prefix of the full encoding.
            let groups = max_chars / 4 + 1;
            let prefix = payload.get(..groups.saturating_mul(3)).unwrap_or(payload);
            out.push_str(&BASE64.encode(prefix));
            out.finish(None)
        }
        PayloadFormat::Hex => {
            hexdump::write_hex_pairs(&mut out, payload);
            out.finish(None)
        }
        PayloadFormat::Cbor => preview_tree(payload, max_chars, cbor::write_cbor),
        PayloadFormat::MessagePack => preview_tree(payload, max_chars, msgpack::write_msgpack),
    }
}

fn preview_tree(payload: &[u8], max_chars: usize, decode: TreeDecoder) -> Rendered {
    let mut writer = TreeWriter::new(Output::limited(max_chars), false);
    match decode(payload, &mut writer) {
        Ok(()) => writer.into_output().finish(None),
        Err(error) => {
            let mut out = Output::limited(max_chars);
            hexdump::write_hex_pairs(&mut out, payload);
            out.finish(Some(error))
        }
    }
}

/// How many payload bytes can fill a preview of `max_chars` characters: each shown
/// character takes at most four bytes, plus room for one more character to prove the
/// preview must be cut.
pub(crate) fn preview_bytes(max_chars: usize) -> usize {
    max_chars.saturating_add(2).saturating_mul(4)
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;

#[cfg(test)]
#[path = "structured_tests.rs"]
mod structured_tests;
