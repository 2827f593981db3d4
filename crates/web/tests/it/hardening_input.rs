//! What an outside review found in handling input, and stays fixed: picture and workbook bombs,
//! formula injection in CSV downloads, body limits per route, out-of-range pages, NUL and other
//! control characters, marks read as decimals, and API errors in the API's own shape.

use std::io::{Cursor, Write};

use serde_json::json;

use crate::assessment::class;
use crate::support::{PASSWORD, TestApp};

/// A PNG whose header declares a `width`×`height` canvas though its data is one pixel.
fn declared_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(1, 1).write_to(&mut out, image::ImageFormat::Png).unwrap();
    let mut bytes = out.into_inner();
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = qobe_domain::zip::crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

/// A deflated ZIP with one entry of `size` zero bytes.
fn zeros_zip(name: &str, size: usize) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    out.start_file(name, options).unwrap();
    let block = vec![0u8; 1024 * 1024];
    for _ in 0..size / block.len() {
        out.write_all(&block).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The text of the page's first alert or field error.
fn error_text(page: &str) -> String {
    page.split("class=\"error\"")
        .nth(1)
        .and_then(|rest| rest.split('>').nth(1))
        .unwrap_or("")
        .split('<')
        .next()
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn picture_bombs_are_refused_from_their_header() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "img", "").await;
    let bomb = declared_png(60_000, 60_000);
    let refused = admin.upload("/profile", "/profile/picture", "image", "bomb.png", &bomb).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(error_text(&refused.text), "is 60000×60000 pixels; pictures may have at most 20 megapixels");
    let logo =
        admin.upload("/admin/settings", "/admin/settings/logo", "logo", "logo.png", &declared_png(3000, 2000)).await;
    assert_eq!(logo.status, 422, "{}", logo.text);
    assert!(logo.contains("is 3000×2000 pixels; pictures may have at most 4 megapixels"), "{}", logo.text);
    assert!(qobe_app::tenancy::logo(&t.app, qobe_domain::ids::InstitutionId(1)).await.unwrap().is_none());
}

#[tokio::test]
async fn workbook_bombs_are_refused_before_they_are_read() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "xls", "").await;
    let bomb = zeros_zip("xl/worksheets/sheet1.xml", 100 * 1024 * 1024);
    assert!(bomb.len() < 200 * 1024, "the bomb is small: {} bytes", bomb.len());
    let refused = admin.upload("/admin/users/bulk", "/admin/users/bulk", "file", "people.xlsx", &bomb).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused.contains("expands to more than 40 MB (xl/worksheets/sheet1.xml); split it into smaller files"),
        "{}",
        refused.text
    );
}

#[tokio::test]
async fn formula_like_names_are_neutralised_in_every_csv_download() {
    let t = TestApp::new().await;
    let mut c = class(&t, "fx").await;
    let evil = "=HYPERLINK(\"http://evil.example\",\"Grades\")";
    let student = c.students[0];
    qobe_store::accounts::update_profile(
        t.app.store.conn(),
        Some(c.institution(&t).await),
        qobe_domain::ids::UserId(student),
        qobe_store::accounts::ProfileUpdate {
            name: evil,
            organisation: None,
            address: None,
            language: "en",
            time_zone: "UTC",
            communication: "{}",
            now: t.app.now(),
        },
    )
    .await
    .unwrap();
    c.plan(&t).await;
    let marks = c.instructor.get(&c.page("/marks.csv")).await;
    assert_eq!(marks.status, 200);
    let line = marks.text.lines().find(|l| l.starts_with("s1@fx.edu")).unwrap();
    assert_eq!(line, "s1@fx.edu,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Grades\"\")\",,,");

    let export = c.admin.get("/admin/oneroster/export").await;
    assert_eq!(export.status, 200);
    let mut archive = zip::ZipArchive::new(Cursor::new(export.bytes.clone())).unwrap();
    let mut users = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("users.csv").unwrap(), &mut users).unwrap();
    let row = users.lines().find(|l| l.contains("s1@fx.edu")).unwrap();
    assert!(row.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Grades\"\")\","), "{row}");
}

