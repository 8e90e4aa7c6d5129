//! A line diff of two decoded payloads (a message against the previous one on its
//! topic), made with the `similar` crate's Myers diff. Both sides are the text the
//! detail view shows, so the diff reads in the format the user chose.

use similar::{ChangeTag, TextDiff};

/// What happened to one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineChange {
    Same,
    Added,
    Removed,
}

/// One line of the diff, without its line break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub change: LineChange,
    pub text: String,
}

/// Texts longer than this (either side) are not diffed line by line: the detail view
/// says so instead of blocking the page.
pub const MAX_DIFF_BYTES: usize = 2 * 1024 * 1024;

/// Why two texts were not diffed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the payloads are too large to compare here ({bytes} bytes; the limit is {MAX_DIFF_BYTES}); save both and use a diff tool")]
pub struct TooLarge {
    pub bytes: usize,
}

/// The lines of `old` and `new`, in order, each marked same, added or removed.
pub fn line_diff(old: &str, new: &str) -> Result<Vec<DiffLine>, TooLarge> {
    let bytes = old.len().max(new.len());
    if bytes > MAX_DIFF_BYTES {
        return Err(TooLarge { bytes });
    }
    // A last line without a line break is still the same line as one with it.
    let (old, new) = (with_final_break(old), with_final_break(new));
    let diff = TextDiff::from_lines(old.as_ref(), new.as_ref());
    Ok(diff
        .iter_all_changes()
        .map(|change| DiffLine {
            change: match change.tag() {
                ChangeTag::Equal => LineChange::Same,
                ChangeTag::Insert => LineChange::Added,
                ChangeTag::Delete => LineChange::Removed,
            },
            text: change.value().trim_end_matches(['\n', '\r']).to_string(),
        })
        .collect())
}

fn with_final_break(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_empty() || text.ends_with('\n') {
        text.into()
    } else {
        format!("{text}\n").into()
    }
}

/// How many lines were added and removed.
pub fn change_counts(lines: &[DiffLine]) -> (usize, usize) {
    let count = |kind| lines.iter().filter(|line| line.change == kind).count();
    (count(LineChange::Added), count(LineChange::Removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(lines: &[DiffLine]) -> Vec<String> {
        lines
            .iter()
            .map(|line| {
                let mark = match line.change {
                    LineChange::Same => ' ',
                    LineChange::Added => '+',
                    LineChange::Removed => '-',
                };
                format!("{mark}{}", line.text)
            })
            .collect()
    }

    #[test]
    fn a_changed_line_is_removed_then_added() {
        let old = "{\n  \"temp\": 20,\n  \"unit\": \"C\"\n}";
        let new = "{\n  \"temp\": 21,\n  \"unit\": \"C\"\n}";
        let lines = line_diff(old, new).expect("small");
        assert_eq!(
            marked(&lines),
            [
                " {",
                "-  \"temp\": 20,",
                "+  \"temp\": 21,",
                "   \"unit\": \"C\"",
                " }"
            ]
        );
        assert_eq!(change_counts(&lines), (1, 1));
    }

    #[test]
    fn identical_texts_have_no_changes() {
        let lines = line_diff("a\nb", "a\nb").expect("small");
        assert_eq!(change_counts(&lines), (0, 0));
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn added_lines_at_the_end_and_an_empty_side() {
        assert_eq!(
            marked(&line_diff("a", "a\nb").expect("small")),
            [" a", "+b"]
        );
        assert_eq!(marked(&line_diff("", "x").expect("small")), ["+x"]);
    }

    #[test]
    fn huge_texts_are_refused_with_a_reason() {
        let big = "x".repeat(MAX_DIFF_BYTES + 1);
        let error = line_diff(&big, "x").unwrap_err();
        assert_eq!(error.bytes, MAX_DIFF_BYTES + 1);
        assert!(error.to_string().contains("too large"), "{error}");
    }
}
