//! CSV import of programs, courses (with prerequisites) and CLOs (with their PLO mappings):
//! checked row by row into a preview first; written in one transaction only when every row is
//! right, so nothing half-imports.

use std::collections::{HashMap, HashSet};

use qobe_domain::FieldErrors;
use qobe_domain::entered::Entered;
use qobe_domain::frameworks::MappingStrength;
use qobe_domain::grades::parse_letter;
use qobe_domain::ids::{CourseId, DepartmentId, InstitutionId};
use qobe_domain::roles::Permission;
use qobe_domain::validation;
use qobe_store::academics::courses;
use qobe_store::academics::outcomes::{self as outcome_rows, OutcomeOwner, VersionOf};
use qobe_store::{Conn, structure};

use super::courses::{self as course_rules, CourseInput};
use super::outcomes::{self as outcome_rules, Kind, OutcomeInput};
use crate::checked::{CheckedFile, CheckedRow};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Programs,
    Courses,
    Clos,
}

impl ImportKind {
    pub fn parse(raw: &str) -> AppResult<ImportKind> {
        match raw {
            "programs" => Ok(ImportKind::Programs),
            "courses" => Ok(ImportKind::Courses),
            "clos" => Ok(ImportKind::Clos),
            _ => Err(AppError::field("kind", "choose programs, courses or CLOs")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Programs => "programs",
            ImportKind::Courses => "courses",
            ImportKind::Clos => "clos",
        }
    }

    /// The columns the first line must name (optional ones in brackets in the help text).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::Programs => &["department_code", "code", "name"],
            ImportKind::Courses => {
                &["code", "title", "department_code", "credits_theory", "credits_lab", "category", "prerequisites"]
            }
            ImportKind::Clos => &["course_code", "code", "text", "taxonomy_level", "program_code", "plo_mappings"],
        }
    }
}

/// The checked file: each row's cells as read.
#[derive(Debug, Clone)]
pub struct Preview {
    pub kind: ImportKind,
    pub columns: Vec<&'static str>,
    pub checked: CheckedFile<Vec<String>>,
}

impl Preview {
    pub fn is_valid(&self) -> bool {
        self.checked.is_valid()
    }
}

const MAX_ROWS: usize = 20_000;

