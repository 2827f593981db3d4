//! The one writer of the CSV files QOBE hands out (report tables, marks, OneRoster bundles).
//!
//! A spreadsheet opening a CSV file runs a cell that starts with `=`, `+`, `-` or `@` as a
//! formula (and tab or carriage return can hide one): a name typed as `=HYPERLINK(…)` would turn
//! a download into a phishing link or worse. Every text cell that starts so is written with a
//! leading apostrophe, which spreadsheets show as text; plain numbers such as `-2.5` are left as
//! they are. QOBE's own readers take the apostrophe off again ([`restore`]), so a file exported
//! and imported back is unchanged.

use std::borrow::Cow;

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn is_plain_number(value: &str) -> bool {
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit())
}

/// Whether a spreadsheet could read the cell as a formula: it starts like one and is more than a
/// lone sign (a `-` for "none" stays as it is) or a plain number.
fn formula_like(value: &str) -> bool {
    value.starts_with(TRIGGERS) && value.chars().nth(1).is_some() && !is_plain_number(value)
}

/// A cell as it is safe to write: formula-like text behind an apostrophe.
pub fn neutralise(value: &str) -> Cow<'_, str> {
    if formula_like(value) { Cow::Owned(format!("'{value}")) } else { Cow::Borrowed(value) }
}

/// A cell as QOBE wrote it, read back: the apostrophe [`neutralise`] added is taken off.
pub fn restore(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => value,
    }
}

/// Writes records as RFC 4180 CSV, each cell neutralised and quoted when it must be.
#[derive(Debug, Clone, Default)]
pub struct CsvWriter {
    out: String,
    /// Lines end with CR LF (as OneRoster bundles do) rather than LF.
    crlf: bool,
}

impl CsvWriter {
    /// Lines end with LF.
    pub fn new() -> CsvWriter {
        CsvWriter::default()
    }

    /// Lines end with CR LF.
    pub fn crlf() -> CsvWriter {
        CsvWriter { out: String::new(), crlf: true }
    }

    pub fn record<S: AsRef<str>>(&mut self, values: impl IntoIterator<Item = S>) {
        for (n, value) in values.into_iter().enumerate() {
            if n > 0 {
                self.out.push(',');
            }
            let value = neutralise(value.as_ref());
            if value.contains([',', '"', '\r', '\n']) {
                self.out.push('"');
                self.out.push_str(&value.replace('"', "\"\""));
                self.out.push('"');
            } else {
                self.out.push_str(&value);
            }
        }
        self.out.push_str(if self.crlf { "\r\n" } else { "\n" });
    }

    pub fn into_string(self) -> String {
        self.out
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_neutralised_and_numbers_are_not() {
        for (typed, written) in [
            ("=HYPERLINK(\"http://evil.example\",\"Click\")", "'=HYPERLINK(\"http://evil.example\",\"Click\")"),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(1,2)", "'@SUM(1,2)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "-"),
            ("=", "="),
            ("-2.5", "-2.5"),
            ("+3", "+3"),
            ("EE-201", "EE-201"),
            ("Élodie", "Élodie"),
            ("", ""),
        ] {
            assert_eq!(neutralise(typed), written, "{typed:?}");
            assert_eq!(restore(written), typed, "{written:?} reads back");
        }
        assert_eq!(restore("'quoted on purpose"), "'quoted on purpose", "only what neutralise adds is removed");
    }

    #[test]
    fn records_are_quoted_as_rfc_4180_says() {
        let mut csv = CsvWriter::new();
        csv.record(["name", "note"]);
        csv.record(["=cmd", "a, \"b\"\nc"]);
        assert_eq!(csv.into_string(), "name,note\n'=cmd,\"a, \"\"b\"\"\nc\"\n");
        let mut crlf = CsvWriter::crlf();
        crlf.record(["a", "b"]);
        assert_eq!(crlf.into_bytes(), b"a,b\r\n");
    }
}
