//! manifest.csv: the control file saying which data files a package holds and in which mode.

use std::collections::HashMap;

use super::enums::{FileMode, Vocabulary, describe};
use super::errors::ImportErrors;
use super::reader::{read_table, shown};
use super::spec::{ALL_DATA_FILES, MANIFEST, MANIFEST_COLUMNS, MANIFEST_VERSION, ONEROSTER_VERSION};

/// What a readable manifest declares. Rows that were missing or wrong are absent from `modes`
/// (and reported); a file without a mode is treated as absent.
#[derive(Debug, Default)]
pub(super) struct Manifest {
    /// Mode of each data file, keyed by its `file.<name>` name (e.g. `users`).
    pub modes: HashMap<&'static str, FileMode>,
    /// Line of each property row, for pointing at it in later errors.
    pub lines: HashMap<String, u64>,
    pub source_system_name: Option<String>,
    pub source_system_code: Option<String>,
}

impl Manifest {
    pub fn mode(&self, name: &str) -> FileMode {
        self.modes.get(name).copied().unwrap_or(FileMode::Absent)
    }

    /// The line of the `file.<name>` row, if there was one.
    pub fn line_of_file(&self, name: &str) -> Option<u64> {
        self.lines.get(&format!("file.{name}")).copied()
    }
}

/// Reads manifest.csv, recording every problem; `None` when it cannot be read at all.
pub(super) fn read_manifest(bytes: &[u8], errors: &mut ImportErrors) -> Option<Manifest> {
    let table = read_table(MANIFEST, bytes, MANIFEST_COLUMNS, errors)?;
    if !table.extensions.is_empty() {
        errors.push(MANIFEST, Some(1), None, "must have exactly the two columns propertyName,value");
    }
    let mut manifest = Manifest::default();
    for row in table.rows.iter().filter(|row| row.usable) {
        let (property, value) = match row.values.as_slice() {
            [property, value, ..] => (property.as_str(), value.as_str()),
            _ => continue,
        };
        let line = row.line;
        if let Some(first) = manifest.lines.get(property) {
            errors.at(MANIFEST, line, "propertyName", format!("repeats '{property}' (first on line {first})"));
            continue;
        }
        manifest.lines.insert(property.to_owned(), line);
        let expect = |expected: &str, errors: &mut ImportErrors| {
            if value != expected {
                errors.at(MANIFEST, line, "value", format!("{property} must be '{expected}', found {}", shown(value)));
            }
        };
        match property {
            "manifest.version" => expect(MANIFEST_VERSION, errors),
            "oneroster.version" => expect(ONEROSTER_VERSION, errors),
            "source.systemName" => manifest.source_system_name = Some(value.to_owned()).filter(|v| !v.is_empty()),
            "source.systemCode" => manifest.source_system_code = Some(value.to_owned()).filter(|v| !v.is_empty()),
            other => {
                let file = other.strip_prefix("file.").and_then(|name| ALL_DATA_FILES.iter().find(|f| **f == name));
                match (file, FileMode::from_csv(value)) {
                    (Some(file), Some(mode)) => {
                        manifest.modes.insert(file, mode);
                    }
                    (Some(_), None) => errors.at(
                        MANIFEST,
                        line,
                        "value",
                        format!("{other} must be {}, found {}", describe::<FileMode>(), shown(value)),
                    ),
                    (None, _) => errors.at(
                        MANIFEST,
                        line,
                        "propertyName",
                        format!("{} is not a OneRoster 1.2 manifest property", shown(other)),
                    ),
                }
            }
        }
    }
    for required in ["manifest.version", "oneroster.version"] {
        if !manifest.lines.contains_key(required) {
            errors.in_file(MANIFEST, format!("has no '{required}' row"));
        }
    }
    for name in ALL_DATA_FILES {
        if manifest.line_of_file(name).is_none() {
            errors
                .in_file(MANIFEST, format!("has no 'file.{name}' row; OneRoster 1.2 requires one for every data file"));
        }
    }
    Some(manifest)
}
