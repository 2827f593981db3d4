//! The demo's surveys: a course exit survey of a finished offering, made from its CLOs by its
//! instructor, published to its students, answered by them and closed, so its results, charts
//! and indirect CLO attainment are there to look at.

use qobe_domain::ids::{OfferingId, SurveyId};
use qobe_domain::roles::{Role, Scope};

use super::story::{Finished, actor};
use crate::surveys::design::{self, NewSurveyInput};
use crate::surveys::publish::{self, PublishInput};
use crate::surveys::respond::{self, AnswerInput, FieldValue, Respondent};
use crate::{App, AppResult, ClientInfo};

/// Makes, publishes, answers and closes the course exit survey of `finished`; returns how many
/// answered.
pub(super) async fn course_exit(app: &App, finished: &Finished) -> AppResult<usize> {
    let client = ClientInfo::default();
    let instructor = &finished.instructor;
    let offering = OfferingId(finished.offering);
    let input = NewSurveyInput {
        purpose: "course_exit".into(),
        offering: Some(offering.0),
        template: true,
        ..NewSurveyInput::default()
    };
    let survey = design::create(app, instructor, &input, &client).await?;
    let id = SurveyId(survey.id);
    let now = app.now();
    let window = PublishInput {
        opens_at: qobe_domain::entered::Entered::Value(now - chrono::Duration::days(1)),
        closes_at: qobe_domain::entered::Entered::Value(now + chrono::Duration::days(7)),
        audience: "offering".into(),
        ..PublishInput::default()
    };
    publish::publish(app, instructor, id, &window, &client).await?;
    let institution = instructor.institution()?;
    let view = design::view(app, instructor, id).await?;
    let keys: Vec<String> =
        view.form.questions().filter(|(_, q)| q.kind.is_rated()).map(|(_, q)| q.key.clone()).collect();
    let students = qobe_store::registration::for_offering(app.store.conn(), institution, offering).await?;
    let mut answered = 0;
    for (n, enrollment) in students.iter().enumerate() {
        let student = actor(institution, enrollment.user_id, "", vec![(Role::Student, Scope::Institution)]);
        let mut fields = std::collections::BTreeMap::new();
        for (q, key) in keys.iter().enumerate() {
            // Mostly agreeing, some not: points 2 to 5, spread by student and question.
            let point = 2 + (n * 7 + q * 3) % 4;
            fields.insert(key.clone(), FieldValue::One(point.to_string()));
        }
        if n % 5 == 0 {
            let comment = "More worked examples before the lab would help.";
            fields.insert("comments".into(), FieldValue::One(comment.into()));
        }
        let answer = AnswerInput { fields, finish: true };
        if respond::answer(app, &Respondent::Person(&student), Some(id), &answer).await.is_ok() {
            answered += 1;
        }
    }
    publish::close(app, instructor, id, &client).await?;
    Ok(answered)
}
