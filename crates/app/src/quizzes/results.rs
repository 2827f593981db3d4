//! A quiz's results for its offering's staff: every student's attempts and the one that
//! counts, answers waiting to be scored by hand, and item statistics over finished attempts —
//! each question's facility, its discrimination (how well it tells stronger attempts from
//! weaker), and how often each option was picked.

use std::collections::HashMap;

use qobe_domain::entered::Entered;
use qobe_domain::ids::{OfferingId, UserId};
use qobe_domain::quizzes::{self as rules, Body};
use qobe_store::quizzes as rows;
use serde::Deserialize;

use super::scoring::{self, body_of, layout_of, response_of};
use super::{Attempt, Question, Quiz, reach, to_edit};
use crate::academics::offerings::OfferingView;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// One student's line.
#[derive(Debug, Clone)]
pub struct Line {
    pub student: i64,
    pub name: String,
    pub attempts: Vec<Attempt>,
    pub kept: Option<Attempt>,
    pub extra_percent: f64,
}

/// One question's statistics.
#[derive(Debug, Clone)]
pub struct Statistic {
    pub question: Question,
    pub answered: usize,
    pub facility: Option<f64>,
    pub discrimination: Option<f64>,
    /// (option, how many picked it, whether it is right) for choice questions.
    pub options: Vec<(String, usize, bool)>,
}

/// An answer waiting for a person.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub answer: i64,
    pub attempt: i64,
    pub name: String,
    pub prompt: String,
    pub text: String,
    pub points: f64,
}

pub struct Results {
    pub quiz: Quiz,
    pub offering: OfferingView,
    pub edits: bool,
    pub lines: Vec<Line>,
    pub statistics: Vec<Statistic>,
    pub waiting: Vec<Waiting>,
}

pub async fn results(app: &App, actor: &Actor, id: i64) -> AppResult<Results> {
    let (quiz, offering, viewer) = reach(app, actor, id).await?;
    if viewer.is_student() {
        return Err(AppError::Forbidden);
    }
    let institution = actor.institution()?;
    let conn = app.store.conn();
    // This quiz's attempts left open past their deadline are closed before they are counted.
    let mut attempts = rows::attempts(conn, institution, id, None).await?;
    if scoring::close_these(app, &attempts).await? {
        attempts = rows::attempts(conn, institution, id, None).await?;
    }
    let accommodations = rows::accommodations(conn, institution, id).await?;
    let ids = crate::assessment::evidence::student_ids(conn, institution, OfferingId(quiz.offering_id)).await?;
    let mut people = qobe_store::accounts::people(conn, institution, &ids).await?;
    qobe_domain::collation::sort_by_name(&mut people, |p| &p.name, |p| p.id);
    let names: HashMap<i64, String> = people.iter().map(|p| (p.id, p.label())).collect();
    let lines: Vec<Line> = people
        .iter()
        .map(|p| {
            let own: Vec<Attempt> = attempts.iter().filter(|a| a.user_id == p.id).cloned().collect();
            Line {
                student: p.id,
                name: p.label(),
                kept: scoring::kept(&own).cloned(),
                attempts: own,
                extra_percent: accommodations.iter().find(|a| a.user_id == p.id).map_or(0.0, |a| a.extra_percent),
            }
        })
        .collect();
    let finished: Vec<&Attempt> = attempts.iter().filter(|a| a.finished_at.is_some()).collect();
    let answers = rows::answers(conn, institution, &finished.iter().map(|a| a.id).collect::<Vec<_>>()).await?;
    let bank: HashMap<i64, Question> = rows::bank(conn, institution, qobe_domain::ids::CourseId(offering.course.id))
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let totals: HashMap<i64, f64> = finished
        .iter()
        .map(|a| (a.id, answers.iter().filter(|x| x.attempt_id == a.id).filter_map(|x| x.points).sum()))
        .collect();
    let mut order: Vec<i64> = Vec::new();
    let mut per_question: HashMap<i64, Vec<(f64, f64, String)>> = HashMap::new();
    let mut waiting = Vec::new();
    for attempt in &finished {
        for (n, slot) in layout_of(attempt).iter().enumerate() {
            let Some(question) = bank.get(&slot.question) else { continue };
            let Some(answer) = answers.iter().find(|a| a.attempt_id == attempt.id && a.slot == n as i64) else {
                continue;
            };
            if !order.contains(&question.id) {
                order.push(question.id);
            }
            match answer.points {
                Some(points) => {
                    let share = if question.points > 0.0 { points / question.points } else { 0.0 };
                    let rest = totals.get(&attempt.id).copied().unwrap_or(0.0) - points;
                    per_question.entry(question.id).or_default().push((share, rest, answer.response.clone()));
                }
                None => waiting.push(Waiting {
                    answer: answer.id,
                    attempt: attempt.id,
                    name: names.get(&attempt.user_id).cloned().unwrap_or_default(),
                    prompt: question.prompt.clone(),
                    text: response_of(&answer.response).text,
                    points: question.points,
                }),
            }
        }
    }
    let statistics = order
        .iter()
        .filter_map(|id| {
            let question = bank.get(id)?.clone();
            let seen = per_question.get(id).cloned().unwrap_or_default();
            let shares: Vec<f64> = seen.iter().map(|s| s.0).collect();
            let pairs: Vec<(f64, f64)> = seen.iter().map(|s| (s.0, s.1)).collect();
            let options = match body_of(&question).ok()? {
                Body::SingleChoice { options, correct } => count_options(&options, &[correct], &seen),
                Body::MultipleChoice { options, correct } => count_options(&options, &correct, &seen),
                Body::TrueFalse { correct } => {
                    count_options(&["True".into(), "False".into()], &[usize::from(!correct)], &seen)
                }
                _ => Vec::new(),
            };
            Some(Statistic {
                answered: seen.len(),
                facility: rules::facility(&shares),
                discrimination: rules::discrimination(&pairs),
                options,
                question,
            })
        })
        .collect();
    Ok(Results { quiz, offering, edits: viewer.edits(), lines, statistics, waiting })
}

