//! Assignments' pages under `/assignments/…`: an offering's list (with the form that makes an
//! assessment of the plan an assignment), an assignment as its student sees it (deadline,
//! versions, the hand-in form, released marks) or as staff see it (every student's standing,
//! extensions, release), its settings, the grading view ([`grade`]) and hand-ins ([`submit`]).

mod grade;
mod submit;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::assignments::grading::{self, Overview};
use qobe_app::assignments::submit::{self as handing, MyWork};
use qobe_app::assignments::{self, Assignment, AssignmentInput, ExtensionInput, Listing};
use qobe_domain::assignments::{Deadline, LateUnit, Taken};
use qobe_domain::ids::{AssignmentId, OfferingId};

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, render, render_with};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assignments/offerings/{id}", get(list).post(create))
        .route("/assignments/{id}", get(show))
        .route("/assignments/{id}/edit", get(edit_form).post(edit))
        .route("/assignments/{id}/extensions", post(extend))
        .route("/assignments/{id}/release", post(release))
        .merge(submit::router())
        .merge(grade::router())
}

/// Words for a deadline in the viewer's zone.
fn due_words(page: &Page, deadline: &Deadline) -> String {
    match deadline.cutoff {
        Some(cutoff) => format!("due {}, nothing taken after {}", page.local(&deadline.due), page.local(&cutoff)),
        None => format!("due {}", page.local(&deadline.due)),
    }
}

fn late_words(assignment: &Assignment) -> String {
    if assignment.late_percent <= 0.0 {
        return "no penalty for late work".into();
    }
    let unit = LateUnit::parse(&assignment.late_unit).unwrap_or(LateUnit::Day).as_str();
    format!("{}% off per {unit} late", qobe_app::assessment::marks::display_number(assignment.late_percent))
}

#[derive(Template)]
#[template(path = "assignments/list.html")]
struct ListPage {
    page: Page,
    listing: Listing,
    form: FormState,
    units: [LateUnit; 2],
}

impl ListPage {
    fn due(&self, assignment: &Assignment) -> String {
        let deadline =
            self.listing.due.get(&assignment.id).copied().unwrap_or_else(|| assignments::deadline(assignment));
        due_words(&self.page, &deadline)
    }

    fn late(&self, assignment: &Assignment) -> String {
        late_words(assignment)
    }

    fn handed(&self, assignment: &Assignment) -> Option<&qobe_app::assignments::Submission> {
        self.listing.handed_in.get(&assignment.id)
    }
}

async fn list_page(
    state: &AppState,
    signed: &SignedIn,
    id: OfferingId,
    form: FormState,
) -> Result<ListPage, HtmlError> {
    let listing = assignments::list(&state.app, &signed.actor, id).await?;
    let title = format!("Assignments · {} {}", listing.offering.course.code, listing.offering.term.code);
    let page = Page::new(&title, &signed.ctx).in_offering_as(&listing.offering, !listing.viewer.is_student(), true);
    Ok(ListPage { page, listing, form, units: LateUnit::ALL })
}

