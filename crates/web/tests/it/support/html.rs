//! Reading a page the way a check should: the value of the element that carries it, not a
//! substring that may also sit in a heading, a label or an option.

/// Text with tags removed, the common entities decoded and white space collapsed.
pub fn plain(html: &str) -> String {
    // Tags that break a line, as a browser shows them; inline tags (strong, a, span) join.
    const BLOCKS: [&str; 16] = [
        "p", "div", "td", "th", "tr", "li", "br", "h1", "h2", "h3", "section", "table", "ul", "ol", "summary", "option",
    ];
    let mut text = String::with_capacity(html.len());
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(name), '>') => {
                let bare =
                    name.trim_start_matches('/').split([' ', '/']).next().unwrap_or_default().to_ascii_lowercase();
                if BLOCKS.contains(&bare.as_str()) {
                    text.push(' ');
                }
                tag = None;
            }
            (Some(name), _) => name.push(c),
            (None, _) => text.push(c),
        }
    }
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ");
    numeric_entities(&decoded).replace("&amp;", "&").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `&#60;` and the like, as some escapers write them, read as their characters.
fn numeric_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let code = after.split_once(';').and_then(|(digits, _)| digits.parse::<u32>().ok()).and_then(char::from_u32);
        match code {
            Some(c) => {
                out.push(c);
                rest = &after[after.find(';').unwrap_or(0) + 1..];
            }
            None => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The inner HTML of the element with `id`, or `None` when the page has no such element.
pub fn inner(html: &str, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}\"");
    let at = html.find(&marker)?;
    let open = html[..at].rfind('<')?;
    let name: String = html[open + 1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let body_start = at + html[at..].find('>')? + 1;
    let (opening, closing) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 1;
    let mut cursor = body_start;
    while depth > 0 {
        let next_close = cursor + html[cursor..].find(&closing)?;
        let next_open = html[cursor..next_close]
            .match_indices(&opening)
            .map(|(i, _)| cursor + i)
            .find(|&i| html[i + opening.len()..].starts_with([' ', '>', '\n']));
        match next_open {
            Some(i) => {
                depth += 1;
                cursor = i + opening.len();
            }
            None => {
                depth -= 1;
                if depth == 0 {
                    return Some(html[body_start..next_close].to_owned());
                }
                cursor = next_close + closing.len();
            }
        }
    }
    None
}

/// The page's main heading.
pub fn h1(html: &str) -> Option<String> {
    let start = html.find("<h1")?;
    let body = &html[start + html[start..].find('>')? + 1..];
    Some(plain(&body[..body.find("</h1>")?]))
}

/// The text of the element with `id`.
pub fn text(html: &str, id: &str) -> Option<String> {
    inner(html, id).map(|h| plain(&h))
}

/// The body rows of the table with `id`, each as the text of its cells (`th` and `td`).
pub fn rows(html: &str, id: &str) -> Vec<Vec<String>> {
    let Some(table) = inner(html, id) else { return Vec::new() };
    let body = table.split("<tbody").nth(1).unwrap_or(&table);
    body.split("<tr")
        .skip(1)
        .map(|row| {
            let row = row.split("</tr>").next().unwrap_or_default();
            row.split("<t")
                .skip(1)
                .filter(|cell| cell.starts_with('d') || cell.starts_with('h'))
                .map(|cell| {
                    let content = cell.split_once('>').map(|(_, c)| c).unwrap_or_default();
                    let content =
                        content.split("</td>").next().unwrap_or_default().split("</th>").next().unwrap_or_default();
                    plain(content)
                })
                .collect()
        })
        .collect()
}

/// The text of every simple element (no nested tags) that has class `class` (among any others),
/// in page order.
pub fn texts_of_class(html: &str, class: &str) -> Vec<String> {
    html.match_indices("class=\"")
        .filter_map(|(at, marker)| {
            let rest = &html[at + marker.len()..];
            let classes = &rest[..rest.find('"')?];
            if !classes.split_whitespace().any(|c| c == class) {
                return None;
            }
            let start = rest.find('>')? + 1;
            let end = rest[start..].find("</")?;
            Some(plain(&rest[start..start + end]))
        })
        .collect()
}

/// The row of table `id` whose cells include `key` exactly.
pub fn row_with(html: &str, id: &str, key: &str) -> Option<Vec<String>> {
    rows(html, id).into_iter().find(|row| row.iter().any(|c| c == key))
}

#[test]
fn elements_and_tables_are_read_by_id() {
    let page = r#"<div id="a"><div>in</div> <b>x &amp; y</b></div><table id="t"><thead><tr><th>H</th></tr></thead><tbody><tr><th scope="row">r1</th><td class="n">1</td></tr><tr><td><a href="/">r2</a></td><td>2</td></tr></tbody></table>"#;
    assert_eq!(text(page, "a").as_deref(), Some("in x & y"));
    assert_eq!(plain("<p><strong>trial</strong>: 1 of <a>50</a></p>"), "trial: 1 of 50");
    assert_eq!(rows(page, "t"), vec![vec!["r1".to_owned(), "1".to_owned()], vec!["r2".to_owned(), "2".to_owned()]]);
    assert_eq!(row_with(page, "t", "r2"), Some(vec!["r2".to_owned(), "2".to_owned()]));
    assert_eq!(text(page, "missing"), None);
}
