use super::*;

fn hex(text: &str) -> Vec<u8> {
    hex::decode(text).expect("test vectors are valid hex")
}

fn ok(payload: &[u8], format: PayloadFormat) -> String {
    let rendered = render(payload, format);
    assert_eq!(rendered.error, None, "{format:?} of {payload:02x?}");
    assert!(!rendered.truncated);
    rendered.text
}

fn error(payload: &[u8], format: PayloadFormat) -> DecodeError {
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

/// Pairs of CBOR (from RFC 8949 appendix A) and how they are shown.
const CBOR_VECTORS: &[(&str, &str)] = &[
    ("00", "0"),
    ("17", "23"),
    ("1818", "24"),
    ("1bffffffffffffffff", "18446744073709551615"),
    ("3bffffffffffffffff", "-18446744073709551616"),
    ("20", "-1"),
    ("3903e7", "-1000"),
    ("f90000", "0.0"),
    ("f98000", "-0.0"),
    ("f93c00", "1.0"),
    ("fb3ff199999999999a", "1.1"),
    ("f93e00", "1.5"),
    ("f97bff", "65504.0"),
    ("fa47c35000", "100000.0"),
    ("fb7e37e43c8800759c", "1e300"),
    ("f97c00", "Infinity"),
    ("f97e00", "NaN"),
    ("f9fc00", "-Infinity"),
    ("f4", "false"),
    ("f5", "true"),
    ("f6", "null"),
    ("f7", "undefined"),
    ("f0", "simple(16)"),
    ("f8ff", "simple(255)"),
    (
        "c074323031332d30332d32315432303a30343a30305a",
        "0(\"2013-03-21T20:04:00Z\")",
    ),
    ("c11a514b67b0", "1(1363896240)"),
    (
        "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
        "32(\"http://www.example.com\")",
    ),
    ("40", "h''"),
    ("4401020304", "h'01020304'"),
    ("60", "\"\""),
    ("6449455446", "\"IETF\""),
    ("62225c", "\"\\\"\\\\\""),
    ("63e6b0b4", "\"水\""),
    ("80", "[]"),
    ("83010203", "[\n  1,\n  2,\n  3\n]"),
    ("a0", "{}"),
    ("a201020304", "{\n  1: 2,\n  3: 4\n}"),
    (
        "a26161016162820203",
        "{\n  \"a\": 1,\n  \"b\": [\n    2,\n    3\n  ]\n}",
    ),
    ("5f42010243030405ff", "h'0102030405'"),
    ("7f657374726561646d696e67ff", "\"streaming\""),
    ("9fff", "[]"),
    (
        "9f018202039f0405ffff",
        "[\n  1,\n  [\n    2,\n    3\n  ],\n  [\n    4,\n    5\n  ]\n]",
    ),
    (
        "bf61610161629f0203ffff",
        "{\n  \"a\": 1,\n  \"b\": [\n    2,\n    3\n  ]\n}",
    ),
    ("a182010203", "{\n  [\n    1,\n    2\n  ]: 3\n}"),
];

#[test]
fn cbor_vectors_decode_as_the_rfc_shows_them() {
    for (bytes, expected) in CBOR_VECTORS {
        assert_eq!(
            ok(&hex(bytes), PayloadFormat::Cbor),
            *expected,
            "CBOR {bytes}"
        );
    }
}

#[test]
fn cbor_errors_say_what_and_where() {
    let cases: &[(&str, usize, &str)] = &[
        ("830102", 3, "ends in the middle"),
        ("0102", 1, "1 more byte(s) after the first complete item"),
        ("ff", 0, "unexpected \"break\""),
        ("1c", 0, "malformed item header"),
        ("8201ff", 2, "unexpected \"break\""),
        ("bf01ff", 2, "unexpected \"break\""),
        ("62c328", 0, "invalid string"),
        ("5affffffff00", 0, "invalid string"),
    ];
    for (bytes, offset, message) in cases {
        let payload = hex(bytes);
        let DecodeError::Cbor {
            offset: at,
            message: text,
        } = error(&payload, PayloadFormat::Cbor)
        else {
            panic!("a CBOR error for {bytes}");
        };
        assert_eq!(at, *offset, "{bytes}: {text}");
        assert!(text.contains(message), "{bytes}: {text}");
        assert_eq!(
            render(&payload, PayloadFormat::Cbor).text,
            hex_dump(&payload)
        );
    }
    let deep = vec![0x81u8; 600];
    assert!(matches!(
        error(&deep, PayloadFormat::Cbor),
        DecodeError::Cbor { offset: 512, .. }
    ));
}

/// Hand-built MessagePack and how it is shown.
const MSGPACK_VECTORS: &[(&str, &str)] = &[
    ("00", "0"),
    ("7f", "127"),
    ("ff", "-1"),
    ("e0", "-32"),
    ("ccff", "255"),
    ("cd0100", "256"),
    ("ceffffffff", "4294967295"),
    ("cfffffffffffffffff", "18446744073709551615"),
    ("d080", "-128"),
    ("d1ff00", "-256"),
    ("d2ffffffff", "-1"),
    ("d38000000000000000", "-9223372036854775808"),
    ("ca3dcccccd", "0.1"),
    ("cb3ff199999999999a", "1.1"),
    ("c0", "null"),
    ("c2", "false"),
    ("c3", "true"),
    ("a0", "\"\""),
    ("a3616263", "\"abc\""),
    ("d903616263", "\"abc\""),
    ("da0002c3a9", "\"é\""),
    ("c40301ff02", "h'01ff02'"),
    ("c50000", "h''"),
    ("d6ff00000001", "ext(-1, h'00000001')"),
    ("c70205abcd", "ext(5, h'abcd')"),
    ("90", "[]"),
    ("93010203", "[\n  1,\n  2,\n  3\n]"),
    ("dc000101", "[\n  1\n]"),
    ("80", "{}"),
    ("8101c0", "{\n  1: null\n}"),
    (
        "82a16101a16292020 3",
        "{\n  \"a\": 1,\n  \"b\": [\n    2,\n    3\n  ]\n}",
    ),
];

#[test]
fn messagepack_vectors_decode() {
    for (bytes, expected) in MSGPACK_VECTORS {
        let bytes = bytes.replace(' ', "");
        assert_eq!(
            ok(&hex(&bytes), PayloadFormat::MessagePack),
            *expected,
            "MessagePack {bytes}"
        );
    }
}

#[test]
fn messagepack_errors_say_what_and_where() {
    let cases: &[(&str, usize, &str)] = &[
        ("c1", 0, "0xc1 is reserved"),
        ("9201", 2, "ends in the middle"),
        ("0102", 1, "1 more byte(s) after the first complete value"),
        ("a2c328", 1, "invalid UTF-8"),
        ("dbffffffff41", 6, "ends in the middle"),
        ("cd01", 2, "ends in the middle"),
    ];
    for (bytes, offset, message) in cases {
        let payload = hex(bytes);
        let DecodeError::MessagePack {
            offset: at,
            message: text,
        } = error(&payload, PayloadFormat::MessagePack)
        else {
            panic!("a MessagePack error for {bytes}");
        };
        assert_eq!(at, *offset, "{bytes}: {text}");
        assert!(text.contains(message), "{bytes}: {text}");
    }
    let deep = vec![0x91u8; 600];
    assert!(matches!(
        error(&deep, PayloadFormat::MessagePack),
        DecodeError::MessagePack { offset: 512, .. }
    ));
    assert_eq!(
        error(b"\xc1", PayloadFormat::MessagePack).to_string(),
        "invalid MessagePack at byte 0: byte 0xc1 is reserved and never used in MessagePack"
    );
}

fn preview(payload: &[u8], format: PayloadFormat, max_chars: usize) -> (String, bool) {
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
fn structured_previews_are_compact_and_stop_reading_early() {
    let cbor = hex("a26161016162820203");
    assert_eq!(
        preview(&cbor, PayloadFormat::Cbor, 40),
        ("{\"a\":1,\"b\":[2,3]}".into(), false)
    );
    // An indefinite CBOR array of 100,000 ones that never ends: the preview has
    // what it needs long before the data runs out, so it reports no error.
    let mut endless = vec![0x9f];
    endless.resize(100_001, 0x01);
    assert_eq!(
        preview(&endless, PayloadFormat::Cbor, 8),
        ("[1,1,1,…".into(), true)
    );
    assert!(render(&endless, PayloadFormat::Cbor).error.is_some());
    // MessagePack array32 that claims four billion items.
    let mut claimed = hex("ddffffffff");
    claimed.extend([0x05; 50]);
    assert_eq!(
        preview(&claimed, PayloadFormat::MessagePack, 6),
        ("[5,5,…".into(), true)
    );
    // A long string is cut, not read to its end.
    let mut long = hex("db00100000");
    long.extend(std::iter::repeat_n(b'x', 0x0010_0000));
    assert_eq!(
        preview(&long, PayloadFormat::MessagePack, 5),
        ("\"xxx…".into(), true)
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
