//! The CQI loop: a finding raised from a shortfall, actions with owners and due terms,
//! evidence, effectiveness in a later offering, carry-forward, dashboards, reminders by email;
//! roles and other institutions.

use crate::assessment::class;
use crate::support::TestApp;

#[tokio::test]
async fn a_shortfall_becomes_a_finding_with_actions_evidence_and_follow_up() {
    let t = TestApp::new().await;
    let mut c = class(&t, "cq").await;
    let items = c.plan(&t).await;
    c.enter_worked_marks(&items).await;
    // CLO2 is at 50 % against a 60 % target; CLO1 met.
    let attainment = c.page("/attainment");
    let met = c
        .instructor
        .submit(&attainment, &format!("/cqi/offerings/{}/clos/{}/finding", c.offering, c.clos[0]), &[])
        .await;
    assert_eq!(met.status, 303);
    assert!(c.instructor.get(&attainment).await.contains("is not below its target"));
    let raised = c
        .instructor
        .submit(&attainment, &format!("/cqi/offerings/{}/clos/{}/finding", c.offering, c.clos[1]), &[])
        .await;
    let finding = raised.location().unwrap().to_owned();
    assert!(finding.starts_with("/cqi/findings/"), "{finding}");
    let page = c.instructor.get(&finding).await;
    assert!(
        page.contains("CLO2 of EE-201 below target") && page.contains("attainment 50.0% against a target of 60.0%"),
        "{}",
        page.text
    );

    // Actions: a bad owner and term are named; the instructor owns one due in this term.
    let bad = c
        .instructor
        .submit(
            &finding,
            &format!("{finding}/actions"),
            &[("description", "Extra tutorials"), ("owner", "nobody@cq.edu"), ("due_term", "ZZZ")],
        )
        .await;
    assert_eq!(bad.status, 303);
    let shown = c.instructor.get(&finding).await;
    assert!(
        shown.contains("is not the email of someone in this institution") && shown.contains("is not a term code"),
        "{}",
        shown.text
    );
    c.instructor
        .submit(
            &finding,
            &format!("{finding}/actions"),
            &[("description", "Extra tutorials on filters"), ("owner", "ins@cq.edu"), ("due_term", "NOW")],
        )
        .await;
    let inst = c.institution(&t).await;
    let action = qobe_store::cqi::actions(t.app.store.conn(), inst, None).await.unwrap()[0].id;

    let attached = c
        .instructor
        .upload(&finding, &format!("/cqi/actions/{action}/evidence"), "file", "tutorial-plan.txt", b"Week 9: filters")
        .await;
    assert_eq!(attached.status, 303, "{}", attached.text);
    let evidence = qobe_store::cqi::evidence_list(t.app.store.conn(), inst, &[action]).await.unwrap()[0].0;
    let file = c.instructor.get(&format!("/cqi/evidence/{evidence}")).await;
    assert_eq!(file.bytes, b"Week 9: filters");

    let early = c
        .instructor
        .submit(
            &finding,
            &format!("/cqi/actions/{action}/effectiveness"),
            &[("effectiveness", "effective"), ("finding", &finding[14..])],
        )
        .await;
    assert_eq!(early.status, 303);
    assert!(c.instructor.get(&finding).await.contains("Mark the action done before judging"));
    c.instructor.submit(&finding, &format!("/cqi/actions/{action}/status"), &[("status", "done")]).await;
    c.instructor
        .submit(
            &finding,
            &format!("/cqi/actions/{action}/effectiveness"),
            &[("effectiveness", "partly"), ("note", "CLO2 rose to 55 %"), ("finding", &finding[14..])],
        )
        .await;
    assert!(c.instructor.get(&finding).await.contains("CLO2 rose to 55 %"));

    // The QA officer's dashboard counts open and overdue actions per program and person.
    let mut qa = t.invite(&mut c.admin, "qa@cq.edu", "qa_officer").await;
    let dashboard = qa.get("/cqi").await;
    assert!(dashboard.contains("CLO2 of EE-201 below target"), "{}", dashboard.text);
    qa.submit(&finding, &format!("{finding}/close"), &[]).await;
    assert!(qa.get(&finding).await.contains("id=\"finding-status\">closed"));

    // Students and other institutions see nothing.
    let mut student = t.sign_in("s1@cq.edu").await;
    assert_eq!(student.get(&finding).await.status, 403);
    let mut other = class(&t, "cq2").await;
    assert_eq!(other.admin.get(&finding).await.status, 404);
    assert_eq!(other.admin.get(&format!("/cqi/evidence/{evidence}")).await.status, 404);
}

