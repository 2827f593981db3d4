//! Surveys: a course exit survey made from an offering's CLOs, published to its students and to
//! external respondents by single-use links, answered with save-and-resume and only once,
//! summarised with the minimum-responses rule and turned into indirect CLO attainment; the
//! anonymity of responses proven on the database itself; roles and other institutions.

use qobe_app::surveys::design::{self, DesignInput, LinkInput, NewSurveyInput};
use qobe_app::surveys::publish::{self, PublishInput};
use qobe_app::surveys::respond::{self, AnswerInput, Outcome, Respondent, Window};
use qobe_app::surveys::results;
use qobe_app::{Actor, AppError, ClientInfo};
use qobe_domain::entered::Entered;
use qobe_domain::ids::{InstitutionId, SurveyId};
use qobe_domain::roles::{Role, Scope};
use qobe_domain::surveys::summary::Detail;
use sea_orm::{ConnectionTrait, Statement};

use crate::assessment::{Class, class};
use crate::support::{TestApp, schema};

fn actor(institution: InstitutionId, user: i64, email: &str, grants: Vec<(Role, Scope)>) -> Actor {
    let mut actor = TestApp::admin_actor(institution.0, user, email);
    actor.grants = grants;
    actor
}

struct Survey {
    inst: InstitutionId,
    instructor: Actor,
    students: Vec<Actor>,
    id: SurveyId,
}

async fn people(t: &TestApp, c: &Class) -> (InstitutionId, Actor, Vec<Actor>) {
    let inst = c.institution(t).await;
    let email = format!("ins@{}.edu", c.slug);
    let instructor =
        actor(inst, t.user_id(&c.slug, &email).await, &email, vec![(Role::Instructor, Scope::Offering(c.offering))]);
    let students = c
        .students
        .iter()
        .enumerate()
        .map(|(n, id)| {
            actor(inst, *id, &format!("s{}@{}.edu", n + 1, c.slug), vec![(Role::Student, Scope::Institution)])
        })
        .collect();
    (inst, instructor, students)
}

/// The instructor makes the course exit survey from the class's CLOs.
async fn course_exit(t: &TestApp, c: &Class) -> Survey {
    let (inst, instructor, students) = people(t, c).await;
    let input = NewSurveyInput {
        purpose: "course_exit".into(),
        offering: Some(c.offering),
        template: true,
        ..Default::default()
    };
    let made = design::create(&t.app, &instructor, &input, &ClientInfo::default()).await.unwrap();
    Survey { inst, instructor, students, id: SurveyId(made.id) }
}

fn window(days: i64) -> PublishInput {
    let now = chrono::Utc::now();
    PublishInput {
        opens_at: Entered::Value(now - chrono::Duration::hours(1)),
        closes_at: Entered::Value(now + chrono::Duration::days(days)),
        audience: "offering".into(),
        ..Default::default()
    }
}

fn fields(pairs: &[(&str, &str)], finish: bool) -> AnswerInput {
    let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    AnswerInput::from_fields(&pairs, finish)
}

async fn set_minimum(t: &TestApp, inst: InstitutionId, minimum: i64) {
    let conn = t.app.store.conn();
    let sql = format!("UPDATE institutions SET survey_min_responses = {minimum} WHERE id = {}", inst.0);
    conn.execute_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap();
}

