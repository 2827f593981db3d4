//! The quality-improvement dashboard as a report.

use crate::cqi::findings::Dashboard;
use crate::reports::Report;
use crate::spreadsheet::{Cell, Sheet};
use crate::structure::Program;

/// The dashboard's tables as a report: findings, open and overdue actions per program and per
/// person, and the actor's own actions.
pub fn cqi_dashboard(view: &Dashboard, programs: &[Program]) -> Report {
    let program = |id: Option<i64>| {
        id.and_then(|id| programs.iter().find(|p| p.id == id)).map(|p| p.code.clone()).unwrap_or_default()
    };
    let counts = |name: &str, title: &str, first: &str, rows: &[(String, usize, usize)]| Sheet {
        name: name.into(),
        title: title.into(),
        header: [first, "Open actions", "Overdue"].map(String::from).to_vec(),
        rows: rows
            .iter()
            .map(|(who, open, late)| {
                vec![Cell::Text(who.clone()), Cell::Number(*open as f64), Cell::Number(*late as f64)]
            })
            .collect(),
    };
    Report {
        file: "cqi-dashboard".into(),
        title: "Quality improvement".into(),
        subtitle: "Findings and their actions; open and overdue actions by program and by owner.".into(),
        charts: Vec::new(),
        tables: vec![
            Sheet {
                name: "Findings".into(),
                title: "Findings".into(),
                header: [
                    "Finding",
                    "Program",
                    "Criticality",
                    "Attainment",
                    "Target",
                    "Open actions",
                    "Overdue",
                    "Status",
                ]
                .map(String::from)
                .to_vec(),
                rows: view
                    .findings
                    .iter()
                    .map(|f| {
                        vec![
                            Cell::Text(f.finding.title.clone()),
                            Cell::Text(program(f.finding.program_id)),
                            Cell::Text(f.finding.criticality.clone()),
                            Cell::percent(f.finding.attainment),
                            Cell::percent(f.finding.target),
                            Cell::Number(f.open_actions as f64),
                            Cell::Number(f.overdue_actions as f64),
                            Cell::Text(f.finding.status.clone()),
                        ]
                    })
                    .collect(),
            },
            counts("By program", "Open actions by program", "Program", &view.per_program),
            counts("By person", "Open actions by owner", "Owner", &view.per_person),
            Sheet {
                name: "My actions".into(),
                title: "My open actions".into(),
                header: ["Action", "Due", "Overdue", "Status"].map(String::from).to_vec(),
                rows: view
                    .mine
                    .iter()
                    .map(|a| {
                        vec![
                            Cell::Text(a.action.description.clone()),
                            Cell::Text(a.due.as_ref().map(|t| t.name.clone()).unwrap_or_default()),
                            Cell::Text(if a.overdue { "yes" } else { "no" }.into()),
                            Cell::Text(a.action.status.clone()),
                        ]
                    })
                    .collect(),
            },
        ],
    }
}
