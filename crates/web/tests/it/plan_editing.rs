//! Changing and deleting assessments and items: free until marks exist, then only changes
//! that keep the marks valid, nothing once results are submitted, every change in the plan's
//! history; and only the offering's own instructors, in their own institution.

use qobe_domain::ids::OfferingId;

use crate::assessment::{Class, class};
use crate::support::{Client, TestApp};

async fn stored_items(t: &TestApp, c: &Class) -> Vec<(i64, String, f64)> {
    let rows = qobe_store::assessment::plans::items(t.app.store.conn(), c.institution(t).await, OfferingId(c.offering))
        .await
        .unwrap();
    rows.into_iter().map(|i| (i.id, i.label, i.max_marks)).collect()
}

async fn stored_assessments(t: &TestApp, c: &Class) -> Vec<(String, f64)> {
    let rows =
        qobe_store::assessment::plans::assessments(t.app.store.conn(), c.institution(t).await, OfferingId(c.offering))
            .await
            .unwrap();
    rows.into_iter().map(|a| (a.name, a.weight)).collect()
}

fn item_fields<'a>(label: &'a str, max: &'a str, clos: &'a str) -> [(&'a str, &'a str); 3] {
    [("label", label), ("max_marks", max), ("clos", clos)]
}

/// The text of the plan history section of a plan page.
fn history(page: &str) -> &str {
    let start = page.find("id=\"plan-history\"").expect("the plan page shows its history");
    &page[start..start + page[start..].find("</section>").unwrap()]
}

