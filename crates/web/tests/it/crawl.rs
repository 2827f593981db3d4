//! A walk through the demo as each of its people: from the start page, every link and every
//! button a page offers is followed (links opened, forms sent as they are), and none may end in a
//! refusal (403) or a server error; then each page is opened in headless Chromium at phone
//! width, and none may scroll sideways. A failure names the page, the link or form, and the
//! element that sticks out.

use std::collections::{BTreeMap, HashSet, VecDeque};

use crate::browser::{launch, serve};
use crate::support::{Client, TestApp};

/// Pages of one pattern (numbers in the path taken as ids) visited at most this often.
const PER_PATTERN: usize = 2;

/// A page's address with its numbers turned into `{n}`: `/academics/courses/12` and `/13` are
/// one kind of page.
fn pattern(url: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path: Vec<String> = path
        .split('/')
        .map(|segment| {
            if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
                "{n}".into()
            } else {
                segment.to_owned()
            }
        })
        .collect();
    let mut keys: Vec<&str> =
        query.split('&').filter_map(|kv| kv.split('=').next()).filter(|k| !k.is_empty()).collect();
    keys.sort_unstable();
    format!("{}?{}", path.join("/"), keys.join("&"))
}

/// Links worth following: this site's pages, not downloads, assets, the API or signing out.
fn followable(href: &str) -> bool {
    href.starts_with('/')
        && !href.starts_with("//")
        && !href.starts_with("/assets/")
        && !href.starts_with("/api/")
        && !href.starts_with("/legal/")
        && href != "/logout"
        && !href.contains("format=")
        && ![".pdf", ".csv", ".xlsx", ".zip", "/file", "/picture", "/export"]
            .iter()
            .any(|end| href.split('?').next().unwrap_or("").ends_with(end))
        && !href.starts_with("/cqi/evidence/")
}

fn unescape(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
}

/// The value of attribute `name` in a tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    Some(unescape(tag[start..].split('"').next()?))
}

fn links(html: &str) -> Vec<String> {
    html.split("<a ")
        .skip(1)
        .filter_map(|tag| attribute(&format!(" {}", tag.split('>').next()?), "href"))
        .filter(|h| followable(h))
        .collect()
}

