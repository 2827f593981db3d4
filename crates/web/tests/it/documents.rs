//! PDFs typeset with typst: the course file opens, has the right text and page count, and its
//! first page is saved as a picture in `test-artifacts/screenshots/`.

use std::process::Command;

use crate::assessment::class;
use crate::support::TestApp;
use crate::support::tools::tool;

/// The course file of the test class (two CLOs, three items, three students) fits on one page.
const COURSE_FILE_PAGES: usize = 1;

/// A PDF as poppler reads it.
pub(crate) struct ReadPdf {
    pub text: String,
    pub pages: usize,
}

/// Saves `bytes` as `test-artifacts/screenshots/{name}.pdf` (its first page as `{name}.png`)
/// and reads it with poppler. Checks that need no tool run first; `None` (with a notice) only
/// where poppler is not installed, and a poppler that is there and fails fails the test.
pub(crate) fn read_pdf(name: &str, bytes: &[u8]) -> Option<ReadPdf> {
    assert!(bytes.starts_with(b"%PDF-"), "{name} is not a PDF");
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"), "{name} is cut short");
    let dir = crate::browser::screenshots();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).unwrap();
    let run = |program: std::path::PathBuf, args: &[&std::ffi::OsStr]| -> String {
        let out = Command::new(&program).args(args).output().unwrap_or_else(|e| panic!("{}: {e}", program.display()));
        assert!(
            out.status.success(),
            "{} failed on {name}: {}",
            program.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let pdftotext = tool("pdftotext", "poppler-utils")?;
    let text = run(pdftotext, &["-layout".as_ref(), path.as_os_str(), "-".as_ref()]);
    let info = run(tool("pdfinfo", "poppler-utils")?, &[path.as_os_str()]);
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count for {name}: {info}"));
    let picture = path.with_extension("");
    run(
        tool("pdftoppm", "poppler-utils")?,
        &["-png".as_ref(), "-r".as_ref(), "60".as_ref(), "-singlefile".as_ref(), path.as_os_str(), picture.as_os_str()],
    );
    Some(ReadPdf { text, pages })
}

#[tokio::test]
async fn the_course_file_pdf_has_the_course_its_numbers_and_page_numbers() {
    let t = TestApp::new().await;
    let mut c = class(&t, "pdf").await;
    let items = c.plan(&t).await;
    c.enter_worked_marks(&items).await;
    let file = c.page("/course-file");
    c.instructor
        .submit(
            &file,
            &file,
            &[("reflections", "Students struggled with #filters and [brackets]."), ("improvements", "Add a lab.")],
        )
        .await;
    let response = c.instructor.get(&c.page("/course-file.pdf")).await;
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(response.headers.get("content-type").unwrap(), "application/pdf");
    let mut student = t.sign_in("s1@pdf.edu").await;
    assert_eq!(student.get(&c.page("/course-file.pdf")).await.status, 403);

    let Some(ReadPdf { text, pages }) = read_pdf("30-course-file", &response.bytes) else { return };
    assert!(text.contains("Course file: EE-201 Course EE-201"), "{text}");
    assert!(text.contains("University pdf"), "the institution's name in the header: {text}");
    let clo2 = text.lines().map(str::trim_start).find(|l| l.starts_with("CLO2 Design filters")).unwrap_or("");
    assert!(clo2.trim_end().ends_with("C4"), "CLOs with levels: {clo2}\n{text}");
    assert!(text.contains("Students struggled with #filters and [brackets]."), "user text is text, not markup: {text}");
    assert!(text.contains(&format!("Page 1 of {pages}")), "page numbers: {text}");
    assert!(text.contains("Generated "), "a generation time: {text}");
    assert_eq!(pages, COURSE_FILE_PAGES, "{text}");
    // The attainment table beside the chart: students, attaining, mean, met. CLO1: 65 % and
    // 100 % both attain; CLO2: 25 % and 82.5 %, one of two.
    let row = |clo: &str| -> Vec<&str> {
        text.lines()
            .filter_map(|l| {
                l.split_once(&format!("{clo} ")).map(|(_, rest)| rest.split_whitespace().collect::<Vec<_>>())
            })
            .find(|cells| cells.first().is_some_and(|c| c.parse::<u32>().is_ok()))
            .unwrap_or_default()
    };
    assert_eq!(row("CLO1"), ["2", "100.0%", "82.5%", "yes"], "{text}");
    assert_eq!(row("CLO2"), ["2", "50.0%", "53.8%", "no"], "{text}");
}
