//! Online quizzes (issue 16): a course's question bank ([`bank`]), an offering's quizzes — an
//! assessment of its plan made of sections that each give a fixed or randomly drawn question to
//! one of its items — taken by students within a time limit the server keeps ([`attempts`]),
//! scored automatically (essays by hand) and regraded when a key is corrected; the best attempt's
//! points land on the items in the marks grid with its history, so they are CLO evidence
//! ([`scoring`]); staff read results and item statistics ([`results`]).

pub mod attempts;
pub mod bank;
pub mod qti;
pub mod results;
pub mod scoring;

use qobe_domain::entered::Entered;
use qobe_domain::ids::OfferingId;
use qobe_domain::quizzes::Section;
use qobe_domain::validation::{optional_text, required_text};
use qobe_store::quizzes::{self as rows, QuizFields};
/// A quiz, a question, an attempt, an answer and extra time as stored. A question's row holds
/// its answer key: it is never shown to a student before the quiz closes.
pub use qobe_store::quizzes::{Accommodation, Answer, Attempt, Question, Quiz};
use serde::{Deserialize, Serialize};

use crate::academics::offerings::OfferingView;
use crate::academics::terms::Moment;
use crate::learning::{Viewer, viewer};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// One section of a quiz: a fixed question of the bank, or `count` drawn from a category; its
/// points land on `item`, an item of the quiz's assessment.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionInput {
    #[serde(deserialize_with = "qobe_domain::whole::number")]
    pub item: i64,
    #[serde(default, deserialize_with = "qobe_domain::whole::optional")]
    pub question: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub category: Option<String>,
    /// How many to draw from the category (default 1).
    #[serde(default, deserialize_with = "qobe_domain::whole::optional")]
    #[schema(minimum = 1, maximum = 200)]
    pub count: Option<i64>,
}

/// A quiz's settings. A form sends times in the person's zone; JSON sends RFC 3339.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuizInput {
    /// The assessment of the plan it is (set when it is made; ignored afterwards).
    #[serde(default, deserialize_with = "qobe_domain::whole::optional")]
    pub assessment: Option<i64>,
    #[schema(max_length = 200)]
    pub title: String,
    /// Markdown.
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub instructions: String,
    #[serde(default)]
    #[schema(value_type = Option<chrono::DateTime<chrono::Utc>>)]
    pub opens_at: Option<Moment>,
    #[serde(default)]
    #[schema(value_type = Option<chrono::DateTime<chrono::Utc>>)]
    pub closes_at: Option<Moment>,
    /// Minutes from the start (blank: none).
    #[serde(default)]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 1440)]
    pub time_limit_minutes: Option<Entered<i64>>,
    /// Blank: one.
    #[serde(default)]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 20)]
    pub attempts_allowed: Option<Entered<i64>>,
    /// Questions and options in a different order for each attempt.
    #[serde(default)]
    pub shuffle: bool,
    #[serde(default)]
    pub published: bool,
    #[serde(default)]
    #[schema(max_items = 200)]
    pub sections: Vec<SectionInput>,
}

/// The quiz's sections as stored.
pub fn sections(quiz: &Quiz) -> Vec<Section> {
    serde_json::from_str(&quiz.sections).unwrap_or_default()
}

/// The quiz and how the actor sees its offering; students see only published ones.
pub(crate) async fn reach(app: &App, actor: &Actor, id: i64) -> AppResult<(Quiz, OfferingView, Viewer)> {
    let found = rows::quiz(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    let (view, viewer) = viewer(app, actor, OfferingId(found.offering_id)).await?;
    viewer.finds(found.published)?;
    Ok((found, view, viewer))
}

/// The quiz, when the actor edits its offering.
pub(crate) async fn to_edit(app: &App, actor: &Actor, id: i64) -> AppResult<(Quiz, OfferingView)> {
    let (found, view, viewer) = reach(app, actor, id).await?;
    viewer.must_edit()?;
    Ok((found, view))
}

/// An offering's quizzes as the actor sees them, with the assessments its editors could make one.
pub struct Listing {
    pub offering: OfferingView,
    pub viewer: Viewer,
    pub quizzes: Vec<Quiz>,
    /// (id, name) of assessments that are neither a quiz nor an assignment.
    pub free: Vec<(i64, String)>,
}

pub async fn list(app: &App, actor: &Actor, offering: OfferingId) -> AppResult<Listing> {
    let (view, viewer) = viewer(app, actor, offering).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut quizzes = rows::of_offering(conn, institution, offering).await?;
    if viewer.is_student() {
        quizzes.retain(|q| q.published);
    }
    let free = if viewer.edits() { free_assessments(app, actor, offering).await? } else { Vec::new() };
    Ok(Listing { offering: view, viewer, quizzes, free })
}

/// Assessments of the plan that are neither a quiz nor an assignment yet.
pub(crate) async fn free_assessments(app: &App, actor: &Actor, offering: OfferingId) -> AppResult<Vec<(i64, String)>> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut taken: Vec<i64> =
        rows::of_offering(conn, institution, offering).await?.iter().map(|q| q.assessment_id).collect();
    taken.extend(
        qobe_store::assignments::of_offering(conn, institution, offering).await?.iter().map(|a| a.assessment_id),
    );
    Ok(qobe_store::assessment::plans::assessments(conn, institution, offering)
        .await?
        .into_iter()
        .filter(|a| !taken.contains(&a.id))
        .map(|a| (a.id, a.name))
        .collect())
}

