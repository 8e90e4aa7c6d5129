//! JSON payloads: validation with the error's line and column, pretty printing that
//! keeps the payload's own key order, duplicate keys, number literals and string
//! escapes (it re-indents tokens instead of round-tripping through a value), compact
//! one-line previews, and the token list the UI colours JSON with.

use std::ops::Range;

use super::output::Output;
use super::text::{write_char, write_text, write_valid, Breaks};
use super::tree::{Container, TreeWriter};
use super::{DecodeError, Rendered};

/// What a run of JSON text is, for syntax highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A string in key position (followed by `:`).
    Key,
    String,
    Number,
    /// `true`, `false` or `null`.
    Literal,
    /// `{ } [ ] : ,`
    Punctuation,
}

/// The tokens of `text`, in order, as byte ranges on character boundaries. Gaps are
/// whitespace or text that is not JSON, to be shown unstyled. Works on any text,
/// valid JSON or not; the UI puts each range in its own text node, so nothing here
/// can become markup.
pub fn json_tokens(text: &str) -> Vec<(TokenKind, Range<usize>)> {
    let lexemes: Vec<(Lexeme, Range<usize>)> = Lexer::new(text).collect();
    let mut tokens = Vec::with_capacity(lexemes.len());
    for (index, (lexeme, range)) in lexemes.iter().enumerate() {
        let kind = match lexeme {
            Lexeme::String => {
                let before_colon = lexemes
                    .get(index + 1)
                    .is_some_and(|(next, _)| *next == Lexeme::Punctuation(b':'));
                if before_colon {
                    TokenKind::Key
                } else {
                    TokenKind::String
                }
            }
            Lexeme::Number => TokenKind::Number,
            Lexeme::Literal => TokenKind::Literal,
            Lexeme::Punctuation(_) => TokenKind::Punctuation,
            Lexeme::Invalid => continue,
        };
        tokens.push((kind, range.clone()));
    }
    tokens
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lexeme {
    String,
    Number,
    Literal,
    Punctuation(u8),
    Invalid,
}

struct Lexer<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, position: 0 }
    }

    fn byte(&self, index: usize) -> Option<u8> {
        self.text.as_bytes().get(index).copied()
    }

    /// The end of the run of bytes from `start` that satisfy `accept`.
    fn run_end(&self, start: usize, accept: impl Fn(u8) -> bool) -> usize {
        let mut end = start;
        while self.byte(end).is_some_and(&accept) {
            end += 1;
        }
        end
    }

    /// The end of a string starting at `start` (its opening quote): after the
    /// closing quote, or the end of the text when unterminated.
    fn string_end(&self, start: usize) -> usize {
        let mut index = start + 1;
        while let Some(byte) = self.byte(index) {
            match byte {
                b'"' => return index + 1,
                b'\\' => index += 2,
                _ => index += 1,
            }
        }
        self.text.len()
    }
}

impl Iterator for Lexer<'_> {
    type Item = (Lexeme, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.run_end(self.position, |byte| {
            matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
        });
        let first = self.byte(start)?;
        let (lexeme, end) = match first {
            b'{' | b'}' | b'[' | b']' | b':' | b',' => (Lexeme::Punctuation(first), start + 1),
            b'"' => (Lexeme::String, self.string_end(start)),
            b'-' | b'0'..=b'9' => (
                Lexeme::Number,
                self.run_end(start, |byte| {
                    matches!(byte, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                }),
            ),
            b'a'..=b'z' | b'A'..=b'Z' => {
                let end = self.run_end(start, |byte| byte.is_ascii_alphanumeric() || byte == b'_');
                let word = self.text.get(start..end).unwrap_or_default();
                let lexeme = if matches!(word, "true" | "false" | "null") {
                    Lexeme::Literal
                } else {
                    Lexeme::Invalid
                };
                (lexeme, end)
            }
            _ => {
                let width = self
                    .text
                    .get(start..)
                    .and_then(|rest| rest.chars().next())
                    .map_or(1, char::len_utf8);
                (Lexeme::Invalid, start + width)
            }
        };
        // Escapes may step past the end of an unterminated string; never past the text.
        let end = end.min(self.text.len());
        self.position = end;
        Some((lexeme, start..end))
    }
}

