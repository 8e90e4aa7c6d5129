//! Validation of a connection profile as the user types: each problem names the field and
//! says how to fix it, so the form can show it beside the control before connecting.

use super::profile::{AuthMechanism, ConnectionProfile, MqttVersion};

/// The form fields a message can point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Host,
    Port,
    Path,
    ClientId,
    Username,
    Password,
    KeepAlive,
    ConnectTimeout,
    ReceiveMaximum,
    MaximumPacketSize,
    UserProperties,
    WillTopic,
    WillQos,
    Reconnect,
    Auth,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

fn error(field: Field, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

/// Every problem with `profile`; empty when it can be used to connect.
pub fn validate(profile: &ConnectionProfile) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if profile.name.trim().is_empty() {
        errors.push(error(Field::Name, "give the connection a name"));
    }
    if let Err(e) = super::broker_url::validate_host(&profile.broker.host) {
        errors.push(error(Field::Host, e.to_string()));
    }
    if profile.broker.port == 0 {
        errors.push(error(Field::Port, "the port must be from 1 to 65535"));
    }
    if !profile.broker.path.is_empty() && !profile.broker.path.starts_with('/') {
        errors.push(error(
            Field::Path,
            format!("the path must start with '/': use /{}", profile.broker.path),
        ));
    }
    check_client_id(profile, &mut errors);
    check_credentials(profile, &mut errors);
    if profile.connect_timeout_secs == 0 {
        errors.push(error(
            Field::ConnectTimeout,
            "the connect timeout must be at least 1 second",
        ));
    }
    if profile.reconnect.enabled && profile.reconnect.period_ms < 100 {
        errors.push(error(
            Field::Reconnect,
            "reconnect period must be at least 100 ms",
        ));
    }
    if profile.version.is_v5() {
        if profile.receive_maximum == Some(0) {
            errors.push(error(
                Field::ReceiveMaximum,
                "receive maximum must be 1 to 65535 (leave empty for the default)",
            ));
        }
        if profile.maximum_packet_size == Some(0) {
            errors.push(error(
                Field::MaximumPacketSize,
                "maximum packet size must be at least 1 (leave empty for no limit)",
            ));
        }
        if profile
            .user_properties
            .iter()
            .any(|(key, _)| key.is_empty())
        {
            errors.push(error(
                Field::UserProperties,
                "every user property needs a name",
            ));
        }
    }
    check_will(profile, &mut errors);
    errors
}

fn check_client_id(profile: &ConnectionProfile, errors: &mut Vec<FieldError>) {
    let id = &profile.client_id;
    if id.contains('\0') {
        errors.push(error(
            Field::ClientId,
            "the client id cannot contain a NUL character",
        ));
    }
    match profile.version {
        MqttVersion::V3_1 if id.is_empty() => errors.push(error(
            Field::ClientId,
            "MQTT 3.1 needs a client id: press Generate",
        )),
        MqttVersion::V3_1 if id.chars().count() > 23 && !profile.append_timestamp => errors.push(error(
            Field::ClientId,
            "MQTT 3.1 allows at most 23 characters in a client id",
        )),
        MqttVersion::V3_1_1 if id.is_empty() && !profile.clean_start => errors.push(error(
            Field::ClientId,
            "an empty client id needs Clean session on in MQTT 3.1.1: set an id or turn Clean session on",
        )),
        _ => {}
    }
}

fn check_credentials(profile: &ConnectionProfile, errors: &mut Vec<FieldError>) {
    if !profile.password.is_empty() && profile.username.is_empty() && !profile.version.is_v5() {
        errors.push(error(
            Field::Password,
            "MQTT 3.1 and 3.1.1 do not allow a password without a username",
        ));
    }
    if profile.auth_mechanism != AuthMechanism::None {
        if !profile.version.is_v5() {
            errors.push(error(
                Field::Auth,
                "enhanced authentication (SCRAM) needs MQTT 5.0",
            ));
        }
        if profile.username.is_empty() {
            errors.push(error(
                Field::Username,
                "SCRAM authentication needs a username",
            ));
        }
    }
}

