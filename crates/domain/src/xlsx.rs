//! A minimal XLSX (Office Open XML spreadsheet) writer: one sheet of text and number cells with
//! a bold header row, packed with the stored-ZIP writer. Enough for exports that open in Excel,
//! LibreOffice and any XLSX reader.

use crate::zip;

/// A cell to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

fn escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\t' || *c == '\n')
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The column letters of a zero-based index: 0 → A, 26 → AA.
fn column_name(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

fn sheet_xml(rows: &[Vec<Cell>]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        xml.push_str(&format!(r#"<row r="{}">"#, r + 1));
        let style = if r == 0 { r#" s="1""# } else { "" };
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column_name(c), r + 1);
            match cell {
                Cell::Text(t) => xml.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"{style}><is><t xml:space="preserve">{}</t></is></c>"#,
                    escape(t)
                )),
                Cell::Number(n) if n.is_finite() => xml.push_str(&format!(r#"<c r="{at}"{style}><v>{n}</v></c>"#)),
                Cell::Number(_) | Cell::Empty => {}
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// An XLSX file with one sheet named `sheet`; the first row is bold and frozen.
pub fn write(sheet: &str, rows: &[Vec<Cell>]) -> Vec<u8> {
    let content_types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        escape(&sheet.chars().take(31).collect::<String>())
    );
    let workbook_rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    let styles = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>"#;
    zip::write(&[
        ("[Content_Types].xml".to_owned(), content_types.as_bytes().to_vec()),
        ("_rels/.rels".to_owned(), rels.as_bytes().to_vec()),
        ("xl/workbook.xml".to_owned(), workbook.into_bytes()),
        ("xl/_rels/workbook.xml.rels".to_owned(), workbook_rels.as_bytes().to_vec()),
        ("xl/styles.xml".to_owned(), styles.as_bytes().to_vec()),
        ("xl/worksheets/sheet1.xml".to_owned(), sheet_xml(rows).into_bytes()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_like_spreadsheets() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27 * 26), "AAA");
    }

    #[test]
    fn cells_are_escaped_and_placed() {
        let xml = sheet_xml(&[
            vec![Cell::Text("a<b & \"c\"".into()), Cell::Number(7.5)],
            vec![Cell::Empty, Cell::Number(1.0)],
        ]);
        assert!(xml.contains(
            r#"<c r="A1" t="inlineStr" s="1"><is><t xml:space="preserve">a&lt;b &amp; &quot;c&quot;</t></is></c>"#
        ));
        assert!(xml.contains(r#"<c r="B1" s="1"><v>7.5</v></c>"#));
        assert!(xml.contains(r#"<row r="2"><c r="B2"><v>1</v></c></row>"#));
        let file = write("Marks", &[vec![Cell::Text("x".into())]]);
        assert_eq!(&file[..2], b"PK");
    }
}
