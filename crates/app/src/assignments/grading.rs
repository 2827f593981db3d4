//! Grading: the offering's staff see every student's standing (versions, lateness, extension,
//! graded or not); its editors grade one student at a time — marks on the assessment's items or
//! its rubric's levels, and feedback — in an order that hides names while an anonymous
//! assignment's marks are unreleased. What is given, less the late penalty of the student's
//! latest version, is written to the marks grid in the same transaction as the grade, with the
//! grid's own history; so it is CLO evidence at once.

use std::collections::HashMap;

use qobe_domain::assignments::{self as rules, after_penalty};
use qobe_domain::ids::{AssignmentId, OfferingId, UserId};
use qobe_domain::rubric::Criterion;
use qobe_store::assignments::{self as rows, NewGrade};
use qobe_store::rows::AssessmentItem;
use serde::Deserialize;

use super::submit::{Version, with_files};
use super::{Assignment, Extension, Submission, deadline_for, late_policy, names_hidden, reach, to_edit};
use crate::academics::offerings::OfferingView;
use crate::assessment::marks::{self, Entry, MarkInput};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// A student as the graders see them: by name, or "Student 7" while names are hidden; `key`
/// names them in addresses without saying who they are.
#[derive(Debug, Clone)]
pub struct Graded {
    pub key: String,
    pub label: String,
    pub user: i64,
}

fn key_of(assignment: &Assignment, user: i64) -> String {
    format!("{:016x}", rules::anonymous_key(assignment.id, user))
}

/// The class in grading order: by name, or by the assignment's own shuffle while names are hidden.
pub(super) async fn class_order(app: &App, actor: &Actor, assignment: &Assignment) -> AppResult<Vec<Graded>> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let ids = crate::assessment::evidence::student_ids(conn, institution, OfferingId(assignment.offering_id)).await?;
    let mut people = qobe_store::accounts::people(conn, institution, &ids).await?;
    if names_hidden(assignment) {
        people.sort_by_key(|p| rules::anonymous_key(assignment.id, p.id));
        Ok(people
            .iter()
            .enumerate()
            .map(|(n, p)| Graded { key: key_of(assignment, p.id), label: format!("Student {}", n + 1), user: p.id })
            .collect())
    } else {
        qobe_domain::collation::sort_by_name(&mut people, |p| &p.name, |p| p.id);
        Ok(people.iter().map(|p| Graded { key: key_of(assignment, p.id), label: p.label(), user: p.id }).collect())
    }
}

/// One student's line of the overview.
#[derive(Debug, Clone)]
pub struct Line {
    pub student: Graded,
    pub latest: Option<Submission>,
    pub versions: usize,
    pub extension: Option<Extension>,
    pub graded: bool,
}

pub struct Overview {
    pub assignment: Assignment,
    pub offering: OfferingView,
    pub edits: bool,
    pub lines: Vec<Line>,
}

/// Every student's standing, for the offering's staff.
pub async fn overview(app: &App, actor: &Actor, id: AssignmentId) -> AppResult<Overview> {
    let (assignment, offering, viewer) = reach(app, actor, id).await?;
    if viewer.is_student() {
        return Err(AppError::Forbidden);
    }
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let all = rows::submissions(conn, institution, id, None).await?;
    let extensions = rows::extensions(conn, institution, id).await?;
    let grades = rows::grades(conn, institution, id).await?;
    let lines = class_order(app, actor, &assignment)
        .await?
        .into_iter()
        .map(|student| {
            let own: Vec<&Submission> = all.iter().filter(|s| s.user_id == student.user).collect();
            Line {
                latest: own.last().map(|s| (*s).clone()),
                versions: own.len(),
                extension: extensions.iter().find(|e| e.user_id == student.user).cloned(),
                graded: grades.iter().any(|g| g.user_id == student.user),
                student,
            }
        })
        .collect();
    Ok(Overview { assignment, offering, edits: viewer.edits(), lines })
}

