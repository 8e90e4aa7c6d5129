//! JSON syntax highlighting for the list and the detail view. The text is cut into
//! runs by the JSON token list the decoder gives; each run becomes its own text node
//! (inside a `span` with a `tok-…` class when it is a token), so a payload can never
//! become markup. Very long texts are shown plain: a span per token would cost more
//! than the colour is worth. The list's rows take the same runs as one escaped HTML
//! string: the browser parses it in one call, where a node per run cost a call each.

use std::ops::Range;

use leptos::prelude::*;

use crate::messages::{json_tokens, TokenKind};

/// Texts longer than this are not highlighted (they are still shown in full).
pub const MAX_HIGHLIGHT_BYTES: usize = 256 * 1024;

/// The CSS class of a token kind.
pub fn token_class(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Key => "tok-key",
        TokenKind::String => "tok-string",
        TokenKind::Number => "tok-number",
        TokenKind::Literal => "tok-literal",
        TokenKind::Punctuation => "tok-punct",
    }
}

/// `text` cut into consecutive runs covering all of it: tokens with their kind, the
/// gaps between them (whitespace, anything that is not JSON) without one.
pub fn segments(text: &str) -> Vec<(Option<TokenKind>, Range<usize>)> {
    let mut runs = Vec::new();
    let mut at = 0;
    for (kind, range) in json_tokens(text) {
        if range.start < at || range.end > text.len() {
            continue;
        }
        if range.start > at {
            runs.push((None, at..range.start));
        }
        at = range.end;
        runs.push((Some(kind), range));
    }
    if at < text.len() {
        runs.push((None, at..text.len()));
    }
    runs
}

/// `text`, coloured as JSON when `json` is true and it is not too long.
pub fn highlighted(text: String, json: bool) -> AnyView {
    if !json || text.len() > MAX_HIGHLIGHT_BYTES {
        return text.into_any();
    }
    segments(&text)
        .into_iter()
        .map(|(kind, range)| {
            let run = text.get(range).unwrap_or_default().to_string();
            match kind {
                Some(kind) => view! { <span class=token_class(kind)>{run}</span> }.into_any(),
                None => run.into_any(),
            }
        })
        .collect_view()
        .into_any()
}

/// `text` (valid JSON) as HTML for a list row: each key and value a `span` with its
/// class, every character of the text escaped, so the markup holds exactly the text
/// and no markup of its own. Punctuation takes the row's own colour (`.msg-preview.json`
/// mutes it) instead of a span each: that halves the elements a row lays out.
pub fn highlighted_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len() * 3);
    for (kind, range) in segments(text) {
        let run = text.get(range).unwrap_or_default();
        match kind.filter(|kind| *kind != TokenKind::Punctuation) {
            Some(kind) => {
                html.push_str("<span class=\"");
                html.push_str(token_class(kind));
                html.push_str("\">");
                push_escaped(&mut html, run);
                html.push_str("</span>");
            }
            None => push_escaped(&mut html, run),
        }
    }
    html
}

/// Escapes what HTML would read as markup, and the carriage return, which the HTML
/// parser would turn into a line feed (JSON may hold one between tokens).
fn push_escaped(html: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            '\r' => html.push_str("&#13;"),
            c => html.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text an HTML string shows: tags dropped, the escapes `push_escaped` writes
    /// read back.
    fn shown_text(html: &str) -> String {
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#13;", "\r")
            .replace("&amp;", "&")
    }

    #[test]
    fn row_html_colours_tokens_and_shows_exactly_the_text() {
        let text = "{\"a<b>\": \"x & y's </span><script>\",\r\n \"n\": -1.5e3}";
        let html = highlighted_html(text);
        assert!(html.starts_with(r#"{<span class="tok-key">"#));
        assert!(html.contains(r#"<span class="tok-number">-1.5e3</span>}"#));
        assert!(!html.contains("<script>"));
        assert!(!html.contains('\r'));
        assert_eq!(shown_text(&html), text);
        // Only the highlighter's own spans are markup: one per key and value.
        let values = segments(text)
            .iter()
            .filter(|(kind, _)| kind.is_some_and(|kind| kind != TokenKind::Punctuation))
            .count();
        assert_eq!(values, 4);
        assert_eq!(html.matches('<').count(), 2 * values);
    }

    fn runs(text: &str) -> Vec<(Option<&'static str>, &str)> {
        segments(text)
            .into_iter()
            .map(|(kind, range)| (kind.map(token_class), &text[range]))
            .collect()
    }

    #[test]
    fn json_is_cut_into_coloured_runs_that_cover_it_all() {
        let text = r#"{"temp": 21.5, "ok": true}"#;
        assert_eq!(
            runs(text),
            [
                (Some("tok-punct"), "{"),
                (Some("tok-key"), r#""temp""#),
                (Some("tok-punct"), ":"),
                (None, " "),
                (Some("tok-number"), "21.5"),
                (Some("tok-punct"), ","),
                (None, " "),
                (Some("tok-key"), r#""ok""#),
                (Some("tok-punct"), ":"),
                (None, " "),
                (Some("tok-literal"), "true"),
                (Some("tok-punct"), "}"),
            ]
        );
        let joined: String = runs(text).into_iter().map(|(_, run)| run).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn text_that_is_not_json_stays_whole_and_unstyled_where_it_is_not_a_token() {
        let text = "<img src=x> \"s\"";
        let joined: String = runs(text).into_iter().map(|(_, run)| run).collect();
        assert_eq!(joined, text);
        assert!(runs(text).contains(&(Some("tok-string"), "\"s\"")));
        assert!(runs(text)
            .iter()
            .any(|(kind, run)| kind.is_none() && run.contains('<')));
    }
}
