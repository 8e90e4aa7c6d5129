//! CSV per RFC 4180: a header row, CRLF line ends, and fields quoted (with inner
//! quotes doubled) when they hold a comma, a quote or a line break. Values are written
//! as they are, never prefixed or altered; user properties go in one cell as a JSON
//! array of `[name, value]` pairs.

use std::fmt::Write;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use mqtt::Properties;

use super::{payload_text, push_json_string, PayloadEncoding};
use crate::messages::record::MessageRecord;
use crate::messages::time::format_utc;

pub(super) const HEADER: &str = "seq,time,direction,topic,qos,retain,dup,payload_size,\
payload_encoding,payload,subscription_identifiers,content_type,payload_format_indicator,\
message_expiry_interval,response_topic,correlation_data,topic_alias,user_properties";

pub(super) fn write_header(buffer: &mut String) {
    buffer.push_str(HEADER);
    buffer.push_str("\r\n");
}

pub(super) fn write_record(buffer: &mut String, record: &MessageRecord, encoding: PayloadEncoding) {
    let _ = write!(
        buffer,
        "{},{},{},",
        record.seq,
        format_utc(record.at_ms),
        record.direction.as_str()
    );
    push_field(buffer, &record.topic);
    let _ = write!(
        buffer,
        ",{},{},{},{},",
        record.qos.level(),
        record.retain,
        record.dup,
        record.payload.len()
    );
    let (payload, used) = payload_text(record, encoding);
    let _ = write!(buffer, "{used},");
    push_field(buffer, &payload);
    buffer.push(',');
    for (index, id) in record.subscription_identifiers.iter().enumerate() {
        if index > 0 {
            buffer.push(';');
        }
        let _ = write!(buffer, "{id}");
    }
    let empty = Properties::default();
    let properties = record.properties.as_deref().unwrap_or(&empty);
    buffer.push(',');
    push_field(
        buffer,
        properties.content_type.as_deref().unwrap_or_default(),
    );
    buffer.push(',');
    if let Some(utf8) = properties.payload_format_indicator {
        let _ = write!(buffer, "{}", u8::from(utf8));
    }
    buffer.push(',');
    if let Some(seconds) = properties.message_expiry_interval {
        let _ = write!(buffer, "{seconds}");
    }
    buffer.push(',');
    push_field(
        buffer,
        properties.response_topic.as_deref().unwrap_or_default(),
    );
    buffer.push(',');
    if let Some(data) = &properties.correlation_data {
        buffer.push_str(&BASE64.encode(data));
    }
    buffer.push(',');
    if let Some(alias) = properties.topic_alias {
        let _ = write!(buffer, "{alias}");
    }
    buffer.push(',');
    if !properties.user_properties.is_empty() {
        let mut json = String::from("[");
        for (index, (name, value)) in properties.user_properties.iter().enumerate() {
            if index > 0 {
                json.push(',');
            }
            json.push('[');
            push_json_string(&mut json, name);
            json.push(',');
            push_json_string(&mut json, value);
            json.push(']');
        }
        json.push(']');
        push_field(buffer, &json);
    }
    buffer.push_str("\r\n");
}

/// One field, quoted only when RFC 4180 requires it.
pub(super) fn push_field(buffer: &mut String, value: &str) {
    if !value.contains([',', '"', '\r', '\n']) {
        buffer.push_str(value);
        return;
    }
    buffer.push('"');
    for (index, part) in value.split('"').enumerate() {
        if index > 0 {
            buffer.push_str("\"\"");
        }
        buffer.push_str(part);
    }
    buffer.push('"');
}
