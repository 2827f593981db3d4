//! A course's question bank, kept by the editors of its offerings: questions of every type with
//! their category, tags, CLO and points. Correcting a question's key or points regrades every
//! finished attempt that drew it, and the marks grid follows with its history.

use qobe_domain::ids::{CloId, CourseId, OfferingId};
use qobe_domain::quizzes::Body;
use qobe_domain::validation::{optional_text, required_text};
use qobe_store::academics::outcomes::Outcome;
use qobe_store::quizzes::{self as rows, QuestionFields};
use serde::{Deserialize, Serialize};

use super::Question;
use crate::academics::offerings::OfferingView;
use crate::learning::viewer;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// A question as written: its type and key in `body`.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    /// Blank: "General".
    #[serde(default)]
    #[schema(max_length = 100)]
    pub category: String,
    /// Comma-separated.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub tags: String,
    /// A CLO of the course.
    #[serde(default, deserialize_with = "qobe_domain::whole::optional")]
    pub clo: Option<i64>,
    /// Markdown.
    #[schema(max_length = 20000)]
    pub prompt: String,
    /// Blank: 1.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1000)]
    pub points: Option<f64>,
    pub body: Body,
}

/// The bank as its course's staff see it.
pub struct Bank {
    pub offering: OfferingView,
    pub edits: bool,
    pub questions: Vec<Question>,
    /// (category, how many questions), by name.
    pub categories: Vec<(String, usize)>,
    pub clos: Vec<Outcome>,
}

/// The offering, when the actor is its staff (students never see the bank).
pub(super) async fn staff_of(app: &App, actor: &Actor, offering: OfferingId) -> AppResult<(OfferingView, bool)> {
    let (view, viewer) = viewer(app, actor, offering).await?;
    if viewer.is_student() {
        return Err(AppError::Forbidden);
    }
    Ok((view, viewer.edits()))
}

pub async fn bank(app: &App, actor: &Actor, offering: OfferingId) -> AppResult<Bank> {
    let (view, edits) = staff_of(app, actor, offering).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let questions = rows::bank(conn, institution, CourseId(view.course.id)).await?;
    let mut categories: Vec<(String, usize)> = Vec::new();
    for question in &questions {
        match categories.iter_mut().find(|(c, _)| *c == question.category) {
            Some(found) => found.1 += 1,
            None => categories.push((question.category.clone(), 1)),
        }
    }
    let clos = current_clos(app, actor, &view).await?;
    Ok(Bank { offering: view, edits, questions, categories, clos })
}

async fn current_clos(app: &App, actor: &Actor, view: &OfferingView) -> AppResult<Vec<Outcome>> {
    let all =
        qobe_store::academics::outcomes::clos_of_courses(app.store.conn(), actor.institution()?, &[view.course.id])
            .await?;
    Ok(all.into_iter().filter(|c| !c.retired).collect())
}

/// One question of the offering's course bank.
pub async fn question(app: &App, actor: &Actor, offering: OfferingId, id: i64) -> AppResult<(Question, bool)> {
    let (view, edits) = staff_of(app, actor, offering).await?;
    let found = rows::question(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    if found.course_id != view.course.id {
        return Err(AppError::NotFound);
    }
    Ok((found, edits))
}

pub(super) async fn check(
    app: &App,
    actor: &Actor,
    view: &OfferingView,
    input: &QuestionInput,
) -> AppResult<QuestionFields> {
    let mut errors = qobe_domain::FieldErrors::new();
    let category = match input.category.trim() {
        "" => Some("General".to_owned()),
        raw => errors.check("category", required_text(raw, 100)),
    };
    let tags = errors.check("tags", optional_text(&input.tags, 500)).map(|t| {
        t.unwrap_or_default().split(',').map(str::trim).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(", ")
    });
    let prompt = errors.check("prompt", required_text(&input.prompt, 20_000));
    let points = input.points.unwrap_or(1.0);
    if !(0.0..=1000.0).contains(&points) || !points.is_finite() {
        errors.add("points", "must be a number from 0 to 1000");
    }
    if let Err(message) = input.body.check() {
        errors.refuse("body", message);
    }
    if let Some(clo) = input.clo {
        let found =
            qobe_store::academics::outcomes::clos_by_id(app.store.conn(), actor.institution()?, CloId(clo)).await?;
        if !found.is_some_and(|c| current_clos_contains(view, &c)) {
            errors.refuse("clo", "choose a CLO of this course");
        }
    }
    match (category, tags, prompt) {
        (Some(category), Some(tags), Some(prompt)) if errors.is_empty() => Ok(QuestionFields {
            category,
            tags,
            clo: input.clo,
            kind: input.body.kind().to_owned(),
            prompt,
            body: serde_json::to_string(&input.body).map_err(|e| AppError::Internal(e.to_string()))?,
            points,
        }),
        _ => Err(errors.into()),
    }
}

/// Whether a CLO is a current one of the offering's course (a CLO's parent is its course).
fn current_clos_contains(view: &OfferingView, clo: &Outcome) -> bool {
    !clo.retired && clo.parent_id == view.course.id
}

/// Adds a question to the offering's course bank.
pub async fn create(
    app: &App,
    actor: &Actor,
    offering: OfferingId,
    input: &QuestionInput,
    client: &ClientInfo,
) -> AppResult<Question> {
    let (view, edits) = staff_of(app, actor, offering).await?;
    if !edits {
        return Err(AppError::Forbidden);
    }
    let fields = check(app, actor, &view, input).await?;
    let tx = app.store.begin().await?;
    let made =
        rows::insert_question(&tx, actor.institution()?, CourseId(view.course.id), &fields, actor.user_id, app.now())
            .await?;
    let target = format!("{} question {}", view.course.code, made.id);
    audit::record(&tx, app, client, audit::Entry::by(actor, "question.created").target(&target)).await?;
    qobe_store::commit(tx).await?;
    Ok(made)
}

/// Changes a question; every finished attempt that drew it is regraded (its marks rewritten with
/// history). Returns how many attempts were regraded.
pub async fn update(
    app: &App,
    actor: &Actor,
    offering: OfferingId,
    id: i64,
    input: &QuestionInput,
    client: &ClientInfo,
) -> AppResult<usize> {
    let (found, edits) = question(app, actor, offering, id).await?;
    if !edits {
        return Err(AppError::Forbidden);
    }
    let (view, _) = staff_of(app, actor, offering).await?;
    let fields = check(app, actor, &view, input).await?;
    let institution = actor.institution()?;
    // Attempts that drew it keep the order they showed its options in, place by place: a
    // correction may change the key and the words, not the type or how many options there are.
    let drawn = rows::attempts_with_question(app.store.conn(), institution, found.id).await?;
    let before = super::scoring::body_of(&found)?;
    if !drawn.is_empty() && (before.kind() != input.body.kind() || before.shuffled_len() != input.body.shuffled_len()) {
        return Err(AppError::refused_field(
            "body",
            format!(
                "{} attempts have drawn this question, so its type and number of options stay as they are: \
                 correct the key or the words, or write a new question",
                drawn.len()
            ),
        ));
    }
    let tx = app.store.begin().await?;
    rows::update_question(&tx, institution, found.id, &fields, app.now()).await?;
    let target = format!("{} question {}", view.course.code, found.id);
    audit::record(&tx, app, client, audit::Entry::by(actor, "question.updated").target(&target)).await?;
    qobe_store::commit(tx).await?;
    super::scoring::regrade_question(app, actor, found.id).await
}
