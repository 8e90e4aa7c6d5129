//! What the publish form describes — topic, QoS, retain, payload and format, MQTT 5
//! properties, or a file as the payload — and how it becomes one message: template
//! variables expanded, the payload encoded, every field checked with a message that
//! says what is wrong. The same draft is what templates and the sent history keep.

use bytes::Bytes;
use mqtt::client::OutgoingPublish;
use mqtt::{ByteStr, Properties, QoS};
use serde::{Deserialize, Serialize};

use super::payload::encode_payload;
use super::profile::PayloadFormat;
use super::template::{expand, has_variables, TemplateContext};

/// A file chosen as the payload: its bytes are sent exactly as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilePayload {
    pub name: String,
    pub bytes: Bytes,
}

/// The publish form's content. A chosen file is not stored (it is only in memory).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PublishDraft {
    pub topic: String,
    pub payload: String,
    pub format: PayloadFormat,
    pub qos: u8,
    pub retain: bool,
    pub content_type: String,
    pub response_topic: String,
    pub correlation_data: String,
    pub message_expiry: String,
    pub utf8_indicator: bool,
    /// One `name=value` per line.
    pub user_properties: String,
    #[serde(skip)]
    pub file: Option<FilePayload>,
}

/// A message ready to send, and the template variables left as typed.
#[derive(Debug)]
pub struct Built {
    pub message: OutgoingPublish,
    pub unknown_variables: Vec<String>,
}

impl PublishDraft {
    /// The message this draft describes, `context` filling the payload's variables.
    pub fn build(&self, v5: bool, context: &mut TemplateContext<'_>) -> Result<Built, String> {
        mqtt::validate_topic_name(&self.topic).map_err(|e| format!("Topic: {e}"))?;
        let mut unknown_variables = Vec::new();
        let payload = match &self.file {
            Some(file) => file.bytes.clone(),
            None if has_variables(&self.payload) => {
                let expanded =
                    expand(&self.payload, context).map_err(|e| format!("Payload: {e}"))?;
                unknown_variables = expanded.unknown;
                self.encode(&expanded.text)?
            }
            None => self.encode(&self.payload)?,
        };
        let properties = if v5 {
            self.properties()?
        } else {
            Properties::default()
        };
        Ok(Built {
            message: OutgoingPublish {
                topic: ByteStr::from(self.topic.as_str()),
                payload,
                qos: QoS::try_from(self.qos.min(2)).unwrap_or(QoS::AtMostOnce),
                retain: self.retain,
                properties,
            },
            unknown_variables,
        })
    }

    fn encode(&self, text: &str) -> Result<Bytes, String> {
        encode_payload(text, self.format)
            .map(Bytes::from)
            .map_err(|e| format!("Payload: {e}"))
    }

    fn properties(&self) -> Result<Properties, String> {
        let mut properties = Properties::default();
        let text = |s: &str| (!s.is_empty()).then(|| ByteStr::from(s));
        properties.content_type = text(&self.content_type);
        properties.response_topic = text(&self.response_topic);
        if let Some(topic) = &properties.response_topic {
            mqtt::validate_topic_name(topic).map_err(|e| format!("Response topic: {e}"))?;
        }
        properties.correlation_data = (!self.correlation_data.is_empty())
            .then(|| Bytes::from(self.correlation_data.clone().into_bytes()));
        if !self.message_expiry.trim().is_empty() {
            let seconds = self
                .message_expiry
                .trim()
                .parse()
                .map_err(|_| "Message expiry must be a whole number of seconds".to_string())?;
            properties.message_expiry_interval = Some(seconds);
        }
        properties.payload_format_indicator = self.utf8_indicator.then_some(true);
        for line in self
            .user_properties
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let (key, value) = line
                .split_once('=')
                .ok_or_else(|| format!("User property '{line}' needs the form name=value"))?;
            properties
                .user_properties
                .push((ByteStr::from(key.trim()), ByteStr::from(value.trim())));
        }
        Ok(properties)
    }

    /// The message that clears the retained message on this draft's topic: an empty
    /// payload with retain set, at the draft's QoS.
    pub fn clear_retained(&self) -> Result<OutgoingPublish, String> {
        mqtt::validate_topic_name(&self.topic).map_err(|e| format!("Topic: {e}"))?;
        Ok(OutgoingPublish {
            topic: ByteStr::from(self.topic.as_str()),
            payload: Bytes::new(),
            qos: QoS::try_from(self.qos.min(2)).unwrap_or(QoS::AtMostOnce),
            retain: true,
            properties: Properties::default(),
        })
    }

    /// A one-line summary for lists: topic and the start of the payload.
    pub fn summary(&self, max_chars: usize) -> String {
        let payload = match &self.file {
            Some(file) => format!("file {}", file.name),
            None => self.payload.replace(['\n', '\r'], " "),
        };
        let mut text = format!("{} — {payload}", self.topic);
        if text.chars().count() > max_chars {
            text = text.chars().take(max_chars.saturating_sub(1)).collect();
            text.push('…');
        }
        text
    }
}

