//! Marks: the grid of an offering's students × items, saving one cell or many (all or nothing,
//! each problem named by row), and the history of every change.

use std::collections::HashMap;

use qobe_domain::ids::{ItemId, OfferingId, UserId};
use qobe_store::accounts;
use qobe_store::accounts::Person;
use qobe_store::assessment::marks::{self as mark_rows, Change, NewMark};
use qobe_store::rows::{AssessmentItem, MarkChange};

use super::attainment::{OfferingAttainment, compute};
use super::evidence::{StoredPlan, stored_plan, student_ids};
use super::{Access, edit_access, staff_access};
use crate::academics::offerings::OfferingView;
use crate::{Actor, App, AppError, AppResult};

/// A mark as typed or shown: a number, `AB` (absent), `EX` (excused), `NA` (not attempted), or
/// blank (none yet).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Entry {
    Score(f64),
    Absent,
    Excused,
    NotAttempted,
    Clear,
}

impl Entry {
    /// Parses what was typed into a cell of an item worth `max` marks.
    pub fn parse(raw: &str, max: f64) -> Result<Entry, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "" => Ok(Entry::Clear),
            "ab" | "a" | "absent" => Ok(Entry::Absent),
            "ex" | "e" | "excused" => Ok(Entry::Excused),
            "na" | "n" | "-" | "not attempted" => Ok(Entry::NotAttempted),
            number => {
                let hundredths = hundredths(number)?
                    .ok_or_else(|| format!("{:?} is not a mark: type a number, AB, EX or NA", raw.trim()))?;
                let value = hundredths as f64 / 100.0;
                if !(0.0..=max).contains(&value) {
                    return Err(format!("{} is outside 0–{}", display_number(value), display_number(max)));
                }
                Ok(Entry::Score(value))
            }
        }
    }

    fn stored(self) -> Option<(Option<f64>, &'static str)> {
        match self {
            Entry::Score(s) => Some((Some(s), "score")),
            Entry::Absent => Some((None, "absent")),
            Entry::Excused => Some((None, "excused")),
            Entry::NotAttempted => Some((None, "not_attempted")),
            Entry::Clear => None,
        }
    }
}

/// A typed number as a whole count of hundredths, read as decimal text (never through a binary
/// float, in which 0.29 × 100 is 28.999…): `4.35` → 435, `-0` → 0. `Ok(None)` when it is not a
/// plain decimal number; an error when it has more than two decimals.
fn hundredths(text: &str) -> Result<Option<i64>, String> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let is_digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !is_digits(whole) || !is_digits(fraction) || whole.len() > 9 {
        return Ok(None);
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > 2 {
        return Err(format!("{text} has more than two decimals"));
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| format!("{text} is too large"))? };
    let fraction: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    let value = whole * 100 + fraction;
    Ok(Some(if negative { -value } else { value }))
}

pub fn display_number(value: f64) -> String {
    format!("{}", (value * 100.0).round() / 100.0)
}

/// How a stored mark shows in the grid and in the history.
pub fn display(score: Option<f64>, status: &str) -> String {
    match (status, score) {
        ("absent", _) => "AB".into(),
        ("excused", _) => "EX".into(),
        ("not_attempted", _) => "NA".into(),
        (_, Some(s)) => display_number(s),
        _ => String::new(),
    }
}

pub struct Grid {
    pub offering: OfferingView,
    pub plan: StoredPlan,
    pub students: Vec<Person>,
    /// `cells[student][item]`, as shown.
    pub cells: Vec<Vec<String>>,
    pub access: Access,
    /// Why marks can't be changed now (the marks-entry window closed), if so.
    pub closed: Option<String>,
}

/// Instructors enter marks until the term's marks-entry window closes; academic
/// administrators may still correct them afterwards.
pub(crate) fn closed_reason(app: &App, actor: &Actor, offering: &OfferingView) -> Option<String> {
    let closes = offering.term.marks_entry_closes_at;
    (app.now() > closes && !actor.can(qobe_domain::roles::Permission::ManageAcademicStructure))
        .then(|| format!("Marks entry for {} closed on {}.", offering.term.name, closes.format("%Y-%m-%d")))
}

