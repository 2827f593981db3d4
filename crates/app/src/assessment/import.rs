//! Marks from a CSV file, checked whole before anything is saved, and the grid as CSV.
//!
//! Two shapes are read. **Wide**, as exported: one row per student (`email` or
//! `registration_no`), one column per item headed `Assessment Item` (e.g. `Midterm M1`) or the
//! item label alone when it is unique. **Long**: `email` (or `registration_no`), `item` and
//! `mark` columns, one row per mark. Blank cells change nothing. Every problem is named by
//! line and column.

use std::collections::HashMap;

use qobe_domain::ids::OfferingId;
use qobe_store::rows::AssessmentItem;

use super::evidence::{StoredPlan, stored_plan, student_ids};
use super::marks::{Entry, MarkInput, display, save};
use super::{edit_access, staff_access};
use crate::{Actor, App, AppError, AppResult};

/// What the preview shows: the problems, and the first rows as read.
#[derive(Debug, Clone, Default)]
pub struct MarksPreview {
    pub file_errors: Vec<String>,
    /// `line N, column C: problem`, in file order.
    pub problems: Vec<String>,
    pub marks: usize,
    pub students: usize,
    /// The first marks as understood: (line, student, item, mark).
    pub sample: Vec<(usize, String, String, String)>,
}

impl MarksPreview {
    pub fn is_valid(&self) -> bool {
        self.file_errors.is_empty() && self.problems.is_empty() && self.marks > 0
    }
}

const MAX_MARKS: usize = 200_000;
const SAMPLE: usize = 30;

/// `Assessment Item` for each item.
fn item_labels(plan: &StoredPlan) -> Vec<String> {
    plan.items
        .iter()
        .map(|i| {
            let assessment = plan.assessments.iter().find(|a| a.id == i.assessment_id).map(|a| a.name.as_str());
            format!("{} {}", assessment.unwrap_or(""), i.label).trim().to_owned()
        })
        .collect()
}

/// The item a column header or an `item` cell names.
fn find_item<'a>(plan: &'a StoredPlan, labels: &[String], name: &str) -> Option<&'a AssessmentItem> {
    let name = name.trim();
    if let Some(i) = labels.iter().position(|l| l.eq_ignore_ascii_case(name)) {
        return Some(&plan.items[i]);
    }
    let mut bare = plan.items.iter().filter(|i| i.label.eq_ignore_ascii_case(name));
    match (bare.next(), bare.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// The enrolled students by lower-case email and registration number.
async fn roster(app: &App, actor: &Actor, id: OfferingId) -> AppResult<HashMap<String, i64>> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let ids = student_ids(conn, institution, id).await?;
    let mut keys = HashMap::new();
    for person in qobe_store::accounts::people(conn, institution, &ids).await? {
        keys.insert(person.email.to_lowercase(), person.id);
    }
    for (user, number) in qobe_store::academics::cohorts::registration_numbers(conn, institution, &ids).await? {
        keys.insert(number.to_lowercase(), user);
    }
    Ok(keys)
}

/// Reads and checks the file; the marks are returned only when every row is right.
fn check(
    plan: &StoredPlan,
    rubrics: &HashMap<i64, Vec<qobe_domain::rubric::Criterion>>,
    roster: &HashMap<String, i64>,
    bytes: &[u8],
) -> (MarksPreview, Vec<MarkInput>) {
    let mut preview = MarksPreview::default();
    let mut typed = Vec::new();
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim_start_matches('\u{feff}').to_owned()).collect(),
        Err(e) => {
            preview.file_errors.push(format!("The file could not be read as CSV: {e}"));
            return (preview, typed);
        }
    };
    let lower: Vec<String> = headers.iter().map(|h| h.to_lowercase()).collect();
    let Some(student_col) = lower.iter().position(|h| h == "email" || h == "registration_no" || h == "student") else {
        preview.file_errors.push("No student column: name one column email or registration_no.".into());
        return (preview, typed);
    };
    let labels = item_labels(plan);
    let long = lower.iter().position(|h| h == "item").zip(lower.iter().position(|h| h == "mark"));
    let mut columns: Vec<(usize, &AssessmentItem)> = Vec::new();
    if long.is_none() {
        for (c, header) in headers.iter().enumerate() {
            if c == student_col || ["name", "email", "registration_no", "student"].contains(&lower[c].as_str()) {
                continue;
            }
            match find_item(plan, &labels, header) {
                Some(item) => columns.push((c, item)),
                None => preview.file_errors.push(format!(
                    "Column {header:?} is not an item of this offering's plan (items are named like {:?}).",
                    labels.first().map(String::as_str).unwrap_or("Midterm Q1")
                )),
            }
        }
        if columns.is_empty() && preview.file_errors.is_empty() {
            preview.file_errors.push("No item columns: head each column with an item, like Midterm Q1.".into());
        }
    }
    if !preview.file_errors.is_empty() {
        return (preview, typed);
    }
    let mut seen_students = std::collections::HashSet::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                preview.problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let cell = |c: usize| record.get(c).unwrap_or("");
        let who = cell(student_col);
        let Some(student) = roster.get(&who.to_lowercase()).copied() else {
            preview.problems.push(format!(
                "line {line}, column {}: {who:?} is not a student enrolled in this offering",
                headers[student_col]
            ));
            continue;
        };
        seen_students.insert(student);
        let mut push = |item: &AssessmentItem, raw: &str, column: &str, preview: &mut MarksPreview| {
            if raw.trim().is_empty() {
                return; // a blank cell changes nothing (clear a mark in the grid)
            }
            match Entry::parse(&super::rubrics::resolve_level(rubrics, item, raw), item.max_marks) {
                Ok(_) => {
                    if preview.sample.len() < SAMPLE {
                        preview.sample.push((line, who.to_owned(), item.label.clone(), raw.trim().to_uppercase()));
                    }
                    typed.push(MarkInput { student_id: student, item_id: item.id, value: raw.to_owned() });
                }
                Err(problem) => preview.problems.push(format!("line {line}, column {column}: {problem}")),
            }
        };
        match long {
            Some((item_col, mark_col)) => match find_item(plan, &labels, cell(item_col)) {
                Some(item) => push(item, cell(mark_col), &headers[mark_col], &mut preview),
                None => preview.problems.push(format!(
                    "line {line}, column {}: {:?} is not an item of this offering",
                    headers[item_col],
                    cell(item_col)
                )),
            },
            None => {
                for (c, item) in &columns {
                    push(item, cell(*c), &headers[*c], &mut preview);
                }
            }
        }
        if typed.len() > MAX_MARKS {
            preview.file_errors.push(format!("The file has more than {MAX_MARKS} marks; split it."));
            break;
        }
    }
    preview.marks = typed.len();
    preview.students = seen_students.len();
    if preview.marks == 0 && preview.file_errors.is_empty() && preview.problems.is_empty() {
        preview.file_errors.push("The file has no marks.".into());
    }
    (preview, typed)
}