#[tokio::test]
async fn bodies_are_limited_per_route_as_the_pages_say() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "lim", "").await;
    let shown = admin.get("/profile").await;
    assert!(shown.contains("PNG or JPEG, up to 5 MB and 20 megapixels"), "the page says the limit");
    let too_big = vec![b'x'; 5 * 1024 * 1024 + 300 * 1024];
    let refused = admin.upload("/profile", "/profile/picture", "image", "big.png", &too_big).await;
    assert_eq!(refused.status, 413);
    assert!(refused.contains("This upload is larger than 5 MB, the most this page takes."), "{}", refused.text);
    assert!(refused.contains("class=\"brand\""), "the refusal keeps the site's layout");

    // A CSV of 3 MB is read whole (the framework's 2 MB default no longer cuts it short).
    let mut csv = String::from("email,name,role\n");
    let mut n = 0;
    while csv.len() < 3 * 1024 * 1024 {
        csv.push_str(&format!("person{n}@lim.edu,Person {n} {},student\n", "x".repeat(150)));
        n += 1;
    }
    let big = admin.upload("/admin/users/bulk", "/admin/users/bulk", "file", "people.csv", csv.as_bytes()).await;
    assert_ne!(big.status, 413);
    assert!(
        big.contains("The file has more than 5000 rows; split it."),
        "read to its end: {}",
        &big.text[..2000.min(big.text.len())]
    );

    // The API states its limit and keeps it, in its own error shape.
    let token = admin.api_token().await;
    let mut api = t.client();
    let huge = json!({ "email": "a@lim.edu", "name": "x".repeat(3 * 1024 * 1024), "role": "student" });
    let refused = api.api("POST", "/api/v1/invitations", &token, Some(huge)).await;
    assert_eq!(refused.status, 413);
    assert_eq!(refused.json()["code"], "too_large");
}

#[tokio::test]
async fn page_numbers_are_bounded_at_the_edge() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "pages", "").await;
    for page in [
        "/admin/users?page=18446744073709551615",
        "/admin/audit?page=18446744073709551615",
        "/admin/logins?page=4000000000",
    ] {
        let shown = admin.get(page).await;
        assert_eq!(shown.status, 200, "{page}");
    }
    let unreadable = admin.get("/admin/users?page=99999999999999999999999").await;
    assert_eq!(unreadable.status, 400);
    assert!(unreadable.contains("class=\"brand\""), "a framework refusal keeps the layout: {}", unreadable.text);
    let token = admin.api_token().await;
    let mut api = t.client();
    for page in ["0", "100001", "-3"] {
        let refused = api.api("GET", &format!("/api/v1/users?page={page}"), &token, None).await;
        assert_eq!(refused.status, 422, "page={page}: {}", refused.text);
        assert_eq!(refused.json()["fields"][0]["field"], "page");
    }
    let unreadable = api.api("GET", "/api/v1/users?page=18446744073709551615", &token, None).await;
    assert_eq!(unreadable.status, 400, "not a whole number the API takes: {}", unreadable.text);
    assert_eq!(api.api("GET", "/api/v1/users?page=100000", &token, None).await.json()["items"], json!([]));
}

