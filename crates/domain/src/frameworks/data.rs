//! Reading the CSV tables compiled into the crate (`data/frameworks/`).
//!
//! The tables are fixed at build time, but they are still parsed into a `Result` so that a bad
//! edit to a data file shows up as a failing unit test, never as a panic in a running server.

/// A CSV table embedded with `include_str!`, known by its file name for error messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EmbeddedCsv {
    pub file: &'static str,
    pub text: &'static str,
}

/// Embeds `data/frameworks/<file>` and remembers its name.
macro_rules! embedded_csv {
    ($file:literal) => {
        $crate::frameworks::data::EmbeddedCsv {
            file: $file,
            text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/frameworks/", $file)),
        }
    };
}
pub(crate) use embedded_csv;

/// An embedded data file that does not have the shape the code expects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("embedded data file {file}: {message}")]
pub struct DataError {
    /// File name under `data/frameworks/`.
    pub file: &'static str,
    pub message: String,
}

impl EmbeddedCsv {
    pub(crate) fn error(&self, message: impl Into<String>) -> DataError {
        DataError { file: self.file, message: message.into() }
    }

    /// The data rows, after checking the header is exactly `columns` and every field is
    /// non-empty. Fields are trimmed.
    pub(crate) fn rows(&self, columns: &[&str]) -> Result<Vec<Vec<String>>, DataError> {
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(self.text.as_bytes());
        let header = reader.headers().map_err(|e| self.error(e.to_string()))?;
        if header.iter().ne(columns.iter().copied()) {
            let found: Vec<&str> = header.iter().collect();
            return Err(self.error(format!("header is {found:?}, expected {columns:?}")));
        }
        let mut rows = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let line = index + 2;
            let record = record.map_err(|e| self.error(format!("line {line}: {e}")))?;
            if let Some(column) = columns.iter().zip(record.iter()).find(|(_, v)| v.is_empty()).map(|(c, _)| c) {
                return Err(self.error(format!("line {line}: column {column} is empty")));
            }
            rows.push(record.iter().map(str::to_owned).collect());
        }
        if rows.is_empty() {
            return Err(self.error("has no data rows"));
        }
        Ok(rows)
    }
}

/// Checks that `codes` are exactly `<prefix>1`, `<prefix>2`, … in order, the numbering every
/// built-in table uses.
pub(crate) fn check_numbered_codes<'a>(
    csv: &EmbeddedCsv,
    prefix: &str,
    codes: impl IntoIterator<Item = &'a str>,
) -> Result<(), DataError> {
    for (index, code) in codes.into_iter().enumerate() {
        let expected = format!("{prefix}{}", index + 1);
        if code != expected {
            return Err(csv.error(format!("row {} has code {code}, expected {expected}", index + 1)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: EmbeddedCsv = EmbeddedCsv { file: "good.csv", text: "code,text\r\nX1,\"a, b\"\r\nX2, c \r\n" };

    #[test]
    fn reads_quoted_crlf_rows_and_trims() {
        let rows = GOOD.rows(&["code", "text"]).unwrap();
        assert_eq!(rows, vec![vec!["X1".to_owned(), "a, b".to_owned()], vec!["X2".to_owned(), "c".to_owned()]]);
        check_numbered_codes(&GOOD, "X", rows.iter().map(|r| r[0].as_str())).unwrap();
    }

    #[test]
    fn rejects_bad_shapes_with_the_file_name() {
        let err = GOOD.rows(&["code", "title"]).unwrap_err();
        assert_eq!(err.file, "good.csv");
        assert!(err.to_string().contains("expected [\"code\", \"title\"]"), "{err}");

        let ragged = EmbeddedCsv { file: "r.csv", text: "a,b\n1,2\n3\n" };
        assert!(ragged.rows(&["a", "b"]).unwrap_err().message.starts_with("line 3:"));

        let blank = EmbeddedCsv { file: "b.csv", text: "a,b\n1, \n" };
        assert_eq!(blank.rows(&["a", "b"]).unwrap_err().message, "line 2: column b is empty");

        let empty = EmbeddedCsv { file: "e.csv", text: "a,b\n" };
        assert_eq!(empty.rows(&["a", "b"]).unwrap_err().message, "has no data rows");
    }

    #[test]
    fn numbered_codes_must_run_from_one() {
        let err = check_numbered_codes(&GOOD, "X", ["X1", "X3"]).unwrap_err();
        assert_eq!(err.message, "row 2 has code X3, expected X2");
    }
}
