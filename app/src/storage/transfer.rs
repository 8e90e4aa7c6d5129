//! Import and export of connections as JSON. Export asks whether to include passwords;
//! import merges into what exists and never silently replaces a connection.

use serde::{Deserialize, Serialize};

use crate::model::profile::ConnectionProfile;

#[derive(Serialize, Deserialize)]
struct ExportFile {
    format: String,
    connections: Vec<ConnectionProfile>,
}

const FORMAT: &str = "mqttdeck-connections/1";

/// The export file's text.
pub fn export(connections: &[ConnectionProfile], include_passwords: bool) -> String {
    let connections = connections
        .iter()
        .map(|c| {
            let mut c = c.clone();
            if !include_passwords {
                c.password.clear();
                c.remember_password = false;
            }
            c
        })
        .collect();
    let file = ExportFile {
        format: FORMAT.into(),
        connections,
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// What an import did.
#[derive(Debug, PartialEq, Eq, Default)]
pub struct ImportReport {
    pub added: usize,
    /// Same id as an existing but different content: added as a copy beside it.
    pub added_as_copies: usize,
    /// Identical to an existing connection: nothing to do.
    pub unchanged: usize,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not JSON ({0}); choose a file exported by MQTT Deck")]
    NotJson(String),
    #[error("the file is JSON but not a connection export ({0})")]
    WrongShape(String),
}

/// Merges the file's connections into `existing`; `new_id` mints ids for copies.
pub fn import(
    existing: &mut Vec<ConnectionProfile>,
    text: &str,
    mut new_id: impl FnMut() -> String,
) -> Result<ImportReport, ImportError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ImportError::NotJson(e.to_string()))?;
    // Accept our envelope, or a bare list of profiles.
    let list = match value {
        serde_json::Value::Object(mut map) => map
            .remove("connections")
            .ok_or_else(|| ImportError::WrongShape("no \"connections\" list".into()))?,
        list @ serde_json::Value::Array(_) => list,
        _ => {
            return Err(ImportError::WrongShape(
                "expected an object or a list".into(),
            ))
        }
    };
    let incoming: Vec<ConnectionProfile> =
        serde_json::from_value(list).map_err(|e| ImportError::WrongShape(e.to_string()))?;
    let mut report = ImportReport::default();
    for mut profile in incoming {
        match existing
            .iter()
            .find(|c| c.id == profile.id && !profile.id.is_empty())
        {
            Some(same) if *same == profile => report.unchanged += 1,
            Some(_) => {
                profile.id = new_id();
                profile.name = format!("{} (imported)", profile.name);
                existing.push(profile);
                report.added_as_copies += 1;
            }
            None => {
                if profile.id.is_empty() {
                    profile.id = new_id();
                }
                existing.push(profile);
                report.added += 1;
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(id: &str, name: &str) -> ConnectionProfile {
        ConnectionProfile {
            id: id.into(),
            name: name.into(),
            password: "pw".into(),
            remember_password: true,
            ..ConnectionProfile::default()
        }
    }

    fn counter() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("new{n}")
        }
    }

    #[test]
    fn export_leaves_passwords_out_unless_asked() {
        let list = [profile("a", "A")];
        assert!(!export(&list, false).contains("\"pw\""));
        assert!(export(&list, true).contains("\"pw\""));
    }

    #[test]
    fn import_merges_and_never_replaces() {
        let mut existing = vec![profile("a", "A"), profile("b", "B")];
        let mut changed_b = profile("b", "B");
        changed_b.broker.port = 9001;
        let file = export(&[profile("a", "A"), changed_b, profile("c", "C")], true);
        let report = import(&mut existing, &file, counter()).expect("valid file");
        assert_eq!(
            report,
            ImportReport {
                added: 1,
                added_as_copies: 1,
                unchanged: 1
            }
        );
        let names: Vec<&str> = existing.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["A", "B", "B (imported)", "C"]);
        assert_eq!(
            existing[1].broker.port, 3000,
            "the original stays as it was"
        );
        assert_eq!(existing[2].id, "new1");
    }

    #[test]
    fn bad_files_say_what_is_wrong_and_change_nothing() {
        let mut existing = vec![profile("a", "A")];
        assert!(matches!(
            import(&mut existing, "nope", counter()),
            Err(ImportError::NotJson(_))
        ));
        assert!(matches!(
            import(&mut existing, "{\"x\":1}", counter()),
            Err(ImportError::WrongShape(_))
        ));
        assert!(matches!(
            import(
                &mut existing,
                "{\"connections\":[{\"broker\":5}]}",
                counter()
            ),
            Err(ImportError::WrongShape(_))
        ));
        assert_eq!(existing.len(), 1);
    }
}
