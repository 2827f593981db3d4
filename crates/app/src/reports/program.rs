//! A program's PLO attainment as one [`Report`] value: the attainment page shows its charts and
//! tables, its CSV, XLSX and PDF downloads are it, and the program report for an accreditation
//! visit is it with the program's outcomes first and its improvement findings last — typeset at
//! once (`report_pdf`) or as a background job with its progress shown (`crate::reports::jobs`).

use qobe_documents::charts::{BANDS, Bar, Series, bands, bar_chart, distribution_chart, line_chart};
use qobe_domain::ids::ProgramId;

use crate::assessment::program::{ProgramAttainment, ProgramFilter, of_program};
use crate::reports::Report;
use crate::spreadsheet::{Cell, Sheet};
use crate::{Actor, App, AppResult};

/// Where each chart sits in [`attainment`]'s charts, for a page that shows them in place.
pub const POOLED_CHART: usize = 0;
pub const DISTRIBUTION_CHART: usize = 1;
pub const TREND_CHART: usize = 2;

fn charts(view: &ProgramAttainment) -> Vec<String> {
    let bars: Vec<Bar> = view
        .plos
        .iter()
        .zip(&view.overall)
        .map(|(plo, overall)| Bar {
            label: plo.code.clone(),
            value: overall.percent_attaining,
            target: Some(view.policy.cohort_target),
            href: None,
        })
        .collect();
    let spread: Vec<(String, [usize; 5])> =
        view.plos.iter().map(|p| (p.code.clone(), bands(&view.distribution(p.lineage_id)))).collect();
    let labels: Vec<String> = view.terms.iter().map(|t| t.code.clone()).collect();
    let series: Vec<Series> = view
        .plos
        .iter()
        .map(|p| Series {
            label: p.code.clone(),
            values: view.terms.iter().map(|t| view.term_plos.get(&(t.id, p.lineage_id)).copied()).collect(),
        })
        .collect();
    vec![
        bar_chart("Share of the students shown attaining each PLO", &bars),
        distribution_chart("How the students shown spread over each PLO's score scale", &spread),
        line_chart("PLO attainment term by term (course level)", &labels, &series, Some(view.policy.cohort_target)),
    ]
}

fn plo_header(first: &[&str], view: &ProgramAttainment) -> Vec<String> {
    let mut header: Vec<String> = first.iter().map(|h| (*h).to_owned()).collect();
    header.extend(view.plos.iter().map(|p| p.code.clone()));
    header
}

/// The program's PLO attainment: charts (pooled, distribution, trend) and tables (by cohort,
/// distribution, by term, courses × PLOs).
pub fn attainment(view: &ProgramAttainment) -> Report {
    let code = &view.program.code;
    let cohorts =
        Sheet {
            name: "By cohort".into(),
            title: format!("{code}: share of students attaining each PLO, by cohort"),
            header: plo_header(&["Cohort"], view),
            rows: view
                .cohorts
                .iter()
                .map(|c| {
                    let mut row = vec![Cell::Text(c.name.clone())];
                    row.extend(view.plos.iter().map(|p| {
                        Cell::percent(view.cells.get(&(c.id, p.lineage_id)).and_then(|g| g.percent_attaining))
                    }));
                    row
                })
                .chain(std::iter::once({
                    let mut row = vec![Cell::Text("All cohorts shown".into())];
                    row.extend(view.overall.iter().map(|g| Cell::percent(g.percent_attaining)));
                    row
                }))
                .collect(),
        };
    let mut spread_header = vec!["PLO".to_owned()];
    spread_header.extend(BANDS.iter().map(|b| format!("Students {b}")));
    spread_header.extend(["Students with evidence".to_owned(), "Attaining".to_owned()]);
    let spread = Sheet {
        name: "Distribution".into(),
        title: format!("{code}: students by PLO score band"),
        header: spread_header,
        rows: view
            .plos
            .iter()
            .zip(&view.overall)
            .map(|(p, g)| {
                let mut row = vec![Cell::Text(p.code.clone())];
                row.extend(bands(&view.distribution(p.lineage_id)).iter().map(|n| Cell::Number(*n as f64)));
                row.extend([Cell::Number(g.students_with_evidence as f64), Cell::Number(g.attaining as f64)]);
                row
            })
            .collect(),
    };
    let trend = Sheet {
        name: "By term".into(),
        title: format!("{code}: PLO attainment term by term, from the courses' CLO attainment"),
        header: plo_header(&["Term"], view),
        rows: view
            .terms
            .iter()
            .map(|t| {
                let mut row = vec![Cell::Text(t.name.clone())];
                row.extend(view.plos.iter().map(|p| Cell::percent(view.term_plos.get(&(t.id, p.lineage_id)).copied())));
                row
            })
            .collect(),
    };
    let courses = Sheet {
        name: "Courses x PLOs".into(),
        title: format!("{code}: courses × PLOs"),
        header: plo_header(&["Course", "Term"], view),
        rows: view
            .course_rows
            .iter()
            .map(|r| {
                let mut row = vec![Cell::Text(r.code.clone()), Cell::Text(r.term.clone())];
                row.extend(view.plos.iter().map(|p| Cell::percent(r.plos.get(&p.lineage_id).copied())));
                row
            })
            .collect(),
    };
    Report {
        file: format!("{code}-plo-attainment"),
        title: format!("PLO attainment — {code} {}", view.program.name),
        subtitle: view.scope(),
        charts: charts(view),
        tables: vec![cohorts, spread, trend, courses],
    }
}