/// Checks a file without saving anything.
pub async fn preview(app: &App, actor: &Actor, id: OfferingId, bytes: &[u8]) -> AppResult<MarksPreview> {
    let offering = edit_access(app, actor, id).await?;
    let plan = stored_plan(app.store.conn(), actor.institution()?, &offering).await?;
    let rubrics = super::rubrics::criteria_for(app.store.conn(), actor.institution()?, &plan.items).await?;
    let roster = roster(app, actor, id).await?;
    Ok(check(&plan, &rubrics, &roster, bytes).0)
}

/// Saves every mark of a checked file in one transaction, or returns the preview with what is
/// wrong and saves nothing.
pub async fn import(app: &App, actor: &Actor, id: OfferingId, bytes: &[u8]) -> AppResult<Result<usize, MarksPreview>> {
    let offering = edit_access(app, actor, id).await?;
    let plan = stored_plan(app.store.conn(), actor.institution()?, &offering).await?;
    let rubrics = super::rubrics::criteria_for(app.store.conn(), actor.institution()?, &plan.items).await?;
    let roster = roster(app, actor, id).await?;
    let (preview, typed) = check(&plan, &rubrics, &roster, bytes);
    if !preview.is_valid() {
        return Ok(Err(preview));
    }
    match save(app, actor, id, &typed, "import").await {
        Ok((changed, _)) => Ok(Ok(changed)),
        Err(AppError::Refused(problems)) => Ok(Err(MarksPreview { problems, ..preview })),
        Err(other) => Err(other),
    }
}

/// The grid as rows (a header, then one row per student) in the wide shape the import reads.
async fn grid_rows(app: &App, actor: &Actor, id: OfferingId) -> AppResult<Vec<Vec<String>>> {
    let (offering, _) = staff_access(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let plan = stored_plan(conn, institution, &offering).await?;
    let ids = student_ids(conn, institution, id).await?;
    let mut people = qobe_store::accounts::people(conn, institution, &ids).await?;
    qobe_domain::collation::sort_by_name(&mut people, |p| &p.name, |p| p.id);
    let column: HashMap<i64, usize> = plan.items.iter().enumerate().map(|(c, i)| (i.id, c)).collect();
    let mut cells: HashMap<i64, Vec<String>> = HashMap::new();
    for m in qobe_store::assessment::marks::for_offering(conn, institution, id).await? {
        if let Some(c) = column.get(&m.item_id) {
            cells.entry(m.user_id).or_insert_with(|| vec![String::new(); plan.items.len()])[*c] =
                display(m.score, &m.status);
        }
    }
    let mut rows = Vec::with_capacity(people.len() + 1);
    let mut header = vec!["email".to_owned(), "name".to_owned()];
    header.extend(item_labels(&plan));
    rows.push(header);
    let blank = vec![String::new(); plan.items.len()];
    for p in &people {
        let mut row = vec![p.email.clone(), p.name.clone()];
        row.extend(cells.get(&p.id).unwrap_or(&blank).iter().cloned());
        rows.push(row);
    }
    Ok(rows)
}

/// The grid as CSV (names that look like formulas neutralised by the one CSV writer).
pub async fn export(app: &App, actor: &Actor, id: OfferingId) -> AppResult<String> {
    let mut out = qobe_domain::csv_out::CsvWriter::new();
    for row in grid_rows(app, actor, id).await? {
        out.record(&row);
    }
    Ok(out.into_string())
}

/// The grid as an XLSX workbook (marks as numbers, statuses as text); it imports back as is.
pub async fn export_xlsx(app: &App, actor: &Actor, id: OfferingId) -> AppResult<Vec<u8>> {
    use crate::spreadsheet::{Cell, Sheet, workbook};
    let mut rows = grid_rows(app, actor, id).await?.into_iter();
    let header = rows.next().unwrap_or_default();
    let rows: Vec<Vec<Cell>> = rows
        .map(|row| {
            row.into_iter()
                .enumerate()
                .map(|(c, value)| match value.parse::<f64>() {
                    Ok(n) if c > 1 => Cell::Number(n),
                    _ if value.is_empty() => Cell::Empty,
                    _ => Cell::Text(value),
                })
                .collect()
        })
        .collect();
    workbook(&[Sheet { name: "Marks".into(), title: String::new(), header, rows }])
}
