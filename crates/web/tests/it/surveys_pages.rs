//! Surveys through their pages, as people use them: an instructor makes a course exit survey
//! from the CLOs, edits it in the designer (a question added, a bad number refused beside its
//! field with what was typed kept, a question moved), previews and publishes it; students find
//! it on their home page, save and resume, are told beside a question what is missing, submit
//! once; an employer answers by the link in their email without an account; the results page
//! shows the charts and gives CSV and XLSX. Who may open which page, and another institution.

use qobe_app::surveys::design;
use qobe_domain::ids::SurveyId;
use sea_orm::{ConnectionTrait, Statement};

use crate::assessment::{Class, class};
use crate::support::{Client, TestApp};

/// The designer's fields for the course exit survey as made from CLO1 and CLO2, plus `extra`
/// (later fields of the same name win, as a browser's last value does for the app).
fn design_fields<'a>(clos: &[i64], extra: &[(&'a str, &'a str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = vec![
        ("title".into(), "Exit survey".into()),
        ("anonymous".into(), "on".into()),
        ("section".into(), "1".into()),
        ("section1.title".into(), "What you learned".into()),
    ];
    for (n, clo) in clos.iter().enumerate() {
        let key = format!("clo{}", n + 1);
        for (part, value) in [
            ("text", format!("I can do CLO{}", n + 1)),
            ("kind", "scale".into()),
            ("points", "5".into()),
            ("labels", "Strongly disagree\nDisagree\nNeutral\nAgree\nStrongly agree".into()),
            ("required", "on".into()),
            ("map", format!("clo:{clo}")),
        ] {
            if part == "text" {
                fields.push(("question".into(), key.clone()));
            }
            fields.push((format!("{key}.{part}"), value));
        }
    }
    fields.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    fields
}

async fn post(client: &mut Client, page: &str, action: &str, fields: &[(String, String)]) -> crate::support::Response {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    client.submit(page, action, &pairs).await
}

async fn set_minimum(t: &TestApp, slug: &str, minimum: i64) {
    let conn = t.app.store.conn();
    let sql = format!("UPDATE institutions SET survey_min_responses = {minimum} WHERE slug = '{slug}'");
    conn.execute_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap();
}

/// Sets the institution's policy (the PEC preset's figures) with survey evidence weighing
/// `percent` of the blend, through the policy form as an admin does.
pub(crate) async fn weigh_surveys(admin: &mut Client, percent: &str) {
    let policy = admin
        .submit(
            "/admin/attainment-policy",
            "/admin/attainment-policy",
            &[
                ("preset", "pec"),
                ("score", "marks"),
                ("student_threshold", "50"),
                ("course_target", "60"),
                ("plo_threshold", "50"),
                ("cohort_target", "60"),
                ("absent", "zero"),
                ("not_attempted", "zero"),
                ("indirect", "weighted_mean"),
                ("indirect_weight", percent),
            ],
        )
        .await;
    assert_eq!(policy.status, 303, "{}", policy.text);
}

/// The offering's course exit survey, made from its CLOs on the surveys page; its address.
async fn course_exit_survey(instructor: &mut Client, offering: i64) -> String {
    let offering = offering.to_string();
    let made = instructor
        .submit("/surveys", "/surveys", &[("purpose", "course_exit"), ("offering", &offering), ("template", "on")])
        .await;
    assert_eq!(made.status, 303, "{}", made.text);
    made.location().unwrap().to_owned()
}

