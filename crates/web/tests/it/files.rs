//! The file store through the product: downloads stream with range requests and an ETag, a
//! replaced or removed file leaves the store once its change commits, the same flows on a real
//! S3-protocol server, and an upgrade that moves every byte the old tables held into the store
//! with the pages still showing them.

use chrono::Utc;
use qobe_app::jobs::Kind;
use sea_orm::sea_query::{Alias, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::isolation::tiny_png;
use crate::support::{Client, PASSWORD, TestApp, schema};

async fn get_with(client: &mut Client, path: &str, headers: &[(&str, &str)]) -> crate::support::Response {
    client.get_with(path, headers).await
}

/// Every way of asking for part of a file, checked against the whole.
async fn ranges_are_served(client: &mut Client, path: &str) {
    let whole = client.get(path).await;
    assert_eq!(whole.status, 200);
    let bytes = whole.bytes.clone();
    let size = bytes.len();
    assert!(size > 40, "a file of {size} bytes");
    assert_eq!(whole.headers["accept-ranges"], "bytes");
    assert_eq!(whole.headers["content-length"], size.to_string().as_str());
    let etag = whole.headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag.len(), 66, "a quoted SHA-256: {etag}");

    let part = get_with(client, path, &[("range", "bytes=10-19")]).await;
    assert_eq!(part.status, 206);
    assert_eq!(part.bytes, bytes[10..20]);
    assert_eq!(part.headers["content-range"], format!("bytes 10-19/{size}").as_str());
    assert_eq!(part.headers["content-length"], "10");

    let tail = get_with(client, path, &[("range", "bytes=-7")]).await;
    assert_eq!((tail.status, tail.bytes.as_slice()), (206, &bytes[size - 7..]));
    let rest = get_with(client, path, &[("range", &format!("bytes={}-", size - 3))]).await;
    assert_eq!((rest.status, rest.bytes.as_slice()), (206, &bytes[size - 3..]));

    let beyond = get_with(client, path, &[("range", &format!("bytes={size}-"))]).await;
    assert_eq!(beyond.status, 416);
    assert_eq!(beyond.headers["content-range"], format!("bytes */{size}").as_str());

    // A range of another version of the file gets the whole of this one.
    let stale = get_with(client, path, &[("range", "bytes=0-3"), ("if-range", "\"0000\"")]).await;
    assert_eq!((stale.status, stale.bytes.len()), (200, size));
    let fresh = get_with(client, path, &[("range", "bytes=0-3"), ("if-range", &etag)]).await;
    assert_eq!((fresh.status, fresh.bytes.as_slice()), (206, &bytes[..4]));

    let unchanged = get_with(client, path, &[("if-none-match", &etag)]).await;
    assert_eq!((unchanged.status, unchanged.bytes.len()), (304, 0));
}

/// A PNG a little larger than the tiny one, so the stored logo is not a few dozen bytes.
fn striped_png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, 90]));
    let mut png = Vec::new();
    picture.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    png
}