fn whole_number(
    errors: &mut qobe_domain::FieldErrors,
    field: &str,
    raw: Option<&Entered<i64>>,
    range: (i64, i64),
) -> Option<Option<i64>> {
    match raw.map(|r| r.text()).unwrap_or_default().trim() {
        "" => Some(None),
        text => match text.parse::<i64>() {
            Ok(n) if (range.0..=range.1).contains(&n) => Some(Some(n)),
            _ => {
                errors.add(field, format!("must be a whole number from {} to {}", range.0, range.1));
                None
            }
        },
    }
}

/// The settings checked: the assessment free, times in order, each section's item of the
/// assessment and its question or category in the course's bank with enough questions.
async fn check(
    app: &App,
    actor: &Actor,
    offering: &OfferingView,
    input: &QuizInput,
    existing: Option<&Quiz>,
) -> AppResult<(i64, QuizFields)> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let id = OfferingId(offering.offering.id);
    let mut errors = qobe_domain::FieldErrors::new();
    let zone = actor.zone();
    let assessment = match existing {
        Some(found) => Some(found.assessment_id),
        None => match input.assessment {
            None => {
                errors.refuse("assessment", "choose the assessment of the plan this quiz is");
                None
            }
            Some(wanted) if free_assessments(app, actor, id).await?.iter().any(|(a, _)| *a == wanted) => Some(wanted),
            Some(_) => {
                errors.refuse(
                    "assessment",
                    "choose an assessment of this offering's plan that is not a quiz or an assignment yet",
                );
                None
            }
        },
    };
    let title = errors.check("title", required_text(&input.title, 200));
    let instructions = errors.check("instructions", optional_text(&input.instructions, 20_000));
    let moment = |errors: &mut qobe_domain::FieldErrors, field: &str, raw: Option<&Moment>| match raw
        .map(Moment::text)
        .unwrap_or_default()
        .trim()
    {
        "" => Some(None),
        text => crate::academics::parse_moment(errors, field, text, zone).map(Some),
    };
    let opens_at = moment(&mut errors, "opens_at", input.opens_at.as_ref());
    let closes_at = moment(&mut errors, "closes_at", input.closes_at.as_ref());
    if let (Some(Some(opens)), Some(Some(closes))) = (opens_at, closes_at)
        && closes <= opens
    {
        errors.refuse("closes_at", "must be after the opening");
    }
    let limit = whole_number(&mut errors, "time_limit_minutes", input.time_limit_minutes.as_ref(), (1, 1440));
    let attempts = whole_number(&mut errors, "attempts_allowed", input.attempts_allowed.as_ref(), (1, 20));
    let items: Vec<i64> = qobe_store::assessment::plans::items(conn, institution, id)
        .await?
        .into_iter()
        .filter(|i| Some(i.assessment_id) == assessment)
        .map(|i| i.id)
        .collect();
    let bank = qobe_store::quizzes::bank(conn, institution, qobe_domain::ids::CourseId(offering.course.id)).await?;
    let mut sections = Vec::new();
    if input.sections.is_empty() && input.published {
        errors.refuse("published", "add at least one question before publishing");
    }
    for (n, section) in input.sections.iter().enumerate() {
        let field = format!("section-{}", n + 1);
        if assessment.is_some() && !items.contains(&section.item) {
            errors.refuse(&field, format!("section {}: choose an item of this quiz's assessment", n + 1));
            continue;
        }
        let category = section.category.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
        match (section.question, &category) {
            (Some(question), _) if !bank.iter().any(|q| q.id == question) => {
                errors.refuse(&field, format!("section {}: question {question} is not in this course's bank", n + 1));
            }
            (None, None) => errors.refuse(&field, format!("section {}: choose a question or a category", n + 1)),
            _ => {}
        }
        let count = match (section.question, section.count) {
            (Some(_), _) | (None, None) => 1,
            (None, Some(count)) if (1..=200).contains(&count) => count as usize,
            (None, Some(_)) => {
                errors.refuse(&field, format!("section {}: draw from 1 to 200 questions", n + 1));
                continue;
            }
        };
        sections.push(Section {
            item: section.item,
            question: section.question,
            category: category.filter(|_| section.question.is_none()),
            count,
        });
    }
    if errors.is_empty() {
        // A draw that cannot be made now is refused now, not when a student starts.
        let candidates = scoring::candidates(&bank);
        if let Err(message) = qobe_domain::quizzes::draw(0, &sections, &candidates, false) {
            errors.refuse("sections", message);
        }
    }
    match (assessment, title, instructions, opens_at, closes_at, limit, attempts) {
        (
            Some(assessment),
            Some(title),
            Some(instructions),
            Some(opens_at),
            Some(closes_at),
            Some(limit),
            Some(attempts),
        ) if errors.is_empty() => {
            let fields = QuizFields {
                title,
                instructions: instructions.unwrap_or_default(),
                opens_at,
                closes_at,
                time_limit_minutes: limit,
                attempts_allowed: attempts.unwrap_or(1),
                shuffle: input.shuffle,
                published: input.published,
                sections: serde_json::to_string(&sections).map_err(|e| AppError::Internal(e.to_string()))?,
            };
            Ok((assessment, fields))
        }
        _ => Err(errors.into()),
    }
}

