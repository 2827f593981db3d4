//! Tenant isolation over every route that takes an id. The routes are read from the router's
//! own source (every `.route("…", …)` in `crates/web/src`), so a new route with an id fails
//! this test until the resolver below knows its ids or it is exempted with a reason. Each route
//! and method is tried by institution B's admin and one of its students with institution A's
//! ids, and must answer exactly as it does for ids that exist nowhere; no answer may carry A's
//! data, and every row of A is the same afterwards.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use qobe_domain::ids::{InstitutionId, OfferingId, TermId, UserId};
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult, JsonValue, Statement};

use crate::support::{Client, TestApp};

/// Routes that take an id but are not one institution's: with the reason.
const EXEMPT: &[(&str, &str)] = &[
    ("/operator/institutions/{id}/plan", "the platform operator manages every institution by design (tenancy.rs)"),
    ("/operator/institutions/{id}/suspend", "the platform operator manages every institution by design (tenancy.rs)"),
    (
        "/operator/institutions/{id}/reactivate",
        "the platform operator manages every institution by design (tenancy.rs)",
    ),
    (
        "/operator/jobs/{id}/retry",
        "the platform operator retries any given-up background work; others get 403 (jobs.rs)",
    ),
];

/// An id that exists in no institution.
const MISSING: i64 = 987_654_321;

/// One route of the router: its path template, and per method the handler and whether it reads
/// a multipart body.
#[derive(Debug)]
struct Route {
    path: String,
    methods: Vec<(String, bool)>,
}

/// The text from an opening parenthesis (exclusive) to its matching close.
fn balanced(text: &str) -> &str {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[..i];
                }
            }
            _ => {}
        }
    }
    text
}

/// Whether `handler`, an `async fn` of this file, takes a multipart body.
fn takes_multipart(file: &str, handler: &str) -> bool {
    let Some(start) = file.find(&format!("async fn {handler}(")) else { return false };
    let signature = file[start..].split(") ->").next().unwrap_or_default();
    signature.contains("Multipart")
}

/// Every route with an id in its path, from the router's source.
fn id_routes() -> Vec<Route> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = crate::support::files_under(&src, "rs");
    let mut routes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let relative = file.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        let prefix = match relative.as_str() {
            "api/mod.rs" => "/api",
            r if r.starts_with("api/") => "/api/v1",
            _ => "",
        };
        for (at, _) in text.match_indices(".route(\"") {
            let args = balanced(&text[at + ".route(".len()..]);
            let path = args[1..].split('"').next().unwrap();
            if !path.contains('{') {
                continue;
            }
            let mut methods = Vec::new();
            for method in ["get", "post", "put", "delete", "patch"] {
                for (i, _) in args.match_indices(&format!("{method}(")) {
                    let before = args[..i].chars().last().unwrap_or(' ');
                    if before.is_alphanumeric() || before == '_' {
                        continue;
                    }
                    let handler = balanced(&args[i + method.len() + 1..]).trim();
                    methods.push((method.to_uppercase(), takes_multipart(&text, handler)));
                }
            }
            assert!(!methods.is_empty(), "no method found for {path} in {relative}");
            routes.push(Route { path: format!("{prefix}{path}"), methods });
        }
    }
    routes.sort_by(|a, b| a.path.cmp(&b.path));
    routes
}

