//! An uploaded file checked row by row before anything is written: each row with its line
//! number, what it will become and what is wrong with it, and the problems of the file as a
//! whole. Imports write all of it in one transaction, or nothing.

/// One checked row.
#[derive(Debug, Clone)]
pub struct CheckedRow<T> {
    /// Line number in the file (the header is line 1).
    pub line: usize,
    pub value: T,
    pub errors: Vec<String>,
}

/// The checked file.
#[derive(Debug, Clone)]
pub struct CheckedFile<T> {
    pub rows: Vec<CheckedRow<T>>,
    /// Problems with the file itself (columns, size, seats).
    pub file_errors: Vec<String>,
}

impl<T> Default for CheckedFile<T> {
    fn default() -> Self {
        CheckedFile { rows: Vec::new(), file_errors: Vec::new() }
    }
}

impl<T> CheckedFile<T> {
    /// Whether the file can be imported as a whole: rows, and nothing wrong anywhere.
    pub fn is_valid(&self) -> bool {
        self.file_errors.is_empty() && !self.rows.is_empty() && self.rows.iter().all(|r| r.errors.is_empty())
    }
}

/// A CSV file's header, read the same way for every import: a byte-order mark dropped, names
/// compared without case, cells trimmed.
pub struct CsvFile<'a> {
    pub reader: csv::Reader<&'a [u8]>,
    headers: Vec<String>,
}

impl<'a> CsvFile<'a> {
    /// Opens `bytes` and reads its header; the error is the file's problem, for `file_errors`.
    pub fn open(bytes: &'a [u8]) -> Result<CsvFile<'a>, String> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes);
        let headers = reader
            .headers()
            .map_err(|e| format!("The file could not be read as CSV: {e}"))?
            .iter()
            .map(|s| s.trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        Ok(CsvFile { reader, headers })
    }

    /// The position of each named column, or `None` when any is missing.
    pub fn columns<const N: usize>(&self, names: [&str; N]) -> Option<[usize; N]> {
        let mut found = [0; N];
        for (slot, name) in found.iter_mut().zip(names) {
            *slot = self.headers.iter().position(|h| h == name)?;
        }
        Some(found)
    }

    /// The position of an optional column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
}
