//! Assignments as a class uses them: the instructor makes the quiz of the plan an assignment
//! with a late penalty and a cut-off; students hand in text and files (every version kept,
//! replaced only before the due time, late after it, refused after the cut-off), one with an
//! extension; the instructor grades one student at a time — anonymously until the marks are
//! released — and the marks, less the penalty, are in the marks grid with their history and in
//! CLO attainment; students see only their own work, and another institution nothing.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, Statement};

use crate::assessment::{Class, class};
use crate::support::{Client, TestApp, html};

fn local(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

/// The quiz (Q1 /10 → CLO1, Q2 /20 → CLO1 and CLO2) made an assignment due in two days, 10 %
/// off per day late, nothing taken after four days, PDFs or text, graded anonymously.
pub(crate) async fn quiz_assignment(t: &TestApp, c: &mut Class) -> (i64, Vec<i64>) {
    let items = c.plan(t).await;
    let quiz = c.assessment_ids(t).await[0].to_string();
    let list = format!("/assignments/offerings/{}", c.offering);
    let now = t.app.now();
    let (due, cutoff) = (local(now + Duration::days(2)), local(now + Duration::days(4)));
    let mut fields = vec![
        ("assessment", quiz.as_str()),
        ("title", "Problem set 1"),
        ("instructions", "Solve **all** problems."),
        ("accepts_text", "on"),
        ("accepts_files", "on"),
        ("file_types", "pdf"),
        ("due_at", due.as_str()),
        ("cutoff_at", cutoff.as_str()),
        ("late_percent", "10"),
        ("late_unit", "day"),
        ("anonymous", "on"),
    ];
    let refused = c.instructor.submit(&list, &list, &[("title", "No assessment"), ("due_at", due.as_str())]).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert!(refused.contains("id=\"e-assessment\"") && refused.contains("No assessment"), "{}", refused.text);
    let draft = c.instructor.submit(&list, &list, &fields).await;
    assert_eq!(draft.status, 303, "{}", draft.text);
    let id: i64 = draft.location().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    // A draft is not found by students; published, it is listed with its due time.
    let mut s1 = t.sign_in(&format!("s1@{}.edu", c.slug)).await;
    assert_eq!(s1.get(&format!("/assignments/{id}")).await.status, 404);
    fields.push(("published", "on"));
    let settings = format!("/assignments/{id}/edit");
    let published = c.instructor.submit(&settings, &settings, &fields[1..]).await;
    assert_eq!(published.status, 303, "{}", published.text);
    let shown = s1.get(&list).await;
    assert!(shown.contains("Problem set 1") && shown.contains("Not handed in"), "{}", shown.text);
    (id, items)
}

pub(crate) async fn hand_in(
    client: &mut Client,
    id: i64,
    body: &str,
    file: Option<(&str, &[u8])>,
) -> crate::support::Response {
    let page = format!("/assignments/{id}");
    let action = format!("/assignments/{id}/submissions");
    let files: Vec<(&str, &str, &[u8])> = file.map(|(name, bytes)| ("files", name, bytes)).into_iter().collect();
    client.upload_parts(&page, &action, &[("body", body)], &files).await
}

async fn count(t: &TestApp, sql: &str) -> i64 {
    let conn = t.app.store.conn();
    let row =
        conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql.to_owned())).await.unwrap().unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

pub(crate) const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

