//! Report workbooks written with rust_xlsxwriter: one sheet per table, a title row, a bold
//! shaded header that stays in view, filters on every column, widths that fit the text, and
//! percentages stored as numbers formatted `0.0%` with a red–amber–green colour scale, so a
//! heat map reads the same in Excel or LibreOffice as on the page.

use rust_xlsxwriter::{
    Color, ConditionalFormat3ColorScale, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::{AppError, AppResult};

/// A cell to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// A fraction (0.625) shown as a percentage (62.5%); in CSV it is written as 62.5.
    Percent(f64),
    Empty,
}

impl Cell {
    /// A fraction as a percentage cell, or an empty cell when there is none.
    pub fn percent(value: Option<f64>) -> Cell {
        value.map(Cell::Percent).unwrap_or(Cell::Empty)
    }

    /// The cell as text: numbers as written, percentages to one decimal without the sign,
    /// rounded as the pages round them (`62.5`, `50`).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => format!("{n}"),
            Cell::Percent(p) => {
                let shown = format!("{:.1}", p * 100.0);
                shown.strip_suffix(".0").map(str::to_owned).unwrap_or(shown)
            }
            Cell::Empty => String::new(),
        }
    }
}

/// One sheet: a title above the table, the header and the rows.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str, index: usize) -> String {
    let clean: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if clean.trim().is_empty() { format!("Sheet{}", index + 1) } else { clean }
}

fn write_sheet(sheet: &mut Worksheet, data: &Sheet, index: usize) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(13);
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE4EAF2))
        .set_border_bottom(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let percent = Format::new().set_num_format("0.0%");
    let number = Format::new().set_num_format("0.##");
    sheet.set_name(sheet_name(&data.name, index))?;
    let first = if data.title.is_empty() { 0 } else { 2 };
    if first > 0 {
        sheet.write_string_with_format(0, 0, &data.title, &title)?;
    }
    for (c, text) in data.header.iter().enumerate() {
        sheet.write_string_with_format(first, c as u16, text, &header)?;
    }
    let mut percent_columns = vec![false; data.header.len()];
    for (r, row) in data.rows.iter().enumerate() {
        let at = first + 1 + r as u32;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            match cell {
                Cell::Text(t) => {
                    sheet.write_string(at, col, t)?;
                }
                Cell::Number(n) => {
                    sheet.write_number_with_format(at, col, *n, &number)?;
                }
                Cell::Percent(p) => {
                    sheet.write_number_with_format(at, col, *p, &percent)?;
                    if let Some(flag) = percent_columns.get_mut(c) {
                        *flag = true;
                    }
                }
                Cell::Empty => {}
            }
        }
    }
    let columns = data.header.len().max(1) as u16;
    sheet.set_freeze_panes(first + 1, 1)?;
    let last = first + data.rows.len() as u32;
    sheet.autofilter(first, 0, last, columns - 1)?;
    if !data.rows.is_empty() {
        let scale = ConditionalFormat3ColorScale::new()
            .set_minimum_color(Color::RGB(0xF8696B))
            .set_midpoint_color(Color::RGB(0xFFEB84))
            .set_maximum_color(Color::RGB(0x63BE7B));
        for (c, _) in percent_columns.iter().enumerate().filter(|(_, p)| **p) {
            sheet.add_conditional_format(first + 1, c as u16, last, c as u16, &scale)?;
        }
    }
    sheet.autofit();
    Ok(())
}

/// The workbook of `sheets`, as XLSX bytes.
pub fn workbook(sheets: &[Sheet]) -> AppResult<Vec<u8>> {
    let failed = |e: XlsxError| AppError::Internal(format!("writing the workbook: {e}"));
    let mut book = Workbook::new();
    for (index, data) in sheets.iter().enumerate() {
        write_sheet(book.add_worksheet(), data, index).map_err(failed)?;
    }
    if sheets.is_empty() {
        book.add_worksheet();
    }
    book.save_to_buffer().map_err(failed)
}
