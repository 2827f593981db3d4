//! An offering's CLO attainment against its targets as a report: the bar chart the page shows
//! and the table behind it.

use qobe_documents::charts::{Bar, bar_chart};

use crate::assessment::attainment::AttainmentView;
use crate::reports::Report;
use crate::spreadsheet::{Cell, Sheet};

pub fn clo_attainment(view: &AttainmentView) -> Report {
    let policy = &view.attainment.policy;
    let top = policy.levels.as_ref().map(|l| f64::from(l.highest_level().max(1))).unwrap_or(1.0);
    let id = view.offering.offering.id;
    let bars: Vec<Bar> = view
        .attainment
        .clos
        .iter()
        .map(|c| Bar {
            label: c.clo.code.clone(),
            value: c.result.value.map(|v| v / top),
            target: Some(policy.course_target / top),
            href: Some(format!("/assessment/offerings/{id}/attainment/{}", c.clo.id)),
        })
        .collect();
    let title = format!("CLO attainment — {} {}", view.offering.course.code, view.offering.term.code);
    Report {
        file: format!("{}-{}-clo-attainment", view.offering.course.code, view.offering.term.code),
        title: title.clone(),
        subtitle: view.offering.course.title.clone(),
        charts: vec![bar_chart("CLO attainment against the target", &bars)],
        tables: vec![Sheet {
            name: "CLO attainment".into(),
            title,
            header: [
                "CLO",
                "Students with evidence",
                "Attaining",
                "Attaining %",
                "Mean score %",
                "Value",
                "Target",
                "Met",
            ]
            .map(String::from)
            .to_vec(),
            rows: view
                .attainment
                .clos
                .iter()
                .map(|c| {
                    let r = &c.result;
                    vec![
                        Cell::Text(c.clo.code.clone()),
                        Cell::Number(r.overall.students_with_evidence as f64),
                        Cell::Number(r.overall.attaining as f64),
                        Cell::percent(r.overall.percent_attaining),
                        Cell::percent(r.overall.mean_score),
                        r.value.map(Cell::Number).unwrap_or(Cell::Empty),
                        Cell::Number(r.target),
                        Cell::Text(yes_no(r.met)),
                    ]
                })
                .collect(),
        }],
    }
}

/// `yes`, `no`, or nothing when there is no evidence to say.
pub(crate) fn yes_no(met: Option<bool>) -> String {
    match met {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}