#[tokio::test]
async fn hand_ins_are_kept_by_version_late_work_is_penalised_and_closed_at_the_cutoff() {
    let t = TestApp::new().await;
    let mut c = class(&t, "asg").await;
    let (id, _) = quiz_assignment(&t, &mut c).await;
    let page = format!("/assignments/{id}");
    let mut s1 = t.sign_in("s1@asg.edu").await;
    let mut s2 = t.sign_in("s2@asg.edu").await;
    let mut s3 = t.sign_in("s3@asg.edu").await;

    // It waits on the student's home until handed in.
    let home = s1.get("/").await;
    assert!(html::text(&home.text, "due-home").unwrap_or_default().contains("Problem set 1"), "{}", home.text);
    // Only the allowed type; nothing is kept from a refused hand-in.
    let files_before = count(&t, "SELECT COUNT(*) AS n FROM files").await;
    let refused = hand_in(&mut s1, id, "my answer", Some(("virus.exe", b"MZ...."))).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert!(refused.contains("only pdf files are taken") && refused.contains("my answer"), "{}", refused.text);
    assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM files").await, files_before);

    // s1 hands in twice before the due time: both versions kept, the file with the first.
    assert_eq!(hand_in(&mut s1, id, "Draft answer", Some(("working.pdf", PDF))).await.status, 303);
    assert_eq!(hand_in(&mut s1, id, "Final answer", None).await.status, 303);
    assert!(html::text(&s1.get("/").await.text, "due-home").is_none(), "handed in: no longer to do");
    let mine = s1.get(&page).await;
    let versions = html::text(&mine.text, "versions").unwrap();
    assert!(
        versions.contains("Version 2") && versions.contains("Version 1") && versions.contains("working.pdf"),
        "{versions}"
    );
    assert!(versions.find("Version 2") < versions.find("Version 1"), "newest first");
    let file_link =
        mine.text.split("href=\"/assignments/submissions/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let file_path = format!("/assignments/submissions/{file_link}");
    let got = s1.get(&file_path).await;
    assert_eq!((got.status, got.bytes.starts_with(b"%PDF")), (200, true));
    // Nobody else's: a classmate gets not found, the instructor the file.
    assert_eq!(s2.get(&file_path).await.status, 404);
    assert_eq!(c.instructor.get(&file_path).await.status, 200);
    assert!(!s2.get(&page).await.contains("Final answer"), "a student sees only their own work");

    // s3 gets an extension of three days.
    let s3_id = c.students[2].to_string();
    let extended = local(t.app.now() + Duration::days(5));
    let granted = c
        .instructor
        .submit(
            &page,
            &format!("/assignments/{id}/extensions"),
            &[("student", &s3_id), ("due_at", &extended), ("reason", "Ill")],
        )
        .await;
    assert_eq!(granted.status, 303, "{}", granted.text);
    assert!(s3.get(&page).await.contains("Your extension"));

    // Three days on (signed in again: sessions end when idle): after the due time, before the
    // cut-off.
    t.clock.advance(Duration::days(3));
    let (mut s1, mut s2, mut s3) =
        (t.sign_in("s1@asg.edu").await, t.sign_in("s2@asg.edu").await, t.sign_in("s3@asg.edu").await);
    let late_replacement = hand_in(&mut s1, id, "Even more final", None).await;
    assert_eq!(late_replacement.status, 409, "no replacing after the due time: {}", late_replacement.text);
    let late = hand_in(&mut s2, id, "Sorry, late", None).await;
    assert_eq!(late.status, 303, "{}", late.text);
    assert!(s2.get(&page).await.contains("Late"));
    let on_time = hand_in(&mut s3, id, "In my extended time", None).await;
    assert_eq!(on_time.status, 303);
    assert!(html::text(&s3.get(&page).await.text, "versions").unwrap().contains("On time"));

    // Past the cut-off (four days), nothing more is taken — but s3's moved with the extension.
    t.clock.advance(Duration::days(2));
    let (mut s1, mut s2) = (t.sign_in("s1@asg.edu").await, t.sign_in("s2@asg.edu").await);
    c.instructor = t.sign_in("ins@asg.edu").await;
    let closed = s2.get(&page).await;
    assert!(closed.contains("The cut-off has passed") && !closed.contains(">Hand in</button>"), "{}", closed.text);
    let tried = hand_in(&mut s2, id, "Too late", None).await;
    assert_eq!(tried.status, 409, "{}", tried.text);

    // The staff overview shows everyone's standing; a student may not open it or grant anything.
    let overview = c.instructor.get(&page).await;
    let standing = html::text(&overview.text, "standing").unwrap();
    assert!(standing.contains("Student 1") && !standing.contains("Invited Person"), "names hidden: {standing}");
    assert!(overview.contains("3 of 3 handed in"), "{}", overview.text);
    let token = s1.get(&page).await.csrf().unwrap();
    let tried = s1
        .post_raw(
            &format!("/assignments/{id}/extensions"),
            &[("student", &s3_id), ("due_at", &extended), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(tried.status, 403);
    assert_eq!(s1.get(&format!("/assignments/{id}/grade")).await.status, 403);
    assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'assignment.extended'").await, 1);
}

#[tokio::test]
async fn grading_one_student_at_a_time_puts_marks_less_the_penalty_in_the_grid_and_attainment() {
    let t = TestApp::new().await;
    let mut c = class(&t, "grd").await;
    let (id, items) = quiz_assignment(&t, &mut c).await;
    let mut s1 = t.sign_in("s1@grd.edu").await;
    assert_eq!(hand_in(&mut s1, id, "On time", None).await.status, 303);
    t.clock.advance(Duration::days(2) + Duration::hours(1));
    let mut s2 = t.sign_in("s2@grd.edu").await;
    c.instructor = t.sign_in("ins@grd.edu").await;
    assert_eq!(hand_in(&mut s2, id, "Late by a day", None).await.status, 303);

    // The grading view: anonymous, in the assignment's own order, keys in the addresses.
    let first = c.instructor.get(&format!("/assignments/{id}/grade")).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert!(html::h1(&first.text).unwrap().starts_with("Student 1"), "{}", first.text);
    for student in ["s1@grd.edu", "s2@grd.edu", "s3@grd.edu"] {
        assert!(!first.contains(student), "no address while grading anonymously: {student}");
    }
    let work = html::text(&first.text, "work").unwrap() + &html::h1(&first.text).unwrap();
    assert!(!work.contains("Invited Person"), "no name while grading anonymously: {work}");
    // Walk the three students by their keys to find each one's work.
    let mut keys = Vec::new();
    let mut at = first;
    loop {
        let key = at
            .text
            .split(&format!("action=\"/assignments/{id}/grade/"))
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        keys.push((key, at.text.clone()));
        let Some(next) =
            at.text.split("id=\"next\" href=\"").nth(1).map(|s| s.split('"').next().unwrap().replace("&amp;", "&"))
        else {
            break;
        };
        at = c.instructor.get(&next).await;
    }
    assert_eq!(keys.len(), 3);
    let key_of = |words: &str| keys.iter().find(|(_, text)| text.contains(words)).map(|(k, _)| k.clone()).unwrap();
    let (on_time, late) = (key_of("On time"), key_of("Late by a day"));
    let late_page = &keys.iter().find(|(k, _)| *k == late).unwrap().1;
    assert!(late_page.contains("10% is taken off"), "the penalty is shown");

    // A mark out of range is refused beside its field, with what was typed kept.
    let (q1, q2) = (items[0].to_string(), items[1].to_string());
    let save = |key: &str| format!("/assignments/{id}/grade/{key}");
    let grading_page = format!("/assignments/{id}/grade?student={on_time}");
    let bad = c
        .instructor
        .submit(
            &grading_page,
            &save(&on_time),
            &[(&format!("item-{q1}"), "12"), (&format!("item-{q2}"), "15"), ("feedback", "Good"), ("then", "stay")],
        )
        .await;
    assert_eq!(bad.status, 409, "{}", bad.text);
    assert!(
        bad.contains(&format!("id=\"e-item-{q1}\"")) && bad.contains("outside 0–10") && bad.contains("value=\"15\""),
        "{}",
        bad.text
    );
    let saved = c
        .instructor
        .submit(
            &grading_page,
            &save(&on_time),
            &[
                (&format!("item-{q1}"), "8"),
                (&format!("item-{q2}"), "15"),
                ("feedback", "Well argued."),
                ("then", "stay"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let late_grading = format!("/assignments/{id}/grade?student={late}");
    let saved = c
        .instructor
        .submit(
            &late_grading,
            &save(&late),
            &[
                (&format!("item-{q1}"), "10"),
                (&format!("item-{q2}"), "20"),
                ("feedback", "Late but right."),
                ("then", "stay"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text);

    // The grid has 8 and 15 for s1, and 9 and 18 for s2 (10 % off for one day late), each with
    // its history entry from the assignment.
    let token = c.instructor.api_token().await;
    let marks = c.instructor.api("GET", &format!("/api/v1/offerings/{}/marks", c.offering), &token, None).await.json();
    let mark = |student: i64, item: i64| -> String {
        marks["marks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["student_id"] == student && m["item_id"] == item)
            .map(|m| m["value"].as_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (s1_id, s2_id) = (c.students[0], c.students[1]);
    assert_eq!((mark(s1_id, items[0]), mark(s1_id, items[1])), ("8".into(), "15".into()));
    assert_eq!((mark(s2_id, items[0]), mark(s2_id, items[1])), ("9".into(), "18".into()));
    assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM mark_changes WHERE source = 'assignment'").await, 4);
    // CLO1 from Q1 and half of Q2: s1 (8 + 7.5) / 20 = 77.5 %, s2 (9 + 9) / 20 = 90 %.
    let attainment =
        c.instructor.api("GET", &format!("/api/v1/offerings/{}/attainment", c.offering), &token, None).await.json();
    let clo1 = attainment["clos"].as_array().unwrap().iter().find(|x| x["code"] == "CLO1").unwrap().clone();
    assert_eq!(clo1["students_with_evidence"], 2, "{attainment}");
    let mean = clo1["mean_score"].as_f64().unwrap();
    assert!((mean - 0.8375).abs() < 1e-9, "mean of 77.5 % and 90 %: {clo1}");

    // Regrading replaces the marks, with history.
    let regraded = c
        .instructor
        .submit(
            &grading_page,
            &save(&on_time),
            &[
                (&format!("item-{q1}"), "9"),
                (&format!("item-{q2}"), "15"),
                ("feedback", "Well argued."),
                ("then", "stay"),
            ],
        )
        .await;
    assert_eq!(regraded.status, 303);
    assert_eq!(count(&t, "SELECT COUNT(*) AS n FROM mark_changes WHERE source = 'assignment'").await, 5);

    // Nothing shows to students before release; then their own marks, penalty and feedback.
    let mine = s2.get(&format!("/assignments/{id}")).await;
    assert!(!mine.contains("Your marks") && !mine.contains("Late but right"), "{}", mine.text);
    let released = c.instructor.submit(&format!("/assignments/{id}"), &format!("/assignments/{id}/release"), &[]).await;
    assert_eq!(released.status, 303);
    let mine = s2.get(&format!("/assignments/{id}")).await;
    let result = html::text(&mine.text, "result").unwrap_or_else(|| panic!("{}", mine.text));
    assert!(result.contains("18") && result.contains("10%") && result.contains("Late but right"), "{result}");
    assert!(!result.contains("Well argued"), "not another's feedback");
    // Released, the graders see names.
    let named = c.instructor.get(&format!("/assignments/{id}/grade")).await;
    assert!(!html::h1(&named.text).unwrap().starts_with("Student "), "{}", named.text);
}

#[tokio::test]
async fn the_api_runs_assignments_under_the_same_rules_and_other_institutions_reach_nothing() {
    let t = TestApp::new().await;
    let mut c = class(&t, "aap").await;
    let (id, items) = quiz_assignment(&t, &mut c).await;
    let staff = c.instructor.api_token().await;
    let mut s1 = t.sign_in("s1@aap.edu").await;
    let learner = s1.api_token().await;
    let listed = s1.api("GET", &format!("/api/v1/offerings/{}/assignments", c.offering), &learner, None).await;
    assert_eq!(listed.json()["assignments"][0]["title"], "Problem set 1");
    let handed = s1
        .api(
            "POST",
            &format!("/api/v1/assignments/{id}/submissions"),
            &learner,
            Some(serde_json::json!({"body": "By API"})),
        )
        .await;
    assert_eq!(handed.status, 201, "{}", handed.text);
    assert_eq!(handed.json()["version"], 1);
    let mine = s1.api("GET", &format!("/api/v1/assignments/{id}/mine"), &learner, None).await.json();
    assert_eq!(mine["versions"][0]["body"], "By API");
    assert_eq!(mine["may_hand_in"], true);
    assert_eq!(s1.api("GET", &format!("/api/v1/assignments/{id}/students"), &learner, None).await.status, 403);
    let students = c.instructor.api("GET", &format!("/api/v1/assignments/{id}/students"), &staff, None).await.json();
    let lines = students["students"].as_array().unwrap();
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| l.get("student_id").is_none()), "no ids while anonymous: {students}");
    let key = lines.iter().find(|l| l["versions"] == 1).unwrap()["key"].as_str().unwrap().to_owned();
    let grade = serde_json::json!({"marks": [{"item": items[0], "value": "7"}, {"item": items[1], "value": "AB"}], "feedback": "ok"});
    let graded =
        c.instructor.api("PUT", &format!("/api/v1/assignments/{id}/grades/{key}"), &staff, Some(grade.clone())).await;
    assert_eq!(graded.status, 200, "{}", graded.text);
    assert_eq!(graded.json()["marks_changed"], 2);
    let refused = s1.api("PUT", &format!("/api/v1/assignments/{id}/grades/{key}"), &learner, Some(grade.clone())).await;
    assert_eq!(refused.status, 403);

    let mut other = class(&t, "aao").await;
    let foreign = other.admin.api_token().await;
    for (method, path, body) in [
        ("GET", format!("/api/v1/assignments/{id}/students"), None),
        ("GET", format!("/api/v1/assignments/{id}/mine"), None),
        ("PUT", format!("/api/v1/assignments/{id}/grades/{key}"), Some(grade.clone())),
        ("POST", format!("/api/v1/assignments/{id}/release"), None),
    ] {
        assert_eq!(other.admin.api(method, &path, &foreign, body).await.status, 404, "{path}");
    }
    assert_eq!(other.admin.get(&format!("/assignments/{id}")).await.status, 404);
}
