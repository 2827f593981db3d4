//! Each person's home page shows what needs them now, for each of their roles: an instructor's
//! classes of one term (with the term switcher), a coordinator's programs against their PLO
//! targets with the figures the program's own page gives, overdue improvement actions for those
//! who oversee them, and for admins the changes worth a look; and nothing that is not theirs.

use std::collections::BTreeSet;

use qobe_app::assessment::program::{ProgramFilter, of_program};
use qobe_app::jobs::Kind;
use qobe_domain::ids::{InstitutionId, OfferingId, ProgramId, UserId};
use qobe_domain::roles::Role;

use crate::academics::institution;
use crate::crawl::sign_in;
use crate::support::{TestApp, html};

/// The items of the list with `id`, as text.
fn items(page: &str, id: &str) -> Vec<String> {
    html::inner(page, id)
        .map(|list| list.split("<li").skip(1).map(|li| html::plain(&format!("<li{li}"))).collect())
        .unwrap_or_default()
}

fn email_of(demo: &qobe_app::demo::Summary, role: Role) -> String {
    demo.sign_ins.iter().find(|(r, _)| *r == role).map(|(_, e)| e.clone()).unwrap()
}

#[tokio::test]
async fn programs_show_against_their_targets_as_their_own_page_computes_them() {
    let t = TestApp::new().await;
    let demo = qobe_app::demo::generate(&t.app, qobe_app::demo::Size::S, |_| {}).await.unwrap();
    let inst = institution(&t, &demo.slug).await;
    let mut head = sign_in(&t, &email_of(&demo, Role::ProgramCoordinator)).await;

    // Until the background work has run, the programs are listed without figures.
    let before = head.get("/").await;
    let programs = qobe_store::structure::programs(t.app.store.conn(), inst).await.unwrap();
    let listed = items(&before.text, "program-standings");
    assert_eq!(listed.len(), programs.len(), "{}", before.text);
    assert!(listed.iter().all(|l| l.ends_with("not worked out yet")), "{listed:?}");

    // The head asks for fresh figures; the job works them out.
    let asked = head.submit("/", "/assessment/programs/standings", &[]).await;
    assert_eq!(asked.location(), Some("/"), "{}", asked.text);
    let ran = t.run_jobs().await;
    assert!(ran.iter().any(|(_, kind, _)| *kind == Kind::ProgramStandings), "{ran:?}");

    let admin_id = t.user_id(&demo.slug, &demo.admin_email).await;
    let admin = TestApp::admin_actor(inst.0, admin_id, &demo.admin_email);
    let after = head.get("/").await;
    let listed = items(&after.text, "program-standings");
    let mut short_programs = 0;
    for program in &programs {
        let view = of_program(&t.app, &admin, ProgramId(program.id), ProgramFilter::default()).await.unwrap();
        let short: Vec<&str> = view
            .plos
            .iter()
            .zip(&view.overall)
            .filter(|(_, r)| r.met == Some(false))
            .map(|(p, _)| p.code.as_str())
            .collect();
        let met = view.overall.iter().filter(|r| r.met == Some(true)).count();
        let expected = if short.is_empty() {
            format!("{} {} {met} of {} PLOs met", program.code, program.name, view.plos.len())
        } else {
            short_programs += 1;
            format!(
                "{} {} {} of {} PLOs below target {}",
                program.code,
                program.name,
                short.len(),
                view.plos.len(),
                short.join(", ")
            )
        };
        assert!(listed.contains(&expected), "{expected:?} in {listed:?}");
    }
    assert!(after.contains("As of "), "says when the figures were worked out");

    // The QA officer's figures count the same programs.
    let mut qa = sign_in(&t, &email_of(&demo, Role::QaOfficer)).await;
    let figures = html::text(&qa.get("/").await.text, "figures").unwrap();
    if short_programs > 0 {
        assert!(figures.contains(&format!("{short_programs} with PLOs short")), "{figures}");
    } else {
        assert!(figures.contains(&format!("{} on target", programs.len())), "{figures}");
    }

    // A student sees no program figures and may not ask for them.
    let mut student = sign_in(&t, &email_of(&demo, Role::Student)).await;
    let own = student.get("/").await;
    assert!(html::inner(&own.text, "program-standings").is_none() && !own.contains("h-programs"));
    let refused = student.post_raw("/assessment/programs/standings", &[("csrf_token", &own.csrf().unwrap())]).await;
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn an_instructor_sees_one_terms_classes_and_switches_terms() {
    let t = TestApp::new().await;
    let demo = qobe_app::demo::generate(&t.app, qobe_app::demo::Size::S, |_| {}).await.unwrap();
    let inst = institution(&t, &demo.slug).await;
    let email = email_of(&demo, Role::Instructor);
    let user = t.user_id(&demo.slug, &email).await;
    let conn = t.app.store.conn();
    let taught: BTreeSet<i64> = qobe_store::roles::for_user(conn, inst, UserId(user))
        .await
        .unwrap()
        .into_iter()
        .filter(|g| g.role == "instructor" && g.scope_kind == "offering")
        .map(|g| g.scope_id)
        .collect();
    let mut terms_taught = BTreeSet::new();
    for id in &taught {
        terms_taught.insert(term_of(&t, inst, *id).await);
    }
    assert!(terms_taught.len() > 1, "the demo instructor teaches in several terms");

    let mut instructor = sign_in(&t, &email).await;
    let home = instructor.get("/").await;
    let switch = html::inner(&home.text, "term-switch").expect("a term switcher");
    let offered: Vec<i64> =
        switch.split("value=\"").skip(1).map(|rest| rest.split('"').next().unwrap().parse().unwrap()).collect();
    assert_eq!(offered.iter().copied().collect::<BTreeSet<_>>(), terms_taught, "every term they teach in, no other");
    let chosen = switch.split("<option").find(|o| o.contains(" selected")).expect("one term chosen");
    assert!(!chosen.is_empty());

    // Each term shows its own classes; together they are every class the instructor teaches.
    let mut seen = BTreeSet::new();
    for term in &offered {
        let page = instructor.get(&format!("/?term={term}")).await;
        let cards = html::inner(&page.text, "teaching").unwrap_or_default();
        for id in cards.split("href=\"/academics/offerings/").skip(1) {
            let id: i64 = id.split('"').next().unwrap().parse().unwrap();
            assert_eq!(term_of(&t, inst, id).await, *term, "offering {id} shown under its own term");
            seen.insert(id);
        }
    }
    assert_eq!(seen, taught);

    // An instructor's home has no institution figures and no audit trail.
    assert!(!home.contains("id=\"figures\"") && !home.contains("h-notable"));
}

async fn term_of(t: &TestApp, inst: InstitutionId, offering: i64) -> i64 {
    qobe_store::academics::offerings::get(t.app.store.conn(), inst, OfferingId(offering))
        .await
        .unwrap()
        .unwrap()
        .term_id
}

#[tokio::test]
async fn admins_see_changes_worth_a_look_and_overseers_see_overdue_actions() {
    let t = TestApp::new().await;
    let demo = qobe_app::demo::generate(&t.app, qobe_app::demo::Size::S, |_| {}).await.unwrap();
    let mut admin = sign_in(&t, &demo.admin_email).await;
    let quiet = admin.get("/").await;
    assert!(quiet.contains("h-notable"));

    // The admin makes an instructor a QA officer: the home page names the change.
    let instructor = email_of(&demo, Role::Instructor);
    let id = t.user_id(&demo.slug, &instructor).await;
    let page = format!("/admin/users/{id}");
    let granted = admin
        .submit(&page, &format!("/admin/users/{id}/roles"), &[("role", "qa_officer"), ("scope", "institution")])
        .await;
    assert_eq!(granted.status, 303, "{}", granted.text);
    let notable = items(&admin.get("/").await.text, "notable");
    assert!(notable.iter().any(|n| n.contains("Role granted") && n.contains(&instructor)), "{notable:?}");

    // The QA officer oversees the CQI loop: a year on, the demo's actions (each owned by an
    // instructor, due this term) are overdue and listed with their owners.
    assert!(demo.findings > 0);
    t.clock.advance(chrono::Duration::days(400));
    let mut qa = sign_in(&t, &email_of(&demo, Role::QaOfficer)).await;
    let home = qa.get("/").await;
    let overdue = items(&home.text, "overdue-actions");
    assert_eq!(overdue.len(), demo.findings, "{}", home.text);
    assert!(overdue.iter().all(|line| line.contains(", due ")), "{overdue:?}");

    // A student's home has none of it.
    let mut student = sign_in(&t, &email_of(&demo, Role::Student)).await;
    let own = student.get("/").await;
    assert!(!own.contains("h-notable") && !own.contains("h-overdue") && !own.contains("h-actions"), "{}", own.text);
}

#[tokio::test]
async fn a_student_is_told_when_registration_closes_and_an_instructor_when_marks_are_due() {
    let t = TestApp::new().await;
    let mut admin = crate::academics::school(&t, "due").await;
    // Registration for SOON is open now and closes in 15 days; ENDING's marks entry closes in 10.
    crate::academics::term(&mut admin, "SOON", 20).await;
    crate::academics::term(&mut admin, "ENDING", -110).await;
    crate::academics::course(&t, &mut admin, "due", "EE-201").await;
    let made = admin
        .submit(
            "/academics/offerings",
            "/academics/offerings",
            &[("course", "EE-201"), ("term", "ENDING"), ("section", "A"), ("capacity", "30")],
        )
        .await;
    let offering = made.location().unwrap().to_owned();
    let mut instructor = t.invite(&mut admin, "ins@due.edu", "instructor").await;
    admin.submit(&offering, &format!("{offering}/instructors"), &[("email", "ins@due.edu")]).await;
    let mut student = t.invite(&mut admin, "s1@due.edu", "student").await;

    let own = student.get("/").await;
    let window = html::text(&own.text, "registration-window").expect("the registration window");
    assert!(window.starts_with("Registration is open: closes "), "{window}");
    let closes = (chrono::Utc::now() + chrono::Duration::days(15)).format("%Y-%m-%d").to_string();
    assert!(window.contains(&closes), "{window} names {closes}");

    let home = instructor.get("/").await;
    assert_eq!(html::text(&home.text, "teaching-term-name").as_deref(), Some("Term ENDING"));
    let due = html::text(&home.text, "marks-due").expect("marks entry closing soon");
    let closes = (chrono::Utc::now() + chrono::Duration::days(10)).format("%Y-%m-%d").to_string();
    assert!(due.contains(&closes), "{due} names {closes}");
    assert_eq!(items(&home.text, "teaching").len(), 1);
    // One term only: no switcher.
    assert!(!home.contains("id=\"term-switch\""));
}
