//! The stored document and its migrations. Version 0 was a bare JSON array of connection
//! profiles; version 1 wraps them in an envelope with the schema version and settings;
//! version 2 adds the global publish templates and the sent-message history.
//! Each migration takes the previous version's JSON and returns the next one's.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::profile::ConnectionProfile;
use crate::model::publish::PublishTemplate;
use crate::model::sent_history::SentEntry;
pub use crate::model::settings::Settings;

pub const SCHEMA_VERSION: u32 = 2;

/// Everything the app keeps between visits.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Document {
    pub schema_version: u32,
    pub connections: Vec<ConnectionProfile>,
    pub settings: Settings,
    /// Publish templates offered on every connection.
    pub templates: Vec<PublishTemplate>,
    /// Sent messages, newest first.
    pub sent_history: Vec<SentEntry>,
}

/// What loading stored text gave.
#[derive(Debug, PartialEq)]
pub enum Loaded {
    /// Nothing stored yet: a first visit.
    Empty,
    /// A usable document, migrated to the current schema if it was older.
    Ok {
        document: Document,
        migrated_from: Option<u32>,
    },
    /// Unreadable: the app starts clean, and `raw` is kept aside for export.
    Corrupt { raw: String, reason: String },
}

/// Parses and migrates stored text. Never fails: the worst case is `Corrupt`.
pub fn load(raw: Option<&str>) -> Loaded {
    let Some(raw) = raw.filter(|text| !text.trim().is_empty()) else {
        return Loaded::Empty;
    };
    let corrupt = |reason: String| Loaded::Corrupt {
        raw: raw.to_string(),
        reason,
    };
    let value: Value = match serde_json::from_str(raw) {
        Ok(value) => value,
        Err(error) => return corrupt(format!("not JSON: {error}")),
    };
    let from = stored_version(&value);
    if from > SCHEMA_VERSION {
        return corrupt(format!(
            "written by a newer MQTT Deck (schema {from}, this one reads up to {SCHEMA_VERSION})"
        ));
    }
    let migrated = match migrate(value, from) {
        Ok(value) => value,
        Err(reason) => return corrupt(reason),
    };
    match serde_json::from_value::<Document>(migrated) {
        Ok(mut document) => {
            document.schema_version = SCHEMA_VERSION;
            Loaded::Ok {
                document,
                migrated_from: (from != SCHEMA_VERSION).then_some(from),
            }
        }
        Err(error) => corrupt(format!("unexpected content: {error}")),
    }
}

/// The text to store: passwords only where the user opted in.
pub fn save(document: &Document) -> String {
    let stored = Document {
        schema_version: SCHEMA_VERSION,
        connections: document
            .connections
            .iter()
            .map(ConnectionProfile::for_storage)
            .collect(),
        settings: document.settings.clone(),
        templates: document.templates.clone(),
        sent_history: document.sent_history.clone(),
    };
    serde_json::to_string(&stored).unwrap_or_else(|_| String::from("{}"))
}

fn stored_version(value: &Value) -> u32 {
    match value {
        Value::Array(_) => 0,
        Value::Object(map) => map
            .get("schema_version")
            .and_then(Value::as_u64)
            .map_or(0, |v| u32::try_from(v).unwrap_or(u32::MAX)),
        _ => 0,
    }
}

fn migrate(mut value: Value, from: u32) -> Result<Value, String> {
    for version in from..SCHEMA_VERSION {
        value = match version {
            0 => v0_to_v1(value)?,
            1 => v1_to_v2(value)?,
            _ => return Err(format!("no migration from schema {version}")),
        };
    }
    Ok(value)
}

/// v0 was the bare list of profiles.
fn v0_to_v1(value: Value) -> Result<Value, String> {
    match value {
        Value::Array(connections) => Ok(serde_json::json!({
            "schema_version": 1,
            "connections": connections,
        })),
        other => Err(format!(
            "expected a list of connections, found {}",
            kind(&other)
        )),
    }
}

