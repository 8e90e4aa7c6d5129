//! A saved connection: every option of MQTT 3.1, 3.1.1 and 5.0 a browser can honour,
//! with the defaults MQTTX users expect. Serialized as JSON into browser storage and for
//! import/export, so every field has a serde default: older or partial records still load.

use serde::{Deserialize, Serialize};

use super::broker_url::BrokerUrl;
use super::publish::PublishTemplate;

/// The protocol level the user picks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum MqttVersion {
    #[serde(rename = "3.1")]
    V3_1,
    #[serde(rename = "3.1.1")]
    V3_1_1,
    #[default]
    #[serde(rename = "5.0")]
    V5,
}

impl MqttVersion {
    pub const ALL: [MqttVersion; 3] = [MqttVersion::V3_1, MqttVersion::V3_1_1, MqttVersion::V5];

    pub fn label(self) -> &'static str {
        match self {
            MqttVersion::V3_1 => "3.1",
            MqttVersion::V3_1_1 => "3.1.1",
            MqttVersion::V5 => "5.0",
        }
    }

    pub fn from_label(label: &str) -> Option<MqttVersion> {
        MqttVersion::ALL.into_iter().find(|v| v.label() == label)
    }

    pub fn is_v5(self) -> bool {
        self == MqttVersion::V5
    }
}

/// How typed payload text (a will's, a published message's) is turned into bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PayloadFormat {
    #[default]
    Text,
    Json,
    Hex,
    Base64,
    /// Typed as JSON, sent as CBOR.
    Cbor,
    /// Typed as JSON, sent as MessagePack.
    #[serde(rename = "msgpack")]
    MsgPack,
}

impl PayloadFormat {
    /// The value a form's `<select>` uses (the same as the stored name).
    pub fn value(self) -> &'static str {
        match self {
            PayloadFormat::Text => "text",
            PayloadFormat::Json => "json",
            PayloadFormat::Hex => "hex",
            PayloadFormat::Base64 => "base64",
            PayloadFormat::Cbor => "cbor",
            PayloadFormat::MsgPack => "msgpack",
        }
    }

    /// The format a `<select>` value names; anything else is text.
    pub fn from_value(value: &str) -> PayloadFormat {
        match value {
            "json" => PayloadFormat::Json,
            "hex" => PayloadFormat::Hex,
            "base64" => PayloadFormat::Base64,
            "cbor" => PayloadFormat::Cbor,
            "msgpack" => PayloadFormat::MsgPack,
            _ => PayloadFormat::Text,
        }
    }
}

/// Auto-reconnect policy: wait `period_ms`, times `backoff` after each failure, up to
/// `max_period_ms`; give up after `max_attempts` (0 = never).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Reconnect {
    pub enabled: bool,
    pub period_ms: u32,
    pub backoff: f32,
    pub max_period_ms: u32,
    pub max_attempts: u32,
}

impl Default for Reconnect {
    fn default() -> Self {
        Reconnect {
            enabled: true,
            period_ms: 4_000,
            backoff: 1.5,
            max_period_ms: 60_000,
            max_attempts: 0,
        }
    }
}

/// The last will and its MQTT 5 will properties.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WillConfig {
    pub topic: String,
    pub qos: u8,
    pub retain: bool,
    pub payload: String,
    pub payload_format: PayloadFormat,
    pub delay_interval: Option<u32>,
    pub message_expiry: Option<u32>,
    pub content_type: String,
    pub payload_format_indicator: bool,
    pub response_topic: String,
    pub correlation_data: String,
    pub user_properties: Vec<(String, String)>,
}

/// MQTT 5 enhanced authentication mechanisms the app implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum AuthMechanism {
    #[default]
    #[serde(rename = "none")]
    None,
    #[serde(rename = "SCRAM-SHA-1")]
    ScramSha1,
    #[serde(rename = "SCRAM-SHA-256")]
    ScramSha256,
    #[serde(rename = "SCRAM-SHA-512")]
    ScramSha512,
}

/// A subscription saved with its connection, resubscribed after reconnects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedSubscription {
    pub filter: String,
    pub qos: u8,
    /// CSS colour shown beside its messages.
    pub color: String,
    pub alias: String,
    pub no_local: bool,
    pub retain_as_published: bool,
    /// 0 send retained on subscribe, 1 only if new, 2 never.
    pub retain_handling: u8,
    pub subscription_identifier: Option<u32>,
    /// Disabled subscriptions stay saved but are unsubscribed.
    pub enabled: bool,
    /// How the log shows this subscription's messages; `None` leaves it to the log.
    pub format: Option<crate::messages::PayloadFormat>,
}

impl Default for SavedSubscription {
    fn default() -> Self {
        SavedSubscription {
            filter: String::new(),
            qos: 0,
            color: "#1f7a5a".into(),
            alias: String::new(),
            no_local: false,
            retain_as_published: false,
            retain_handling: 0,
            subscription_identifier: None,
            enabled: true,
            format: None,
        }
    }
}

