//! The design system's rules: every page in the shared layout with its navigation, no page with
//! colours of its own, a page weight budget, the navigation showing only what a person's roles
//! open, and the living style page. (Accessibility is checked with axe-core on every page the
//! browser tests open: see `browser::launch`.)

use std::path::PathBuf;

use crate::assessment::class;
use crate::support::{TestApp, html};

fn templates() -> Vec<PathBuf> {
    crate::support::files_under(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("templates"), "html")
}

#[test]
fn every_page_template_extends_the_layout_and_none_brings_its_own_colours_or_scripts() {
    let all = templates();
    assert!(all.len() > 40, "the templates are found: {}", all.len());
    let mut outside = Vec::new();
    let mut own_look = Vec::new();
    for path in &all {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let shown = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().display().to_string();
        // Partials (`_…`) are included into pages; the layout is the layout.
        if !name.starts_with('_') && name != "base.html" && !text.starts_with("{% extends \"base.html\" %}") {
            outside.push(shown.clone());
        }
        let colour = regex_lite_hex(&text);
        if text.contains("style=") || text.contains("<style") || colour.is_some() || text.contains("rgb(") {
            own_look.push(format!("{shown}: {}", colour.unwrap_or_else(|| "style".into())));
        }
        if name != "base.html" && (text.contains("<script") || text.contains("rel=\"stylesheet\"")) {
            own_look.push(format!("{shown}: a script or stylesheet of its own"));
        }
    }
    assert!(outside.is_empty(), "pages outside the shared layout: {outside:?}");
    assert!(own_look.is_empty(), "pages with a look of their own: {own_look:?}");
}

/// The first `#rgb` or `#rrggbb` colour in `text`, if any.
fn regex_lite_hex(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    (0..bytes.len()).filter(|&i| bytes[i] == b'#').find_map(|i| {
        let digits = bytes[i + 1..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_alphanumeric() && bytes[i - 1] != b'&';
        (before_ok && (digits == 3 || digits == 6)).then(|| text[i..=i + digits].to_owned())
    })
}

#[tokio::test]
async fn no_page_ships_more_than_100_kb_of_css_and_script() {
    let t = TestApp::new().await;
    let mut c = class(&t, "kb").await;
    let mut budget = Vec::new();
    for page in ["/", &c.page("/marks"), &c.page("/attainment"), "/reports", "/design"] {
        let shown = c.admin.get(page).await;
        assert_eq!(shown.status, 200, "{page}");
        let mut total = 0;
        let mut assets = Vec::new();
        for tag in shown.text.split('<').skip(1) {
            let source = if tag.starts_with("script") {
                attribute(tag, "src")
            } else if tag.starts_with("link") && tag.contains("rel=\"stylesheet\"") {
                attribute(tag, "href")
            } else {
                None
            };
            if tag.starts_with("script") && !tag.contains(" src=") {
                panic!("{page} holds an inline script");
            }
            if let Some(source) = source {
                let asset = c.admin.get(&source).await;
                assert_eq!(asset.status, 200, "{source}");
                total += asset.text.len();
                assets.push(source);
            }
        }
        assert!(!assets.is_empty(), "{page} links its stylesheet and script");
        budget.push((page.to_owned(), total));
        assert!(total <= 100 * 1024, "{page} ships {total} bytes of CSS and script ({assets:?})");
    }
    eprintln!("CSS and script per page: {budget:?}");
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    Some(tag[start..].split('"').next()?.to_owned())
}

#[tokio::test]
async fn the_navigation_shows_what_a_role_opens_and_marks_where_the_person_is() {
    let t = TestApp::new().await;
    let mut c = class(&t, "nav").await;
    let side = |page: &str| html::inner(page, "side").unwrap_or_default();

    let admin_home = c.admin.get("/").await;
    let admin_nav = side(&admin_home.text);
    for entry in ["/admin/users", "/admin/settings", "/reports", "/cqi", "/academics/offerings"] {
        assert!(admin_nav.contains(&format!("href=\"{entry}\"")), "the admin's navigation holds {entry}");
    }
    assert!(admin_nav.contains("href=\"/\" aria-current=\"page\""), "home is marked on the home page");

    let mut student = t.sign_in("s1@nav.edu").await;
    let student_home = student.get("/").await;
    let student_nav = side(&student_home.text);
    assert!(student_nav.contains("href=\"/my/results\""));
    for hidden in ["/admin/users", "/admin/settings", "/reports", "/cqi", "/assessment/rubrics", "/design"] {
        assert!(!student_nav.contains(&format!("href=\"{hidden}\"")), "a student is not offered {hidden}");
        assert!(!student_home.contains(&format!("href=\"{hidden}\"")), "nor anywhere on the page: {hidden}");
    }

    // An offering's pages share its course navigation; the tab of the page is marked, and the
    // way back leads through the offerings and the offering.
    let marks = c.instructor.get(&c.page("/marks")).await;
    let tabs = marks.text.split("aria-label=\"Course\"").nth(1).unwrap().split("</nav>").next().unwrap().to_owned();
    for tab in ["Home", "Assessment plan", "Marks", "CLO attainment", "Grades", "Course file"] {
        assert!(tabs.contains(&format!(">{tab}</a>")), "the {tab} tab: {tabs}");
    }
    assert!(tabs.contains(&format!("href=\"{}\" aria-current=\"page\">Marks</a>", c.page("/marks"))), "{tabs}");
    let crumbs =
        marks.text.split("aria-label=\"Breadcrumb\"").nth(1).unwrap().split("</nav>").next().unwrap().to_owned();
    assert!(crumbs.contains("href=\"/academics/offerings\">Offerings</a>"), "{crumbs}");
    assert!(crumbs.contains(&format!("href=\"{}\">EE-201", c.page(""))), "{crumbs}");
    assert!(side(&marks.text).contains("href=\"/academics/offerings\" aria-current=\"page\""));
    // A student enrolled in the offering sees its home tab only.
    let offering = student.get(&c.page("")).await;
    let their_tabs =
        offering.text.split("aria-label=\"Course\"").nth(1).unwrap().split("</nav>").next().unwrap().to_owned();
    assert!(their_tabs.contains(">Home</a>") && !their_tabs.contains("Marks"), "{their_tabs}");
}

#[tokio::test]
async fn the_style_page_shows_every_component_to_staff_only() {
    let t = TestApp::new().await;
    let mut c = class(&t, "sty").await;
    let page = c.instructor.get("/design").await;
    assert_eq!(page.status, 200);
    for part in [
        "--brand",
        "data-sortable",
        "class=\"badge ok\"",
        "class=\"empty\"",
        "<progress",
        "svg class=\"chart\"",
        "class=\"notice toast demo\"",
        "class=\"term-switch\"",
        "id=\"design-long-table\"",
    ] {
        assert!(page.contains(part), "the style page shows {part}");
    }
    let kept = c.instructor.get("/design?code=&credits=three").await;
    assert!(kept.contains("value=\"three\""), "what was typed stays");
    assert!(html::text(&kept.text, "e-code").is_some_and(|e| e.contains("required")), "{}", kept.text);
    assert!(html::text(&kept.text, "e-credits").is_some(), "each error beside its field");
    let mut student = t.sign_in("s1@sty.edu").await;
    assert_eq!(student.get("/design").await.status, 403);
}