/// Checks `payload` is one JSON value, with UTF-8 text; the error says where not.
pub(crate) fn validate(payload: &[u8]) -> Result<&str, DecodeError> {
    let text = std::str::from_utf8(payload).map_err(|error| {
        let valid = payload.get(..error.valid_up_to()).unwrap_or_default();
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let line_start = valid.rfind('\n').map_or(0, |index| index + 1);
        let column = valid.get(line_start..).unwrap_or_default().chars().count() + 1;
        let byte = payload
            .get(error.valid_up_to())
            .copied()
            .unwrap_or_default();
        DecodeError::Json {
            line,
            column,
            message: format!("invalid UTF-8 (byte 0x{byte:02X})"),
        }
    })?;
    match serde_json::from_str::<serde::de::IgnoredAny>(text) {
        Ok(_) => Ok(text),
        Err(error) => Err(json_error(text, &error)),
    }
}

/// `serde_json`'s error with its column counted in characters rather than bytes,
/// and without the " at line L column C" it appends (we say it first).
fn json_error(text: &str, error: &serde_json::Error) -> DecodeError {
    let (line, byte_column) = (error.line(), error.column());
    let full = error.to_string();
    let suffix = format!(" at line {line} column {byte_column}");
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    let line_text = text
        .split('\n')
        .nth(line.saturating_sub(1))
        .unwrap_or_default();
    let column = line_text
        .get(..byte_column.saturating_sub(1))
        .map_or(byte_column, |before| before.chars().count() + 1);
    DecodeError::Json {
        line,
        column,
        message,
    }
}

/// The full view: pretty JSON, or the raw text and the error when it is not JSON.
pub(crate) fn render(payload: &[u8]) -> Rendered {
    let text = match validate(payload) {
        Ok(text) => text,
        Err(error) => {
            let mut out = Output::unlimited(payload.len());
            write_text(&mut out, payload, Breaks::Keep);
            return out.finish(Some(error));
        }
    };
    let capacity = text.len().saturating_add(text.len() / 2);
    let mut writer = TreeWriter::new(Output::unlimited(capacity), true);
    match write_tokens(text, &mut writer) {
        Ok(()) => writer.into_output().finish(None),
        // Valid JSON always re-indents; should the two ever disagree, show it as is.
        Err(()) => {
            let mut out = Output::unlimited(text.len());
            write_valid(&mut out, text, Breaks::Keep);
            out.finish(None)
        }
    }
}

fn write_tokens(text: &str, writer: &mut TreeWriter) -> Result<(), ()> {
    for (lexeme, range) in Lexer::new(text) {
        let token = text.get(range).unwrap_or_default();
        let written = match lexeme {
            Lexeme::Punctuation(b'{') => writer.open(Container::Map, None, "{"),
            Lexeme::Punctuation(b'[') => writer.open(Container::Array, None, "["),
            Lexeme::Punctuation(b'}' | b']') => writer.close(),
            Lexeme::Punctuation(_) => Ok(()),
            Lexeme::String | Lexeme::Number | Lexeme::Literal => writer.scalar(token),
            Lexeme::Invalid => return Err(()),
        };
        written.map_err(|_| ())?;
    }
    if writer.is_done() {
        Ok(())
    } else {
        Err(())
    }
}

/// Payloads up to this size are validated for their preview; larger ones are
/// previewed from their start only, unchecked, to keep the list cheap.
const PREVIEW_VALIDATE_LIMIT: usize = 64 * 1024;

/// A one-line preview: the JSON with insignificant whitespace removed. Reads only as
/// many bytes as `max_chars` can show. A small payload that is not JSON previews as
/// text, with the error.
pub(crate) fn render_preview(payload: &[u8], max_chars: usize) -> Rendered {
    let mut out = Output::limited(max_chars);
    if payload.len() <= PREVIEW_VALIDATE_LIMIT {
        if let Err(error) = validate(payload) {
            write_text(&mut out, payload, Breaks::Escape);
            return out.finish(Some(error));
        }
    }
    let prefix = payload
        .get(..super::preview_bytes(max_chars))
        .unwrap_or(payload);
    write_compact(&mut out, prefix);
    out.finish(None)
}

/// Copies JSON text without the whitespace between tokens.
fn write_compact(out: &mut Output, bytes: &[u8]) {
    let mut in_string = false;
    let mut escaped = false;
    for chunk in bytes.utf8_chunks() {
        for character in chunk.valid().chars() {
            if out.is_full() {
                return;
            }
            if in_string {
                if escaped {
                    escaped = false;
                } else if character == '\\' {
                    escaped = true;
                } else if character == '"' {
                    in_string = false;
                }
            } else if matches!(character, ' ' | '\t' | '\n' | '\r') {
                continue;
            } else if character == '"' {
                in_string = true;
            }
            write_char(out, character, Breaks::Escape);
        }
        if !chunk.invalid().is_empty() {
            write_text(out, chunk.invalid(), Breaks::Escape);
        }
    }
}
