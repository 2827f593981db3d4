//! The question bank's QTI page: a content package of QTI 2.1 or 3.0 items checked, then
//! imported whole (the file sent again, as the OneRoster import does), and the bank downloaded
//! as a QTI 3.0 package.

use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use qobe_app::quizzes::qti;
use qobe_domain::ids::OfferingId;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::import::{Choice, FileField, ImportPage, Importing, Preview, PreviewRow};
use crate::limits;
use crate::routes::render;
use crate::routes::upload::Upload;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quizzes/offerings/{id}/bank/qti", get(show).post(upload))
        .route("/quizzes/offerings/{id}/bank/qti/export", get(export))
}

const INTRO: &str = "<h2>Import</h2>
<p>Choose a QTI content package: a ZIP file with its <code>imsmanifest.xml</code> and the items it lists, QTI 2.1 \
or 3.0, as other assessment systems export them. Choice (one or several right), true/false, text entry (numbers \
with their tolerance, or accepted answers), extended text (essays), match and order items are read. The package is \
checked as a whole; nothing is added unless every item is right, and problems name the file, the element and its \
line.</p>";

async fn page(state: &AppState, signed: &SignedIn, id: i64, category: &str) -> Result<ImportPage, HtmlError> {
    let bank = qobe_app::quizzes::bank::bank(&state.app, &signed.actor, OfferingId(id)).await?;
    let bank_page = format!("/quizzes/offerings/{id}/bank");
    let action = format!("{bank_page}/qti");
    let aside = format!(
        "<section class=\"card\" id=\"export\"><h2>Export</h2><p>The bank's {} questions as a QTI 3.0 content package, \
         each question's category kept in its item's label, so it imports back as it is.</p>\
         <p><a class=\"button secondary\" href=\"{action}/export\">Download the bank</a></p></section>",
        bank.questions.len()
    );
    let categories = vec![("", "Each item's own (General when it has none)"), ("Imported", "Imported")];
    let importing = Importing {
        title: "Question bank: QTI",
        back: Some(("Question bank", bank_page)),
        intro: INTRO.to_owned(),
        check_action: action.clone(),
        commit_action: action,
        file: FileField {
            name: "file",
            label: format!("QTI package (ZIP), up to {}", limits::megabytes(limits::QTI_PACKAGE)),
            accept: ".zip,application/zip",
            multiple: false,
        },
        choice: Some(Choice {
            name: "category",
            label: "Category",
            options: categories,
            selected: category.to_owned(),
        }),
        one_step: true,
        aside: Some(aside),
    };
    let title = format!("QTI · {}", bank.offering.course.code);
    Ok(ImportPage::new(Page::new(&title, &signed.ctx).in_offering_as(&bank.offering, true, true), importing))
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    Ok(render(&page(&state, &signed, id, "").await?))
}

/// Checks (`mode=check`) or imports (`mode=import`) the package.
async fn upload(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, HtmlError> {
    let upload = Upload::read(multipart).await?;
    let category = upload.text("category").unwrap_or_default().to_owned();
    let importing = upload.text("mode") == Some("import");
    let shown = page(&state, &signed, id, &category).await?;
    let bytes = upload.file("file");
    let read =
        qti::import(&state.app, &signed.actor, OfferingId(id), bytes, &category, importing, &signed.ctx.client).await;
    let planned = match read {
        Ok(planned) => planned,
        Err(err) => return Ok(shown.unreadable(Upload::problem(err)?)),
    };
    let preview = Preview {
        heading: if importing { "Imported" } else { "Ready to import" }.to_owned(),
        file_errors: Vec::new(),
        problems: Vec::new(),
        summary: Some(format!("{} question{}.", planned.len(), if planned.len() == 1 { "" } else { "s" })),
        columns: ["File", "Type", "Category", "Points", "Question"].map(str::to_owned).to_vec(),
        rows: planned
            .iter()
            .map(|p| PreviewRow {
                line: None,
                cells: vec![
                    p.file.clone(),
                    p.input.body.kind().replace('_', " "),
                    if p.input.category.is_empty() { "General".into() } else { p.input.category.clone() },
                    qobe_app::assessment::marks::display_number(p.input.points.unwrap_or(1.0)),
                    p.input.prompt.chars().take(120).collect(),
                ],
                errors: Vec::new(),
            })
            .collect(),
        checks: false,
        more: 0,
        notes: Vec::new(),
        valid: true,
        commit_label: String::new(),
    };
    Ok(shown.checked(preview, String::new()))
}

async fn export(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let (name, zip) = qti::export(&state.app, &signed.actor, OfferingId(id)).await?;
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok(([(header::CONTENT_TYPE, "application/zip".to_owned()), (header::CONTENT_DISPOSITION, disposition)], zip)
        .into_response())
}
