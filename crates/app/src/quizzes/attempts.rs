//! Taking a quiz: a student starts an attempt (its questions drawn and shuffled for them, its
//! deadline fixed then — the time limit stretched by their extra time, never past the close),
//! saves each answer as they go, and hands in; the server refuses any answer after the deadline
//! and closes an attempt left open there with what it saved. A student never receives a key
//! before the quiz closes: the page is built from [`Shown`], which carries no key until then.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{CourseId, InstitutionId, UserId};
use qobe_domain::quizzes::{self as rules, Body, Response};
use qobe_store::quizzes::{self as rows, NewAttempt};

use super::scoring::{self, body_of, layout_of, response_of};
use super::{Attempt, Quiz, reach};
use crate::academics::offerings::OfferingView;
use crate::jobs::{self, Kind};
use crate::learning::Viewer;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// A quiz as one person sees it before taking it.
pub struct Standing {
    pub quiz: Quiz,
    pub offering: OfferingView,
    pub viewer: Viewer,
    /// The student's own attempts, oldest first.
    pub attempts: Vec<Attempt>,
    /// Why a new attempt cannot start now (none: it can).
    pub refusal: Option<String>,
    pub extra_percent: f64,
    /// The kept attempt's score, once it counts.
    pub kept: Option<Attempt>,
    /// Question count of an attempt.
    pub questions: usize,
}

/// The quiz has closed, past the grace an answer on its way gets: no answer is taken after it,
/// and only then are the keys shown.
fn closed(quiz: &Quiz, now: DateTime<Utc>) -> bool {
    quiz.closes_at.is_some_and(|c| now > c + rules::GRACE)
}

/// Closes the student's attempts left open past their deadline, so what they see is settled.
async fn settle(app: &App, attempts: &mut Vec<Attempt>) -> AppResult<()> {
    if scoring::close_these(app, attempts).await?
        && let Some(first) = attempts.first()
    {
        let institution = InstitutionId(first.institution_id);
        *attempts = rows::attempts(app.store.conn(), institution, first.quiz_id, Some(UserId(first.user_id))).await?;
    }
    Ok(())
}

