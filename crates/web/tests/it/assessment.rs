//! Assessment plans, the marks grid with its history, and live CLO attainment that matches the
//! engine, with the role and cross-institution checks.

use crate::academics::{course, institution, school, term};
use crate::support::{Client, TestApp, html};

pub(crate) struct Class {
    pub slug: String,
    pub admin: Client,
    pub instructor: Client,
    pub offering: i64,
    pub students: Vec<i64>,
    pub clos: Vec<i64>,
}

/// A course with CLO1 and CLO2, offered this term, taught by ins@{slug}.edu, with three
/// enrolled students.
pub(crate) async fn class(t: &TestApp, slug: &str) -> Class {
    let mut admin = school(t, slug).await;
    term(&mut admin, "NOW", -10).await;
    let course_id = course(t, &mut admin, slug, "EE-201").await;
    let course_page = format!("/academics/courses/{course_id}");
    for (code, text) in [("CLO1", "Analyse circuits"), ("CLO2", "Design filters")] {
        let r = admin
            .submit(
                &course_page,
                &format!("{course_page}/clos"),
                &[("code", code), ("text", text), ("taxonomy_level", "C4")],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.text);
    }
    let made = admin
        .submit(
            "/academics/offerings",
            "/academics/offerings",
            &[("course", "EE-201"), ("term", "NOW"), ("section", "A"), ("capacity", "30")],
        )
        .await;
    let offering_page = made.location().unwrap().to_owned();
    let offering: i64 = offering_page.rsplit('/').next().unwrap().parse().unwrap();
    let instructor = t.invite(&mut admin, &format!("ins@{slug}.edu"), "instructor").await;
    admin
        .submit(&offering_page, &format!("{offering_page}/instructors"), &[("email", &format!("ins@{slug}.edu"))])
        .await;
    let inst = institution(t, slug).await;
    let term_row = qobe_store::academics::terms::by_code(t.app.store.conn(), inst, "NOW").await.unwrap().unwrap();
    let mut students = Vec::new();
    for n in 1..=3 {
        let email = format!("s{n}@{slug}.edu");
        t.invite(&mut admin, &email, "student").await;
        let user = t.user_id(slug, &email).await;
        qobe_store::registration::upsert(
            t.app.store.conn(),
            inst,
            qobe_store::registration::NewEnrollment {
                offering: qobe_domain::ids::OfferingId(offering),
                user: qobe_domain::ids::UserId(user),
                term: qobe_domain::ids::TermId(term_row.id),
                course: course_id,
                status: "enrolled",
                waitlist_position: None,
                credits: 3.0,
                grade: None,
                decided_by: None,
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        students.push(user);
    }
    let clos = qobe_store::academics::outcomes::all_versions(
        t.app.store.conn(),
        inst,
        qobe_store::academics::outcomes::OutcomeOwner::CourseClos(course_id),
    )
    .await
    .unwrap()
    .iter()
    .map(|c| c.id)
    .collect();
    Class { slug: slug.to_owned(), admin, instructor, offering, students, clos }
}

impl Class {
    /// A page of the offering, in the area that serves it: `""` is the offering's own page,
    /// `/assessment` its plan, `/grades…` its results, everything else (marks, attainment, the
    /// course file…) is under `/assessment/offerings/{id}`.
    pub fn page(&self, tail: &str) -> String {
        let id = self.offering;
        match tail {
            "" => format!("/academics/offerings/{id}"),
            "/assessment" => format!("/assessment/offerings/{id}/plan"),
            _ if tail.starts_with("/grades") => format!("/results/offerings/{id}{tail}"),
            _ => format!("/assessment/offerings/{id}{tail}"),
        }
    }

    /// Quiz (CIE 20 %) with Q1 /10 → CLO1 and Q2 /20 → half CLO1, half CLO2; Final (SEE 80 %)
    /// with F1 /10 → CLO2. Returns the item ids in that order.
    pub async fn plan(&mut self, t: &TestApp) -> Vec<i64> {
        let plan = self.page("/assessment");
        for (name, category, weight) in [("Quiz", "cie", "20"), ("Final", "SEE", "80")] {
            let r = self
                .instructor
                .submit(
                    &plan,
                    &self.page("/assessments"),
                    &[("name", name), ("category", category), ("weight", weight)],
                )
                .await;
            assert_eq!(r.status, 303, "{}", r.text);
        }
        let assessments = self.assessment_ids(t).await;
        for (assessment, label, max, clos) in [
            (assessments[0], "Q1", "10", "clo1"),
            (assessments[0], "Q2", "20", "CLO1:0.5, CLO2:0.5"),
            (assessments[1], "F1", "10", "CLO2"),
        ] {
            let r = self
                .instructor
                .submit(
                    &plan,
                    &self.page("/items"),
                    &[("assessment", &assessment.to_string()), ("label", label), ("max_marks", max), ("clos", clos)],
                )
                .await;
            assert_eq!(r.status, 303, "{}", r.text);
        }
        self.item_ids(t).await
    }

    pub async fn assessment_ids(&self, t: &TestApp) -> Vec<i64> {
        let offering = qobe_domain::ids::OfferingId(self.offering);
        let rows = qobe_store::assessment::plans::assessments(t.app.store.conn(), self.institution(t).await, offering)
            .await
            .unwrap();
        rows.iter().map(|a| a.id).collect()
    }

    pub async fn item_ids(&self, t: &TestApp) -> Vec<i64> {
        let offering = qobe_domain::ids::OfferingId(self.offering);
        let rows = qobe_store::assessment::plans::items(t.app.store.conn(), self.institution(t).await, offering)
            .await
            .unwrap();
        rows.iter().map(|i| i.id).collect()
    }

    pub async fn institution(&self, t: &TestApp) -> qobe_domain::ids::InstitutionId {
        institution(t, &self.slug).await
    }

    /// The marks of the engine's worked example: s1 Q1 8, Q2 10, F1 absent; s2 Q1 excused,
    /// Q2 20, F1 6.5 (CLO1: 65 % and 100 %; CLO2: 25 % and 82.5 %).
    pub async fn enter_worked_marks(&mut self, items: &[i64]) {
        let (s1, s2) = (self.students[0], self.students[1]);
        for (student, item, value) in [
            (s1, items[0], "8"),
            (s1, items[1], "10"),
            (s1, items[2], "AB"),
            (s2, items[0], "EX"),
            (s2, items[1], "20"),
            (s2, items[2], "6.5"),
        ] {
            assert_eq!(self.type_mark(student, item, value).await.status, 200);
        }
    }

    /// Saves one cell the way the grid's script does.
    pub async fn type_mark(&mut self, student: i64, item: i64, value: &str) -> crate::support::Response {
        let field = format!("m{student}_{item}");
        self.instructor.fetch_post(&self.page("/marks"), &self.page("/marks"), &[(&field, value)]).await
    }
}

#[tokio::test]
async fn a_plan_warns_until_every_clo_has_evidence_and_weightage_adds_up() {
    let t = TestApp::new().await;
    let mut c = class(&t, "plan").await;
    let plan = c.page("/assessment");
    let empty = c.instructor.get(&plan).await;
    assert!(empty.contains("No assessments yet"), "{}", empty.text);
    let bad = c
        .instructor
        .submit(&plan, &c.page("/assessments"), &[("name", "Quiz"), ("category", "CIE"), ("weight", "120")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.contains("must be a percentage from 0 to 100") && bad.contains("value=\"Quiz\""));
    c.instructor
        .submit(&plan, &c.page("/assessments"), &[("name", "Quiz"), ("category", "CIE"), ("weight", "20")])
        .await;
    let quiz = c.assessment_ids(&t).await[0].to_string();
    let wrong_clo = c
        .instructor
        .submit(
            &plan,
            &c.page("/items"),
            &[("assessment", &quiz), ("label", "Q1"), ("max_marks", "10"), ("clos", "CLO9")],
        )
        .await;
    assert!(wrong_clo.contains("CLO9 is not a CLO of this course in this term"));
    let too_much = c
        .instructor
        .submit(
            &plan,
            &c.page("/items"),
            &[("assessment", &quiz), ("label", "Q1"), ("max_marks", "10"), ("clos", "CLO1:0.8, CLO2:0.5")],
        )
        .await;
    assert!(too_much.contains("the shares add up to more than 1"));
    c.instructor
        .submit(
            &plan,
            &c.page("/items"),
            &[("assessment", &quiz), ("label", "Q1"), ("max_marks", "10"), ("clos", "CLO1")],
        )
        .await;
    let warned = c.instructor.get(&plan).await;
    assert!(warned.contains("Weightage adds up to 20 %, not 100 %."), "{}", warned.text);
    assert!(warned.contains("CLO2 has no evidence"));
    assert!(!warned.contains("CLO1 has no evidence"));

    // Another instructor of the institution who doesn't teach it may not change it.
    let mut other = t.invite(&mut c.admin, "other@plan.edu", "instructor").await;
    assert_eq!(other.get(&plan).await.status, 403);
    let refused =
        other.submit("/profile", &c.page("/assessments"), &[("name", "X"), ("category", "CIE"), ("weight", "5")]).await;
    assert_eq!(refused.status, 403);

    // The course is taught this term and Q1 is CLO1's evidence: the CLO is in use, so its wording
    // is not rewritten in place; a new version from a chosen term is needed.
    let inst = c.institution(&t).await;
    let course =
        qobe_store::academics::offerings::get(t.app.store.conn(), inst, qobe_domain::ids::OfferingId(c.offering))
            .await
            .unwrap()
            .unwrap()
            .course_id;
    let course_page = format!("/academics/courses/{course}");
    let in_use = c
        .admin
        .submit(
            &course_page,
            &format!("{course_page}/clos/{}/edit", c.clos[0]),
            &[("code", "CLO1"), ("text", "Analyse AC circuits"), ("taxonomy_level", "C4")],
        )
        .await;
    assert_eq!(in_use.status, 422);
    assert_eq!(
        crate::support::html::text(&in_use.text, "e-effective_term").as_deref(),
        Some("this outcome already has evidence: choose the term the new wording applies from")
    );
    let versions = qobe_store::academics::outcomes::all_versions(
        t.app.store.conn(),
        inst,
        qobe_store::academics::outcomes::OutcomeOwner::CourseClos(course),
    )
    .await
    .unwrap();
    let texts: Vec<(i64, &str)> = versions.iter().map(|v| (v.id, v.text.as_str())).collect();
    assert_eq!(texts, [(c.clos[0], "Analyse circuits"), (c.clos[1], "Design filters")], "nothing rewritten");
}

#[tokio::test]
async fn marks_save_as_you_type_are_checked_audited_and_move_attainment() {
    let t = TestApp::new().await;
    let mut c = class(&t, "marks").await;
    let items = c.plan(&t).await;
    let (s1, s2, s3) = (c.students[0], c.students[1], c.students[2]);
    let grid = c.instructor.get(&c.page("/marks")).await;
    assert!(grid.contains(&format!("name=\"m{s1}_{}\"", items[0])), "one cell per student and item");

    let over = c.type_mark(s1, items[0], "11").await;
    assert_eq!(over.status, 422);
    assert!(over.json()["problems"][0].as_str().unwrap().contains("11 is outside 0–10"), "{}", over.text);
    let word = c.type_mark(s1, items[0], "ten").await;
    assert!(word.json()["problems"][0].as_str().unwrap().contains("is not a mark"));

    // s1: Q1 8, Q2 10, F1 absent → CLO1 (8 + 5) / 20 = 65 %; CLO2 (5 + 0) / 20 = 25 %.
    for (item, value) in [(items[0], "8"), (items[1], "10"), (items[2], "ab")] {
        let saved = c.type_mark(s1, item, value).await;
        assert_eq!(saved.status, 200, "{}", saved.text);
    }
    // s2: Q1 excused, Q2 20, F1 6 → CLO1 10/10; CLO2 16/20. s3: nothing yet.
    for (item, value) in [(items[0], "EX"), (items[1], "20"), (items[2], "6")] {
        c.type_mark(s2, item, value).await;
    }
    let last = c.type_mark(s2, items[2], "6.5").await.json();
    assert_eq!(last["changed"], 1);
    // CLO1: both attain (≥ 50 %) → 100 %; CLO2: s1 25 %, s2 (10 + 6.5) / 20 = 82.5 % → 50 %.
    assert_eq!(last["attainment"][0]["value"], 1.0);
    assert_eq!(last["attainment"][1]["value"], 0.5);
    assert_eq!(last["attainment"][1]["met"], false, "PEC's course target is 60 %");
    let unchanged = c.type_mark(s2, items[2], "6.5").await.json();
    assert_eq!(unchanged["changed"], 0, "typing the same mark changes nothing");

    // The numbers on the page are the engine's numbers for the same evidence.
    let page = c.instructor.get(&c.page("/attainment")).await;
    assert_eq!(page.text.matches("class=\"bar met\"").count(), 1, "CLO1's bar, at or above target");
    assert_eq!(page.text.matches("class=\"bar short\"").count(), 1, "CLO2's bar, below it");
    // CLO, students with evidence, attaining, mean score, attainment, target met.
    let table = crate::support::html::rows(&page.text, "attainment");
    assert_eq!(table[0][..5], ["CLO1", "2", "2 (100.0%)", "82.5%", "100.0%"], "{table:?}");
    assert_eq!(table[1][..5], ["CLO2", "2", "1 (50.0%)", "53.8%", "50.0%"], "{table:?}");
    assert!(table[0][5] == "met" && table[1][5].starts_with("not met"), "{table:?}");
    let inst = c.institution(&t).await;
    let view = qobe_app::academics::offerings::get(
        &t.app,
        &admin_of(&t, &c.slug).await,
        qobe_domain::ids::OfferingId(c.offering),
    )
    .await
    .unwrap();
    let (_, evidence) = qobe_app::assessment::evidence::load(t.app.store.conn(), inst, &view).await.unwrap();
    let policy = qobe_outcomes::Policy::pec();
    let scores = qobe_outcomes::student_clo_scores(&policy, &evidence);
    let row = |user: i64| evidence.students.iter().position(|s| *s == user).unwrap();
    assert!((scores.get(row(s1), 0).unwrap() - 0.65).abs() < 1e-6);
    assert!((scores.get(row(s2), 1).unwrap() - 0.825).abs() < 1e-6);
    assert_eq!(scores.get(row(s3), 0), None);
    let results = qobe_outcomes::course_clos(&policy, &evidence, &scores);
    assert_eq!(results[1].overall.attaining, 1);

    // Drill down: CLO2's students, then s1's items.
    let clo2 = c.instructor.get(&c.page(&format!("/attainment/{}", c.clos[1]))).await;
    assert!(clo2.contains("1 of 2 students with evidence"), "{}", clo2.text);
    let why = c.instructor.get(&c.page(&format!("/attainment/{}/students/{s1}", c.clos[1]))).await;
    assert!(html::text(&why.text, "student-score").is_some_and(|s| s.starts_with("Score 25.0%")), "{}", why.text);
    let f1 = html::row_with(&why.text, "contributions", "F1").expect("F1 contributes");
    assert!(f1.iter().any(|c| c == "absent"), "{f1:?}");

    // Every change is kept with the old and new value.
    let history = c.instructor.get(&c.page("/marks/history")).await;
    assert!(history.contains("<td>6</td><td>6.5</td>"), "{}", history.text);
    assert!(history.contains("<td>—</td><td>AB</td>"));

    // Clearing a cell removes the mark and is recorded too.
    c.type_mark(s1, items[2], "").await;
    assert!(c.instructor.get(&c.page("/marks/history")).await.contains("<td>AB</td><td>—</td>"));

    // Without the script the whole grid is one form: a bad cell saves nothing and keeps what was typed.
    let f1 = format!("m{s3}_{}", items[2]);
    let q1 = format!("m{s3}_{}", items[0]);
    let form = c.instructor.submit(&c.page("/marks"), &c.page("/marks"), &[(&q1, "7"), (&f1, "12")]).await;
    assert_eq!(form.status, 422);
    assert!(form.contains("Nothing was saved") && form.contains("value=\"12\""), "{}", form.text);
    let marks =
        qobe_store::assessment::marks::for_offering(t.app.store.conn(), inst, qobe_domain::ids::OfferingId(c.offering))
            .await
            .unwrap();
    assert!(!marks.iter().any(|m| m.user_id == s3), "all or nothing");
}

async fn admin_of(t: &TestApp, slug: &str) -> qobe_app::Actor {
    crate::academics::admin_actor(t, slug).await
}

#[tokio::test]
async fn marks_are_private_to_the_offering_and_its_institution() {
    let t = TestApp::new().await;
    let mut a = class(&t, "priv").await;
    let items = a.plan(&t).await;
    a.type_mark(a.students[0], items[0], "9").await;
    let mut b = class(&t, "privb").await;

    // Instructors of another institution: not found.
    for path in ["/marks", "/assessment", "/attainment", "/marks/history"] {
        assert_eq!(b.instructor.get(&a.page(path)).await.status, 404, "{path}");
    }
    let field = format!("m{}_{}", a.students[0], items[0]);
    let token_page = b.page("/marks");
    let foreign = b.instructor.fetch_post(&token_page, &a.page("/marks"), &[(&field, "1")]).await;
    assert_eq!(foreign.status, 404);
    // Marks for an item of another offering, or a student not enrolled, are refused by row.
    b.plan(&t).await;
    let cross = b.type_mark(b.students[0], items[0], "5").await;
    assert_eq!(cross.status, 422);
    assert!(cross.json()["problems"][0].as_str().unwrap().contains("is not in this offering's plan"));
    let b_item = b.item_ids(&t).await[0];
    let stranger = b.type_mark(a.students[0], b_item, "5").await;
    assert!(stranger.json()["problems"][0].as_str().unwrap().contains("is not enrolled"));

    // A student sees neither the grid nor a classmate's explanation, but may see their own.
    let mut student = t.sign_in(&format!("s1@{}.edu", a.slug)).await;
    assert_eq!(student.get(&a.page("/marks")).await.status, 403);
    let own = student.get(&a.page(&format!("/attainment/{}/students/{}", a.clos[0], a.students[0]))).await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert!(own.contains("Score 90.0%"));
    let classmate = student.get(&a.page(&format!("/attainment/{}/students/{}", a.clos[0], a.students[1]))).await;
    assert_eq!(classmate.status, 403);
}

#[tokio::test]
async fn marks_import_from_csv_all_or_nothing_and_export_round_trips() {
    let t = TestApp::new().await;
    let mut c = class(&t, "csv").await;
    let items = c.plan(&t).await;
    c.type_mark(c.students[0], items[0], "4").await;
    let exported = c.instructor.get(&c.page("/marks.csv")).await;
    assert_eq!(exported.status, 200);
    let mut lines = exported.text.lines();
    assert_eq!(lines.next().unwrap(), "email,name,Quiz Q1,Quiz Q2,Final F1");
    assert!(exported.text.contains("s1@csv.edu,Invited Person,4,,"), "{}", exported.text);

    let import = c.page("/marks/import");
    let bad = "email,Quiz Q1,Quiz Q2,Final F1\ns1@csv.edu,5,25,AB\nnobody@csv.edu,1,1,1\ns2@csv.edu,x,10,5\n";
    let checked = c.instructor.upload(&import, &import, "file", "marks.csv", bad.as_bytes()).await;
    assert_eq!(checked.status, 422);
    assert!(checked.contains("line 2, column Quiz Q2: 25 is outside 0–20"), "{}", checked.text);
    assert!(
        checked.contains("line 3, column email: &#34;nobody@csv.edu&#34; is not a student enrolled"),
        "{}",
        checked.text
    );
    assert!(checked.contains("line 4, column Quiz Q1:"));
    let unknown = c.instructor.upload(&import, &import, "file", "m.csv", b"email,Lab L9\ns1@csv.edu,3\n").await;
    assert!(unknown.contains("Column &#34;Lab L9&#34; is not an item of this offering"), "{}", unknown.text);
    // A bad file committed anyway saves nothing.
    let forced = c.instructor.submit(&import, &c.page("/marks/import/commit"), &[("csv_text", bad)]).await;
    assert_eq!(forced.status, 422);
    let inst = c.institution(&t).await;
    let offering = qobe_domain::ids::OfferingId(c.offering);
    let before = qobe_store::assessment::marks::for_offering(t.app.store.conn(), inst, offering).await.unwrap();
    assert_eq!(before.len(), 1);

    let good = "email,Q1,Quiz Q2,Final F1\ns1@csv.edu,5,15,AB\ns2@csv.edu,,10,5\n";
    let checked = c.instructor.upload(&import, &import, "file", "marks.csv", good.as_bytes()).await;
    assert_eq!(checked.status, 200, "{}", checked.text);
    assert!(checked.contains("5 marks for 2 students"), "{}", checked.text);
    let saved = c.instructor.submit(&import, &c.page("/marks/import/commit"), &[("csv_text", good)]).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let after = qobe_store::assessment::marks::for_offering(t.app.store.conn(), inst, offering).await.unwrap();
    assert_eq!(after.len(), 5, "the blank cell changed nothing; the rest were saved");
    let history = c.instructor.get(&c.page("/marks/history")).await;
    assert!(history.contains("<td>4</td><td>5</td>") && history.contains("<td>import</td>"), "{}", history.text);

    // One mark per row works too.
    let long = "email,item,mark\ns3@csv.edu,Final F1,7.5\ns3@csv.edu,Quiz Q1,EX\n";
    let saved = c.instructor.submit(&import, &c.page("/marks/import/commit"), &[("csv_text", long)]).await;
    assert_eq!(saved.status, 303);
    let grid = c.instructor.get(&c.page("/marks")).await;
    assert!(grid.contains("value=\"7.5\"") && grid.contains("value=\"EX\""));

    // The grid as XLSX reads back through the import: an unchanged workbook changes nothing.
    let workbook = c.instructor.get(&c.page("/marks.xlsx")).await;
    assert_eq!(workbook.status, 200);
    assert!(workbook.bytes.starts_with(b"PK"));
    let reread = qobe_app::spreadsheet::xlsx_to_csv(&workbook.bytes, "file").unwrap();
    assert!(reread.starts_with("email,name,Quiz Q1,Quiz Q2,Final F1\n"), "{reread}");
    assert!(reread.contains("s3@csv.edu,Invited Person,EX,,7.5"), "{reread}");
    let edited = qobe_app::spreadsheet::workbook(&[qobe_app::spreadsheet::Sheet {
        name: "Marks".into(),
        title: String::new(),
        header: vec!["email".into(), "Final F1".into()],
        rows: vec![vec![
            qobe_app::spreadsheet::Cell::Text("s3@csv.edu".into()),
            qobe_app::spreadsheet::Cell::Number(9.0),
        ]],
    }])
    .unwrap();
    let checked = c.instructor.upload(&import, &import, "file", "marks.xlsx", &edited).await;
    assert_eq!(checked.status, 200, "{}", checked.text);
    assert!(checked.contains("1 marks for 1 students"), "{}", checked.text);

    // Students can't import or download.
    let mut student = t.sign_in("s1@csv.edu").await;
    assert_eq!(student.get(&c.page("/marks.csv")).await.status, 403);
    assert_eq!(student.get(&c.page("/marks.xlsx")).await.status, 403);
    assert_eq!(student.get(&import).await.status, 403);
}

#[tokio::test]
async fn rubrics_are_reusable_and_marks_can_be_typed_as_levels() {
    let t = TestApp::new().await;
    let mut c = class(&t, "rub").await;
    let items = c.plan(&t).await;
    let bad = c
        .instructor
        .submit(
            "/assessment/rubrics",
            "/assessment/rubrics",
            &[("name", "Design"), ("criteria", "Analysis: Good=x, Poor=0")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.contains("line 1: the points of &#34;Good&#34; must be a number"), "{}", bad.text);
    let made = c
        .instructor
        .submit(
            "/assessment/rubrics",
            "/assessment/rubrics",
            &[
                ("name", "Design"),
                ("criteria", "Analysis: Excellent=4 (justified), Good=3, Poor=0\nReport: Clear=2, Unclear=0"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.text);
    assert!(c.instructor.get("/assessment/rubrics").await.contains("justified"));
    let inst = c.institution(&t).await;
    let rubric = qobe_store::assessment::plans::rubrics(t.app.store.conn(), inst).await.unwrap()[0].id.to_string();
    let final_exam = c.assessment_ids(&t).await[1].to_string();
    let plan = c.page("/assessment");
    let wrong = c
        .instructor
        .submit(
            &plan,
            &c.page("/rubric"),
            &[("assessment", &final_exam), ("rubric", &rubric), ("clos", "CLO1 | CLO2 | CLO1")],
        )
        .await;
    assert_eq!(wrong.status, 303);
    assert!(c.instructor.get(&plan).await.contains("one per criterion (2 separated by |)"));
    c.instructor
        .submit(&plan, &c.page("/rubric"), &[("assessment", &final_exam), ("rubric", &rubric), ("clos", "CLO2")])
        .await;
    let all = c.item_ids(&t).await;
    assert_eq!(all.len(), items.len() + 2, "one item per criterion");
    let analysis = *all.last().unwrap() - 1;
    let saved = c.type_mark(c.students[0], analysis, "good").await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let marks =
        qobe_store::assessment::marks::for_offering(t.app.store.conn(), inst, qobe_domain::ids::OfferingId(c.offering))
            .await
            .unwrap();
    assert_eq!(marks.iter().find(|m| m.item_id == analysis).unwrap().score, Some(3.0), "Good is worth 3");
    assert_eq!(c.type_mark(c.students[0], analysis, "Brilliant").await.status, 422);

    // Rubrics belong to their institution; students don't write them.
    let mut other = class(&t, "rub2").await;
    other.plan(&t).await;
    let theirs = other.assessment_ids(&t).await[0].to_string();
    other
        .instructor
        .submit(
            &other.page("/assessment"),
            &other.page("/rubric"),
            &[("assessment", &theirs), ("rubric", &rubric), ("clos", "CLO1")],
        )
        .await;
    assert!(other.instructor.get(&other.page("/assessment")).await.contains("choose a rubric of this institution"));
    let mut student = t.sign_in("s1@rub.edu").await;
    assert_eq!(student.get("/assessment/rubrics").await.status, 403);
}
