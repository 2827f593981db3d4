//! End to end in headless Chromium: setup → create institution → accept invitation → sign in
//! → edit profile, with screenshots in `test-artifacts/screenshots/`.

use std::net::SocketAddr;
use std::path::PathBuf;

use qobe_browser::{Browser, Launch, PageCheck};

use crate::support::{PASSWORD, TestApp};

pub fn screenshots() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-artifacts/screenshots")
}

/// Headless Chromium, or `None` (with a printed notice) where it is not installed; with
/// `QOBE_REQUIRE_ALL_TESTS=1` a missing browser fails the test instead.
pub async fn launch() -> Option<Browser> {
    match Browser::launch().await.expect("Chromium must start when QOBE_REQUIRE_ALL_TESTS=1") {
        Launch::Ready(browser) => {
            if let Some(check) = accessibility_check() {
                browser.check_every_page(check);
            }
            Some(browser)
        }
        Launch::Skipped(notice) => {
            eprintln!("skipped: {notice}");
            None
        }
    }
}

/// axe-core on every page a browser test opens: no serious or critical violation of WCAG 2.2
/// A and AA. The script is the npm package's `axe.min.js`, named by `QOBE_AXE_JS` (`.ci/run`
/// installs it); without it the check is skipped with a notice, unless
/// `QOBE_REQUIRE_ALL_TESTS=1`. The PostgreSQL pass leaves it to the SQLite pass.
fn accessibility_check() -> Option<PageCheck> {
    if std::env::var_os("QOBE_TEST_POSTGRES_URL").is_some() {
        // The pages do not depend on the database: they are checked on the SQLite pass.
        return None;
    }
    let Some(path) = std::env::var_os("QOBE_AXE_JS") else {
        assert!(
            std::env::var("QOBE_REQUIRE_ALL_TESTS").as_deref() != Ok("1"),
            "QOBE_AXE_JS must name axe-core's axe.min.js when QOBE_REQUIRE_ALL_TESTS=1"
        );
        eprintln!("accessibility check skipped: set QOBE_AXE_JS to axe-core's axe.min.js");
        return None;
    };
    let axe = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    Some(PageCheck {
        prepare: format!("if (typeof window.axe === 'undefined') {{ {axe}\n}}"),
        verdict: AXE_VERDICT.to_owned(),
    })
}

/// Runs axe on the page; `null`, or each serious or critical violation with up to five of the
/// elements it was found on.
const AXE_VERDICT: &str = r#"(async () => {
  const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
  const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length === 0) return null;
  const where = (n) => `    ${n.target.join(" ")}: ${(n.failureSummary || "").split("\n").slice(1).join("; ").trim()}`;
  return bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 5).map(where).join("\n")).join("\n");
})()"#;

pub async fn serve(t: &TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = t.router.clone().into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, router).await });
    // The job runner and scheduler, as `qobe serve` runs them beside the web server.
    tokio::spawn(qobe_app::jobs::serve(t.app.clone()));
    format!("http://{addr}")
}

/// The body rows of the table `css` as the browser shows them: each cell's visible text.
pub async fn cells(browser: &Browser, css: &str) -> Vec<Vec<String>> {
    let script = format!(
        "Array.from(document.querySelectorAll({css:?} + ' tbody tr')).map((row) => Array.from(row.cells).map((cell) => cell.innerText.trim()))"
    );
    serde_json::from_value(browser.eval(&script).await.unwrap()).unwrap()
}

/// Signs in through the login page, as a person types it.
/// Signs out through the page's own form (in the person menu, hidden on a phone), waiting for
/// the sign-in page so that the next sign-in never races the sign-out.
pub async fn sign_out(browser: &Browser) {
    browser.submit_and_wait_navigation("form[action='/logout']").await.unwrap();
    assert!(browser.url().await.unwrap().contains("/login"), "signed out onto the sign-in page");
}

pub async fn sign_in(browser: &Browser, base: &str, email: &str, password: &str) {
    browser.goto(&format!("{base}/login")).await.unwrap();
    browser.fill("#f-email", email).await.unwrap();
    browser.fill("#f-password", password).await.unwrap();
    browser.click_and_wait_navigation("form[action='/login'] button[type=submit]").await.unwrap();
}

