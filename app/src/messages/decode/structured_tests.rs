//! CBOR and MessagePack: RFC 8949 vectors, hand-built MessagePack, errors and
//! previews that stop early.

use super::tests::{error, hex, ok, preview};
use super::*;

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