/// v2 adds the global publish templates and the sent history, both empty at first.
fn v1_to_v2(value: Value) -> Result<Value, String> {
    match value {
        Value::Object(mut map) => {
            map.insert("schema_version".into(), Value::from(2));
            map.entry("templates").or_insert(Value::Array(Vec::new()));
            map.entry("sent_history")
                .or_insert(Value::Array(Vec::new()));
            Ok(Value::Object(map))
        }
        other => Err(format!("expected an object, found {}", kind(&other))),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::publish::PublishDraft;

    fn profile(name: &str) -> ConnectionProfile {
        ConnectionProfile {
            id: name.to_lowercase(),
            name: name.into(),
            ..ConnectionProfile::default()
        }
    }

    #[test]
    fn nothing_stored_is_a_first_visit() {
        assert_eq!(load(None), Loaded::Empty);
        assert_eq!(load(Some("  ")), Loaded::Empty);
    }

    #[test]
    fn save_then_load_round_trips() {
        let document = Document {
            schema_version: SCHEMA_VERSION,
            connections: vec![profile("A"), profile("B")],
            settings: Settings::default(),
            templates: vec![PublishTemplate {
                name: "hello".into(),
                draft: PublishDraft {
                    topic: "t".into(),
                    payload: "{{counter}}".into(),
                    ..PublishDraft::default()
                },
            }],
            sent_history: vec![SentEntry {
                at_ms: 5,
                draft: PublishDraft::default(),
            }],
        };
        let loaded = load(Some(&save(&document)));
        assert_eq!(
            loaded,
            Loaded::Ok {
                document,
                migrated_from: None
            }
        );
    }

    #[test]
    fn version_0_list_is_migrated() {
        let raw = r#"[{"id":"a","name":"Old broker","version":"3.1.1"}]"#;
        let Loaded::Ok {
            document,
            migrated_from,
        } = load(Some(raw))
        else {
            panic!("v0 should migrate");
        };
        assert_eq!(migrated_from, Some(0));
        assert_eq!(document.schema_version, SCHEMA_VERSION);
        assert_eq!(document.connections[0].name, "Old broker");
    }

    #[test]
    fn version_1_gains_empty_templates_and_history_and_keeps_the_rest() {
        let raw = r#"{"schema_version":1,"connections":[{"id":"a","name":"Kept","subscriptions":[{"filter":"x/#"}]}],"settings":{"max_messages":7}}"#;
        let Loaded::Ok {
            document,
            migrated_from,
        } = load(Some(raw))
        else {
            panic!("v1 should migrate");
        };
        assert_eq!(migrated_from, Some(1));
        assert_eq!(document.schema_version, 2);
        assert_eq!(document.connections[0].name, "Kept");
        assert_eq!(document.connections[0].subscriptions[0].filter, "x/#");
        assert!(document.connections[0].templates.is_empty());
        assert_eq!(document.settings.max_messages, 7);
        assert!(document.templates.is_empty());
        assert!(document.sent_history.is_empty());
        let resaved: Value = serde_json::from_str(&save(&document)).expect("JSON");
        assert_eq!(resaved["schema_version"], 2);
    }

    #[test]
    fn garbage_is_kept_aside_not_fatal() {
        let Loaded::Corrupt { raw, reason } = load(Some("{not json")) else {
            panic!("garbage must be reported");
        };
        assert_eq!(raw, "{not json");
        assert!(reason.starts_with("not JSON"), "{reason}");
    }

    #[test]
    fn wrong_shapes_are_corrupt_with_a_reason() {
        let Loaded::Corrupt { reason, .. } =
            load(Some(r#"{"schema_version":1,"connections":"x"}"#))
        else {
            panic!("a string where a list belongs must be reported");
        };
        assert!(reason.contains("unexpected content"), "{reason}");
        assert!(matches!(load(Some("42")), Loaded::Corrupt { .. }));
    }

    #[test]
    fn a_newer_schema_is_not_overwritten_blindly() {
        let Loaded::Corrupt { reason, .. } = load(Some(r#"{"schema_version":99}"#)) else {
            panic!("newer schema must be kept aside");
        };
        assert!(reason.contains("newer"), "{reason}");
    }

    #[test]
    fn passwords_are_saved_only_when_remembered() {
        let mut remembered = profile("R");
        remembered.password = "keep".into();
        remembered.remember_password = true;
        let mut forgotten = profile("F");
        forgotten.password = "drop".into();
        let text = save(&Document {
            connections: vec![remembered, forgotten],
            ..Document::default()
        });
        assert!(text.contains("keep"));
        assert!(!text.contains("drop"));
    }
}