async fn list(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let form = FormState::new().set("accepts_files", "on").set("accepts_text", "on");
    Ok(render(&list_page(&state, &signed, OfferingId(id), form).await?))
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<AssignmentInput>,
) -> Result<Response, HtmlError> {
    match assignments::create(&state.app, &signed.actor, OfferingId(id), &form.input, &signed.ctx.client).await {
        Ok(made) => Ok(done(&state, &format!("/assignments/{}", made.id), "Assignment made.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &list_page(&state, &signed, OfferingId(id), kept).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "assignments/student.html")]
struct StudentPage {
    page: Page,
    work: MyWork,
    form: FormState,
}

impl StudentPage {
    fn due(&self) -> String {
        due_words(&self.page, &self.work.deadline)
    }

    fn late(&self) -> String {
        late_words(&self.work.assignment)
    }

    fn html(&self, text: &str) -> String {
        crate::markdown::to_html(text)
    }

    fn open(&self) -> bool {
        self.work.may.is_ok()
    }

    fn late_now(&self) -> bool {
        self.work.may == Ok(Taken::Late)
    }

    fn refusal(&self) -> String {
        self.work.may.clone().err().unwrap_or_default()
    }

    fn percent(&self, share: &f64) -> String {
        qobe_app::assessment::marks::display_number(share * 100.0)
    }

    fn types(&self) -> String {
        let types = assignments::file_types(&self.work.assignment);
        if types.is_empty() { "any type".into() } else { types.join(", ") }
    }

    fn accept(&self) -> String {
        assignments::file_types(&self.work.assignment).iter().map(|t| format!(".{t}")).collect::<Vec<_>>().join(",")
    }

    fn size(&self, bytes: &i64) -> String {
        qobe_app::files::amount(u64::try_from(*bytes).unwrap_or(0))
    }
}

async fn student_page(
    state: &AppState,
    signed: &SignedIn,
    id: AssignmentId,
    form: FormState,
) -> Result<StudentPage, HtmlError> {
    let work = handing::mine(&state.app, &signed.actor, id).await?;
    let page = Page::new(&work.assignment.title, &signed.ctx).in_offering_as(&work.offering, false, true);
    Ok(StudentPage { page, work, form })
}

#[derive(Template)]
#[template(path = "assignments/overview.html")]
struct OverviewPage {
    page: Page,
    overview: Overview,
    form: FormState,
}

impl OverviewPage {
    fn due(&self) -> String {
        due_words(&self.page, &assignments::deadline(&self.overview.assignment))
    }

    fn late(&self) -> String {
        late_words(&self.overview.assignment)
    }

    fn html(&self, text: &str) -> String {
        crate::markdown::to_html(text)
    }

    fn own_due(&self, line: &grading::Line) -> String {
        due_words(&self.page, &grading::deadline_of(&self.overview.assignment, line))
    }

    fn hidden(&self) -> bool {
        assignments::names_hidden(&self.overview.assignment)
    }

    fn submitted(&self) -> usize {
        self.overview.lines.iter().filter(|l| l.latest.is_some()).count()
    }

    fn graded(&self) -> usize {
        self.overview.lines.iter().filter(|l| l.graded).count()
    }
}

async fn overview_page(
    state: &AppState,
    signed: &SignedIn,
    id: AssignmentId,
    form: FormState,
) -> Result<OverviewPage, HtmlError> {
    let overview = grading::overview(&state.app, &signed.actor, id).await?;
    let page = Page::new(&overview.assignment.title, &signed.ctx).in_offering_as(&overview.offering, true, true);
    Ok(OverviewPage { page, overview, form })
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let id = AssignmentId(id);
    match overview_page(&state, &signed, id, FormState::new()).await {
        Ok(page) => Ok(render(&page)),
        Err(HtmlError(qobe_app::AppError::Forbidden)) => {
            Ok(render(&student_page(&state, &signed, id, FormState::new()).await?))
        }
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "assignments/form.html")]
struct FormPage {
    page: Page,
    assignment: Assignment,
    form: FormState,
    units: [LateUnit; 2],
}

async fn form_page(
    state: &AppState,
    signed: &SignedIn,
    id: AssignmentId,
    form: Option<FormState>,
) -> Result<FormPage, HtmlError> {
    let overview = grading::overview(&state.app, &signed.actor, id).await?;
    if !overview.edits {
        return Err(qobe_app::AppError::Forbidden.into());
    }
    let assignment = overview.assignment;
    let form = form.unwrap_or_else(|| FormState::of(&assignments::input_of(&assignment, signed.actor.zone())));
    let page = Page::new(&format!("Settings · {}", assignment.title), &signed.ctx).in_offering_as(
        &overview.offering,
        true,
        true,
    );
    Ok(FormPage { page, assignment, form, units: LateUnit::ALL })
}

async fn edit_form(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    Ok(render(&form_page(&state, &signed, AssignmentId(id), None).await?))
}

async fn edit(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<AssignmentInput>,
) -> Result<Response, HtmlError> {
    match assignments::update(&state.app, &signed.actor, AssignmentId(id), &form.input, &signed.ctx.client).await {
        Ok(_) => Ok(done(&state, &format!("/assignments/{id}"), "Assignment saved.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &form_page(&state, &signed, AssignmentId(id), Some(kept)).await?))
        }
    }
}

async fn extend(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<ExtensionInput>,
) -> Result<Response, HtmlError> {
    match assignments::extend(&state.app, &signed.actor, AssignmentId(id), &form.input, &signed.ctx.client).await {
        Ok(_) => Ok(done(&state, &format!("/assignments/{id}#students"), "Extension granted.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &overview_page(&state, &signed, AssignmentId(id), kept).await?))
        }
    }
}

async fn release(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    assignments::release(&state.app, &signed.actor, AssignmentId(id), &signed.ctx.client).await?;
    Ok(done(&state, &format!("/assignments/{id}"), "Marks and feedback released to the students."))
}
