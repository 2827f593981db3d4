//! Reading one CSV file of the binding: decoding, the header check, and typed access to the
//! values of a row with every problem recorded against its file, line and column.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::enums::{RecordStatus, Vocabulary, describe};
use super::errors::ImportErrors;
use super::records::{ExternalUserId, Metadata, Password};
use super::spec::{MAX_GUID_LEN, is_guid};

/// A file whose header matched: its extension column names and its data rows.
pub(super) struct Table {
    pub extensions: Vec<String>,
    pub rows: Vec<RawRow>,
}

/// One data row as text, with the line it starts on (header = line 1).
pub(super) struct RawRow {
    pub line: u64,
    pub values: Vec<String>,
    /// `false` when the row's shape or encoding is broken (already reported): its sourcedId
    /// still counts as defined, so references to it are not reported as well.
    pub usable: bool,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The line a record starts on, as an editor counts it (header = line 1). The csv crate's own
/// count is one short in a file with CR LF line ends (most exports, QOBE's included): it places
/// the `\n` of a record's `\r\n` at the start of the next record.
fn line_of(bytes: &[u8], position: &csv::Position) -> u64 {
    let mut start = usize::try_from(position.byte()).unwrap_or(usize::MAX).min(bytes.len());
    while matches!(bytes.get(start), Some(b'\n' | b'\r')) {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|b| **b == b'\n').count() as u64
}

/// Decodes `bytes` as a CSV file whose header must start with exactly `columns`. Returns `None`
/// when the file cannot be interpreted at all (no header, wrong header); row-level problems are
/// recorded and the offending rows left out.
pub(super) fn read_table(file: &str, bytes: &[u8], columns: &[&str], errors: &mut ImportErrors) -> Option<Table> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for result in reader.byte_records() {
        let record = match result {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map(|p| line_of(bytes, p));
                errors.push(file, line, None, format!("cannot be read as CSV: {error}"));
                return None;
            }
        };
        let line = record.position().map_or(0, |p| line_of(bytes, p));
        let names: &[String] = header.as_deref().unwrap_or_default();
        let mut values = Vec::with_capacity(record.len());
        let mut decoded = true;
        for (index, field) in record.iter().enumerate() {
            let column = names.get(index).map_or("", String::as_str);
            if std::str::from_utf8(field).is_err() {
                errors.push(file, Some(line), Some(column).filter(|c| !c.is_empty()), "is not valid UTF-8 text");
                decoded = false;
            }
            // A cell QOBE's writer neutralised (`'=…`) reads back as it was.
            values.push(crate::csv_out::restore(&String::from_utf8_lossy(field)).to_owned());
        }
        match &header {
            None => {
                if !decoded {
                    return None;
                }
                check_header(file, &values, columns, errors)?;
                header = Some(values);
            }
            Some(names) => {
                let usable = decoded && check_row(file, line, names, &values, errors);
                rows.push(RawRow { line, values, usable });
            }
        }
    }
    let Some(names) = header else {
        errors.in_file(file, format!("is empty; the header row is required ({})", columns.join(",")));
        return None;
    };
    if rows.is_empty() {
        errors.in_file(file, "has no data rows; OneRoster does not permit a file with only a header");
    }
    Some(Table { extensions: names[columns.len()..].to_vec(), rows })
}

/// Checks the header starts with `expected` in order, followed only by uniquely named extension
/// columns.
fn check_header(file: &str, found: &[String], expected: &[&str], errors: &mut ImportErrors) -> Option<()> {
    let mismatch =
        expected.iter().enumerate().find(|(index, name)| found.get(*index).map(String::as_str) != Some(**name));
    if let Some((index, name)) = mismatch {
        let found_name = found.get(index).map_or_else(|| "nothing".to_owned(), |f| format!("'{f}'"));
        errors.push(
            file,
            Some(1),
            Some(name),
            format!(
                "wrong header: column {} must be '{name}' but is {found_name}; expected header \"{}\", found \"{}\"",
                index + 1,
                expected.join(","),
                found.join(",")
            ),
        );
        return None;
    }
    let mut ok = true;
    for (index, extra) in found.iter().enumerate().skip(expected.len()) {
        if extra.trim().is_empty() {
            errors.push(file, Some(1), None, format!("header column {} has no name", index + 1));
            ok = false;
        } else if found[..index].contains(extra) {
            errors.push(file, Some(1), Some(extra), "header names this column twice");
            ok = false;
        }
    }
    ok.then_some(())
}

/// Checks a data row has one value per header column and no line breaks inside values.
fn check_row(file: &str, line: u64, names: &[String], values: &[String], errors: &mut ImportErrors) -> bool {
    if values.len() != names.len() {
        errors.at_line(file, line, format!("has {} values but the header has {} columns", values.len(), names.len()));
        return false;
    }
    let mut ok = true;
    for (name, value) in names.iter().zip(values) {
        if value.contains(['\r', '\n']) {
            errors.at(file, line, name, "contains a line break, which OneRoster does not permit inside a value");
            ok = false;
        }
    }
    ok
}