/// A saved draft under a name, sent with one click.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PublishTemplate {
    pub name: String,
    pub draft: PublishDraft,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(draft: &PublishDraft, v5: bool) -> Result<Built, String> {
        let mut random = || 4u32;
        draft.build(
            v5,
            &mut TemplateContext {
                now_ms: 0,
                counter: 3,
                random: &mut random,
            },
        )
    }

    #[test]
    fn wildcards_are_refused_in_topics() {
        let draft = PublishDraft {
            topic: "a/#".into(),
            ..PublishDraft::default()
        };
        assert!(build(&draft, true).unwrap_err().starts_with("Topic: "));
        assert!(draft.clear_retained().unwrap_err().starts_with("Topic: "));
    }

    #[test]
    fn v5_properties_are_carried() {
        let draft = PublishDraft {
            topic: "a".into(),
            payload: "00ff".into(),
            format: PayloadFormat::Hex,
            qos: 1,
            content_type: "application/octet-stream".into(),
            message_expiry: "30".into(),
            user_properties: "k=v\n\nx = y".into(),
            ..PublishDraft::default()
        };
        let message = build(&draft, true).expect("valid").message;
        assert_eq!(&message.payload[..], [0x00, 0xff]);
        assert_eq!(message.qos, QoS::AtLeastOnce);
        assert_eq!(message.properties.message_expiry_interval, Some(30));
        assert_eq!(message.properties.user_properties.len(), 2);
        assert!(build(&draft, false)
            .expect("valid")
            .message
            .properties
            .is_empty());
    }

    #[test]
    fn bad_user_property_lines_are_explained() {
        let draft = PublishDraft {
            topic: "a".into(),
            user_properties: "novalue".into(),
            ..PublishDraft::default()
        };
        assert!(build(&draft, true).unwrap_err().contains("name=value"));
    }

    #[test]
    fn variables_are_expanded_before_the_format_encodes() {
        let draft = PublishDraft {
            topic: "t".into(),
            payload: r#"{"n": {{counter}}, "x": "{{what}}"}"#.into(),
            format: PayloadFormat::Cbor,
            ..PublishDraft::default()
        };
        let built = build(&draft, true).expect("valid");
        assert_eq!(
            hex::encode(&built.message.payload),
            "a2616e036178687b7b776861747d7d"
        );
        assert_eq!(built.unknown_variables, ["{{what}}"]);
        let bad = PublishDraft {
            payload: "{{random:9..2}}".into(),
            ..draft
        };
        assert!(build(&bad, true)
            .unwrap_err()
            .starts_with("Payload: {{random:9..2}}"));
    }

    #[test]
    fn a_file_is_sent_byte_for_byte_whatever_the_text() {
        let bytes = Bytes::from_static(&[0, 255, b'{', b'{', 10]);
        let draft = PublishDraft {
            topic: "t".into(),
            payload: "not json".into(),
            format: PayloadFormat::Json,
            file: Some(FilePayload {
                name: "blob.bin".into(),
                bytes: bytes.clone(),
            }),
            ..PublishDraft::default()
        };
        assert_eq!(build(&draft, false).expect("valid").message.payload, bytes);
        assert_eq!(draft.summary(80), "t — file blob.bin");
    }

    #[test]
    fn clearing_retained_sends_empty_and_retained() {
        let draft = PublishDraft {
            topic: "home/door".into(),
            payload: "open".into(),
            qos: 1,
            ..PublishDraft::default()
        };
        let message = draft.clear_retained().expect("valid");
        assert!(message.payload.is_empty());
        assert!(message.retain);
        assert_eq!(message.qos, QoS::AtLeastOnce);
    }

    #[test]
    fn the_file_is_not_stored_with_the_draft() {
        let draft = PublishDraft {
            topic: "t".into(),
            file: Some(FilePayload {
                name: "x".into(),
                bytes: Bytes::from_static(b"secret"),
            }),
            ..PublishDraft::default()
        };
        let text = serde_json::to_string(&draft).expect("serializable");
        assert!(!text.contains("secret"));
        let back: PublishDraft = serde_json::from_str(&text).expect("readable");
        assert_eq!(back.file, None);
    }
}
