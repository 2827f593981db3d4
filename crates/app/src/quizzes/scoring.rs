//! Scoring: an attempt's answers scored against the keys as they are now (essays keep what a
//! person gave them), its total written beside it, and the best finished attempt's points put
//! on the quiz's items in the marks grid through the grid's own write path and history. A
//! regrade after a key is corrected is the same scoring run again.

use std::collections::HashMap;

use qobe_domain::ids::{InstitutionId, OfferingId, UserId};
use qobe_domain::quizzes::{self as rules, Body, Candidate, Earned, Response, Slot};
use qobe_store::quizzes as rows;

use super::{Attempt, Question, Quiz};
use crate::assessment::marks::{self, MarkInput};
use crate::{Actor, App, AppError, AppResult};

pub fn body_of(question: &Question) -> AppResult<Body> {
    serde_json::from_str(&question.body)
        .map_err(|e| AppError::Internal(format!("question {} is not readable: {e}", question.id)))
}

pub fn layout_of(attempt: &Attempt) -> Vec<Slot> {
    serde_json::from_str(&attempt.layout).unwrap_or_default()
}

pub fn response_of(text: &str) -> Response {
    serde_json::from_str(text).unwrap_or_default()
}

/// The bank as the draw sees it.
pub fn candidates(bank: &[Question]) -> Vec<Candidate> {
    bank.iter()
        .filter_map(|q| {
            let body = body_of(q).ok()?;
            Some(Candidate {
                id: q.id,
                category: q.category.clone(),
                shuffled: body.shuffled_len(),
                always_shuffled: matches!(body, Body::Ordering { .. } | Body::Matching { .. }),
                never_in_order: matches!(body, Body::Ordering { .. }),
            })
        })
        .collect()
}

/// The questions an attempt drew, by id.
pub(crate) async fn questions_of(
    conn: &impl qobe_store::Conn,
    institution: InstitutionId,
    slots: &[Slot],
) -> AppResult<HashMap<i64, Question>> {
    let mut out = HashMap::new();
    for slot in slots {
        if !out.contains_key(&slot.question)
            && let Some(question) = rows::question(conn, institution, slot.question).await?
        {
            out.insert(question.id, question);
        }
    }
    Ok(out)
}

/// Scores an attempt's answers with the keys as they are now and writes its total (none while
/// an essay waits); through the caller's transaction.
pub(crate) async fn score_attempt(
    tx: &impl qobe_store::Conn,
    institution: InstitutionId,
    attempt: &Attempt,
) -> AppResult<()> {
    let slots = layout_of(attempt);
    let questions = questions_of(tx, institution, &slots).await?;
    let answers = rows::answers(tx, institution, &[attempt.id]).await?;
    let mut total = 0.0;
    let mut possible = 0.0;
    let mut pending = false;
    for (n, slot) in slots.iter().enumerate() {
        let Some(question) = questions.get(&slot.question) else { continue };
        possible += question.points;
        let answer = answers.iter().find(|a| a.slot == n as i64);
        let body = body_of(question)?;
        match body.score(&answer.map(|a| response_of(&a.response)).unwrap_or_default()) {
            Some(share) => {
                let points = rules::questions::points(share, question.points);
                total += points;
                if let Some(answer) = answer
                    && answer.points != Some(points)
                {
                    rows::score_answer(tx, institution, answer.id, Some(points), None, "").await?;
                }
            }
            None => match answer.and_then(|a| a.points.filter(|_| a.scored_by.is_some())) {
                Some(points) => total += points.min(question.points),
                None => pending = true,
            },
        }
    }
    let score = (!pending).then_some((total * 100.0).round() / 100.0);
    rows::set_score(tx, institution, attempt.id, score, possible).await?;
    Ok(())
}

/// What each item earned in an attempt.
pub(crate) async fn earned_per_item(
    conn: &impl qobe_store::Conn,
    institution: InstitutionId,
    attempt: &Attempt,
) -> AppResult<HashMap<i64, Earned>> {
    let slots = layout_of(attempt);
    let questions = questions_of(conn, institution, &slots).await?;
    let answers = rows::answers(conn, institution, &[attempt.id]).await?;
    let mut out: HashMap<i64, Earned> = HashMap::new();
    for (n, slot) in slots.iter().enumerate() {
        let Some(question) = questions.get(&slot.question) else { continue };
        let entry = out.entry(slot.item).or_default();
        entry.possible += question.points;
        match answers.iter().find(|a| a.slot == n as i64).and_then(|a| a.points) {
            Some(points) => entry.points += points,
            None if body_of(question)?.by_hand() => entry.pending += 1,
            None => {}
        }
    }
    Ok(out)
}

/// The attempt whose points count: the best finished one that is fully scored, by its share of
/// the points it could earn (drawn questions may be worth different totals); the earliest of
/// equals.
pub fn kept(attempts: &[Attempt]) -> Option<&Attempt> {
    let share = |a: &Attempt| a.score.map(|s| if a.possible > 0.0 { s / a.possible } else { 0.0 });
    attempts.iter().filter(|a| a.finished_at.is_some() && a.score.is_some()).fold(None, |best: Option<&Attempt>, a| {
        match best {
            Some(b) if share(b) >= share(a) => Some(b),
            _ => Some(a),
        }
    })
}

