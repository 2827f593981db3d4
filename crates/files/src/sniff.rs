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
    } else if let Some(media) = media(bytes) {
        media
    } else if bytes.starts_with(b"PK\x03\x04") {
        OOXML.iter().find(|(ext, _)| *ext == extension).map_or("application/zip", |(_, kind)| kind)
    } else if is_text(bytes) {
        markup(bytes).unwrap_or(match extension.as_str() {
            "csv" => "text/csv; charset=utf-8",
            "md" => "text/markdown; charset=utf-8",
            "vtt" if bytes.starts_with(b"WEBVTT") || bytes.starts_with("\u{feff}WEBVTT".as_bytes()) => {
                "text/vtt; charset=utf-8"
            }
            _ => "text/plain; charset=utf-8",
        })
    } else {
        "application/octet-stream"
    }
}

/// Audio, video and the newer image formats, by their signatures.
fn media(bytes: &[u8]) -> Option<&'static str> {
    let at = |offset: usize, signature: &[u8]| bytes.get(offset..offset + signature.len()) == Some(signature);
    if at(4, b"ftyp") {
        // An ISO media file; its brand tells audio from video.
        Some(if at(8, b"M4A ") { "audio/mp4" } else { "video/mp4" })
    } else if bytes.starts_with(b"\x1a\x45\xdf\xa3") {
        Some("video/webm")
    } else if bytes.starts_with(b"OggS") {
        Some("audio/ogg")
    } else if bytes.starts_with(b"ID3") || bytes.starts_with(b"\xff\xfb") || bytes.starts_with(b"\xff\xf3") {
        Some("audio/mpeg")
    } else if at(0, b"RIFF") && at(8, b"WAVE") {
        Some("audio/wav")
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        Some("image/webp")
    } else {
        None
    }
}

/// Text a browser would run as a page or a drawing: HTML and SVG (also inside XML), however it
/// is named. Such files are only ever sent as attachments.
fn markup(bytes: &[u8]) -> Option<&'static str> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let start = head.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with("<!doctype html") || start.starts_with("<html") || head.contains("<script") {
        Some("text/html; charset=utf-8")
    } else if head.contains("<svg") {
        Some("image/svg+xml")
    } else if start.starts_with("<?xml") {
        Some("application/xml")
    } else {
        None
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
    fn markup_that_could_run_is_found_whatever_the_name() {
        assert_eq!(content_type(b"<!DOCTYPE html><p>hi", "notes.txt"), "text/html; charset=utf-8");
        assert_eq!(content_type(b"  <html><body>", "page.pdf"), "text/html; charset=utf-8");
        assert_eq!(content_type(b"Hello <script>alert(1)</script>", "readme.md"), "text/html; charset=utf-8");
        assert_eq!(
            content_type(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">", "logo.png"),
            "image/svg+xml"
        );
        assert_eq!(content_type(b"<svg onload=\"x()\">", "a.txt"), "image/svg+xml");
        assert_eq!(content_type(b"<?xml version=\"1.0\"?><note/>", "a.xml"), "application/xml");
    }

    #[test]
    fn media_and_captions_are_known_by_their_signatures() {
        assert_eq!(content_type(b"\x00\x00\x00\x20ftypisom\x00\x00", "lecture.bin"), "video/mp4");
        assert_eq!(content_type(b"\x00\x00\x00\x20ftypM4A \x00\x00", "talk.m4a"), "audio/mp4");
        assert_eq!(content_type(b"\x1a\x45\xdf\xa3\x9f", "clip"), "video/webm");
        assert_eq!(content_type(b"OggS\x00\x02", "song.ogg"), "audio/ogg");
        assert_eq!(content_type(b"ID3\x04\x00", "song.mp3"), "audio/mpeg");
        assert_eq!(content_type(b"RIFF\x24\x00\x00\x00WAVEfmt ", "a.wav"), "audio/wav");
        assert_eq!(content_type(b"RIFF\x24\x00\x00\x00WEBPVP8 ", "a.webp"), "image/webp");
        assert_eq!(
            content_type(b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n", "captions.vtt"),
            "text/vtt; charset=utf-8"
        );
        assert_eq!(content_type(b"WEBVTT\n", "captions.txt"), "text/plain; charset=utf-8");
    }

    #[test]
    fn a_character_cut_at_the_sniffing_edge_is_still_text() {
        let mut text = "a".repeat(8191).into_bytes();
        text.extend("é and more".as_bytes());
        assert_eq!(content_type(&text, "long.txt"), "text/plain; charset=utf-8");
    }
}