async fn one(conn: &DatabaseConnection, sql: &str) -> i64 {
    let statement = Statement::from_string(conn.get_database_backend(), sql.to_owned());
    let row = conn.query_one_raw(statement).await.unwrap().unwrap_or_else(|| panic!("no row for {sql}"));
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Every row of the institution, table by table (binary columns by their length), to show
/// that nothing of it changed.
async fn rows_of(conn: &DatabaseConnection, institution: i64) -> BTreeMap<String, Vec<JsonValue>> {
    let backend = conn.get_database_backend();
    let tables = crate::support::schema::columns(conn).await;
    let mut out = BTreeMap::new();
    for (table, columns) in tables {
        let scope = if table == "institutions" {
            "id"
        } else if columns.iter().any(|(c, _)| c == "institution_id") {
            "institution_id"
        } else {
            continue;
        };
        let shown: Vec<String> = columns
            .iter()
            .map(|(c, kind)| if kind == "blob" || kind == "bytea" { format!("length({c}) AS {c}") } else { c.clone() })
            .collect();
        let sql = format!("SELECT {} FROM {table} WHERE {scope} = {institution} ORDER BY id", shown.join(", "));
        let rows = JsonValue::find_by_statement(Statement::from_string(backend, sql)).all(conn).await.unwrap();
        out.insert(table, rows);
    }
    out
}

/// Institution A's ids, each of the kind its route expects and belonging together (the CLO of
/// the offering's plan, the hold of the user, …), so a route that forgot the institution would
/// act on them.
struct Victim {
    ids: HashMap<&'static str, i64>,
    /// Text that appears only in A's data.
    marks: Vec<String>,
}

impl Victim {
    fn id(&self, kind: &str) -> i64 {
        *self.ids.get(kind).unwrap_or_else(|| panic!("no {kind} of A"))
    }

    /// The value for placeholder `name` after `previous` (a segment or another placeholder) in
    /// `path`: A's id, or [`MISSING`] when `missing`; words (an action, a kind) stay as they are.
    fn value(&self, path: &str, previous: &str, name: &str, missing: bool) -> String {
        let id = |kind: &str| if missing { MISSING.to_string() } else { self.id(kind).to_string() };
        let api = path.starts_with("/api/");
        match (previous, name) {
            ("step", "action") | ("grades", "action") => "submit".into(),
            ("{request}", "decision") => "approve".into(),
            (_, "kind") => "plos".into(),
            ("{kind}", "outcome") => id("plo"),
            ("{cohort}", "plo") => id("plo_lineage"),
            ("offerings", "id") if path.contains("/grades/changes") => id("locked_offering"),
            ("offerings", "id") => id("offering"),
            ("registration" | "registrations", "offering") => id("offering"),
            ("assessments", "assessment") => id("assessment"),
            ("items", "item") => id("item"),
            ("attainment", "clo") => id("plan_clo"),
            ("students", "student") | ("students", "id") => id("student"),
            ("changes", "request") => id("change_request"),
            ("courses", "id") => id("course"),
            ("clos", "clo") => id("course_clo"),
            ("prerequisites", "pre") => id("prerequisite"),
            ("cohorts", "id") | ("attainment", "cohort") => id("cohort"),
            ("curricula", "id") => id("curriculum"),
            ("programs", "id") => id("program"),
            ("terms", "id") => id("term"),
            ("departments", "id") => id("department"),
            ("faculties", "id") => id("faculty"),
            ("roles", "id") => id("grant"),
            ("users", "id") if api || path.starts_with("/users/") => id("pictured_user"),
            ("users", "id") => id("student"),
            ("holds", "hold") => id("hold"),
            ("findings", "id") => id("finding"),
            ("actions", "id") => id("action"),
            ("evidence", "id") => id("evidence"),
            ("documents", "id") => id("document"),
            ("requests", "id") => id("pending_request"),
            ("sessions", "id") => id("session"),
            ("tokens", "id") => id("token"),
            ("surveys", "id") => id("survey"),
            ("modules", "id") => id("module"),
            ("items", "id") => id("content_item"),
            ("announcements", "id") => id("announcement"),
            ("threads", "id") => id("thread"),
            ("posts", "id") => id("post"),
            ("messages", "id") => id("conversation"),
            ("assignments", "id") => id("assignment"),
            ("submissions", "id") => id("submission"),
            ("files", "file") => id("stored_file"),
            ("grade" | "grades", "student") => id("student"),
            ("quizzes", "id") => id("quiz"),
            ("attempts" | "quiz-attempts", "id") => id("attempt"),
            ("questions", "question") => id("question"),
            ("answers", "answer") => id("answer"),
            // A question's place in an attempt, not an id: the attempt's id is what is A's.
            ("answers", "slot") => "0".into(),
            _ => panic!("{path}: no value for {{{name}}} after {previous}; teach the resolver or exempt the route"),
        }
    }

    /// `template` with every placeholder filled.
    fn fill(&self, template: &str, missing: bool) -> String {
        let mut previous = String::new();
        let mut out = Vec::new();
        for segment in template.split('/') {
            let shown = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => self.value(template, &previous, name, missing),
                None => segment.to_owned(),
            };
            out.push(shown);
            previous = segment.to_owned();
        }
        out.join("/")
    }
}

