//! A curriculum's map and its coverage of the program's PLOs as a report.

use qobe_domain::frameworks::CoverageLevel;

use crate::academics::curricula::CurriculumView;
use crate::reports::Report;
use crate::spreadsheet::{Cell, Sheet};

/// The curriculum map and each PLO's coverage as report tables.
pub fn curriculum(view: &CurriculumView) -> Report {
    let letter = |l: &Option<CoverageLevel>| l.map(|l| Cell::Text(l.letter().to_string())).unwrap_or(Cell::Empty);
    let mut header = vec!["Semester".to_owned(), "Course".to_owned()];
    header.extend(view.plos.iter().map(|p| p.code.clone()));
    let map_rows = view
        .courses
        .iter()
        .zip(&view.levels)
        .map(|((entry, course), levels)| {
            let mut row = vec![Cell::Number(entry.semester as f64), Cell::Text(course.code.clone())];
            row.extend(levels.iter().map(letter));
            row
        })
        .collect();
    let coverage_rows = view
        .plos
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let count = |wanted: &str| {
                view.levels.iter().filter(|row| row[i].is_some_and(|l| l.letter().to_string() == wanted)).count() as f64
            };
            let has = |list: &[String]| list.iter().any(|code| code == &p.code);
            let gaps: Vec<&str> = [
                (has(&view.coverage.uncovered), "not in any course"),
                (has(&view.coverage.introduced_only), "only introduced"),
                (
                    has(&view.coverage.never_mastered)
                        && !has(&view.coverage.uncovered)
                        && !has(&view.coverage.introduced_only),
                    "never mastered",
                ),
                (has(&view.unassessed), "nobody assesses"),
            ]
            .into_iter()
            .filter_map(|(applies, gap)| applies.then_some(gap))
            .collect();
            let verdict = if gaps.is_empty() { "covered".to_owned() } else { gaps.join("; ") };
            vec![
                Cell::Text(p.code.clone()),
                Cell::Number(count("I")),
                Cell::Number(count("R")),
                Cell::Number(count("M")),
                Cell::Text(verdict),
            ]
        })
        .collect();
    let name = format!("{} {}", view.program.code, view.curriculum.name);
    Report {
        file: format!("{}-curriculum-{}", view.program.code, view.curriculum.id),
        title: format!("Curriculum map and coverage — {name}"),
        subtitle: "I introduces, R reinforces, M masters.".into(),
        charts: Vec::new(),
        tables: vec![
            Sheet {
                name: "Curriculum map".into(), title: format!("Curriculum map — {name}"), header, rows: map_rows
            },
            Sheet {
                name: "Coverage".into(),
                title: "Coverage of each PLO".into(),
                header: ["PLO", "Introduced (I)", "Reinforced (R)", "Mastered (M)", "Coverage"]
                    .map(String::from)
                    .to_vec(),
                rows: coverage_rows,
            },
        ],
    }
}