fn local(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

#[tokio::test]
async fn a_survey_is_designed_published_answered_and_read_through_its_pages() {
    let t = TestApp::new().await;
    let mut c = class(&t, "sp").await;

    // The list offers the instructor their offering; a course exit survey is made from its CLOs.
    let list = c.instructor.get("/surveys").await;
    assert_eq!(list.status, 200);
    assert!(list.contains("New survey") && list.contains(&format!("value=\"{}\"", c.offering)), "{}", list.text);
    let offering = c.offering.to_string();
    let made = c
        .instructor
        .submit("/surveys", "/surveys", &[("purpose", "course_exit"), ("offering", &offering), ("template", "on")])
        .await;
    assert_eq!(made.status, 303, "{}", made.text);
    let page = made.location().unwrap().to_owned();
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    let designer = c.instructor.get(&page).await;
    assert!(designer.contains("id=\"q-clo1\"") && designer.contains("id=\"q-clo2\""), "{}", designer.text);
    let action = format!("{page}/design");

    // A yes/no question is added to the section; the page comes back to it.
    let added =
        post(&mut c.instructor, &page, &action, &design_fields(&c.clos, &[("add_kind1", "yes_no"), ("edit", "add:1")]))
            .await;
    assert_eq!(added.status, 303, "{}", added.text);
    assert!(added.location().unwrap().ends_with("#q-q1"), "{:?}", added.location());
    let instructor = instructor_actor(&t, &c).await;
    let view = design::view(&t.app, &instructor, SurveyId(id)).await.unwrap();
    let keys: Vec<&str> = view.form.questions().map(|(_, q)| q.key.as_str()).collect();
    assert_eq!(keys, ["clo1", "clo2", "q1"]);
    assert_eq!(view.links.len(), 2, "the mappings came back from the page as they went");

    // A scale of "two" points is refused beside its field, and what was typed stays.
    let mut typed = design_fields(&c.clos, &[("edit", "save")]);
    typed.retain(|(k, _)| k != "clo2.points");
    typed.push(("clo2.points".into(), "two".into()));
    let refused = post(&mut c.instructor, &page, &action, &typed).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.contains("give the number of points, 3 to 10"), "{}", refused.text);
    assert!(refused.contains("value=\"two\""), "what was typed is shown again");
    let unchanged = design::view(&t.app, &instructor, SurveyId(id)).await.unwrap();
    assert_eq!(unchanged.form, view.form, "nothing was saved");

    // The second CLO's question moves up, above the first.
    let moved = post(&mut c.instructor, &page, &action, &design_fields(&c.clos, &[("edit", "up:clo2")])).await;
    assert_eq!(moved.status, 303, "{}", moved.text);
    let view = design::view(&t.app, &instructor, SurveyId(id)).await.unwrap();
    let keys: Vec<&str> = view.form.questions().map(|(_, q)| q.key.as_str()).collect();
    assert_eq!(keys, ["clo2", "clo1"], "q1 was not in the fields sent, so the design is as posted");

    // The preview is the respondent's page with nothing to send.
    let preview = c.instructor.get(&format!("{page}/preview")).await;
    assert_eq!(preview.status, 200);
    assert!(preview.contains("Preview: answers are not sent") && !preview.contains("name=\"finish\""));

    // Published to the offering's students and to an employer by email.
    let now = chrono::Utc::now();
    let opens = local(now - chrono::Duration::hours(2));
    let closes = local(now + chrono::Duration::days(7));
    let published = c
        .instructor
        .submit(
            &page,
            &format!("{page}/publish"),
            &[("opens_at", &opens), ("closes_at", &closes), ("audience", "offering"), ("external", "hr@acme.com")],
        )
        .await;
    assert_eq!(published.status, 303, "{}", published.text);
    let shown = c.instructor.get(&page).await;
    assert!(shown.contains("Remind those who have not answered") && !shown.contains("id=\"designer\""));

    // A student finds it on their home page, saves one answer and comes back to it.
    let mut student = t.sign_in("s1@sp.edu").await;
    let home = student.get("/").await;
    assert!(home.contains("id=\"surveys-to-answer\"") && home.contains(&format!("/surveys/{id}/answer")));
    let answer = format!("/surveys/{id}/answer");
    let saved = student.submit(&answer, &answer, &[("clo1", "5"), ("save", "1")]).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let resumed = student.get(&answer).await;
    assert!(resumed.contains("name=\"clo1\" value=\"5\" checked"), "{}", resumed.text);

    // Submitting without the required CLO2 item is refused beside it, with CLO1 still chosen.
    let missing = student.submit(&answer, &answer, &[("clo1", "5"), ("finish", "1")]).await;
    assert_eq!(missing.status, 422, "{}", missing.text);
    assert!(missing.contains("id=\"e-clo2\">answer this question"), "{}", missing.text);
    assert!(missing.contains("name=\"clo1\" value=\"5\" checked"));
    let sent = student.submit(&answer, &answer, &[("clo1", "5"), ("clo2", "4"), ("finish", "1")]).await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    let thanked = student.get(&answer).await;
    assert!(thanked.contains("id=\"answered\"") && !thanked.contains("name=\"finish\""));

    // The students manage nothing: the survey's own and results pages are refused.
    assert_eq!(student.get(&page).await.status, 403);
    assert_eq!(student.get(&format!("{page}/results")).await.status, 403);
    let list = student.get("/surveys").await;
    assert!(!list.contains("New survey") && list.contains("answered"), "{}", list.text);

    // The employer answers by their link, without an account, once.
    let link = t.link_in_last_email("hr@acme.com").await;
    assert!(link.starts_with("/surveys/respond?token="), "{link}");
    let mut employer = t.client();
    let form = employer.get(&link).await;
    assert_eq!(form.status, 200, "{}", form.text);
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let answered = employer
        .submit(&link, "/surveys/respond", &[("token", &token), ("clo1", "3"), ("clo2", "2"), ("finish", "1")])
        .await;
    assert_eq!(answered.status, 303, "{}", answered.text);
    assert!(employer.get(&link).await.contains("id=\"answered\""));
    assert_eq!(employer.get("/surveys/respond?token=nonsense").await.status, 404);

    // Results: withheld below the minimum, then charts, tables and downloads.
    let results = format!("{page}/results");
    let withheld = c.instructor.get(&results).await;
    assert!(withheld.contains("id=\"withheld\"") && !withheld.contains("id=\"indirect\""), "{}", withheld.text);
    assert_eq!(c.instructor.get(&format!("{results}?format=csv")).await.status, 409);
    set_minimum(&t, "sp", 2).await;
    let open = c.instructor.get(&results).await;
    assert!(open.contains("id=\"indirect\"") && open.contains("<svg class=\"chart\""), "{}", open.text);
    assert!(open.contains("2 responses of 4 asked (50.0%)"), "{}", open.text);
    let csv = c.instructor.get(&format!("{results}?format=csv&table=0")).await;
    assert_eq!(csv.status, 200);
    // CLO1: (5 + 3) / 10 = 80 %; CLO2: (4 + 2) / 10 = 60 %.
    assert!(csv.text.contains("CLO1") && csv.text.contains("80") && csv.text.contains("60"), "{}", csv.text);
    let xlsx = c.instructor.get(&format!("{results}?format=xlsx")).await;
    assert!(xlsx.bytes.starts_with(b"PK"), "an XLSX is a zip");
    let pdf = c.instructor.get(&format!("{results}?format=pdf")).await;
    assert!(pdf.bytes.starts_with(b"%PDF"), "{}", pdf.status);

    // With surveys weighing 20 % in the institution's policy, the course file shows direct,
    // indirect and blended side by side; no marks are in yet, so the blend is the survey alone.
    weigh_surveys(&mut c.admin, "20").await;
    let file = c.instructor.get(&format!("/assessment/offerings/{}/course-file", c.offering)).await;
    let blended = crate::support::html::rows(&file.text, "file-blended");
    assert_eq!(blended.len(), 2, "{}", file.text);
    assert_eq!(blended[0][0], "CLO1");
    assert_eq!(blended[0][1], "—", "no marks yet");
    assert!(blended[0][2].starts_with("80.0%") && blended[0][3] == "80.0%" && blended[0][5] == "yes", "{blended:?}");
    // The indirect figure leads to the question it is read from, whose chart and counts are there.
    let question = format!("/surveys/{id}/results#r-clo1");
    assert!(file.contains(&format!("href=\"{question}\"")), "{}", file.text);
    assert!(open.contains("id=\"r-clo1\"") && open.contains("href=\"#r-clo1\""), "{}", open.text);
    let attainment = c.instructor.get(&format!("/assessment/offerings/{}/attainment", c.offering)).await;
    assert!(attainment.contains("Indirect (surveys)") && attainment.contains(&format!("/surveys/{id}/results")));
}