fn check_will(profile: &ConnectionProfile, errors: &mut Vec<FieldError>) {
    let Some(will) = &profile.will else { return };
    if let Err(e) = mqtt::validate_topic_name(&will.topic) {
        errors.push(error(Field::WillTopic, format!("will topic: {e}")));
    }
    if will.qos > 2 {
        errors.push(error(Field::WillQos, "will QoS must be 0, 1 or 2"));
    }
}

/// Parses a whole number typed into a form field, with a message naming the field.
pub fn parse_number<T: std::str::FromStr>(
    text: &str,
    label: &str,
    range: &str,
) -> Result<T, String> {
    text.trim()
        .parse::<T>()
        .map_err(|_| format!("{label} must be a whole number {range}"))
}

/// Like [`parse_number`], but an empty field means "not set".
pub fn parse_optional<T: std::str::FromStr>(
    text: &str,
    label: &str,
    range: &str,
) -> Result<Option<T>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_number(text, label, range).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::profile::WillConfig;

    fn fields(profile: &ConnectionProfile) -> Vec<Field> {
        validate(profile).into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn the_default_profile_is_valid() {
        assert_eq!(validate(&ConnectionProfile::default()), vec![]);
    }

    #[test]
    fn mqtt_3_1_needs_a_short_client_id() {
        let mut profile = ConnectionProfile {
            version: MqttVersion::V3_1,
            ..ConnectionProfile::default()
        };
        assert_eq!(fields(&profile), [Field::ClientId]);
        profile.client_id = "x".repeat(24);
        assert_eq!(fields(&profile), [Field::ClientId]);
        profile.client_id = "x".repeat(23);
        assert!(fields(&profile).is_empty());
    }

    #[test]
    fn empty_client_id_in_3_1_1_needs_clean_session() {
        let profile = ConnectionProfile {
            version: MqttVersion::V3_1_1,
            clean_start: false,
            ..ConnectionProfile::default()
        };
        let errors = validate(&profile);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("Clean session"));
    }

    #[test]
    fn password_without_username_only_in_v5() {
        let mut profile = ConnectionProfile {
            password: "p".into(),
            version: MqttVersion::V3_1_1,
            client_id: "c".into(),
            ..ConnectionProfile::default()
        };
        assert_eq!(fields(&profile), [Field::Password]);
        profile.version = MqttVersion::V5;
        assert!(fields(&profile).is_empty());
    }

    #[test]
    fn will_topic_with_wildcards_is_rejected_with_the_reason() {
        let profile = ConnectionProfile {
            will: Some(WillConfig {
                topic: "status/#".into(),
                ..WillConfig::default()
            }),
            ..ConnectionProfile::default()
        };
        let errors = validate(&profile);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, Field::WillTopic);
        assert!(errors[0].message.starts_with("will topic: "));
    }

    #[test]
    fn path_must_start_with_a_slash() {
        let mut profile = ConnectionProfile::default();
        profile.broker.path = "mqtt".into();
        let errors = validate(&profile);
        assert_eq!(errors[0].message, "the path must start with '/': use /mqtt");
    }

    #[test]
    fn scram_needs_v5_and_a_username() {
        let profile = ConnectionProfile {
            auth_mechanism: AuthMechanism::ScramSha256,
            version: MqttVersion::V3_1_1,
            client_id: "c".into(),
            ..ConnectionProfile::default()
        };
        let found = fields(&profile);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.contains(&Field::Auth) && found.contains(&Field::Username));
    }

    #[test]
    fn number_fields_explain_their_range() {
        assert_eq!(
            parse_number::<u16>("70000", "Keep alive", "from 0 to 65535"),
            Err("Keep alive must be a whole number from 0 to 65535".into())
        );
        assert_eq!(
            parse_optional::<u32>("  ", "Session expiry", "≥ 0"),
            Ok(None)
        );
        assert_eq!(
            parse_optional::<u32>("30", "Session expiry", "≥ 0"),
            Ok(Some(30))
        );
    }
}
