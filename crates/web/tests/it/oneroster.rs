//! OneRoster fidelity: a roster goes out as it came in. Export → import → export gives the same
//! files, with each record's sourcedId and the fields QOBE has no column for; `enabledUser` is
//! honoured; a ZIP is accepted as systems deliver it; errors name the record's sourcedId.

use std::io::{Cursor, Read};

use qobe_domain::ids::{InstitutionId, UserId};

use crate::support::TestApp;

/// The files of a ZIP, read by the `zip` crate (not the writer that made it), in name order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP file");
    let mut files = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let mut contents = Vec::new();
        entry.read_to_end(&mut contents).unwrap();
        files.push((entry.name().to_owned(), contents));
    }
    files.sort();
    files
}

/// A ZIP of `files`, deflated, as a student information system would send it.
fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, contents) in files {
        out.start_file(format!("roster/{name}"), options).unwrap();
        out.write_all(contents).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn text(files: &[(String, Vec<u8>)], name: &str) -> String {
    let (_, bytes) = files.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no {name}"));
    String::from_utf8(bytes.clone()).unwrap()
}

/// Edits users.csv as another system might have written it: a username that is not the email,
/// and an extension column QOBE has no place for.
fn as_another_system_wrote_it(files: &mut [(String, Vec<u8>)]) {
    let (_, users) = files.iter_mut().find(|(n, _)| n == "users.csv").unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(users.as_slice());
    let mut rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    let username = rows[0].iter().position(|c| c == "username").unwrap();
    rows[0].push("metadata.sis.homeroom".into());
    for (n, row) in rows.iter_mut().enumerate().skip(1) {
        if n == 3 || n == 7 {
            row[username] = format!("sis-{n:04}");
        }
        row.push(if n % 2 == 0 { format!("Room {n}") } else { String::new() });
    }
    let mut out = qobe_domain::csv_out::CsvWriter::crlf();
    for row in &rows {
        out.record(row);
    }
    *users = out.into_bytes();
}

#[tokio::test]
async fn a_roster_goes_out_as_it_came_in() {
    // Institution A: the demo, one student switched off.
    let a = TestApp::new().await;
    let (demo, mut admin) = a.demo_admin().await;
    let institution_a = qobe_store::tenancy::by_slug(a.app.store.conn(), &demo.slug).await.unwrap().unwrap();
    let students = qobe_store::roles::users_with_role(a.app.store.conn(), InstitutionId(institution_a.id), "student")
        .await
        .unwrap();
    let off = students[5];
    let page = format!("/admin/users/{off}");
    assert_eq!(admin.submit(&page, &format!("{page}/deactivate"), &[]).await.status, 303);
    let exported = admin.get("/admin/oneroster/export").await;
    assert_eq!(exported.status, 200);
    let mut files = unzip(&exported.bytes);
    let off_email = qobe_store::accounts::get(a.app.store.conn(), Some(InstitutionId(institution_a.id)), UserId(off))
        .await
        .unwrap()
        .unwrap()
        .email;
    let users = text(&files, "users.csv");
    let off_line = users.lines().find(|l| l.contains(&off_email)).unwrap();
    assert!(off_line.contains(",false,"), "a switched-off account is exported disabled: {off_line}");
    assert_eq!(users.lines().filter(|l| l.contains(",false,")).count(), 1, "and everyone else enabled");
    as_another_system_wrote_it(&mut files);

    // Institution B on another server: the same university, nobody in it yet.
    let b = TestApp::new().await;
    let row = qobe_store::tenancy::insert(
        b.app.store.conn(),
        qobe_store::tenancy::NewInstitution {
            name: &institution_a.name,
            slug: &institution_a.slug,
            plan: "standard",
            seat_limit: 1000,
            now: b.app.now(),
        },
    )
    .await
    .unwrap();
    let actor = TestApp::admin_actor(row.id, 0, "registrar@elsewhere.edu");
    let unpacked = qobe_app::interop::oneroster_import::unpack(vec![("roster.zip".into(), zip_of(&files))]).unwrap();
    let imported =
        qobe_app::interop::oneroster_import::import(&b.app, &actor, &unpacked, &Default::default()).await.unwrap();
    assert!(matches!(imported, qobe_app::interop::oneroster_import::Checked::Clean(_)), "the package imports");
    let disabled = qobe_store::accounts::by_email(b.app.store.conn(), Some(InstitutionId(row.id)), &off_email)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(disabled.status, "deactivated", "enabledUser=false is honoured");

    // B's export is the package it was given, file for file, byte for byte.
    let mut again = qobe_app::interop::oneroster::export(&b.app, &actor).await.unwrap();
    again.sort();
    let mut given = files.clone();
    given.sort();
    assert_eq!(
        again.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(),
        given.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>()
    );
    for ((name, expected), (_, actual)) in given.iter().zip(&again) {
        let (expected, actual) = (String::from_utf8_lossy(expected), String::from_utf8_lossy(actual));
        if expected != actual {
            let first = expected.lines().zip(actual.lines()).find(|(x, y)| x != y);
            panic!("{name} differs; first differing line:\n{first:?}");
        }
    }
    assert!(text(&again, "users.csv").contains("sis-0003"), "a username that is not the email is kept");
    assert!(text(&again, "users.csv").contains("metadata.sis.homeroom"), "an extension column is kept");
}

#[tokio::test]
async fn a_zip_is_imported_through_the_page_and_errors_name_the_record() {
    let t = TestApp::new().await;
    let (_, mut admin) = t.demo_admin().await;
    let exported = admin.get("/admin/oneroster/export").await;
    let files = unzip(&exported.bytes);
    // QOBE's own export, imported back as the ZIP it was: nothing new, nothing lost.
    let page = "/admin/oneroster";
    let again = admin.upload_with(page, page, &[("mode", "import")], "files", "roster.zip", &exported.bytes).await;
    assert_eq!(again.status, 200, "{}", &again.text[..again.text.len().min(3000)]);
    assert!(again.contains("<h2>Imported</h2>"), "{}", &again.text[..again.text.len().min(3000)]);
    let after = admin.get("/admin/oneroster/export").await;
    assert_eq!(after.status, 200, "{}", &after.text[..after.text.len().min(3000)]);
    let after = unzip(&after.bytes);
    assert_eq!(after, files, "re-importing its own export changes nothing");

    // A broken enrollment is named by file, line and its record's sourcedId.
    let mut broken = files.clone();
    let (_, enrollments) = broken.iter_mut().find(|(n, _)| n == "enrollments.csv").unwrap();
    let lines: Vec<String> = String::from_utf8(enrollments.clone()).unwrap().lines().map(str::to_owned).collect();
    let victim = lines[2].split(',').next().unwrap().to_owned();
    let mut edited = lines.clone();
    let mut cells: Vec<String> = edited[2].split(',').map(str::to_owned).collect();
    cells[3] = "class-nowhere".into();
    edited[2] = cells.join(",");
    *enrollments = format!("{}\r\n", edited.join("\r\n")).into_bytes();
    let refused = admin.upload_with(page, page, &[("mode", "import")], "files", "roster.zip", &zip_of(&broken)).await;
    assert_eq!(refused.status, 422);
    // Line, file, sourcedId, column, problem.
    let cells = crate::support::html::row_with(&refused.text, "preview", "enrollments.csv").unwrap();
    assert_eq!(cells[1], "enrollments.csv");
    assert_eq!(cells[0], "3", "the line: {cells:?} victim {victim} {:?}", &lines[..3]);
    assert_eq!(cells[2], victim, "the record's sourcedId");
    assert!(cells[4].contains("class-nowhere"), "{cells:?}");
}

/// "Check" and "Import" are two buttons of one form: with the page's script running, a click on
/// Import must import (it once re-ran the check and wrote nothing). The ZIP is checked, then the
/// same package as its eight CSV files is imported.
#[tokio::test]
async fn check_then_import_by_clicking_in_a_real_browser() {
    let Some(mut browser) = crate::browser::launch().await else { return };
    // Checking and importing the demo's whole roster takes tens of seconds on PostgreSQL while
    // the rest of the suite runs on the same two cores.
    browser.set_timeout(std::time::Duration::from_secs(90));
    let a = TestApp::new().await;
    let (demo, mut admin_a) = a.demo_admin().await;
    let exported = admin_a.get("/admin/oneroster/export").await;
    assert_eq!(exported.status, 200);
    let institution_a = qobe_store::tenancy::by_slug(a.app.store.conn(), &demo.slug).await.unwrap().unwrap();
    let students_a = qobe_store::roles::users_with_role(a.app.store.conn(), InstitutionId(institution_a.id), "student")
        .await
        .unwrap()
        .len();
    let folder = crate::support::tempdir::TempDir::new();
    let zip_path = folder.0.join("roster.zip");
    std::fs::write(&zip_path, &exported.bytes).unwrap();
    let mut csv_paths = Vec::new();
    for (name, bytes) in unzip(&exported.bytes) {
        let path = folder.0.join(&name);
        std::fs::write(&path, bytes).unwrap();
        csv_paths.push(path);
    }
    assert_eq!(csv_paths.len(), 8, "a whole package");

    let b = TestApp::new().await;
    let mut operator = b.operator().await;
    b.institution(&mut operator, "ob", "").await;
    let institution_b =
        InstitutionId(qobe_store::tenancy::by_slug(b.app.store.conn(), "ob").await.unwrap().unwrap().id);
    let students_b = || async {
        qobe_store::roles::users_with_role(b.app.store.conn(), institution_b, "student").await.unwrap().len()
    };
    let base = crate::browser::serve(&b).await;
    crate::browser::sign_in(&browser, &base, "admin@ob.edu", crate::support::PASSWORD).await;

    browser.goto(&format!("{base}/admin/oneroster")).await.unwrap();
    browser.set_files("#f-files", &[zip_path.as_path()]).await.unwrap();
    browser.click_and_wait_navigation("button[value=check]").await.unwrap();
    assert_eq!(browser.text("#result h2").await.unwrap().trim(), "Ready to import");
    let summary = browser.text("#result p").await.unwrap();
    assert_eq!(students_b().await, 0, "a check writes nothing");

    let csvs: Vec<&std::path::Path> = csv_paths.iter().map(|p| p.as_path()).collect();
    browser.set_files("#f-files", &csvs).await.unwrap();
    browser.click_and_wait_navigation("button[value=import]").await.unwrap();
    assert_eq!(browser.text("#result h2").await.unwrap().trim(), "Imported");
    assert_eq!(browser.text("#result p").await.unwrap(), summary, "the import is the package the check read");
    assert_eq!(students_b().await, students_a, "every student came in");
}
