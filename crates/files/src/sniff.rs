//! A stored file's content type, read from its first bytes rather than taken from the upload:
//! the name only tells apart formats that share a container (a spreadsheet and a document are
//! both ZIP archives) and kinds of plain text.

const OOXML: [(&str, &str); 3] = [
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
];

/// The content type of `bytes`, named `name`.
pub fn content_type(bytes: &[u8], name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).unwrap_or_default();
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "image/gif"
    } else if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if bytes.starts_with(b"PK\x03\x04") {
        OOXML.iter().find(|(ext, _)| *ext == extension).map_or("application/zip", |(_, kind)| kind)
    } else if is_text(bytes) {
        match extension.as_str() {
            "csv" => "text/csv; charset=utf-8",
            "md" => "text/markdown; charset=utf-8",
            _ => "text/plain; charset=utf-8",
        }
    } else {
        "application/octet-stream"
    }
}

/// UTF-8 without control characters other than tab and line ends (checked on the first 8 KiB;
/// a character cut at that edge does not count against it).
fn is_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let valid = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(err) if err.error_len().is_none() => std::str::from_utf8(&head[..err.valid_up_to()]).unwrap_or_default(),
        Err(_) => return false,
    };
    !bytes.is_empty() && !valid.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

#[cfg(test)]
mod tests {
    use super::content_type;

    #[test]
    fn the_content_decides_and_the_name_only_tells_apart_what_looks_alike() {
        assert_eq!(content_type(b"\x89PNG\r\n\x1a\n....", "photo.jpg"), "image/png");
        assert_eq!(content_type(b"\xff\xd8\xff\xe0", "scan.png"), "image/jpeg");
        assert_eq!(content_type(b"%PDF-1.7\n", "minutes.docx"), "application/pdf");
        assert_eq!(
            content_type(b"PK\x03\x04rest", "Marks.XLSX"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert_eq!(content_type(b"PK\x03\x04rest", "bundle.zip"), "application/zip");
        assert_eq!(content_type(b"id,name\n1,Ayesha\n", "list.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("Résumé des actions\n".as_bytes(), "notes"), "text/plain; charset=utf-8");
        assert_eq!(content_type(b"MZ\x90\x00\x03\x00", "notes.txt"), "application/octet-stream");
        assert_eq!(content_type(b"", "empty.txt"), "application/octet-stream");
    }

    #[test]
    fn a_character_cut_at_the_sniffing_edge_is_still_text() {
        let mut text = "a".repeat(8191).into_bytes();
        text.extend("é and more".as_bytes());
        assert_eq!(content_type(&text, "long.txt"), "text/plain; charset=utf-8");
    }
}