/// One saved connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConnectionProfile {
    pub id: String,
    pub name: String,
    /// Folder shown in the sidebar; empty = top level.
    pub folder: String,
    pub broker: BrokerUrl,
    pub client_id: String,
    pub append_timestamp: bool,
    pub username: String,
    /// Kept only when `remember_password` is on.
    pub password: String,
    pub remember_password: bool,
    pub version: MqttVersion,
    pub clean_start: bool,
    pub keep_alive_secs: u16,
    pub connect_timeout_secs: u32,
    pub reconnect: Reconnect,
    pub auto_resubscribe: bool,
    pub session_expiry_interval: Option<u32>,
    pub receive_maximum: Option<u16>,
    pub maximum_packet_size: Option<u32>,
    pub topic_alias_maximum: Option<u16>,
    pub request_response_information: bool,
    pub request_problem_information: bool,
    pub user_properties: Vec<(String, String)>,
    pub will: Option<WillConfig>,
    pub auth_mechanism: AuthMechanism,
    pub subscriptions: Vec<SavedSubscription>,
    /// Publish templates of this connection (global ones live in the stored document).
    pub templates: Vec<PublishTemplate>,
}

impl Default for ConnectionProfile {
    fn default() -> Self {
        ConnectionProfile {
            id: String::new(),
            name: "New connection".into(),
            folder: String::new(),
            broker: BrokerUrl::default(),
            client_id: String::new(),
            append_timestamp: false,
            username: String::new(),
            password: String::new(),
            remember_password: false,
            version: MqttVersion::V5,
            clean_start: true,
            keep_alive_secs: 60,
            connect_timeout_secs: 10,
            reconnect: Reconnect::default(),
            auto_resubscribe: true,
            session_expiry_interval: Some(0),
            receive_maximum: None,
            maximum_packet_size: None,
            topic_alias_maximum: None,
            request_response_information: false,
            request_problem_information: true,
            user_properties: Vec::new(),
            will: None,
            auth_mechanism: AuthMechanism::None,
            subscriptions: Vec::new(),
            templates: Vec::new(),
        }
    }
}

impl ConnectionProfile {
    /// The record as it may be stored: the password is dropped unless the user opted in.
    pub fn for_storage(&self) -> ConnectionProfile {
        let mut stored = self.clone();
        if !stored.remember_password {
            stored.password.clear();
        }
        stored
    }

    /// The reconnect delay before attempt `attempt` (1-based), with backoff and cap.
    pub fn reconnect_delay_ms(&self, attempt: u32) -> u32 {
        let r = &self.reconnect;
        let factor = r
            .backoff
            .max(1.0)
            .powi(attempt.saturating_sub(1).min(64) as i32);
        let delay = (r.period_ms as f32 * factor).min(r.max_period_ms.max(r.period_ms) as f32);
        delay as u32
    }

    /// Whether another reconnect attempt is allowed after `attempts` failures.
    pub fn may_reconnect(&self, attempts: u32) -> bool {
        self.reconnect.enabled
            && (self.reconnect.max_attempts == 0 || attempts < self.reconnect.max_attempts)
    }
}

/// A client id like MQTTX's: `mqttdeck_` and 8 hex digits from the given random source.
pub fn generate_client_id(random: u32) -> String {
    format!("mqttdeck_{random:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_stored_only_when_remembered() {
        let mut profile = ConnectionProfile {
            password: "secret".into(),
            ..ConnectionProfile::default()
        };
        assert_eq!(profile.for_storage().password, "");
        profile.remember_password = true;
        assert_eq!(profile.for_storage().password, "secret");
    }

    #[test]
    fn partial_records_load_with_defaults() {
        let profile: ConnectionProfile =
            serde_json::from_str(r#"{"name":"old","version":"3.1.1"}"#).expect("partial record");
        assert_eq!(profile.name, "old");
        assert_eq!(profile.version, MqttVersion::V3_1_1);
        assert_eq!(profile.keep_alive_secs, 60);
        assert!(profile.clean_start);
    }

    #[test]
    fn subscriptions_saved_before_formats_load_and_new_ones_keep_theirs() {
        let old: SavedSubscription =
            serde_json::from_str(r#"{"filter":"a/#","qos":1}"#).expect("older subscription");
        assert_eq!(old.format, None);
        let hex = SavedSubscription {
            format: Some(crate::messages::PayloadFormat::Hex),
            ..old
        };
        let text = serde_json::to_string(&hex).expect("serialises");
        assert!(text.contains(r#""format":"hex""#), "{text}");
        let back: SavedSubscription = serde_json::from_str(&text).expect("round trip");
        assert_eq!(back, hex);
    }

    #[test]
    fn reconnect_backs_off_up_to_the_cap() {
        let profile = ConnectionProfile {
            reconnect: Reconnect {
                enabled: true,
                period_ms: 1_000,
                backoff: 2.0,
                max_period_ms: 5_000,
                max_attempts: 3,
            },
            ..ConnectionProfile::default()
        };
        let delays: Vec<u32> = (1..=5).map(|a| profile.reconnect_delay_ms(a)).collect();
        assert_eq!(delays, [1_000, 2_000, 4_000, 5_000, 5_000]);
        assert!(profile.may_reconnect(2));
        assert!(!profile.may_reconnect(3));
    }

    #[test]
    fn versions_have_the_labels_users_know() {
        let labels: Vec<&str> = MqttVersion::ALL.iter().map(|v| v.label()).collect();
        assert_eq!(labels, ["3.1", "3.1.1", "5.0"]);
        assert_eq!(MqttVersion::from_label("3.1.1"), Some(MqttVersion::V3_1_1));
        assert_eq!(MqttVersion::from_label("4"), None);
    }

    #[test]
    fn generated_client_ids_are_distinct_and_valid_for_3_1() {
        let id = generate_client_id(0xdead_beef);
        assert_eq!(id, "mqttdeck_deadbeef");
        // MQTT 3.1 limits client ids to 23 characters.
        assert!(id.len() <= 23);
    }
}
