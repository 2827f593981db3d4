//! A program's PLO attainment by cohort (heat map and drill-down), and the institution's
//! attainment policy page.

use qobe_domain::ids::{CohortId, CourseId, CurriculumVersionId, ProgramId, TermId, UserId};

use crate::academics::program_id;
use crate::assessment::class;
use crate::support::TestApp;
use crate::support::html;

/// A class with the worked-example marks inside a program: ABET PLOs, EE-201 in its
/// curriculum, CLO1 → PLO1 and CLO2 → PLO2 (strength 3), and a cohort with s1 and s2.
pub(crate) struct ProgramClass {
    pub c: crate::assessment::Class,
    pub program: i64,
    /// `/academics/programs/{program}`.
    pub page: String,
    /// `/assessment/programs/{program}`: the program's attainment pages start here.
    pub assessed: String,
    pub cohort: qobe_store::rows::Cohort,
    pub course: qobe_store::rows::Course,
    pub term: qobe_store::rows::Term,
    /// (code, lineage) of the program's PLOs.
    pub plos: Vec<(String, i64)>,
}

/// Next year's intake of `program`: a term NEXT starting in 300 days and a cohort "BSEE 2027" with
/// no students yet, so a cohort or term filter has something to leave out.
pub(crate) async fn next_intake(
    t: &TestApp,
    c: &mut crate::assessment::Class,
    program: i64,
) -> (qobe_store::rows::Term, qobe_store::rows::Cohort) {
    crate::academics::term(&mut c.admin, "NEXT", 300).await;
    let inst = c.institution(t).await;
    let next = qobe_store::academics::terms::by_code(t.app.store.conn(), inst, "NEXT").await.unwrap().unwrap();
    let cohort = qobe_store::academics::cohorts::insert(
        t.app.store.conn(),
        inst,
        ProgramId(program),
        TermId(next.id),
        None,
        "BSEE 2027",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    (next, cohort)
}

pub(crate) async fn program_class(t: &TestApp, slug: &str) -> ProgramClass {
    let mut c = class(t, slug).await;
    let items = c.plan(t).await;
    let (s1, s2) = (c.students[0], c.students[1]);
    c.enter_worked_marks(&items).await;
    let program = program_id(t, slug).await;
    let page = format!("/academics/programs/{program}");
    c.admin.submit(&page, &format!("{page}/adopt"), &[("framework", "abet-eac-2019")]).await;
    let conn = t.app.store.conn();
    let inst = c.institution(t).await;
    let plos = qobe_store::academics::outcomes::all_versions(
        conn,
        inst,
        qobe_store::academics::outcomes::OutcomeOwner::ProgramPlos(program),
    )
    .await
    .unwrap();
    let plo = |code: &str| plos.iter().find(|p| p.code == code).unwrap().lineage_id;
    qobe_store::academics::outcomes::set_clo_plo(conn, inst, c.clos[0], plo("PLO1"), Some((3, 3.0))).await.unwrap();
    qobe_store::academics::outcomes::set_clo_plo(conn, inst, c.clos[1], plo("PLO2"), Some((3, 3.0))).await.unwrap();
    let term = qobe_store::academics::terms::by_code(conn, inst, "NOW").await.unwrap().unwrap();
    let course = qobe_store::academics::courses::by_code(conn, inst, "EE-201").await.unwrap().unwrap();
    let curriculum = qobe_store::academics::curricula::insert(
        conn,
        inst,
        ProgramId(program),
        "Catalogue",
        2026,
        TermId(term.id),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    qobe_store::academics::curricula::set_course(
        conn,
        inst,
        CurriculumVersionId(curriculum.id),
        CourseId(course.id),
        3,
        "core",
    )
    .await
    .unwrap();
    let cohort = qobe_store::academics::cohorts::insert(
        conn,
        inst,
        ProgramId(program),
        TermId(term.id),
        None,
        "BSEE 2026",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    for (n, student) in [s1, s2].iter().enumerate() {
        let number = format!("EE-{n}");
        let new = qobe_store::academics::cohorts::NewStudent {
            user: UserId(*student),
            program: ProgramId(program),
            cohort: Some(CohortId(cohort.id)),
            registration_no: &number,
        };
        qobe_store::academics::cohorts::insert_student(conn, inst, new, chrono::Utc::now()).await.unwrap();
    }
    let plos = plos.iter().map(|p| (p.code.clone(), p.lineage_id)).collect();
    ProgramClass { c, program, assessed: format!("/assessment/programs/{program}"), page, cohort, course, term, plos }
}

#[tokio::test]
async fn a_coordinator_sees_cohort_plo_attainment_down_to_each_student() {
    let t = TestApp::new().await;
    let ProgramClass { mut c, program, cohort, course, plos, .. } = program_class(&t, "pa").await;
    let plo = |code: &str| plos.iter().find(|(c, _)| c == code).map(|(_, id)| *id).unwrap();
    let heat = c.admin.get(&format!("/assessment/programs/{program}/attainment")).await;
    assert_eq!(heat.status, 200, "{}", heat.text);
    // PLO1 from CLO1: 65 % and 100 % → both attain. PLO2 from CLO2: 25 % and 82.5 % → half.
    let map = html::inner(&heat.text, "plo-heatmap").unwrap();
    assert!(map.contains("<td class=\"heat-10\"><a") && map.contains(">100.0%</a>"), "{map}");
    assert!(map.contains("<td class=\"heat-5\"><a") && map.contains(">50.0%</a>"), "{map}");
    // Courses × PLOs: EE-201's CLO1 (PLO1) is attained by all, its CLO2 (PLO2) by half.
    let courses = heat.text.split("id=\"course-heatmap\"").nth(1).unwrap();
    assert!(courses.contains(">EE-201</a>") && courses.contains("<td class=\"heat-10\">100.0%</td>"), "{courses}");
    assert!(courses.contains("<td class=\"heat-5\">50.0%</td>"), "{courses}");
    let cell = c.admin.get(&format!("/assessment/programs/{program}/attainment/{}/{}", cohort.id, plo("PLO2"))).await;
    let summary = cell.text.split("id=\"cell-attaining\">").nth(1).unwrap().split('<').next().unwrap();
    assert_eq!(summary, "1 of 2", "one of the two students attains PLO2");
    // One column per CLO behind the PLO; weight = strength 3 × credits 4 (3 theory + 1 lab).
    let head = cell.text.split("id=\"cell-students\"").nth(1).unwrap().split("</thead>").next().unwrap();
    assert!(head.contains(">EE-201 CLO2 <span class=\"muted\">×12</span></th>"), "{head}");
    for (student, number, score, attained) in
        [(c.students[0], "EE-0", "25.0%", "no"), (c.students[1], "EE-1", "82.5%", "yes")]
    {
        let row =
            cell.text.split(&format!("<tr data-student=\"{student}\">")).nth(1).unwrap().split("</tr>").next().unwrap();
        let cells: Vec<&str> =
            row.split("<td").skip(1).map(|c| c.split_once('>').unwrap().1.split("</td>").next().unwrap()).collect();
        assert_eq!(cells[1], number, "{row}");
        assert_eq!(cells[2], score, "the PLO score: {row}");
        assert!(cells[3].contains(&format!(">{attained}</span>")), "{row}");
        assert_eq!(cells[4], score, "one CLO, so its score is the PLO score: {row}");
    }

    // The program report for a visit, as a PDF.
    let pdf = c.admin.get(&format!("/assessment/programs/{program}/report.pdf")).await;
    assert_eq!(pdf.status, 200, "{}", pdf.text);
    assert_eq!(c.instructor.get(&format!("/assessment/programs/{program}/report.pdf")).await.status, 403);
    if let Some(read) = crate::documents::read_pdf("31-program-report", &pdf.bytes) {
        let text = read.text;
        assert!(text.contains("Program report: BSEE") && text.contains("BSEE 2026"), "{text}");
        // The heat map's cohort row: PLO1 attained by both, PLO2 by one of two.
        let row =
            text.lines().map(str::trim_start).find(|l| l.starts_with("BSEE 2026") && l.contains('%')).unwrap_or("");
        assert!(row.contains("100.0%") && row.contains("50.0%"), "{row}\n{text}");
        assert_eq!(read.pages, 3, "{text}");
    }

    // The course's trend across terms (one term with marks so far).
    let trend = c.instructor.get(&format!("/assessment/courses/{}/trends", course.id)).await;
    let rows = html::rows(&trend.text, "trend");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][1..], ["100.0% (2 of 2)", "50.0% (1 of 2)"], "{rows:?}");
    assert_eq!(trend.text.matches("<polyline class=\"series").count(), 2, "a line per CLO");
    let csv = c.instructor.get(&format!("/assessment/courses/{}/trends?format=csv", course.id)).await;
    // Suggested next targets: the mean of the last 3 terms × 1.05, at most 90 %.
    assert_eq!(csv.text, "Term,CLO1 % attaining,CLO2 % attaining\nTerm NOW,100,50\nSuggested next target,90,52.5\n");
    let custom = c.instructor.get(&format!("/assessment/courses/{}/trends?terms=1&factor=1.1&cap=95", course.id)).await;
    assert!(custom.contains("<td>95.0%</td><td>55.0%</td>") && custom.contains("value=\"1.1\""), "{}", custom.text);
    let wrong = c.instructor.get(&format!("/assessment/courses/{}/trends?terms=x&factor=9", course.id)).await;
    assert!(wrong.contains("Terms: “x” must be a whole number from 1 to 12.") && wrong.contains("value=\"x\""));
    assert!(wrong.contains("Factor: “9” must be a number from 0.5 to 2."), "{}", wrong.text);
    let sheet = c.admin.get(&format!("/assessment/programs/{program}/attainment?format=xlsx")).await;
    let sheets = qobe_app::spreadsheet::xlsx_sheets(&sheet.bytes, "file").unwrap();
    let (name, read) = &sheets[3];
    assert_eq!(name, "Courses x PLOs");
    assert!(read.contains("Course,Term,PLO1,PLO2,") && read.contains("EE-201,Term NOW,1,0.5"), "{read}");
    let offering_csv = c.instructor.get(&c.page("/attainment?format=csv")).await;
    assert!(offering_csv.text.contains("CLO2,2,1,50,53.8,0.5,0.6,no"), "{}", offering_csv.text);
    let mut student = t.sign_in("s1@pa.edu").await;
    assert_eq!(student.get(&format!("/assessment/courses/{}/trends", course.id)).await.status, 403);

    let token = c.admin.api_token().await;
    let mut api = t.client();
    let cells = api.api("GET", &format!("/api/v1/programs/{program}/attainment"), &token, None).await.json();
    let so2 = cells.as_array().unwrap().iter().find(|c| c["plo"] == "PLO2").unwrap();
    assert_eq!((so2["attaining"].as_i64(), so2["students_with_evidence"].as_i64()), (Some(1), Some(2)), "{cells}");

    // An instructor is not a coordinator; another institution doesn't see the program.
    assert_eq!(c.instructor.get(&format!("/assessment/programs/{program}/attainment")).await.status, 403);
    let mut other = class(&t, "pa2").await;
    assert_eq!(other.admin.get(&format!("/assessment/programs/{program}/attainment")).await.status, 404);
}

#[tokio::test]
async fn the_attainment_policy_is_chosen_from_presets_and_versioned() {
    let t = TestApp::new().await;
    let mut c = class(&t, "pol").await;
    let items = c.plan(&t).await;
    c.type_mark(c.students[0], items[0], "6").await;
    let page = "/admin/attainment-policy";
    let shown = c.admin.get(page).await;
    assert!(shown.contains("Now: <strong>PEC / Washington Accord</strong>"));
    assert!(html::texts_of_class(&shown.text, "version").is_empty(), "none saved yet");
    // At PEC's 50 %, s1's 6 / 10 on Q1 (CLO1 60 %) attains.
    let before = html::rows(&c.instructor.get(&c.page("/attainment")).await.text, "attainment");
    assert_eq!(before[0][..3], ["CLO1", "1", "1 (100.0%)"]);
    let bad = c
        .admin
        .submit(
            page,
            page,
            &[
                ("preset", "abet-eamu"),
                ("score", "marks"),
                ("student_threshold", "150"),
                ("course_target", "70"),
                ("plo_threshold", "75"),
                ("cohort_target", "70"),
                ("absent", "zero"),
                ("not_attempted", "zero"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.contains("must be a percentage from 0 to 100") && bad.contains("value=\"150\""));
    let saved = c
        .admin
        .submit(
            page,
            page,
            &[
                ("preset", "abet-eamu"),
                ("score", "marks"),
                ("student_threshold", "70"),
                ("course_target", "70"),
                ("plo_threshold", "75"),
                ("cohort_target", "70"),
                ("absent", "exclude"),
                ("not_attempted", "zero"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    assert_eq!(html::texts_of_class(&c.admin.get(page).await.text, "version"), ["Version 1"]);
    // The offering now follows ABET EAMU: a 60 % score no longer attains at 70 %.
    let attainment = c.instructor.get(&c.page("/attainment")).await;
    assert!(attainment.contains("policy: ABET EAMU") && attainment.contains("at 70.0%"), "{}", attainment.text);
    let after = html::rows(&attainment.text, "attainment");
    assert_eq!(after[0][..3], ["CLO1", "1", "0 (0.0%)"]);
    assert_eq!(c.instructor.get(page).await.status, 403);
    assert_eq!(c.instructor.submit("/profile", page, &[("preset", "pec")]).await.status, 403);

    // NBA with each test's level averaged within its component, and surveys read as the share
    // in the top two points: the choices are kept in the policy and shown again.
    let chosen = c
        .admin
        .submit(
            page,
            page,
            &[
                ("preset", "nba"),
                ("score", "marks"),
                ("student_threshold", "60"),
                ("course_target", "2"),
                ("plo_threshold", "60"),
                ("cohort_target", "60"),
                ("absent", "zero"),
                ("not_attempted", "zero"),
                ("component_levels", "mean_of_assessments"),
                ("indirect", "top_two"),
            ],
        )
        .await;
    assert_eq!(chosen.status, 303, "{}", chosen.text);
    let institution = crate::academics::institution(&t, &c.slug).await;
    let policy = qobe_app::assessment::evidence::policy_for(t.app.store.conn(), institution, None).await.unwrap();
    assert_eq!(policy.component_levels, qobe_outcomes::ComponentLevels::MeanOfAssessments);
    assert_eq!(policy.indirect.measure, qobe_outcomes::IndirectMeasure::TopPoints { top_points: 2 });
    let shown = c.admin.get(page).await;
    assert!(shown.contains("value=\"mean_of_assessments\" selected") && shown.contains("value=\"top_two\" selected"));
}
