//! Course content's rules: what kinds of item a module holds, how a student completes each, when
//! an item is released to students, and how progress is counted. Pure: the app reads the rows
//! and asks these.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a content item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ItemKind {
    /// A page of text written in the product (Markdown).
    Page,
    /// A stored file: a document, an image, audio or video (with captions).
    File,
    /// An address elsewhere on the web.
    Link,
}

impl ItemKind {
    pub const ALL: [ItemKind; 3] = [ItemKind::Page, ItemKind::File, ItemKind::Link];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Page => "page",
            ItemKind::File => "file",
            ItemKind::Link => "link",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Page => "Page",
            ItemKind::File => "File",
            ItemKind::Link => "Link",
        }
    }

    pub fn parse(raw: &str) -> Result<ItemKind, String> {
        ItemKind::ALL.into_iter().find(|k| k.as_str() == raw).ok_or_else(|| "must be page, file or link".to_owned())
    }
}

/// How a student completes an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Completion {
    /// Opening it completes it.
    View,
    /// The student marks it done.
    Done,
}

impl Completion {
    pub const ALL: [Completion; 2] = [Completion::View, Completion::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            Completion::View => "view",
            Completion::Done => "done",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Completion::View => "Opening it",
            Completion::Done => "Marking it done",
        }
    }

    pub fn parse(raw: &str) -> Result<Completion, String> {
        Completion::ALL.into_iter().find(|c| c.as_str() == raw).ok_or_else(|| "must be view or done".to_owned())
    }

    /// Whether a student who opened the item (`viewed`) and marked it done (`done`) completed it.
    pub fn met(self, viewed: bool, done: bool) -> bool {
        match self {
            Completion::View => viewed || done,
            Completion::Done => done,
        }
    }
}

/// When an item is released to students: a moment, another item completed first, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Release<Item> {
    pub from: Option<DateTime<Utc>>,
    pub after: Option<Item>,
}

/// Why an item is not released yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held<Item> {
    Until(DateTime<Utc>),
    After(Item),
}

impl<Item: Copy> Release<Item> {
    /// Whether the item is released at `now` to a student for whom `completed` says which items
    /// they have completed; otherwise what holds it (the date first).
    pub fn check(&self, now: DateTime<Utc>, completed: impl Fn(Item) -> bool) -> Result<(), Held<Item>> {
        if let Some(from) = self.from
            && now < from
        {
            return Err(Held::Until(from));
        }
        match self.after {
            Some(item) if !completed(item) => Err(Held::After(item)),
            _ => Ok(()),
        }
    }
}

/// How far a student is through the items counted: completed of total, and the whole percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub completed: u32,
    pub total: u32,
}

impl Progress {
    pub fn add(&mut self, completed: bool) {
        self.total += 1;
        self.completed += u32::from(completed);
    }

    /// The percent completed, rounded down so 100 means every item (0 when there are none).
    pub fn percent(&self) -> u32 {
        (self.completed * 100).checked_div(self.total).unwrap_or(0)
    }
}

/// Whether `address` may be offered as a link: the web's own addresses only, never a script.
pub fn link_address(address: &str) -> Result<String, String> {
    let address = address.trim();
    let lower = address.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) || address.len() < 10 {
        return Err("must be a web address starting with https:// or http://".into());
    }
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces".into());
    }
    if address.len() > 2000 {
        return Err("must be at most 2000 characters".into());
    }
    Ok(address.to_owned())
}