#[tokio::test]
async fn nul_and_control_characters_are_refused_with_the_field_named() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "nul", "").await;
    let mut anon = t.client();
    let signin = anon.submit("/login", "/login", &[("email", "a\0b@nul.edu"), ("password", PASSWORD)]).await;
    assert_eq!(signin.status, 400, "{}", signin.text);
    assert!(
        signin.contains("The field &quot;email&quot; contains a NUL character")
            || signin.contains("The field &#34;email&#34; contains a NUL character"),
        "{}",
        signin.text
    );
    let search = admin.get("/academics/courses?q=EE%00").await;
    assert_eq!(search.status, 400);
    let renamed = admin
        .submit(
            "/profile",
            "/profile",
            &[
                ("name", "Ayesha\u{1b}[2J"),
                ("organisation", ""),
                ("address", ""),
                ("language", "en"),
                ("time_zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(renamed.status, 422);
    assert!(renamed.contains("must not contain control characters (found U+001B)"), "{}", renamed.text);
    let token = admin.api_token().await;
    let mut api = t.client();
    let refused = api
        .api(
            "POST",
            "/api/v1/invitations",
            &token,
            Some(json!({ "email": "x@nul.edu", "name": "X\u{0}Y", "role": "student" })),
        )
        .await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.json()["fields"][0]["field"], "name");
    let control = api
        .api(
            "POST",
            "/api/v1/invitations",
            &token,
            Some(json!({ "email": "x@nul.edu", "name": "X\u{7}Y", "role": "student" })),
        )
        .await;
    assert_eq!(control.status, 422);
    assert_eq!(control.json()["fields"][0]["field"], "name");
}

#[tokio::test]
async fn marks_are_read_as_decimals_and_a_cell_counts_once() {
    let t = TestApp::new().await;
    let mut c = class(&t, "dec").await;
    let items = c.plan(&t).await;
    let token = c.instructor.api_token().await;
    let mut api = t.client();
    let base = format!("/api/v1/offerings/{}", c.offering);
    let (s1, s2, s3) = (c.students[0], c.students[1], c.students[2]);
    let saved = api
        .api(
            "PUT",
            &format!("{base}/marks"),
            &token,
            Some(json!({ "marks": [
                { "student_id": s1, "item_id": items[0], "value": "0.29" },
                { "student_id": s1, "item_id": items[1], "value": "0.57" },
                { "student_id": s2, "item_id": items[0], "value": "1.13" },
                { "student_id": s2, "item_id": items[1], "value": "4.35" },
                { "student_id": s3, "item_id": items[0], "value": "-0" },
            ] })),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let marks = api.api("GET", &format!("{base}/marks"), &token, None).await.json();
    let value = |student: i64, item: i64| {
        marks["marks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["student_id"] == student && m["item_id"] == item)
            .map(|m| m["value"].as_str().unwrap().to_owned())
    };
    assert_eq!(value(s1, items[0]).as_deref(), Some("0.29"));
    assert_eq!(value(s1, items[1]).as_deref(), Some("0.57"));
    assert_eq!(value(s2, items[0]).as_deref(), Some("1.13"));
    assert_eq!(value(s2, items[1]).as_deref(), Some("4.35"));
    assert_eq!(value(s3, items[0]).as_deref(), Some("0"), "-0 is stored as 0");

    let history_before = history_len(&t, &c).await;
    let repeated: Vec<_> =
        (0..3000).map(|n| json!({ "student_id": s3, "item_id": items[2], "value": (n % 10).to_string() })).collect();
    let refused = api.api("PUT", &format!("{base}/marks"), &token, Some(json!({ "marks": repeated }))).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert!(
        refused.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("row 2: Invited Person, repeats the mark of row 1 (same student and item)"),
        "{}",
        refused.text
    );
    assert_eq!(history_len(&t, &c).await, history_before, "nothing written, no history rows");
}

async fn history_len(t: &TestApp, c: &crate::assessment::Class) -> usize {
    qobe_store::assessment::marks::changes(
        t.app.store.conn(),
        c.institution(t).await,
        qobe_domain::ids::OfferingId(c.offering),
        None,
    )
    .await
    .unwrap()
    .len()
}

#[tokio::test]
async fn every_api_refusal_has_the_api_error_shape() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "shape", "").await;
    let mut student = t.invite(&mut admin, "stu@shape.edu", "student").await;
    let token = admin.api_token().await;
    let mut api = t.client();
    let shaped = |response: &crate::support::Response, status: u16, code: &str| {
        assert_eq!(response.status, status, "{}", response.text);
        assert_eq!(
            response.headers.get("content-type").and_then(|v| v.to_str().ok()),
            Some("application/json"),
            "{}",
            response.text
        );
        assert_eq!(response.json()["code"], code, "{}", response.text);
        assert!(response.json()["fields"].is_array());
    };
    shaped(&api.api("GET", "/api/v1/users/abc", &token, None).await, 400, "bad_request");
    shaped(&api.api("GET", "/api/v1/users?page=two", &token, None).await, 400, "bad_request");
    shaped(&api.api("GET", "/api/v1/no-such-thing", &token, None).await, 404, "not_found");
    shaped(&api.api("DELETE", "/api/v1/me", &token, None).await, 405, "method_not_allowed");
    let broken = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/invitations")
        .header("host", "qobe.test")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{not json"))
        .unwrap();
    shaped(&api.send(broken).await, 400, "bad_request");
    let wrong_type = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/invitations")
        .header("host", "qobe.test")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "text/plain")
        .body(axum::body::Body::from("{}"))
        .unwrap();
    shaped(&api.send(wrong_type).await, 415, "unsupported_media_type");
    let missing = api.api("POST", "/api/v1/invitations", &token, Some(json!({ "email": "a@shape.edu" }))).await;
    shaped(&missing, 422, "invalid_input");
    assert_eq!(missing.json()["fields"][0]["field"], "name");
    // The scope is one of the document's words, named apart from its id.
    for scope in ["", "department:1", "faculty"] {
        let body = json!({ "email": "s@shape.edu", "name": "S", "role": "student", "scope": scope, "scope_id": 1 });
        let odd = api.api("POST", "/api/v1/invitations", &token, Some(body)).await;
        shaped(&odd, 422, "invalid_input");
        assert_eq!(odd.json()["fields"][0]["field"], "scope", "{scope:?}");
    }
    // A cookie call that changes something needs the CSRF header, and says so in JSON.
    let no_csrf = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/invitations")
        .header("host", "qobe.test")
        .header("cookie", format!("qobe_session={}", admin.cookies["qobe_session"]))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(json!({ "email": "b@shape.edu", "name": "B", "role": "student" }).to_string()))
        .unwrap();
    shaped(&api.send(no_csrf).await, 403, "csrf");
    // Everyone's own roles, not only an admin's.
    let me = student.get("/api/v1/me").await.json();
    assert_eq!(me["roles"][0]["role"], "student", "{me}");
}