async fn pictures_and_logos_round_trip(t: &TestApp) {
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "fs", "").await;
    let id = t.user_id("fs", "admin@fs.edu").await;
    assert_eq!(admin.upload("/profile", "/profile/picture", "image", "me.png", &tiny_png()).await.status, 303);
    let picture = format!("/users/{id}/picture");
    let served = admin.get(&picture).await;
    assert_eq!(served.headers["content-type"], "image/png");
    assert_eq!(served.headers["content-disposition"], "inline; filename=\"picture.png\"; filename*=UTF-8''picture.png");
    ranges_are_served(&mut admin, &picture).await;

    let logo = striped_png(300, 120);
    let uploaded = admin.upload("/admin/settings", "/admin/settings/logo", "logo", "crest.png", &logo).await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.text);
    ranges_are_served(&mut admin, "/admin/settings/logo").await;
    assert_eq!(t.stored_keys().await.len(), 2);

    // A new picture replaces the old one; the old bytes go once the change has committed.
    let old_keys = t.stored_keys().await;
    let second = striped_png(400, 400);
    assert_eq!(admin.upload("/profile", "/profile/picture", "image", "me2.png", &second).await.status, 303);
    let keys = t.stored_keys().await;
    assert_eq!(keys.len(), 2);
    let replaced: Vec<&String> = old_keys.iter().filter(|k| !keys.contains(k)).collect();
    assert_eq!(replaced.len(), 1);
    assert!(t.app.files.exists(replaced[0]).await.unwrap(), "kept until its deletion job runs");
    let ran = t.run_jobs().await;
    assert!(ran.iter().any(|(_, kind, _)| *kind == Kind::DeleteFile));
    assert!(!t.app.files.exists(replaced[0]).await.unwrap());
    for key in &keys {
        assert!(t.app.files.exists(key).await.unwrap(), "{key} is still stored");
    }
    let stored = image::load_from_memory(&admin.get(&picture).await.bytes).unwrap();
    assert_eq!((stored.width(), stored.height()), (256, 256));

    // Removing the logo leaves only the picture, in the records and in the store.
    let removed = admin.submit("/admin/settings", "/admin/settings/logo/remove", &[]).await;
    assert_eq!(removed.status, 303);
    assert_eq!(admin.get("/admin/settings/logo").await.status, 404);
    t.run_jobs().await;
    let left = t.stored_keys().await;
    assert_eq!(left.len(), 1);
    assert!(left[0].starts_with("picture/"), "{left:?}");
    for key in keys.iter().filter(|k| k.starts_with("logo/")) {
        assert!(!t.app.files.exists(key).await.unwrap());
    }
}

#[tokio::test]
async fn stored_files_stream_with_ranges_and_leave_the_folder_when_replaced() {
    let t = TestApp::new().await;
    pictures_and_logos_round_trip(&t).await;
    // The folder holds the bytes under the records' keys.
    let keys = t.stored_keys().await;
    let on_disk = t.app.files.read(&keys[0]).await.unwrap();
    let id = t.user_id("fs", "admin@fs.edu").await;
    let mut admin = t.sign_in("admin@fs.edu").await;
    assert_eq!(admin.get(&format!("/users/{id}/picture")).await.bytes, on_disk);
}

#[tokio::test]
async fn stored_files_stream_with_ranges_and_leave_an_s3_bucket_when_replaced() {
    let Some(t) = TestApp::on_s3().await else { return };
    assert!(format!("{:?}", t.app.files).contains("the bucket qobe-it-"), "{:?}", t.app.files);
    pictures_and_logos_round_trip(&t).await;
}

#[tokio::test]
async fn bytes_no_record_names_are_swept_a_day_after_they_were_written() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "sw", "").await;
    assert_eq!(admin.upload("/profile", "/profile/picture", "image", "me.png", &tiny_png()).await.status, 303);
    let kept = t.stored_keys().await;
    // What an upload whose transaction rolled back leaves behind.
    t.app.files.put("picture/left-behind", b"orphan".to_vec()).await.unwrap();

    qobe_app::jobs::tick(&t.app).await.unwrap();
    t.run_jobs().await;
    assert!(t.app.files.exists("picture/left-behind").await.unwrap(), "too recent to be swept");

    t.clock.advance(chrono::Duration::days(2));
    qobe_app::jobs::tick(&t.app).await.unwrap();
    let ran = t.run_jobs().await;
    assert!(ran.iter().any(|(_, kind, _)| *kind == Kind::SweepFiles), "{ran:?}");
    assert!(!t.app.files.exists("picture/left-behind").await.unwrap());
    assert!(t.app.files.exists(&kept[0]).await.unwrap(), "a file with a record stays");
    let mut again = t.sign_in("admin@sw.edu").await;
    assert_eq!(again.get(&format!("/users/{}/picture", t.user_id("sw", "admin@sw.edu").await)).await.status, 200);
}

/// Inserts one row and returns its id.
async fn insert(conn: &DatabaseConnection, table: &str, values: Vec<(&str, SimpleExpr)>) -> i64 {
    let (columns, values): (Vec<_>, Vec<_>) = values.into_iter().unzip();
    let statement = Query::insert()
        .into_table(Alias::new(table))
        .columns(columns.into_iter().map(Alias::new))
        .values_panic(values)
        .returning_col(Alias::new("id"))
        .to_owned();
    let row = conn.query_one(&statement).await.unwrap().unwrap();
    row.try_get("", "id").unwrap()
}

