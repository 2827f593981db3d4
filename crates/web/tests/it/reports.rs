//! Reports against the engine: every number the program report shows or exports equals what
//! the engine's own API gives, on both databases; every report downloads as CSV, XLSX and PDF;
//! the program report is made in the background with its progress; staff read a student's
//! outcome transcript; the institution's logo goes on its documents.

use crate::program_attainment::{ProgramClass, program_class};
use crate::support::TestApp;
use qobe_app::jobs::{Kind, Outcome};

/// The band (0–20 %, …, 80–100 %) of a score, as the distribution counts it (by decile).
fn band(score: f64) -> usize {
    ((score * 10.0).floor() as usize).min(9) / 2
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines().map(|l| l.split(',').map(str::to_owned).collect()).collect()
}

/// A fraction as the CSV writes a percentage: to one decimal, without the sign.
fn shown(value: &serde_json::Value) -> String {
    value.as_f64().map(|v| format!("{}", (v * 1000.0).round() / 10.0)).unwrap_or_default()
}

/// The PDF's text, read back by poppler (saved as `{name}.pdf`, its first page as `{name}.png`);
/// `pages` is its exact page count.
fn pdf_checked(name: &str, bytes: &[u8], pages: usize) -> Option<String> {
    let read = crate::documents::read_pdf(name, bytes)?;
    assert_eq!(read.pages, pages, "{name}: {}", read.text);
    Some(read.text)
}

