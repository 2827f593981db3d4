//! Spreadsheets people upload instead of CSV: the first sheet of an XLSX file read as CSV text,
//! so every import checks it the same way.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

mod workbook;

pub use workbook::{Cell, Sheet, workbook};

use crate::{AppError, AppResult};

/// Whether the bytes are a ZIP container (XLSX) rather than text.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    crate::archive::is_zip(bytes)
}

/// The largest sheet read: beyond this a file is not an import but a mistake or an attack.
pub const MAX_ROWS: u32 = 100_000;
pub const MAX_COLUMNS: u32 = 300;
pub const MAX_CELLS: usize = 2_000_000;

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

/// Every sheet of an XLSX file: (name, CSV text), in workbook order. The archive is checked
/// to inflate within bounds first, and cells are read one by one with the sheet's size checked
/// as they come, so a workbook that claims a million rows or a far-away cell is refused early.
pub fn xlsx_sheets(bytes: &[u8], field: &str) -> AppResult<Vec<(String, String)>> {
    crate::archive::check(bytes, crate::archive::WORKBOOK, field)?;
    let unreadable = |e: String| AppError::field(field, format!("could not be read as an XLSX workbook ({e})"));
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let mut reader = workbook.worksheet_cells_reader(&name).map_err(|e| unreadable(e.to_string()))?;
        let mut cells: Vec<((u32, u32), String)> = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(|e| unreadable(e.to_string()))? {
            let (row, column) = cell.get_position();
            if row >= MAX_ROWS {
                return Err(AppError::field(field, format!("sheet {name:?} has more than {MAX_ROWS} rows")));
            }
            if column >= MAX_COLUMNS {
                return Err(AppError::field(field, format!("sheet {name:?} has more than {MAX_COLUMNS} columns")));
            }
            if cells.len() >= MAX_CELLS {
                return Err(AppError::field(field, format!("sheet {name:?} has more than {MAX_CELLS} cells")));
            }
            let value = Data::from(cell.get_value().clone());
            if value != Data::Empty {
                cells.push(((row, column), text_of(&value)));
            }
        }
        sheets.push((name, sheet_csv(cells).map_err(unreadable)?));
    }
    Ok(sheets)
}

/// The cells of a sheet as CSV, from its first used row and column to its last, as the
/// sheet's used range shows them.
fn sheet_csv(mut cells: Vec<((u32, u32), String)>) -> Result<String, String> {
    cells.sort_by_key(|(position, _)| *position);
    let mut out = csv::Writer::from_writer(Vec::new());
    if let (Some(first_row), Some(last_row)) = (cells.first().map(|c| c.0.0), cells.last().map(|c| c.0.0)) {
        let first_column = cells.iter().map(|c| c.0.1).min().unwrap_or(0);
        let last_column = cells.iter().map(|c| c.0.1).max().unwrap_or(0);
        let width = (last_column - first_column + 1) as usize;
        let mut next = cells.into_iter().peekable();
        for row in first_row..=last_row {
            let mut line = vec![String::new(); width];
            while let Some(((_, column), text)) = next.next_if(|c| c.0.0 == row) {
                line[(column - first_column) as usize] = text;
            }
            out.write_record(&line).map_err(|e| e.to_string())?;
        }
    }
    let bytes = out.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
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
        .expect("the workbook is written");
        assert!(is_xlsx(&file));
        let csv = xlsx_to_csv(&file, "file").expect("the workbook reads back");
        assert_eq!(csv, "email,Quiz Q1\na@b.edu,7.5\nc@d.edu,8\ne@f.edu,AB\n");
        assert!(xlsx_to_csv(b"PK\x03\x04 broken", "file").is_err());
    }

    #[test]
    fn a_sheet_too_large_to_be_an_import_is_refused_as_it_is_read() {
        let far = |row: u32, column: u16| {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            sheet.write_string(0, 0, "email").unwrap();
            sheet.write_string(row, column, "x").unwrap();
            book.save_to_buffer().unwrap()
        };
        let refused = |bytes: &[u8]| match xlsx_to_csv(bytes, "file") {
            Err(AppError::Invalid(errors)) => errors.get("file").unwrap_or_default().to_owned(),
            other => panic!("must be refused: {other:?}"),
        };
        assert_eq!(refused(&far(150_000, 0)), "sheet \"Sheet1\" has more than 100000 rows");
        assert_eq!(refused(&far(1, 5_000)), "sheet \"Sheet1\" has more than 300 columns");
        assert_eq!(xlsx_to_csv(&far(2, 2), "file").unwrap(), "email,,\n,,\n,,x\n");
        let bomb = crate::archive::tests::zeros_zip("xl/sharedStrings.xml", 100 * 1024 * 1024);
        assert_eq!(refused(&bomb), "expands to more than 40 MB (xl/sharedStrings.xml); split it into smaller files");
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
        .expect("the workbook is written");
        let csv = xlsx_to_csv(&file, "file").expect("the workbook reads back");
        assert_eq!(csv, "PLO attainment,\n,\nCohort,PLO1\n2026,0.625\n2027,\n");
        assert_eq!(Cell::Percent(0.625).text(), "62.5");
        assert_eq!(Cell::Percent(0.0625).text(), "6.2", "rounded as the pages round");
        assert_eq!(Cell::Percent(1.0).text(), "100");
    }
}
