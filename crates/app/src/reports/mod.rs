//! Every report page as a download: the tables it shows as CSV (one table) or as an XLSX
//! workbook (all of them, formatted), and the whole page — charts and tables — as a PDF.

mod attainment;
mod cqi;
mod curriculum;
pub mod jobs;
mod matrix;
pub mod program;
mod survey;
mod transcript;
mod trends;

pub use attainment::clo_attainment;
pub use cqi::cqi_dashboard;
pub use curriculum::curriculum;
pub use matrix::matrix;
pub use survey::{indirect_chart, question_chart, survey_results};
pub use transcript::outcome_transcript;
pub use trends::clo_trend;

use qobe_domain::csv_out::CsvWriter;

use crate::spreadsheet::{Cell, Sheet, workbook};
use crate::{Actor, App, AppError, AppResult};

/// A report as the page shows it: title, charts (SVG) and tables.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The file name without extension; anything but letters, digits and `-` becomes `-`.
    pub file: String,
    pub title: String,
    pub subtitle: String,
    pub charts: Vec<String>,
    pub tables: Vec<Sheet>,
}

impl Report {
    pub fn file_name(&self, extension: &str) -> String {
        let stem: String =
            self.file.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
        format!("{stem}.{extension}")
    }

    /// Table `index` as CSV, numbers as numbers and percentages to one decimal (formula-like
    /// text neutralised by the one CSV writer).
    pub fn csv(&self, index: usize) -> AppResult<Vec<u8>> {
        let table = self.tables.get(index).ok_or(AppError::NotFound)?;
        let mut out = CsvWriter::new();
        out.record(&table.header);
        for row in &table.rows {
            let mut cells: Vec<String> = row.iter().map(Cell::text).collect();
            cells.resize(table.header.len().max(cells.len()), String::new());
            out.record(&cells);
        }
        Ok(out.into_bytes())
    }

    /// Every table as a sheet of one workbook.
    pub fn xlsx(&self) -> AppResult<Vec<u8>> {
        workbook(&self.tables)
    }

