//! The course file of an offering: one printable page, narrative edited in place.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use qobe_app::AppError;
use qobe_app::assessment::course_file::{self, CourseFile};
use qobe_domain::ids::OfferingId;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::routes::{done, percent, refused, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assessment/offerings/{id}/course-file", get(show).post(save))
        .route("/assessment/offerings/{id}/course-file.pdf", get(pdf))
}

#[derive(Template)]
#[template(path = "assessment/course_file.html")]
struct CourseFilePage {
    page: Page,
    file: CourseFile,
    chart: String,
}

impl CourseFilePage {
    fn percent(&self, value: &Option<f64>) -> String {
        percent(value)
    }

    fn figure(&self, value: &Option<f64>) -> String {
        self.file.figure(*value)
    }

    fn target(&self, value: &f64) -> String {
        self.file.figure(Some(*value))
    }

    fn number(&self, value: &f64) -> String {
        qobe_app::assessment::marks::display_number(*value)
    }

    fn plos_of(&self, index: &usize) -> String {
        self.file.clo_plos[*index].iter().map(|(code, s)| format!("{code} ({s})")).collect::<Vec<_>>().join(", ")
    }

    fn plan(&self) -> &qobe_app::assessment::plan::PlanView {
        &self.file.plan
    }
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let file = course_file::view(&state.app, &signed.actor, OfferingId(id)).await?;
    let chart = file.attainment_chart();
    let o = &file.plan.offering;
    let title = format!("Course file — {} {} section {}", o.course.code, o.term.code, o.offering.section);
    Ok(render(&CourseFilePage {
        page: Page::new(&title, &signed.ctx).in_offering(&file.plan.offering, true),
        file,
        chart,
    }))
}

async fn save(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: crate::forms::Submitted<course_file::NarrativeInput>,
) -> Result<Response, HtmlError> {
    let to = format!("/assessment/offerings/{id}/course-file");
    match course_file::save_narrative(&state.app, &signed.actor, OfferingId(id), &form.input, &signed.ctx.client).await
    {
        Ok(()) => Ok(done(&state, &to, "Course file saved.")),
        Err(err @ (AppError::Refused(_) | AppError::Invalid(_))) => Ok(refused(&state, &to, &err.to_string())),
        Err(err) => Err(err.into()),
    }
}

async fn pdf(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    use axum::response::IntoResponse;
    let bytes = course_file::pdf(&state.app, &signed.actor, OfferingId(id)).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"course-file-{id}.pdf\"")),
        ],
        bytes,
    )
        .into_response())
}
