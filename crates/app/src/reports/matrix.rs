//! The CLO–PLO matrix of a program as a report.

use crate::academics::outcomes::Matrix;
use crate::reports::Report;
use crate::spreadsheet::{Cell, Sheet};

/// The matrix as report tables: articulation averages by course, every CLO's mapping, and
/// each PLO's coverage.
pub fn matrix(matrix: &Matrix) -> Report {
    let code = &matrix.program.code;
    let strength = |s: &Option<qobe_domain::frameworks::MappingStrength>| {
        s.map(|s| Cell::Number(f64::from(s.value()))).unwrap_or(Cell::Empty)
    };
    // Two decimals, rounded as the page rounds them.
    let average =
        |a: &Option<f64>| a.map(|v| Cell::Number(format!("{v:.2}").parse().unwrap_or(v))).unwrap_or(Cell::Empty);
    let mut header = vec!["Course".to_owned()];
    header.extend(matrix.plos.iter().map(|p| p.code.clone()));
    header.push("Average".into());
    let mut articulation: Vec<Vec<Cell>> = matrix
        .courses
        .iter()
        .map(|b| {
            let mut row = vec![Cell::Text(b.course.code.clone())];
            row.extend(b.plo_averages.iter().map(average));
            row.push(average(&b.average));
            row
        })
        .collect();
    let mut footer = vec![Cell::Text("PLO average".into())];
    footer.extend(matrix.plo_averages.iter().map(average));
    articulation.push(footer);
    let mut clo_header = vec!["Course".to_owned(), "CLO".to_owned(), "Level".to_owned()];
    clo_header.extend(matrix.plos.iter().map(|p| p.code.clone()));
    let clo_rows = matrix
        .courses
        .iter()
        .flat_map(|b| {
            b.rows.iter().map(move |r| {
                let mut row = vec![
                    Cell::Text(b.course.code.clone()),
                    Cell::Text(r.clo.code.clone()),
                    Cell::Text(r.clo.taxonomy_level.clone().unwrap_or_default()),
                ];
                row.extend(r.cells.iter().map(strength));
                row
            })
        })
        .collect();
    let coverage_rows = matrix
        .plos
        .iter()
        .zip(matrix.coverage())
        .map(|(p, c)| {
            vec![
                Cell::Text(p.code.clone()),
                Cell::Number(c.courses as f64),
                Cell::Number(c.clos as f64),
                Cell::Number(c.strong as f64),
                average(&c.average),
                Cell::Text(c.verdict().into()),
            ]
        })
        .collect();
    Report {
        file: format!("{code}-clo-plo-matrix"),
        title: format!("CLO–PLO mapping — {code} {}", matrix.program.name),
        subtitle: "Strength 1 (low), 2 (medium), 3 (high); averages ignore blank cells.".into(),
        charts: Vec::new(),
        tables: vec![
            Sheet {
                name: "Articulation".into(),
                title: "Articulation averages by course".into(),
                header,
                rows: articulation,
            },
            Sheet {
                name: "CLO mapping".into(),
                title: "Each CLO's mapping".into(),
                header: clo_header,
                rows: clo_rows,
            },
            Sheet {
                name: "Coverage".into(),
                title: "Curriculum coverage of each PLO".into(),
                header: ["PLO", "Courses", "CLOs", "High (3) mappings", "Articulation average", "Coverage"]
                    .map(String::from)
                    .to_vec(),
                rows: coverage_rows,
            },
        ],
    }
}
