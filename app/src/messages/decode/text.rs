//! Payload bytes as UTF-8 text that hides nothing: invalid sequences appear as `\xFF`
//! escapes (never replaced by U+FFFD), control characters as `\r`, `\0` or `\x1B`, and
//! characters that would fool the eye (bidirectional overrides, zero-width and C1
//! controls, line separators) as `\u{202E}`. The text is plain characters meant for a
//! text node: nothing here is, or becomes, markup.

use std::fmt::Write;

use super::output::Output;

/// Whether line breaks and tabs stay as they are (full view) or are escaped too
/// (one-line previews).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Breaks {
    Keep,
    Escape,
}

/// Writes `bytes` as visible text, stopping early when `out` is full.
pub(crate) fn write_text(out: &mut Output, bytes: &[u8], breaks: Breaks) {
    for chunk in bytes.utf8_chunks() {
        write_valid(out, chunk.valid(), breaks);
        for &byte in chunk.invalid() {
            if out.is_full() {
                return;
            }
            push_byte_escape(out, byte);
        }
        if out.is_full() {
            return;
        }
    }
}

/// Writes valid text, copying runs of ordinary characters in one go.
pub(crate) fn write_valid(out: &mut Output, text: &str, breaks: Breaks) {
    let mut plain_from = 0;
    for (index, character) in text.char_indices() {
        if needs_escape(character, breaks) {
            out.push_str(text.get(plain_from..index).unwrap_or_default());
            if out.is_full() {
                return;
            }
            push_char_escape(out, character);
            plain_from = index + character.len_utf8();
        }
    }
    out.push_str(text.get(plain_from..).unwrap_or_default());
}

/// Writes one character, escaped when it must be.
pub(crate) fn write_char(out: &mut Output, character: char, breaks: Breaks) {
    if needs_escape(character, breaks) {
        push_char_escape(out, character);
    } else {
        out.push_char(character);
    }
}

fn needs_escape(character: char, breaks: Breaks) -> bool {
    match character {
        '\n' | '\t' => breaks == Breaks::Escape,
        _ => character.is_control() || is_deceptive(character),
    }
}

/// Invisible or reordering characters that make text look different from what it
/// is (the "Trojan Source" family), and separators that break lines unexpectedly.
pub(crate) fn is_deceptive(character: char) -> bool {
    matches!(
        character,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

fn push_char_escape(out: &mut Output, character: char) {
    match character {
        '\n' => out.push_escape("\\n"),
        '\t' => out.push_escape("\\t"),
        '\r' => out.push_escape("\\r"),
        '\0' => out.push_escape("\\0"),
        // The other C0 controls and DEL are one byte each: written like a raw byte.
        '\u{1}'..='\u{1F}' | '\u{7F}' => push_byte_escape(out, character as u8),
        _ => {
            let mut escape = String::with_capacity(10);
            let _ = write!(escape, "\\u{{{:X}}}", u32::from(character));
            out.push_escape(&escape);
        }
    }
}

/// `\xNN`: the raw byte `NN`, for bytes that are not (part of) valid UTF-8.
fn push_byte_escape(out: &mut Output, byte: u8) {
    let mut escape = String::with_capacity(4);
    let _ = write!(escape, "\\x{byte:02X}");
    out.push_escape(&escape);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(bytes: &[u8]) -> (String, Vec<String>) {
        let mut out = Output::unlimited(bytes.len());
        write_text(&mut out, bytes, Breaks::Keep);
        let rendered = out.finish(None);
        let escapes = rendered
            .escapes
            .iter()
            .map(|range| rendered.text.get(range.clone()).unwrap_or("?").to_owned())
            .collect();
        (rendered.text, escapes)
    }

    #[test]
    fn plain_text_and_markup_pass_through_unchanged() {
        let markup = "<img src=x onerror=alert(1)>";
        assert_eq!(full(markup.as_bytes()), (markup.to_owned(), vec![]));
        assert_eq!(full("é ü 日本 🙂\n\tx".as_bytes()).0, "é ü 日本 🙂\n\tx");
    }

    #[test]
    fn invalid_utf8_is_shown_byte_by_byte() {
        let (text, escapes) = full(b"ok\xff\xfe end \xe2\x82");
        assert_eq!(text, "ok\\xFF\\xFE end \\xE2\\x82");
        assert_eq!(escapes, ["\\xFF", "\\xFE", "\\xE2", "\\x82"]);
    }

    #[test]
    fn control_and_deceptive_characters_are_escaped() {
        let (text, escapes) = full("a\r\n\0\x1b[0m\x7f\u{85}x\u{202E}cba\u{200B}".as_bytes());
        assert_eq!(text, "a\\r\n\\0\\x1B[0m\\x7F\\u{85}x\\u{202E}cba\\u{200B}");
        assert_eq!(
            escapes,
            [
                "\\r",
                "\\0",
                "\\x1B",
                "\\x7F",
                "\\u{85}",
                "\\u{202E}",
                "\\u{200B}"
            ]
        );
    }

    #[test]
    fn previews_escape_line_breaks_and_stop_at_the_budget() {
        let mut out = Output::limited(8);
        write_text(&mut out, b"line 1\nline 2\nline 3", Breaks::Escape);
        let rendered = out.finish(None);
        assert_eq!(rendered.text, "line 1\\…");
        assert!(rendered.truncated);
        assert_eq!(rendered.escapes, vec![6..7]);
        let mut out = Output::limited(8);
        write_text(&mut out, b"a\tb", Breaks::Escape);
        let rendered = out.finish(None);
        assert_eq!(
            (rendered.text.as_str(), rendered.truncated),
            ("a\\tb", false)
        );
    }
}
