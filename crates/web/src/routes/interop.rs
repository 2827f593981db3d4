//! Roster interchange: OneRoster 1.2 CSV import (check, then all-or-nothing) and export as one
//! ZIP download.

use axum::Router;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use qobe_app::interop::oneroster_import::{self, Checked};
use qobe_domain::roles::Permission;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::import::{FileField, ImportPage, Importing, Preview, PreviewRow};
use crate::limits;
use crate::routes::render;
use crate::routes::upload::Upload;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/oneroster", get(show).post(upload)).route("/admin/oneroster/export", get(export))
}

const INTRO: &str = "<h2>Import</h2>
<p>Choose the package's ZIP file, as a student information system (or QOBE's own export) delivers it, or all its CSV \
files (manifest.csv, orgs.csv, academicSessions.csv, courses.csv, classes.csv, users.csv, roles.csv, enrollments.csv). \
The package is checked as a whole; nothing is written unless every file is right. People come in as invited accounts \
without email (those the roster marks disabled come in switched off); send invitations from their pages when ready. \
Administrator roles are never imported. Each record's sourcedId and the fields QOBE has no place for are kept, so an \
export gives them back.</p>";

const EXPORT: &str = "<section class=\"card\">
  <h2>Export</h2>
  <p>The institution's departments, terms, courses, offerings, people with student and teacher roles, registrations \
and teaching assignments, as a OneRoster 1.2 CSV package in one ZIP file. It is checked against the same rules as an \
import before you get it.</p>
  <p><a class=\"button secondary\" href=\"/admin/oneroster/export\">Download roster</a></p>
</section>";

fn page(signed: &SignedIn) -> ImportPage {
    let importing = Importing {
        title: "OneRoster 1.2",
        back: None,
        intro: INTRO.to_owned(),
        check_action: "/admin/oneroster".to_owned(),
        commit_action: "/admin/oneroster".to_owned(),
        file: FileField {
            name: "files",
            label: format!("A ZIP file or CSV files, up to {} in all", limits::megabytes(limits::ROSTER_FILE)),
            accept: ".zip,application/zip,.csv,text/csv",
            multiple: true,
        },
        choice: None,
        one_step: true,
        aside: Some(EXPORT.to_owned()),
    };
    ImportPage::new(Page::new("OneRoster", &signed.ctx), importing)
}

/// A package's check as the import preview shows it: what it holds, or its problems by file,
/// line, record and column.
fn preview_of(checked: Checked, imported: bool) -> Preview {
    let mut preview = Preview {
        heading: String::new(),
        file_errors: Vec::new(),
        problems: Vec::new(),
        summary: None,
        columns: ["File", "sourcedId", "Column", "Problem"].map(str::to_owned).to_vec(),
        rows: Vec::new(),
        checks: false,
        more: 0,
        notes: Vec::new(),
        valid: false,
        commit_label: String::new(),
    };
    match checked {
        Checked::Clean(s) => {
            preview.heading = if imported { "Imported" } else { "Ready to import" }.to_owned();
            preview.summary = Some(format!(
                "{} departments, {} terms, {} courses, {} classes, {} people, {} enrollments.",
                s.departments, s.terms, s.courses, s.classes, s.people, s.enrollments
            ));
            if !s.skipped_files.is_empty() {
                preview.notes.push(format!("Not read: {}", s.skipped_files.join(", ")));
            }
            preview.valid = true;
        }
        Checked::Errors { errors, omitted } => {
            preview.heading = "The package has problems; nothing was imported".to_owned();
            preview.rows = errors
                .into_iter()
                .map(|e| PreviewRow {
                    line: e.line.and_then(|l| usize::try_from(l).ok()),
                    cells: vec![e.file, e.sourced_id.unwrap_or_default(), e.column.unwrap_or_default(), e.message],
                    errors: Vec::new(),
                })
                .collect();
            preview.more = omitted;
        }
    }
    preview
}

async fn show(signed: SignedIn) -> Result<Response, HtmlError> {
    signed.actor.require(Permission::ManageAcademicStructure)?;
    Ok(render(&page(&signed)))
}

/// Checks (`mode=check`) or imports (`mode=import`) the uploaded CSV files.
async fn upload(State(state): State<AppState>, signed: SignedIn, multipart: Multipart) -> Result<Response, HtmlError> {
    let upload = Upload::read(multipart).await?;
    let files = match oneroster_import::unpack(upload.named_files("files")) {
        Ok(files) => files,
        Err(err) => return Ok(page(&signed).unreadable(Upload::problem(err)?)),
    };
    let importing = upload.text("mode") == Some("import");
    let checked = if importing {
        oneroster_import::import(&state.app, &signed.actor, &files, &signed.ctx.client).await?
    } else {
        oneroster_import::check(&signed.actor, &files)?
    };
    Ok(page(&signed).checked(preview_of(checked, importing), String::new()))
}

async fn export(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    let files = qobe_app::interop::oneroster::export(&state.app, &signed.actor).await?;
    let zip = qobe_domain::zip::write(&files);
    let name = format!("attachment; filename=\"oneroster-{}.zip\"", state.app.now().format("%Y%m%d"));
    Ok(([(header::CONTENT_TYPE, "application/zip".to_owned()), (header::CONTENT_DISPOSITION, name)], zip)
        .into_response())
}
