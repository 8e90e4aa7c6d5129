//! Suggests a format for a payload. Only a suggestion: the stored bytes and the
//! user's choice of format are never changed by it.

use super::decode::{cbor, json, msgpack, Output, PayloadFormat, TreeDecoder, TreeWriter};

/// Payloads up to this size are fully parsed; larger ones are judged by their start.
const FULL_CHECK_LIMIT: usize = 1024 * 1024;

/// How much of a larger payload is looked at.
const PREFIX_CHECK: usize = 64 * 1024;

/// The format a payload most likely is:
///
/// - JSON if it parses as JSON (a bare number such as `21.5` counts);
/// - Text if it is UTF-8 without control characters other than tab and line breaks;
/// - CBOR, then MessagePack, if the whole payload is exactly one array, map or tag
///   (CBOR) or extension (MessagePack): a lone scalar such as the byte `0x05` is more
///   likely raw bytes than a one-byte document;
/// - Text if it is UTF-8 with control characters (they are shown escaped);
/// - Hex otherwise.
///
/// Payloads over 1 MiB are judged by their first 64 KiB: UTF-8 starting with `{` or
/// `[` suggests JSON, other UTF-8 Text, anything else Hex.
pub fn detect(payload: &[u8]) -> PayloadFormat {
    if payload.is_empty() {
        return PayloadFormat::Text;
    }
    if payload.len() > FULL_CHECK_LIMIT {
        return detect_by_prefix(payload);
    }
    let text = std::str::from_utf8(payload).ok();
    if let Some(text) = text {
        if json::validate(payload).is_ok() {
            return PayloadFormat::Json;
        }
        if is_printable(text) {
            return PayloadFormat::Text;
        }
    }
    if opens_cbor_container(payload) && decodes_cleanly(payload, cbor::write_cbor) {
        return PayloadFormat::Cbor;
    }
    if opens_msgpack_container(payload) && decodes_cleanly(payload, msgpack::write_msgpack) {
        return PayloadFormat::MessagePack;
    }
    if text.is_some() {
        PayloadFormat::Text
    } else {
        PayloadFormat::Hex
    }
}

fn detect_by_prefix(payload: &[u8]) -> PayloadFormat {
    let prefix = payload.get(..PREFIX_CHECK).unwrap_or(payload);
    let text = match std::str::from_utf8(prefix) {
        Ok(text) => text,
        // Cut in the middle of a character by the prefix: fine.
        Err(error) if error.error_len().is_none() => {
            std::str::from_utf8(prefix.get(..error.valid_up_to()).unwrap_or_default())
                .unwrap_or_default()
        }
        Err(_) => return PayloadFormat::Hex,
    };
    if text.trim_start().starts_with(['{', '[']) {
        PayloadFormat::Json
    } else {
        PayloadFormat::Text
    }
}

fn is_printable(text: &str) -> bool {
    text.chars()
        .all(|character| !character.is_control() || matches!(character, '\t' | '\n' | '\r'))
}

/// Major types 4 (array), 5 (map) and 6 (tag).
fn opens_cbor_container(payload: &[u8]) -> bool {
    payload
        .first()
        .is_some_and(|first| (4..=6).contains(&(first >> 5)))
}

/// fixmap, fixarray, array 16/32, map 16/32 and the extension types.
fn opens_msgpack_container(payload: &[u8]) -> bool {
    payload
        .first()
        .is_some_and(|first| matches!(first, 0x80..=0x9f | 0xc7..=0xc9 | 0xd4..=0xd8 | 0xdc..=0xdf))
}

fn decodes_cleanly(payload: &[u8], decode: TreeDecoder) -> bool {
    let mut writer = TreeWriter::new(Output::unlimited(payload.len()), false);
    decode(payload, &mut writer).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_json_text_and_hex() {
        assert_eq!(detect(br#"{"temperature": 21.5}"#), PayloadFormat::Json);
        assert_eq!(detect(b" [1, 2] "), PayloadFormat::Json);
        assert_eq!(detect(b"21.5"), PayloadFormat::Json);
        assert_eq!(detect(b"hello world\r\n"), PayloadFormat::Text);
        assert_eq!(detect(b"{not json"), PayloadFormat::Text);
        assert_eq!(detect(b"<img src=x onerror=alert(1)>"), PayloadFormat::Text);
        assert_eq!(detect(b""), PayloadFormat::Text);
        assert_eq!(detect(b"\x1b[31mred\x1b[0m"), PayloadFormat::Text);
        assert_eq!(detect(b"\x00\x01\x02\xff"), PayloadFormat::Hex);
        assert_eq!(detect(b"\x05"), PayloadFormat::Text, "a lone control byte");
        assert_eq!(detect(b"\xff"), PayloadFormat::Hex);
    }

    #[test]
    fn suggests_cbor_and_messagepack_containers() {
        // CBOR {"a": 1, "b": [2, 3]} (RFC 8949 appendix A).
        let cbor = b"\xa2\x61\x61\x01\x61\x62\x82\x02\x03";
        assert_eq!(detect(cbor), PayloadFormat::Cbor);
        // MessagePack {"a": 1, "b": [2, 3]}.
        let msgpack = b"\x82\xa1\x61\x01\xa1\x62\x92\x02\x03";
        assert_eq!(detect(msgpack), PayloadFormat::MessagePack);
        // MessagePack binary data is not a container: raw bytes.
        assert_eq!(detect(b"\xc4\x02\xff\xfe"), PayloadFormat::Hex);
        // A CBOR array with bytes left over is not clean.
        assert_eq!(detect(b"\x82\x01\x02\x03"), PayloadFormat::Hex);
    }

    #[test]
    fn judges_large_payloads_by_their_start() {
        let mut json = b"  {\"values\": [".to_vec();
        json.resize(FULL_CHECK_LIMIT + 10, b'1');
        assert_eq!(detect(&json), PayloadFormat::Json);
        let text = "é".repeat(FULL_CHECK_LIMIT);
        assert_eq!(detect(text.as_bytes()), PayloadFormat::Text);
        let mut binary = vec![0xffu8; 4];
        binary.resize(FULL_CHECK_LIMIT + 1, b'a');
        assert_eq!(detect(&binary), PayloadFormat::Hex);
    }
}
