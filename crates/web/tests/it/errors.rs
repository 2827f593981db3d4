//! Error pages are never dead ends: every refusal keeps the site's layout (with the person's own
//! navigation), says what to do, and leads back; a form address opened with GET goes to its page;
//! a file that cannot be read comes back on its form.

use crate::support::TestApp;

/// The error page's status, message and whether it has the signed-in navigation.
fn error_page(text: &str) -> (String, String, bool) {
    let status = text.split("id=\"error\" data-status=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("");
    let message = text.split("id=\"error-message\">").nth(1).and_then(|r| r.split('<').next()).unwrap_or("");
    (status.to_owned(), message.to_owned(), text.contains("<nav id=\"side\""))
}

#[tokio::test]
async fn refusals_keep_the_layout_and_say_what_to_do() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "err", "").await;
    let mut student = t.invite(&mut admin, "stu@err.edu", "student").await;

    let forbidden = student.get("/admin/users").await;
    assert_eq!(forbidden.status, 403);
    assert_eq!(error_page(&forbidden.text), ("403".into(), "You do not have permission to do that.".into(), true));
    assert!(
        forbidden.contains("ask your institution&#x27;s administrator")
            || forbidden.contains("ask your institution&#39;s administrator"),
        "{}",
        forbidden.text
    );
    assert!(forbidden.contains("href=\"/my/results\""), "the student's own navigation");

    let missing = student.get("/academics/courses/999999").await;
    assert_eq!(missing.status, 404);
    assert!(error_page(&missing.text).2, "a missing record keeps the navigation");
    let nowhere = student.get("/no/such/page").await;
    assert_eq!(
        error_page(&nowhere.text),
        ("404".into(), "We could not find that page, or it is not yours to see.".into(), true)
    );
    let anonymous = t.client().get("/no/such/page").await;
    assert_eq!(error_page(&anonymous.text).0, "404");
    let (_, message, navigation) = error_page(&anonymous.text);
    assert_eq!(message, "We could not find that page, or it is not yours to see.");
    assert!(anonymous.contains("class=\"brand\"") && !navigation, "the layout without navigation for a visitor");

    // Enter on a form's address after a failed form: to the form's page, not a blank 405.
    for (action, page) in
        [("/profile/password", "/profile"), ("/security/two-factor/start", "/security/two-factor"), ("/logout", "/")]
    {
        let opened = student.get(action).await;
        assert_eq!(opened.status, 303, "{action}");
        assert_eq!(opened.location(), Some(page), "{action}");
    }

    // A form sent to an address that only shows a page: 405, in the layout.
    let wrong_method = student.submit("/my/results", "/my/results", &[]).await;
    assert_eq!(wrong_method.status, 405);
    assert_eq!(
        error_page(&wrong_method.text),
        ("405".into(), "This address does not take that kind of request.".into(), true)
    );
    // A form whose value is not one the page offers: 422, in the layout, naming the field.
    let odd = admin.submit("/registration/requests", "/registration/requests/1", &[("decision", "maybe")]).await;
    assert_eq!(odd.status, 422);
    let (status, message, navigation) = error_page(&odd.text);
    assert_eq!((status.as_str(), navigation), ("422", true));
    assert!(message.contains("decision"), "{message}");

    // Too large: the error page leads back to the form.
    let too_big = vec![b'x'; 6 * 1024 * 1024];
    let refused = student.upload("/profile", "/profile/picture", "image", "big.png", &too_big).await;
    assert_eq!(refused.status, 413);
    assert_eq!(error_page(&refused.text).0, "413");
    assert!(refused.contains("href=\"/profile\">Back to the form</a>"), "{}", refused.text);
    assert!(refused.contains("href=\"/my/results\""));

    // A file that is not CSV comes back on its form, with the reason beside the file field.
    let picture =
        admin.upload("/admin/users/bulk", "/admin/users/bulk", "file", "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00").await;
    assert_eq!(picture.status, 422);
    let reason = picture.text.split("id=\"upload-error\">").nth(1).and_then(|r| r.split('<').next()).unwrap_or("");
    assert_eq!(reason, "The file must be a UTF-8 CSV file or an XLSX workbook.");
    assert!(picture.contains("<input id=\"f-file\" type=\"file\" name=\"file\""), "the form is there to try again");
}

#[tokio::test]
async fn the_legal_texts_read_as_formatted_pages_not_markdown_source() {
    let t = TestApp::new().await;
    let mut visitor = t.client();
    let terms = visitor.get("/legal/terms").await;
    assert_eq!(terms.status, 200);
    let body = terms.text.split("id=\"legal-text\">").nth(1).expect("the terms' text");
    assert!(body.starts_with("<h1>Terms of use</h1>"), "{body}");
    assert!(body.contains("<ol>\n<li>Use your own account only"), "{body}");
    assert!(!body.contains("# Terms") && !body.contains("\n1. "), "{body}");
    let privacy = visitor.get("/legal/privacy").await;
    let body = privacy.text.split("id=\"legal-text\">").nth(1).expect("the policy's text");
    assert!(
        body.starts_with("<h1>Privacy policy</h1>") && body.contains("<ul>\n<li>We keep the personal data"),
        "{body}"
    );
}

#[tokio::test]
async fn every_page_names_the_icon_and_the_old_address_finds_it() {
    let t = TestApp::new().await;
    let mut client = t.client();
    let login = client.get("/login").await;
    assert!(login.contains(r#"<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">"#));
    let old = client.get("/favicon.ico").await;
    assert_eq!((old.status, old.location()), (308, Some("/assets/favicon.svg")));
    let icon = client.get("/assets/favicon.svg").await;
    assert_eq!(icon.status, 200);
    assert_eq!(icon.headers["content-type"], "image/svg+xml");
    assert!(icon.text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{}", icon.text);
}