/// Institution A: the demo, with what the demo lacks added through its pages (a faculty, a
/// prerequisite, a hold, evidence, a grade change request, a report job, a picture, a token and
/// a registration waiting for approval).
async fn victim(t: &TestApp) -> (Victim, i64) {
    let (demo, mut admin) = t.demo_admin().await;
    let conn = t.app.store.conn();
    let a = qobe_store::tenancy::by_slug(conn, &demo.slug).await.unwrap().unwrap().id;
    let mut ids: HashMap<&'static str, i64> = HashMap::new();
    let q = |sql: String| async move { one(conn, &sql).await };

    let offering = q(format!(
        "SELECT o.id FROM offerings o WHERE o.institution_id = {a} \
         AND EXISTS (SELECT 1 FROM item_clo_maps m JOIN assessment_items i ON i.id = m.item_id WHERE i.offering_id = o.id) \
         AND EXISTS (SELECT 1 FROM enrollments e WHERE e.offering_id = o.id AND e.status = 'enrolled') \
         AND NOT EXISTS (SELECT 1 FROM offering_results r WHERE r.offering_id = o.id AND r.status <> 'draft') ORDER BY o.id"
    ))
    .await;
    ids.insert("offering", offering);
    ids.insert("assessment", q(format!("SELECT id FROM assessments WHERE offering_id = {offering} ORDER BY id")).await);
    ids.insert("item", q(format!("SELECT id FROM assessment_items WHERE offering_id = {offering} ORDER BY id")).await);
    ids.insert(
        "plan_clo",
        q(format!(
            "SELECT m.clo_id FROM item_clo_maps m JOIN assessment_items i ON i.id = m.item_id WHERE i.offering_id = {offering} ORDER BY m.clo_id"
        ))
        .await,
    );
    let student = q(format!(
        "SELECT user_id FROM enrollments WHERE offering_id = {offering} AND status = 'enrolled' ORDER BY user_id"
    ))
    .await;
    ids.insert("student", student);
    let course = q(format!("SELECT course_id FROM offerings WHERE id = {offering}")).await;
    ids.insert("course", course);
    ids.insert("course_clo", q(format!("SELECT id FROM clos WHERE course_id = {course} ORDER BY id")).await);
    let term = q(format!("SELECT term_id FROM offerings WHERE id = {offering}")).await;
    ids.insert("term", term);
    let locked = q(format!(
        "SELECT offering_id FROM offering_results WHERE institution_id = {a} AND status = 'locked' ORDER BY offering_id"
    ))
    .await;
    ids.insert("locked_offering", locked);
    let program = q(format!("SELECT id FROM programs WHERE institution_id = {a} ORDER BY id")).await;
    ids.insert("program", program);
    ids.insert("plo", q(format!("SELECT id FROM plos WHERE program_id = {program} ORDER BY id")).await);
    ids.insert("plo_lineage", q(format!("SELECT lineage_id FROM plos WHERE program_id = {program} ORDER BY id")).await);
    ids.insert("cohort", q(format!("SELECT id FROM cohorts WHERE program_id = {program} ORDER BY id")).await);
    ids.insert(
        "curriculum",
        q(format!("SELECT id FROM curriculum_versions WHERE program_id = {program} ORDER BY id")).await,
    );
    ids.insert("department", q(format!("SELECT id FROM departments WHERE institution_id = {a} ORDER BY id")).await);
    ids.insert("grant", q(format!("SELECT id FROM role_grants WHERE institution_id = {a} ORDER BY id")).await);
    let action = q(format!("SELECT id FROM cqi_actions WHERE institution_id = {a} ORDER BY id")).await;
    ids.insert("action", action);
    let finding = q(format!("SELECT finding_id FROM cqi_actions WHERE id = {action}")).await;
    ids.insert("finding", finding);

    // What the demo does not make, made as A's admin would.
    let made = admin.submit("/admin/structure", "/admin/faculties", &[("code", "ENG"), ("name", "Engineering")]).await;
    assert_eq!(made.status, 303, "{}", made.text);
    ids.insert("faculty", q(format!("SELECT id FROM faculties WHERE institution_id = {a} ORDER BY id")).await);
    let required = q(format!("SELECT id FROM courses WHERE institution_id = {a} AND id <> {course} ORDER BY id")).await;
    let required_code =
        qobe_store::academics::courses::get(conn, InstitutionId(a), qobe_domain::ids::CourseId(required))
            .await
            .unwrap()
            .unwrap()
            .code;
    let page = format!("/academics/courses/{course}");
    let made = admin
        .submit(&page, &format!("{page}/prerequisites"), &[("required_course", &required_code), ("min_grade", "C")])
        .await;
    assert_eq!(made.status, 303, "{}", made.text);
    ids.insert("prerequisite", q(format!("SELECT id FROM prerequisites WHERE course_id = {course} ORDER BY id")).await);
    let page = format!("/admin/users/{student}");
    let made = admin.submit(&page, &format!("{page}/holds"), &[("reason", "Library fine")]).await;
    assert_eq!(made.status, 303, "{}", made.text);
    ids.insert("hold", q(format!("SELECT id FROM holds WHERE user_id = {student} ORDER BY id")).await);
    let page = format!("/cqi/findings/{finding}");
    let png = crate::isolation::tiny_png();
    let made = admin
        .upload_with(
            &page,
            &format!("/cqi/actions/{action}/evidence"),
            &[("finding", &finding.to_string())],
            "file",
            "minutes.png",
            &png,
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.text);
    ids.insert("evidence", q(format!("SELECT id FROM cqi_evidence WHERE action_id = {action} ORDER BY id")).await);
    let completed = q(format!(
        "SELECT user_id FROM enrollments WHERE offering_id = {locked} AND status = 'completed' ORDER BY user_id"
    ))
    .await;
    let page = format!("/results/offerings/{locked}/grades");
    let made = admin
        .submit(
            &page,
            &format!("{page}/changes"),
            &[("student", &completed.to_string()), ("to_letter", "A"), ("reason", "Re-marked")],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.text);
    ids.insert(
        "change_request",
        q(format!("SELECT id FROM result_change_requests WHERE offering_id = {locked}")).await,
    );
    let page = format!("/assessment/programs/{program}/attainment");
    let made = admin.submit(&page, &format!("/assessment/programs/{program}/report"), &[]).await;
    assert_eq!(made.status, 303, "{}", made.text);
    let document = q(format!("SELECT id FROM document_jobs WHERE institution_id = {a} ORDER BY id")).await;
    ids.insert("document", document);
    let admin_user =
        q(format!("SELECT id FROM users WHERE institution_id = {a} AND email = '{}'", demo.admin_email)).await;
    let made = admin.upload("/profile", "/profile/picture", "image", "me.png", &png).await;
    assert_eq!(made.status, 303, "{}", made.text);
    ids.insert("pictured_user", admin_user);
    admin.api_token().await;
    ids.insert("token", q(format!("SELECT id FROM api_tokens WHERE user_id = {admin_user} ORDER BY id")).await);
    ids.insert("session", q(format!("SELECT id FROM sessions WHERE user_id = {admin_user} ORDER BY id")).await);
    let offering_id = offering.to_string();
    let made = admin
        .submit("/surveys", "/surveys", &[("purpose", "course_exit"), ("offering", &offering_id), ("template", "on")])
        .await;
    assert_eq!(made.status, 303, "{}", made.text);
    ids.insert("survey", q(format!("SELECT id FROM surveys WHERE institution_id = {a} ORDER BY id")).await);
    // The demo's course content: a module, and its file item (with bytes in the store).
    ids.insert("module", q(format!("SELECT id FROM content_modules WHERE institution_id = {a} ORDER BY id")).await);
    ids.insert("announcement", q(format!("SELECT id FROM announcements WHERE institution_id = {a} ORDER BY id")).await);
    // The demo's forum thread (its opening post) and its student's message to the instructor.
    ids.insert("thread", q(format!("SELECT id FROM forum_threads WHERE institution_id = {a} ORDER BY id")).await);
    ids.insert("post", q(format!("SELECT id FROM forum_posts WHERE institution_id = {a} ORDER BY id")).await);
    ids.insert("conversation", q(format!("SELECT id FROM conversations WHERE institution_id = {a} ORDER BY id")).await);
    // The demo's assignment and its student's hand-in, and a stored file of A's.
    ids.insert("assignment", q(format!("SELECT id FROM assignments WHERE institution_id = {a} ORDER BY id")).await);
    ids.insert("submission", q(format!("SELECT id FROM submissions WHERE institution_id = {a} ORDER BY id")).await);
    // The demo's quiz, a question of its bank, and its student's attempt with an answer.
    ids.insert("quiz", q(format!("SELECT id FROM quizzes WHERE institution_id = {a} ORDER BY id")).await);
    ids.insert("question", q(format!("SELECT id FROM questions WHERE institution_id = {a} ORDER BY id")).await);
    ids.insert("attempt", q(format!("SELECT id FROM quiz_attempts WHERE institution_id = {a} ORDER BY id")).await);
    ids.insert("answer", q(format!("SELECT id FROM quiz_answers WHERE institution_id = {a} ORDER BY id")).await);
    ids.insert(
        "stored_file",
        q(format!("SELECT id FROM files WHERE institution_id = {a} AND kind = 'content' ORDER BY id")).await,
    );
    ids.insert(
        "content_item",
        q(format!("SELECT id FROM content_items WHERE institution_id = {a} AND kind = 'file' ORDER BY id")).await,
    );
    let waiting = q(format!(
        "SELECT id FROM offerings WHERE institution_id = {a} AND term_id = {term} AND id <> {offering} ORDER BY id"
    ))
    .await;
    let new = qobe_store::registration::NewEnrollment {
        offering: OfferingId(waiting),
        user: UserId(student),
        term: TermId(term),
        course: q(format!("SELECT course_id FROM offerings WHERE id = {waiting}")).await,
        status: "pending_approval",
        waitlist_position: None,
        credits: 3.0,
        grade: None,
        decided_by: None,
    };
    let pending = qobe_store::registration::upsert(conn, InstitutionId(a), new, t.app.now()).await.unwrap();
    ids.insert("pending_request", pending.id);

    // The report job runs in the background: let it finish before A's rows are compared.
    for _ in 0..600 {
        let job = qobe_store::documents::job(conn, InstitutionId(a), qobe_domain::ids::DocumentId(document))
            .await
            .unwrap()
            .unwrap();
        if job.status != "queued" && job.status != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let email = qobe_store::accounts::get(conn, Some(InstitutionId(a)), UserId(student)).await.unwrap().unwrap().email;
    let institution = qobe_store::tenancy::by_slug(conn, &demo.slug).await.unwrap().unwrap();
    (Victim { ids, marks: vec![email, institution.name, demo.admin_email.clone()] }, a)
}

/// Form fields that would pass most forms' checks, so a route that forgot the institution would
/// act instead of refusing the input.
fn plausible(v: &Victim) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = [
        ("name", "Isolation"),
        ("code", "ISO9"),
        ("title", "Isolation"),
        ("text", "Analyse isolation"),
        ("taxonomy_level", "C3"),
        ("weight", "10"),
        ("category", "CIE"),
        ("label", "Z9"),
        ("max_marks", "10"),
        ("clos", "CLO1"),
        ("status", "done"),
        ("decision", "approve"),
        ("reason", "Because"),
        ("note", "Because"),
        ("description", "Do it"),
        ("effectiveness", "effective"),
        ("to_letter", "A"),
        ("email", "someone@example.edu"),
        ("role", "student"),
        ("scope", "institution"),
        ("min_grade", "C"),
        ("section", "Z"),
        ("capacity", "30"),
        ("confirm_blanks", "on"),
        ("valid_days", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect();
    for (field, kind) in
        [("student", "student"), ("user_id", "student"), ("finding", "finding"), ("term", "term"), ("due_term", "term")]
    {
        fields.push((field, v.id(kind).to_string()));
    }
    fields
}

/// One try of a route: the status and the body.
async fn attempt(
    client: &mut Client,
    token: &str,
    csrf: &str,
    method: &str,
    multipart: bool,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let response = if path.starts_with("/api/") {
        let body = (method != "GET" && method != "DELETE").then(|| serde_json::json!({}));
        client.api(method, path, token, body).await
    } else if method == "GET" {
        client.get(path).await
    } else if multipart {
        client.upload_with("/profile", path, fields, "file", "data.csv", b"email,mark\n").await
    } else {
        let mut all = fields.to_vec();
        all.push(("csrf_token", csrf));
        client.post_raw(path, &all).await
    };
    (response.status, response.text)
}

#[tokio::test]
async fn every_route_with_an_id_answers_another_institution_as_for_a_missing_id() {
    let t = TestApp::new().await;
    let (v, a) = victim(&t).await;
    let conn = t.app.store.conn();

    // Institution B: its admin (every permission in B) and a student.
    let mut operator = t.operator().await;
    let mut admin_b = t.institution(&mut operator, "beta", "").await;
    let mut student_b = t.invite(&mut admin_b, "student@beta.edu", "student").await;
    let before = rows_of(conn, a).await;
    let kept: usize = before.values().map(Vec::len).sum();
    println!("{kept} rows of institution A in {} tables", before.len());

    let routes = id_routes();
    let exempt: HashMap<&str, &str> = EXEMPT.iter().copied().collect();
    println!("Routes exempt from the cross-institution check:");
    for (path, why) in EXEMPT {
        println!("  {path}: {why}");
        assert!(routes.iter().any(|r| r.path == *path), "exempt route {path} is no longer in the router");
    }
    let fields = plausible(&v);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut wrong = Vec::new();
    let mut tried = 0;
    for attacker in [&mut admin_b, &mut student_b] {
        let token = attacker.api_token().await;
        let csrf = attacker.get("/profile").await.csrf().expect("a CSRF token");
        for route in routes.iter().filter(|r| !exempt.contains_key(r.path.as_str())) {
            let (theirs, nowhere) = (v.fill(&route.path, false), v.fill(&route.path, true));
            for (method, multipart) in &route.methods {
                let (status, body) = attempt(attacker, &token, &csrf, method, *multipart, &theirs, &fields).await;
                let (expected, _) = attempt(attacker, &token, &csrf, method, *multipart, &nowhere, &fields).await;
                tried += 1;
                if status != expected {
                    wrong.push(format!("{method} {theirs}: {status}, but {expected} for a missing id"));
                }
                if let Some(mark) = v.marks.iter().find(|m| body.contains(m.as_str())) {
                    wrong.push(format!("{method} {theirs}: the answer shows A's {mark:?}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "routes that treat another institution's ids differently:\n{}", wrong.join("\n"));
    println!("{tried} tries over {} routes with ids", routes.len());

    let after = rows_of(conn, a).await;
    for (table, rows) in &before {
        assert_eq!(Some(rows), after.get(table), "institution A's {table} changed");
    }
}