#[tokio::test]
async fn a_course_exit_survey_from_the_clos_is_published_answered_once_and_gives_indirect_attainment() {
    let t = TestApp::new().await;
    let c = class(&t, "sv").await;
    let s = course_exit(&t, &c).await;
    let client = ClientInfo::default();

    // One agreement item per CLO, each mapped to its CLO.
    let view = design::view(&t.app, &s.instructor, s.id).await.unwrap();
    let items = &view.form.sections[0].questions;
    assert_eq!(items.len(), 2);
    assert!(items[0].text.contains("analyse circuits (CLO1)"), "{}", items[0].text);
    assert_eq!(view.links.iter().map(|l| l.outcome).collect::<Vec<_>>(), c.clos);
    assert!(view.survey.anonymous, "surveys start anonymous");

    // Published to the offering: each of the three students is invited by email.
    let published = publish::publish(&t.app, &s.instructor, s.id, &window(7), &client).await.unwrap();
    assert_eq!(published, publish::Published { people: 3, external: 0 });
    for n in 1..=3 {
        let email = t.last_email_to(&format!("s{n}@sv.edu")).await;
        assert!(email.contains(&format!("/surveys/{}/answer", s.id.0)) && email.contains("anonymous"), "{email}");
    }
    // Publishing again asks nobody twice.
    let again = publish::publish(&t.app, &s.instructor, s.id, &window(7), &client).await.unwrap();
    assert_eq!(again.people, 0);

    // The first student saves one answer and comes back to it.
    let first = Respondent::Person(&s.students[0]);
    let saved = respond::answer(&t.app, &first, Some(s.id), &fields(&[("clo1", "5")], false)).await.unwrap();
    assert_eq!(saved, Outcome::Saved);
    let resumed = respond::open(&t.app, &first, Some(s.id)).await.unwrap();
    assert_eq!(resumed.window, Window::Open);
    assert_eq!(resumed.draft.get("clo1"), Some(&qobe_domain::surveys::Answer::Point(5)));

    // Finishing without the required CLO2 item is refused beside it.
    let missing = respond::answer(&t.app, &first, Some(s.id), &fields(&[("clo1", "5")], true)).await.unwrap_err();
    let AppError::Invalid(errors) = missing else { panic!("{missing:?}") };
    assert_eq!(errors.get("clo2"), Some("answer this question"));
    let off_scale = respond::answer(&t.app, &first, Some(s.id), &fields(&[("clo1", "6")], false)).await.unwrap_err();
    assert!(matches!(off_scale, AppError::Invalid(ref e) if e.get("clo1").is_some()), "{off_scale:?}");

    let done = respond::answer(&t.app, &first, Some(s.id), &fields(&[("clo1", "5"), ("clo2", "4")], true)).await;
    assert_eq!(done.unwrap(), Outcome::Submitted);
    let twice = respond::answer(&t.app, &first, Some(s.id), &fields(&[("clo1", "1"), ("clo2", "1")], true)).await;
    assert!(matches!(twice, Err(AppError::Conflict { .. })), "one response per person: {twice:?}");

    // Below the minimum (5 by default) an anonymous survey's results are withheld everywhere.
    let hidden = results::of(&t.app, &s.instructor, s.id).await.unwrap();
    assert_eq!((hidden.asked, hidden.responses, hidden.withheld_below), (3, 1, Some(5)));
    assert!(hidden.summaries.is_empty() && hidden.indirect.is_empty());
    assert!(matches!(results::table(&t.app, &s.instructor, s.id).await, Err(AppError::Refused(_))));
    assert!(matches!(results::cross(&t.app, &s.instructor, s.id, "clo1", "clo2").await, Err(AppError::Refused(_))));

    // Reminders go only to the two who have not answered.
    let before = t.emails().await.len();
    let reminded = publish::remind(&t.app, &s.instructor, s.id, &client).await.unwrap();
    assert_eq!(reminded, 2);
    let sent = t.emails().await;
    let reminders = &sent[before..];
    assert_eq!(reminders.len(), 2);
    assert!(reminders.iter().all(|e| e.contains("Reminder:") && !e.contains("s1@sv.edu")), "{reminders:?}");

    for (student, (a, b)) in s.students[1..].iter().zip([("4", "2"), ("3", "5")]) {
        let answers = fields(&[("clo1", a), ("clo2", b)], true);
        let answered = respond::answer(&t.app, &Respondent::Person(student), Some(s.id), &answers).await;
        assert_eq!(answered.unwrap(), Outcome::Submitted);
    }

    // With the institution's minimum at 3, the results show: counts per point and the indirect
    // measure by hand — CLO1: (5 + 4 + 3) / (5 · 3) = 80 %; CLO2: (4 + 2 + 5) / 15 = 73.3 %.
    set_minimum(&t, s.inst, 3).await;
    let shown = results::of(&t.app, &s.instructor, s.id).await.unwrap();
    assert_eq!(shown.withheld_below, None);
    assert_eq!(shown.rate(), Some(1.0));
    let Detail::Points { counts, mean } = &shown.summaries[0].detail else { panic!() };
    assert_eq!(counts.iter().map(|c| c.1).collect::<Vec<_>>(), vec![0, 0, 1, 1, 1]);
    assert_eq!(counts[4].0, "Strongly agree");
    assert_eq!(*mean, Some(4.0));
    let clo1 = shown.indirect.iter().find(|l| l.code == "CLO1").unwrap();
    assert_eq!(clo1.counts, vec![0, 0, 1, 1, 1]);
    assert!((clo1.result.unwrap().value - 0.8).abs() < 1e-9, "{clo1:?}");
    let clo2 = shown.indirect.iter().find(|l| l.code == "CLO2").unwrap();
    assert!((clo2.result.unwrap().value - 11.0 / 15.0).abs() < 1e-3, "{clo2:?}");

    // The raw table of an anonymous survey has no identifying column.
    let (header, rows) = results::table(&t.app, &s.instructor, s.id).await.unwrap();
    assert_eq!(header, vec!["clo1", "clo2", "comments"]);
    let mut rows = rows;
    rows.sort();
    assert_eq!(rows, vec![vec!["3", "5", ""], vec!["4", "2", ""], vec!["5", "4", ""]]);
    let tab = results::cross(&t.app, &s.instructor, s.id, "clo1", "clo2").await.unwrap();
    assert_eq!(tab.counts[4][3], 1, "the one who strongly agreed on CLO1 agreed on CLO2");
    assert_eq!(tab.counts.iter().flatten().sum::<usize>(), 3, "each response counted once");
    for (by, of) in [("clo1", "comments"), ("clo1", "nothing'; --")] {
        let refused = results::cross(&t.app, &s.instructor, s.id, by, of).await;
        assert!(matches!(refused, Err(AppError::Invalid(_))), "{of}: free text and unknown keys are not counted");
    }

    // Closed: no more answers, not even a saved draft.
    publish::close(&t.app, &s.instructor, s.id, &client).await.unwrap();
    let late_answers = fields(&[("clo1", "1")], false);
    let late = respond::answer(&t.app, &Respondent::Person(&s.students[1]), Some(s.id), &late_answers).await;
    assert!(matches!(late, Err(AppError::Refused(_))));
    let asked = respond::asked(&t.app, &s.students[1]).await.unwrap();
    assert_eq!(asked.len(), 1);
    assert!(asked[0].answered && asked[0].window == Window::Closed);
}