pub async fn standing(app: &App, actor: &Actor, id: i64) -> AppResult<Standing> {
    let (quiz, offering, viewer) = reach(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut attempts = rows::attempts(conn, institution, id, Some(actor.user_id)).await?;
    settle(app, &mut attempts).await?;
    let extra_percent = rows::accommodations(conn, institution, id)
        .await?
        .iter()
        .find(|a| a.user_id == actor.user_id.0)
        .map_or(0.0, |a| a.extra_percent);
    let used = attempts.len() as i64;
    let refusal = if !viewer.is_student() {
        Some("Only the offering's students take its quizzes.".into())
    } else if attempts.iter().any(|a| a.finished_at.is_none()) {
        None
    } else {
        rules::may_start(quiz.opens_at, quiz.closes_at, app.now(), used, quiz.attempts_allowed).err()
    };
    let questions = super::sections(&quiz).iter().map(|s| s.count).sum();
    Ok(Standing {
        kept: scoring::kept(&attempts).cloned(),
        quiz,
        offering,
        viewer,
        attempts,
        refusal,
        extra_percent,
        questions,
    })
}

/// Starts an attempt, or returns the one the student has open.
pub async fn start(app: &App, actor: &Actor, id: i64, client: &ClientInfo) -> AppResult<Attempt> {
    let standing = standing(app, actor, id).await?;
    if !standing.viewer.is_student() {
        return Err(AppError::Forbidden);
    }
    if let Some(open) = standing.attempts.iter().find(|a| a.finished_at.is_none()) {
        return Ok(open.clone());
    }
    if let Some(refusal) = standing.refusal {
        return Err(AppError::Refused(vec![refusal]));
    }
    let quiz = &standing.quiz;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let bank = rows::bank(conn, institution, CourseId(standing.offering.course.id)).await?;
    let number = standing.attempts.len() as i64 + 1;
    let seed = rules::seed(quiz.id, actor.user_id.0, number);
    let slots = rules::draw(seed, &super::sections(quiz), &scoring::candidates(&bank), quiz.shuffle)
        .map_err(|message| AppError::Refused(vec![format!("This quiz cannot be started: {message}.")]))?;
    let possible = slots.iter().filter_map(|s| bank.iter().find(|q| q.id == s.question)).map(|q| q.points).sum();
    let now = app.now();
    let deadline = rules::attempt_deadline(now, quiz.time_limit_minutes, standing.extra_percent, quiz.closes_at);
    let layout = serde_json::to_string(&slots).map_err(|e| AppError::Internal(e.to_string()))?;
    let tx = app.store.begin().await?;
    let new = NewAttempt { quiz: quiz.id, user: actor.user_id, number, deadline, layout, possible };
    let attempt = rows::insert_attempt(&tx, institution, new, now).await?;
    for (n, slot) in slots.iter().enumerate() {
        rows::save_answer(&tx, institution, attempt.id, n as i64, slot.question, "{}", now).await?;
    }
    if let Some(deadline) = deadline {
        let payload = serde_json::json!({"attempt": attempt.id});
        jobs::enqueue_at(&tx, app, Some(institution), Kind::CloseQuizAttempts, &payload, deadline + rules::GRACE)
            .await?;
    }
    let details = serde_json::json!({"quiz": quiz.id, "attempt": number});
    audit::record(&tx, app, client, audit::Entry::by(actor, "quiz.started").target(&quiz.title).details(details))
        .await?;
    qobe_store::commit(tx).await?;
    Ok(attempt)
}

/// One question of an attempt as its page shows it. The options, rights and items come in the
/// attempt's shuffled order, each with its shown place — what the student's response names
/// them by, so nothing on the page says where they stand in the key; `key`, `earned` and
/// `comment` are filled only when the viewer may see them.
#[derive(Debug, Clone)]
pub struct Shown {
    pub slot: usize,
    pub kind: &'static str,
    pub prompt: String,
    pub points: f64,
    pub options: Vec<(usize, String)>,
    pub lefts: Vec<String>,
    pub rights: Vec<(usize, String)>,
    pub items: Vec<(usize, String)>,
    pub response: Response,
    pub saved_at: Option<DateTime<Utc>>,
    pub key: Option<String>,
    pub earned: Option<f64>,
    pub comment: String,
    /// The answer's id, for scoring it by hand.
    pub answer: Option<i64>,
}

/// The values in the order shown, each with its shown place (which is what the student sends).
fn in_order<T: Clone>(values: &[T], order: &[usize]) -> Vec<(usize, T)> {
    if order.len() == values.len() {
        order.iter().filter_map(|i| values.get(*i).cloned()).enumerate().collect()
    } else {
        values.iter().cloned().enumerate().collect()
    }
}

fn shown(slot: usize, order: &[usize], question: &super::Question, body: &Body) -> Shown {
    let mut out = Shown {
        slot,
        kind: body.kind(),
        prompt: question.prompt.clone(),
        points: question.points,
        options: Vec::new(),
        lefts: Vec::new(),
        rights: Vec::new(),
        items: Vec::new(),
        response: Response::default(),
        saved_at: None,
        key: None,
        earned: None,
        comment: String::new(),
        answer: None,
    };
    match body {
        Body::SingleChoice { options, .. } | Body::MultipleChoice { options, .. } => {
            out.options = in_order(options, order)
        }
        Body::TrueFalse { .. } => out.options = vec![(0, "True".into()), (1, "False".into())],
        Body::Matching { pairs } => {
            out.lefts = pairs.iter().map(|p| p.left.clone()).collect();
            out.rights = in_order(&pairs.iter().map(|p| p.right.clone()).collect::<Vec<_>>(), order);
        }
        Body::Ordering { items } => out.items = in_order(items, order),
        _ => {}
    }
    out
}

/// An attempt open on its page.
pub struct Sitting {
    pub attempt: Attempt,
    pub quiz: Quiz,
    pub offering: OfferingView,
    pub questions: Vec<Shown>,
    /// The student may still answer.
    pub open: bool,
    /// Keys are shown (to staff, or to the student after the quiz closed).
    pub keys_shown: bool,
    pub staff: bool,
    pub student_name: String,
}

/// The attempt, when it is the actor's own or the actor is the offering's staff; an overdue open
/// attempt is closed first.
async fn attempt_for(app: &App, actor: &Actor, id: i64) -> AppResult<(Attempt, Quiz, OfferingView, Viewer)> {
    let institution = actor.institution()?;
    let mut attempt = rows::attempt(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)?;
    let (quiz, offering, viewer) = reach(app, actor, attempt.quiz_id).await?;
    if viewer.is_student() && attempt.user_id != actor.user_id.0 {
        return Err(AppError::NotFound);
    }
    if attempt.finished_at.is_none() && !rules::in_time(attempt.deadline_at, app.now()) {
        let mut one = vec![attempt.clone()];
        settle(app, &mut one).await?;
        attempt = rows::attempt(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)?;
    }
    Ok((attempt, quiz, offering, viewer))
}

pub async fn sitting(app: &App, actor: &Actor, id: i64) -> AppResult<Sitting> {
    let (attempt, quiz, offering, viewer) = attempt_for(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let slots = layout_of(&attempt);
    let questions = scoring::questions_of(conn, institution, &slots).await?;
    let answers = rows::answers(conn, institution, &[attempt.id]).await?;
    let staff = !viewer.is_student();
    let keys_shown = staff || (attempt.finished_at.is_some() && closed(&quiz, app.now()));
    let mut out = Vec::new();
    for (n, slot) in slots.iter().enumerate() {
        let Some(question) = questions.get(&slot.question) else { continue };
        let body = body_of(question)?;
        let mut view = shown(n, &slot.order, question, &body);
        if let Some(answer) = answers.iter().find(|a| a.slot == n as i64) {
            view.response = slot.to_shown(&response_of(&answer.response));
            view.saved_at = (answer.response != "{}").then_some(answer.saved_at);
            view.answer = Some(answer.id);
            if keys_shown {
                view.earned = answer.points;
                view.comment = answer.comment.clone();
            }
        }
        if keys_shown {
            view.key = Some(body.key_words());
        }
        out.push(view);
    }
    let student_name = if staff {
        qobe_store::accounts::people(conn, institution, &[attempt.user_id])
            .await?
            .first()
            .map(|p| p.label())
            .unwrap_or_default()
    } else {
        actor.name.clone()
    };
    Ok(Sitting {
        open: attempt.finished_at.is_none() && !staff,
        attempt,
        quiz,
        offering,
        questions: out,
        keys_shown,
        staff,
        student_name,
    })
}

/// The student's own open attempt, or why an answer cannot be taken.
async fn open_own(app: &App, actor: &Actor, id: i64) -> AppResult<(Attempt, Quiz)> {
    let (attempt, quiz, _, viewer) = attempt_for(app, actor, id).await?;
    if !viewer.is_student() || attempt.user_id != actor.user_id.0 {
        return Err(AppError::Forbidden);
    }
    if attempt.finished_at.is_some() {
        let why = if attempt.finished_how == "time" {
            "The time is up: this attempt was closed with the answers saved before it ended."
        } else {
            "This attempt was handed in: its answers can no longer change."
        };
        return Err(AppError::Refused(vec![why.into()]));
    }
    Ok((attempt, quiz))
}

/// Saves one answer of the student's open attempt; refused after its deadline (with a few
/// seconds' grace for the request on its way). Returns when it was saved.
pub async fn save(app: &App, actor: &Actor, id: i64, slot: usize, response: &Response) -> AppResult<DateTime<Utc>> {
    let (attempt, quiz) = open_own(app, actor, id).await?;
    let now = app.now();
    // The attempt's own deadline, and the quiz's close for an attempt begun before it was set.
    if !rules::in_time(attempt.deadline_at, now) || closed(&quiz, now) {
        return Err(AppError::Refused(vec!["The time is up: answers are no longer saved.".into()]));
    }
    let slots = layout_of(&attempt);
    let place = slots.get(slot).ok_or_else(|| AppError::refused_field("slot", "is not a question of this attempt"))?;
    let institution = actor.institution()?;
    let question = rows::question(app.store.conn(), institution, place.question).await?.ok_or(AppError::NotFound)?;
    let keyed = place.to_key(response);
    body_of(&question)?
        .check_response(&keyed)
        .map_err(|message| AppError::Refused(vec![format!("The answer cannot be saved: {message}.")]))?;
    let text = serde_json::to_string(&keyed).map_err(|e| AppError::Internal(e.to_string()))?;
    let tx = app.store.begin().await?;
    if !rows::hold_open(&tx, institution, attempt.id).await? {
        return Err(AppError::Refused(vec!["This attempt has ended: the answer was not saved.".into()]));
    }
    rows::save_answer(&tx, institution, attempt.id, slot as i64, place.question, &text, now).await?;
    qobe_store::commit(tx).await?;
    Ok(now)
}

/// Hands the attempt in: it is scored at once and its marks go to the grid.
pub async fn hand_in(app: &App, actor: &Actor, id: i64, client: &ClientInfo) -> AppResult<Attempt> {
    let (attempt, _) = open_own(app, actor, id).await?;
    if !scoring::finish(app, &attempt, "student").await? {
        return Err(AppError::Refused(vec!["This attempt has already ended.".into()]));
    }
    let institution = actor.institution()?;
    let quiz = rows::quiz(app.store.conn(), institution, attempt.quiz_id).await?.ok_or(AppError::NotFound)?;
    let details = serde_json::json!({"quiz": quiz.id, "attempt": attempt.number});
    let tx = app.store.begin().await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "quiz.handed_in").target(&quiz.title).details(details))
        .await?;
    qobe_store::commit(tx).await?;
    scoring::post_marks_quietly(app, actor, &quiz, actor.user_id, "quiz").await;
    rows::attempt(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)
}
