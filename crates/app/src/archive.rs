//! ZIP archives people upload (XLSX workbooks, OneRoster bundles), read with bounds.
//!
//! A ZIP can expand a thousandfold: a 1.7 MB workbook can hold hundreds of megabytes of XML.
//! Every entry is inflated through a counter that stops at the limits below, so nothing is
//! parsed, and no more than the limit is ever inflated, before the archive is known to be sane.

use std::io::{Cursor, Read};

use crate::{AppError, AppResult};

/// How much an uploaded archive may hold once inflated.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_entries: usize,
    pub max_entry_bytes: u64,
    pub max_total_bytes: u64,
}

/// Workbooks: a few sheets, their strings and styles.
pub const WORKBOOK: Limits =
    Limits { max_entries: 200, max_entry_bytes: 40 * 1024 * 1024, max_total_bytes: 60 * 1024 * 1024 };

/// OneRoster bundles: a manifest and a dozen CSV files.
pub const ROSTER: Limits =
    Limits { max_entries: 50, max_entry_bytes: 40 * 1024 * 1024, max_total_bytes: 100 * 1024 * 1024 };

fn megabytes(bytes: u64) -> u64 {
    bytes / 1024 / 1024
}

/// Inflates every entry within `limits`, calling `keep` with each file's name and contents
/// (folders are skipped). Errors name `field`.
pub fn read(bytes: &[u8], limits: Limits, field: &str, mut keep: impl FnMut(&str, Vec<u8>)) -> AppResult<()> {
    let unreadable =
        |e: &dyn std::fmt::Display| AppError::field(field, format!("could not be read as a ZIP file ({e})"));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    if archive.len() > limits.max_entries {
        return Err(AppError::field(
            field,
            format!("holds {} files; at most {} are accepted", archive.len(), limits.max_entries),
        ));
    }
    let too_large = |name: &str, limit: u64| {
        AppError::field(
            field,
            format!("expands to more than {} MB ({name}); split it into smaller files", megabytes(limit)),
        )
    };
    let mut total = 0u64;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| unreadable(&e))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_owned();
        // The declared size is a hint only; the counted size below is what holds.
        if entry.size() > limits.max_entry_bytes {
            return Err(too_large(&name, limits.max_entry_bytes));
        }
        let allowed = limits.max_entry_bytes.min(limits.max_total_bytes - total);
        let mut contents = Vec::new();
        (&mut entry).take(allowed + 1).read_to_end(&mut contents).map_err(|e| unreadable(&e))?;
        let size = contents.len() as u64;
        if size > allowed {
            let limit = if size > limits.max_entry_bytes { limits.max_entry_bytes } else { limits.max_total_bytes };
            return Err(too_large(&name, limit));
        }
        total += size;
        keep(&name, contents);
    }
    Ok(())
}

/// Checks that an archive inflates within `limits`, keeping nothing.
pub fn check(bytes: &[u8], limits: Limits, field: &str) -> AppResult<()> {
    read(bytes, limits, field, |_, _| {})
}

/// Whether the bytes are a ZIP container (an XLSX workbook, a OneRoster bundle).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use super::*;

    /// A deflated ZIP with one entry of `size` zero bytes: a few kilobytes for many megabytes.
    pub(crate) fn zeros_zip(name: &str, size: usize) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        out.start_file(name, options).unwrap();
        let block = vec![0u8; 1024 * 1024];
        let mut left = size;
        while left > 0 {
            let n = left.min(block.len());
            out.write_all(&block[..n]).unwrap();
            left -= n;
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn an_entry_that_expands_past_the_limit_is_refused_without_inflating_it_all() {
        let bomb = zeros_zip("xl/worksheets/sheet1.xml", 200 * 1024 * 1024);
        assert!(bomb.len() < 400 * 1024, "{} bytes", bomb.len());
        match check(&bomb, WORKBOOK, "file") {
            Err(AppError::Invalid(errors)) => assert_eq!(
                errors.get("file"),
                Some("expands to more than 40 MB (xl/worksheets/sheet1.xml); split it into smaller files")
            ),
            other => panic!("a bomb must be refused: {other:?}"),
        }
    }

    #[test]
    fn the_total_is_bounded_too() {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let block = vec![b'a'; 30 * 1024 * 1024];
        for name in ["a.csv", "b.csv", "c.csv", "d.csv"] {
            out.start_file(name, options).unwrap();
            out.write_all(&block).unwrap();
        }
        let bundle = out.finish().unwrap().into_inner();
        let err = check(&bundle, ROSTER, "file").unwrap_err();
        assert_eq!(
            err.to_string(),
            "please correct the highlighted fields: file: expands to more than 100 MB (d.csv); split it into smaller files"
        );
        let mut names = Vec::new();
        read(
            &bundle,
            Limits { max_entries: 4, max_entry_bytes: 31 * 1024 * 1024, max_total_bytes: 130 * 1024 * 1024 },
            "file",
            |name, bytes| names.push((name.to_owned(), bytes.len())),
        )
        .unwrap();
        assert_eq!(names.len(), 4);
        assert_eq!(names[3], ("d.csv".to_owned(), 30 * 1024 * 1024));
    }

    #[test]
    fn garbage_is_named() {
        let err = check(b"PK\x03\x04 not really", WORKBOOK, "file").unwrap_err();
        assert!(
            matches!(err, AppError::Invalid(ref e) if e.get("file").is_some_and(|m| m.starts_with("could not be read as a ZIP file"))),
            "{err:?}"
        );
    }
}