/// An item to mark, with its rubric's levels when it is scored by one.
#[derive(Debug, Clone)]
pub struct Markable {
    pub item: AssessmentItem,
    /// (level, points), best first.
    pub levels: Vec<(String, f64)>,
}

/// One student's work open for grading.
pub struct Grading {
    pub assignment: Assignment,
    pub offering: OfferingView,
    pub student: Graded,
    /// 1-based place in the class order, and the class's size.
    pub position: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub versions: Vec<Version>,
    pub items: Vec<Markable>,
    /// What was given per item (before the penalty), as typed.
    pub given: HashMap<i64, String>,
    pub feedback: String,
    /// Share taken off for lateness by the latest version.
    pub penalty: f64,
    pub units_late: i64,
}

async fn markables(app: &App, actor: &Actor, assignment: &Assignment) -> AppResult<Vec<Markable>> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let items: Vec<AssessmentItem> =
        qobe_store::assessment::plans::items(conn, institution, OfferingId(assignment.offering_id))
            .await?
            .into_iter()
            .filter(|i| i.assessment_id == assignment.assessment_id)
            .collect();
    let rubrics = crate::assessment::rubrics::criteria_for(conn, institution, &items).await?;
    let criterion = |item: &AssessmentItem| -> Option<&Criterion> {
        let (rubric, index) = item.rubric_id.zip(item.rubric_criterion)?;
        rubrics.get(&rubric)?.get(usize::try_from(index).ok()?)
    };
    let mut out: Vec<Markable> = items
        .iter()
        .map(|item| Markable {
            levels: criterion(item)
                .map(|c| c.levels.iter().map(|l| (l.label.clone(), l.points)).collect())
                .unwrap_or_default(),
            item: item.clone(),
        })
        .collect();
    out.sort_by_key(|m| m.item.position);
    Ok(out)
}