#[tokio::test]
async fn external_respondents_answer_once_through_single_use_links_and_reminders_renew_the_link() {
    let t = TestApp::new().await;
    let c = class(&t, "sx").await;
    let s = course_exit(&t, &c).await;
    let client = ClientInfo::default();
    let mut input = window(7);
    input.audience = "external".into();
    input.external = "nope\n".into();
    let bad = publish::publish(&t.app, &s.instructor, s.id, &input, &client).await.unwrap_err();
    let AppError::Invalid(errors) = bad else { panic!("{bad:?}") };
    assert!(errors.get("external").unwrap().starts_with("line 1"), "{errors:?}");

    input.external = "email\nhr@acme.com\nboss@works.org, hr@acme.com\n".into();
    let published = publish::publish(&t.app, &s.instructor, s.id, &input, &client).await.unwrap();
    assert_eq!(published, publish::Published { people: 0, external: 2 });
    let token_of = |link: String| link.strip_prefix("/surveys/respond?token=").unwrap().to_owned();
    let hr = token_of(t.link_in_last_email("hr@acme.com").await);
    let boss = token_of(t.link_in_last_email("boss@works.org").await);
    assert_ne!(hr, boss);

    let link = Respondent::Link(&hr);
    let page = respond::open(&t.app, &link, None).await.unwrap();
    assert_eq!(page.survey.id, s.id.0);
    let done = respond::answer(&t.app, &link, None, &fields(&[("clo1", "4"), ("clo2", "4")], true)).await.unwrap();
    assert_eq!(done, Outcome::Submitted);
    let reused = respond::answer(&t.app, &link, None, &fields(&[("clo1", "1"), ("clo2", "1")], true)).await;
    assert!(matches!(reused, Err(AppError::Conflict { .. })), "a link answers once: {reused:?}");
    assert!(matches!(respond::open(&t.app, &Respondent::Link("0bad"), None).await, Err(AppError::NotFound)));

    // The reminder goes to the one who has not answered, with a new link; the old one is spent.
    assert_eq!(publish::remind(&t.app, &s.instructor, s.id, &client).await.unwrap(), 1);
    let renewed = token_of(t.link_in_last_email("boss@works.org").await);
    assert_ne!(renewed, boss);
    assert!(matches!(respond::open(&t.app, &Respondent::Link(&boss), None).await, Err(AppError::NotFound)));
    let answers = fields(&[("clo1", "2"), ("clo2", "3")], true);
    let answered = respond::answer(&t.app, &Respondent::Link(&renewed), None, &answers).await;
    assert_eq!(answered.unwrap(), Outcome::Submitted);
}

