//! Bulk invitation from a CSV file: upload, preview every row, then import all or nothing.

use axum::extract::{Multipart, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use qobe_app::users::BulkPreview;
use qobe_domain::roles::Permission;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::import::{FileField, ImportPage, Importing, Preview};
use crate::routes::upload::Upload;
use crate::routes::{done, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users/bulk", get(show).post(preview))
        .route("/admin/users/bulk/import", axum::routing::post(import))
}

fn page(signed: &SignedIn) -> ImportPage {
    let importing = Importing {
        title: "Invite from a CSV file",
        back: None,
        intro: "<p>The first line names the columns <code>email,name,role</code> and optionally <code>scope</code>. \
                Roles: institution_admin, qa_officer, program_coordinator, instructor, student, alumnus. Scope: \
                <code>institution</code> (default), <code>department:CODE</code> or <code>program:CODE</code>. \
                Nothing is imported until every row is right.</p>"
            .to_owned(),
        check_action: "/admin/users/bulk".to_owned(),
        commit_action: "/admin/users/bulk/import".to_owned(),
        file: FileField::csv(),
        choice: None,
        one_step: false,
        aside: None,
    };
    ImportPage::new(Page::new("Invite from a CSV file", &signed.ctx), importing)
}

fn preview_of(checked: &BulkPreview) -> Preview {
    Preview::of(
        checked,
        &["Email", "Name", "Role", "Scope"],
        |r| vec![r.email.clone(), r.name.clone(), r.role.clone(), r.scope.clone()],
        "Invite",
    )
}

async fn show(signed: SignedIn) -> Result<Response, HtmlError> {
    signed.actor.require(Permission::ManageUsers)?;
    Ok(render(&page(&signed)))
}

async fn preview(State(state): State<AppState>, signed: SignedIn, multipart: Multipart) -> Result<Response, HtmlError> {
    let csv_text = match Upload::read(multipart).await?.csv("file") {
        Ok(text) => text,
        Err(err) => return Ok(page(&signed).unreadable(Upload::problem(err)?)),
    };
    let checked = qobe_app::users::bulk_preview(&state.app, &signed.actor, csv_text.as_bytes()).await?;
    Ok(page(&signed).checked(preview_of(&checked), csv_text))
}

#[derive(Deserialize)]
struct ImportForm {
    csv_text: String,
}

async fn import(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(form): Form<ImportForm>,
) -> Result<Response, HtmlError> {
    match qobe_app::users::bulk_invite(&state.app, &signed.actor, form.csv_text.as_bytes(), &signed.ctx.client).await? {
        Ok(count) => Ok(done(&state, "/admin/users?sort=newest", &format!("{count} invitation(s) sent."))),
        Err(checked) => Ok(page(&signed).checked(preview_of(&checked), form.csv_text)),
    }
}