/// A form as a browser would send it when its first button is pressed.
#[derive(Debug)]
pub(crate) struct Form {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

pub(crate) fn forms(html: &str) -> Vec<Form> {
    let mut out = Vec::new();
    for chunk in html.split("<form").skip(1) {
        let Some((open, rest)) = chunk.split_once('>') else { continue };
        let body = rest.split("</form>").next().unwrap_or("");
        let open = format!(" {open}");
        if attribute(&open, "method").as_deref() != Some("post") || open.contains("multipart/form-data") {
            continue;
        }
        let Some(action) = attribute(&open, "action") else { continue };
        let mut fields = Vec::new();
        let mut pressed = false;
        for piece in body.split('<').skip(1) {
            let tag = format!(" {}", piece.split('>').next().unwrap_or(""));
            let name = attribute(&tag, "name");
            if piece.starts_with("input") {
                let kind = attribute(&tag, "type").unwrap_or_else(|| "text".into());
                if let Some(name) = name {
                    match kind.as_str() {
                        "checkbox" | "radio" if !tag.contains(" checked") => {}
                        "submit" | "button" | "file" => {}
                        _ => fields.push((name, attribute(&tag, "value").unwrap_or_default())),
                    }
                }
            } else if piece.starts_with("textarea") {
                if let Some(name) = name {
                    fields.push((name, unescape(piece.split_once('>').map_or("", |(_, t)| t))));
                }
            } else if piece.starts_with("select") {
                if let Some(name) = name {
                    let options = body
                        .split(&format!("name=\"{name}\""))
                        .nth(1)
                        .unwrap_or("")
                        .split("</select>")
                        .next()
                        .unwrap_or("");
                    let chosen = options
                        .split("<option")
                        .skip(1)
                        .find(|o| o.contains(" selected"))
                        .or_else(|| options.split("<option").nth(1));
                    fields.push((name, chosen.and_then(|o| attribute(&format!(" {o}"), "value")).unwrap_or_default()));
                }
            } else if piece.starts_with("button") && !pressed && !tag.contains("type=\"button\"") {
                pressed = true;
                if let (Some(name), Some(value)) = (name, attribute(&tag, "value")) {
                    fields.push((name, value));
                }
            }
        }
        out.push(Form { action, fields });
    }
    out
}

/// Form addresses not sent: signing out, and forms that ask for one's password (they would only
/// count wrong guesses).
fn sendable(action: &str) -> bool {
    action != "/logout"
        && !["/profile/password", "/profile/email", "/security/two-factor"].iter().any(|a| action.starts_with(a))
}

/// Walks the site as `client`; returns the pages seen and every refusal found.
async fn walk(client: &mut Client) -> (Vec<String>, Vec<String>) {
    let mut seen_patterns: BTreeMap<String, usize> = BTreeMap::new();
    let mut sent_forms: HashSet<String> = HashSet::new();
    let mut visited = HashSet::new();
    let mut pages = Vec::new();
    let mut problems = Vec::new();
    let mut queue = VecDeque::from([("/".to_owned(), "the start".to_owned())]);
    while let Some((url, from)) = queue.pop_front() {
        if !visited.insert(url.clone()) {
            continue;
        }
        let kind = pattern(&url);
        let count = seen_patterns.entry(kind).or_default();
        if *count >= PER_PATTERN {
            continue;
        }
        *count += 1;
        let response = client.get(&url).await;
        let status = response.status;
        if status == 403 || status >= 500 {
            problems.push(format!("{url} (linked from {from}) answered {status}"));
            continue;
        }
        if status != 200 {
            continue;
        }
        pages.push(url.clone());
        for link in links(&response.text) {
            if !visited.contains(&link) {
                queue.push_back((link, url.clone()));
            }
        }
        for form in forms(&response.text) {
            if !sendable(&form.action) || !sent_forms.insert(pattern(&form.action)) {
                continue;
            }
            let fields: Vec<(&str, &str)> = form.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let sent = client.post_raw(&form.action, &fields).await;
            if sent.status == 403 || sent.status >= 500 {
                let said =
                    sent.text.split("id=\"error-message\">").nth(1).and_then(|r| r.split('<').next()).unwrap_or("");
                problems.push(format!("the form to {} on {url} answered {}: {said}", form.action, sent.status));
            }
        }
    }
    (pages, problems)
}

pub(crate) async fn sign_in(t: &TestApp, email: &str) -> Client {
    let mut client = t.client();
    let signed =
        client.submit("/login", "/login", &[("email", email), ("password", qobe_app::demo::DEMO_PASSWORD)]).await;
    assert_eq!(signed.status, 303, "{email} signs in: {}", signed.text);
    if client.get("/profile").await.location() == Some("/consent") {
        client.submit("/consent", "/consent", &[("accept_terms", "on")]).await;
    }
    client
}

#[tokio::test]
async fn every_role_walks_the_demo_without_refusals_or_sideways_scrolling() {
    let t = TestApp::new().await;
    let demo = qobe_app::demo::generate(&t.app, qobe_app::demo::Size::S, |_| {}).await.unwrap();
    let mut problems = Vec::new();
    let mut walked: Vec<(String, String, Vec<String>)> = Vec::new();
    for (role, email) in &demo.sign_ins {
        let mut client = sign_in(&t, email).await;
        let (pages, found) = walk(&mut client).await;
        assert!(pages.len() >= 8, "{role:?} sees a real site: {pages:?}");
        problems.extend(found.into_iter().map(|p| format!("{role:?}: {p}")));
        walked.push((format!("{role:?}").to_lowercase(), email.clone(), pages));
    }
    assert!(problems.is_empty(), "refusals reached from links and buttons:\n{}", problems.join("\n"));

    // At phone width, no page scrolls sideways (tables scroll inside their own frame).
    let Some(browser) = launch().await else { return };
    let base = serve(&t).await;
    let (mut wide, mut clipped) = (Vec::new(), Vec::new());
    let shots = crate::browser::screenshots().join("home");
    for (role, email, pages) in &walked {
        browser.set_viewport(390, 844, true).await.unwrap();
        browser.goto(&format!("{base}/logout")).await.ok();
        browser.goto(&format!("{base}/login")).await.unwrap();
        browser.fill("#f-email", email).await.unwrap();
        browser.fill("#f-password", qobe_app::demo::DEMO_PASSWORD).await.unwrap();
        browser.click_and_wait_navigation("form[action='/login'] button[type=submit]").await.unwrap();
        // Each person's home page on a phone, then with the navigation drawer open.
        browser.screenshot(&shots.join(format!("{role}-phone.png"))).await.unwrap();
        browser.click(".menu-toggle").await.unwrap();
        assert_eq!(browser.eval("document.getElementById('side').classList.contains('open')").await.unwrap(), true);
        browser.screenshot(&shots.join(format!("{role}-phone-navigation.png"))).await.unwrap();
        for page in pages {
            browser.goto(&format!("{base}{page}")).await.unwrap();
            if let Some(name) = pictured(page) {
                browser.screenshot(&shots.join(format!("{role}-{name}-phone.png"))).await.unwrap();
            }
            let culprit = browser.eval(SIDEWAYS).await.unwrap();
            if let Some(what) = culprit.as_str() {
                wide.push(format!("{email}: {page} scrolls sideways because of {what}"));
            }
        }
        // On a laptop, a table beside a chart shows whole: it moves below the chart rather than
        // hiding columns behind a scroll bar.
        browser.set_viewport(1280, 800, false).await.unwrap();
        browser.goto(&format!("{base}/")).await.unwrap();
        browser.screenshot(&shots.join(format!("{role}-desktop.png"))).await.unwrap();
        if role == "qaofficer" {
            compact_tables_stay_chosen(&browser, &base).await;
        }
        if role == "instructor" {
            switch_terms_in_place(&browser).await;
            browser.screenshot(&shots.join("instructor-other-term-desktop.png")).await.unwrap();
        }
        for page in pages {
            browser.goto(&format!("{base}{page}")).await.unwrap();
            if let Some(name) = pictured(page) {
                browser.screenshot(&shots.join(format!("{role}-{name}-desktop.png"))).await.unwrap();
            }
            if let Some(what) = browser.eval(CLIPPED).await.unwrap().as_str() {
                clipped.push(format!("{email}: {page} clips {what}"));
            }
        }
        // Sign out through the page, as a person would.
        browser.click_and_wait_navigation("form[action='/logout'] button").await.ok();
    }
    assert!(wide.is_empty(), "pages wider than a phone:\n{}", wide.join("\n"));
    assert!(clipped.is_empty(), "tables clipped beside their charts at 1280 px:\n{}", clipped.join("\n"));
}

/// Compact tables, chosen from the person's menu, stay chosen on the next page.
async fn compact_tables_stay_chosen(browser: &qobe_browser::Browser, base: &str) {
    let dense = "document.documentElement.classList.contains('dense-tables')";
    assert_eq!(browser.eval(dense).await.unwrap(), false);
    browser.click(".density-toggle").await.unwrap();
    assert_eq!(browser.eval(dense).await.unwrap(), true);
    browser.goto(&format!("{base}/cqi")).await.unwrap();
    assert_eq!(browser.eval(dense).await.unwrap(), true, "remembered on this device");
    assert_eq!(
        browser.eval("document.querySelector('.density-toggle').getAttribute('aria-pressed')").await.unwrap(),
        "true"
    );
    browser.click(".density-toggle").await.unwrap();
    assert_eq!(browser.eval(dense).await.unwrap(), false);
}

/// On the instructor's home, choosing another term replaces the classes shown without leaving
/// the page (the address follows, so it can be shared).
async fn switch_terms_in_place(browser: &qobe_browser::Browser) {
    let before = browser.text("#teaching-term-name").await.unwrap();
    let wanted = browser
        .eval(
            "(() => { document.getElementById('teaching-term-name').dataset.old = 'yes'; \
             const s = document.getElementById('term-switch'); s.selectedIndex = (s.selectedIndex + 1) % s.options.length; \
             s.dispatchEvent(new Event('input', { bubbles: true })); return s.options[s.selectedIndex].text; })()",
        )
        .await
        .unwrap();
    browser.wait_for("#teaching-term-name:not([data-old])", std::time::Duration::from_secs(10)).await.unwrap();
    let after = browser.text("#teaching-term-name").await.unwrap();
    assert_eq!(Some(after.trim()), wanted.as_str(), "the chosen term's classes are shown");
    assert_ne!(before.trim(), after.trim());
    assert!(browser.url().await.unwrap().contains("?term="), "the address names the term");
}

/// The pages kept as pictures besides each home page: an offering's marks (the course
/// navigation) and the design system's page.
fn pictured(page: &str) -> Option<&'static str> {
    if page.starts_with("/assessment/offerings/") && page.ends_with("/marks") {
        Some("course-navigation")
    } else if page == "/design" {
        Some("design-system")
    } else {
        None
    }
}

/// `null`, or the first table beside a chart that does not show whole (its frame scrolls).
const CLIPPED: &str = r##"(() => {
  for (const frame of document.querySelectorAll(".chart-with-table .table-wrap")) {
    if (frame.scrollWidth > frame.clientWidth + 1) {
      const table = frame.querySelector("table");
      return `<table${table && table.id ? "#" + table.id : ""}> ${frame.scrollWidth}px in a ${frame.clientWidth}px frame`;
    }
  }
  return null;
})()"##;

/// `null` when the page fits the viewport; else the outermost element that sticks out, outside
/// any box that scrolls on its own.
const SIDEWAYS: &str = r##"(() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return null;
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return true; } return false; };
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && !scrolls(el)) {
      const id = el.id ? "#" + el.id : "";
      const cls = el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "";
      return `<${el.tagName.toLowerCase()}${id}${cls}> ${Math.round(box.right)}px wide: "${(el.innerText || "").slice(0, 60)}"`;
    }
  }
  return "something " + document.documentElement.scrollWidth + "px wide";
})()"##;