/// Puts a student's kept attempt on the quiz's items in the marks grid, as `actor` (in the
/// history) from `source`. Returns how many marks changed; a grid closed by a locked result
/// refuses, and the caller decides whether that matters.
pub(crate) async fn write_marks(
    app: &App,
    actor: &Actor,
    quiz: &Quiz,
    student: UserId,
    source: &'static str,
) -> AppResult<usize> {
    let institution = quiz_institution(quiz);
    let conn = app.store.conn();
    let attempts = rows::attempts(conn, institution, quiz.id, Some(student)).await?;
    let Some(best) = kept(&attempts) else { return Ok(0) };
    let earned = earned_per_item(conn, institution, best).await?;
    let offering_id = OfferingId(quiz.offering_id);
    let items = qobe_store::assessment::plans::items(conn, institution, offering_id).await?;
    let typed: Vec<MarkInput> = items
        .iter()
        .filter(|item| item.assessment_id == quiz.assessment_id)
        .filter_map(|item| {
            let mark = rules::item_mark(*earned.get(&item.id)?, item.max_marks)?;
            Some(MarkInput { student_id: student.0, item_id: item.id, value: marks::display_number(mark) })
        })
        .collect();
    if typed.is_empty() {
        return Ok(0);
    }
    let offering = crate::academics::offerings::get(app, actor, offering_id).await?;
    let tx = app.store.begin().await?;
    let (changed, _, _) = marks::write(&tx, app, actor, &offering, &typed, source).await?;
    qobe_store::commit(tx).await?;
    Ok(changed)
}

fn quiz_institution(quiz: &Quiz) -> InstitutionId {
    InstitutionId(quiz.institution_id)
}

/// Writes the marks after a student finished; a grid that cannot take them now (the result is
/// locked) keeps the attempt as it is, and staff see it unposted on the results page.
pub(crate) async fn post_marks_quietly(app: &App, actor: &Actor, quiz: &Quiz, student: UserId, source: &'static str) {
    if let Err(err) = write_marks(app, actor, quiz, student, source).await {
        tracing::warn!(quiz = quiz.id, student = student.0, error = %err, "quiz marks not posted to the grid");
    }
}

/// Finishes an open attempt (`by`: `student` or `time`) and scores it, in one transaction;
/// false when it had finished already.
pub(crate) async fn finish(app: &App, attempt: &Attempt, by: &str) -> AppResult<bool> {
    let institution = InstitutionId(attempt.institution_id);
    let tx = app.store.begin().await?;
    let at = match (by, attempt.deadline_at) {
        // Closed by the clock: it ended at its deadline, whenever the chore came.
        ("time", Some(deadline)) => deadline.min(app.now()),
        _ => app.now(),
    };
    if !rows::finish(&tx, institution, attempt.id, by, at).await? {
        return Ok(false);
    }
    let finished = rows::attempt(&tx, institution, attempt.id).await?.ok_or(AppError::NotFound)?;
    score_attempt(&tx, institution, &finished).await?;
    qobe_store::commit(tx).await?;
    Ok(true)
}

/// Closes every attempt left open past its deadline with what it saved, scores it and posts its
/// marks (as its student, in the grid's history). The chore behind `quizzes.close_attempts`,
/// also run whenever an overdue attempt is looked at.
pub async fn close_overdue(app: &App) -> AppResult<usize> {
    let mut closed = 0;
    loop {
        let overdue = rows::overdue(app.store.conn(), app.now() - rules::GRACE, 200).await?;
        if overdue.is_empty() {
            return Ok(closed);
        }
        for attempt in overdue {
            if finish(app, &attempt, "time").await? {
                closed += 1;
                post_for_student(app, &attempt).await;
            }
        }
    }
}

/// Closes those of `attempts` left open past their deadline with what they saved, and posts
/// their marks; true when any was closed.
pub(crate) async fn close_these(app: &App, attempts: &[Attempt]) -> AppResult<bool> {
    let now = app.now();
    let mut changed = false;
    for attempt in attempts {
        if attempt.finished_at.is_none()
            && !rules::in_time(attempt.deadline_at, now)
            && finish(app, attempt, "time").await?
        {
            post_for_student(app, attempt).await;
            changed = true;
        }
    }
    Ok(changed)
}

/// Posts an attempt's marks as its student (in the grid's history).
pub(crate) async fn post_for_student(app: &App, attempt: &Attempt) {
    let institution = InstitutionId(attempt.institution_id);
    let (Ok(Some(quiz)), Ok(actor)) = (
        rows::quiz(app.store.conn(), institution, attempt.quiz_id).await,
        crate::accounts::sessions::actor_of(app, institution, UserId(attempt.user_id)).await,
    ) else {
        tracing::warn!(attempt = attempt.id, "quiz marks not posted: the quiz or its student is gone");
        return;
    };
    post_marks_quietly(app, &actor, &quiz, UserId(attempt.user_id), "quiz").await;
}

/// Regrades every finished attempt that drew a question, then the marks of their students (as
/// `actor`, from "quiz regrade"). Returns how many attempts were regraded.
pub(crate) async fn regrade_question(app: &App, actor: &Actor, question: i64) -> AppResult<usize> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let ids = rows::attempts_with_question(conn, institution, question).await?;
    let mut students: Vec<(i64, i64)> = Vec::new();
    let mut regraded = 0;
    for attempt in rows::attempts_by_id(conn, institution, &ids).await? {
        if attempt.finished_at.is_none() {
            continue;
        }
        let tx = app.store.begin().await?;
        score_attempt(&tx, institution, &attempt).await?;
        qobe_store::commit(tx).await?;
        regraded += 1;
        if !students.contains(&(attempt.quiz_id, attempt.user_id)) {
            students.push((attempt.quiz_id, attempt.user_id));
        }
    }
    // A grid closed by a locked result (an earlier term's section) keeps its marks; that is
    // logged, and the rest go on.
    for (quiz, student) in students {
        if let Some(quiz) = rows::quiz(conn, institution, quiz).await? {
            post_marks_quietly(app, actor, &quiz, UserId(student), "quiz regrade").await;
        }
    }
    Ok(regraded)
}
