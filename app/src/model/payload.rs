//! Turning text typed in a payload editor into the bytes that are sent, per the chosen
//! format, with errors that say where the input is wrong.

use base64::{engine::general_purpose::STANDARD as B64, Engine};

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
        PayloadFormat::Json => {
            if let Err(error) = serde_json::from_str::<serde_json::Value>(text) {
                return Err(PayloadError::Json {
                    line: error.line(),
                    column: error.column(),
                    message: error.to_string(),
                });
            }
            Ok(text.as_bytes().to_vec())
        }
        PayloadFormat::Hex => {
            let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            hex::decode(compact).map_err(|e| PayloadError::Hex(e.to_string()))
        }
        PayloadFormat::Base64 => B64
            .decode(text.trim())
            .map_err(|e| PayloadError::Base64(e.to_string())),
    }
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
    }

    #[test]
    fn errors_say_where() {
        let Err(PayloadError::Json { line, column, .. }) =
            encode_payload("{\n \"a\": }", PayloadFormat::Json)
        else {
            panic!("bad JSON must be refused");
        };
        assert_eq!((line, column), (2, 7));
        assert!(matches!(
            encode_payload("abc", PayloadFormat::Hex),
            Err(PayloadError::Hex(_))
        ));
        assert!(matches!(
            encode_payload("***", PayloadFormat::Base64),
            Err(PayloadError::Base64(_))
        ));
    }
}
