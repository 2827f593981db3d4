//! Names repeat; registration numbers don't. Every list of an offering's students shows each
//! student's number beside the name, with the email on hover.

use qobe_domain::ids::{InstitutionId, OfferingId};

use crate::support::TestApp;

#[tokio::test]
async fn every_student_list_shows_the_registration_number_and_the_email_on_hover() {
    let t = TestApp::new().await;
    let (demo, mut admin) = t.demo_admin().await;
    let conn = t.app.store.conn();
    let institution = InstitutionId(qobe_store::tenancy::by_slug(conn, &demo.slug).await.unwrap().unwrap().id);
    // A current offering (marks still open), so its grades page lists live grades.
    let mut chosen = None;
    for offering in qobe_store::academics::offerings::list(conn, institution, None).await.unwrap() {
        let students =
            qobe_store::registration::for_offering(conn, institution, OfferingId(offering.id)).await.unwrap();
        let term = qobe_store::academics::terms::get(conn, institution, qobe_domain::ids::TermId(offering.term_id))
            .await
            .unwrap()
            .unwrap();
        if !students.is_empty() && term.marks_entry_closes_at > t.app.now() {
            chosen = Some((offering.id, students[0].user_id));
            break;
        }
    }
    let (offering, student) = chosen.expect("the demo has a current offering with students");
    let person = qobe_store::accounts::people(conn, institution, &[student]).await.unwrap().pop().unwrap();
    assert!(!person.registration.is_empty(), "demo students have numbers");
    let shown = format!(
        "<span class=\"student\" title=\"{}\">{}</span> <span class=\"muted regno\">{}</span>",
        person.email,
        person.name.replace('\'', "&#39;"),
        person.registration
    );

    let base = format!("/academics/offerings/{offering}");
    let attainment = admin.get(&format!("/assessment/offerings/{offering}/attainment")).await;
    let clo = attainment
        .text
        .split(&format!("/assessment/offerings/{offering}/attainment/"))
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    for page in [
        base.clone(),
        format!("/assessment/offerings/{offering}/marks"),
        format!("/results/offerings/{offering}/grades"),
        format!("/assessment/offerings/{offering}/attainment/{clo}"),
    ] {
        let shown_page = admin.get(&page).await;
        assert_eq!(shown_page.status, 200, "{page}");
        assert!(shown_page.contains(&shown), "{page} shows {shown}");
    }
}