/// Every value of every column of every table, as text, with where it is.
async fn every_value(t: &TestApp) -> Vec<(String, String, String)> {
    let conn = t.app.store.conn();
    let mut out = Vec::new();
    for (table, columns) in schema::columns(conn).await {
        for (column, _) in columns {
            let sql = format!("SELECT CAST({column} AS TEXT) AS v FROM {table} WHERE {column} IS NOT NULL");
            for value in schema::strings(conn, &sql).await {
                out.push((table.clone(), column.clone(), value));
            }
        }
    }
    out
}

#[tokio::test]
async fn an_anonymous_response_cannot_be_joined_to_the_student_or_the_link_in_the_database() {
    let t = TestApp::new().await;
    let c = class(&t, "sa").await;
    let s = course_exit(&t, &c).await;
    let client = ClientInfo::default();
    let mut input = window(7);
    input.external = "ext@acme.com\n".into();
    publish::publish(&t.app, &s.instructor, s.id, &input, &client).await.unwrap();
    let token = t.link_in_last_email("ext@acme.com").await.rsplit("token=").next().unwrap().to_owned();

    // A known student saves a draft (kept on their participation row), then submits; so does
    // the external respondent.
    let student = &s.students[0];
    let me = Respondent::Person(student);
    respond::answer(&t.app, &me, Some(s.id), &fields(&[("clo1", "2"), ("comments", "Too fast, ask Ms Zed")], false))
        .await
        .unwrap();
    let draft_values = every_value(&t).await;
    assert!(
        draft_values.iter().any(|(t, c, v)| t == "survey_participants" && c == "draft" && v.contains("ask Ms Zed")),
        "the draft is on the participation row"
    );
    respond::answer(
        &t.app,
        &me,
        Some(s.id),
        &fields(&[("clo1", "2"), ("clo2", "3"), ("comments", "Too fast, ask Ms Zed")], true),
    )
    .await
    .unwrap();
    respond::answer(&t.app, &Respondent::Link(&token), None, &fields(&[("clo1", "5"), ("clo2", "5")], true))
        .await
        .unwrap();

    let values = every_value(&t).await;
    let columns = schema::columns(t.app.store.conn()).await;

    // The response rows hold the survey and the answers; who and when are empty.
    let response_columns: Vec<&str> = columns["survey_responses"].iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(response_columns, ["id", "institution_id", "survey_id", "answers", "respondent_id", "submitted_at"]);
    let in_responses = |column: &str| -> Vec<&String> {
        values.iter().filter(|(t, c, _)| t == "survey_responses" && c == column).map(|(_, _, v)| v).collect()
    };
    assert_eq!(in_responses("answers").len(), 2);
    assert!(in_responses("respondent_id").is_empty() && in_responses("submitted_at").is_empty());
    let ids = in_responses("id");
    assert!(ids.iter().all(|id| id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit())), "random ids: {ids:?}");

    // No other row anywhere names a response, or holds its answers (the draft is gone).
    for (table, column, value) in &values {
        if table == "survey_responses" {
            continue;
        }
        for id in &ids {
            assert!(!value.contains(id.as_str()), "{table}.{column} names response {id}");
        }
        assert!(!value.contains("ask Ms Zed"), "{table}.{column} holds the answers: {value}");
    }

    // Nothing that names the student, their email or the link's token also says when or what
    // they answered: their participation row says only that they did.
    let student_id = student.user_id.0.to_string();
    let hash = qobe_app::crypto::token_hash(&token);
    let participants = &columns["survey_participants"];
    let names: Vec<&str> = participants.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        names,
        [
            "id",
            "institution_id",
            "survey_id",
            "user_id",
            "email",
            "token_hash",
            "invited_at",
            "reminded_at",
            "answered",
            "draft"
        ],
        "participation has no answer time and no response"
    );
    for (table, column, value) in &values {
        let person_column = column.ends_with("user_id") || column.ends_with("_by") || column == "actor_id";
        let names_person =
            (person_column && *value == student_id) || value.contains(&student.email) || value.contains(&hash);
        if names_person && table.starts_with("survey") {
            assert!(
                table == "survey_participants",
                "{table}.{column} names the student or the link and is not participation"
            );
        }
    }
    let audit =
        schema::strings(t.app.store.conn(), "SELECT action AS v FROM audit_events WHERE action LIKE 'surveys.%'").await;
    assert!(audit.iter().all(|a| !a.contains("answer")), "answering is not audited: {audit:?}");
}

