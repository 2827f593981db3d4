//! The class × item progress table an offering's staff see: each student's completion of each
//! published item, with their share done, downloadable as CSV and XLSX.

use std::collections::HashMap;

use qobe_domain::ids::OfferingId;
use qobe_domain::learning::Progress;
use qobe_domain::registration::EnrollmentStatus;
use qobe_store::learning as rows;

use super::{ContentItem, Viewer, completion, viewer};
use crate::academics::offerings::OfferingView;
use crate::reports::Report;
use crate::spreadsheet::{Cell as SheetCell, Sheet};
use crate::{Actor, App, AppError, AppResult};

/// One student's cell for one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Completed,
    /// Opened, but the item asks to be marked done.
    Opened,
    NotStarted,
}

impl Cell {
    pub fn label(self) -> &'static str {
        match self {
            Cell::Completed => "Completed",
            Cell::Opened => "Opened",
            Cell::NotStarted => "Not started",
        }
    }
}

pub struct StudentRow {
    pub name: String,
    pub registration: String,
    pub cells: Vec<Cell>,
    pub progress: Progress,
}

pub struct ProgressTable {
    pub offering: OfferingView,
    /// The published items of published modules, in order.
    pub items: Vec<ContentItem>,
    pub students: Vec<StudentRow>,
    /// How many students completed each item.
    pub completed_per_item: Vec<u32>,
}

pub async fn table(app: &App, actor: &Actor, offering: OfferingId) -> AppResult<ProgressTable> {
    let (view, viewer) = viewer(app, actor, offering).await?;
    if !matches!(viewer, Viewer::Staff(_)) {
        return Err(AppError::Forbidden);
    }
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let modules = rows::modules(conn, institution, offering).await?;
    let all = rows::items(conn, institution, offering).await?;
    let items: Vec<ContentItem> = modules
        .iter()
        .filter(|m| m.published)
        .flat_map(|m| all.iter().filter(move |i| i.module_id == m.id && i.published).cloned())
        .collect();
    let mut by_student: HashMap<(i64, i64), (bool, bool)> = HashMap::new();
    for row in rows::completions(conn, institution, offering).await? {
        by_student.insert((row.user_id, row.item_id), (row.viewed_at.is_some(), row.done_at.is_some()));
    }
    let enrollments = qobe_store::registration::for_offering(conn, institution, offering).await?;
    let studying: Vec<i64> =
        enrollments.iter().filter(|e| EnrollmentStatus::in_class(&e.status)).map(|e| e.user_id).collect();
    let mut people = qobe_store::accounts::people(conn, institution, &studying).await?;
    qobe_domain::collation::sort_by_name(&mut people, |p| &p.name, |p| p.id);
    let mut completed_per_item = vec![0u32; items.len()];
    let students = people
        .into_iter()
        .map(|person| {
            let mut progress = Progress::default();
            let cells = items
                .iter()
                .enumerate()
                .map(|(at, item)| {
                    let (viewed, done) = by_student.get(&(person.id, item.id)).copied().unwrap_or_default();
                    let completed = completion(item).met(viewed, done);
                    progress.add(completed);
                    if completed {
                        completed_per_item[at] += 1;
                        Cell::Completed
                    } else if viewed {
                        Cell::Opened
                    } else {
                        Cell::NotStarted
                    }
                })
                .collect();
            StudentRow { name: person.name, registration: person.registration, cells, progress }
        })
        .collect();
    Ok(ProgressTable { offering: view, items, students, completed_per_item })
}

impl ProgressTable {
    /// The table as a report: CSV and XLSX (and PDF) as every report downloads.
    pub fn report(&self) -> Report {
        let mut header = vec!["Student".to_owned(), "Registration number".to_owned()];
        header.extend(self.items.iter().map(|i| i.title.clone()));
        header.extend(["Completed".to_owned(), "Share completed".to_owned()]);
        let rows = self
            .students
            .iter()
            .map(|student| {
                let mut row =
                    vec![SheetCell::Text(student.name.clone()), SheetCell::Text(student.registration.clone())];
                row.extend(student.cells.iter().map(|c| SheetCell::Text(c.label().to_owned())));
                row.push(SheetCell::Number(f64::from(student.progress.completed)));
                let share = (student.progress.total > 0)
                    .then(|| f64::from(student.progress.completed) / f64::from(student.progress.total));
                row.push(SheetCell::percent(share));
                row
            })
            .collect();
        let offering = &self.offering;
        let name = format!("{} {} section {}", offering.course.code, offering.term.code, offering.offering.section);
        Report {
            file: format!(
                "content-progress-{}-{}-{}",
                offering.course.code, offering.term.code, offering.offering.section
            ),
            title: format!("Content progress: {name}"),
            subtitle: format!("{} students, {} published items", self.students.len(), self.items.len()),
            charts: Vec::new(),
            tables: vec![Sheet {
                name: "Progress".into(),
                title: "Completion by student and item".into(),
                header,
                rows,
            }],
        }
    }
}
