//! JSON Lines: one object per message, written by hand (no per-row allocation of a
//! value tree), and read back with `serde_json`.
//!
//! Keys, in order: `seq`, `time` (ISO-8601 UTC, milliseconds), `direction`
//! (`received`/`published`), `topic`, `qos` (0–2), `retain`, `dup`, `payload_size`,
//! `payload_encoding` (`base64`/`text`), `payload`; then, only when present,
//! `subscription_identifiers`, `content_type`, `payload_format_indicator` (0/1),
//! `message_expiry_interval` (seconds), `response_topic`, `correlation_data`
//! (Base64), `topic_alias` and `user_properties` (an array of `[name, value]` pairs,
//! in order, duplicates kept).

use std::fmt::Write;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use bytes::Bytes;
use mqtt::{ByteStr, Properties, PropertyValues, QoS};

use super::{payload_text, push_json_string, PayloadEncoding};
use crate::messages::record::{Direction, MessageRecord};
use crate::messages::time::{format_utc, parse_utc};

pub(super) fn write_record(buffer: &mut String, record: &MessageRecord, encoding: PayloadEncoding) {
    let _ = write!(
        buffer,
        "{{\"seq\":{},\"time\":\"{}\"",
        record.seq,
        format_utc(record.at_ms)
    );
    let _ = write!(
        buffer,
        ",\"direction\":\"{}\",\"topic\":",
        record.direction.as_str()
    );
    push_json_string(buffer, &record.topic);
    let _ = write!(
        buffer,
        ",\"qos\":{},\"retain\":{},\"dup\":{},\"payload_size\":{}",
        record.qos.level(),
        record.retain,
        record.dup,
        record.payload.len()
    );
    let (payload, used) = payload_text(record, encoding);
    let _ = write!(buffer, ",\"payload_encoding\":\"{used}\",\"payload\":");
    push_json_string(buffer, &payload);
    if !record.subscription_identifiers.is_empty() {
        buffer.push_str(",\"subscription_identifiers\":[");
        for (index, id) in record.subscription_identifiers.iter().enumerate() {
            if index > 0 {
                buffer.push(',');
            }
            let _ = write!(buffer, "{id}");
        }
        buffer.push(']');
    }
    if let Some(properties) = record.properties.as_deref() {
        write_properties(buffer, properties);
    }
    buffer.push_str("}\n");
}

fn write_properties(buffer: &mut String, properties: &Properties) {
    let text_field = |buffer: &mut String, key: &str, value: &Option<ByteStr>| {
        if let Some(value) = value {
            let _ = write!(buffer, ",\"{key}\":");
            push_json_string(buffer, value);
        }
    };
    text_field(buffer, "content_type", &properties.content_type);
    if let Some(utf8) = properties.payload_format_indicator {
        let _ = write!(buffer, ",\"payload_format_indicator\":{}", u8::from(utf8));
    }
    if let Some(seconds) = properties.message_expiry_interval {
        let _ = write!(buffer, ",\"message_expiry_interval\":{seconds}");
    }
    text_field(buffer, "response_topic", &properties.response_topic);
    if let Some(data) = &properties.correlation_data {
        let _ = write!(buffer, ",\"correlation_data\":\"{}\"", BASE64.encode(data));
    }
    if let Some(alias) = properties.topic_alias {
        let _ = write!(buffer, ",\"topic_alias\":{alias}");
    }
    if !properties.user_properties.is_empty() {
        buffer.push_str(",\"user_properties\":[");
        for (index, (name, value)) in properties.user_properties.iter().enumerate() {
            if index > 0 {
                buffer.push(',');
            }
            buffer.push('[');
            push_json_string(buffer, name);
            buffer.push(',');
            push_json_string(buffer, value);
            buffer.push(']');
        }
        buffer.push(']');
    }
}

/// Why an exported line could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("not an exported message: {0}")]
    Json(String),
    #[error("invalid time {0:?}: expected ISO-8601 UTC such as 2024-03-05T14:07:09.123Z")]
    Time(String),
    #[error("invalid direction {0:?}: expected \"received\" or \"published\"")]
    Direction(String),
    #[error("invalid QoS {0}: expected 0, 1 or 2")]
    QoS(u8),
    #[error("invalid payload_encoding {0:?}: expected \"base64\" or \"text\"")]
    Encoding(String),
    #[error("invalid Base64 in {field}: {message}")]
    Base64 {
        field: &'static str,
        message: String,
    },
    #[error("payload_size says {declared} bytes but the payload has {actual}")]
    SizeMismatch { declared: usize, actual: usize },
}

#[derive(serde::Deserialize)]
struct Line {
    seq: u64,
    time: String,
    direction: String,
    topic: String,
    qos: u8,
    #[serde(default)]
    retain: bool,
    #[serde(default)]
    dup: bool,
    payload_size: Option<usize>,
    payload_encoding: String,
    payload: String,
    #[serde(default)]
    subscription_identifiers: Vec<u32>,
    content_type: Option<String>,
    payload_format_indicator: Option<u8>,
    message_expiry_interval: Option<u32>,
    response_topic: Option<String>,
    correlation_data: Option<String>,
    topic_alias: Option<u16>,
    #[serde(default)]
    user_properties: Vec<(String, String)>,
}

/// Reads one line of a JSON Lines export back into a record (with the exported
/// sequence number).
pub fn parse_jsonl_line(line: &str) -> Result<MessageRecord, ImportError> {
    let line: Line =
        serde_json::from_str(line).map_err(|error| ImportError::Json(error.to_string()))?;
    let at_ms = parse_utc(&line.time).ok_or_else(|| ImportError::Time(line.time.clone()))?;
    let direction = Direction::parse(&line.direction)
        .ok_or_else(|| ImportError::Direction(line.direction.clone()))?;
    let qos = QoS::try_from(line.qos).map_err(|_| ImportError::QoS(line.qos))?;
    let payload = match line.payload_encoding.as_str() {
        "text" => Bytes::from(line.payload),
        "base64" => Bytes::from(decode_base64("payload", &line.payload)?),
        _ => return Err(ImportError::Encoding(line.payload_encoding)),
    };
    if let Some(declared) = line
        .payload_size
        .filter(|declared| *declared != payload.len())
    {
        return Err(ImportError::SizeMismatch {
            declared,
            actual: payload.len(),
        });
    }
    let properties = Properties::from(PropertyValues {
        content_type: line.content_type.map(ByteStr::from),
        payload_format_indicator: line.payload_format_indicator.map(|value| value == 1),
        message_expiry_interval: line.message_expiry_interval,
        response_topic: line.response_topic.map(ByteStr::from),
        correlation_data: match line.correlation_data {
            Some(data) => Some(Bytes::from(decode_base64("correlation_data", &data)?)),
            None => None,
        },
        topic_alias: line.topic_alias,
        user_properties: line
            .user_properties
            .into_iter()
            .map(|(name, value)| (ByteStr::from(name), ByteStr::from(value)))
            .collect(),
        ..PropertyValues::default()
    });
    Ok(MessageRecord {
        seq: line.seq,
        at_ms,
        direction,
        topic: ByteStr::from(line.topic),
        payload,
        qos,
        retain: line.retain,
        dup: line.dup,
        subscription_identifiers: line.subscription_identifiers,
        properties: (!properties.is_empty()).then(|| Box::new(properties)),
    })
}

fn decode_base64(field: &'static str, text: &str) -> Result<Vec<u8>, ImportError> {
    BASE64.decode(text).map_err(|error| ImportError::Base64 {
        field,
        message: error.to_string(),
    })
}
