//! User settings that are not per connection: the memory budget of each connection's
//! message log and the payload format the log starts with. Kept in the stored
//! document; the settings page edits them through [`SettingsForm`], which says what is
//! wrong with a typed value instead of silently clamping it.

use serde::{Deserialize, Serialize};

use crate::messages::{PayloadFormat, StoreBudget};

/// One mebibyte: the unit the byte budget is typed and shown in.
pub const MIB: u64 = 1024 * 1024;
/// The fewest and most messages a connection may be set to hold.
pub const MESSAGES_RANGE: (u32, u32) = (1, 10_000_000);
/// The smallest and largest byte budget, in MiB (wasm32 memory tops out at 4 GiB).
pub const MIB_RANGE: (u64, u64) = (1, 2048);

/// User settings that are not per connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Messages held per connection before the oldest are evicted.
    pub max_messages: u32,
    /// Bytes held per connection (payload, topic and bookkeeping) before the oldest
    /// are evicted.
    pub max_bytes: u64,
    /// The format the log shows payloads in unless a subscription or message says
    /// otherwise; `None` suggests one per message ("detect").
    pub default_format: Option<PayloadFormat>,
}

impl Default for Settings {
    /// A million messages or 256 MiB per connection, whichever is reached first: a
    /// million small messages fit well under the page's memory budget.
    fn default() -> Self {
        Settings {
            max_messages: 1_000_000,
            max_bytes: 256 * MIB,
            default_format: None,
        }
    }
}

impl Settings {
    /// The budget each connection's message store gets. Stored values out of range
    /// (edited by hand, or from an older version) are brought into range here.
    pub fn budget(&self) -> StoreBudget {
        let messages = self.max_messages.clamp(MESSAGES_RANGE.0, MESSAGES_RANGE.1);
        let bytes = self.max_bytes.clamp(MIB_RANGE.0 * MIB, MIB_RANGE.1 * MIB);
        StoreBudget {
            max_messages: usize::try_from(messages).unwrap_or(usize::MAX),
            max_bytes: bytes,
        }
    }
}

/// The settings page's inputs, as typed.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SettingsForm {
    pub max_messages: String,
    /// Whole MiB.
    pub max_mib: String,
    /// A format's stored name (`"hex"`, …) or `"detect"`.
    pub default_format: String,
}

/// What is wrong with each input, if anything.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SettingsErrors {
    pub max_messages: Option<String>,
    pub max_mib: Option<String>,
}

impl SettingsForm {
    /// The inputs showing `settings`.
    pub fn from_settings(settings: &Settings) -> Self {
        SettingsForm {
            max_messages: settings.max_messages.to_string(),
            max_mib: settings.max_bytes.div_ceil(MIB).to_string(),
            default_format: PayloadFormat::picker_value(settings.default_format).to_string(),
        }
    }

    /// The settings typed, or what is wrong with them.
    pub fn parse(&self) -> Result<Settings, SettingsErrors> {
        let max_messages = parse_in_range(
            &self.max_messages,
            u64::from(MESSAGES_RANGE.0),
            u64::from(MESSAGES_RANGE.1),
        );
        let max_mib = parse_in_range(&self.max_mib, MIB_RANGE.0, MIB_RANGE.1);
        match (max_messages, max_mib) {
            (Ok(messages), Ok(mib)) => Ok(Settings {
                max_messages: u32::try_from(messages).unwrap_or(MESSAGES_RANGE.1),
                max_bytes: mib * MIB,
                default_format: PayloadFormat::from_picker_value(&self.default_format),
            }),
            (messages, mib) => Err(SettingsErrors {
                max_messages: messages.err(),
                max_mib: mib.err(),
            }),
        }
    }
}

/// A whole number typed with optional thousands separators (`1,000,000`, `1 000`,
/// `1_000`), within `min..=max`.
fn parse_in_range(text: &str, min: u64, max: u64) -> Result<u64, String> {
    let digits: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    let range = || format!("enter a whole number from {min} to {max}");
    if digits.is_empty() {
        return Err(range());
    }
    let value: u64 = digits
        .parse()
        .map_err(|_| format!("'{}' is not a whole number: {}", text.trim(), range()))?;
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is out of range: {}", range()))
    }
}

