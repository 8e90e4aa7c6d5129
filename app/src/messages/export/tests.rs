use bytes::Bytes;
use mqtt::{ByteStr, Properties, PropertyValues, QoS};

use super::*;
use crate::messages::record::Direction;

fn record(seq: u64, topic: &str, payload: &[u8]) -> MessageRecord {
    MessageRecord {
        seq,
        at_ms: 1_709_647_629_123,
        direction: Direction::Received,
        topic: ByteStr::from(topic),
        payload: Bytes::copy_from_slice(payload),
        qos: QoS::AtLeastOnce,
        retain: true,
        dup: false,
        subscription_identifiers: Vec::new(),
        properties: None,
    }
}

fn with_properties(mut record: MessageRecord) -> MessageRecord {
    record.subscription_identifiers = vec![3, 17];
    record.properties = Some(Box::new(Properties::from(PropertyValues {
        content_type: Some("application/json".into()),
        payload_format_indicator: Some(true),
        message_expiry_interval: Some(60),
        response_topic: Some("reply/here".into()),
        correlation_data: Some(Bytes::from_static(b"\x00\x01")),
        topic_alias: Some(4),
        user_properties: vec![
            ("unit".into(), "°C, \"metric\"".into()),
            ("unit".into(), "dup".into()),
        ],
        ..PropertyValues::default()
    })));
    record
}

fn export_to_string(
    records: &[MessageRecord],
    format: ExportFormat,
    payload: PayloadEncoding,
) -> String {
    let mut text = String::new();
    let rows = export(records, ExportOptions { format, payload }, |chunk| {
        text.push_str(chunk)
    });
    assert_eq!(rows, records.len() as u64);
    text
}

#[test]
fn jsonl_lines_are_exact() {
    let plain = record(7, "sensors/kitchen", b"{\"t\":21}");
    let text = export_to_string(&[plain], ExportFormat::JsonLines, PayloadEncoding::Text);
    assert_eq!(
        text,
        "{\"seq\":7,\"time\":\"2024-03-05T14:07:09.123Z\",\"direction\":\"received\",\
         \"topic\":\"sensors/kitchen\",\"qos\":1,\"retain\":true,\"dup\":false,\
         \"payload_size\":8,\"payload_encoding\":\"text\",\"payload\":\"{\\\"t\\\":21}\"}\n"
    );
    let full = with_properties(record(8, "a", b"\xff"));
    let text = export_to_string(&[full], ExportFormat::JsonLines, PayloadEncoding::Text);
    assert_eq!(
        text,
        "{\"seq\":8,\"time\":\"2024-03-05T14:07:09.123Z\",\"direction\":\"received\",\
         \"topic\":\"a\",\"qos\":1,\"retain\":true,\"dup\":false,\"payload_size\":1,\
         \"payload_encoding\":\"base64\",\"payload\":\"/w==\",\"subscription_identifiers\":[3,17],\
         \"content_type\":\"application/json\",\"payload_format_indicator\":1,\
         \"message_expiry_interval\":60,\"response_topic\":\"reply/here\",\
         \"correlation_data\":\"AAE=\",\"topic_alias\":4,\
         \"user_properties\":[[\"unit\",\"°C, \\\"metric\\\"\"],[\"unit\",\"dup\"]]}\n"
    );
}

#[test]
fn jsonl_round_trips_every_byte_and_property() {
    let all_bytes: Vec<u8> = (0..=255).collect();
    let mut published = with_properties(record(1, "t/é", &all_bytes));
    published.direction = Direction::Published;
    published.qos = QoS::ExactlyOnce;
    published.dup = true;
    let records = vec![
        record(0, "a", b""),
        published,
        record(
            2,
            "control\n\"chars\"\u{1}",
            "text with \"quotes\", \\ and\nlines\r\u{0}".as_bytes(),
        ),
        record(3, "b", b"\xc3\x28 invalid"),
    ];
    for encoding in [PayloadEncoding::Base64, PayloadEncoding::Text] {
        let text = export_to_string(&records, ExportFormat::JsonLines, encoding);
        let read: Vec<MessageRecord> = text
            .lines()
            .map(|line| parse_jsonl_line(line).expect("an exported line reads back"))
            .collect();
        assert_eq!(read, records, "{encoding:?}");
    }
}

#[test]
fn text_mode_falls_back_to_base64_per_message() {
    let records = [record(0, "a", b"plain"), record(1, "a", b"\x00\xff")];
    let text = export_to_string(&records, ExportFormat::JsonLines, PayloadEncoding::Text);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines
        .first()
        .is_some_and(|line| line.contains("\"payload_encoding\":\"text\",\"payload\":\"plain\"")));
    assert!(lines
        .get(1)
        .is_some_and(|line| line.contains("\"payload_encoding\":\"base64\",\"payload\":\"AP8=\"")));
}

