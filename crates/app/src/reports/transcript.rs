//! A student's outcome transcript as a report: the PLO profile chart the page shows, the PLOs
//! with where each score comes from, and every CLO line.

use qobe_documents::charts::{Bar, bar_chart};

use crate::assessment::profile::Profile;
use crate::reports::Report;
use crate::reports::attainment::yes_no;
use crate::spreadsheet::{Cell, Sheet};

pub fn outcome_transcript(heading: &str, user_id: i64, profile: &Profile) -> Report {
    let bars: Vec<Bar> = profile
        .plos
        .iter()
        .map(|p| Bar {
            label: p.code.clone(),
            value: p.result.as_ref().map(|r| r.score),
            target: Some(profile.plo_threshold),
            href: None,
        })
        .collect();
    Report {
        file: format!("outcome-transcript-{user_id}"),
        title: heading.to_owned(),
        subtitle: format!(
            "From approved results. A CLO is attained at {}, a PLO at {}.",
            percent(profile.threshold),
            percent(profile.plo_threshold)
        ),
        charts: vec![bar_chart("PLO profile", &bars)],
        tables: vec![
            Sheet {
                name: "PLOs".into(),
                title: "Program outcomes".into(),
                header: ["PLO", "Title", "Score", "Attained", "From"].map(String::from).to_vec(),
                rows: profile
                    .plos
                    .iter()
                    .map(|p| {
                        let from = p
                            .result
                            .iter()
                            .flat_map(|r| &r.parts)
                            .map(|part| {
                                let course = p.courses.get(&part.course_id).cloned().unwrap_or_default();
                                format!("{course} ({} × {})", percent(part.score), part.weight)
                            })
                            .collect::<Vec<_>>()
                            .join(", ");
                        vec![
                            Cell::Text(p.code.clone()),
                            Cell::Text(p.title.clone()),
                            Cell::percent(p.result.as_ref().map(|r| r.score)),
                            Cell::Text(yes_no(p.result.as_ref().map(|r| r.attained))),
                            Cell::Text(from),
                        ]
                    })
                    .collect(),
            },
            Sheet {
                name: "CLOs".into(),
                title: "Course outcomes".into(),
                header: ["Course", "Term", "CLO", "Score", "Attained"].map(String::from).to_vec(),
                rows: profile
                    .clos
                    .iter()
                    .map(|c| {
                        vec![
                            Cell::Text(c.course.clone()),
                            Cell::Text(c.term.clone()),
                            Cell::Text(c.code.clone()),
                            Cell::percent(c.score),
                            Cell::Text(yes_no(c.attained)),
                        ]
                    })
                    .collect(),
            },
        ],
    }
}

fn percent(value: f64) -> String {
    format!("{:.1}%", value * 100.0)
}
