//! Payload template variables, expanded just before a message is sent: `{{now}}` (ISO-8601
//! UTC with milliseconds), `{{timestamp}}` (milliseconds since the epoch), `{{uuid}}` (a
//! random version 4 UUID), `{{counter}}` (1, 2, 3… within one send run) and
//! `{{random:a..b}}` (an integer from a to b, both included). Pure: the clock, the counter
//! and the random source are handed in, so every expansion is reproducible in tests.
//! A variable the expander does not know is left exactly as typed and reported, so a typo
//! is visible instead of silently eaten; a malformed range is an error that says why.

use crate::messages::time::format_utc;

/// What one expansion may draw on.
pub struct TemplateContext<'a> {
    pub now_ms: u64,
    /// The number of this message within its send run, starting at 1.
    pub counter: u64,
    pub random: &'a mut dyn FnMut() -> u32,
}

/// The expanded text, and the variables that were left as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    /// Each unknown `{{…}}` as written, once, in order of appearance.
    pub unknown: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("{{{{random:{0}}}}} is not a range: write it as {{{{random:1..100}}}} (whole numbers, low..high)")]
    RangeSyntax(String),
    #[error("{{{{random:{low}..{high}}}}} is empty: the first number must not be larger than the second")]
    RangeEmpty { low: i64, high: i64 },
}

/// The variable names the expander knows, for hints in the UI.
pub const VARIABLES: [&str; 5] = [
    "{{now}}",
    "{{timestamp}}",
    "{{uuid}}",
    "{{counter}}",
    "{{random:1..100}}",
];

/// Expands every variable of `text`.
pub fn expand(text: &str, context: &mut TemplateContext<'_>) -> Result<Expanded, TemplateError> {
    let mut out = String::with_capacity(text.len());
    let mut unknown: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            // An opening without a closing is plain text.
            out.push_str(&rest[start..]);
            return Ok(Expanded { text: out, unknown });
        };
        let name = &after[..end];
        match value_of(name.trim(), context)? {
            Some(value) => out.push_str(&value),
            None => {
                let typed = format!("{{{{{name}}}}}");
                out.push_str(&typed);
                if !unknown.contains(&typed) {
                    unknown.push(typed);
                }
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(Expanded { text: out, unknown })
}

/// Whether `text` uses any `{{…}}` at all (plain payloads skip expansion work).
pub fn has_variables(text: &str) -> bool {
    text.contains("{{")
}

fn value_of(
    name: &str,
    context: &mut TemplateContext<'_>,
) -> Result<Option<String>, TemplateError> {
    Ok(Some(match name {
        "now" => format_utc(context.now_ms),
        "timestamp" => context.now_ms.to_string(),
        "uuid" => uuid_v4(context.random),
        "counter" => context.counter.to_string(),
        _ => match name.strip_prefix("random:") {
            Some(range) => {
                let (low, high) = parse_range(range)?;
                random_in(low, high, context.random).to_string()
            }
            None => return Ok(None),
        },
    }))
}

fn parse_range(range: &str) -> Result<(i64, i64), TemplateError> {
    let syntax = || TemplateError::RangeSyntax(range.to_string());
    let (low, high) = range.split_once("..").ok_or_else(syntax)?;
    let low: i64 = low.trim().parse().map_err(|_| syntax())?;
    let high: i64 = high.trim().parse().map_err(|_| syntax())?;
    if low > high {
        return Err(TemplateError::RangeEmpty { low, high });
    }
    Ok((low, high))
}

fn random_in(low: i64, high: i64, random: &mut dyn FnMut() -> u32) -> i64 {
    let span = (i128::from(high) - i128::from(low) + 1) as u128;
    let wide = (u128::from(random()) << 32 | u128::from(random())) << 32 | u128::from(random());
    (i128::from(low) + (wide % span) as i128) as i64
}

fn uuid_v4(random: &mut dyn FnMut() -> u32) -> String {
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(4) {
        chunk.copy_from_slice(&random().to_be_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, counter: u64) -> Result<Expanded, TemplateError> {
        let mut next = 0u32;
        let mut random = move || {
            next = next.wrapping_add(0x9e37_79b9);
            next
        };
        expand(
            text,
            &mut TemplateContext {
                now_ms: 1_709_647_629_123,
                counter,
                random: &mut random,
            },
        )
    }

    #[test]
    fn clock_and_counter_variables_are_filled_in() {
        let expanded = run(
            r#"{"at":"{{now}}","ms":{{timestamp}},"n":{{ counter }}}"#,
            7,
        )
        .unwrap();
        assert_eq!(
            expanded.text,
            r#"{"at":"2024-03-05T14:07:09.123Z","ms":1709647629123,"n":7}"#
        );
        assert!(expanded.unknown.is_empty());
    }

    #[test]
    fn uuids_are_version_4_and_differ() {
        let text = run("{{uuid}} {{uuid}}", 1).unwrap().text;
        let (a, b) = text.split_once(' ').unwrap();
        assert_ne!(a, b);
        for id in [a, b] {
            let parts: Vec<&str> = id.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(parts[2].starts_with('4'), "{id}");
            assert!("89ab".contains(&parts[3][..1]), "{id}");
        }
    }

    #[test]
    fn random_stays_in_its_inclusive_range() {
        for counter in 0..50 {
            let value: i64 = run("{{random:-3..3}}", counter)
                .unwrap()
                .text
                .parse()
                .unwrap();
            assert!((-3..=3).contains(&value), "{value}");
        }
        assert_eq!(run("{{random:5..5}}", 1).unwrap().text, "5");
    }

    #[test]
    fn unknown_variables_stay_as_typed_and_are_reported_once() {
        let expanded = run("a {{nope}} b {{nope}} {{counter}} {{ x }}", 2).unwrap();
        assert_eq!(expanded.text, "a {{nope}} b {{nope}} 2 {{ x }}");
        assert_eq!(expanded.unknown, ["{{nope}}", "{{ x }}"]);
    }

    #[test]
    fn unclosed_braces_are_plain_text() {
        assert_eq!(run("{{counter", 1).unwrap().text, "{{counter");
        assert_eq!(run("x}} {{}}", 1).unwrap().unknown, ["{{}}"]);
    }

    #[test]
    fn malformed_ranges_are_explained() {
        assert_eq!(
            run("{{random:5..1}}", 1),
            Err(TemplateError::RangeEmpty { low: 5, high: 1 })
        );
        let error = run("{{random:1-6}}", 1).unwrap_err();
        assert_eq!(error, TemplateError::RangeSyntax("1-6".into()));
        assert!(error.to_string().contains("{{random:1..100}}"), "{error}");
        assert!(TemplateError::RangeEmpty { low: 5, high: 1 }
            .to_string()
            .starts_with("{{random:5..1}} is empty"));
    }
}
