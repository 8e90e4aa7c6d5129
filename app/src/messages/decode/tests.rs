use super::*;

pub(super) fn hex(text: &str) -> Vec<u8> {
    hex::decode(text).expect("test vectors are valid hex")
}

pub(super) fn ok(payload: &[u8], format: PayloadFormat) -> String {
    let rendered = render(payload, format);
    assert_eq!(rendered.error, None, "{format:?} of {payload:02x?}");
    assert!(!rendered.truncated);
    rendered.text
}

pub(super) fn error(payload: &[u8], format: PayloadFormat) -> DecodeError {
    match render(payload, format).error {
        Some(error) => error,
        None => panic!("{format:?} of {payload:02x?} must fail"),
    }
}

const MARKUP: &str = "<img src=x onerror=alert(1)>";

#[test]
fn markup_stays_plain_text_in_every_text_view() {
    assert_eq!(ok(MARKUP.as_bytes(), PayloadFormat::Text), MARKUP);
    let as_json = render(MARKUP.as_bytes(), PayloadFormat::Json);
    assert_eq!(as_json.text, MARKUP);
    assert!(as_json.error.is_some());
    assert_eq!(
        render_preview(MARKUP.as_bytes(), PayloadFormat::Text, 80).text,
        MARKUP
    );
    let json = format!("{{\"html\":\"{MARKUP}\"}}");
    assert_eq!(
        ok(json.as_bytes(), PayloadFormat::Json),
        format!("{{\n  \"html\": \"{MARKUP}\"\n}}")
    );
}

#[test]
fn text_shows_invalid_bytes_as_escapes_with_their_ranges() {
    let rendered = render(b"caf\xc3\xa9 \xff\r\n", PayloadFormat::Text);
    assert_eq!(rendered.text, "café \\xFF\\r\n");
    assert_eq!(rendered.escapes, vec![6..10, 10..12]);
}

#[test]
fn base64_is_the_standard_padded_encoding() {
    assert_eq!(ok(b"Hello", PayloadFormat::Base64), "SGVsbG8=");
    assert_eq!(ok(&[0x00, 0xff, 0xfe], PayloadFormat::Base64), "AP/+");
    assert_eq!(ok(b"", PayloadFormat::Base64), "");
}

#[test]
fn hex_is_a_hexdump() {
    assert_eq!(
        ok(b"MQTT\x00\x05", PayloadFormat::Hex),
        "00000000  4d 51 54 54 00 05                                 |MQTT..|\n00000006"
    );
}

#[test]
fn json_is_reindented_keeping_order_duplicates_and_literals() {
    let payload = br#"{"z":1,"a":[1.50,-2E+3,12345678901234567890123],"z":"\u00e9\n","e":{},"n":[null,true]}"#;
    let expected = r#"{
  "z": 1,
  "a": [
    1.50,
    -2E+3,
    12345678901234567890123
  ],
  "z": "\u00e9\n",
  "e": {},
  "n": [
    null,
    true
  ]
}"#;
    assert_eq!(ok(payload, PayloadFormat::Json), expected);
    assert_eq!(ok(b"  42 ", PayloadFormat::Json), "42");
    assert_eq!(ok(b"[]", PayloadFormat::Json), "[]");
}

#[test]
fn json_errors_give_line_and_character_column() {
    assert_eq!(
        error(b"{\n \"a\": }", PayloadFormat::Json),
        DecodeError::Json {
            line: 2,
            column: 7,
            message: "expected value".into()
        }
    );
    // "é" is two bytes: the column counts it as one character.
    let DecodeError::Json { line, column, .. } =
        error("{\"é\": x}".as_bytes(), PayloadFormat::Json)
    else {
        panic!("a JSON error");
    };
    assert_eq!((line, column), (1, 7));
    assert_eq!(
        error(b"{\"a\":\n \"b\xff\"}", PayloadFormat::Json),
        DecodeError::Json {
            line: 2,
            column: 4,
            message: "invalid UTF-8 (byte 0xFF)".into()
        }
    );
    let rendered = render(b"{\"a\": 1} trailing", PayloadFormat::Json);
    assert_eq!(
        rendered.text, "{\"a\": 1} trailing",
        "the raw text stays visible"
    );
    assert_eq!(
        rendered.error.map(|error| error.to_string()),
        Some("invalid JSON at line 1, column 10: trailing characters".into())
    );
}

