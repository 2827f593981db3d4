//! Markdown to HTML for texts people read on a page (the legal texts now; course content
//! later). Raw HTML in the source is shown as text, never passed through, so a text can't
//! inject markup or script.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Whether a link or image address is safe to follow: web, mail or relative, nothing that runs.
fn safe_address(address: &str) -> bool {
    let lower = address.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => matches!(scheme, "http" | "https" | "mailto"),
        _ => true,
    }
}

/// The HTML of a Markdown text, with any HTML in it escaped and unsafe addresses dropped.
pub fn to_html(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let parser = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if !safe_address(&dest_url) => {
            Event::Start(Tag::Link { link_type, dest_url: CowStr::Borrowed("#"), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if !safe_address(&dest_url) => {
            Event::Start(Tag::Image { link_type, dest_url: CowStr::Borrowed(""), title, id })
        }
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn headings_lists_and_paragraphs_become_html() {
        let html = to_html("# Terms\n\nIntro text.\n\n1. First\n2. Second\n\n- a point\n  that wraps\n");
        assert_eq!(
            html,
            "<h1>Terms</h1>\n<p>Intro text.</p>\n<ol>\n<li>First</li>\n<li>Second</li>\n</ol>\n<ul>\n<li>a point\nthat wraps</li>\n</ul>\n"
        );
    }

    #[test]
    fn html_in_the_source_is_shown_as_text() {
        let html = to_html("Hello <script>alert(1)</script>\n\n<div onclick=\"x()\">block</div>\n");
        assert!(!html.contains("<script>") && !html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        // Quotes need no escaping in text (only inside attributes).
        assert!(html.contains("&lt;div onclick=\"x()\"&gt;block&lt;/div&gt;"), "{html}");
    }

    #[test]
    fn links_with_script_addresses_are_not_made_clickable() {
        let html = to_html("[click](javascript:alert(1))");
        assert!(!html.contains("href=\"javascript:"), "{html}");
    }
}
