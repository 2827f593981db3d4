//! Every hand-in as one ZIP: the offering's staff download each student's latest version — a
//! folder per student, "Student N" while names are hidden — streamed as it is written, and the
//! archive reads back byte for byte in the ZIP crate and in Python's `zipfile` (CRCs checked);
//! a student and another institution get nothing.

use std::io::Read;

use crate::assessment::class;
use crate::assignments::{PDF, hand_in, quiz_assignment};
use crate::support::TestApp;

/// The archive's entries, each with its bytes (the reader checks every CRC).
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut out = Vec::new();
    for n in 0..archive.len() {
        let mut entry = archive.by_index(n).unwrap();
        let mut contents = Vec::new();
        entry.read_to_end(&mut contents).unwrap();
        out.push((entry.name().to_owned(), contents));
    }
    out
}

#[tokio::test]
async fn the_staff_download_every_latest_hand_in_as_one_streamed_zip() {
    let t = TestApp::new().await;
    let mut c = class(&t, "asz").await;
    let (id, _) = quiz_assignment(&t, &mut c).await;
    let mut s1 = t.sign_in("s1@asz.edu").await;
    let mut s2 = t.sign_in("s2@asz.edu").await;
    let big: Vec<u8> = PDF.iter().copied().chain((0..300_000u32).map(|n| (n % 251) as u8)).collect();
    assert_eq!(hand_in(&mut s1, id, "Draft answer", Some(("working.pdf", PDF))).await.status, 303);
    assert_eq!(hand_in(&mut s1, id, "Final answer", Some(("final: v2.pdf", &big))).await.status, 303);
    assert_eq!(hand_in(&mut s2, id, "Only words.", None).await.status, 303);

    let path = format!("/assignments/{id}/hand-ins.zip");
    let overview = c.instructor.get(&format!("/assignments/{id}")).await;
    assert!(overview.contains(&format!("href=\"{path}\"")), "offered on the overview");
    let got = c.instructor.get(&path).await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.headers["content-type"], "application/zip");
    assert!(got.headers["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    let mut found = entries(&got.bytes);
    found.sort();
    let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
    // Anonymous until released: folders by number, in the grading order; the latest version only.
    assert_eq!(names.len(), 3, "{names:?}");
    let folder = |name: &str| name.split('/').next().unwrap().to_owned();
    assert!(names.iter().all(|n| folder(n).starts_with("Student ")), "{names:?}");
    let final_pdf = found.iter().find(|(n, _)| n.ends_with("/final_ v2.pdf")).expect("s1's file, its name made safe");
    assert_eq!(final_pdf.1, big, "the file byte for byte");
    let texts: Vec<&[u8]> = found.iter().filter(|(n, _)| n.ends_with("/text.md")).map(|(_, b)| b.as_slice()).collect();
    assert_eq!(texts.len(), 2);
    assert!(texts.contains(&b"Final answer".as_slice()) && texts.contains(&b"Only words.".as_slice()));
    assert_eq!(folder(&final_pdf.0), folder(found.iter().find(|(_, b)| b == b"Final answer").unwrap().0.as_str()));
    assert!(!names.iter().any(|n| n.contains("working.pdf")), "an earlier version is not the one graded");
    for (name, _) in &found {
        assert!(!name.contains("asz.edu") && !name.contains("Invited Person"), "no name while hidden: {name}");
    }

    // An independent reader agrees: Python's zipfile checks every entry's CRC.
    let file = std::env::temp_dir().join(format!("qobe-hand-ins-{}.zip", std::process::id()));
    std::fs::write(&file, &got.bytes).unwrap();
    let check = std::process::Command::new("python3")
        .args(["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.namelist()))"])
        .arg(&file)
        .output()
        .expect("python3 runs");
    let _ = std::fs::remove_file(&file);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "3");

    // Only the offering's staff: a student is refused, another institution finds nothing.
    assert_eq!(s1.get(&path).await.status, 403);
    let mut other = class(&t, "aso").await;
    assert_eq!(other.admin.get(&path).await.status, 404);
    assert_eq!(other.instructor.get(&path).await.status, 404);
}