#[tokio::test]
async fn surveys_are_managed_by_who_teaches_or_oversees_them_and_never_across_institutions() {
    let t = TestApp::new().await;
    let c = class(&t, "sr").await;
    let s = course_exit(&t, &c).await;
    let client = ClientInfo::default();
    let student = &s.students[0];

    // A student neither designs nor reads a survey's results; another offering's instructor
    // neither; the institution's QA officer may.
    let create = NewSurveyInput { purpose: "course_exit".into(), offering: Some(c.offering), ..Default::default() };
    assert!(matches!(design::create(&t.app, student, &create, &client).await, Err(AppError::Forbidden)));
    assert!(matches!(results::of(&t.app, student, s.id).await, Err(AppError::Forbidden)));
    let other = actor(
        s.inst,
        s.students[2].user_id.0,
        "s3@sr.edu",
        vec![(Role::Instructor, Scope::Offering(c.offering + 100))],
    );
    assert!(matches!(design::view(&t.app, &other, s.id).await, Err(AppError::Forbidden)));
    let qa = actor(s.inst, s.instructor.user_id.0, "ins@sr.edu", vec![(Role::QaOfficer, Scope::Institution)]);
    assert_eq!(design::list(&t.app, &qa).await.unwrap().len(), 1);
    let general = NewSurveyInput { purpose: "general".into(), title: "Facilities".into(), ..Default::default() };
    assert!(design::create(&t.app, &qa, &general, &client).await.is_ok());
    assert!(matches!(design::create(&t.app, &s.instructor, &general, &client).await, Err(AppError::Forbidden)));
    assert_eq!(
        design::list(&t.app, &s.instructor).await.unwrap().len(),
        1,
        "the instructor sees their offering's only"
    );

    // A draft is not offered to anyone; a student not asked finds nothing.
    assert!(matches!(respond::open(&t.app, &Respondent::Person(student), Some(s.id)).await, Err(AppError::NotFound)));
    publish::publish(&t.app, &s.instructor, s.id, &window(7), &client).await.unwrap();
    let stranger = actor(s.inst, s.instructor.user_id.0, "ins@sr.edu", vec![(Role::Student, Scope::Institution)]);
    assert!(matches!(respond::open(&t.app, &Respondent::Person(&stranger), Some(s.id)).await, Err(AppError::NotFound)));

    // Once published the form is fixed; a copy is a new draft with the same mappings.
    let view = design::view(&t.app, &s.instructor, s.id).await.unwrap();
    let edit = DesignInput {
        title: "Changed".into(),
        description: String::new(),
        anonymous: true,
        form: view.form.clone(),
        links: Vec::new(),
    };
    assert!(matches!(design::save(&t.app, &s.instructor, s.id, &edit, &client).await, Err(AppError::Refused(_))));
    let copy = design::copy(&t.app, &s.instructor, s.id, &client).await.unwrap();
    let copied = design::view(&t.app, &s.instructor, SurveyId(copy.id)).await.unwrap();
    assert_eq!((copied.form, copied.links.len()), (view.form.clone(), 2));

    // A mapping must be to a rated question and to one of the survey's own outcomes.
    let wrong = DesignInput {
        links: vec![
            LinkInput { question: "comments".into(), row: None, outcome_kind: "clo".into(), outcome: c.clos[0] },
            LinkInput { question: "clo1".into(), row: None, outcome_kind: "plo".into(), outcome: 1 },
        ],
        ..edit
    };
    let refused = design::save(&t.app, &s.instructor, SurveyId(copy.id), &wrong, &client).await.unwrap_err();
    let AppError::Invalid(errors) = refused else { panic!("{refused:?}") };
    assert!(errors.get("links.0").unwrap().contains("not a rating question"), "{errors:?}");
    assert!(errors.get("links.1").unwrap().contains("own CLOs"), "{errors:?}");

    // Another institution's admin finds none of it.
    let d = class(&t, "so").await;
    let (other_inst, _, _) = people(&t, &d).await;
    let admin_id = t.user_id("so", "admin@so.edu").await;
    let foreign = TestApp::admin_actor(other_inst.0, admin_id, "admin@so.edu");
    assert!(matches!(design::view(&t.app, &foreign, s.id).await, Err(AppError::NotFound)));
    assert!(matches!(results::of(&t.app, &foreign, s.id).await, Err(AppError::NotFound)));
    assert!(matches!(publish::remind(&t.app, &foreign, s.id, &client).await, Err(AppError::NotFound)));
    assert!(design::list(&t.app, &foreign).await.unwrap().is_empty());
}
