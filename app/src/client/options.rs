//! What a saved profile asks of the MQTT session: the CONNECT options, with the will
//! payload encoded per its format and the client id made unique when asked.

use bytes::Bytes;
use mqtt::client::ConnectOptions;
use mqtt::{ByteStr, LastWill, Properties, PropertyValues, ProtocolVersion, QoS};

use crate::model::payload::{encode_payload, PayloadError};
use crate::model::profile::{ConnectionProfile, MqttVersion, WillConfig};

pub fn protocol(version: MqttVersion) -> ProtocolVersion {
    match version {
        MqttVersion::V3_1 => ProtocolVersion::V3_1,
        MqttVersion::V3_1_1 => ProtocolVersion::V3_1_1,
        MqttVersion::V5 => ProtocolVersion::V5,
    }
}

/// The session options for `profile`; `now_ms` (wall clock) feeds "append a timestamp".
pub fn connect_options(
    profile: &ConnectionProfile,
    now_ms: u64,
) -> Result<ConnectOptions, PayloadError> {
    let protocol = protocol(profile.version);
    let mut client_id = profile.client_id.clone();
    if profile.append_timestamp {
        client_id.push_str(&format!("_{now_ms}"));
    }
    let v5 = profile.version.is_v5();
    let mut options = ConnectOptions::new(protocol, client_id);
    options.clean_start = profile.clean_start;
    options.keep_alive_secs = profile.keep_alive_secs;
    options.username = (!profile.username.is_empty()).then(|| profile.username.clone());
    options.password =
        (!profile.password.is_empty()).then(|| Bytes::from(profile.password.clone().into_bytes()));
    options.connect_timeout_ms = u64::from(profile.connect_timeout_secs) * 1_000;
    if v5 {
        options.session_expiry_interval = profile.session_expiry_interval;
        options.receive_maximum = profile.receive_maximum;
        options.maximum_packet_size = profile.maximum_packet_size;
        options.topic_alias_maximum = profile.topic_alias_maximum;
        options.request_response_information = profile.request_response_information.then_some(true);
        options.request_problem_information = Some(profile.request_problem_information);
        options.user_properties = profile.user_properties.clone();
    }
    options.will = profile
        .will
        .as_ref()
        .map(|will| last_will(will, v5))
        .transpose()?;
    Ok(options)
}

fn last_will(will: &WillConfig, v5: bool) -> Result<LastWill, PayloadError> {
    let payload = encode_payload(&will.payload, will.payload_format)?;
    let properties = if v5 {
        Properties::from(PropertyValues {
            will_delay_interval: will.delay_interval,
            message_expiry_interval: will.message_expiry,
            content_type: non_empty(&will.content_type),
            payload_format_indicator: will.payload_format_indicator.then_some(true),
            response_topic: non_empty(&will.response_topic),
            correlation_data: (!will.correlation_data.is_empty())
                .then(|| Bytes::from(will.correlation_data.clone().into_bytes())),
            user_properties: will
                .user_properties
                .iter()
                .map(|(k, v)| (ByteStr::from(k.as_str()), ByteStr::from(v.as_str())))
                .collect(),
            ..PropertyValues::default()
        })
    } else {
        Properties::default()
    };
    Ok(LastWill {
        topic: ByteStr::from(will.topic.as_str()),
        payload: Bytes::from(payload),
        qos: QoS::try_from(will.qos.min(2)).unwrap_or(QoS::AtMostOnce),
        retain: will.retain,
        properties,
    })
}

fn non_empty(text: &str) -> Option<ByteStr> {
    (!text.is_empty()).then(|| ByteStr::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::profile::PayloadFormat;

    #[test]
    fn v5_options_carry_the_v5_properties() {
        let profile = ConnectionProfile {
            client_id: "deck".into(),
            username: "u".into(),
            password: "p".into(),
            receive_maximum: Some(10),
            topic_alias_maximum: Some(5),
            user_properties: vec![("k".into(), "v".into())],
            ..ConnectionProfile::default()
        };
        let options = connect_options(&profile, 0).expect("valid");
        assert_eq!(options.protocol, ProtocolVersion::V5);
        assert_eq!(options.client_id, "deck");
        assert_eq!(options.receive_maximum, Some(10));
        assert_eq!(options.topic_alias_maximum, Some(5));
        assert_eq!(options.password.as_deref(), Some(&b"p"[..]));
        assert_eq!(
            options.user_properties,
            vec![("k".to_string(), "v".to_string())]
        );
    }

    #[test]
    fn v3_options_leave_v5_properties_out() {
        let profile = ConnectionProfile {
            version: MqttVersion::V3_1_1,
            receive_maximum: Some(10),
            session_expiry_interval: Some(60),
            ..ConnectionProfile::default()
        };
        let options = connect_options(&profile, 0).expect("valid");
        assert_eq!(options.protocol, ProtocolVersion::V3_1_1);
        assert_eq!(
            (options.receive_maximum, options.session_expiry_interval),
            (None, None)
        );
    }

    #[test]
    fn timestamp_is_appended_when_asked() {
        let profile = ConnectionProfile {
            client_id: "deck".into(),
            append_timestamp: true,
            ..ConnectionProfile::default()
        };
        assert_eq!(
            connect_options(&profile, 1_700_000_000_123)
                .expect("valid")
                .client_id,
            "deck_1700000000123"
        );
    }

    #[test]
    fn will_payload_is_encoded_and_bad_input_refused() {
        let mut profile = ConnectionProfile {
            will: Some(WillConfig {
                topic: "status/deck".into(),
                qos: 1,
                retain: true,
                payload: "6f 66 66".into(),
                payload_format: PayloadFormat::Hex,
                delay_interval: Some(5),
                ..WillConfig::default()
            }),
            ..ConnectionProfile::default()
        };
        let will = connect_options(&profile, 0)
            .expect("valid")
            .will
            .expect("will");
        assert_eq!(&will.payload[..], b"off");
        assert_eq!((will.qos, will.retain), (QoS::AtLeastOnce, true));
        assert_eq!(will.properties.will_delay_interval, Some(5));
        if let Some(will) = profile.will.as_mut() {
            will.payload = "zz".into();
        }
        assert!(connect_options(&profile, 0).is_err());
    }
}
