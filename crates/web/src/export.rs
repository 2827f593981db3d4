//! Report tables as downloads: the same rows a page shows, as CSV or as an XLSX workbook.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use qobe_domain::xlsx::{Cell, write};
use serde::Deserialize;

/// `?format=csv` or `?format=xlsx` on a report page.
#[derive(Deserialize, Default)]
pub struct Format {
    pub format: Option<String>,
}

/// A report's table: a header row and data rows of text or numbers.
pub struct Table {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => t.clone(),
        Cell::Number(n) => format!("{n}"),
        Cell::Empty => String::new(),
    }
}

/// A percentage as a number rounded to one decimal (empty when there is none).
pub fn percent_cell(value: Option<f64>) -> Cell {
    value.map(|v| Cell::Number((v * 1000.0).round() / 10.0)).unwrap_or(Cell::Empty)
}

/// The download for `format`, or `None` to show the page.
pub fn download(format: &Format, table: impl FnOnce() -> Table) -> Option<Response> {
    let format = format.format.as_deref()?;
    let table = table();
    let file =
        table.name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect::<String>();
    match format {
        "csv" => {
            let mut out = csv::Writer::from_writer(Vec::new());
            let _ = out.write_record(&table.header);
            for row in &table.rows {
                let _ = out.write_record(row.iter().map(text));
            }
            let bytes = out.into_inner().unwrap_or_default();
            Some(
                (
                    [
                        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}.csv\"")),
                    ],
                    bytes,
                )
                    .into_response(),
            )
        }
        "xlsx" => {
            let mut rows = vec![table.header.iter().map(|h| Cell::Text(h.clone())).collect::<Vec<_>>()];
            rows.extend(table.rows);
            Some(
                (
                    [
                        (
                            header::CONTENT_TYPE,
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
                        ),
                        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}.xlsx\"")),
                    ],
                    write(&table.name, &rows),
                )
                    .into_response(),
            )
        }
        _ => None,
    }
}
