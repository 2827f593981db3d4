//! A survey's results: the response rate against who was asked, each question's summary, a
//! cross-tab, the raw responses for download, and the indirect attainment of each outcome its
//! rated questions are mapped to. An anonymous survey's results stay hidden until it has the
//! institution's minimum number of responses — here, so every page, download and API reading
//! through this module keeps the rule.

use std::sync::Arc;

use qobe_domain::ids::{InstitutionId, SurveyId};
use qobe_domain::surveys::summary::{CrossTab, QuestionSummary, categories, cross_tab, point_counts};
use qobe_domain::surveys::{Answer, Answers, RatedQuestion, SurveyForm};
use qobe_outcomes::{IndirectResult, ScaleCounts, indirect};
use qobe_store::rows::Survey;
use qobe_store::surveys as rows;

use super::design::{SurveyView, view};
use super::tally;
use crate::{Actor, App, AppError, AppResult};

/// The figures of one outcome's indirect evidence from this survey.
#[derive(Debug, Clone, PartialEq)]
pub struct IndirectLine {
    /// `clo`, `plo` or `peo`.
    pub kind: &'static str,
    pub outcome: i64,
    pub code: String,
    /// The questions (and grid rows) it is read from.
    pub questions: Vec<RatedQuestion>,
    /// Respondents per point, lowest first, over those questions.
    pub counts: Vec<u64>,
    pub result: Option<IndirectResult>,
}

pub struct Results {
    pub view: SurveyView,
    pub asked: usize,
    pub responses: usize,
    /// Set when the survey is anonymous and has fewer responses than this: nothing below is
    /// filled in.
    pub withheld_below: Option<usize>,
    pub summaries: Arc<Vec<QuestionSummary>>,
    pub indirect: Vec<IndirectLine>,
    /// How the indirect measure is worked out, in words.
    pub method: String,
}

impl Results {
    pub fn rate(&self) -> Option<f64> {
        (self.asked > 0).then(|| self.responses as f64 / self.asked as f64)
    }
}

/// The fewest responses an anonymous survey's results are shown with (an institution setting).
pub async fn minimum(app: &App, institution: InstitutionId) -> AppResult<usize> {
    let row = qobe_store::tenancy::get(app.store.conn(), institution).await?.ok_or(AppError::NotFound)?;
    Ok(usize::try_from(row.survey_min_responses).unwrap_or(5).max(1))
}

/// Whether the results may be shown: a named survey always; an anonymous one from the minimum.
async fn withheld(
    app: &App,
    institution: InstitutionId,
    survey: &Survey,
    responses: usize,
) -> AppResult<Option<usize>> {
    let minimum = minimum(app, institution).await?;
    Ok((survey.anonymous && responses < minimum).then_some(minimum))
}

