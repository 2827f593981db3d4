//! The question bank's pages: an offering's course bank by category, with the form that writes
//! a question of any type (its options a line each), and a question's edit form. Saving a
//! corrected question regrades the attempts that drew it.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use qobe_app::AppError;
use qobe_app::quizzes::bank::{self, Bank, QuestionInput};
use qobe_app::quizzes::scoring::body_of;
use qobe_domain::ids::OfferingId;
use qobe_domain::quizzes::authoring::{self, Written};
use qobe_domain::quizzes::questions::KINDS;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::FormState;
use crate::routes::{done, render, render_with};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quizzes/offerings/{id}/bank", get(show).post(create))
        .route("/quizzes/offerings/{id}/questions/{question}", get(edit_form).post(edit))
}

#[derive(Template)]
#[template(path = "quizzes/bank.html")]
struct BankPage {
    page: Page,
    bank: Bank,
    form: FormState,
    kinds: [(&'static str, &'static str); 8],
    /// The question being edited, if any.
    editing: Option<i64>,
}

impl BankPage {
    fn html(&self, text: &str) -> String {
        crate::markdown::to_html(text)
    }

    fn kind_label(&self, kind: &str) -> &'static str {
        KINDS.iter().find(|(k, _)| *k == kind).map_or("Question", |(_, label)| label)
    }

    fn number(&self, value: &f64) -> String {
        qobe_app::assessment::marks::display_number(*value)
    }

    fn clo_code(&self, clo: &Option<i64>) -> String {
        clo.and_then(|id| self.bank.clos.iter().find(|c| c.id == id)).map(|c| c.code.clone()).unwrap_or_default()
    }

    fn action(&self) -> String {
        let offering = self.bank.offering.offering.id;
        match self.editing {
            Some(question) => format!("/quizzes/offerings/{offering}/questions/{question}"),
            None => format!("/quizzes/offerings/{offering}/bank"),
        }
    }
}

async fn bank_page(
    state: &AppState,
    signed: &SignedIn,
    id: OfferingId,
    form: FormState,
    editing: Option<i64>,
) -> Result<BankPage, HtmlError> {
    let bank = bank::bank(&state.app, &signed.actor, id).await?;
    let title = format!("Question bank · {}", bank.offering.course.code);
    let page = Page::new(&title, &signed.ctx).in_offering_as(&bank.offering, true, true);
    Ok(BankPage { page, bank, form, kinds: KINDS, editing })
}

async fn show(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let form = FormState::new().set("kind", "single_choice").set("points", "1");
    Ok(render(&bank_page(&state, &signed, OfferingId(id), form, None).await?))
}

/// Reads the question form into the input the API takes as JSON; a body that cannot be read
/// names its field.
fn question_input(pairs: &[(String, String)]) -> Result<QuestionInput, AppError> {
    let value = |key: &str| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
    let written = Written {
        kind: value("kind"),
        lines: value("lines"),
        answer: value("answer"),
        tolerance: value("tolerance"),
        truth: value("truth"),
        case_sensitive: !value("case_sensitive").is_empty(),
    };
    let body = authoring::read(&written).map_err(|(field, message)| AppError::field(field, message))?;
    let points = match value("points").trim() {
        "" => None,
        raw => Some(raw.parse::<f64>().map_err(|_| AppError::field("points", "must be a number from 0 to 1000"))?),
    };
    Ok(QuestionInput {
        category: value("category"),
        tags: value("tags"),
        clo: value("clo").trim().parse().ok(),
        prompt: value("prompt"),
        points,
        body,
    })
}

async fn create(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    let made = match question_input(&pairs) {
        Ok(input) => bank::create(&state.app, &signed.actor, OfferingId(id), &input, &signed.ctx.client).await,
        Err(err) => Err(err),
    };
    match made {
        Ok(question) => {
            Ok(done(&state, &format!("/quizzes/offerings/{id}/bank#question-{}", question.id), "Question added."))
        }
        Err(err) => {
            let kept = FormState::from_pairs(&pairs).absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &bank_page(&state, &signed, OfferingId(id), kept, None).await?))
        }
    }
}

async fn edit_form(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, question)): Path<(i64, i64)>,
) -> Result<Response, HtmlError> {
    let (found, _) = bank::question(&state.app, &signed.actor, OfferingId(id), question).await?;
    let written = authoring::write(&body_of(&found)?);
    let form = FormState::new()
        .set("kind", &written.kind)
        .set("lines", &written.lines)
        .set("answer", &written.answer)
        .set("tolerance", &written.tolerance)
        .set("truth", &written.truth)
        .set("case_sensitive", if written.case_sensitive { "on" } else { "" })
        .set("prompt", &found.prompt)
        .set("category", &found.category)
        .set("tags", &found.tags)
        .set("clo", &found.clo_id.map(|c| c.to_string()).unwrap_or_default())
        .set("points", &qobe_app::assessment::marks::display_number(found.points));
    Ok(render(&bank_page(&state, &signed, OfferingId(id), form, Some(question)).await?))
}

async fn edit(
    State(state): State<AppState>,
    signed: SignedIn,
    Path((id, question)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    let saved = match question_input(&pairs) {
        Ok(input) => {
            bank::update(&state.app, &signed.actor, OfferingId(id), question, &input, &signed.ctx.client).await
        }
        Err(err) => Err(err),
    };
    match saved {
        Ok(regraded) => {
            let words = match regraded {
                0 => "Question saved.".to_owned(),
                n => format!(
                    "Question saved; {n} attempt{} regraded and their marks updated.",
                    if n == 1 { "" } else { "s" }
                ),
            };
            Ok(done(&state, &format!("/quizzes/offerings/{id}/bank#question-{question}"), &words))
        }
        Err(err) => {
            let kept = FormState::from_pairs(&pairs).absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &bank_page(&state, &signed, OfferingId(id), kept, Some(question)).await?))
        }
    }
}
