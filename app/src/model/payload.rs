//! Turning text typed in a payload editor into the bytes that are sent, per the chosen
//! format, with errors that say where the input is wrong.

use base64::{engine::general_purpose::STANDARD as B64, Engine};

use super::json_binary::{to_cbor, to_msgpack, OrderedJson};
use super::profile::PayloadFormat;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("invalid hex: {0} (use pairs of 0-9/a-f, spaces allowed)")]
    Hex(String),
    #[error("invalid Base64: {0}")]
    Base64(String),
}

/// The bytes `text` stands for in `format`.
pub fn encode_payload(text: &str, format: PayloadFormat) -> Result<Vec<u8>, PayloadError> {
    match format {
        PayloadFormat::Text => Ok(text.as_bytes().to_vec()),
        PayloadFormat::Json => parse_json(text).map(|_| text.as_bytes().to_vec()),
        PayloadFormat::Cbor => parse_json(text).map(|value| to_cbor(&value)),
        PayloadFormat::MsgPack => parse_json(text).map(|value| to_msgpack(&value)),
        PayloadFormat::Hex => {
            let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            hex::decode(compact).map_err(|e| PayloadError::Hex(e.to_string()))
        }
        PayloadFormat::Base64 => B64
            .decode(text.trim())
            .map_err(|e| PayloadError::Base64(e.to_string())),
    }
}

/// `text` re-indented as pretty JSON, or where it stops being JSON. Only whitespace
/// between tokens changes: member order, duplicate keys, number spelling and string
/// escapes stay as typed, so the bytes sent mean exactly what was typed.
pub fn prettify_json(text: &str) -> Result<String, PayloadError> {
    parse_json(text)?;
    Ok(crate::messages::decode::render(text.as_bytes(), crate::messages::PayloadFormat::Json).text)
}

fn parse_json(text: &str) -> Result<OrderedJson, PayloadError> {
    serde_json::from_str(text).map_err(|error| PayloadError::Json {
        line: error.line(),
        column: error.column(),
        message: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_gives_its_bytes() {
        assert_eq!(
            encode_payload("hi", PayloadFormat::Text),
            Ok(b"hi".to_vec())
        );
        assert_eq!(
            encode_payload("{\"a\":1}", PayloadFormat::Json),
            Ok(b"{\"a\":1}".to_vec())
        );
        assert_eq!(
            encode_payload("de ad BE ef", PayloadFormat::Hex),
            Ok(vec![0xde, 0xad, 0xbe, 0xef])
        );
        assert_eq!(
            encode_payload("AAEC", PayloadFormat::Base64),
            Ok(vec![0, 1, 2])
        );
        assert_eq!(
            encode_payload("{\"a\": 1}", PayloadFormat::Cbor),
            Ok(vec![0xa1, 0x61, b'a', 0x01])
        );
        assert_eq!(
            encode_payload("{\"a\": 1}", PayloadFormat::MsgPack),
            Ok(vec![0x81, 0xa1, b'a', 0x01])
        );
    }

    #[test]
    fn errors_say_where() {
        let Err(PayloadError::Json { line, column, .. }) =
            encode_payload("{\n \"a\": }", PayloadFormat::Json)
        else {
            panic!("bad JSON must be refused");
        };
        assert_eq!((line, column), (2, 7));
        for binary in [PayloadFormat::Cbor, PayloadFormat::MsgPack] {
            let Err(PayloadError::Json { line, column, .. }) = encode_payload("[1,\n2,,]", binary)
            else {
                panic!("bad JSON must be refused for {binary:?}");
            };
            assert_eq!((line, column), (2, 3));
        }
        assert!(matches!(
            encode_payload("abc", PayloadFormat::Hex),
            Err(PayloadError::Hex(_))
        ));
        assert!(matches!(
            encode_payload("***", PayloadFormat::Base64),
            Err(PayloadError::Base64(_))
        ));
    }

    #[test]
    fn prettify_only_changes_whitespace() {
        let typed = r#"{"z":1, "a":[2.50,-0,1e3,"\u00e9 é"],"z":{}}"#;
        let pretty = prettify_json(typed).expect("valid JSON");
        assert!(pretty.contains('\n'), "{pretty}");
        let squeezed: String = pretty.split_whitespace().collect();
        assert_eq!(squeezed, typed.replace(' ', ""));
        // The typed string's inner space survives (it is inside a string).
        assert!(pretty.contains(r#""\u00e9 é""#), "{pretty}");
        assert!(matches!(
            prettify_json(r#"{"a": }"#),
            Err(PayloadError::Json {
                line: 1,
                column: 7,
                ..
            })
        ));
    }
}
