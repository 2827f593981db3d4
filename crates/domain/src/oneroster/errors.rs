//! Import errors: every problem in a package, each pinned to a file, line and column.
//!
//! An import is all-or-nothing, so the person fixing the files needs the whole list at once rather
//! than one error per attempt; the list is capped so a badly broken package cannot produce an
//! unbounded report.

use serde::Serialize;

/// Most errors kept in one [`ImportErrors`]; the rest are only counted.
pub const MAX_ERRORS: usize = 1_000;

/// One problem found in an uploaded package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    /// The file the problem is in, e.g. `classes.csv` (or the package itself for a missing file).
    pub file: String,
    /// Line number as a person counts it in a text editor: the header row is line 1.
    /// `None` when the problem concerns the whole file.
    pub line: Option<u64>,
    /// The column header the problem is in, when it is about one value.
    pub column: Option<String>,
    /// The sourcedId of the record on that line, when it has one, so the record can be found
    /// in the system that made the file.
    pub sourced_id: Option<String>,
    /// What is wrong, in words an administrator can act on.
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if let Some(id) = &self.sourced_id {
            write!(f, " (sourcedId {id})")?;
        }
        if let Some(column) = &self.column {
            write!(f, " column {column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in a package (up to [`MAX_ERRORS`]), in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct ImportErrors {
    /// The problems, file by file in package order, then the cross-file ones.
    pub errors: Vec<ImportError>,
    /// How many further problems were found but not kept.
    pub omitted: usize,
}

impl ImportErrors {
    /// Total number of problems found, kept or not.
    pub fn total(&self) -> usize {
        self.errors.len() + self.omitted
    }

    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    /// Records one problem, or only counts it once the cap is reached.
    pub fn push(&mut self, file: &str, line: Option<u64>, column: Option<&str>, message: impl Into<String>) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(ImportError {
                file: file.to_owned(),
                line,
                column: column.map(str::to_owned),
                sourced_id: None,
                message: message.into(),
            });
        } else {
            self.omitted += 1;
        }
    }

    /// Records a problem about one value.
    pub fn at(&mut self, file: &str, line: u64, column: &str, message: impl Into<String>) {
        self.push(file, Some(line), Some(column), message);
    }

    /// Records a problem about a whole row.
    pub fn at_line(&mut self, file: &str, line: u64, message: impl Into<String>) {
        self.push(file, Some(line), None, message);
    }

    /// Records a problem about a whole file.
    pub fn in_file(&mut self, file: &str, message: impl Into<String>) {
        self.push(file, None, None, message);
    }
}

impl std::fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the OneRoster package has {} problem(s)", self.total())?;
        for error in &self.errors {
            write!(f, "\n  {error}")?;
        }
        if self.omitted > 0 {
            write!(f, "\n  … and {} more", self.omitted)?;
        }
        Ok(())
    }
}