fn count_options(options: &[String], correct: &[usize], seen: &[(f64, f64, String)]) -> Vec<(String, usize, bool)> {
    options
        .iter()
        .enumerate()
        .map(|(n, option)| {
            let picked = seen.iter().filter(|s| response_of(&s.2).choices.contains(&n)).count();
            (option.clone(), picked, correct.contains(&n))
        })
        .collect()
}

/// Points a person gives an answer (an essay), with a comment the student reads after the close.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandScore {
    #[schema(value_type = f64, minimum = 0)]
    pub points: Entered<f64>,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub comment: String,
}

/// Scores an answer by hand; the attempt's total and the student's marks follow.
pub async fn score_by_hand(
    app: &App,
    actor: &Actor,
    quiz: i64,
    answer: i64,
    input: &HandScore,
    client: &ClientInfo,
) -> AppResult<()> {
    let (found, _) = to_edit(app, actor, quiz).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let attempts = rows::attempts(conn, institution, quiz, None).await?;
    let answers = rows::answers(conn, institution, &attempts.iter().map(|a| a.id).collect::<Vec<_>>()).await?;
    let target = answers.iter().find(|a| a.id == answer).ok_or(AppError::NotFound)?;
    let attempt = attempts.iter().find(|a| a.id == target.attempt_id).ok_or(AppError::NotFound)?;
    if attempt.finished_at.is_none() {
        return Err(AppError::Refused(vec!["The attempt is still open.".into()]));
    }
    let question = rows::question(conn, institution, target.question_id).await?.ok_or(AppError::NotFound)?;
    let points = input
        .points
        .text()
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|p| p.is_finite() && (0.0..=question.points).contains(p))
        .ok_or_else(|| AppError::refused_field("points", format!("must be a number from 0 to {}", question.points)))?;
    let comment = qobe_domain::validation::optional_text(&input.comment, 5000)
        .map_err(|m| AppError::field("comment", m))?
        .unwrap_or_default();
    let tx = app.store.begin().await?;
    rows::score_answer(&tx, institution, answer, Some(points), Some(actor.user_id), &comment).await?;
    scoring::score_attempt(&tx, institution, attempt).await?;
    let details = serde_json::json!({"quiz": quiz, "answer": answer, "points": points});
    audit::record(&tx, app, client, audit::Entry::by(actor, "quiz.scored").target(&found.title).details(details))
        .await?;
    qobe_store::commit(tx).await?;
    scoring::write_marks(app, actor, &found, UserId(attempt.user_id), "quiz").await?;
    Ok(())
}
