//! `ServerLimits`: what the server's CONNACK allows this connection, with the spec's
//! defaults for every property it left out (and for 3.1 / 3.1.1, which has none).

use crate::properties::Properties;
use crate::protocol::QoS;

/// The limits and features the server granted in CONNACK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServerLimits {
    /// How many QoS 1 and 2 messages may await acknowledgement at once.
    pub receive_maximum: u16,
    /// The highest QoS the server accepts in PUBLISH.
    pub maximum_qos: QoS,
    pub retain_available: bool,
    /// The largest packet the server accepts; `None` for no limit beyond the protocol's.
    pub maximum_packet_size: Option<u32>,
    /// How many topic aliases we may use towards the server.
    pub topic_alias_maximum: u16,
    pub wildcard_subscription_available: bool,
    pub subscription_identifiers_available: bool,
    pub shared_subscription_available: bool,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            receive_maximum: u16::MAX,
            maximum_qos: QoS::ExactlyOnce,
            retain_available: true,
            maximum_packet_size: None,
            topic_alias_maximum: 0,
            wildcard_subscription_available: true,
            subscription_identifiers_available: true,
            shared_subscription_available: true,
        }
    }
}

impl ServerLimits {
    /// The limits a CONNACK's properties describe.
    pub fn from_connack(properties: &Properties) -> Self {
        let defaults = Self::default();
        Self {
            receive_maximum: properties
                .receive_maximum
                .filter(|maximum| *maximum > 0)
                .unwrap_or(defaults.receive_maximum),
            maximum_qos: properties.maximum_qos.unwrap_or(defaults.maximum_qos),
            retain_available: properties
                .retain_available
                .unwrap_or(defaults.retain_available),
            maximum_packet_size: properties.maximum_packet_size.filter(|size| *size > 0),
            topic_alias_maximum: properties.topic_alias_maximum.unwrap_or(0),
            wildcard_subscription_available: properties
                .wildcard_subscription_available
                .unwrap_or(defaults.wildcard_subscription_available),
            subscription_identifiers_available: properties
                .subscription_identifier_available
                .unwrap_or(defaults.subscription_identifiers_available),
            shared_subscription_available: properties
                .shared_subscription_available
                .unwrap_or(defaults.shared_subscription_available),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::properties::PropertyValues;

    #[test]
    fn absent_properties_mean_the_spec_defaults() {
        assert_eq!(
            ServerLimits::from_connack(&Properties::default()),
            ServerLimits::default()
        );
    }

    #[test]
    fn granted_properties_are_taken() {
        let properties = Properties::from(PropertyValues {
            receive_maximum: Some(5),
            maximum_qos: Some(QoS::AtLeastOnce),
            retain_available: Some(false),
            maximum_packet_size: Some(1024),
            topic_alias_maximum: Some(10),
            wildcard_subscription_available: Some(false),
            subscription_identifier_available: Some(false),
            shared_subscription_available: Some(false),
            ..PropertyValues::default()
        });
        let limits = ServerLimits::from_connack(&properties);
        assert_eq!(limits.receive_maximum, 5);
        assert_eq!(limits.maximum_qos, QoS::AtLeastOnce);
        assert!(!limits.retain_available);
        assert_eq!(limits.maximum_packet_size, Some(1024));
        assert_eq!(limits.topic_alias_maximum, 10);
        assert!(!limits.wildcard_subscription_available);
        assert!(!limits.subscription_identifiers_available);
        assert!(!limits.shared_subscription_available);
    }
}