fn shown(value: f64) -> String {
    format!("{:.1}%", value * 100.0)
}

/// The program report for an accreditation visit: [`attainment`] with the program's learning
/// outcomes first and its improvement findings, with their actions, last.
pub async fn accreditation(app: &App, actor: &Actor, view: &ProgramAttainment) -> AppResult<Report> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let actions = qobe_store::cqi::actions(conn, institution, None).await?;
    let findings: Vec<Vec<Cell>> = qobe_store::cqi::findings(conn, institution)
        .await?
        .into_iter()
        .filter(|f| f.program_id == Some(view.program.id))
        .map(|f| {
            let of_it: Vec<String> = actions
                .iter()
                .filter(|a| a.finding_id == f.id)
                .map(|a| {
                    let effect = a.effectiveness.as_ref().map(|e| format!(", {e}")).unwrap_or_default();
                    format!("{} — {}{effect}", a.description, a.status)
                })
                .collect();
            vec![Cell::Text(f.title), Cell::Text(f.criticality), Cell::Text(f.status), Cell::Text(of_it.join("; "))]
        })
        .collect();
    let code = &view.program.code;
    let mut report = attainment(view);
    report.file = format!("program-report-{code}");
    report.title = format!("Program report: {code} {}", view.program.name);
    report.subtitle = format!(
        "{} A student attains a PLO at {}; a cohort attains it when {} of its students do.",
        view.scope(),
        shown(view.policy.plo_threshold),
        shown(view.policy.cohort_target)
    );
    let outcomes = Sheet {
        name: "Program outcomes".into(),
        title: format!("{code}: program learning outcomes"),
        header: vec!["PLO".into(), "Outcome".into()],
        rows: view.plos.iter().map(|p| vec![Cell::Text(p.code.clone()), Cell::Text(p.text.clone())]).collect(),
    };
    report.tables.insert(0, outcomes);
    report.tables.push(evidence_sheet(view));
    report.tables.push(Sheet {
        name: "Improvement findings".into(),
        title: format!("{code}: improvement findings and their actions"),
        header: ["Finding", "Criticality", "Status", "Actions"].map(str::to_owned).to_vec(),
        rows: findings,
    });
    Ok(report)
}

/// PLOs direct, indirect and blended; PEOs from alumni and employer surveys.
fn evidence_sheet(view: &ProgramAttainment) -> Sheet {
    let code = &view.program.code;
    Sheet {
        name: "Direct and indirect".into(),
        title: format!(
            "{code}: direct (marks), indirect (surveys) and blended ({} direct, {} indirect)",
            view.policy.blend.direct, view.policy.blend.indirect
        ),
        header: ["Outcome", "Direct", "Indirect", "Respondents", "Blended", "Target met", "Surveys"]
            .map(str::to_owned)
            .to_vec(),
        rows: view
            .outcome_evidence
            .iter()
            .map(|e| {
                let respondents = e.survey.as_ref().map(|s| s.counts.iter().sum::<u64>()).unwrap_or(0);
                let surveys =
                    e.survey.as_ref().map(|s| s.sources.iter().map(|x| x.title.clone()).collect::<Vec<_>>().join("; "));
                vec![
                    Cell::Text(e.outcome.code.clone()),
                    Cell::percent(e.blended.direct),
                    Cell::percent(e.blended.indirect),
                    Cell::Number(respondents as f64),
                    Cell::percent(e.blended.value),
                    Cell::Text(
                        match e.blended.met {
                            Some(true) => "yes",
                            Some(false) => "no",
                            None => "—",
                        }
                        .into(),
                    ),
                    Cell::Text(surveys.unwrap_or_default()),
                ]
            })
            .collect(),
    }
}

/// The program report as a PDF, made in the request.
pub async fn report_pdf(app: &App, actor: &Actor, id: ProgramId, filter: ProgramFilter) -> AppResult<Vec<u8>> {
    let view = of_program(app, actor, id, filter).await?;
    let report = accreditation(app, actor, &view).await?;
    crate::reports::pdf(app, actor, &report).await
}
