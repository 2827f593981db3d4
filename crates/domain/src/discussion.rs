//! Forum rules: how long an author may edit a post, who may reply to a locked thread, and what a
//! hidden post shows to whom. Pure: the app reads the rows and asks these.

use chrono::{DateTime, Duration, Utc};

/// How long after posting an author may still edit a post (moderators edit their own at any time).
pub const EDIT_WINDOW: Duration = Duration::minutes(30);

/// Whether the person may edit a post: only its author, within [`EDIT_WINDOW`] unless they
/// moderate the forum.
pub fn may_edit(is_author: bool, moderates: bool, posted_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    is_author && (moderates || now - posted_at <= EDIT_WINDOW)
}

/// Whether the person may reply: a locked thread takes replies from moderators only.
pub fn may_reply(locked: bool, moderates: bool) -> bool {
    !locked || moderates
}

/// What a post shows to the one looking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Showing {
    /// Its text.
    Text,
    /// Its text, marked hidden, with the reason: to its author and the moderators.
    HiddenText,
    /// Only that a moderator hid it.
    Hidden,
}

pub fn showing(hidden: bool, is_author: bool, moderates: bool) -> Showing {
    match (hidden, is_author || moderates) {
        (false, _) => Showing::Text,
        (true, true) => Showing::HiddenText,
        (true, false) => Showing::Hidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_edit_within_the_window_and_moderators_always() {
        let posted = DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z").unwrap().with_timezone(&Utc);
        let soon = posted + Duration::minutes(29);
        let late = posted + Duration::minutes(31);
        assert!(may_edit(true, false, posted, soon));
        assert!(!may_edit(true, false, posted, late));
        assert!(may_edit(true, true, posted, late));
        assert!(!may_edit(false, true, posted, soon), "a moderator hides others' posts, never edits them");
    }

    #[test]
    fn locked_threads_take_replies_from_moderators_only() {
        assert!(may_reply(false, false));
        assert!(!may_reply(true, false));
        assert!(may_reply(true, true));
    }

    #[test]
    fn a_hidden_post_shows_its_text_only_to_its_author_and_moderators() {
        assert_eq!(showing(false, false, false), Showing::Text);
        assert_eq!(showing(true, true, false), Showing::HiddenText);
        assert_eq!(showing(true, false, true), Showing::HiddenText);
        assert_eq!(showing(true, false, false), Showing::Hidden);
    }
}