#[tokio::test]
async fn items_without_marks_change_in_any_way_and_can_be_deleted() {
    let t = TestApp::new().await;
    let mut c = class(&t, "pe1").await;
    let items = c.plan(&t).await;
    let assessments = c.assessment_ids(&t).await;
    let plan = c.page("/assessment");

    let r =
        c.instructor.submit(&plan, &c.page(&format!("/items/{}", items[0])), &item_fields("Q1a", "12", "CLO2")).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let r = c
        .instructor
        .submit(
            &plan,
            &c.page(&format!("/assessments/{}", assessments[0])),
            &[("name", "Quiz"), ("category", "CIE"), ("weight", "25")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text);
    let r = c.instructor.submit(&plan, &c.page(&format!("/items/{}/delete", items[2])), &[]).await;
    assert_eq!(r.status, 303, "{}", r.text);

    let stored = stored_items(&t, &c).await;
    assert_eq!(stored, vec![(items[0], "Q1a".to_owned(), 12.0), (items[1], "Q2".to_owned(), 20.0)]);
    assert_eq!(stored_assessments(&t, &c).await, vec![("Quiz".to_owned(), 25.0), ("Final".to_owned(), 80.0)]);

    let page = c.instructor.get(&plan).await;
    let row = page.text.split(&format!("data-item=\"{}\"", items[0])).nth(1).unwrap();
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("<td>Q1a</td><td>12</td><td>CLO2</td>"), "{row}");
    let shown = history(&page.text);
    assert!(shown.contains("changed item Q1: label Q1 → Q1a, maximum 10 → 12, CLOs changed"), "{shown}");
    assert!(shown.contains("changed assessment Quiz: weightage 20 → 25"), "{shown}");
    assert!(shown.contains("deleted item F1 (out of 10)"), "{shown}");
    assert!(shown.contains(&format!("ins@{}.edu", c.slug)), "{shown}");

    // The final exam has no items left; deleting it leaves the quiz alone.
    let r = c.instructor.submit(&plan, &c.page(&format!("/assessments/{}/delete", assessments[1])), &[]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(stored_assessments(&t, &c).await, vec![("Quiz".to_owned(), 25.0)]);
    // A new item goes after the ones left, never on top of one.
    let r = c
        .instructor
        .submit(
            &plan,
            &c.page("/items"),
            &[("assessment", &assessments[0].to_string()), ("label", "Q3"), ("max_marks", "5"), ("clos", "CLO1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text);
    let labels: Vec<String> = stored_items(&t, &c).await.into_iter().map(|(_, l, _)| l).collect();
    assert_eq!(labels, ["Q1a", "Q2", "Q3"]);
}

#[tokio::test]
async fn once_an_item_holds_marks_only_changes_that_keep_them_valid_are_taken() {
    let t = TestApp::new().await;
    let mut c = class(&t, "pe2").await;
    let items = c.plan(&t).await;
    let assessments = c.assessment_ids(&t).await;
    let plan = c.page("/assessment");
    assert_eq!(c.type_mark(c.students[0], items[1], "18").await.status, 200);

    // Below the highest mark given: refused at the field, the item's editor open, typed kept.
    let low =
        c.instructor.submit(&plan, &c.page(&format!("/items/{}", items[1])), &item_fields("Q2", "15", "CLO1")).await;
    assert_eq!(low.status, 409, "{}", low.text);
    assert!(low.contains(&format!("id=\"edit-item-{}\" open", items[1])), "{}", low.text);
    assert!(!low.contains(&format!("id=\"edit-item-{}\" open", items[0])));
    assert!(low.contains("can&#39;t go below 18, the highest of the 1 mark already given"), "{}", low.text);
    assert!(low.contains(&format!("id=\"it{}-max_marks\" name=\"max_marks\" value=\"15\"", items[1])), "{}", low.text);
    assert_eq!(stored_items(&t, &c).await[1].2, 20.0, "nothing changed");

    // Down to the highest mark, with a new label and CLOs: taken, and the mark stands.
    let ok = c
        .instructor
        .submit(&plan, &c.page(&format!("/items/{}", items[1])), &item_fields("Q2 design", "18", "CLO2"))
        .await;
    assert_eq!(ok.status, 303, "{}", ok.text);
    assert_eq!(stored_items(&t, &c).await[1], (items[1], "Q2 design".to_owned(), 18.0));
    let mark = qobe_store::assessment::marks::find(
        t.app.store.conn(),
        c.institution(&t).await,
        qobe_domain::ids::ItemId(items[1]),
        qobe_domain::ids::UserId(c.students[0]),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(mark.score, Some(18.0));

    // The page offers no delete for a marked item or its assessment, and refuses one sent anyway.
    let page = c.instructor.get(&plan).await;
    assert!(!page.contains(&c.page(&format!("/items/{}/delete", items[1]))));
    assert!(page.contains(&c.page(&format!("/items/{}/delete", items[0]))));
    assert!(!page.contains(&c.page(&format!("/assessments/{}/delete", assessments[0]))));
    assert!(page.contains(&c.page(&format!("/assessments/{}/delete", assessments[1]))));
    let refused = c.instructor.submit(&plan, &c.page(&format!("/items/{}/delete", items[1])), &[]).await;
    assert_eq!(refused.status, 409);
    assert!(refused.contains("Q2 design holds 1 mark: clear them first"), "{}", refused.text);
    let refused = c.instructor.submit(&plan, &c.page(&format!("/assessments/{}/delete", assessments[0])), &[]).await;
    assert_eq!(refused.status, 409);
    assert!(refused.contains("Quiz can&#39;t be deleted: Q2 design (1 mark) hold marks"), "{}", refused.text);
    assert_eq!(stored_items(&t, &c).await.len(), 3);

    // Cleared, the item may go.
    assert_eq!(c.type_mark(c.students[0], items[1], "").await.status, 200);
    let r = c.instructor.submit(&plan, &c.page(&format!("/items/{}/delete", items[1])), &[]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let left: Vec<i64> = stored_items(&t, &c).await.into_iter().map(|(id, _, _)| id).collect();
    assert_eq!(left, vec![items[0], items[2]]);
}

#[tokio::test]
async fn the_plan_is_fixed_once_results_are_submitted() {
    let t = TestApp::new().await;
    let mut c = class(&t, "pe3").await;
    let items = c.plan(&t).await;
    c.enter_worked_marks(&items).await;
    let grades = c.page("/grades");
    let r = c
        .instructor
        .submit(&grades, &c.page("/grades/step/submit"), &[("confirm_blanks", "on"), ("note", "s3 never attended")])
        .await;
    assert_eq!(r.status, 303, "{}", r.text);
    let plan = c.page("/assessment");
    let page = c.instructor.get(&plan).await;
    assert!(page.contains("id=\"plan-closed\""), "{}", page.text);
    assert!(!page.contains("id=\"plan-changes\""));
    let refused =
        c.instructor.submit(&plan, &c.page(&format!("/items/{}", items[0])), &item_fields("Q1", "30", "CLO1")).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    let refused = c.instructor.submit(&plan, &c.page(&format!("/items/{}/delete", items[0])), &[]).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert_eq!(stored_items(&t, &c).await[0].2, 10.0);
    assert_eq!(stored_items(&t, &c).await.len(), 3);
}

#[tokio::test]
async fn only_the_offerings_instructors_change_its_plan() {
    let t = TestApp::new().await;
    let mut c = class(&t, "pe4").await;
    let items = c.plan(&t).await;
    let assessments = c.assessment_ids(&t).await;
    let item = c.page(&format!("/items/{}", items[0]));
    let delete = c.page(&format!("/items/{}/delete", items[0]));
    let assessment = c.page(&format!("/assessments/{}", assessments[0]));
    let plan = c.page("/assessment");

    // A student of the class, and another instructor of the same institution.
    let mut student: Client = t.sign_in(&format!("s1@{}.edu", c.slug)).await;
    let mut other = t.invite(&mut c.admin, &format!("other@{}.edu", c.slug), "instructor").await;
    for who in [&mut student, &mut other] {
        let home = who.get("/").await;
        assert_eq!(home.status, 200);
        let r = who.submit("/", &item, &item_fields("X", "1", "CLO1")).await;
        assert_eq!(r.status, 403, "{}", r.text);
        let r = who.submit("/", &delete, &[]).await;
        assert_eq!(r.status, 403, "{}", r.text);
    }
    // Another institution's instructor finds nothing there.
    let mut stranger = crate::assessment::class(&t, "pe4other").await.instructor;
    let r = stranger.submit("/", &assessment, &[("name", "X"), ("category", "CIE"), ("weight", "1")]).await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = stranger.submit("/", &delete, &[]).await;
    assert_eq!(r.status, 404, "{}", r.text);

    assert_eq!(stored_items(&t, &c).await[0], (items[0], "Q1".to_owned(), 10.0));
    assert_eq!(stored_assessments(&t, &c).await[0], ("Quiz".to_owned(), 20.0));
    // The class's own instructor still can.
    let r = c.instructor.submit(&plan, &item, &item_fields("Q1", "10", "CLO1")).await;
    assert_eq!(r.status, 303, "{}", r.text);
}