/// What the product held before the file store, as it wrote it: an institution whose admin has
/// a picture, a logo, evidence on an improvement action and a finished document.
struct Before {
    picture: Vec<u8>,
    logo: Vec<u8>,
    evidence: Vec<u8>,
    document: Vec<u8>,
}

async fn fill_the_old_tables(conn: &DatabaseConnection, before: &Before) {
    let now = Utc::now();
    let institution = insert(
        conn,
        "institutions",
        vec![
            ("name", "Old University".into()),
            ("slug", "old".into()),
            ("plan", "trial".into()),
            ("seat_limit", 100.into()),
            ("created_at", now.into()),
        ],
    )
    .await;
    let hash = qobe_app::crypto::hash_password(PASSWORD, 1024).unwrap();
    let admin = insert(
        conn,
        "users",
        vec![
            ("institution_id", institution.into()),
            ("email", "admin@old.edu".into()),
            ("name", "Amna Old".into()),
            ("password_hash", hash.into()),
            ("status", "active".into()),
            ("email_verified_at", now.into()),
            ("language", "en".into()),
            ("time_zone", "UTC".into()),
            ("communication", "{}".into()),
            ("avatar_png", before.picture.clone().into()),
            ("failed_logins", 0.into()),
            ("created_at", now.into()),
            ("updated_at", now.into()),
        ],
    )
    .await;
    insert(
        conn,
        "role_grants",
        vec![
            ("institution_id", institution.into()),
            ("user_id", admin.into()),
            ("role", "institution_admin".into()),
            ("scope_kind", "institution".into()),
            ("scope_id", institution.into()),
            ("created_at", now.into()),
        ],
    )
    .await;
    insert(
        conn,
        "institution_logos",
        vec![
            ("institution_id", institution.into()),
            ("content_type", "image/png".into()),
            ("bytes", before.logo.clone().into()),
            ("updated_by", admin.into()),
            ("updated_at", now.into()),
        ],
    )
    .await;
    let finding = insert(
        conn,
        "cqi_findings",
        vec![
            ("institution_id", institution.into()),
            ("title", "Filters below target".into()),
            ("description", "".into()),
            ("criticality", "high".into()),
            ("source", "manual".into()),
            ("status", "open".into()),
            ("raised_by", admin.into()),
            ("raised_at", now.into()),
        ],
    )
    .await;
    let action = insert(
        conn,
        "cqi_actions",
        vec![
            ("institution_id", institution.into()),
            ("finding_id", finding.into()),
            ("description", "Extra tutorials".into()),
            ("owner_id", admin.into()),
            ("due_term_id", 0.into()),
            ("status", "open".into()),
            ("created_by", admin.into()),
            ("created_at", now.into()),
            ("updated_at", now.into()),
        ],
    )
    .await;
    insert(
        conn,
        "cqi_evidence",
        vec![
            ("institution_id", institution.into()),
            ("action_id", action.into()),
            ("file_name", "tutorial-plan.pdf".into()),
            ("content_type", "application/pdf".into()),
            ("bytes", before.evidence.clone().into()),
            ("uploaded_by", admin.into()),
            ("uploaded_at", now.into()),
        ],
    )
    .await;
    insert(
        conn,
        "document_jobs",
        vec![
            ("institution_id", institution.into()),
            ("requested_by", admin.into()),
            ("kind", "program_report".into()),
            ("subject_id", 1.into()),
            ("title", "Program report EE".into()),
            ("status", "done".into()),
            ("progress", 100.into()),
            ("stage", "Ready to download".into()),
            ("file_name", "program-report-EE.pdf".into()),
            ("bytes", before.document.clone().into()),
            ("created_at", now.into()),
            ("finished_at", now.into()),
        ],
    )
    .await;
}