#[test]
fn json_tokens_classify_every_token() {
    let text = r#"{"a": [1, true, "x"], "b": null}"#;
    let tokens: Vec<(TokenKind, &str)> = json_tokens(text)
        .into_iter()
        .map(|(kind, range)| (kind, text.get(range).unwrap_or("?")))
        .collect();
    use TokenKind::*;
    assert_eq!(
        tokens,
        vec![
            (Punctuation, "{"),
            (Key, "\"a\""),
            (Punctuation, ":"),
            (Punctuation, "["),
            (Number, "1"),
            (Punctuation, ","),
            (Literal, "true"),
            (Punctuation, ","),
            (String, "\"x\""),
            (Punctuation, "]"),
            (Punctuation, ","),
            (Key, "\"b\""),
            (Punctuation, ":"),
            (Literal, "null"),
            (Punctuation, "}"),
        ]
    );
}

#[test]
fn json_tokens_never_split_characters_or_overrun() {
    for text in [
        "\"unterminated \\",
        "é: ü",
        "{\"k\\\"ey\": -1.5e3}",
        "<b>x</b>",
        "\"\\",
    ] {
        let mut last_end = 0;
        for (_, range) in json_tokens(text) {
            assert!(
                range.start >= last_end && range.end <= text.len(),
                "{text:?}"
            );
            assert!(text.get(range.clone()).is_some(), "{text:?} {range:?}");
            last_end = range.end;
        }
    }
    let escaped = "{\"k\\\"ey\": 1}";
    assert_eq!(
        json_tokens(escaped).get(1).map(|t| t.0),
        Some(TokenKind::Key)
    );
}

pub(super) fn preview(payload: &[u8], format: PayloadFormat, max_chars: usize) -> (String, bool) {
    let rendered = render_preview(payload, format, max_chars);
    assert_eq!(rendered.error, None, "{format:?} preview");
    assert!(rendered.text.chars().count() <= max_chars);
    (rendered.text, rendered.truncated)
}

#[test]
fn previews_fit_on_one_line() {
    let json = b"{\n  \"temperature\": 21.5,\n  \"unit\": \"\xc2\xb0C\"\n}";
    assert_eq!(
        preview(json, PayloadFormat::Json, 100),
        ("{\"temperature\":21.5,\"unit\":\"°C\"}".into(), false)
    );
    assert_eq!(
        preview(json, PayloadFormat::Json, 10),
        ("{\"tempera…".into(), true)
    );
    assert_eq!(
        preview(b"a\nb", PayloadFormat::Text, 10),
        ("a\\nb".into(), false)
    );
    assert_eq!(
        preview(b"abcdef", PayloadFormat::Text, 6),
        ("abcdef".into(), false)
    );
    assert_eq!(
        preview(b"abcdefg", PayloadFormat::Text, 6),
        ("abcde…".into(), true)
    );
    assert_eq!(
        preview(b"\x00\x01\xff", PayloadFormat::Hex, 20),
        ("00 01 ff".into(), false)
    );
    assert_eq!(
        preview(&[0xab; 100], PayloadFormat::Hex, 7),
        ("ab ab …".into(), true)
    );
    assert_eq!(
        preview(b"abc", PayloadFormat::Text, 0),
        (String::new(), true)
    );
}

#[test]
fn base64_previews_are_prefixes_of_the_full_encoding() {
    let payload: Vec<u8> = (0..=255).collect();
    let full = ok(&payload, PayloadFormat::Base64);
    for max_chars in [1, 4, 5, 17, 100] {
        let (text, truncated) = preview(&payload, PayloadFormat::Base64, max_chars);
        assert!(truncated);
        let shown = text.trim_end_matches('…');
        assert!(full.starts_with(shown), "{max_chars}: {text}");
        assert_eq!(text.chars().count(), max_chars);
    }
    assert_eq!(
        preview(b"Hello", PayloadFormat::Base64, 8),
        ("SGVsbG8=".into(), false)
    );
}

#[test]
fn invalid_previews_show_text_or_hex_with_the_error() {
    let rendered = render_preview(b"{\"a\":\n}", PayloadFormat::Json, 40);
    assert_eq!(rendered.text, "{\"a\":\\n}");
    assert!(matches!(
        rendered.error,
        Some(DecodeError::Json { line: 2, .. })
    ));
    let rendered = render_preview(&hex("830102"), PayloadFormat::Cbor, 40);
    assert_eq!(rendered.text, "83 01 02");
    assert!(matches!(
        rendered.error,
        Some(DecodeError::Cbor { offset: 3, .. })
    ));
}

#[test]
fn formats_have_labels_and_serde_names() {
    let names: Vec<String> = PayloadFormat::ALL
        .iter()
        .map(|format| serde_json::to_string(format).unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        [
            "\"text\"",
            "\"json\"",
            "\"base64\"",
            "\"hex\"",
            "\"cbor\"",
            "\"msgpack\""
        ]
    );
    assert_eq!(PayloadFormat::MessagePack.label(), "MessagePack");
}