    fn pdf_data(&self, letterhead: &Letterhead) -> serde_json::Value {
        let shown = |cell: &Cell| match cell {
            Cell::Percent(p) => serde_json::json!({ "t": format!("{:.1}%", p * 100.0), "h": p }),
            other => serde_json::json!({ "t": other.text(), "h": null }),
        };
        let widest = self.tables.iter().map(|t| t.header.len()).max().unwrap_or(0);
        serde_json::json!({
            "institution": letterhead.institution,
            "generated": letterhead.generated,
            "logo": letterhead.logo_file(),
            "title": self.title,
            "subtitle": self.subtitle,
            "landscape": widest > 7,
            "charts": self.charts.iter().map(|_| true).collect::<Vec<_>>(),
            "tables": self.tables.iter().map(|t| serde_json::json!({
                "name": t.title,
                "header": t.header,
                "rows": t.rows.iter().map(|r| {
                    let mut cells: Vec<serde_json::Value> = r.iter().map(shown).collect();
                    cells.resize(t.header.len(), serde_json::json!({ "t": "", "h": null }));
                    cells
                }).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// What every document prints in its header and footer: the institution's name and logo, and
/// when it was made.
pub struct Letterhead {
    pub institution: String,
    pub generated: String,
    /// The logo's PNG bytes.
    logo: Option<Vec<u8>>,
}

impl Letterhead {
    pub async fn of(app: &App, actor: &Actor) -> AppResult<Letterhead> {
        let institution = actor.institution()?;
        let name = qobe_store::tenancy::get(app.store.conn(), institution).await?.map(|i| i.name).unwrap_or_default();
        Ok(Letterhead {
            institution: name,
            generated: app.now().format("%Y-%m-%d %H:%M UTC").to_string(),
            logo: match crate::tenancy::logo(app, institution).await? {
                Some(file) => Some(crate::files::read(app, &file).await?),
                None => None,
            },
        })
    }

    /// The logo's file name for a template (`null` in its data when there is none).
    pub fn logo_file(&self) -> Option<String> {
        self.logo.as_ref().map(|_| "logo.png".to_owned())
    }

    /// Adds the logo (if any) to a document's files.
    pub fn attach(self, files: &mut qobe_documents::Files) {
        if let (Some(name), Some(logo)) = (self.logo_file(), self.logo) {
            files.push((name, logo));
        }
    }
}

/// The report typeset as a PDF with the institution's name (and logo, when it has one) in the
/// header and the generation time in the footer.
pub async fn pdf(app: &App, actor: &Actor, report: &Report) -> AppResult<Vec<u8>> {
    let letterhead = Letterhead::of(app, actor).await?;
    let data = report.pdf_data(&letterhead);
    let mut files = vec![("data.json".to_owned(), data.to_string().into_bytes())];
    for (i, chart) in report.charts.iter().enumerate() {
        files.push((format!("chart{i}.svg"), qobe_documents::charts::standalone(chart).into_bytes()));
    }
    letterhead.attach(&mut files);
    typeset(qobe_documents::REPORT, files).await
}

/// At most two documents are typeset at once per server; more wait their turn.
static TYPESETTING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Typesets `template` with `files` off the async threads.
pub async fn typeset(template: &'static str, files: qobe_documents::Files) -> AppResult<Vec<u8>> {
    let _turn = TYPESETTING.acquire().await.map_err(|e| AppError::Internal(format!("typesetting: {e}")))?;
    tokio::task::spawn_blocking(move || qobe_documents::pdf(template, files))
        .await
        .map_err(|e| AppError::Internal(format!("typesetting stopped: {e}")))?
        .map_err(|e| AppError::Internal(format!("typesetting: {e}")))
}

/// What the reports page offers the actor: the programs they report on, the courses whose
/// trends they see, and their recent documents.
pub struct Hub {
    pub programs: Vec<qobe_store::rows::Program>,
    pub courses: Vec<qobe_store::rows::Course>,
    pub documents: Vec<jobs::JobStatus>,
}

pub async fn hub(app: &App, actor: &Actor) -> AppResult<Hub> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let programs = qobe_store::structure::programs(conn, institution)
        .await?
        .into_iter()
        .filter(|p| crate::authz::view_program_attainment(actor, p.id, p.department_id))
        .collect();
    // The courses of the offerings the actor teaches (instructor grants are per offering).
    let offerings = qobe_store::academics::offerings::list(conn, institution, None).await?;
    let taught: std::collections::HashSet<i64> = offerings
        .iter()
        .filter(|o| crate::assessment::teaches(actor, qobe_domain::ids::OfferingId(o.id)))
        .map(|o| o.course_id)
        .collect();
    let courses = qobe_store::academics::courses::list(conn, institution, "")
        .await?
        .into_iter()
        .filter(|c| taught.contains(&c.id) || crate::authz::course_trend(actor, c.department_id, std::iter::empty()))
        .collect();
    Ok(Hub { programs, courses, documents: jobs::mine(app, actor).await? })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letterhead() -> Letterhead {
        Letterhead { institution: "Test University".into(), generated: "2026-11-25 05:00 UTC".into(), logo: None }
    }

    #[test]
    fn a_report_without_charts_and_with_empty_cells_typesets() {
        let report = Report {
            file: "m".into(),
            title: "CLO–PLO mapping".into(),
            subtitle: "Strength 1 (low); #not markup [x]".into(),
            charts: Vec::new(),
            tables: vec![Sheet {
                name: "A".into(),
                title: "Articulation".into(),
                header: (0..10).map(|i| format!("H{i}")).collect(),
                rows: vec![vec![Cell::Text("EE-201".into()), Cell::Number(3.0), Cell::Empty, Cell::percent(Some(0.5))]],
            }],
        };
        let data = report.pdf_data(&letterhead());
        // Text reaches typst as data, never spliced into markup, so `#` and `[` stay text (the
        // course-file test reads such text back out of the PDF).
        assert_eq!(data.to_string().matches("Strength 1 (low); #not markup [x]").count(), 1, "{data}");
        let pdf =
            qobe_documents::pdf(qobe_documents::REPORT, vec![("data.json".into(), data.to_string().into_bytes())]);
        assert!(pdf.as_ref().is_ok_and(|b| b.starts_with(b"%PDF-")), "{:?}", pdf.err());
    }
}
