//! Writes nested data (JSON, CBOR, MessagePack) as JSON-like text, fed one item at a
//! time by a streaming decoder: pretty (two-space indent, as `serde_json` prints) for
//! the detail view, compact for list previews. It keeps the stack of open containers
//! itself, so deep nesting costs heap, not call stack, and a preview can stop the
//! decoder the moment its character budget is spent.

use super::output::Output;
use super::text::is_deceptive;

/// Containers deeper than this are refused rather than printed as a wall of indent.
pub(crate) const MAX_DEPTH: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    Array,
    Map,
    /// A CBOR tag: `tag(item)`, exactly one item.
    Tag,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TreeError {
    /// More than [`MAX_DEPTH`] containers open.
    TooDeep,
    /// A close (CBOR "break", JSON `]`/`}`) with no open indefinite container, or
    /// after a map key without its value.
    UnexpectedClose,
    /// An item after the single top-level item was complete.
    AfterEnd,
}

#[derive(Debug)]
struct Frame {
    container: Container,
    /// Items the container holds (two per map entry); `None` until a close.
    expected: Option<u64>,
    written: u64,
}

#[derive(Debug)]
pub(crate) struct TreeWriter {
    out: Output,
    pretty: bool,
    stack: Vec<Frame>,
    indent: usize,
    done: bool,
}

impl TreeWriter {
    pub(crate) fn new(out: Output, pretty: bool) -> Self {
        Self {
            out,
            pretty,
            stack: Vec::new(),
            indent: 0,
            done: false,
        }
    }

    /// True once the top-level item is complete.
    pub(crate) fn is_done(&self) -> bool {
        self.done
    }

    pub(crate) fn is_full(&self) -> bool {
        self.out.is_full()
    }

    pub(crate) fn out(&mut self) -> &mut Output {
        &mut self.out
    }

    pub(crate) fn into_output(self) -> Output {
        self.out
    }

    /// Writes whatever separates the next item from the previous one. Call before
    /// writing a scalar's text by hand, then [`TreeWriter::end_item`].
    pub(crate) fn begin_item(&mut self) -> Result<(), TreeError> {
        if self.done {
            return Err(TreeError::AfterEnd);
        }
        let Some(frame) = self.stack.last() else {
            return Ok(());
        };
        let (container, written) = (frame.container, frame.written);
        match container {
            Container::Tag => {}
            Container::Map if written % 2 == 1 => {
                self.out.push_str(if self.pretty { ": " } else { ":" });
            }
            Container::Array | Container::Map => {
                if written > 0 {
                    self.out.push_char(',');
                }
                self.new_line();
            }
        }
        Ok(())
    }

    /// Counts the item just written and closes every container it completes.
    pub(crate) fn end_item(&mut self) {
        loop {
            let Some(frame) = self.stack.last_mut() else {
                self.done = true;
                return;
            };
            frame.written += 1;
            if frame.expected != Some(frame.written) {
                return;
            }
            self.close_top();
        }
    }

    pub(crate) fn scalar(&mut self, text: &str) -> Result<(), TreeError> {
        self.begin_item()?;
        self.out.push_str(text);
        self.end_item();
        Ok(())
    }

    /// Opens a container of `expected` items (two per map entry), `None` when its
    /// end is marked by [`TreeWriter::close`]. `opener` is `[`, `{` or `tag(`.
    pub(crate) fn open(
        &mut self,
        container: Container,
        expected: Option<u64>,
        opener: &str,
    ) -> Result<(), TreeError> {
        self.begin_item()?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(TreeError::TooDeep);
        }
        self.out.push_str(opener);
        if container != Container::Tag {
            self.indent += 1;
        }
        self.stack.push(Frame {
            container,
            expected,
            written: 0,
        });
        if expected == Some(0) {
            self.close_top();
            self.end_item();
        }
        Ok(())
    }

    /// Closes the innermost container, which must have been opened without a count.
    pub(crate) fn close(&mut self) -> Result<(), TreeError> {
        match self.stack.last() {
            Some(frame)
                if frame.expected.is_none()
                    && !(frame.container == Container::Map && frame.written % 2 == 1) =>
            {
                self.close_top();
                self.end_item();
                Ok(())
            }
            _ => Err(TreeError::UnexpectedClose),
        }
    }

    /// Pops the innermost container and writes its closing bracket; the caller
    /// counts it as an item of its parent.
    fn close_top(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let closer = match frame.container {
            Container::Array => ']',
            Container::Map => '}',
            Container::Tag => ')',
        };
        if frame.container != Container::Tag {
            self.indent = self.indent.saturating_sub(1);
            if frame.written > 0 {
                self.new_line();
            }
        }
        self.out.push_char(closer);
    }

    fn new_line(&mut self) {
        if self.pretty {
            self.out.push_char('\n');
            for _ in 0..self.indent {
                self.out.push_str("  ");
            }
        }
    }
}