#[test]
fn import_errors_say_what_is_wrong() {
    let line = export_to_string(
        &[record(0, "a", b"x")],
        ExportFormat::JsonLines,
        PayloadEncoding::Base64,
    );
    let line = line.trim_end();
    let broken = |from: &str, to: &str| parse_jsonl_line(&line.replacen(from, to, 1)).err();
    assert_eq!(broken("\"qos\":1", "\"qos\":3"), Some(ImportError::QoS(3)));
    assert_eq!(
        broken("received", "sideways"),
        Some(ImportError::Direction("sideways".into()))
    );
    assert_eq!(
        broken("2024-03-05T14:07:09.123Z", "yesterday"),
        Some(ImportError::Time("yesterday".into()))
    );
    assert_eq!(
        broken("\"payload_size\":1", "\"payload_size\":2"),
        Some(ImportError::SizeMismatch {
            declared: 2,
            actual: 1
        })
    );
    assert!(matches!(
        broken("\"eA==\"", "\"!!\""),
        Some(ImportError::Base64 {
            field: "payload",
            ..
        })
    ));
    assert_eq!(
        broken("\"base64\"", "\"rot13\""),
        Some(ImportError::Encoding("rot13".into()))
    );
    assert!(matches!(
        parse_jsonl_line("not json"),
        Err(ImportError::Json(_))
    ));
    assert!(matches!(
        parse_jsonl_line("{\"seq\":1}"),
        Err(ImportError::Json(_))
    ));
}

/// A strict RFC 4180 reader, to check that what we write parses back.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(character) = chars.next() {
        match (quoted, character) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, other) => field.push(other),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, other) => {
                assert!(
                    !matches!(other, '"' | '\r' | '\n'),
                    "unquoted {other:?} in {text:?}"
                );
                field.push(other);
            }
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "rows end with CRLF"
    );
    rows
}

#[test]
fn csv_quotes_commas_quotes_and_line_breaks() {
    let tricky = "a, \"quoted\"\r\nnext line";
    let records = [
        record(0, "plain/topic", b"simple"),
        with_properties(record(1, "comma,topic", tricky.as_bytes())),
    ];
    let text = export_to_string(&records, ExportFormat::Csv, PayloadEncoding::Text);
    let expected = "\
seq,time,direction,topic,qos,retain,dup,payload_size,payload_encoding,payload,\
subscription_identifiers,content_type,payload_format_indicator,message_expiry_interval,\
response_topic,correlation_data,topic_alias,user_properties\r\n\
0,2024-03-05T14:07:09.123Z,received,plain/topic,1,true,false,6,text,simple,,,,,,,,\r\n\
1,2024-03-05T14:07:09.123Z,received,\"comma,topic\",1,true,false,22,text,\
\"a, \"\"quoted\"\"\r\nnext line\",3;17,application/json,1,60,reply/here,AAE=,4,\
\"[[\"\"unit\"\",\"\"°C, \\\"\"metric\\\"\"\"\"],[\"\"unit\"\",\"\"dup\"\"]]\"\r\n";
    assert_eq!(text, expected);
    let rows = parse_csv(&text);
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|row| row.len() == 18));
    assert_eq!(
        rows.get(2).and_then(|row| row.get(3)).map(String::as_str),
        Some("comma,topic")
    );
    assert_eq!(
        rows.get(2).and_then(|row| row.get(9)).map(String::as_str),
        Some(tricky)
    );
    let user = rows
        .get(2)
        .and_then(|row| row.get(17))
        .cloned()
        .unwrap_or_default();
    let pairs: Vec<(String, String)> =
        serde_json::from_str(&user).expect("user properties are JSON");
    assert_eq!(
        pairs.first().map(|pair| pair.1.as_str()),
        Some("°C, \"metric\"")
    );
}

#[test]
fn csv_base64_mode_keeps_binary_exact() {
    let text = export_to_string(
        &[record(0, "t", b"\x00\xff,\n")],
        ExportFormat::Csv,
        PayloadEncoding::Base64,
    );
    let rows = parse_csv(&text);
    let row = rows.get(1).cloned().unwrap_or_default();
    assert_eq!(row.get(8).map(String::as_str), Some("base64"));
    assert_eq!(row.get(9).map(String::as_str), Some("AP8sCg=="));
}

#[test]
fn a_large_export_arrives_in_bounded_chunks() {
    let records: Vec<MessageRecord> = (0..20_000u64)
        .map(|seq| record(seq, "bench/topic", format!("{{\"n\":{seq}}}").as_bytes()))
        .collect();
    let mut chunks: Vec<usize> = Vec::new();
    let mut joined = String::new();
    let mut exporter = Exporter::new(ExportOptions::default(), |chunk: &str| {
        chunks.push(chunk.len());
        joined.push_str(chunk);
    });
    for (index, record) in records.iter().enumerate() {
        exporter.write(record);
        assert_eq!(exporter.rows(), index as u64 + 1);
    }
    assert_eq!(exporter.finish(), 20_000);
    assert!(chunks.len() > 10, "{} chunks", chunks.len());
    let (last, full) = chunks.split_last().expect("some chunks");
    assert!(full
        .iter()
        .all(|len| (EXPORT_CHUNK_BYTES..EXPORT_CHUNK_BYTES + 1024).contains(len)));
    assert!(*last > 0);
    assert_eq!(joined.lines().count(), 20_000);
    let last_line = joined.lines().last().map(parse_jsonl_line);
    assert_eq!(last_line, records.last().cloned().map(Ok));
    assert_eq!(ExportFormat::Csv.file_extension(), "csv");
    assert_eq!(ExportFormat::JsonLines.mime_type(), "application/x-ndjson");
}

#[test]
fn an_empty_export_is_empty_or_just_the_header() {
    assert_eq!(
        export_to_string(&[], ExportFormat::JsonLines, PayloadEncoding::Base64),
        ""
    );
    let csv = export_to_string(&[], ExportFormat::Csv, PayloadEncoding::Base64);
    assert_eq!(csv, format!("{}\r\n", csv::HEADER));
}
