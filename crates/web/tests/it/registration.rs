//! Course registration: prerequisites with minimum grades, capacity and waitlist, credit
//! limits, clashes, holds, approval, windows and withdrawal, and the race for the last seat.

use chrono::{Duration, Utc};

use crate::support::{Client, TestApp, html};

fn at(days: i64) -> String {
    (Utc::now() + Duration::days(days)).format("%Y-%m-%dT%H:%M").to_string()
}

/// A term whose registration opened `open_days_ago` days ago; windows follow in order.
async fn term(admin: &mut Client, code: &str, open_days_ago: i64, max_credits: &str) {
    let o = -open_days_ago;
    let response = admin
        .submit(
            "/academics/terms",
            "/academics/terms",
            &[
                ("code", code),
                ("name", &format!("Term {code}")),
                ("registration_opens_at", &at(o)),
                ("registration_closes_at", &at(o + 10)),
                ("starts_at", &at(o + 12)),
                ("add_drop_closes_at", &at(o + 20)),
                ("withdrawal_closes_at", &at(o + 60)),
                ("ends_at", &at(o + 100)),
                ("marks_entry_closes_at", &at(o + 110)),
                ("results_published_at", &at(o + 120)),
                ("min_credits", "0"),
                ("max_credits", max_credits),
            ],
        )
        .await;
    assert_eq!(response.status, 303, "{}", response.text);
}

struct Campus {
    admin: Client,
    department: String,
}

async fn campus(t: &TestApp, slug: &str) -> Campus {
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, slug, "").await;
    admin.submit("/admin/structure", "/admin/departments", &[("code", "EE"), ("name", "Electrical")]).await;
    let institution = qobe_store::tenancy::by_slug(t.app.store.conn(), slug).await.unwrap().unwrap();
    let department =
        qobe_store::structure::departments(t.app.store.conn(), qobe_domain::ids::InstitutionId(institution.id))
            .await
            .unwrap()[0]
            .id
            .to_string();
    Campus { admin, department }
}