#[tokio::test]
async fn program_report_numbers_equal_the_engine_in_every_table_and_format() {
    let t = TestApp::new().await;
    let ProgramClass { mut c, program, page, assessed, cohort, course, term, plos } = program_class(&t, "rp").await;
    let token = c.admin.api_token().await;
    let mut api = t.client();
    let engine_cells = api.api("GET", &format!("/api/v1/programs/{program}/attainment"), &token, None).await.json();
    let cell = |code: &str| engine_cells.as_array().unwrap().iter().find(|c| c["plo"] == code).cloned();
    let offering = api.api("GET", &format!("/api/v1/offerings/{}/attainment", c.offering), &token, None).await.json();
    let members = [c.students[0], c.students[1]];
    let report = format!("{assessed}/attainment");
    let csv = |text: &str| csv_rows(text);

    // By cohort: each cell is the engine's share of the cohort attaining the PLO.
    let by_cohort = csv(&c.admin.get(&format!("{report}?format=csv&table=0")).await.text);
    let codes: Vec<&str> = plos.iter().map(|(code, _)| code.as_str()).collect();
    assert_eq!(by_cohort[0][1..], codes[..], "a column per PLO");
    assert_eq!(by_cohort[1][0], "BSEE 2026");
    for (i, code) in codes.iter().enumerate() {
        let expected = cell(code).map(|c| shown(&c["percent_attaining"])).unwrap_or_default();
        assert_eq!(by_cohort[1][i + 1], expected, "{code}");
    }
    assert_eq!(by_cohort[1][1..3], ["100", "50"], "the worked example");

    // Distribution: each PLO comes from one CLO of one course, so a student's PLO score is
    // their CLO score in the engine's explanation; attaining and counts are the engine's.
    let spread = csv(&c.admin.get(&format!("{report}?format=csv&table=1")).await.text);
    assert_eq!(
        spread[0][1..6],
        ["Students 0–20%", "Students 20–40%", "Students 40–60%", "Students 60–80%", "Students 80–100%"]
    );
    for (k, clo) in c.clos.iter().enumerate() {
        let code = format!("PLO{}", k + 1);
        let explained =
            api.api("GET", &format!("/api/v1/offerings/{}/attainment/{clo}", c.offering), &token, None).await.json();
        let mut bands = [0usize; 5];
        for line in explained["explanation"]["students"].as_array().unwrap() {
            let member = members.contains(&line["student_id"].as_i64().unwrap());
            if let (true, Some(score)) = (member, line["score"].as_f64()) {
                bands[band(score)] += 1;
            }
        }
        let row = spread.iter().find(|r| r[0] == code).unwrap();
        let counted: Vec<usize> = row[1..6].iter().map(|n| n.parse().unwrap()).collect();
        assert_eq!(counted, bands, "{code}: {row:?}");
        let engine = cell(&code).unwrap();
        assert_eq!(row[6], engine["students_with_evidence"].to_string());
        assert_eq!(row[7], engine["attaining"].to_string());
    }
    // CLO1: 65 % and 100 %; CLO2: 25 % and 82.5 %.
    assert_eq!(spread.iter().find(|r| r[0] == "PLO1").unwrap()[1..6], ["0", "0", "0", "1", "1"]);
    assert_eq!(spread.iter().find(|r| r[0] == "PLO2").unwrap()[1..6], ["0", "1", "0", "0", "1"]);

    // By term and courses × PLOs: the offering's CLO attainment (one CLO per PLO, equal weights).
    // CLO1 is attained by both students (100 %), CLO2 by one of two (50 %), as the API says too.
    let clo_share = |k: usize| shown(&offering["clos"][k]["percent_attaining"]);
    assert_eq!([clo_share(0), clo_share(1)], ["100", "50"]);
    let by_term = csv(&c.admin.get(&format!("{report}?format=csv&table=2")).await.text);
    assert_eq!(by_term[1][..3], ["Term NOW", "100", "50"]);
    assert!(by_term[1][3..].iter().all(String::is_empty), "no evidence for the other PLOs");
    let courses = c.admin.get(&format!("{report}?format=csv&table=3")).await.text;
    assert!(courses.contains("\nEE-201,Term NOW,100,50,"), "{courses}");

    // Filters need something to leave out: a second cohort (next year's intake, no students yet)
    // and a second term in which EE-201 is offered but not yet assessed.
    let (next, later) = crate::program_attainment::next_intake(&t, &mut c, program).await;
    let offered = c
        .admin
        .submit(
            "/academics/offerings",
            "/academics/offerings",
            &[("course", "EE-201"), ("term", "NEXT"), ("section", "A"), ("capacity", "30")],
        )
        .await;
    assert_eq!(offered.status, 303, "{}", offered.text);
    let cohorts_of = |rows: Vec<Vec<String>>| rows.into_iter().skip(1).map(|r| r[0].clone()).collect::<Vec<_>>();
    let all = csv(&c.admin.get(&format!("{report}?format=csv&table=0")).await.text);
    assert_eq!(cohorts_of(all.clone()), ["BSEE 2026", "BSEE 2027", "All cohorts shown"]);
    assert!(all[2][1..].iter().all(String::is_empty), "no evidence for next year's cohort: {all:?}");
    let first = csv(&c.admin.get(&format!("{report}?cohort={}&format=csv&table=0", cohort.id)).await.text);
    assert_eq!(cohorts_of(first), ["BSEE 2026", "All cohorts shown"], "one cohort");
    let second = csv(&c.admin.get(&format!("{report}?cohort={}&format=csv&table=0", later.id)).await.text);
    assert_eq!(cohorts_of(second), ["BSEE 2027", "All cohorts shown"], "the other cohort");
    // One term: NOW's evidence, or NEXT's (none yet); each course's latest evidence is NOW's.
    let now_only = c.admin.get(&format!("{report}?cohort={}&term={}&format=csv&table=3", cohort.id, term.id)).await;
    assert_eq!(now_only.text, courses);
    let next_only = csv(&c.admin.get(&format!("{report}?term={}&format=csv&table=3", next.id)).await.text);
    assert!(next_only.iter().skip(1).all(|row| row[2..].iter().all(String::is_empty)), "{next_only:?}");
    assert_ne!(csv(&courses), next_only, "the term filter changes the table");
    let filtered = c.admin.get(&format!("{report}?cohort={}&term=", cohort.id)).await;
    assert!(
        filtered.contains(&format!("<option value=\"{}\" selected>BSEE 2026</option>", cohort.id)),
        "{}",
        filtered.text
    );
    assert_eq!(c.admin.get(&format!("{report}?cohort=999999")).await.status, 404);
    assert_eq!(c.admin.get(&format!("{report}?term=999999")).await.status, 404, "a term without the program's courses");
    assert_eq!(c.admin.get(&format!("{report}?term=abc")).await.status, 400);

    // The same tables as one formatted workbook, percentages kept as fractions.
    let book = c.admin.get(&format!("{report}?format=xlsx")).await;
    let sheets = qobe_app::spreadsheet::xlsx_sheets(&book.bytes, "file").unwrap();
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["By cohort", "Distribution", "By term", "Courses x PLOs"]);
    assert!(sheets[0].1.contains(": share of students attaining each PLO, by cohort\","), "{}", sheets[0].1);
    assert!(sheets[0].1.contains("BSEE 2026,1,0.5,"), "{}", sheets[0].1);
    assert!(sheets[1].1.contains("PLO1,0,0,0,1,1,2,2"), "{}", sheets[1].1);

    // The whole page as a PDF: charts and every table.
    let pdf = c.admin.get(&format!("{report}?format=pdf")).await;
    assert_eq!(pdf.status, 200);
    if let Some(text) = pdf_checked("32-plo-attainment-report", &pdf.bytes, 3) {
        for expected in
            ["PLO attainment", "students by PLO score band", "term by term", "courses × PLOs", "Page 1 of 3"]
        {
            assert!(text.contains(expected), "{expected}: {text}");
        }
        // The heat map's cohort row holds its numbers: PLO1 100 %, PLO2 50 %.
        let row =
            text.lines().map(str::trim_start).find(|l| l.starts_with("BSEE 2026") && l.contains('%')).unwrap_or("");
        assert!(row.contains("100.0%") && row.contains("50.0%"), "{row}\n{text}");
    }

    // The CLO-PLO matrix with articulation averages and coverage.
    let coverage = csv(&c.admin.get(&format!("{page}/matrix?format=csv&table=2")).await.text);
    assert_eq!(coverage[0], ["PLO", "Courses", "CLOs", "High (3) mappings", "Articulation average", "Coverage"]);
    assert_eq!(coverage[1], ["PLO1", "1", "1", "1", "3", "covered"]);
    assert_eq!(coverage[3], ["PLO3", "0", "0", "0", "", "not covered"]);
    let articulation = c.admin.get(&format!("{page}/matrix?format=csv")).await.text;
    assert!(articulation.starts_with("Course,PLO1,PLO2,") && articulation.contains("\nEE-201,3,3,"), "{articulation}");
    let matrix_pdf = c.admin.get(&format!("{page}/matrix?format=pdf")).await;
    if let Some(text) = pdf_checked("33-clo-plo-matrix", &matrix_pdf.bytes, 1) {
        assert!(text.contains("Curriculum coverage of each PLO") && text.contains("not covered"), "{text}");
    }
    let matrix_page = c.admin.get(&format!("{page}/matrix")).await;
    assert!(
        matrix_page.contains("id=\"coverage\"") && matrix_page.contains("<span class=\"badge bad\">not covered</span>")
    );

    // The course trend drills down to the offering; the term trend to that term's courses.
    let trend_page = c.instructor.get(&format!("/assessment/courses/{}/trends", course.id)).await;
    assert!(trend_page.contains(&format!("href=\"/assessment/offerings/{}/attainment\"", c.offering)));
    assert!(c.admin.get(&report).await.contains(&format!("href=\"?term={}#course-heatmap\"", term.id)));
    // The course trend and the offering's CLO attainment download as PDFs too.
    let trend = c.instructor.get(&format!("/assessment/courses/{}/trends?format=pdf", course.id)).await;
    if let Some(text) = pdf_checked("34-course-trend", &trend.bytes, 1) {
        assert!(text.contains("CLO attainment across terms") && text.contains("Term NOW"), "{text}");
    }
    let attainment = c.instructor.get(&c.page("/attainment?format=pdf")).await;
    if let Some(text) = pdf_checked("35-offering-clo-attainment", &attainment.bytes, 1) {
        assert!(text.contains("CLO attainment") && text.contains("CLO2"), "{text}");
    }

    // Who may download: not the instructor (program), not another institution.
    assert_eq!(c.instructor.get(&format!("{report}?format=pdf")).await.status, 403);
    let mut other = crate::assessment::class(&t, "rp2").await;
    assert_eq!(other.admin.get(&format!("{report}?format=xlsx")).await.status, 404);
    assert_eq!(other.admin.get(&format!("{page}/matrix?format=csv")).await.status, 404);
}

