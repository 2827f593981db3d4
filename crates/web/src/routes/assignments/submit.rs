//! Handing in: the form's text and files, read field by field with each file streamed into the
//! file store as it arrives (refused by type before its first byte, and at the assignment's
//! largest file); a refused hand-in keeps nothing. Also a submission's files, for its student
//! and the offering's staff.

use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::AppError;
use qobe_app::assignments::submit::{self as handing, SubmissionInput};
use qobe_app::files::Received;
use qobe_domain::ids::{AssignmentId, FileId, SubmissionId};

use super::student_page;
use crate::AppState;
use crate::context::SignedIn;
use crate::download::{Show, send};
use crate::error::HtmlError;
use crate::forms::FormState;
use crate::routes::{done, render_with};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assignments/{id}/submissions", post(hand_in))
        .route("/assignments/submissions/{id}/files/{file}", get(submission_file))
        .route("/assignments/{id}/hand-ins.zip", get(every_hand_in))
}

/// Every student's latest hand-in as one ZIP, for the offering's staff.
async fn every_hand_in(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    let bundle = qobe_app::assignments::bundle::hand_ins(&state.app, &signed.actor, AssignmentId(id)).await?;
    Ok(crate::download::zip(&state, &bundle.name, bundle.entries))
}

async fn read(
    state: &AppState,
    target: &handing::SubmitTarget,
    mut multipart: Multipart,
    input: &mut SubmissionInput,
    received: &mut Vec<Received>,
) -> Result<(), AppError> {
    let unreadable = |_| AppError::field("files", "could not be read whole: send the form again");
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) if !file_name.is_empty() && name == "files" => {
                received.push(handing::receive(&state.app, target, &file_name, Box::pin(field)).await?);
            }
            Some(_) => {}
            None if name == "body" => input.body = field.text().await.map_err(unreadable)?,
            None => {}
        }
    }
    Ok(())
}

async fn hand_in(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, HtmlError> {
    let id = AssignmentId(id);
    let mut input = SubmissionInput::default();
    let mut received = Vec::new();
    let made = match handing::target(&state.app, &signed.actor, id).await {
        Ok(target) => match read(&state, &target, multipart, &mut input, &mut received).await {
            Ok(()) => handing::submit(&state.app, &signed.actor, id, &input, &received, &signed.ctx.client).await,
            Err(err) => Err(err),
        },
        Err(err) => Err(err),
    };
    match made {
        Ok(version) => {
            let words = if version.units_late > 0 { "Handed in, late." } else { "Handed in." };
            Ok(done(&state, &format!("/assignments/{}#versions", id.0), words))
        }
        Err(err) => {
            for file in received {
                qobe_app::files::drop_received(&state.app, file).await?;
            }
            let kept = FormState::new().set("body", &input.body).absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &student_page(&state, &signed, id, kept).await?))
        }
    }
}

async fn submission_file(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, file)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, HtmlError> {
    let stored = handing::file(&state.app, &signed.actor, SubmissionId(id), FileId(file)).await?;
    let show = if qobe_app::learning::shown_inline(&stored.content_type) { Show::Inline } else { Show::Attachment };
    send(&state, &stored, &headers, show, 0).await
}