impl Campus {
    async fn course(&mut self, code: &str, theory: &str) {
        let r = self
            .admin
            .submit(
                "/academics/courses",
                "/academics/courses",
                &[
                    ("department_id", &self.department),
                    ("code", code),
                    ("title", &format!("Course {code}")),
                    ("credits_theory", theory),
                    ("credits_lab", "0"),
                    ("category", "core"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.text);
    }

    /// Offers `course` in `term` and returns the offering id.
    async fn offer(&mut self, course: &str, term: &str, capacity: &str, schedule: &str, approval: bool) -> i64 {
        let mut fields =
            vec![("course", course), ("term", term), ("section", "A"), ("capacity", capacity), ("schedule", schedule)];
        if approval {
            fields.push(("requires_approval", "on"));
        }
        let r = self.admin.submit("/academics/offerings", "/academics/offerings", &fields).await;
        assert_eq!(r.status, 303, "{}", r.text);
        r.location().unwrap().rsplit('/').next().unwrap().parse().unwrap()
    }
}

async fn register(student: &mut Client, offering: i64) -> String {
    let r = student.submit("/registration", &format!("/registration/{offering}/request"), &[("term", "0")]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    notice(student).await
}

async fn notice(client: &mut Client) -> String {
    let page = client.get("/registration").await;
    let shown = [html::texts_of_class(&page.text, "notice"), html::texts_of_class(&page.text, "alert")].concat();
    shown.into_iter().next().unwrap_or_default()
}

/// The student's status for `offering` on the registration page of its term (`query`).
async fn status_of(client: &mut Client, query: &str, offering: i64) -> String {
    let page = client.get(&format!("/registration{query}")).await;
    let row = html::inner(&page.text, &format!("offering-{offering}")).unwrap_or_default();
    html::texts_of_class(&row, "status").into_iter().next().unwrap_or_default()
}

#[tokio::test]
async fn prerequisites_need_the_minimum_grade_and_the_reason_is_shown() {
    let t = TestApp::new().await;
    let mut c = campus(&t, "pre").await;
    term(&mut c.admin, "PAST", 200, "21").await;
    term(&mut c.admin, "NOW", 2, "21").await;
    c.course("EE-101", "3").await;
    c.course("EE-201", "3").await;
    c.admin
        .submit(
            "/academics/courses",
            "/academics/courses/2/prerequisites",
            &[("required_course", "EE-101"), ("min_grade", "C")],
        )
        .await;
    let past = c.offer("EE-101", "PAST", "30", "", false).await;
    let now = c.offer("EE-201", "NOW", "30", "Tue 09:00-10:30", false).await;
    let mut student = t.invite(&mut c.admin, "sana@pre.edu", "student").await;

    let refused = register(&mut student, now).await;
    assert!(refused.contains("Prerequisite not met: EE-101 passed with at least C."), "{refused}");
    let offering_page = format!("/academics/offerings/{past}");
    let nobody = c
        .admin
        .submit(
            &offering_page,
            &format!("/registration/offerings/{past}/results"),
            &[("email", "ghost@pre.edu"), ("grade", "A")],
        )
        .await;
    assert_eq!(nobody.status, 303);
    let shown = c.admin.get(&offering_page).await;
    assert!(shown.contains("Nobody with that email has an account here."), "{}", shown.text);
    c.admin
        .submit(
            &offering_page,
            &format!("/registration/offerings/{past}/results"),
            &[("email", "sana@pre.edu"), ("grade", "D")],
        )
        .await;
    assert!(register(&mut student, now).await.contains("Prerequisite not met"), "a D is below the minimum C");
    c.admin
        .submit(
            &offering_page,
            &format!("/registration/offerings/{past}/results"),
            &[("email", "sana@pre.edu"), ("grade", "B+")],
        )
        .await;
    assert_eq!(register(&mut student, now).await, "You are registered.");
    assert_eq!(status_of(&mut student, "", now).await, "Enrolled");
    assert!(register(&mut student, now).await.contains("already have a registration"));
}

#[tokio::test]
async fn capacity_fills_then_the_waitlist_is_promoted_in_order() {
    let t = TestApp::new().await;
    let mut c = campus(&t, "cap").await;
    term(&mut c.admin, "NOW", 2, "21").await;
    c.course("EE-110", "3").await;
    let offering = c.offer("EE-110", "NOW", "1", "", false).await;
    let mut first = t.invite(&mut c.admin, "first@cap.edu", "student").await;
    let mut second = t.invite(&mut c.admin, "second@cap.edu", "student").await;
    let mut third = t.invite(&mut c.admin, "third@cap.edu", "student").await;
    assert_eq!(register(&mut first, offering).await, "You are registered.");
    assert!(register(&mut second, offering).await.contains("waitlist"));
    assert!(register(&mut third, offering).await.contains("waitlist"));

    let dropped = first.submit("/registration", &format!("/registration/{offering}/drop"), &[("term", "0")]).await;
    assert_eq!(dropped.status, 303);
    assert_eq!(notice(&mut first).await, "Dropped.");
    assert_eq!(status_of(&mut second, "", offering).await, "Enrolled", "the first on the waitlist gets the seat");
    assert!(status_of(&mut third, "", offering).await.starts_with("On the waitlist"));
    assert!(t.last_email_to("second@cap.edu").await.contains("A seat opened in EE-110"));
}

#[tokio::test]
async fn credit_limits_clashes_and_holds_are_refused_with_reasons() {
    let t = TestApp::new().await;
    let mut c = campus(&t, "lim").await;
    term(&mut c.admin, "NOW", 2, "6").await;
    for code in ["EE-120", "EE-121", "EE-122"] {
        c.course(code, "3").await;
    }
    let a = c.offer("EE-120", "NOW", "30", "Mon 09:00-10:30", false).await;
    let clash = c.offer("EE-121", "NOW", "30", "Mon 10:00-11:00", false).await;
    let later = c.offer("EE-122", "NOW", "30", "Fri 14:00-15:00", false).await;
    let mut student = t.invite(&mut c.admin, "lim@lim.edu", "student").await;
    assert_eq!(register(&mut student, a).await, "You are registered.");
    let clashed = register(&mut student, clash).await;
    assert!(clashed.contains("Timetable clash") && clashed.contains("EE-120 A meets Mon 09:00–10:30"), "{clashed}");
    assert_eq!(register(&mut student, later).await, "You are registered.");
    // 6 of 6 credit hours taken: a fourth course is over the limit.
    c.course("EE-123", "3").await;
    let more = c.offer("EE-123", "NOW", "30", "Sat 09:00-10:00", false).await;
    let over = register(&mut student, more).await;
    assert!(over.contains("This would bring you to 9 credit hours; the most allowed this term is 6."), "{over}");

    let id = t.user_id("lim", "lim@lim.edu").await;
    c.admin
        .submit(&format!("/admin/users/{id}"), &format!("/admin/users/{id}/holds"), &[("reason", "unpaid fees")])
        .await;
    let held = register(&mut student, more).await;
    assert!(held.contains("A hold on your record blocks registration: unpaid fees."), "{held}");

    // Releasing the hold lifts that reason; the credit limit still applies.
    let user_page = c.admin.get(&format!("/admin/users/{id}")).await;
    assert!(user_page.contains("unpaid fees") && user_page.contains("Release"), "the hold is listed");
    let institution = crate::academics::institution(&t, "lim").await;
    let hold = qobe_store::registration::active_holds(t.app.store.conn(), institution, qobe_domain::ids::UserId(id))
        .await
        .unwrap()[0]
        .id;
    let released =
        c.admin.submit(&format!("/admin/users/{id}"), &format!("/admin/users/{id}/holds/{hold}/release"), &[]).await;
    assert_eq!(released.status, 303);
    assert!(!c.admin.get(&format!("/admin/users/{id}")).await.contains("unpaid fees"));
    let after = register(&mut student, more).await;
    assert!(!after.contains("hold") && after.contains("the most allowed this term is 6"), "{after}");
    let again =
        c.admin.submit(&format!("/admin/users/{id}"), &format!("/admin/users/{id}/holds/{hold}/release"), &[]).await;
    assert_eq!(again.status, 404, "a released hold can't be released twice");
}

#[tokio::test]
async fn approval_windows_and_withdrawal() {
    let t = TestApp::new().await;
    let mut c = campus(&t, "win").await;
    term(&mut c.admin, "SOON", -5, "21").await;
    term(&mut c.admin, "NOW", 2, "21").await;
    term(&mut c.admin, "MID", 30, "21").await;
    c.course("EE-130", "3").await;
    c.course("EE-131", "3").await;
    let soon = c.offer("EE-130", "SOON", "30", "", false).await;
    let mid_other = c.offer("EE-131", "MID", "30", "", false).await;
    let gated = c.offer("EE-130", "NOW", "30", "", true).await;
    let mid = c.offer("EE-130", "MID", "30", "", false).await;
    let mut student = t.invite(&mut c.admin, "w@win.edu", "student").await;

    assert!(register(&mut student, soon).await.contains("has not opened yet"));
    assert!(register(&mut student, gated).await.contains("waiting for approval"));
    let queue = c.admin.get("/registration/requests").await;
    let waiting = html::rows(&queue.text, "requests");
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0][2], "EE-130 NOW A");
    assert!(
        html::inner(&queue.text, "requests").unwrap().contains("title=\"w@win.edu\""),
        "the student, email on hover"
    );
    let enrollment =
        qobe_store::registration::pending(t.app.store.conn(), qobe_domain::ids::InstitutionId(1)).await.unwrap()[0].id;
    let decided = c
        .admin
        .submit("/registration/requests", &format!("/registration/requests/{enrollment}"), &[("decision", "approve")])
        .await;
    assert_eq!(decided.status, 303);
    assert_eq!(status_of(&mut student, "?term=2", gated).await, "Enrolled");

    // In the withdrawal window a registration made earlier can only be withdrawn, with a W.
    let user = t.user_id("win", "w@win.edu").await;
    let institution = qobe_domain::ids::InstitutionId(1);
    let term = qobe_store::academics::terms::by_code(t.app.store.conn(), institution, "MID").await.unwrap().unwrap();
    qobe_store::registration::upsert(
        t.app.store.conn(),
        institution,
        qobe_store::registration::NewEnrollment {
            offering: qobe_domain::ids::OfferingId(mid),
            user: qobe_domain::ids::UserId(user),
            term: qobe_domain::ids::TermId(term.id),
            course: 1,
            status: "enrolled",
            waitlist_position: None,
            credits: 3.0,
            grade: None,
            decided_by: None,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    assert!(register(&mut student, mid_other).await.contains("closed"), "new requests are refused after add/drop");
    student.submit("/registration", &format!("/registration/{mid}/drop"), &[("term", "0")]).await;
    assert!(notice(&mut student).await.contains("W will show on your transcript"));
    let row = qobe_store::registration::find(
        t.app.store.conn(),
        institution,
        qobe_domain::ids::OfferingId(mid),
        qobe_domain::ids::UserId(user),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!((row.status.as_str(), row.grade.as_deref()), ("withdrawn", Some("W")));
}

#[tokio::test]
async fn two_students_racing_for_the_last_seat_never_both_get_it() {
    let t = TestApp::new().await;
    let mut c = campus(&t, "race").await;
    term(&mut c.admin, "NOW", 2, "21").await;
    c.course("EE-140", "3").await;
    let offering = c.offer("EE-140", "NOW", "1", "", false).await;
    let mut racers = Vec::new();
    for i in 0..6 {
        racers.push(t.invite(&mut c.admin, &format!("r{i}@race.edu"), "student").await);
    }
    let second_instance = t.second_instance().await;
    let mut tasks = Vec::new();
    for (i, mut racer) in racers.into_iter().enumerate() {
        let token = racer.get("/registration").await.csrf().unwrap();
        if i % 2 == 1 {
            racer.router = second_instance.clone();
        }
        tasks.push(tokio::spawn(async move {
            racer
                .post_raw(&format!("/registration/{offering}/request"), &[("term", "0"), ("csrf_token", &token)])
                .await
                .status
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 303);
    }
    let institution = qobe_domain::ids::InstitutionId(1);
    let id = qobe_domain::ids::OfferingId(offering);
    let conn = t.app.store.conn();
    assert_eq!(qobe_store::registration::count_with_status(conn, institution, id, "enrolled").await.unwrap(), 1);
    assert_eq!(qobe_store::registration::count_with_status(conn, institution, id, "waitlisted").await.unwrap(), 5);
    let mut positions: Vec<i64> = qobe_store::registration::for_offering(conn, institution, id)
        .await
        .unwrap()
        .iter()
        .filter_map(|e| e.waitlist_position)
        .collect();
    positions.sort_unstable();
    assert_eq!(positions, vec![1, 2, 3, 4, 5], "waitlist places are unique and in order");
}

#[tokio::test]
async fn registration_endpoints_do_not_reach_another_institution() {
    let t = TestApp::new().await;
    let mut a = campus(&t, "ra").await;
    term(&mut a.admin, "NOW", 2, "21").await;
    let mut student_a = t.invite(&mut a.admin, "s@ra.edu", "student").await;

    // Institution B (created by the same operator) with an offering and a pending request.
    let mut operator = t.client();
    operator
        .submit("/login", "/login", &[("email", "operator@qobe.test"), ("password", crate::support::PASSWORD)])
        .await;
    let mut admin_b = t.institution(&mut operator, "rb", "").await;
    admin_b.submit("/admin/structure", "/admin/departments", &[("code", "EE"), ("name", "E")]).await;
    let inst_b = qobe_domain::ids::InstitutionId(
        qobe_store::tenancy::by_slug(t.app.store.conn(), "rb").await.unwrap().unwrap().id,
    );
    let dept_b = qobe_store::structure::departments(t.app.store.conn(), inst_b).await.unwrap()[0].id.to_string();
    let mut b = Campus { admin: admin_b, department: dept_b };
    term(&mut b.admin, "NOW", 2, "21").await;
    b.course("EE-150", "3").await;
    let offering_b = b.offer("EE-150", "NOW", "10", "", true).await;
    let mut student_b = t.invite(&mut b.admin, "s@rb.edu", "student").await;
    register(&mut student_b, offering_b).await;
    let pending_b = qobe_store::registration::pending(t.app.store.conn(), inst_b).await.unwrap()[0].id;
    let bob = t.user_id("rb", "s@rb.edu").await;

    let r = student_a.submit("/registration", &format!("/registration/{offering_b}/request"), &[("term", "0")]).await;
    assert_eq!(r.status, 404);
    assert_eq!(
        student_a.submit("/registration", &format!("/registration/{offering_b}/drop"), &[("term", "0")]).await.status,
        404
    );
    assert_eq!(
        a.admin
            .submit(
                "/registration/requests",
                &format!("/registration/requests/{pending_b}"),
                &[("decision", "approve")]
            )
            .await
            .status,
        404
    );
    assert_eq!(
        a.admin.submit("/admin/users", &format!("/admin/users/{bob}/holds"), &[("reason", "x")]).await.status,
        404
    );
    let b_hold = qobe_store::registration::add_hold(
        t.app.store.conn(),
        crate::academics::institution(&t, "rb").await,
        qobe_domain::ids::UserId(bob),
        "library fine",
        None,
        Utc::now(),
    )
    .await
    .unwrap()
    .id;
    assert_eq!(
        a.admin.submit("/admin/users", &format!("/admin/users/{bob}/holds/{b_hold}/release"), &[]).await.status,
        404
    );
    assert_eq!(
        a.admin
            .submit(
                "/admin/users",
                &format!("/registration/offerings/{offering_b}/results"),
                &[("email", "s@ra.edu"), ("grade", "A")]
            )
            .await
            .status,
        404
    );
    assert_eq!(student_a.get(&format!("/registration?term={}", 99_999)).await.status, 404);
    let queue_a = a.admin.get("/registration/requests").await;
    assert_eq!(html::rows(&queue_a.text, "requests"), [["Nothing is waiting."]], "B's request is not in A's queue");
    assert_eq!(status_of(&mut student_b, "", offering_b).await, "Waiting for approval", "B's request is untouched");
}

#[tokio::test]
async fn admins_enrol_in_bulk_all_or_nothing_within_capacity() {
    let t = TestApp::new().await;
    let mut c = campus(&t, "bulk").await;
    term(&mut c.admin, "NOW", 2, "21").await;
    c.course("EE-160", "3").await;
    c.course("EE-161", "3").await;
    c.offer("EE-160", "NOW", "2", "", false).await;
    let ee161 = c.offer("EE-161", "NOW", "10", "", false).await;
    for i in 0..3 {
        t.invite(&mut c.admin, &format!("b{i}@bulk.edu"), "student").await;
    }
    let page = "/registration/bulk";
    let broken = "email,course_code,term_code,section\nb0@bulk.edu,EE-160,NOW,A\nb1@bulk.edu,ee-160,now,a\nb2@bulk.edu,EE-160,NOW,A\nghost@bulk.edu,EE-161,NOW,A\nb0@bulk.edu,EE-161,NOW,B\nb0@bulk.edu,EE-160,NOW,A\n";
    let preview = c.admin.upload(page, page, "file", "e.csv", broken.as_bytes()).await;
    assert_eq!(preview.status, 422);
    for expected in [
        "EE-160 A is full (capacity 2)",
        "nobody with ghost@bulk.edu",
        "EE-161 has no section B in NOW",
        "appear more than once",
    ] {
        assert!(preview.contains(expected), "missing {expected:?}");
    }
    assert_eq!(c.admin.submit(page, "/registration/bulk/commit", &[("csv_text", broken)]).await.status, 422);
    let conn = t.app.store.conn();
    let inst = qobe_domain::ids::InstitutionId(1);
    let offerings = qobe_store::academics::offerings::list(conn, inst, None).await.unwrap();
    assert_eq!(
        qobe_store::registration::count_with_status(
            conn,
            inst,
            qobe_domain::ids::OfferingId(offerings[0].id),
            "enrolled"
        )
        .await
        .unwrap(),
        0,
        "nothing was written"
    );

    let good = "email,course_code,term_code,section\nb0@bulk.edu,EE-160,NOW,A\nb1@bulk.edu,EE-160,NOW,A\nb2@bulk.edu,EE-161,NOW,A\n";
    assert_eq!(c.admin.upload(page, page, "file", "e.csv", good.as_bytes()).await.status, 200);
    let done = c.admin.submit(page, "/registration/bulk/commit", &[("csv_text", good)]).await;
    assert_eq!(done.status, 303);
    assert!(c.admin.get(page).await.contains("3 student registrations made."));
    let mut student = t.client();
    student.submit("/login", "/login", &[("email", "b2@bulk.edu"), ("password", crate::support::PASSWORD)]).await;
    assert_eq!(status_of(&mut student, "", ee161).await, "Enrolled");
    let mut again = t.client();
    again.submit("/login", "/login", &[("email", "b0@bulk.edu"), ("password", crate::support::PASSWORD)]).await;
    assert_eq!(t.client().get(page).await.status, 303, "anonymous visitors are sent to sign in");
    assert_eq!(again.get(page).await.status, 403, "students cannot enrol others");
}

/// The request queue's Approve and Reject are two buttons of one form: with the page's script
/// running (it disables buttons while a form is sent), the clicked one's decision must arrive.
#[tokio::test]
async fn requests_are_approved_and_rejected_by_clicking_in_a_real_browser() {
    let Some(browser) = crate::browser::launch().await else { return };
    let t = TestApp::new().await;
    let mut c = campus(&t, "gate").await;
    term(&mut c.admin, "NOW", 2, "21").await;
    c.course("EE-140", "3").await;
    let gated = c.offer("EE-140", "NOW", "30", "", true).await;
    for email in ["yes@gate.edu", "no@gate.edu"] {
        let mut student = t.invite(&mut c.admin, email, "student").await;
        assert!(register(&mut student, gated).await.contains("waiting for approval"));
    }
    let institution = qobe_domain::ids::InstitutionId(
        qobe_store::tenancy::by_slug(t.app.store.conn(), "gate").await.unwrap().unwrap().id,
    );
    let request_of = |email: &'static str| {
        let conn = t.app.store.conn();
        async move {
            let user = qobe_store::accounts::by_email(conn, Some(institution), email).await.unwrap().unwrap().id;
            let rows = qobe_store::registration::pending(conn, institution).await.unwrap();
            rows.into_iter().find(|r| r.user_id == user).unwrap().id
        }
    };
    let (yes, no) = (request_of("yes@gate.edu").await, request_of("no@gate.edu").await);

    let base = crate::browser::serve(&t).await;
    crate::browser::sign_in(&browser, &base, "admin@gate.edu", crate::support::PASSWORD).await;
    browser.goto(&format!("{base}/registration/requests")).await.unwrap();
    browser
        .click_and_wait_navigation(&format!("form[action='/registration/requests/{yes}'] button[value=approve]"))
        .await
        .unwrap();
    assert_eq!(browser.text(".notice").await.unwrap().trim(), "Decided: Enrolled.");
    browser
        .click_and_wait_navigation(&format!("form[action='/registration/requests/{no}'] button[value=reject]"))
        .await
        .unwrap();
    assert_eq!(browser.text(".notice").await.unwrap().trim(), "Decided: Not approved.");
    assert_eq!(browser.text("#requests tbody").await.unwrap().trim(), "Nothing is waiting.");

    let status = |id: i64| {
        let conn = t.app.store.conn();
        async move { qobe_store::registration::get(conn, institution, id).await.unwrap().unwrap().status }
    };
    assert_eq!(status(yes).await, "enrolled");
    assert_eq!(status(no).await, "rejected");
}
