//! Turning what the user typed into the subscribe form into validated filters, and a
//! saved subscription into the SUBSCRIBE it stands for.

use mqtt::{Properties, QoS, RetainHandling, SubscribeFilter, SubscriptionOptions};

use super::profile::SavedSubscription;

/// Filters parsed from the form, with warnings that do not block subscribing.
#[derive(Debug, PartialEq, Eq)]
pub struct ParsedFilters {
    pub filters: Vec<String>,
    pub warnings: Vec<String>,
}

/// Splits `input` on commas (several filters at once) and validates each one.
pub fn parse_filters(input: &str) -> Result<ParsedFilters, String> {
    if input.trim().is_empty() {
        return Err("enter a topic filter, e.g. sensors/+/temperature or #".into());
    }
    let mut parsed = ParsedFilters {
        filters: Vec::new(),
        warnings: Vec::new(),
    };
    for piece in input.split(',') {
        // An empty piece between commas is a typo, not an (invalid) empty filter.
        if piece.trim().is_empty() {
            continue;
        }
        if piece != piece.trim() {
            parsed.warnings.push(format!(
                "'{piece}' has leading or trailing spaces: it only matches topics with those spaces"
            ));
        }
        let filter = piece;
        match mqtt::SharedSubscription::parse(filter) {
            Ok(Some(_)) => {}
            Ok(None) => {
                mqtt::validate_topic_filter(filter).map_err(|e| format!("'{filter}': {e}"))?
            }
            Err(e) => return Err(format!("'{filter}': {e}")),
        }
        parsed.filters.push(filter.to_string());
    }
    if parsed.filters.is_empty() {
        return Err("enter a topic filter, e.g. sensors/+/temperature or #".into());
    }
    Ok(parsed)
}

/// The SUBSCRIBE filter and properties for a saved subscription.
pub fn subscribe_request(saved: &SavedSubscription, v5: bool) -> (SubscribeFilter, Properties) {
    let options = SubscriptionOptions {
        qos: QoS::try_from(saved.qos.min(2)).unwrap_or(QoS::AtMostOnce),
        no_local: v5 && saved.no_local,
        retain_as_published: v5 && saved.retain_as_published,
        retain_handling: if v5 {
            RetainHandling::try_from(saved.retain_handling.min(2))
                .unwrap_or(RetainHandling::SendOnSubscribe)
        } else {
            RetainHandling::SendOnSubscribe
        },
    };
    let mut properties = Properties::default();
    if v5 {
        if let Some(id) = saved.subscription_identifier {
            properties.subscription_identifiers.push(id);
        }
    }
    (
        SubscribeFilter {
            filter: mqtt::ByteStr::from(saved.filter.as_str()),
            options,
        },
        properties,
    )
}

/// A human hint for a SUBACK failure.
pub fn suback_hint(code_name: &str) -> Option<&'static str> {
    match code_name {
        "Not authorized" => Some("not authorized — check the broker's ACL"),
        "Topic Filter invalid" => Some("the broker refused the filter's syntax"),
        "Wildcard Subscriptions not supported" => {
            Some("this broker does not allow + or # in filters")
        }
        "Shared Subscriptions not supported" => {
            Some("this broker does not support $share/ filters")
        }
        "Subscription Identifiers not supported" => Some("remove the subscription identifier"),
        "Quota exceeded" => Some("the broker's subscription quota is used up"),
        "Unspecified error" => Some("MQTT 3.1.1 brokers answer 0x80 for any refusal, often an ACL"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_filters_at_once() {
        let parsed = parse_filters("a/+,b/#,$share/g/c").expect("valid");
        assert_eq!(parsed.filters, ["a/+", "b/#", "$share/g/c"]);
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn invalid_filters_say_which_and_why() {
        let error = parse_filters("ok/+, bad#").unwrap_err();
        assert!(error.starts_with("' bad#':"), "{error}");
        assert!(parse_filters("  ").is_err());
        assert!(parse_filters("$share//x").is_err());
    }

    #[test]
    fn spaces_are_kept_but_warned_about() {
        let parsed = parse_filters("a/b ").expect("spaces are legal");
        assert_eq!(parsed.filters, ["a/b "]);
        assert_eq!(parsed.warnings.len(), 1);
    }

    #[test]
    fn v5_options_only_on_v5() {
        let saved = SavedSubscription {
            filter: "x/#".into(),
            qos: 2,
            no_local: true,
            retain_handling: 2,
            subscription_identifier: Some(7),
            ..SavedSubscription::default()
        };
        let (filter, properties) = subscribe_request(&saved, true);
        assert!(filter.options.no_local);
        assert_eq!(filter.options.retain_handling, RetainHandling::DoNotSend);
        assert_eq!(properties.subscription_identifiers, [7]);
        let (filter, properties) = subscribe_request(&saved, false);
        assert!(!filter.options.no_local);
        assert_eq!(filter.options.qos, QoS::ExactlyOnce);
        assert!(properties.subscription_identifiers.is_empty());
    }
}
