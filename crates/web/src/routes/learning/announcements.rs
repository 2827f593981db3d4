//! Announcements' pages: an offering's (its class reads them, its editors post), and the
//! person's own list of everything announced to them with the institution's form for admins.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::learning::announcements::{self, AnnouncementInput, Shown};
use qobe_domain::ids::{AnnouncementId, OfferingId};

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/learning/offerings/{id}/announcements", get(of_offering).post(post_to_offering))
        .route("/learning/announcements", get(mine).post(post_to_institution))
        .route("/learning/announcements/{id}/delete", post(delete))
}

#[derive(Template)]
#[template(path = "learning/announcements.html")]
struct AnnouncementsPage {
    page: Page,
    list: Vec<Shown>,
    /// Where the form posts, when the person may post here.
    post_to: Option<String>,
    form: FormState,
    /// On an offering's page.
    in_offering: bool,
}

impl AnnouncementsPage {
    fn html(&self, markdown: &str) -> String {
        crate::markdown::to_html(markdown)
    }
}

async fn offering_page(
    state: &AppState,
    signed: &SignedIn,
    id: OfferingId,
    form: FormState,
) -> Result<AnnouncementsPage, HtmlError> {
    let (view, viewer) = qobe_app::learning::viewer(&state.app, &signed.actor, id).await?;
    let list = announcements::of_offering(&state.app, &signed.actor, id).await?;
    let title = format!("Announcements · {} {}", view.course.code, view.term.code);
    Ok(AnnouncementsPage {
        page: Page::new(&title, &signed.ctx).in_offering_as(&view, !viewer.is_student(), true),
        list,
        post_to: viewer.edits().then(|| format!("/learning/offerings/{}/announcements", id.0)),
        form,
        in_offering: true,
    })
}

async fn of_offering(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    Ok(render(&offering_page(&state, &signed, OfferingId(id), FormState::new()).await?))
}

async fn post_to_offering(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<AnnouncementInput>,
) -> Result<Response, HtmlError> {
    let to = Some(OfferingId(id));
    match announcements::post(&state.app, &signed.actor, to, &form.input, &signed.ctx.client).await {
        Ok(_) => Ok(done(
            &state,
            &format!("/learning/offerings/{id}/announcements"),
            "Announcement posted; it is emailed to the class.",
        )),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&offering_page(&state, &signed, OfferingId(id), kept).await?))
        }
    }
}

async fn own_page(state: &AppState, signed: &SignedIn, form: FormState) -> Result<AnnouncementsPage, HtmlError> {
    Ok(AnnouncementsPage {
        page: Page::new("Announcements", &signed.ctx),
        list: announcements::mine(&state.app, &signed.actor, 100, true).await?,
        post_to: qobe_app::authz::manage_settings(&signed.actor).then(|| "/learning/announcements".to_owned()),
        form,
        in_offering: false,
    })
}

async fn mine(State(state): State<AppState>, signed: SignedIn) -> Result<Response, HtmlError> {
    Ok(render(&own_page(&state, &signed, FormState::new()).await?))
}

async fn post_to_institution(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<AnnouncementInput>,
) -> Result<Response, HtmlError> {
    match announcements::post(&state.app, &signed.actor, None, &form.input, &signed.ctx.client).await {
        Ok(_) => Ok(done(&state, "/learning/announcements", "Announcement posted to everyone; it is emailed to them.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&own_page(&state, &signed, kept).await?))
        }
    }
}

async fn delete(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let gone = announcements::delete(&state.app, &signed.actor, AnnouncementId(id), &signed.ctx.client).await?;
    let back = match gone.offering_id {
        Some(offering) => format!("/learning/offerings/{offering}/announcements"),
        None => "/learning/announcements".to_owned(),
    };
    Ok(done(&state, &back, "Announcement deleted."))
}
