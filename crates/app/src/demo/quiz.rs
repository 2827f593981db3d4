//! The demo's quiz: the course's first assessment (its quizzes) is an online quiz drawn from a
//! small bank of the course's questions, which the class's student has taken and handed in, so
//! the quiz pages, its results and item statistics have something true to show.

use qobe_domain::entered::Entered;
use qobe_domain::ids::OfferingId;
use qobe_domain::quizzes::{Body, Response};

use crate::quizzes::bank::{self, QuestionInput};
use crate::quizzes::{self, QuizInput, SectionInput, attempts};
use crate::{Actor, App, AppResult, ClientInfo};

fn question(category: &str, prompt: &str, points: f64, body: Body) -> QuestionInput {
    QuestionInput {
        category: category.into(),
        tags: "week 1".into(),
        clo: None,
        prompt: prompt.into(),
        points: Some(points),
        body,
    }
}

fn bank_questions() -> Vec<QuestionInput> {
    vec![
        question(
            "Ohm's law",
            "A 12 V source drives a 4 Ω resistor. What current flows?",
            1.0,
            Body::SingleChoice { options: vec!["0.33 A".into(), "3 A".into(), "48 A".into()], correct: 1 },
        ),
        question(
            "Ohm's law",
            "What is the resistance, in ohms, of two 6 Ω resistors in parallel?",
            1.0,
            Body::Numeric { answer: 3.0, tolerance: 0.0 },
        ),
        question("Networks", "The currents into a node sum to zero.", 1.0, Body::TrueFalse { correct: true }),
        question(
            "Networks",
            "Name the law about the voltages around a loop.",
            1.0,
            Body::ShortAnswer { patterns: vec!["kirchhoff*voltage*".into(), "kvl".into()], case_sensitive: false },
        ),
        question(
            "Networks",
            "Which of these are SI base units?",
            1.0,
            Body::MultipleChoice {
                options: vec!["ampere".into(), "volt".into(), "kelvin".into()],
                correct: vec![0, 2],
            },
        ),
    ]
}

/// Makes the quiz and has `learner` take it. Nothing is made when the assessment has fewer than
/// two items.
pub(super) async fn quiz(
    app: &App,
    instructor: &Actor,
    learner: &Actor,
    offering: OfferingId,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = instructor.institution()?;
    let conn = app.store.conn();
    let Some(first) = qobe_store::assessment::plans::assessments(conn, institution, offering).await?.into_iter().next()
    else {
        return Ok(());
    };
    let items: Vec<i64> = qobe_store::assessment::plans::items(conn, institution, offering)
        .await?
        .into_iter()
        .filter(|i| i.assessment_id == first.id)
        .map(|i| i.id)
        .collect();
    if items.len() < 2 {
        return Ok(());
    }
    let mut made = Vec::new();
    for input in bank_questions() {
        made.push(bank::create(app, instructor, offering, &input, client).await?.id);
    }
    let closes = (app.now() + chrono::Duration::days(7)).to_rfc3339();
    let input = QuizInput {
        assessment: Some(first.id),
        title: "Quiz 1: Ohm's law and networks".into(),
        instructions: "Four questions, twenty minutes. Each answer is saved as you go.".into(),
        closes_at: Some(Entered::Text(closes)),
        time_limit_minutes: Some(Entered::Value(20)),
        attempts_allowed: Some(Entered::Value(2)),
        shuffle: true,
        published: true,
        sections: vec![
            SectionInput { item: items[0], question: Some(made[0]), ..SectionInput::default() },
            SectionInput { item: items[0], question: Some(made[1]), ..SectionInput::default() },
            SectionInput {
                item: items[1],
                category: Some("Networks".into()),
                count: Some(2),
                ..SectionInput::default()
            },
        ],
        ..QuizInput::default()
    };
    let quiz = quizzes::create(app, instructor, offering, &input, client).await?;
    // The student answers the first question right and hands in.
    let attempt = attempts::start(app, learner, quiz.id, client).await?;
    let sitting = attempts::sitting(app, learner, attempt.id).await?;
    if let Some(first) = sitting.questions.iter().find(|q| q.kind == "single_choice") {
        let right = first.options.iter().find(|(_, text)| text == "3 A").map(|(place, _)| *place);
        let response = Response { choices: right.into_iter().collect(), ..Response::default() };
        attempts::save(app, learner, attempt.id, first.slot, &response).await?;
    }
    if let Some(numeric) = sitting.questions.iter().find(|q| q.kind == "numeric") {
        let response = Response { text: "3".into(), ..Response::default() };
        attempts::save(app, learner, attempt.id, numeric.slot, &response).await?;
    }
    attempts::hand_in(app, learner, attempt.id, client).await?;
    Ok(())
}