/// What a signed-in admin downloads from each of the four places files were kept.
async fn downloads(admin: &mut Client) -> [Vec<u8>; 4] {
    let mut fetch = async |path: &str| {
        let response = admin.get(path).await;
        assert_eq!(response.status, 200, "{path}: {}", response.text);
        response.bytes
    };
    [
        fetch("/users/1/picture").await,
        fetch("/admin/settings/logo").await,
        fetch("/cqi/evidence/1").await,
        fetch("/documents/1/file").await,
    ]
}

#[tokio::test]
async fn an_upgrade_moves_every_stored_byte_into_the_file_store_and_the_pages_still_show_them() {
    let before = Before {
        picture: striped_png(256, 256),
        logo: striped_png(600, 200),
        evidence: b"%PDF-1.7\n% the tutorial plan\n".repeat(50),
        document: b"%PDF-1.7\n% the program report\n".repeat(80),
    };
    // Migration 14 is the last before the file store.
    let t = TestApp::upgraded(14, async |conn| fill_the_old_tables(conn, &before).await).await;
    let conn = t.app.store.conn();
    let expected = [before.picture.clone(), before.logo.clone(), before.evidence.clone(), before.document.clone()];

    // The bytes left the old tables: each is a file record, waiting to be settled.
    assert_eq!(schema::count(conn, "files").await, 4);
    for (table, column) in [("users", "avatar_png"), ("institution_logos", "bytes"), ("cqi_evidence", "bytes")] {
        let columns = schema::columns(conn).await;
        assert!(!columns[table].iter().any(|(c, _)| c == column), "{table}.{column} is gone");
    }
    let pending = schema::strings(conn, "SELECT kind AS v FROM files WHERE pending IS NOT NULL ORDER BY id").await;
    assert_eq!(pending, ["picture", "logo", "evidence", "document"]);

    // Pages show them before the settle job has run, from the pending bytes…
    let mut admin = t.sign_in("admin@old.edu").await;
    if admin.get("/profile").await.location() == Some("/consent") {
        admin.submit("/consent", "/consent", &[("accept_terms", "on")]).await;
    }
    assert_eq!(downloads(&mut admin).await, expected);
    let profile = admin.get("/profile").await;
    assert!(profile.contains(r#"<img class="avatar" src="/users/1/picture""#), "{}", profile.text);
    let settings = admin.get("/admin/settings").await;
    assert!(settings.contains(r#"<img class="logo-preview" src="/admin/settings/logo""#), "{}", settings.text);

    // …and after it, from the file store, with what the bytes are recorded.
    let ran = t.run_jobs().await;
    assert!(ran.iter().any(|(_, kind, _)| *kind == Kind::SettleFiles), "{ran:?}");
    assert_eq!(schema::count(conn, "files").await, 4);
    assert!(schema::strings(conn, "SELECT kind AS v FROM files WHERE pending IS NOT NULL").await.is_empty());
    let types = schema::strings(conn, "SELECT content_type AS v FROM files ORDER BY id").await;
    assert_eq!(types, ["image/png", "image/png", "application/pdf", "application/pdf"]);
    let keys = schema::strings(conn, "SELECT storage_key AS v FROM files ORDER BY id").await;
    let sums = schema::strings(conn, "SELECT sha256 AS v FROM files ORDER BY id").await;
    for ((key, sum), bytes) in keys.iter().zip(&sums).zip(&expected) {
        assert_eq!(&t.app.files.read(key).await.unwrap(), bytes, "{key}");
        assert_eq!(sum, &sha256_hex(bytes), "{key}");
    }
    assert_eq!(downloads(&mut admin).await, expected);
    ranges_are_served(&mut admin, "/cqi/evidence/1").await;
    let evidence = admin.get("/cqi/evidence/1").await;
    assert_eq!(
        evidence.headers["content-disposition"],
        "attachment; filename=\"tutorial-plan.pdf\"; filename*=UTF-8''tutorial-plan.pdf"
    );
}

#[tokio::test]
async fn a_database_with_nothing_stored_upgrades_without_a_settle_job() {
    let t = TestApp::upgraded(14, async |_| {}).await;
    assert_eq!(schema::count(t.app.store.conn(), "files").await, 0);
    assert_eq!(schema::count(t.app.store.conn(), "jobs").await, 0);
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
