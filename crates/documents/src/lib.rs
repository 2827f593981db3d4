//! Documents typeset with typst, in process: a template (typst markup shipped with the binary)
//! reads its data from a JSON file and its charts from SVG files, so nothing a user typed is
//! ever parsed as markup. Fonts are embedded (typst's own set), so output is the same on every
//! machine.

pub mod charts;
mod world;

use typst::layout::PagedDocument;

pub use world::Files;

/// The course file (course assessment report) template.
pub const COURSE_FILE: &str = include_str!("templates/course_file.typ");

/// Any report page as a document: title, charts and tables (see the template for its data).
pub const REPORT: &str = include_str!("templates/report.typ");

/// Compiles `template` with `files` (at least `data.json`) to PDF bytes; the error lists
/// typst's messages.
pub fn pdf(template: &str, files: Files) -> Result<Vec<u8>, String> {
    let world = world::DocumentWorld::new(template, files);
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|errors| errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
}
