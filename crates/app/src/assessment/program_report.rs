//! The program report for an accreditation visit, as a PDF: at once (`report_pdf`) or as a
//! background job with its progress shown (see `crate::reports::jobs`).

use qobe_domain::ids::ProgramId;

use super::program::{ProgramAttainment, ProgramFilter, of_program};
use crate::{Actor, App, AppResult};

fn shown(value: Option<f64>) -> String {
    value.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

/// The program report as a PDF: PLO attainment by cohort, the courses × PLOs evidence, and
/// the program's improvement findings with their actions.
pub async fn report_pdf(app: &App, actor: &Actor, id: ProgramId, filter: ProgramFilter) -> AppResult<Vec<u8>> {
    let view = of_program(app, actor, id, filter).await?;
    typeset(report_files(app, actor, &view).await?).await
}

/// Typesets the program report's files.
pub async fn typeset(files: qobe_documents::Files) -> AppResult<Vec<u8>> {
    crate::reports::typeset(qobe_documents::PROGRAM_REPORT, files).await
}

/// The data and chart files of the program report.
pub async fn report_files(app: &App, actor: &Actor, view: &ProgramAttainment) -> AppResult<qobe_documents::Files> {
    use qobe_documents::charts::{BANDS, Bar, bands, bar_chart, distribution_chart, line_chart, standalone};
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let letterhead = crate::reports::Letterhead::of(app, actor).await?;
    let actions = qobe_store::cqi::actions(conn, institution, None).await?;
    let findings: Vec<serde_json::Value> = qobe_store::cqi::findings(conn, institution)
        .await?
        .into_iter()
        .filter(|f| f.program_id == Some(view.program.id))
        .map(|f| {
            let of_it: Vec<String> = actions
                .iter()
                .filter(|a| a.finding_id == f.id)
                .map(|a| {
                    format!(
                        "{} — {}{}",
                        a.description,
                        a.status,
                        a.effectiveness.as_ref().map(|e| format!(", {e}")).unwrap_or_default()
                    )
                })
                .collect();
            serde_json::json!({ "title": f.title, "criticality": f.criticality, "status": f.status, "actions": of_it })
        })
        .collect();
    let data = serde_json::json!({
        "institution": letterhead.institution,
        "logo": letterhead.logo_file(),
        "generated": letterhead.generated,
        "policy": view.policy.name,
        "scope": view.scope(),
        "courses_scope": view.courses_scope(),
        "plo_threshold": shown(Some(view.policy.plo_threshold)),
        "cohort_target": shown(Some(view.policy.cohort_target)),
        "program": { "code": view.program.code, "name": view.program.name },
        "plos": view.plos.iter().map(|p| serde_json::json!({ "code": p.code, "text": p.text })).collect::<Vec<_>>(),
        "cohorts": view.cohorts.iter().map(|c| serde_json::json!({
            "name": c.name,
            "cells": view.plos.iter().map(|p| shown(view.cells.get(&(c.id, p.lineage_id)).and_then(|g| g.percent_attaining))).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "overall": view.overall.iter().map(|g| shown(g.percent_attaining)).collect::<Vec<_>>(),
        "courses": view.course_rows.iter().map(|r| serde_json::json!({
            "code": r.code, "term": r.term,
            "cells": view.plos.iter().map(|p| shown(r.plos.get(&p.lineage_id).copied())).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "terms": view.terms.iter().map(|t| serde_json::json!({
            "name": t.name,
            "cells": view.plos.iter().map(|p| shown(view.term_plos.get(&(t.id, p.lineage_id)).copied())).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "distribution": view.plos.iter().zip(&view.overall).map(|(p, g)| serde_json::json!({
            "code": p.code,
            "bands": bands(&view.distribution(p.lineage_id)).iter().map(|n| n.to_string()).collect::<Vec<_>>(),
            "attaining": format!("{} of {}", g.attaining, g.students_with_evidence),
        })).collect::<Vec<_>>(),
        "bands": BANDS,
        "findings": findings,
    });
    let bars: Vec<Bar> = view
        .plos
        .iter()
        .zip(&view.overall)
        .map(|(p, g)| Bar {
            label: p.code.clone(),
            value: g.percent_attaining,
            target: Some(view.policy.cohort_target),
            href: None,
        })
        .collect();
    let chart = standalone(&bar_chart("Share of the program's students attaining each PLO", &bars));
    let spread: Vec<(String, [usize; 5])> =
        view.plos.iter().map(|p| (p.code.clone(), bands(&view.distribution(p.lineage_id)))).collect();
    let spread = standalone(&distribution_chart("How students spread over each PLO's score scale", &spread));
    let labels: Vec<String> = view.terms.iter().map(|t| t.code.clone()).collect();
    let series: Vec<qobe_documents::charts::Series> = view
        .plos
        .iter()
        .map(|p| qobe_documents::charts::Series {
            label: p.code.clone(),
            values: view.terms.iter().map(|t| view.term_plos.get(&(t.id, p.lineage_id)).copied()).collect(),
        })
        .collect();
    let trend =
        standalone(&line_chart("PLO attainment term by term", &labels, &series, Some(view.policy.cohort_target)));
    let mut files = vec![
        ("data.json".to_owned(), data.to_string().into_bytes()),
        ("chart.svg".to_owned(), chart.into_bytes()),
        ("distribution.svg".to_owned(), spread.into_bytes()),
        ("trend.svg".to_owned(), trend.into_bytes()),
    ];
    letterhead.attach(&mut files);
    Ok(files)
}