pub async fn of(app: &App, actor: &Actor, id: SurveyId) -> AppResult<Results> {
    let view = view(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let asked = usize::try_from(rows::participant_count(conn, institution, id).await?).unwrap_or(usize::MAX);
    let responses = usize::try_from(rows::response_count(conn, institution, id).await?).unwrap_or(usize::MAX);
    let policy = crate::assessment::evidence::policy_for(
        conn,
        institution,
        view.survey.program_id.map(qobe_domain::ids::ProgramId),
    )
    .await?;
    let method = describe(&policy);
    if let Some(minimum) = withheld(app, institution, &view.survey, responses).await? {
        return Ok(Results {
            view,
            asked,
            responses,
            withheld_below: Some(minimum),
            summaries: Arc::default(),
            indirect: Vec::new(),
            method,
        });
    }
    let summaries = tally::summaries(app, institution, &view.survey, &view.form, responses).await?;
    let indirect = indirect_lines(&view, &summaries, &policy);
    Ok(Results { view, asked, responses, withheld_below: None, summaries, indirect, method })
}

/// Each mapped outcome's counts pooled over its questions, and the measure the policy gives.
pub fn indirect_lines(
    view: &SurveyView,
    summaries: &[QuestionSummary],
    policy: &qobe_outcomes::Policy,
) -> Vec<IndirectLine> {
    let mut lines: Vec<IndirectLine> = Vec::new();
    for link in &view.links {
        let Some(counts) = point_counts(summaries, &link.question_key, link.row) else { continue };
        let code = view
            .outcomes
            .iter()
            .find(|(k, o)| *k == link.kind && o.id == link.outcome)
            .map(|(_, o)| o.code.clone())
            .unwrap_or_default();
        let question = RatedQuestion { key: link.question_key.clone(), row: link.row };
        match lines.iter_mut().find(|l| l.kind == link.kind && l.outcome == link.outcome) {
            Some(line) => {
                let mut pooled = ScaleCounts(std::mem::take(&mut line.counts));
                pooled.merge(&ScaleCounts(counts));
                line.counts = pooled.0;
                line.questions.push(question);
            }
            None => lines.push(IndirectLine {
                kind: link.kind,
                outcome: link.outcome,
                code,
                questions: vec![question],
                counts,
                result: None,
            }),
        }
    }
    for line in &mut lines {
        line.result = indirect(&policy.indirect, &policy.rounding, &ScaleCounts(line.counts.clone()));
    }
    lines
}

fn describe(policy: &qobe_outcomes::Policy) -> String {
    match policy.indirect.measure {
        qobe_outcomes::IndirectMeasure::WeightedMean => {
            "Weighted mean of the scale: Σ point × respondents ÷ (highest point × respondents).".into()
        }
        qobe_outcomes::IndirectMeasure::TopPoints { top_points } => {
            format!("Share of respondents who chose one of the scale's top {top_points} points.")
        }
    }
}

/// The cross-tab of `columns` by `rows` (a choice, yes/no or scale question each).
pub async fn cross(app: &App, actor: &Actor, id: SurveyId, by: &str, of: &str) -> AppResult<CrossTab> {
    let results = of_shown(app, actor, id).await?;
    let refused = || AppError::field("rows", "choose two questions with choices, yes/no or a scale");
    let countable = |key: &str| results.form.question(key).and_then(categories).is_some();
    if !countable(by) || !countable(of) {
        return Err(refused());
    }
    let mut pairs = Vec::new();
    for json in rows::response_answers(app.store.conn(), actor.institution()?, id).await? {
        let (a, b) = two_answers(&json, by, of).map_err(|e| AppError::Internal(format!("survey response: {e}")))?;
        if let (Some(a), Some(b)) = (a, b) {
            pairs.push((a, b));
        }
    }
    cross_tab(&results.form, by, of, pairs.iter().map(|(a, b)| (a, b))).ok_or_else(refused)
}

/// The answers to two questions out of a response's JSON, the others skipped unread (a
/// cross-tab needs two answers of each response; building all thirty is most of the time).
fn two_answers(json: &str, first: &str, second: &str) -> serde_json::Result<(Option<Answer>, Option<Answer>)> {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
    struct Two<'k>(&'k str, &'k str);
    impl<'de> Visitor<'de> for Two<'_> {
        type Value = (Option<Answer>, Option<Answer>);
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a response's answers by question")
        }
        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
            let (mut a, mut b) = (None, None);
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == self.0 {
                    let answer: Answer = map.next_value()?;
                    if self.0 == self.1 {
                        b = Some(answer.clone());
                    }
                    a = Some(answer);
                } else if key == self.1 {
                    b = Some(map.next_value()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok((a, b))
        }
    }
    serde_json::Deserializer::from_str(json).deserialize_map(Two(first, second))
}

struct Shown {
    survey: Survey,
    form: SurveyForm,
}

/// The survey, when its results may be shown (else refused with the rule).
async fn of_shown(app: &App, actor: &Actor, id: SurveyId) -> AppResult<Shown> {
    let view = view(app, actor, id).await?;
    let institution = actor.institution()?;
    let count = usize::try_from(rows::response_count(app.store.conn(), institution, id).await?).unwrap_or(usize::MAX);
    if let Some(minimum) = withheld(app, institution, &view.survey, count).await? {
        return Err(AppError::Refused(vec![format!(
            "Results of an anonymous survey are shown from {minimum} responses; it has {count}."
        )]));
    }
    Ok(Shown { survey: view.survey, form: view.form })
}

