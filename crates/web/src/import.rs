//! One import flow for every upload that becomes records (invitations, enrolments, academic
//! records, marks): a page that takes the file, a preview of what it will become — every row with
//! its line and what is wrong with it, or, for files too wide for that, the problems by line and
//! column — and a commit of the checked file that writes all of it or nothing. One page type and
//! one template (`import.html`); an import says only what it imports and how its rows look.

use askama::Template;
use axum::response::Response;
use qobe_app::checked::CheckedFile;

use crate::context::Page;
use crate::routes::{render, render_invalid};

/// What is being imported: the page's words and addresses.
pub struct Importing {
    pub title: &'static str,
    /// A link back to where the import started (label, address).
    pub back: Option<(&'static str, String)>,
    /// What the file must hold: markup written here, never text people typed.
    pub intro: String,
    pub check_action: String,
    pub commit_action: String,
    pub file: FileField,
    /// A choice sent with the file (what to import), and carried to the commit.
    pub choice: Option<Choice>,
    /// Check and import from the upload form itself, the files sent again for the import (a
    /// OneRoster package is several files, too many to carry in the page): no commit form.
    pub one_step: bool,
    /// A card beside the upload (OneRoster's export): markup written here.
    pub aside: Option<String>,
}

/// The upload field.
pub struct FileField {
    pub name: &'static str,
    /// "CSV file, up to 10 MB".
    pub label: String,
    pub accept: &'static str,
    pub multiple: bool,
}

impl FileField {
    /// One CSV file, within the import limit.
    pub fn csv() -> FileField {
        FileField::one("CSV file", ".csv,text/csv")
    }

    /// One file of `accept`, within the import limit.
    pub fn one(what: &str, accept: &'static str) -> FileField {
        let label = format!("{what}, up to {}", crate::limits::megabytes(crate::limits::IMPORT_FILE));
        FileField { name: "file", label, accept, multiple: false }
    }
}

/// A `<select>` on the upload form.
pub struct Choice {
    pub name: &'static str,
    pub label: &'static str,
    pub options: Vec<(&'static str, &'static str)>,
    pub selected: String,
}

/// The checked file as the preview shows it.
pub struct Preview {
    /// "Preview", or where a one-step import stands ("Imported").
    pub heading: String,
    /// Problems with the file as a whole (columns, size, seats).
    pub file_errors: Vec<String>,
    /// Problems by line and column, for wide files whose rows are not listed one by one.
    pub problems: Vec<String>,
    /// What the file comes to ("5 marks for 2 students").
    pub summary: Option<String>,
    pub columns: Vec<String>,
    pub rows: Vec<PreviewRow>,
    /// Whether each row shows its own check (rows of a `CheckedFile`).
    pub checks: bool,
    /// Rows in the file beyond those shown.
    pub more: usize,
    /// Further lines about the file ("Not read: …").
    pub notes: Vec<String>,
    pub valid: bool,
    /// The commit button ("Invite all 12").
    pub commit_label: String,
}

pub struct PreviewRow {
    /// `None` for a problem of a whole file.
    pub line: Option<usize>,
    pub cells: Vec<String>,
    pub errors: Vec<String>,
}

impl Preview {
    /// Every row of a checked file under `columns`, with its own check; `verb` names the commit
    /// ("Invite" → "Invite all 12").
    pub fn of<T>(checked: &CheckedFile<T>, columns: &[&str], cells: impl Fn(&T) -> Vec<String>, verb: &str) -> Preview {
        Preview {
            heading: "Preview".to_owned(),
            file_errors: checked.file_errors.clone(),
            problems: Vec::new(),
            summary: None,
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: checked
                .rows
                .iter()
                .map(|r| PreviewRow { line: Some(r.line), cells: cells(&r.value), errors: r.errors.clone() })
                .collect(),
            checks: true,
            more: 0,
            notes: Vec::new(),
            valid: checked.is_valid(),
            commit_label: format!("{verb} all {}", checked.rows.len()),
        }
    }
}

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub page: Page,
    pub importing: Importing,
    pub preview: Option<Preview>,
    /// The checked file, carried to the commit in a hidden field.
    pub csv_text: String,
    /// Why the chosen file could not be read.
    pub upload_error: Option<String>,
}

impl ImportPage {
    pub fn new(page: Page, importing: Importing) -> ImportPage {
        ImportPage { page, importing, preview: None, csv_text: String::new(), upload_error: None }
    }

    /// The file could not be read at all.
    pub fn unreadable(self, problem: String) -> Response {
        render_invalid(&ImportPage { upload_error: Some(problem), ..self })
    }

    /// The file as checked: 200 when it can be imported, 422 when something must be fixed.
    pub fn checked(self, preview: Preview, csv_text: String) -> Response {
        let valid = preview.valid;
        let page = ImportPage { preview: Some(preview), csv_text, ..self };
        if valid { render(&page) } else { render_invalid(&page) }
    }
}