/// Reads the file into rows keyed by the expected columns. Missing optional trailing columns are empty.
/// A data row: its line number and its cells by column name.
type CsvRow = (usize, HashMap<&'static str, String>);

fn read(kind: ImportKind, bytes: &[u8]) -> (Vec<CsvRow>, Vec<String>) {
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim_start_matches('\u{feff}').to_lowercase()).collect(),
        Err(e) => return (Vec::new(), vec![format!("The file could not be read as CSV: {e}")]),
    };
    let required = match kind {
        ImportKind::Programs => 3,
        ImportKind::Courses => 6,
        ImportKind::Clos => 4,
    };
    let missing: Vec<&str> =
        kind.columns()[..required].iter().filter(|c| !headers.iter().any(|h| h == *c)).copied().collect();
    if !missing.is_empty() {
        return (
            Vec::new(),
            vec![format!(
                "The first line must name the columns {}; missing: {}.",
                kind.columns().join(", "),
                missing.join(", ")
            )],
        );
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (index, record) in reader.records().enumerate() {
        if rows.len() >= MAX_ROWS {
            errors.push(format!("The file has more than {MAX_ROWS} rows; split it."));
            break;
        }
        match record {
            Ok(record) => {
                let mut row = HashMap::new();
                for column in kind.columns() {
                    let value =
                        headers.iter().position(|h| h == column).and_then(|i| record.get(i)).unwrap_or("").to_owned();
                    row.insert(*column, value);
                }
                rows.push((index + 2, row));
            }
            Err(e) => errors.push(format!("line {}: unreadable row: {e}", index + 2)),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push("The file has no rows under the header.".into());
    }
    (rows, errors)
}

/// Splits `A:1; B:2` into pairs; a missing value is empty.
fn pairs(raw: &str) -> Vec<(String, String)> {
    raw.split([';', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once(':') {
            Some((k, v)) => (k.trim().to_uppercase(), v.trim().to_owned()),
            None => (p.to_uppercase(), String::new()),
        })
        .collect()
}

fn field_errors(errors: FieldErrors) -> Vec<String> {
    errors.0.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect()
}

/// Checks every row, and with `write` also writes them (the caller owns the transaction).
async fn process(
    conn: &impl Conn,
    app: &App,
    institution: InstitutionId,
    kind: ImportKind,
    bytes: &[u8],
    write: bool,
) -> AppResult<Preview> {
    let (rows, file_errors) = read(kind, bytes);
    let departments = structure::departments(conn, institution).await?;
    let programs = structure::programs(conn, institution).await?;
    let catalogue = courses::list(conn, institution, "").await?;
    let mut preview =
        Preview { kind, columns: kind.columns().to_vec(), checked: CheckedFile { rows: Vec::new(), file_errors } };
    let mut seen = HashSet::new();
    let in_file: HashSet<String> =
        rows.iter().filter_map(|(_, r)| r.get("code").map(|c| c.trim().to_uppercase())).collect();
    let mut created_courses: HashMap<String, i64> = HashMap::new();
    let mut pending_prerequisites = Vec::new();
    for (line, row) in &rows {
        let cell = |name: &str| row.get(name).cloned().unwrap_or_default();
        let mut errors = FieldErrors::new();
        match kind {
            ImportKind::Programs => {
                let department =
                    departments.iter().find(|d| d.code.eq_ignore_ascii_case(cell("department_code").trim()));
                if department.is_none() {
                    errors.add("department_code", "is not a department code of this institution");
                }
                let checked = errors.take(crate::structure::code_and_name(&cell("code"), &cell("name")));
                if let Ok(code) = &validation::code(&cell("code")) {
                    if programs.iter().any(|p| &p.code == code) {
                        errors.add("code", format!("program {code} already exists"));
                    } else if !seen.insert(code.clone()) {
                        errors.add("code", format!("{code} appears more than once in the file"));
                    }
                }
                if write
                    && errors.is_empty()
                    && let (Some(department), Some((code, name))) = (department, checked)
                {
                    structure::insert_program(conn, institution, DepartmentId(department.id), &code, &name, app.now())
                        .await?;
                }
            }
            ImportKind::Courses => {
                let department =
                    departments.iter().find(|d| d.code.eq_ignore_ascii_case(cell("department_code").trim()));
                if department.is_none() {
                    errors.add("department_code", "is not a department code of this institution");
                }
                let input = CourseInput {
                    department_id: Entered::default(),
                    code: cell("code"),
                    title: cell("title"),
                    credits_theory: Entered::Text(cell("credits_theory")),
                    credits_lab: Entered::Text(cell("credits_lab")),
                    category: cell("category"),
                    description: String::new(),
                };
                let course = errors.take(course_rules::check(&input, department.map(|d| DepartmentId(d.id))));
                if let Ok(code) = &validation::code(&input.code) {
                    if catalogue.iter().any(|c| &c.code == code) {
                        errors.add("code", format!("course {code} already exists"));
                    } else if !seen.insert(code.clone()) {
                        errors.add("code", format!("{code} appears more than once in the file"));
                    }
                }
                let mut prerequisites = Vec::new();
                for (required, grade) in pairs(&cell("prerequisites")) {
                    if !in_file.contains(&required) && !catalogue.iter().any(|c| c.code == required) {
                        errors.add("prerequisites", format!("{required} is neither in the catalogue nor in this file"));
                    }
                    match parse_letter(if grade.is_empty() { "D" } else { &grade }) {
                        Ok(grade) => prerequisites.push((required, grade)),
                        Err(m) => errors.add("prerequisites", format!("{required}: minimum grade {m}")),
                    }
                }
                if write
                    && errors.is_empty()
                    && let Some(course) = course
                {
                    let row = courses::insert(conn, institution, course_rules::fields(&course), app.now()).await?;
                    created_courses.insert(course.code, row.id);
                    pending_prerequisites.push((row.id, prerequisites));
                }
            }
            ImportKind::Clos => {
                let course = catalogue.iter().find(|c| c.code.eq_ignore_ascii_case(cell("course_code").trim()));
                if course.is_none() {
                    errors.add("course_code", "is not a course code of this institution");
                }
                let input = OutcomeInput {
                    code: cell("code"),
                    text: cell("text"),
                    taxonomy_level: cell("taxonomy_level"),
                    ..OutcomeInput::default()
                };
                let clo = errors.take(outcome_rules::validate(Kind::Clo, &input));
                if let (Some(course), Ok(code)) = (course, &validation::code(&input.code)) {
                    if !seen.insert(format!("{}/{code}", course.code)) {
                        errors.add("code", format!("{} {code} appears more than once in the file", course.code));
                    }
                    let existing =
                        outcome_rows::all_versions(conn, institution, OutcomeOwner::CourseClos(course.id)).await?;
                    if existing.iter().any(|o| &o.code == code && !o.retired) {
                        errors.add("code", format!("{} already has {code}", course.code));
                    }
                }
                let mappings = pairs(&cell("plo_mappings"));
                let program = cell("program_code");
                let mut plo_targets = Vec::new();
                if !mappings.is_empty() {
                    match programs.iter().find(|p| p.code.eq_ignore_ascii_case(program.trim())) {
                        None => errors.add(
                            "program_code",
                            "is needed for plo_mappings and must be a program code of this institution",
                        ),
                        Some(p) => {
                            let plos =
                                outcome_rows::all_versions(conn, institution, OutcomeOwner::ProgramPlos(p.id)).await?;
                            for (plo, strength) in mappings {
                                let target = plos.iter().find(|o| o.code == plo && !o.retired);
                                let strength =
                                    MappingStrength::parse(if strength.is_empty() { "2" } else { &strength });
                                match (target, strength) {
                                    (Some(target), Ok(s)) => plo_targets.push((target.lineage_id, s)),
                                    (None, _) => {
                                        errors.add("plo_mappings", format!("{plo} is not a PLO of {}", p.code))
                                    }
                                    (_, Err(e)) => errors.add("plo_mappings", format!("{plo}: {e}")),
                                }
                            }
                        }
                    }
                }
                if write
                    && errors.is_empty()
                    && let (Some(course), Some(clo)) = (course, clo)
                {
                    let clo = outcome_rows::insert_version(
                        conn,
                        institution,
                        OutcomeOwner::CourseClos(course.id),
                        VersionOf::first(),
                        &outcome_rules::as_text(&clo),
                        app.now(),
                    )
                    .await?;
                    for (plo, strength) in plo_targets {
                        outcome_rows::set_clo_plo(
                            conn,
                            institution,
                            clo.id,
                            plo,
                            Some((i64::from(strength.value()), f64::from(strength.value()))),
                        )
                        .await?;
                    }
                }
            }
        }
        let cells = kind.columns().iter().map(|c| cell(c)).collect();
        preview.checked.rows.push(CheckedRow { line: *line, value: cells, errors: field_errors(errors) });
    }
    if write {
        for (course, prerequisites) in pending_prerequisites {
            for (required, grade) in prerequisites {
                let required_id = created_courses
                    .get(&required)
                    .copied()
                    .or_else(|| catalogue.iter().find(|c| c.code == required).map(|c| c.id));
                if let Some(required_id) = required_id {
                    courses::add_prerequisite(conn, institution, CourseId(course), CourseId(required_id), &grade)
                        .await?;
                }
            }
        }
    }
    Ok(preview)
}

fn permission(kind: ImportKind) -> Permission {
    match kind {
        ImportKind::Programs | ImportKind::Courses => Permission::ManageAcademicStructure,
        ImportKind::Clos => Permission::ManageOutcomes,
    }
}

/// Checks a file without writing anything.
pub async fn preview(app: &App, actor: &Actor, kind: ImportKind, bytes: &[u8]) -> AppResult<Preview> {
    let institution = actor.require(permission(kind))?;
    process(app.store.conn(), app, institution, kind, bytes, false).await
}

/// Imports every row in one transaction, or nothing (returning the preview with its errors).
pub async fn import(
    app: &App,
    actor: &Actor,
    kind: ImportKind,
    bytes: &[u8],
    client: &ClientInfo,
) -> AppResult<Result<usize, Preview>> {
    let institution = actor.require(permission(kind))?;
    let checked = process(app.store.conn(), app, institution, kind, bytes, false).await?;
    if !checked.is_valid() {
        return Ok(Err(checked));
    }
    let tx = app.store.begin().await?;
    let written = process(&tx, app, institution, kind, bytes, true).await?;
    if !written.is_valid() {
        return Ok(Err(written));
    }
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "academics.imported")
            .target(kind.as_str())
            .details(serde_json::json!({ "rows": written.checked.rows.len() })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(Ok(written.checked.rows.len()))
}