async fn instructor_actor(t: &TestApp, c: &Class) -> qobe_app::Actor {
    use qobe_domain::roles::{Role, Scope};
    let inst = c.institution(t).await;
    let email = format!("ins@{}.edu", c.slug);
    let mut actor = TestApp::admin_actor(inst.0, t.user_id(&c.slug, &email).await, &email);
    actor.grants = vec![(Role::Instructor, Scope::Offering(c.offering))];
    actor
}

#[tokio::test]
async fn another_institution_finds_no_survey_and_a_student_cannot_answer_one_not_asked_of_them() {
    let t = TestApp::new().await;
    let mut c = class(&t, "sa").await;
    let page = course_exit_survey(&mut c.instructor, c.offering).await;
    let mut other = class(&t, "sb").await;
    for path in [page.clone(), format!("{page}/results"), format!("{page}/preview"), format!("{page}/answer")] {
        assert_eq!(other.admin.get(&path).await.status, 404, "{path}");
    }
    // A draft is answered by nobody, even a student of the offering.
    let mut student = t.sign_in("s1@sa.edu").await;
    assert_eq!(student.get(&format!("{page}/answer")).await.status, 404);
    // A course exit survey needs its offering; the form says so beside the field.
    let refused = c.instructor.submit("/surveys", "/surveys", &[("purpose", "course_exit"), ("offering", "")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.contains("id=\"e-offering\">choose the offering"), "{}", refused.text);
}

#[tokio::test]
async fn graduating_and_employer_surveys_give_the_program_page_plo_and_peo_evidence() {
    let t = TestApp::new().await;
    let mut pc = crate::program_attainment::program_class(&t, "spp").await;
    let page = pc.page.clone();
    let added =
        pc.c.admin.submit(&page, &format!("{page}/peos"), &[("code", "PEO1"), ("text", "Graduates lead teams")]).await;
    assert_eq!(added.status, 303, "{}", added.text);
    set_minimum(&t, "spp", 1).await;
    let program = pc.program.to_string();
    let now = chrono::Utc::now();
    let (opens, closes) = (local(now - chrono::Duration::hours(2)), local(now + chrono::Duration::days(7)));

    // A graduating-student survey from the PLOs, to the program's students; an employer
    // survey from the PEOs, to an employer by email.
    let mut made = Vec::new();
    for (purpose, audience, external) in [("graduating", "program", ""), ("employer", "external", "hr@works.org")] {
        let created =
            pc.c.admin
                .submit("/surveys", "/surveys", &[("purpose", purpose), ("program", &program), ("template", "on")])
                .await;
        assert_eq!(created.status, 303, "{}", created.text);
        let survey = created.location().unwrap().to_owned();
        let published =
            pc.c.admin
                .submit(
                    &survey,
                    &format!("{survey}/publish"),
                    &[("opens_at", &opens), ("closes_at", &closes), ("audience", audience), ("external", external)],
                )
                .await;
        assert_eq!(published.status, 303, "{}", published.text);
        made.push(survey);
    }
    // Both of the cohort's students strongly agree that the program taught them PLO1.
    for email in ["s1@spp.edu", "s2@spp.edu"] {
        let mut student = t.sign_in(email).await;
        let answer = format!("{}/answer", made[0]);
        let view = student.get(&answer).await;
        let fields: Vec<String> =
            view.text.split("name=\"").skip(1).filter_map(|f| f.split('"').next()).map(str::to_owned).collect();
        let mut pairs: Vec<(String, String)> = fields
            .iter()
            .filter(|f| f.starts_with("plo") && !f.contains('.'))
            .map(|f| (f.clone(), if f == "plo1" { "5".to_owned() } else { "3".to_owned() }))
            .collect();
        pairs.dedup();
        pairs.push(("finish".into(), "1".into()));
        let sent = post(&mut student, &answer, &answer, &pairs).await;
        assert_eq!(sent.status, 303, "{}", sent.text);
    }
    // The employer agrees (4 of 5) that graduates lead teams.
    let link = t.link_in_last_email("hr@works.org").await;
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let mut employer = t.client();
    let sent = employer.submit(&link, "/surveys/respond", &[("token", &token), ("peo1", "4"), ("finish", "1")]).await;
    assert_eq!(sent.status, 303, "{}", sent.text);

    let shown = pc.c.admin.get(&format!("{}/attainment", pc.assessed)).await;
    let rows = crate::support::html::rows(&shown.text, "outcome-evidence");
    let row = |code: &str| rows.iter().find(|r| r[0] == code).cloned().unwrap_or_else(|| panic!("{code}: {rows:?}"));
    let plo1 = row("PLO1");
    assert!(plo1[2].starts_with("100.0%"), "both strongly agreed: {plo1:?}");
    assert_ne!(plo1[1], "—", "PLO1 has direct evidence from the marks");
    let peo1 = row("PEO1");
    // PEOs have no marks: their attainment is the employer's 4 / 5 = 80 %, above the 60 % target.
    assert_eq!(peo1[1], "—");
    assert!(peo1[2].starts_with("80.0%") && peo1[3] == "80.0%" && peo1[4] == "met", "{peo1:?}");
    assert!(shown.contains("results#r-peo1\""), "the PEO figure links to the employer's question: {}", shown.text);
}

#[tokio::test]
async fn the_api_lists_surveys_takes_a_students_response_and_gives_results_under_the_same_rules() {
    let t = TestApp::new().await;
    let mut c = class(&t, "sq").await;
    let page = course_exit_survey(&mut c.instructor, c.offering).await;
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    let now = chrono::Utc::now();
    let (opens, closes) = (local(now - chrono::Duration::hours(1)), local(now + chrono::Duration::days(3)));
    let published = c
        .instructor
        .submit(
            &page,
            &format!("{page}/publish"),
            &[("opens_at", &opens), ("closes_at", &closes), ("audience", "offering")],
        )
        .await;
    assert_eq!(published.status, 303, "{}", published.text);
    let staff = c.instructor.api_token().await;

    // The instructor runs it; its design comes with the mappings to the CLOs.
    let listed = c.instructor.api("GET", "/api/v1/surveys", &staff, None).await.json();
    assert_eq!(listed["managed"][0]["id"], id);
    assert_eq!(listed["managed"][0]["status"], "open");
    let design = c.instructor.api("GET", &format!("/api/v1/surveys/{id}"), &staff, None).await.json();
    assert_eq!(design["links"].as_array().unwrap().len(), 2);
    assert_eq!(design["form"]["sections"][0]["questions"][0]["key"], "clo1");

    // A student saves, then submits, through the API; a second submission is refused.
    let mut student = t.sign_in("s1@sq.edu").await;
    let token = student.api_token().await;
    let mine = student.api("GET", "/api/v1/surveys", &token, None).await.json();
    assert_eq!(mine["asked"][0]["survey"]["id"], id);
    assert!(mine["managed"].as_array().unwrap().is_empty());
    let path = format!("/api/v1/surveys/{id}/response");
    let saved = student.api("POST", &path, &token, Some(serde_json::json!({ "fields": { "clo1": "5" } }))).await;
    assert_eq!(saved.json()["outcome"], "saved");
    assert_eq!(student.api("GET", &path, &token, None).await.json()["saved"]["clo1"]["value"], 5);
    let missing = student
        .api("POST", &path, &token, Some(serde_json::json!({ "fields": { "clo1": "5" }, "finish": true })))
        .await;
    assert_eq!(missing.status, 422);
    assert_eq!(missing.json()["fields"][0]["field"], "clo2");
    let body = serde_json::json!({ "fields": { "clo1": "5", "clo2": "4" }, "finish": true });
    assert_eq!(student.api("POST", &path, &token, Some(body.clone())).await.json()["outcome"], "submitted");
    assert_eq!(student.api("POST", &path, &token, Some(body)).await.status, 409);
    assert_eq!(student.api("GET", &format!("/api/v1/surveys/{id}/results"), &token, None).await.status, 403);

    // Results: withheld below the minimum, as on the page; then counted.
    let results = format!("/api/v1/surveys/{id}/results");
    let hidden = c.instructor.api("GET", &results, &staff, None).await.json();
    assert_eq!(hidden["withheld_below"], 5);
    assert!(hidden["summaries"].as_array().unwrap().is_empty());
    set_minimum(&t, "sq", 1).await;
    let shown = c.instructor.api("GET", &results, &staff, None).await.json();
    assert_eq!(shown["responses"], 1);
    let clo1 = shown["indirect"].as_array().unwrap().iter().find(|l| l["code"] == "CLO1").cloned().unwrap();
    assert_eq!(clo1["value"], 1.0, "one strongly agree: 5 / 5");

    // Another institution's token finds nothing.
    let mut other = class(&t, "sr").await;
    let theirs = other.admin.api_token().await;
    for path in [format!("/api/v1/surveys/{id}"), results.clone(), path.clone()] {
        assert_eq!(other.admin.api("GET", &path, &theirs, None).await.status, 404, "{path}");
    }
}

#[tokio::test]
async fn the_api_makes_designs_publishes_reminds_closes_and_copies_a_survey_under_the_pages_rules() {
    let t = TestApp::new().await;
    let mut c = class(&t, "sw").await;
    let staff = c.instructor.api_token().await;

    // Made from the offering's CLOs: one rated question per CLO, each mapped to it.
    let body = serde_json::json!({ "purpose": "course_exit", "offering": c.offering, "template": true });
    let made = c.instructor.api("POST", "/api/v1/surveys", &staff, Some(body.clone())).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let made = made.json();
    let id = made["survey"]["id"].as_i64().unwrap();
    assert_eq!(made["survey"]["status"], "draft");
    assert_eq!(made["links"].as_array().unwrap().len(), 2);
    let path = format!("/api/v1/surveys/{id}");

    // A student makes no survey about the offering; another institution cannot see this one.
    let mut student = t.sign_in("s1@sw.edu").await;
    let token = student.api_token().await;
    assert_eq!(student.api("POST", "/api/v1/surveys", &token, Some(body)).await.status, 403);
    let mut other = class(&t, "sx").await;
    let theirs = other.admin.api_token().await;

    // The design: a yes/no question shown when CLO1 was rated 4 or more. A condition that
    // points forward is refused (409, named by the question), a two-point scale is malformed.
    let mut form = made["form"].clone();
    let questions = form["sections"][0]["questions"].as_array_mut().unwrap();
    questions.push(serde_json::json!({
        "key": "more", "text": "Would you take a follow-on course?", "kind": { "type": "yes_no" },
        "show_if": { "question": "clo1", "test": { "is": "at_least", "value": 4.0 } }
    }));
    let design = |form: &serde_json::Value| serde_json::json!({ "title": "Exit survey", "anonymous": false, "form": form, "links": made["links"] });
    let mut forward = form.clone();
    forward["sections"][0]["questions"][0]["show_if"] =
        serde_json::json!({ "question": "more", "test": { "is": "answered" } });
    let refused = c.instructor.api("PUT", &path, &staff, Some(design(&forward))).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert_eq!(refused.json()["fields"][0]["field"], "clo1.show_if");
    let mut two = form.clone();
    two["sections"][0]["questions"][0]["kind"]["points"] = serde_json::json!(2);
    assert_eq!(c.instructor.api("PUT", &path, &staff, Some(design(&two))).await.status, 422);
    let saved = c.instructor.api("PUT", &path, &staff, Some(design(&form))).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let saved = saved.json();
    assert_eq!(saved["survey"]["title"], "Exit survey");
    assert_eq!(saved["form"]["sections"][0]["questions"][2]["key"], "more");
    assert_eq!(other.admin.api("PUT", &path, &theirs, Some(design(&form))).await.status, 404);

    // Published to the offering's students and one employer; the window must lie ahead.
    let now = chrono::Utc::now();
    let window = |opens: chrono::DateTime<chrono::Utc>, closes: chrono::DateTime<chrono::Utc>| {
        serde_json::json!({ "opens_at": opens.to_rfc3339(), "closes_at": closes.to_rfc3339(),
            "audience": "offering", "external": "email\nhr@acme.com" })
    };
    let publish = format!("{path}/publish");
    let past = window(now - chrono::Duration::days(3), now - chrono::Duration::days(1));
    let late = c.instructor.api("POST", &publish, &staff, Some(past)).await;
    assert_eq!(late.status, 409, "{}", late.text);
    assert_eq!(late.json()["fields"][0]["field"], "closes_at");
    let open = window(now - chrono::Duration::hours(1), now + chrono::Duration::days(3));
    assert_eq!(other.admin.api("POST", &publish, &theirs, Some(open.clone())).await.status, 404);
    let sent_before = t.emails().await.len();
    let published = c.instructor.api("POST", &publish, &staff, Some(open)).await;
    assert_eq!(published.status, 200, "{}", published.text);
    let published = published.json();
    assert_eq!((published["people"].as_u64(), published["external"].as_u64()), (Some(3), Some(1)));
    assert_eq!(published["survey"]["status"], "open");
    assert_eq!(t.emails().await.len() - sent_before, 4, "three students and the employer invited");
    let frozen = c.instructor.api("PUT", &path, &staff, Some(design(&form))).await;
    assert_eq!(frozen.status, 409, "a published form no longer changes: {}", frozen.text);

    // One student answers; the reminder goes to the other two and the employer only.
    let answer = serde_json::json!({ "fields": { "clo1": "5", "clo2": "4", "more": "yes" }, "finish": true });
    let answered = student.api("POST", &format!("{path}/response"), &token, Some(answer.clone())).await;
    assert_eq!(answered.json()["outcome"], "submitted");
    assert_eq!(student.api("POST", &format!("{path}/remind"), &token, None).await.status, 403);
    let reminded = c.instructor.api("POST", &format!("{path}/remind"), &staff, None).await;
    assert_eq!(reminded.json()["reminded"], 3, "{}", reminded.text);

    // Closed: no more answers, nor reminders. A copy is a new draft with the same design.
    assert_eq!(other.admin.api("POST", &format!("{path}/close"), &theirs, None).await.status, 404);
    let closed = c.instructor.api("POST", &format!("{path}/close"), &staff, None).await;
    assert_eq!(closed.json()["status"], "closed", "{}", closed.text);
    let mut late_student = t.sign_in("s2@sw.edu").await;
    let late_token = late_student.api_token().await;
    let refused = late_student.api("POST", &format!("{path}/response"), &late_token, Some(answer)).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert_eq!(c.instructor.api("POST", &format!("{path}/remind"), &staff, None).await.status, 409);
    let copy = c.instructor.api("POST", &format!("{path}/copy"), &staff, None).await;
    assert_eq!(copy.status, 201, "{}", copy.text);
    let copy = copy.json();
    assert_eq!(copy["survey"]["status"], "draft");
    assert_eq!(copy["survey"]["title"], "Copy of Exit survey");
    assert_eq!(copy["form"], saved["form"]);
    assert_eq!(copy["links"], saved["links"]);
    assert_eq!(other.admin.api("POST", &format!("{path}/copy"), &theirs, None).await.status, 404);
}