/// Opens a student's work (the first in the order when `key` is none) for grading.
pub async fn grading(app: &App, actor: &Actor, id: AssignmentId, key: Option<&str>) -> AppResult<Grading> {
    let (assignment, offering) = to_edit(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let order = class_order(app, actor, &assignment).await?;
    let at = match key {
        Some(key) => order.iter().position(|s| s.key == key).ok_or(AppError::NotFound)?,
        None if order.is_empty() => {
            return Err(AppError::Refused(vec!["No student is enrolled in this offering yet.".into()]));
        }
        None => 0,
    };
    let student = order[at].clone();
    let versions = rows::submissions(conn, institution, id, Some(UserId(student.user))).await?;
    let grade = rows::grades(conn, institution, id).await?.into_iter().find(|g| g.user_id == student.user);
    let units_late = versions.last().map_or(0, |v| v.units_late);
    let given: HashMap<i64, String> = grade
        .as_ref()
        .and_then(|g| serde_json::from_str::<HashMap<String, String>>(&g.given).ok())
        .map(|m| m.into_iter().filter_map(|(k, v)| Some((k.parse().ok()?, v))).collect())
        .unwrap_or_default();
    Ok(Grading {
        previous: at.checked_sub(1).map(|p| order[p].key.clone()),
        next: order.get(at + 1).map(|s| s.key.clone()),
        position: at + 1,
        total: order.len(),
        versions: with_files(app, actor, versions).await?,
        items: markables(app, actor, &assignment).await?,
        given,
        feedback: grade.map(|g| g.feedback).unwrap_or_default(),
        penalty: late_policy(&assignment).penalty(u32::try_from(units_late).unwrap_or(0)),
        units_late,
        student,
        assignment,
        offering,
    })
}

/// One mark given on an item: a number, a rubric level's name, `AB`, `EX`, `NA`, or empty.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GivenMark {
    #[serde(deserialize_with = "qobe_domain::whole::number")]
    pub item: i64,
    #[schema(pattern = "optional_text")]
    pub value: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeInput {
    pub marks: Vec<GivenMark>,
    /// Markdown, shown to the student once the marks are released.
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub feedback: String,
}

/// Whose work a grade is for: by the key of the grading order (pages) or by id (API).
#[derive(Debug, Clone)]
pub enum Whom {
    Key(String),
    Student(i64),
}

/// Grades a student: the marks given (less the late penalty) go to the marks grid with its
/// history, the grade (as given, with the penalty and feedback) beside them, in one
/// transaction; audited. Returns how many marks changed in the grid.
pub async fn grade(
    app: &App,
    actor: &Actor,
    id: AssignmentId,
    whom: &Whom,
    input: &GradeInput,
    client: &ClientInfo,
) -> AppResult<usize> {
    let (assignment, offering) = to_edit(app, actor, id).await?;
    if let Some(reason) = marks::closed_reason(app, actor, &offering) {
        return Err(AppError::Refused(vec![reason]));
    }
    let institution = actor.institution()?;
    let order = class_order(app, actor, &assignment).await?;
    let student = match whom {
        Whom::Key(key) => order.iter().find(|s| &s.key == key),
        Whom::Student(user) => order.iter().find(|s| s.user == *user),
    }
    .ok_or(AppError::NotFound)?
    .user;
    let items = markables(app, actor, &assignment).await?;
    let conn = app.store.conn();
    let rubrics = crate::assessment::rubrics::criteria_for(
        conn,
        institution,
        &items.iter().map(|m| m.item.clone()).collect::<Vec<_>>(),
    )
    .await?;
    let versions = rows::submissions(conn, institution, id, Some(UserId(student))).await?;
    let units_late = versions.last().map_or(0, |v| v.units_late);
    let penalty = late_policy(&assignment).penalty(u32::try_from(units_late).unwrap_or(0));
    let mut errors = qobe_domain::FieldErrors::new();
    let feedback = errors.check("feedback", qobe_domain::validation::optional_text(&input.feedback, 20_000)).flatten();
    let mut typed = Vec::new();
    let mut given = serde_json::Map::new();
    for mark in &input.marks {
        let Some(markable) = items.iter().find(|m| m.item.id == mark.item) else {
            errors.refuse("marks", format!("item {} is not part of this assignment", mark.item));
            continue;
        };
        let item = &markable.item;
        let value = crate::assessment::rubrics::resolve_level(&rubrics, item, &mark.value);
        let stored = match Entry::parse(&value, item.max_marks) {
            Ok(Entry::Score(score)) => marks::display_number(after_penalty(score, penalty)),
            Ok(_) => value.trim().to_owned(),
            Err(message) => {
                errors.refuse(&format!("item-{}", item.id), format!("{}: {message}", item.label));
                continue;
            }
        };
        given.insert(item.id.to_string(), serde_json::Value::String(mark.value.trim().to_owned()));
        typed.push(MarkInput { student_id: student, item_id: item.id, value: stored });
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let tx = app.store.begin().await?;
    let (changed, _, _) = marks::write(&tx, app, actor, &offering, &typed, "assignment").await?;
    let given = serde_json::Value::Object(given).to_string();
    let feedback = feedback.unwrap_or_default();
    let new = NewGrade {
        assignment: id,
        user: UserId(student),
        given: &given,
        penalty,
        feedback: &feedback,
        by: actor.user_id,
    };
    rows::record_grade(&tx, institution, new, app.now()).await?;
    let details =
        serde_json::json!({"assignment": id.0, "student": student, "penalty": penalty, "marks_changed": changed});
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "assignment.graded").target(&assignment.title).details(details),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(changed)
}

/// A student's deadline, for the overview.
pub fn deadline_of(assignment: &Assignment, line: &Line) -> qobe_domain::assignments::Deadline {
    deadline_for(assignment, line.extension.as_ref())
}