#[tokio::test]
async fn the_program_report_is_made_in_the_background_with_its_progress() {
    let t = TestApp::new().await;
    let ProgramClass { mut c, page, assessed, .. } = program_class(&t, "job").await;
    // A document asked for three weeks ago is deleted by the daily chore.
    let inst = c.institution(&t).await;
    let admin = qobe_domain::ids::UserId(t.user_id("job", "admin@job.edu").await);
    let old = qobe_store::documents::NewJob { by: admin, kind: "program_report", subject: 0, title: "Old report" };
    let weeks_ago = chrono::Utc::now() - chrono::Duration::days(21);
    let old = qobe_store::documents::insert_job(t.app.store.conn(), inst, old, weeks_ago).await.unwrap();
    assert_eq!(c.admin.get(&format!("/documents/{old}")).await.status, 200);
    let started = c.admin.submit(&format!("{assessed}/attainment"), &format!("{assessed}/report"), &[]).await;
    assert_eq!(started.status, 303, "{}", started.text);
    let job = started.location().unwrap().to_owned();
    assert!(job.starts_with("/documents/"), "{job}");
    let shown = c.admin.get(&job).await;
    assert_eq!(crate::support::html::h1(&shown.text).as_deref(), Some("Program report BSEE"));
    assert!(shown.contains("id=\"job-file\" hidden"), "no download before it is made");
    let queued: serde_json::Value = c.admin.get(&format!("{job}/status")).await.json();
    assert_eq!((queued["status"].as_str(), queued["progress"].as_i64()), (Some("queued"), Some(0)), "{queued}");
    // The job runner makes it.
    let outcomes = t.run_jobs().await;
    let made: Vec<_> = outcomes.iter().filter(|(_, kind, _)| *kind == Kind::ProgramReport).collect();
    assert_eq!(made.len(), 1, "{outcomes:?}");
    assert_eq!(made[0].2, Outcome::Done);
    let job_row = qobe_app::jobs::get(&t.app, made[0].0).await.unwrap().expect("the job");
    assert_eq!((job_row.status.as_str(), job_row.progress, job_row.attempts), ("done", 100, 1));
    assert_eq!(job_row.payload, "{}", "a finished job keeps no payload");
    let status: serde_json::Value = c.admin.get(&format!("{job}/status")).await.json();
    assert_eq!(status["status"], "done", "{status}");
    assert_eq!(status["progress"], 100);
    assert_eq!(c.admin.get(&format!("/documents/{old}")).await.status, 200, "kept until the chore runs");
    qobe_app::jobs::tick(&t.app).await.unwrap();
    let chores = t.run_jobs().await;
    assert!(chores.iter().any(|(_, kind, outcome)| *kind == Kind::PruneDocuments && *outcome == Outcome::Done));
    assert_eq!(c.admin.get(&format!("/documents/{old}")).await.status, 404, "pruned");
    assert_eq!(c.admin.get(&job).await.status, 200, "a new document is kept");
    let finished = c.admin.get(&job).await;
    assert_eq!(crate::support::html::text(&finished.text, "job-stage").as_deref(), Some("Ready to download"));
    assert!(finished.contains("<p id=\"job-file\"><a"), "the download is offered");
    let named = c.admin.get(&format!("{job}/file")).await;
    let disposition = named.headers.get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert_eq!(
        disposition,
        "attachment; filename=\"program-report-BSEE.pdf\"; filename*=UTF-8''program-report-BSEE.pdf"
    );
    let file = c.admin.get(&format!("{job}/file")).await;
    assert_eq!(file.status, 200);
    if let Some(text) = pdf_checked("36-program-report-from-job", &file.bytes, 3) {
        // The attainment page's report value, with the program's outcomes and findings added.
        assert!(text.contains("Program report:") && text.contains("students by PLO score band"), "{text}");
        assert!(text.contains("program learning outcomes") && text.contains("improvement findings"), "{text}");
        assert!(text.contains("term by term") && text.contains("Term NOW"), "{text}");
    }
    // Asking again while a report of the program is still being made shows that one.
    let inst = c.institution(&t).await;
    let program_id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    let pending = qobe_store::documents::NewJob {
        by: admin,
        kind: "program_report",
        subject: program_id,
        title: "Program report",
    };
    let pending =
        qobe_store::documents::insert_job(t.app.store.conn(), inst, pending, chrono::Utc::now()).await.unwrap();
    let again = c.admin.submit(&format!("{assessed}/attainment"), &format!("{assessed}/report"), &[]).await;
    assert_eq!(again.location(), Some(format!("/documents/{pending}").as_str()));
    let hub = c.admin.get("/reports").await;
    let listed =
        crate::support::html::row_with(&hub.text, "documents", "Program report BSEE").expect("the report is listed");
    assert_eq!(listed[2], "Download", "{listed:?}");
    assert!(hub.contains(&format!("href=\"{job}/file\"")), "{}", hub.text);

    // Only the person who asked sees the job; another institution doesn't either.
    assert_eq!(c.instructor.get(&job).await.status, 404);
    assert_eq!(c.instructor.get(&format!("{job}/file")).await.status, 404);
    assert_eq!(
        c.instructor
            .submit(&format!("/assessment/offerings/{}/attainment", c.offering), &format!("{assessed}/report"), &[])
            .await
            .status,
        403
    );
    let mut other = crate::assessment::class(&t, "job2").await;
    assert_eq!(other.admin.get(&format!("{job}/status")).await.status, 404);
}