/// `13_002_342` bytes → `"12.4 MiB"`: one decimal below 100, none above.
pub fn mebibytes(bytes: u64) -> String {
    let mib = bytes as f64 / MIB as f64;
    if mib < 100.0 {
        format!("{mib:.1} MiB")
    } else {
        format!("{mib:.0} MiB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(messages: &str, mib: &str, format: &str) -> SettingsForm {
        SettingsForm {
            max_messages: messages.into(),
            max_mib: mib.into(),
            default_format: format.into(),
        }
    }

    #[test]
    fn defaults_are_a_million_messages_or_256_mib() {
        let budget = Settings::default().budget();
        assert_eq!(budget.max_messages, 1_000_000);
        assert_eq!(budget.max_bytes, 256 * MIB);
    }

    #[test]
    fn typed_values_become_settings() {
        let settings = form("1,000", "64", "hex").parse().expect("valid");
        assert_eq!(settings.max_messages, 1_000);
        assert_eq!(settings.max_bytes, 64 * MIB);
        assert_eq!(settings.default_format, Some(PayloadFormat::Hex));
        let detect = form("10", "1", "detect").parse().expect("valid");
        assert_eq!(detect.default_format, None);
    }

    #[test]
    fn each_bad_input_says_what_is_wrong() {
        let errors = form("0", "lots", "text").parse().unwrap_err();
        let messages = errors.max_messages.expect("0 is too few");
        assert!(messages.contains("out of range"), "{messages}");
        assert!(messages.contains("1 to 10000000"), "{messages}");
        let mib = errors.max_mib.expect("not a number");
        assert!(mib.contains("'lots' is not a whole number"), "{mib}");
        let only_bytes = form("5", "4096", "text").parse().unwrap_err();
        assert_eq!(only_bytes.max_messages, None);
        assert!(only_bytes.max_mib.is_some());
        assert!(form("", "1", "text").parse().is_err());
        assert!(form("-5", "1", "text").parse().is_err());
    }

    #[test]
    fn the_form_shows_what_is_stored() {
        let settings = Settings {
            max_messages: 5_000,
            max_bytes: 32 * MIB,
            default_format: Some(PayloadFormat::MessagePack),
        };
        let shown = SettingsForm::from_settings(&settings);
        assert_eq!(shown, form("5000", "32", "msgpack"));
        assert_eq!(shown.parse(), Ok(settings));
    }

    #[test]
    fn out_of_range_stored_values_are_brought_into_range() {
        let stored = Settings {
            max_messages: 0,
            max_bytes: 1,
            default_format: None,
        };
        assert_eq!(stored.budget().max_messages, 1);
        assert_eq!(stored.budget().max_bytes, MIB);
    }

    #[test]
    fn old_stored_settings_load_with_defaults_for_new_fields() {
        let old: Settings = serde_json::from_str(r#"{"max_messages":10,"max_bytes":1048576}"#)
            .expect("older settings load");
        assert_eq!(old.max_messages, 10);
        assert_eq!(old.default_format, None);
    }

    #[test]
    fn every_format_round_trips_through_its_picker_value() {
        for format in PayloadFormat::ALL {
            assert_eq!(
                PayloadFormat::from_picker_value(PayloadFormat::picker_value(Some(format))),
                Some(format)
            );
        }
        assert_eq!(PayloadFormat::from_picker_value("detect"), None);
        assert_eq!(PayloadFormat::from_picker_value("nonsense"), None);
    }

    #[test]
    fn sizes_read_in_mebibytes() {
        assert_eq!(mebibytes(0), "0.0 MiB");
        assert_eq!(mebibytes(12 * MIB + 300 * 1024), "12.3 MiB");
        assert_eq!(mebibytes(256 * MIB), "256 MiB");
    }
}
