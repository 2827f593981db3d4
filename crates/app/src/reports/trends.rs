//! A course's CLO attainment term by term as a report: the line chart the page shows, each
//! term's share of students attaining, and next term's suggested targets.

use qobe_documents::charts::{Series, line_chart};
use qobe_outcomes::TargetRule;

use crate::assessment::trends::CourseTrend;
use crate::reports::Report;
use crate::spreadsheet::{Cell, Sheet};

/// `rule` suggests next term's targets; `rule_text` says it in words for the subtitle.
pub fn clo_trend(view: &CourseTrend, rule: TargetRule, rule_text: &str) -> Report {
    let labels: Vec<String> = view.terms.iter().map(|t| t.code.clone()).collect();
    let series: Vec<Series> = view
        .clos
        .iter()
        .map(|(lineage, code)| Series {
            label: code.clone(),
            values: view.terms.iter().map(|t| view.share(t.id, *lineage)).collect(),
        })
        .collect();
    let chart = line_chart("Share of students attaining each CLO, term by term", &labels, &series, Some(view.target));
    let title = format!("{} — CLO attainment across terms", view.course.code);
    let mut header = vec!["Term".to_owned()];
    header.extend(view.clos.iter().map(|(_, code)| format!("{code} % attaining")));
    let rows = view
        .terms
        .iter()
        .map(|t| {
            let mut row = vec![Cell::Text(t.name.clone())];
            row.extend(view.clos.iter().map(|(lineage, _)| Cell::percent(view.share(t.id, *lineage))));
            row
        })
        .chain(std::iter::once({
            let mut row = vec![Cell::Text("Suggested next target".into())];
            row.extend(view.clos.iter().map(|(lineage, _)| Cell::percent(view.suggested(*lineage, rule))));
            row
        }))
        .collect();
    Report {
        file: format!("{}-clo-trend", view.course.code),
        title: title.clone(),
        subtitle: format!("{}. All sections of each term pooled. {rule_text}", view.course.title),
        charts: vec![chart],
        tables: vec![Sheet { name: "CLO trend".into(), title, header, rows }],
    }
}