/// Where a link to a video service plays inside the page: a YouTube watch, short or embed
/// address to its privacy-enhanced player, a Vimeo address to its player; `None` for any other
/// link (shown as a link). Only these players are let into the page's frames (the CSP's
/// `frame-src`, [`EMBED_ORIGINS`]).
pub fn embed_address(link: &str) -> Option<String> {
    let rest = link.trim().strip_prefix("https://").or_else(|| link.trim().strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").or_else(|| host.strip_prefix("m.")).unwrap_or(&host);
    let youtube_id = |id: &str| {
        let id = id.split(['?', '&', '#', '/']).next().unwrap_or_default();
        (id.len() == 11 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .then(|| format!("https://www.youtube-nocookie.com/embed/{id}"))
    };
    match host {
        "youtube.com" | "youtube-nocookie.com" => {
            if let Some(id) = path.strip_prefix("embed/") {
                return youtube_id(id);
            }
            let query = path.strip_prefix("watch?")?;
            query.split('&').find_map(|pair| pair.strip_prefix("v=")).and_then(youtube_id)
        }
        "youtu.be" => youtube_id(path),
        "vimeo.com" => {
            let id = path.split(['?', '#', '/']).next().unwrap_or_default();
            (!id.is_empty() && id.len() <= 12 && id.chars().all(|c| c.is_ascii_digit()))
                .then(|| format!("https://player.vimeo.com/video/{id}"))
        }
        _ => None,
    }
}

/// The origins whose players [`embed_address`] points at.
pub const EMBED_ORIGINS: [&str; 2] = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"];

/// A stored file's name made safe to keep and to send back: no folders (`../`), no control or
/// direction-changing characters, at most 200 characters; what is left if nothing is, `file`.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_direction_mark(*c))
        .take(200)
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_owned();
    if cleaned.is_empty() { "file".to_owned() } else { cleaned }
}

/// Characters that reorder how text around them is shown: with them `gpj.exe` can read as
/// `exe.jpg`.
fn is_direction_mark(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, 9, 0, 0).single().unwrap_or_default()
    }

    #[test]
    fn an_item_is_held_until_its_date_and_until_the_item_before_it_is_completed() {
        let release = Release { from: Some(at(4)), after: Some(7_i64) };
        assert_eq!(release.check(at(3), |_| true), Err(Held::Until(at(4))));
        assert_eq!(release.check(at(4), |_| false), Err(Held::After(7)));
        assert_eq!(release.check(at(5), |item| item == 7), Ok(()));
        assert_eq!(Release::<i64>::default().check(at(1), |_| false), Ok(()));
    }

    #[test]
    fn completion_follows_the_item_rule() {
        assert!(Completion::View.met(true, false));
        assert!(!Completion::Done.met(true, false));
        assert!(Completion::Done.met(true, true));
        assert!(!Completion::View.met(false, false));
    }

    #[test]
    fn progress_counts_completed_items_and_rounds_down() {
        let mut progress = Progress::default();
        assert_eq!(progress.percent(), 0);
        for completed in [true, true, false] {
            progress.add(completed);
        }
        assert_eq!((progress.completed, progress.total, progress.percent()), (2, 3, 66));
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert_eq!(link_address(" https://example.edu/notes ").as_deref(), Ok("https://example.edu/notes"));
        assert!(link_address("javascript:alert(1)").is_err());
        assert!(link_address("JAVASCRIPT://x%0aalert(1)").is_err());
        assert!(link_address("data:text/html,<script>").is_err());
        assert!(link_address("https://a b.edu").is_err());
    }

    #[test]
    fn file_names_lose_folders_controls_and_direction_marks() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(safe_file_name("notes\0.pdf"), "notes.pdf");
        assert_eq!(safe_file_name("invoice\u{202e}fdp.exe"), "invoicefdp.exe");
        assert_eq!(safe_file_name(".hidden"), "hidden");
        assert_eq!(safe_file_name("../"), "file");
        assert_eq!(safe_file_name(&"a".repeat(500)).chars().count(), 200);
        assert_eq!(safe_file_name("محاضرة ١.pdf"), "محاضرة ١.pdf", "right-to-left letters themselves are kept");
    }

    #[test]
    fn video_links_play_in_the_page_and_nothing_else_does() {
        let nocookie = Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ".to_owned());
        for link in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=10",
            "https://youtu.be/dQw4w9WgXcQ?t=4",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
        ] {
            assert_eq!(embed_address(link), nocookie, "{link}");
        }
        assert_eq!(embed_address("https://vimeo.com/76979871"), Some("https://player.vimeo.com/video/76979871".into()));
        for other in [
            "https://example.edu/video.mp4",
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?v=dQw4w9WgXc\"><script>",
            "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
            "https://vimeo.com/channels/staffpicks",
            "javascript:alert(1)",
        ] {
            assert_eq!(embed_address(other), None, "{other}");
        }
    }
}
