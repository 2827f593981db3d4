//! Course offerings: list by term, create, edit, assign instructors.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::academics::courses::Course;
use qobe_app::academics::offerings::{self, OfferingInput, OfferingView};
use qobe_app::academics::terms::Term;
use qobe_app::accounts::EmailInput;
use qobe_domain::ids::{OfferingId, TermId};
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, render, render_invalid};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/academics/offerings", get(list).post(create))
        .route("/academics/offerings/{id}", get(show).post(update))
        .route("/academics/offerings/{id}/instructors", post(add_instructor))
}

#[derive(Template)]
#[template(path = "academics/offerings.html")]
struct OfferingsPage {
    page: Page,
    offerings: Vec<OfferingView>,
    terms: Vec<Term>,
    courses: Vec<Course>,
    term: Option<i64>,
    form: FormState,
    /// May offer courses (and so sees the form).
    can_create: bool,
}

impl OfferingsPage {
    /// The term shown (0: none).
    fn chosen_term(&self) -> i64 {
        self.term.unwrap_or(0)
    }
}

#[derive(Deserialize, Default)]
struct TermFilter {
    term: Option<i64>,
}

async fn list_page(
    state: &AppState,
    signed: &SignedIn,
    term: Option<i64>,
    form: FormState,
) -> Result<OfferingsPage, HtmlError> {
    let app = &state.app;
    let terms = qobe_app::academics::terms::list(app, &signed.actor).await?;
    let term = term.or_else(|| terms.first().map(|t| t.id));
    let offerings = offerings::list(app, &signed.actor, term.map(TermId)).await?;
    let courses = qobe_app::academics::courses::list(app, &signed.actor, "").await?;
    let can_create = qobe_app::authz::manage_structure(&signed.actor);
    Ok(OfferingsPage { page: Page::new("Offerings", &signed.ctx), offerings, terms, courses, term, form, can_create })
}

async fn list(
    State(state): State<AppState>,
    signed: SignedIn,
    Query(filter): Query<TermFilter>,
) -> Result<Response, HtmlError> {
    let form = FormState::new()
        .set("section", "A")
        .set("capacity", "40")
        .set("term", &filter.term.map(|t| t.to_string()).unwrap_or_default());
    Ok(render(&list_page(&state, &signed, filter.term, form).await?))
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    form: Submitted<OfferingInput>,
) -> Result<Response, HtmlError> {
    match offerings::create(&state.app, &signed.actor, &form.input, &signed.ctx.client).await {
        Ok(o) => Ok(done(&state, &format!("/academics/offerings/{}", o.id), "Offering created.")),
        Err(err) => {
            let term = form.input.term.parse().ok();
            Ok(render_invalid(&list_page(&state, &signed, term, form.typed.absorb(err)?).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "academics/offering.html")]
struct OfferingPage {
    page: Page,
    view: OfferingView,
    class_list: Vec<(qobe_app::registration::Enrollment, qobe_app::registration::Person)>,
    can_record: bool,
    /// May change the offering and assign instructors.
    can_manage: bool,
    /// May open its assessment plan, marks and attainment.
    form: FormState,
    instructor_form: FormState,
}

async fn offering_page(
    state: &AppState,
    signed: &SignedIn,
    id: OfferingId,
    form: Option<FormState>,
    instructor_form: FormState,
) -> Result<OfferingPage, HtmlError> {
    let view = offerings::get(&state.app, &signed.actor, id).await?;
    let form = form.unwrap_or_else(|| {
        let o = &view.offering;
        FormState::new()
            .set("section", &o.section)
            .set("capacity", &o.capacity.to_string())
            .set("room", o.room.as_deref().unwrap_or(""))
            .set("online", if o.online { "on" } else { "" })
            .set("schedule", &o.schedule)
            .set("requires_approval", if o.requires_approval { "on" } else { "" })
    });
    let title = format!("{} {} section {}", view.course.code, view.term.code, view.offering.section);
    let class_list = qobe_app::registration::class_list(&state.app, &signed.actor, id).await.unwrap_or_default();
    let actor = &signed.actor;
    let can_record = qobe_app::authz::manage_registrations(actor);
    let can_manage = qobe_app::authz::manage_structure(actor);
    let staff = qobe_app::assessment::access_to(actor, &view).is_some();
    let learner = staff || qobe_app::learning::viewer(&state.app, actor, id).await.is_ok();
    Ok(OfferingPage {
        page: Page::new(&title, &signed.ctx).in_offering_as(&view, staff, learner),
        view,
        class_list,
        can_record,
        can_manage,
        form,
        instructor_form,
    })
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    Ok(render(&offering_page(&state, &signed, OfferingId(id), None, FormState::new()).await?))
}

async fn update(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<OfferingInput>,
) -> Result<Response, HtmlError> {
    match offerings::update(&state.app, &signed.actor, OfferingId(id), &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, &format!("/academics/offerings/{id}"), "Offering saved.")),
        Err(err) => Ok(render_invalid(
            &offering_page(&state, &signed, OfferingId(id), Some(form.typed.absorb(err)?), FormState::new()).await?,
        )),
    }
}

async fn add_instructor(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<EmailInput>,
) -> Result<Response, HtmlError> {
    match offerings::add_instructor(&state.app, &signed.actor, OfferingId(id), &form.input, &signed.ctx.client).await {
        Ok(()) => Ok(done(&state, &format!("/academics/offerings/{id}"), "Instructor assigned.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            Ok(render_invalid(&offering_page(&state, &signed, OfferingId(id), None, kept).await?))
        }
    }
}
