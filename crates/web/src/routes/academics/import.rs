//! CSV import of programs, courses and CLOs: upload, preview every row, import all or nothing.

use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::academics::import::{self, ImportKind, Preview};
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::import::{Choice, FileField, ImportPage, Importing};
use crate::routes::upload::Upload;
use crate::routes::{done, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/academics/import", get(show).post(preview)).route("/academics/import/commit", post(commit))
}

const INTRO: &str = "<p>The first line names the columns; nothing is imported until every row is right.</p>
<ul>
  <li><strong>Programs:</strong> <code>department_code,code,name</code></li>
  <li><strong>Courses:</strong> <code>code,title,department_code,credits_theory,credits_lab,category[,prerequisites]</code> \
— prerequisites like <code>EE-101:C; MA-101</code> (course code and minimum grade, default D; courses may refer to each \
other within the file)</li>
  <li><strong>CLOs:</strong> <code>course_code,code,text,taxonomy_level[,program_code,plo_mappings]</code> — mappings \
like <code>PLO1:3; PLO2:1</code> (strength 1–3)</li>
</ul>";

fn page(signed: &SignedIn, kind: ImportKind) -> ImportPage {
    let importing = Importing {
        title: "Import from CSV",
        back: None,
        intro: INTRO.to_owned(),
        check_action: "/academics/import".to_owned(),
        commit_action: "/academics/import/commit".to_owned(),
        file: FileField::csv(),
        choice: Some(Choice {
            name: "kind",
            label: "What",
            options: vec![("programs", "Programs"), ("courses", "Courses"), ("clos", "CLOs")],
            selected: kind.as_str().to_owned(),
        }),
        one_step: false,
        aside: None,
    };
    ImportPage::new(Page::new("Import from CSV", &signed.ctx), importing)
}

fn preview_of(checked: &Preview) -> crate::import::Preview {
    crate::import::Preview::of(&checked.checked, &checked.columns, Clone::clone, "Import")
}

#[derive(Deserialize)]
struct KindQuery {
    kind: Option<String>,
}

async fn show(signed: SignedIn, Query(q): Query<KindQuery>) -> Result<Response, HtmlError> {
    let actor = &signed.actor;
    if !qobe_app::authz::manage_structure(actor) && !qobe_app::authz::import_clos(actor) {
        return Err(qobe_app::AppError::Forbidden.into());
    }
    let kind = ImportKind::parse(q.kind.as_deref().unwrap_or("courses")).unwrap_or(ImportKind::Courses);
    Ok(render(&page(&signed, kind)))
}

async fn preview(State(state): State<AppState>, signed: SignedIn, multipart: Multipart) -> Result<Response, HtmlError> {
    let upload = Upload::read(multipart).await?;
    let kind = ImportKind::parse(upload.text("kind").unwrap_or("courses"))?;
    let csv_text = match upload.csv("file") {
        Ok(text) => text,
        Err(err) => return Ok(page(&signed, kind).unreadable(Upload::problem(err)?)),
    };
    let checked = import::preview(&state.app, &signed.actor, kind, csv_text.as_bytes()).await?;
    Ok(page(&signed, kind).checked(preview_of(&checked), csv_text))
}

#[derive(Deserialize)]
struct CommitForm {
    kind: String,
    csv_text: String,
}

async fn commit(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(form): Form<CommitForm>,
) -> Result<Response, HtmlError> {
    let kind = ImportKind::parse(&form.kind)?;
    match import::import(&state.app, &signed.actor, kind, form.csv_text.as_bytes(), &signed.ctx.client).await? {
        Ok(count) => {
            let to = if kind == ImportKind::Programs { "/admin/structure" } else { "/academics/courses" };
            Ok(done(&state, to, &format!("Imported {count} {}.", kind.as_str())))
        }
        Err(checked) => Ok(page(&signed, kind).checked(preview_of(&checked), form.csv_text)),
    }
}