#[tokio::test]
async fn late_actions_are_overdue_carried_forward_and_owners_reminded() {
    let t = TestApp::new().await;
    let mut c = class(&t, "late").await;
    crate::academics::term(&mut c.admin, "PAST", -200).await;
    crate::academics::term(&mut c.admin, "NEXT", 150).await;
    let mut qa = t.invite(&mut c.admin, "qa@late.edu", "qa_officer").await;
    let raised = qa
        .submit(
            "/cqi",
            "/cqi/findings",
            &[
                ("title", "Lab reports weak"),
                ("description", "Across EE labs"),
                ("criticality", "high"),
                ("program", ""),
            ],
        )
        .await;
    assert_eq!(raised.status, 303, "{}", raised.text);
    let finding = raised.location().unwrap().to_owned();
    qa.submit(
        &finding,
        &format!("{finding}/actions"),
        &[("description", "Rubric for lab reports"), ("owner", "ins@late.edu"), ("due_term", "PAST")],
    )
    .await;
    qa.submit(
        &finding,
        &format!("{finding}/actions"),
        &[("description", "Workshop"), ("owner", "qa@late.edu"), ("due_term", "NEXT")],
    )
    .await;
    let dashboard = qa.get("/cqi").await;
    assert!(dashboard.contains("1 overdue"), "{}", dashboard.text);
    // The dashboard's tables download: each owner (by account: both are "Invited Person") has one
    // open action; the instructor's, due last term, is overdue.
    let by_person = qa.get("/cqi?format=csv&table=2").await.text;
    assert_eq!(
        by_person,
        "Owner,Open actions,Overdue\nInvited Person (ins@late.edu),1,1\nInvited Person (qa@late.edu),1,0\n"
    );
    let book = qa.get("/cqi?format=xlsx").await;
    let sheets = qobe_app::spreadsheet::xlsx_sheets(&book.bytes, "file").unwrap();
    assert_eq!(
        sheets.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        ["Findings", "By program", "By person", "My actions"]
    );
    let pdf = qa.get("/cqi?format=pdf").await;
    assert!(pdf.bytes.starts_with(b"%PDF-"));

    // The weekly chore reminds the owner of the overdue action without anyone clicking, once a week
    // however often the scheduler ticks.
    let reminders = |emails: Vec<String>| -> Vec<String> {
        emails.into_iter().filter(|m| m.contains("Subject: Improvement action")).collect()
    };
    assert_eq!(reminders(t.emails().await).len(), 0);
    qobe_app::jobs::tick(&t.app).await.unwrap();
    qobe_app::jobs::tick(&t.app).await.unwrap();
    let weekly = reminders(t.emails().await);
    assert_eq!(weekly.len(), 1, "{weekly:?}");
    assert!(
        weekly[0].contains("To: \"Invited Person\" <ins@late.edu>") || weekly[0].contains("To: ins@late.edu"),
        "{}",
        weekly[0]
    );
    assert!(weekly[0].contains("Rubric for lab reports"), "{}", weekly[0]);

    let sent = qa.submit("/cqi", "/cqi/reminders", &[]).await;
    assert_eq!(sent.status, 303);
    assert!(qa.get("/cqi").await.contains("1 reminders sent."));
    let email = t.last_email_to("ins@late.edu").await;
    assert!(email.contains("Improvement action is overdue") && email.contains("Rubric for lab reports"), "{email}");

    let inst = c.institution(&t).await;
    let late = qobe_store::cqi::actions(t.app.store.conn(), inst, None).await.unwrap()[0].id;
    let id = &finding[14..];
    // The owner can't carry it forward; the QA officer can, to the next term after PAST.
    assert_eq!(
        c.instructor.submit(&finding, &format!("/cqi/actions/{late}/carry"), &[("finding", id)]).await.status,
        403
    );
    qa.submit(&finding, &format!("/cqi/actions/{late}/carry"), &[("finding", id)]).await;
    assert!(qa.get(&finding).await.contains("Carried forward to Term NOW."));
    let again = qa.submit(&finding, &format!("/cqi/actions/{late}/carry"), &[("finding", id)]).await;
    assert_eq!(again.status, 303);
    assert!(qa.get(&finding).await.contains("Only an open action whose term has ended"));
    let bad =
        qa.submit("/cqi", "/cqi/findings", &[("title", ""), ("description", "x"), ("criticality", "urgent")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.contains("must be one of: low, medium, high"));
    assert_eq!(c.instructor.submit("/cqi", "/cqi/reminders", &[]).await.status, 403);
}
