//! How large a request body each route takes: the one table the body limit enforces, the pages
//! quote and the API document states. Anything not listed takes [`FORM`].

use qobe_app::images;

const MIB: usize = 1024 * 1024;

/// Room for the multipart framing and the other fields of an upload form.
const FRAMING: usize = 256 * 1024;

/// An ordinary form or JSON body (a marks grid of 200 students × 40 items is about 400 KB).
pub const FORM: usize = 2 * MIB;

/// A profile picture and an institution logo.
pub const PICTURE_FILE: usize = images::PICTURE.max_bytes;
pub const LOGO_FILE: usize = images::LOGO.max_bytes;
/// A CSV or XLSX file to import (invitations, enrolments, academic records, marks).
pub const IMPORT_FILE: usize = 10 * MIB;
/// A OneRoster bundle: a ZIP, or its CSV files chosen together.
pub const ROSTER_FILE: usize = 20 * MIB;
/// A QTI content package of a question bank.
pub const QTI_PACKAGE: usize = 20 * MIB;
/// An evidence file attached to a CQI action.
pub const EVIDENCE_FILE: usize = qobe_app::cqi::actions::MAX_EVIDENCE;
/// A course file (with its captions): the hard ceiling; the institution's own largest file and
/// quota are enforced while it streams in (`qobe_app::files::receive`).
pub const CONTENT_FILE: usize = 8 * 1024 * MIB;
/// Files handed in for an assignment, all of one hand-in together: the hard ceiling; the
/// assignment's own largest file and the institution's quota are enforced as they stream in.
pub const SUBMISSION_FILES: usize = 8 * 1024 * MIB;
/// Confirming an import sends the checked file back as form text, which URL encoding can triple.
const IMPORT_COMMIT: usize = 3 * IMPORT_FILE + FRAMING;

/// Route patterns (`{…}` is one path segment) and the largest body each takes.
const ROUTES: &[(&str, usize)] = &[
    ("/profile/picture", PICTURE_FILE + FRAMING),
    ("/admin/settings/logo", LOGO_FILE + FRAMING),
    ("/admin/users/bulk", IMPORT_FILE + FRAMING),
    ("/admin/users/bulk/import", IMPORT_COMMIT),
    ("/registration/bulk", IMPORT_FILE + FRAMING),
    ("/registration/bulk/commit", IMPORT_COMMIT),
    ("/academics/import", IMPORT_FILE + FRAMING),
    ("/academics/import/commit", IMPORT_COMMIT),
    ("/assessment/offerings/{id}/marks/import", IMPORT_FILE + FRAMING),
    ("/assessment/offerings/{id}/marks/import/commit", IMPORT_COMMIT),
    ("/admin/oneroster", ROSTER_FILE + FRAMING),
    ("/quizzes/offerings/{id}/bank/qti", QTI_PACKAGE + FRAMING),
    ("/cqi/actions/{id}/evidence", EVIDENCE_FILE + FRAMING),
    ("/learning/modules/{id}/files", CONTENT_FILE + FRAMING),
    ("/assignments/{id}/submissions", SUBMISSION_FILES + FRAMING),
];

fn matches(pattern: &str, path: &str) -> bool {
    let mut wanted = pattern.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w == g || (w.starts_with('{') && !g.is_empty()) => {}
            _ => return false,
        }
    }
}

/// The largest body a request to `path` may send.
pub fn for_path(path: &str) -> usize {
    ROUTES.iter().find(|(pattern, _)| matches(pattern, path)).map_or(FORM, |(_, limit)| *limit)
}

/// How long a request to `path` may take: 30 seconds, or an hour for a course file or a hand-in,
/// which a slow connection takes long to send.
pub fn time_for(path: &str) -> std::time::Duration {
    if matches("/learning/modules/{id}/files", path) || matches("/assignments/{id}/submissions", path) {
        std::time::Duration::from_secs(3600)
    } else {
        std::time::Duration::from_secs(30)
    }
}

/// A size as pages say it: `5 MB`.
pub fn megabytes(bytes: usize) -> String {
    format!("{} MB", bytes / MIB)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_take_what_their_pages_promise() {
        assert_eq!(for_path("/profile/picture"), 5 * MIB + FRAMING);
        assert_eq!(for_path("/assessment/offerings/42/marks/import"), 10 * MIB + FRAMING);
        assert_eq!(for_path("/assessment/offerings/42/marks/import/commit"), 30 * MIB + FRAMING);
        assert_eq!(for_path("/academics/offerings//marks/import"), FORM, "an empty segment is no id");
        assert_eq!(for_path("/profile"), FORM);
        assert_eq!(for_path("/api/v1/offerings/1/marks"), FORM);
        assert_eq!(megabytes(IMPORT_FILE), "10 MB");
    }
}