/// Quotes a found value for a message, shortened so one bad cell cannot flood the report.
pub(super) fn shown(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        format!("'{value}'")
    } else {
        format!("'{}…'", value.chars().take(MAX).collect::<String>())
    }
}

/// Typed access to one data row. Each accessor records its own problems; [`Row::ok`] then tells
/// whether the row as a whole can become a record.
pub(super) struct Row<'a> {
    pub file: &'a str,
    pub line: u64,
    columns: &'a [&'a str],
    extensions: &'a [String],
    values: &'a [String],
    errors: &'a mut ImportErrors,
    failed: bool,
}

impl<'a> Row<'a> {
    pub fn new(
        file: &'a str,
        columns: &'a [&'a str],
        extensions: &'a [String],
        row: &'a RawRow,
        errors: &'a mut ImportErrors,
    ) -> Self {
        Row { file, line: row.line, columns, extensions, values: &row.values, errors, failed: false }
    }

    /// `Some(())` when no accessor has found a problem in this row.
    pub fn ok(&self) -> Option<()> {
        (!self.failed).then_some(())
    }

    /// Records a problem with `column` that the row's own checks found.
    pub fn fail(&mut self, column: &str, message: impl Into<String>) {
        self.errors.at(self.file, self.line, column, message);
        self.failed = true;
    }

    fn raw(&self, column: &str) -> &'a str {
        let values: &'a [String] = self.values;
        self.columns.iter().position(|c| *c == column).and_then(|i| values.get(i)).map_or("", String::as_str)
    }

    /// Runs `parse` on a non-blank value; a blank value is an error when `required`.
    fn value<T>(&mut self, column: &str, required: bool, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let raw = self.raw(column);
        if raw.trim().is_empty() {
            if required {
                self.fail(column, "is required but blank");
            }
            return None;
        }
        match parse(raw) {
            Ok(value) => Some(value),
            Err(message) => {
                self.fail(column, message);
                None
            }
        }
    }

    pub fn text(&mut self, column: &str) -> Option<String> {
        self.value(column, true, |raw| Ok(raw.to_owned()))
    }

    pub fn opt_text(&mut self, column: &str) -> Option<String> {
        self.value(column, false, |raw| Ok(raw.to_owned()))
    }

    pub fn opt_password(&mut self, column: &str) -> Option<Password> {
        self.opt_text(column).map(Password)
    }

    pub fn guid(&mut self, column: &str) -> Option<String> {
        self.value(column, true, parse_guid)
    }

    pub fn opt_guid(&mut self, column: &str) -> Option<String> {
        self.value(column, false, parse_guid)
    }

    pub fn guid_list(&mut self, column: &str, required: bool) -> Vec<String> {
        self.value(column, required, |raw| split_list(raw)?.iter().map(|item| parse_guid(item)).collect())
            .unwrap_or_default()
    }

    pub fn string_list(&mut self, column: &str) -> Vec<String> {
        self.value(column, false, split_list).unwrap_or_default()
    }

    pub fn user_ids(&mut self, column: &str) -> Vec<ExternalUserId> {
        self.value(column, false, |raw| split_list(raw)?.into_iter().map(parse_user_id).collect()).unwrap_or_default()
    }

    pub fn vocab<V: Vocabulary>(&mut self, column: &str) -> Option<V> {
        self.value(column, true, parse_vocab)
    }

    pub fn opt_vocab<V: Vocabulary>(&mut self, column: &str) -> Option<V> {
        self.value(column, false, parse_vocab)
    }

    pub fn date(&mut self, column: &str) -> Option<NaiveDate> {
        self.value(column, true, parse_date)
    }

    pub fn opt_date(&mut self, column: &str) -> Option<NaiveDate> {
        self.value(column, false, parse_date)
    }

    pub fn year(&mut self, column: &str) -> Option<u16> {
        self.value(column, true, |raw| {
            let digits = raw.len() == 4 && raw.bytes().all(|b| b.is_ascii_digit());
            digits
                .then(|| raw.parse().ok())
                .flatten()
                .ok_or_else(|| format!("must be a year YYYY, found {}", shown(raw)))
        })
    }

    pub fn boolean(&mut self, column: &str) -> Option<bool> {
        self.value(column, true, parse_bool)
    }

    pub fn opt_bool(&mut self, column: &str) -> Option<bool> {
        self.value(column, false, parse_bool)
    }

    /// `status` and `dateLastModified`, which a bulk file must leave blank. Malformed values are
    /// reported as such; well-formed ones as not allowed in bulk mode.
    pub fn bulk_status(&mut self) -> (Option<RecordStatus>, Option<DateTime<Utc>>) {
        let status = self.opt_vocab::<RecordStatus>("status");
        let modified = self.value("dateLastModified", false, parse_date_time);
        if let Some(status) = status {
            self.fail("status", format!("must be blank in a bulk file, found '{status}'"));
        }
        if modified.is_some() {
            self.fail("dateLastModified", "must be blank in a bulk file");
        }
        (None, None)
    }

    /// The non-blank values of the extension columns.
    pub fn metadata(&self) -> Metadata {
        let values = self.values.get(self.columns.len()..).unwrap_or_default();
        self.extensions
            .iter()
            .zip(values)
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect()
    }
}