/// The raw responses as a table: a header and one row per response, one column per question
/// (a grid's rows and a ranking's places each their own). A named survey adds who answered and
/// when; an anonymous one has no identifying column.
pub async fn table(app: &App, actor: &Actor, id: SurveyId) -> AppResult<(Vec<String>, Vec<Vec<String>>)> {
    let shown = of_shown(app, actor, id).await?;
    let institution = actor.institution()?;
    let responses = rows::responses(app.store.conn(), institution, id).await?;
    let mut header: Vec<String> = Vec::new();
    if !shown.survey.anonymous {
        header.extend(["respondent".to_owned(), "submitted_at".to_owned()]);
    }
    let columns = columns_of(&shown.form);
    header.extend(columns.iter().map(|(name, _, _)| name.clone()));
    let ids: Vec<i64> = responses.iter().filter_map(|r| r.respondent_id).collect();
    let people = qobe_store::accounts::people(app.store.conn(), institution, &ids).await?;
    let mut out = Vec::with_capacity(responses.len());
    for response in &responses {
        let answers: Answers =
            serde_json::from_str(&response.answers).map_err(|e| AppError::Internal(format!("survey response: {e}")))?;
        let mut row = Vec::with_capacity(header.len());
        if !shown.survey.anonymous {
            let who = response.respondent_id.and_then(|id| people.iter().find(|p| p.id == id));
            row.push(who.map(|p| p.email.clone()).unwrap_or_else(|| "external".into()));
            row.push(response.submitted_at.map(|t| t.to_rfc3339()).unwrap_or_default());
        }
        for (_, key, part) in &columns {
            row.push(answers.get(key).map(|a| cell(a, *part)).unwrap_or_default());
        }
        out.push(row);
    }
    Ok((header, out))
}

/// (column name, question key, part: a grid's row or a ranking's place).
fn columns_of(form: &SurveyForm) -> Vec<(String, String, Option<usize>)> {
    use qobe_domain::surveys::QuestionKind;
    let mut out = Vec::new();
    for (_, q) in form.questions() {
        match &q.kind {
            QuestionKind::Matrix { rows, .. } => {
                out.extend((0..rows.len()).map(|r| (format!("{}.{}", q.key, r + 1), q.key.clone(), Some(r))));
            }
            QuestionKind::Ranking { options } => {
                out.extend((0..options.len()).map(|r| (format!("{}.{}", q.key, r + 1), q.key.clone(), Some(r))));
            }
            _ => out.push((q.key.clone(), q.key.clone(), None)),
        }
    }
    out
}

fn cell(answer: &Answer, part: Option<usize>) -> String {
    match (answer, part) {
        (Answer::Point(p), _) => p.to_string(),
        (Answer::Choice { chosen, .. }, _) => chosen.clone(),
        (Answer::Choices { chosen, other }, _) => {
            chosen.iter().cloned().chain(other.iter().cloned()).collect::<Vec<_>>().join("; ")
        }
        (Answer::Rows(rows), Some(r)) => rows.get(r).copied().flatten().map(|p| p.to_string()).unwrap_or_default(),
        (Answer::Order(order), Some(r)) => order.get(r).cloned().unwrap_or_default(),
        (Answer::Number(n), _) => n.to_string(),
        (Answer::Date(d), _) => d.to_string(),
        (Answer::Text(t), _) => t.clone(),
        (Answer::YesNo(yes), _) => (if *yes { "yes" } else { "no" }).to_owned(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_answers_are_read_and_the_rest_skipped() {
        let mut answers = Answers::new();
        answers.insert("scale".into(), Answer::Point(4));
        answers.insert("note".into(), Answer::Text("a \"quoted\" {note}".into()));
        answers.insert("ok".into(), Answer::YesNo(true));
        let json = serde_json::to_string(&answers).unwrap();
        let (a, b) = two_answers(&json, "ok", "scale").unwrap();
        assert_eq!((a, b), (Some(Answer::YesNo(true)), Some(Answer::Point(4))));
        assert_eq!(two_answers(&json, "scale", "scale").unwrap().1, Some(Answer::Point(4)), "a question by itself");
        assert_eq!(two_answers(&json, "ok", "missing").unwrap().1, None);
        assert!(two_answers("[1]", "ok", "scale").is_err(), "not a response");
    }
}