#[tokio::test]
async fn staff_read_a_students_outcome_transcript_and_documents_carry_the_logo() {
    let t = TestApp::new().await;
    let ProgramClass { mut c, assessed, cohort, plos: plo_ids, .. } = program_class(&t, "tr").await;
    let s1 = c.students[0];
    let transcript = format!("/results/students/{s1}/outcomes");
    assert!(c.admin.get(&transcript).await.contains("No approved results yet."));
    // Results approved and published: the transcript reads the frozen attainment.
    let grades = c.page("/grades");
    c.instructor
        .submit(
            &grades,
            &c.page("/grades/step/submit"),
            &[("confirm_blanks", "on"), ("note", "one student has no marks yet")],
        )
        .await;
    assert_eq!(c.admin.submit(&grades, &c.page("/grades/step/approve"), &[]).await.status, 303);
    c.admin.submit(&grades, &c.page("/grades/step/publish"), &[]).await;

    let mut student = t.sign_in("s1@tr.edu").await;
    let token = student.api_token().await;
    // s1: PLO1 from CLO1 (8 + 5) / 20 = 65 %, attained; PLO2 from CLO2 (5 + 0) / 20 = 25 %, not.
    let mine = t.client().api("GET", "/api/v1/me/outcomes", &token, None).await.json();
    let api_score =
        |plo: &str| mine["plos"].as_array().unwrap().iter().find(|p| p["plo"] == plo).unwrap()["score"].as_f64();
    assert_eq!((api_score("PLO1"), api_score("PLO2")), (Some(0.65), Some(0.25)), "{mine}");
    let shown_page = c.admin.get(&transcript).await;
    assert_eq!(crate::support::html::h1(&shown_page.text).as_deref(), Some("Outcome transcript — Invited Person"));
    let plos = csv_rows(&c.admin.get(&format!("{transcript}?format=csv")).await.text);
    assert_eq!(plos[0], ["PLO", "Title", "Score", "Attained", "From"]);
    assert_eq!(plos[1][..4], ["PLO1", "Complex problem solving", "65", "yes"]);
    assert_eq!((plos[2][0].as_str(), &plos[2][2..4]), ("PLO2", &["25".to_owned(), "no".to_owned()][..]));
    assert!(
        shown_page.contains("PLO1 <span class=\"plo-title\">Complex problem solving</span>"),
        "the page names each PLO"
    );
    let clos = c.admin.get(&format!("{transcript}?format=csv&table=1")).await.text;
    assert!(clos.contains("EE-201,Term NOW,CLO1,65,yes"), "{clos}");
    // The student's own page downloads too; staff outside the program and other students can't read it.
    assert_eq!(student.get("/my/outcomes?format=xlsx").await.status, 200);
    assert_eq!(student.get(&format!("/results/students/{}/outcomes", c.students[1])).await.status, 403);
    assert_eq!(c.instructor.get(&transcript).await.status, 403);
    let mut other = crate::assessment::class(&t, "tr2").await;
    assert_eq!(other.admin.get(&transcript).await.status, 404);
    // The heat-map cell's students link to it.
    let cell = c.admin.get(&format!("{assessed}/attainment/{}/{}", cohort.id, plo_ids[0].1)).await;
    assert!(cell.contains(&format!("href=\"{transcript}\"")), "{}", cell.text);

    // A logo: checked, stored as PNG, printed on every document.
    let settings = "/admin/settings";
    let refused = c.admin.upload(settings, "/admin/settings/logo", "logo", "logo.txt", b"not a picture").await;
    assert_eq!(refused.status, 422);
    assert!(refused.contains("must be a PNG or JPEG picture") && refused.contains("id=\"no-logo\""));
    let mut picture = image::RgbImage::new(900, 300);
    for (x, _, pixel) in picture.enumerate_pixels_mut() {
        *pixel = image::Rgb([(x % 256) as u8, 90, 160]);
    }
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture).write_to(&mut png, image::ImageFormat::Png).unwrap();
    let uploaded = c.admin.upload(settings, "/admin/settings/logo", "logo", "logo.png", png.get_ref()).await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.text);
    let stored = c.admin.get("/admin/settings/logo").await;
    let kept = image::load_from_memory(&stored.bytes).unwrap();
    assert_eq!((kept.width(), kept.height()), (600, 200), "shrunk to fit 600×200");
    assert_eq!(
        c.instructor.upload("/profile", "/admin/settings/logo", "logo", "logo.png", png.get_ref()).await.status,
        403
    );
    let pdf = c.admin.get(&format!("{transcript}?format=pdf")).await;
    if let Some(text) = pdf_checked("37-outcome-transcript", &pdf.bytes, 1) {
        let path = crate::browser::screenshots().join("37-outcome-transcript.pdf");
        assert!(text.contains("Outcome transcript") && text.contains("PLO1"), "{text}");
        assert_eq!(pictures_in("37-outcome-transcript"), 1, "the logo, the one picture in the PDF: {}", path.display());
    }
    let course_file = c.instructor.get(&c.page("/course-file.pdf")).await;
    if pdf_checked("38-course-file-with-logo", &course_file.bytes, 1).is_some() {
        assert_eq!(pictures_in("38-course-file-with-logo"), 1, "the course file prints the logo");
    }

    // Removed, the logo leaves the settings page and the documents.
    let removed = c.admin.submit(settings, "/admin/settings/logo/remove", &[]).await;
    assert_eq!(removed.status, 303);
    assert_eq!(c.admin.get("/admin/settings/logo").await.status, 404);
    let page_now = c.admin.get(settings).await;
    assert_eq!(crate::support::html::text(&page_now.text, "no-logo").as_deref(), Some("No logo yet."));
    assert!(!page_now.contains("class=\"logo-preview\""));
    let plain = c.instructor.get(&c.page("/course-file.pdf")).await;
    if pdf_checked("39-course-file-without-logo", &plain.bytes, 1).is_some() {
        assert_eq!(pictures_in("39-course-file-without-logo"), 0);
    }
}

