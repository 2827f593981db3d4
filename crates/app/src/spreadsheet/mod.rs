//! Spreadsheets people upload instead of CSV: the first sheet of an XLSX file read as CSV text,
//! so every import checks it the same way.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

mod workbook;

pub use workbook::{Cell, Sheet, workbook};

use crate::{AppError, AppResult};

/// Whether the bytes are a ZIP container (XLSX) rather than text.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn text_of(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The first sheet of an XLSX file as CSV text.
pub fn xlsx_to_csv(bytes: &[u8], field: &str) -> AppResult<String> {
    xlsx_sheets(bytes, field)?
        .into_iter()
        .next()
        .map(|(_, csv)| csv)
        .ok_or_else(|| AppError::field(field, "the workbook has no sheets"))
}

/// Every sheet of an XLSX file: (name, CSV text), in workbook order.
pub fn xlsx_sheets(bytes: &[u8], field: &str) -> AppResult<Vec<(String, String)>> {
    let unreadable = |e: String| AppError::field(field, format!("could not be read as an XLSX workbook ({e})"));
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).map_err(|e| unreadable(e.to_string()))?;
    let mut sheets = Vec::new();
    for (name, range) in workbook.worksheets() {
        let mut out = csv::Writer::from_writer(Vec::new());
        for row in range.rows() {
            let cells: Vec<String> = row.iter().map(text_of).collect();
            out.write_record(&cells).map_err(|e| unreadable(e.to_string()))?;
        }
        let bytes = out.into_inner().map_err(|e| unreadable(e.to_string()))?;
        sheets.push((name, String::from_utf8(bytes).map_err(|e| unreadable(e.to_string()))?));
    }
    Ok(sheets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_workbook_reads_back_as_csv() {
        let file = workbook(&[Sheet {
            name: "Marks".into(),
            title: String::new(),
            header: vec!["email".into(), "Quiz Q1".into()],
            rows: vec![
                vec![Cell::Text("a@b.edu".into()), Cell::Number(7.5)],
                vec![Cell::Text("c@d.edu".into()), Cell::Number(8.0)],
                vec![Cell::Text("e@f.edu".into()), Cell::Text("AB".into())],
            ],
        }])
        .unwrap_or_default();
        assert!(is_xlsx(&file));
        let csv = xlsx_to_csv(&file, "file").unwrap_or_default();
        assert_eq!(csv, "email,Quiz Q1\na@b.edu,7.5\nc@d.edu,8\ne@f.edu,AB\n");
        assert!(xlsx_to_csv(b"PK\x03\x04 broken", "file").is_err());
    }

    #[test]
    fn a_report_sheet_has_a_title_and_keeps_percentages_as_fractions() {
        let file = workbook(&[Sheet {
            name: "PLO: by cohort?".into(),
            title: "PLO attainment".into(),
            header: vec!["Cohort".into(), "PLO1".into()],
            rows: vec![
                vec![Cell::Text("2026".into()), Cell::percent(Some(0.625))],
                vec![Cell::Text("2027".into()), Cell::percent(None)],
            ],
        }])
        .unwrap_or_default();
        let csv = xlsx_to_csv(&file, "file").unwrap_or_default();
        assert_eq!(csv, "PLO attainment,\n,\nCohort,PLO1\n2026,0.625\n2027,\n");
        assert_eq!(Cell::Percent(0.625).text(), "62.5");
        assert_eq!(Cell::Percent(0.0625).text(), "6.2", "rounded as the pages round");
        assert_eq!(Cell::Percent(1.0).text(), "100");
        assert_eq!(Cell::Text("=HYPERLINK(\"x\")".into()).csv_text(), "'=HYPERLINK(\"x\")");
        assert_eq!(Cell::Text("EE-201".into()).csv_text(), "EE-201");
    }
}