fn parse_guid(raw: &str) -> Result<String, String> {
    if is_guid(raw) {
        Ok(raw.to_owned())
    } else {
        Err(format!(
            "must be an identifier of at most {MAX_GUID_LEN} characters from 0-9 a-z A-Z . - _ / @, found {}",
            shown(raw)
        ))
    }
}

/// Splits a comma-separated list value; items are trimmed and must not be blank.
fn split_list(raw: &str) -> Result<Vec<String>, String> {
    let items: Vec<String> = raw.split(',').map(|item| item.trim().to_owned()).collect();
    if items.iter().any(String::is_empty) {
        return Err(format!("has an empty item in the comma-separated list {}", shown(raw)));
    }
    Ok(items)
}

fn parse_user_id(item: String) -> Result<ExternalUserId, String> {
    let inner = item.strip_prefix('{').and_then(|rest| rest.strip_suffix('}'));
    match inner.and_then(|inner| inner.split_once(':')) {
        Some((kind, identifier)) if !kind.is_empty() && !identifier.is_empty() => {
            Ok(ExternalUserId { r#type: kind.to_owned(), identifier: identifier.to_owned() })
        }
        _ => Err(format!("must list entries of the form {{type:identifier}}, found {}", shown(&item))),
    }
}

fn parse_vocab<V: Vocabulary>(raw: &str) -> Result<V, String> {
    V::from_csv(raw).ok_or_else(|| format!("must be {}, found {}", describe::<V>(), shown(raw)))
}

fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    let shaped = raw.len() == 10 && raw.as_bytes()[4] == b'-' && raw.as_bytes()[7] == b'-';
    shaped
        .then(|| NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| format!("must be a date YYYY-MM-DD, found {}", shown(raw)))
}

fn parse_date_time(raw: &str) -> Result<DateTime<Utc>, String> {
    let parsed = raw
        .strip_suffix('Z')
        .filter(|rest| rest.len() >= 19 && rest.as_bytes()[10] == b'T')
        .and_then(|rest| NaiveDateTime::parse_from_str(rest, "%Y-%m-%dT%H:%M:%S%.f").ok());
    parsed
        .map(|naive| naive.and_utc())
        .ok_or_else(|| format!("must be a UTC date-time YYYY-MM-DDTHH:MM:SS.sssZ, found {}", shown(raw)))
}

fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(format!("must be true or false, found {}", shown(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_date_times_are_strict() {
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("2024-2-9").is_err());
        assert!(parse_date("24-02-09").is_err());
        assert!(parse_date("2024/02/09").is_err());
        let time = parse_date_time("2012-04-23T18:25:43.511Z");
        assert_eq!(time.map(|t| t.timestamp_millis()), Ok(1_335_205_543_511));
        assert!(parse_date_time("2012-04-23T18:25:43").is_err());
        assert!(parse_date_time("2012-04-23 18:25:43.511Z").is_err());
        assert!(parse_date_time("2012-04-23T18:25:43.511+01:00").is_err());
    }

    #[test]
    fn lines_are_counted_alike_with_lf_and_crlf_line_ends() {
        for text in ["a,b\nx,1\n\ny,2\n", "a,b\r\nx,1\r\n\r\ny,2\r\n"] {
            let mut errors = ImportErrors::default();
            let table = read_table("t.csv", text.as_bytes(), &["a", "b"], &mut errors).unwrap();
            let lines: Vec<u64> = table.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, vec![2, 4], "{text:?}");
        }
    }

    #[test]
    fn lists_and_user_ids() {
        assert_eq!(split_list("1, 2,3"), Ok(vec!["1".into(), "2".into(), "3".into()]));
        assert!(split_list("a,,b").is_err());
        let id = parse_user_id("{LDAP:uid=jo:x}".into());
        assert_eq!(id, Ok(ExternalUserId { r#type: "LDAP".into(), identifier: "uid=jo:x".into() }));
        assert!(parse_user_id("LDAP:jo".into()).is_err());
        assert!(parse_user_id("{:jo}".into()).is_err());
    }
}