pub async fn grid(app: &App, actor: &Actor, id: OfferingId) -> AppResult<Grid> {
    let (offering, access) = staff_access(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let plan = stored_plan(conn, institution, &offering).await?;
    let ids = student_ids(conn, institution, id).await?;
    let mut students = accounts::people(conn, institution, &ids).await?;
    qobe_domain::collation::sort_by_name(&mut students, |s| &s.name, |s| s.id);
    let column: HashMap<i64, usize> = plan.items.iter().enumerate().map(|(c, i)| (i.id, c)).collect();
    let row: HashMap<i64, usize> = students.iter().enumerate().map(|(r, s)| (s.id, r)).collect();
    let mut cells = vec![vec![String::new(); plan.items.len()]; students.len()];
    for m in mark_rows::for_offering(conn, institution, id).await? {
        if let (Some(r), Some(c)) = (row.get(&m.user_id), column.get(&m.item_id)) {
            cells[*r][*c] = display(m.score, &m.status);
        }
    }
    let locked = crate::results::ensure_marks_editable(conn, institution, id).await.err().map(|e| e.to_string());
    let closed = closed_reason(app, actor, &offering).or(locked);
    Ok(Grid { offering, plan, students, cells, access, closed })
}

/// One mark to save, and one mark as the API shows it: whose, on which item, and what was typed
/// (a number, `AB`, `EX`, `NA`, a rubric level, or empty for none). The marks grid, a file
/// import and `PUT /api/v1/offerings/{id}/marks` all save these.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MarkIo)]
pub struct MarkInput {
    #[serde(deserialize_with = "qobe_domain::whole::number")]
    pub student_id: i64,
    #[serde(deserialize_with = "qobe_domain::whole::number")]
    pub item_id: i64,
    /// A value that is not a mark of the item is refused (409) with the others.
    #[schema(pattern = "optional_text")]
    pub value: String,
}

/// The marks of one save.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MarksIn)]
pub struct MarksInput {
    pub marks: Vec<MarkInput>,
}

/// One refused mark of a batch: its row (1-based), whose it is and what is wrong.
struct Problem {
    row: usize,
    student: i64,
    message: String,
}

/// The problems as people read them: the row, the student by name and registration number
/// (names repeat), and the item, e.g. `row 3: Ayesha Khan (BSCE-00012), Q2: 25 is outside 0–20`.
async fn described(
    conn: &impl qobe_store::Conn,
    institution: qobe_domain::ids::InstitutionId,
    problems: Vec<Problem>,
) -> AppResult<Vec<String>> {
    let mut ids: Vec<i64> = problems.iter().map(|p| p.student).collect();
    ids.sort_unstable();
    ids.dedup();
    let people: HashMap<i64, String> =
        accounts::people(conn, institution, &ids).await?.into_iter().map(|p| (p.id, p.label())).collect();
    Ok(problems
        .into_iter()
        .map(|p| {
            let who = people.get(&p.student).cloned().unwrap_or_else(|| format!("student {}", p.student));
            format!("row {}: {who}, {}", p.row, p.message)
        })
        .collect())
}

/// Saves marks in one transaction: all of them, or none with every problem listed by row
/// (1-based). Unchanged cells are skipped; each change is recorded with its old and new value.
/// Returns how many marks changed and the offering's attainment afterwards.
pub async fn save(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    typed: &[MarkInput],
    source: &'static str,
) -> AppResult<(usize, OfferingAttainment)> {
    let offering = edit_access(app, actor, id).await?;
    if let Some(reason) = closed_reason(app, actor, &offering) {
        return Err(AppError::Refused(vec![reason]));
    }
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let (changed, plan, class_list) = write(&tx, app, actor, &offering, typed, source).await?;
    qobe_store::commit(tx).await?;
    // The plan and the class list were read in the transaction; only the marks changed.
    let evidence = super::evidence::evidence_for(app.store.conn(), institution, &offering, &plan, class_list).await?;
    let policy = super::evidence::policy_for(app.store.conn(), institution, None).await?;
    Ok((changed, compute(&policy, &plan, &evidence)))
}

/// Writes marks through the caller's transaction `tx` (the caller has checked that the actor
/// edits the offering and that marks entry is open): all of them, or none with every problem
/// listed by row. Returns how many changed, with the plan and the class list it read.
pub(crate) async fn write(
    tx: &impl qobe_store::Conn,
    app: &App,
    actor: &Actor,
    offering: &OfferingView,
    typed: &[MarkInput],
    source: &'static str,
) -> AppResult<(usize, StoredPlan, Vec<i64>)> {
    let institution = actor.institution()?;
    let id = OfferingId(offering.offering.id);
    crate::results::ensure_marks_editable(tx, institution, id).await?;
    let plan = stored_plan(tx, institution, offering).await?;
    let items: HashMap<i64, &AssessmentItem> = plan.items.iter().map(|i| (i.id, i)).collect();
    let rubrics = super::rubrics::criteria_for(tx, institution, &plan.items).await?;
    let class_list = student_ids(tx, institution, id).await?;
    let enrolled: std::collections::HashSet<i64> = class_list.iter().copied().collect();
    let mut typed_students: Vec<i64> = typed.iter().map(|t| t.student_id).collect();
    typed_students.sort_unstable();
    typed_students.dedup();
    let stored = if typed_students.len() <= 100 {
        mark_rows::for_students(tx, institution, id, &typed_students).await?
    } else {
        mark_rows::for_offering(tx, institution, id).await?
    };
    let current: HashMap<(i64, i64), String> =
        stored.into_iter().map(|m| ((m.item_id, m.user_id), display(m.score, &m.status))).collect();
    let mut problems = Vec::new();
    let mut upserts = Vec::new();
    let mut removals = Vec::new();
    let mut changes: Vec<(i64, i64, Option<String>, Option<String>)> = Vec::new();
    // A cell typed twice in one save is a mistake in the file or the request, not two changes.
    let mut first_row: HashMap<(i64, i64), usize> = HashMap::new();
    for (n, t) in typed.iter().enumerate() {
        if let Some(first) = first_row.insert((t.item_id, t.student_id), n + 1) {
            first_row.insert((t.item_id, t.student_id), first);
            let message = format!("repeats the mark of row {first} (same student and item)");
            problems.push(Problem { row: n + 1, student: t.student_id, message });
            continue;
        }
        let Some(item) = items.get(&t.item_id) else {
            let message = format!("item {} is not in this offering's plan", t.item_id);
            problems.push(Problem { row: n + 1, student: t.student_id, message });
            continue;
        };
        if !enrolled.contains(&t.student_id) {
            let message = "is not enrolled in this offering".to_owned();
            problems.push(Problem { row: n + 1, student: t.student_id, message });
            continue;
        }
        let value = super::rubrics::resolve_level(&rubrics, item, &t.value);
        let entry = match Entry::parse(&value, item.max_marks) {
            Ok(entry) => entry,
            Err(message) => {
                problems.push(Problem {
                    row: n + 1,
                    student: t.student_id,
                    message: format!("{}: {message}", item.label),
                });
                continue;
            }
        };
        let old = current.get(&(t.item_id, t.student_id)).cloned();
        let new = entry.stored().map(|(score, status)| display(score, status));
        if old.as_deref().unwrap_or("") == new.as_deref().unwrap_or("") {
            continue;
        }
        match entry.stored() {
            Some((score, status)) => {
                upserts.push(NewMark { offering: id, item: t.item_id, user: UserId(t.student_id), score, status })
            }
            None => removals.push((t.item_id, t.student_id)),
        }
        changes.push((t.item_id, t.student_id, old, new));
    }
    if !problems.is_empty() {
        return Err(AppError::Refused(described(tx, institution, problems).await?));
    }
    let now = app.now();
    mark_rows::upsert(tx, institution, &upserts, actor.user_id, now).await?;
    for (item, student) in &removals {
        mark_rows::remove(tx, institution, ItemId(*item), UserId(*student)).await?;
    }
    let records: Vec<Change<'_>> = changes
        .iter()
        .map(|(item, student, old, new)| Change {
            offering: id,
            item: *item,
            user: UserId(*student),
            old_value: old.as_deref(),
            new_value: new.as_deref(),
            source,
        })
        .collect();
    mark_rows::record_changes(tx, institution, &records, actor.user_id, now).await?;
    Ok((changes.len(), plan, class_list))
}

/// One change as shown in the history.
pub struct ChangeLine {
    pub change: MarkChange,
    pub item: String,
    pub student: String,
    pub by: String,
}

/// Every change to the offering's marks, newest first (optionally one student's).
pub async fn history(app: &App, actor: &Actor, id: OfferingId, student: Option<i64>) -> AppResult<Vec<ChangeLine>> {
    let (offering, _) = staff_access(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let plan = stored_plan(conn, institution, &offering).await?;
    let changes = mark_rows::changes(conn, institution, id, student.map(UserId)).await?;
    let mut people: Vec<i64> = changes.iter().flat_map(|c| [c.user_id, c.changed_by]).collect();
    people.sort_unstable();
    people.dedup();
    let names: HashMap<i64, String> =
        accounts::people(conn, institution, &people).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let label = |item: i64| {
        let found = plan.items.iter().find(|i| i.id == item);
        let assessment = found.and_then(|i| plan.assessments.iter().find(|a| a.id == i.assessment_id));
        match (assessment, found) {
            (Some(a), Some(i)) => format!("{} {}", a.name, i.label),
            _ => format!("item {item}"),
        }
    };
    Ok(changes
        .into_iter()
        .map(|c| ChangeLine {
            item: label(c.item_id),
            student: names.get(&c.user_id).cloned().unwrap_or_default(),
            by: names.get(&c.changed_by).cloned().unwrap_or_default(),
            change: c,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_decimal_marks_are_read_as_decimals() {
        for (typed, expected) in
            [("0.29", 0.29), ("0.57", 0.57), ("1.13", 1.13), ("4.35", 4.35), ("7.5", 7.5), ("10", 10.0)]
        {
            assert_eq!(Entry::parse(typed, 10.0), Ok(Entry::Score(expected)), "{typed}");
        }
        assert_eq!(Entry::parse("4.350", 10.0), Ok(Entry::Score(4.35)), "trailing zeros are not decimals");
        assert_eq!(Entry::parse(".5", 10.0), Ok(Entry::Score(0.5)));
        assert_eq!(Entry::parse("4.355", 10.0), Err("4.355 has more than two decimals".to_owned()));
    }

    #[test]
    fn minus_zero_is_zero_and_other_shapes_are_not_marks() {
        match Entry::parse("-0", 10.0) {
            Ok(Entry::Score(zero)) => assert!(zero == 0.0 && zero.is_sign_positive(), "{zero}"),
            other => panic!("-0 is a zero mark: {other:?}"),
        }
        assert_eq!(display(Some(0.0), "score"), "0");
        assert_eq!(Entry::parse("-0.00", 10.0), Ok(Entry::Score(0.0)));
        assert_eq!(Entry::parse("-1", 10.0), Err("-1 is outside 0–10".to_owned()));
        assert_eq!(Entry::parse("10.01", 10.0), Err("10.01 is outside 0–10".to_owned()));
        for junk in ["1e1", "inf", "NaN", "1,5", ".", "5..", "0x10", "99999999999"] {
            assert_eq!(
                Entry::parse(junk, 10.0),
                Err(format!("{junk:?} is not a mark: type a number, AB, EX or NA")),
                "{junk}"
            );
        }
        assert_eq!(Entry::parse(" ab ", 10.0), Ok(Entry::Absent));
    }
}
