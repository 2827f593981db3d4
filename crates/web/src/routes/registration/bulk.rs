//! Bulk enrolment from CSV by admins: upload, preview, enrol all or nothing.

use axum::extract::{Multipart, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use qobe_app::registration::bulk::{self, EnrolPreview};
use qobe_domain::roles::Permission;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::import::{FileField, ImportPage, Importing, Preview};
use crate::routes::upload::Upload;
use crate::routes::{done, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/registration/bulk", get(show).post(preview)).route("/registration/bulk/commit", post(commit))
}

fn page(signed: &SignedIn) -> ImportPage {
    let importing = Importing {
        title: "Enrol from a CSV file",
        back: None,
        intro: "<p>The first line names the columns <code>email,course_code,term_code,section</code>. Enrolment by \
                an administrator skips prerequisite, credit-limit and window checks but never goes over a section's \
                capacity. Nothing is written until every row is right.</p>"
            .to_owned(),
        check_action: "/registration/bulk".to_owned(),
        commit_action: "/registration/bulk/commit".to_owned(),
        file: FileField::csv(),
        choice: None,
        one_step: false,
        aside: None,
    };
    ImportPage::new(Page::new("Enrol from a CSV file", &signed.ctx), importing)
}

fn preview_of(checked: &EnrolPreview) -> Preview {
    Preview::of(checked, &["Email", "Class"], |r| vec![r.email.clone(), r.class.clone()], "Enrol")
}

async fn show(signed: SignedIn) -> Result<Response, HtmlError> {
    signed.actor.require(Permission::ManageRegistrations)?;
    Ok(render(&page(&signed)))
}

async fn preview(State(state): State<AppState>, signed: SignedIn, multipart: Multipart) -> Result<Response, HtmlError> {
    let csv_text = match Upload::read(multipart).await?.csv("file") {
        Ok(text) => text,
        Err(err) => return Ok(page(&signed).unreadable(Upload::problem(err)?)),
    };
    let checked = bulk::preview(&state.app, &signed.actor, csv_text.as_bytes()).await?;
    Ok(page(&signed).checked(preview_of(&checked), csv_text))
}

#[derive(Deserialize)]
struct CommitForm {
    csv_text: String,
}

async fn commit(
    State(state): State<AppState>,
    signed: SignedIn,
    Form(form): Form<CommitForm>,
) -> Result<Response, HtmlError> {
    match bulk::enrol(&state.app, &signed.actor, form.csv_text.as_bytes(), &signed.ctx.client).await? {
        Ok(count) => Ok(done(&state, "/registration/bulk", &format!("{count} student registrations made."))),
        Err(checked) => Ok(page(&signed).checked(preview_of(&checked), form.csv_text)),
    }
}
