//! Exports records as JSON Lines or CSV, streamed: text is handed to a callback in
//! chunks of about 64 KiB, so exporting a million messages never builds one giant
//! string, and the UI can write each chunk out (and show progress) as it goes.
//! [`parse_jsonl_line`] reads an exported line back.

mod csv;
mod jsonl;

pub use jsonl::{parse_jsonl_line, ImportError};

use super::record::MessageRecord;

/// Chunks handed to the sink are at least this big, except the last.
pub const EXPORT_CHUNK_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ExportFormat {
    /// One JSON object per line (`.jsonl`).
    #[default]
    JsonLines,
    /// RFC 4180 CSV with a header row and CRLF line ends (`.csv`).
    Csv,
}

impl ExportFormat {
    pub fn file_extension(self) -> &'static str {
        match self {
            Self::JsonLines => "jsonl",
            Self::Csv => "csv",
        }
    }

    pub fn mime_type(self) -> &'static str {
        match self {
            Self::JsonLines => "application/x-ndjson",
            Self::Csv => "text/csv",
        }
    }
}

/// How payloads are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PayloadEncoding {
    /// Base64 of the bytes: always exact.
    #[default]
    Base64,
    /// The payload as text when it is valid UTF-8; otherwise, for that message only,
    /// Base64, so no byte is lost. Each row says which it used (`payload_encoding`).
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ExportOptions {
    pub format: ExportFormat,
    pub payload: PayloadEncoding,
}

/// Writes records one at a time, handing full chunks to `sink`. Call
/// [`Exporter::finish`] to hand over the rest. A UI exports a batch of rows per
/// animation frame and reports [`Exporter::rows`] as progress.
pub struct Exporter<F: FnMut(&str)> {
    options: ExportOptions,
    sink: F,
    buffer: String,
    rows: u64,
}

impl<F: FnMut(&str)> Exporter<F> {
    /// Starts an export (a CSV export starts with its header row).
    pub fn new(options: ExportOptions, sink: F) -> Self {
        let mut buffer = String::with_capacity(EXPORT_CHUNK_BYTES + 4096);
        if options.format == ExportFormat::Csv {
            csv::write_header(&mut buffer);
        }
        Self {
            options,
            sink,
            buffer,
            rows: 0,
        }
    }

    pub fn write(&mut self, record: &MessageRecord) {
        match self.options.format {
            ExportFormat::JsonLines => {
                jsonl::write_record(&mut self.buffer, record, self.options.payload)
            }
            ExportFormat::Csv => csv::write_record(&mut self.buffer, record, self.options.payload),
        }
        self.rows += 1;
        if self.buffer.len() >= EXPORT_CHUNK_BYTES {
            (self.sink)(&self.buffer);
            self.buffer.clear();
        }
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Hands over what is left and returns how many rows were written.
    pub fn finish(mut self) -> u64 {
        if !self.buffer.is_empty() {
            (self.sink)(&self.buffer);
        }
        self.rows
    }
}

/// Exports every record of `records` in one go; returns the number of rows.
pub fn export<'a>(
    records: impl IntoIterator<Item = &'a MessageRecord>,
    options: ExportOptions,
    sink: impl FnMut(&str),
) -> u64 {
    let mut exporter = Exporter::new(options, sink);
    for record in records {
        exporter.write(record);
    }
    exporter.finish()
}

/// The payload as written under `encoding`: the text and the name of the encoding
/// actually used.
fn payload_text(
    record: &MessageRecord,
    encoding: PayloadEncoding,
) -> (std::borrow::Cow<'_, str>, &'static str) {
    use base64::Engine;
    if encoding == PayloadEncoding::Text {
        if let Ok(text) = std::str::from_utf8(&record.payload) {
            return (text.into(), "text");
        }
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(&record.payload);
    (encoded.into(), "base64")
}

/// `text` as a JSON string literal, quotes included.
fn push_json_string(buffer: &mut String, text: &str) {
    buffer.push('"');
    let mut plain_from = 0;
    for (index, character) in text.char_indices() {
        let escape = match character {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{0}'..='\u{1f}' => "",
            _ => continue,
        };
        buffer.push_str(text.get(plain_from..index).unwrap_or_default());
        if escape.is_empty() {
            use std::fmt::Write;
            let _ = write!(buffer, "\\u{:04x}", u32::from(character));
        } else {
            buffer.push_str(escape);
        }
        plain_from = index + character.len_utf8();
    }
    buffer.push_str(text.get(plain_from..).unwrap_or_default());
    buffer.push('"');
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