/// Makes an assessment of the plan a quiz (its offering's editors).
pub async fn create(
    app: &App,
    actor: &Actor,
    offering: OfferingId,
    input: &QuizInput,
    client: &ClientInfo,
) -> AppResult<Quiz> {
    let (view, viewer) = viewer(app, actor, offering).await?;
    if !viewer.edits() {
        return Err(AppError::Forbidden);
    }
    let (assessment, fields) = check(app, actor, &view, input, None).await?;
    let tx = app.store.begin().await?;
    let made =
        rows::insert_quiz(&tx, actor.institution()?, offering, assessment, &fields, actor.user_id, app.now()).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "quiz.created").target(&made.title)).await?;
    qobe_store::commit(tx).await?;
    Ok(made)
}

/// Changes a quiz's settings. Attempts already started keep the questions they drew.
pub async fn update(app: &App, actor: &Actor, id: i64, input: &QuizInput, client: &ClientInfo) -> AppResult<Quiz> {
    let (found, view) = to_edit(app, actor, id).await?;
    let (_, fields) = check(app, actor, &view, input, Some(&found)).await?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    rows::update_quiz(&tx, institution, id, &fields).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "quiz.updated").target(&fields.title)).await?;
    qobe_store::commit(tx).await?;
    rows::quiz(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)
}

/// The items of the quiz's assessment, which its sections give their points to (its editors).
pub async fn items_of(app: &App, actor: &Actor, quiz: &Quiz) -> AppResult<Vec<qobe_store::rows::AssessmentItem>> {
    to_edit(app, actor, quiz.id).await?;
    let items =
        qobe_store::assessment::plans::items(app.store.conn(), actor.institution()?, OfferingId(quiz.offering_id))
            .await?;
    Ok(items.into_iter().filter(|i| i.assessment_id == quiz.assessment_id).collect())
}

/// The settings as an input, for the edit form (times in the person's zone).
pub fn input_of(quiz: &Quiz, zone: chrono_tz::Tz) -> QuizInput {
    let local =
        |at: chrono::DateTime<chrono::Utc>| Entered::Text(at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string());
    QuizInput {
        assessment: Some(quiz.assessment_id),
        title: quiz.title.clone(),
        instructions: quiz.instructions.clone(),
        opens_at: quiz.opens_at.map(local),
        closes_at: quiz.closes_at.map(local),
        time_limit_minutes: quiz.time_limit_minutes.map(Entered::Value),
        attempts_allowed: Some(Entered::Value(quiz.attempts_allowed)),
        shuffle: quiz.shuffle,
        published: quiz.published,
        sections: sections(quiz)
            .into_iter()
            .map(|s| SectionInput {
                item: s.item,
                question: s.question,
                category: s.category,
                count: Some(s.count as i64),
            })
            .collect(),
    }
}

/// A student's extra time on a quiz, in percent of its time limit.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccommodationInput {
    #[serde(deserialize_with = "qobe_domain::whole::number")]
    pub student: i64,
    /// 0 takes it away; 50 is time and a half.
    #[schema(value_type = f64, minimum = 0, maximum = 300)]
    pub extra_percent: Entered<f64>,
}

/// Gives a student extra time (attempts they start from now on get it).
pub async fn accommodate(
    app: &App,
    actor: &Actor,
    id: i64,
    input: &AccommodationInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let (quiz, _) = to_edit(app, actor, id).await?;
    let institution = actor.institution()?;
    let students =
        crate::assessment::evidence::student_ids(app.store.conn(), institution, OfferingId(quiz.offering_id)).await?;
    if !students.contains(&input.student) {
        return Err(AppError::refused_field("student", "is not a student of this offering"));
    }
    let extra = input
        .extra_percent
        .text()
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|p| (0.0..=300.0).contains(p))
        .ok_or_else(|| AppError::field("extra_percent", "must be a percentage from 0 to 300"))?;
    let tx = app.store.begin().await?;
    rows::accommodate(
        &tx,
        institution,
        quiz.id,
        qobe_domain::ids::UserId(input.student),
        extra,
        actor.user_id,
        app.now(),
    )
    .await?;
    let details = serde_json::json!({"quiz": quiz.id, "student": input.student, "extra_percent": extra});
    audit::record(&tx, app, client, audit::Entry::by(actor, "quiz.accommodated").target(&quiz.title).details(details))
        .await?;
    Ok(qobe_store::commit(tx).await?)
}