/// The inside of a JSON string: quotes, backslashes and control characters escaped
/// as JSON does, plus deceptive characters as `\uXXXX` so they are seen. Stops early
/// when the output is full.
pub(crate) fn write_string_body(out: &mut Output, text: &str) {
    let mut plain_from = 0;
    for (index, character) in text.char_indices() {
        let escape: Option<&str> = match character {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            _ if character.is_control() || is_deceptive(character) => Some(""),
            _ => None,
        };
        let Some(escape) = escape else {
            continue;
        };
        out.push_str(text.get(plain_from..index).unwrap_or_default());
        if out.is_full() {
            return;
        }
        if escape.is_empty() {
            let mut units = [0u16; 2];
            for unit in character.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push_str(escape);
        }
        plain_from = index + character.len_utf8();
    }
    out.push_str(text.get(plain_from..).unwrap_or_default());
}

/// A float as diagnostic notation writes it: `1.0`, `-0.0`, `1e300`, `NaN`,
/// `Infinity`. Values that are exact in single precision print as the shorter
/// single-precision decimal (`0.1`, not `0.10000000149011612`), since encoders pick
/// the narrowest width that keeps the value.
pub(crate) fn format_float(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let single = value as f32;
    if f64::from(single).to_bits() == value.to_bits() {
        format!("{single:?}")
    } else {
        format!("{value:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl TreeWriter {
        fn string(&mut self, text: &str) -> Result<(), TreeError> {
            self.begin_item()?;
            self.out.push_char('"');
            write_string_body(&mut self.out, text);
            self.out.push_char('"');
            self.end_item();
            Ok(())
        }
    }

    fn pretty(build: impl FnOnce(&mut TreeWriter) -> Result<(), TreeError>) -> String {
        let mut writer = TreeWriter::new(Output::unlimited(0), true);
        build(&mut writer).expect("well-formed");
        assert!(writer.is_done());
        writer.into_output().finish(None).text
    }

    #[test]
    fn prints_nested_containers_like_serde_json_pretty() {
        let text = pretty(|w| {
            w.open(Container::Map, Some(4), "{")?;
            w.string("a")?;
            w.open(Container::Array, None, "[")?;
            w.scalar("1")?;
            w.open(Container::Array, Some(0), "[")?;
            w.open(Container::Map, None, "{")?;
            w.close()?;
            w.close()?;
            w.string("b\"\n")?;
            w.open(Container::Tag, Some(1), "1(")?;
            w.scalar("2")
        });
        assert_eq!(
            text,
            "{\n  \"a\": [\n    1,\n    [],\n    {}\n  ],\n  \"b\\\"\\n\": 1(2)\n}"
        );
    }

    #[test]
    fn refuses_misplaced_closes_and_extra_items() {
        let mut writer = TreeWriter::new(Output::unlimited(0), false);
        assert_eq!(writer.close(), Err(TreeError::UnexpectedClose));
        writer.open(Container::Map, None, "{").ok();
        writer.string("key").ok();
        assert_eq!(writer.close(), Err(TreeError::UnexpectedClose));
        writer.scalar("1").ok();
        assert_eq!(writer.close(), Ok(()));
        assert_eq!(writer.scalar("2"), Err(TreeError::AfterEnd));
        assert_eq!(writer.into_output().finish(None).text, "{\"key\":1}");
    }

    #[test]
    fn refuses_nesting_beyond_the_limit() {
        let mut writer = TreeWriter::new(Output::unlimited(0), false);
        for _ in 0..MAX_DEPTH {
            assert_eq!(writer.open(Container::Array, None, "["), Ok(()));
        }
        assert_eq!(
            writer.open(Container::Array, None, "["),
            Err(TreeError::TooDeep)
        );
    }

    #[test]
    fn floats_read_as_written() {
        let cases = [
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (1.5, "1.5"),
            (f64::from(0.1f32), "0.1"),
            (0.1, "0.1"),
            (1e300, "1e300"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (value, expected) in cases {
            assert_eq!(format_float(value), expected);
        }
    }

    #[test]
    fn strings_escape_controls_and_deceptive_characters() {
        let mut out = Output::unlimited(0);
        write_string_body(&mut out, "tab\there\u{1}\u{202E}é🙂\\");
        assert_eq!(out.finish(None).text, "tab\\there\\u0001\\u202eé🙂\\\\");
    }
}