/// How many pictures `pdfimages` lists in the saved PDF `{name}.pdf`.
fn pictures_in(name: &str) -> usize {
    let path = crate::browser::screenshots().join(format!("{name}.pdf"));
    let pdfimages = crate::support::tools::tool("pdfimages", "poppler-utils").expect("poppler read the PDF already");
    let listed = std::process::Command::new(pdfimages).arg("-list").arg(&path).output().unwrap();
    assert!(listed.status.success());
    String::from_utf8_lossy(&listed.stdout).lines().count() - 2
}

#[tokio::test]
async fn a_program_sets_its_own_plo_threshold_and_its_reports_follow_it() {
    let t = TestApp::new().await;
    let ProgramClass { mut c, assessed, program, .. } = program_class(&t, "ps").await;
    let report = format!("{assessed}/attainment");
    let action = format!("{assessed}/plo-settings");
    let shown = c.admin.get(&report).await;
    assert!(shown.contains("PLO settings (the institution's)") && shown.contains("value=\"50\""), "{}", shown.text);
    let offering_before = c.instructor.get(&c.page("/attainment?format=csv")).await.text;

    let wrong = c
        .admin
        .submit(&report, &action, &[("plo_threshold", "150"), ("cohort_target", "60"), ("plo_weighting", "strength")])
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.contains("must be a percentage from 0 to 100") && wrong.contains("value=\"150\""), "{}", wrong.text);

    let saved = c
        .admin
        .submit(&report, &action, &[("plo_threshold", "70"), ("cohort_target", "60"), ("plo_weighting", "strength")])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    // PLO1 comes from CLO1 (65 % and 100 %): at 70 % only one of the two students attains it.
    let token = c.admin.api_token().await;
    let cells = t.client().api("GET", &format!("/api/v1/programs/{program}/attainment"), &token, None).await.json();
    let plo1 = cells.as_array().unwrap().iter().find(|c| c["plo"] == "PLO1").unwrap().clone();
    assert_eq!((plo1["attaining"].as_i64(), plo1["students_with_evidence"].as_i64()), (Some(1), Some(2)), "{cells}");
    let by_cohort = c.admin.get(&format!("{report}?format=csv")).await.text;
    assert!(by_cohort.contains("\nBSEE 2026,50,50,"), "{by_cohort}");
    assert!(c.admin.get(&report).await.contains("PLO settings (its own)"));
    // CLO attainment is the institution's in every program: the offering reads as before.
    assert_eq!(c.instructor.get(&c.page("/attainment?format=csv")).await.text, offering_before);

    // Only the program's coordinators (here the admin) change it; not instructors, not others.
    let instructor_page = c.page("/attainment");
    let refused = c.instructor.submit(&instructor_page, &action, &[("plo_threshold", "10")]).await;
    assert_eq!(refused.status, 403);
    let mut other = crate::assessment::class(&t, "ps2").await;
    let elsewhere = other.admin.submit("/profile", &action, &[("plo_threshold", "10")]).await;
    assert_eq!(elsewhere.status, 404);
}

#[tokio::test]
async fn the_course_picker_on_the_reports_page_opens_that_courses_trend() {
    let t = TestApp::new().await;
    let ProgramClass { mut c, course, .. } = program_class(&t, "pick").await;
    let hub = c.admin.get("/reports").await;
    assert!(hub.contains(&format!("<option value=\"{}\">EE-201 ", course.id)), "{}", hub.text);
    let picked = c.admin.get(&format!("/reports/course?course={}", course.id)).await;
    let trend = format!("/assessment/courses/{}/trends", course.id);
    assert_eq!((picked.status, picked.location()), (303, Some(trend.as_str())));
    let nothing = c.admin.get("/reports/course").await;
    assert_eq!((nothing.status, nothing.location()), (303, Some("/reports")));
}
