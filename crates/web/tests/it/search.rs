//! One search over what a person may see: people, courses, offerings, programs and outcomes,
//! each only for those who may open it, never another institution's.

use crate::assessment::class;
use crate::support::{TestApp, html};

fn section(page: &str, id: &str) -> Vec<String> {
    html::inner(page, "search-answers")
        .and_then(|answers| {
            answers
                .split(&format!("id=\"{id}\""))
                .nth(1)
                .map(|rest| rest.split("</section>").next().unwrap_or("").to_owned())
        })
        .map(|part| part.split("<li>").skip(1).map(html::plain).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn each_person_finds_what_they_may_open() {
    let t = TestApp::new().await;
    let mut c = class(&t, "find").await;
    let mut other = class(&t, "elsewhere").await;

    // A course by its code, with its offering; an outcome by a few of its words.
    let by_code = c.admin.get("/search?q=ee-2").await;
    assert_eq!(by_code.status, 200);
    assert!(section(&by_code.text, "a-courses").iter().any(|c| c.starts_with("EE-201")), "{}", by_code.text);
    assert!(section(&by_code.text, "a-offerings").iter().any(|o| o.starts_with("EE-201 section A")));
    assert_eq!(section(&by_code.text, "a-courses").len(), 1, "the other institution's EE-201 is not found");
    let by_words = c.admin.get("/search?q=design%20filt").await;
    assert_eq!(section(&by_words.text, "a-clos"), ["EE-201 CLO2 Design filters"]);
    // People by name or email, for those who may see the user list.
    let people = c.admin.get("/search?q=ins@find").await;
    assert_eq!(section(&people.text, "a-people").len(), 1, "{}", people.text);
    assert!(
        section(&other.admin.get("/search?q=ins@find").await.text, "a-people").is_empty(),
        "nor across institutions"
    );

    // A student finds the course and its offering, not people or outcomes.
    let mut student = t.sign_in("s1@find.edu").await;
    let theirs = student.get("/search?q=ee-201").await;
    assert!(!section(&theirs.text, "a-courses").is_empty());
    assert!(section(&student.get("/search?q=ins@find").await.text, "a-people").is_empty());
    assert!(section(&student.get("/search?q=design").await.text, "a-clos").is_empty());
    assert!(!theirs.contains("href=\"/admin/users/"), "no link the student may not open");

    // Too little to search, and nothing found, say so.
    assert!(
        html::text(&c.admin.get("/search?q=e").await.text, "search-answers").unwrap().contains("at least two letters")
    );
    assert!(
        html::text(&c.admin.get("/search?q=zzzz").await.text, "search-answers")
            .unwrap()
            .contains("Nothing here matches")
    );
    // Wildcards are text, not patterns.
    assert!(section(&c.admin.get("/search?q=%25%25").await.text, "a-courses").is_empty());
}
