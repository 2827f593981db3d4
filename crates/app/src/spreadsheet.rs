//! Spreadsheets people upload instead of CSV: the first sheet of an XLSX file read as CSV text,
//! so every import checks it the same way.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

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
    let unreadable = |e: String| AppError::field(field, format!("could not be read as an XLSX workbook ({e})"));
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).map_err(|e| unreadable(e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| AppError::field(field, "the workbook has no sheets"))?
        .map_err(|e| unreadable(e.to_string()))?;
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in range.rows() {
        let cells: Vec<String> = row.iter().map(text_of).collect();
        out.write_record(&cells).map_err(|e| unreadable(e.to_string()))?;
    }
    let bytes = out.into_inner().map_err(|e| unreadable(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| unreadable(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use qobe_domain::xlsx::{Cell, write};

    #[test]
    fn a_written_workbook_reads_back_as_csv() {
        let file = write(
            "Marks",
            &[
                vec![Cell::Text("email".into()), Cell::Text("Quiz Q1".into())],
                vec![Cell::Text("a@b.edu".into()), Cell::Number(7.5)],
                vec![Cell::Text("c@d.edu".into()), Cell::Number(8.0)],
                vec![Cell::Text("e@f.edu".into()), Cell::Text("AB".into())],
            ],
        );
        assert!(is_xlsx(&file));
        let csv = xlsx_to_csv(&file, "file").unwrap_or_default();
        assert_eq!(csv, "email,Quiz Q1\na@b.edu,7.5\nc@d.edu,8\ne@f.edu,AB\n");
        assert!(xlsx_to_csv(b"PK\x03\x04 broken", "file").is_err());
    }
}