#[tokio::test]
async fn setup_institution_invitation_login_and_profile_in_a_real_browser() {
    let Some(browser) = launch().await else { return };
    let t = TestApp::new().await;
    let base = serve(&t).await;
    let shots = screenshots();

    // 1. First-run setup link.
    let link = qobe_app::setup::setup_link(&t.app).await.unwrap().unwrap();
    browser.goto(&link.replace("http://qobe.test", &base)).await.unwrap();
    browser.fill("#f-name", "Olivia Operator").await.unwrap();
    browser.fill("#f-email", "olivia@qobe.test").await.unwrap();
    browser.fill("#f-password", PASSWORD).await.unwrap();
    browser.fill("#f-password_confirm", PASSWORD).await.unwrap();
    browser.fill("#f-accept_terms", "true").await.unwrap();
    browser.screenshot(&shots.join("01-setup.png")).await.unwrap();
    browser.click_and_wait_navigation("button[type=submit]").await.unwrap();
    assert!(browser.url().await.unwrap().ends_with("/operator"));

    // 2. The operator creates an institution.
    browser.fill("#f-name", "Indus University").await.unwrap();
    browser.fill("#f-slug", "indus").await.unwrap();
    browser.fill("#f-admin_name", "Imran Admin").await.unwrap();
    browser.fill("#f-admin_email", "imran@indus.edu").await.unwrap();
    browser.click_and_wait_navigation("form[action='/operator/institutions'] button[type=submit]").await.unwrap();
    let text = browser.page_text().await.unwrap();
    assert!(text.contains("Indus University created"), "{text}");
    browser.screenshot(&shots.join("02-operator-institutions.png")).await.unwrap();
    browser.click_and_wait_navigation("form[action='/logout'] button").await.unwrap();

    // 3. The admin opens the invitation from the outbox and sets a password.
    let invitation = t.link_in_last_email("imran@indus.edu").await;
    browser.goto(&format!("{base}{invitation}")).await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("Join Indus University"));
    browser.fill("#f-password", PASSWORD).await.unwrap();
    browser.fill("#f-password_confirm", "a different password").await.unwrap();
    browser.fill("#f-accept_terms", "true").await.unwrap();
    browser.click_and_wait_navigation("button[type=submit]").await.unwrap();
    assert!(browser.page_text().await.unwrap().contains("does not match"), "the mismatch is shown beside the field");
    browser.screenshot(&shots.join("03-invitation-error.png")).await.unwrap();
    browser.fill("#f-password", PASSWORD).await.unwrap();
    browser.fill("#f-password_confirm", PASSWORD).await.unwrap();
    browser.fill("#f-accept_terms", "true").await.unwrap();
    browser.click_and_wait_navigation("button[type=submit]").await.unwrap();
    // Joined: the institution's own start page, not the invitation form again.
    assert_eq!(browser.text("h1").await.unwrap(), "Welcome, Imran Admin");
    assert_eq!(browser.text("#institution-name").await.unwrap(), "Indus University");
    assert!(browser.text("#seats").await.is_ok(), "the admin's start page");
    browser.click_and_wait_navigation("form[action='/logout'] button").await.unwrap();

    // 4. Sign in.
    browser.fill("#f-email", "imran@indus.edu").await.unwrap();
    browser.fill("#f-password", PASSWORD).await.unwrap();
    browser.screenshot(&shots.join("04-login.png")).await.unwrap();
    browser.click_and_wait_navigation("button[type=submit]").await.unwrap();
    assert!(browser.url().await.unwrap().ends_with("/"), "to the dashboard");
    // The admin is the one seat used of the trial's 50.
    assert_eq!(browser.text("#seats").await.unwrap().trim(), "trial: 1 of 50 seats used");
    browser.screenshot(&shots.join("05-dashboard.png")).await.unwrap();

    // 5. Edit the profile.
    browser.goto(&format!("{base}/profile")).await.unwrap();
    browser.fill("#f-organisation", "Office of the Registrar").await.unwrap();
    browser.fill("#f-time_zone", "Asia/Karachi").await.unwrap();
    browser.click_and_wait_navigation("form[action='/profile'] button[type=submit]").await.unwrap();
    let saved = browser.page_text().await.unwrap();
    assert!(saved.contains("Your profile has been saved."), "{saved}");
    let organisation = browser.eval("document.querySelector('#f-organisation').value").await.unwrap();
    assert_eq!(organisation, "Office of the Registrar");
    browser.screenshot(&shots.join("06-profile.png")).await.unwrap();

    // 6. The user list filters as one types, without reloading the page.
    browser.goto(&format!("{base}/admin/users")).await.unwrap();
    browser.eval("window.__same_page = true").await.unwrap();
    browser.fill("#q", "nobody-like-this").await.unwrap();
    let mut filtered = false;
    for _ in 0..50 {
        let text = browser.text("#users-results").await.unwrap();
        if text.contains("Nobody matches.") {
            filtered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(filtered, "the list was not refreshed in place");
    assert_eq!(browser.eval("window.__same_page === true").await.unwrap(), true, "no full page load");
    assert!(browser.url().await.unwrap().contains("q=nobody-like-this"), "the URL can be shared");
    browser.screenshot(&shots.join("07-users-live-search.png")).await.unwrap();

    // 7. The same page on a phone.
    browser.set_viewport(390, 844, true).await.unwrap();
    browser.goto(&format!("{base}/profile")).await.unwrap();
    browser.screenshot(&shots.join("08-profile-phone.png")).await.unwrap();
    let overflow = browser.eval("document.documentElement.scrollWidth <= window.innerWidth + 1").await.unwrap();
    assert_eq!(overflow, true, "no sideways scrolling on a phone");
}
