//! `qobe bench attainment --size m`: end-to-end figures on a fresh demo institution — the
//! whole-institution recompute, the marks grid of a 300 × 40 class, and one mark saved with
//! the offering's attainment recomputed — measured as server time through the real router.

use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use axum::body::Body;
use axum::http::{Request, header};
use qobe_app::App;
use qobe_app::accounts::login::{LoginInput, LoginOutcome, login};
use qobe_app::accounts::sessions::resolve;
use qobe_domain::ids::{InstitutionId, OfferingId, TermId, UserId};
use qobe_store::bulk::{self, EnrollmentRow, MarkRow};
use qobe_web::WebConfig;
use tower::ServiceExt;

pub(crate) fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

pub(crate) fn worst(samples: &[Duration]) -> Duration {
    samples.iter().copied().max().unwrap_or_default()
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

pub async fn attainment(app: App, size: qobe_app::demo::Size) -> anyhow::Result<()> {
    let started = Instant::now();
    let summary = qobe_app::demo::generate(&app, size, |_| {}).await?;
    println!(
        "demo: {} students, {} offerings, {} registrations, {} marks in {:.1} s",
        summary.students,
        summary.offerings,
        summary.enrollments,
        summary.marks,
        started.elapsed().as_secs_f64()
    );
    let conn = app.store.conn();
    let institution =
        InstitutionId(qobe_store::tenancy::by_slug(conn, &summary.slug).await?.context("the demo institution")?.id);
    let policy = qobe_outcomes::Policy::pec();
    let mut totals = Vec::new();
    for run in 1..=3 {
        let r = qobe_app::assessment::recompute::recompute(conn, institution, &policy).await?;
        println!(
            "recompute {run}: load {} + compute {} = {} ({} offerings, {} marks, {} student-CLO scores, {} course-CLO results, {} student-PLO scores, {} cohort-PLO results)",
            ms(r.load_time),
            ms(r.compute_time),
            ms(r.load_time + r.compute_time),
            r.offerings,
            r.marks,
            r.student_clo_scores,
            r.course_clos.len(),
            r.student_plos.len(),
            r.cohort_plos.len()
        );
        totals.push(r.load_time + r.compute_time);
    }
    println!("recompute whole institution: best {}", ms(totals.iter().copied().min().unwrap_or_default()));

    let (offering, instructor_email, students, items) = big_class(&app, institution, "BENCH", 300, true).await?;
    let cookie = sign_in(&app, &instructor_email).await?;
    let router = qobe_web::router(app.clone(), WebConfig { secure: false, trusted_proxies: Vec::new() });
    let grid_path = format!("/assessment/offerings/{}/marks", offering.0);
    let mut grid = Vec::new();
    for _ in 0..20 {
        let request = Request::get(&grid_path)
            .header(header::HOST, "localhost")
            .header(header::COOKIE, format!("qobe_session={cookie}"))
            .body(Body::empty())?;
        let at = Instant::now();
        let response = router.clone().oneshot(request).await?;
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        grid.push(at.elapsed());
        if !bytes.windows(10).any(|w| w == b"class=\"cel") {
            return Err(anyhow!("the grid page did not render cells"));
        }
    }
    println!(
        "marks grid, {} students × {} items: median {}, worst {} (20 requests)",
        students.len(),
        items.len(),
        ms(median(grid.clone())),
        ms(worst(&grid))
    );

    let csrf = resolve(&app, &cookie).await?.context("session")?.csrf_token;
    let mut saves = Vec::new();
    for n in 0..20 {
        let field = format!("m{}_{}", students[n % students.len()], items[n % items.len()]);
        let body = format!("{field}={}", n % 10);
        let request = Request::post(&grid_path)
            .header(header::HOST, "localhost")
            .header(header::COOKIE, format!("qobe_session={cookie}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-requested-with", "fetch")
            .header("x-csrf-token", &csrf)
            .body(Body::from(body))?;
        let at = Instant::now();
        let response = router.clone().oneshot(request).await?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        saves.push(at.elapsed());
        if !status.is_success() {
            return Err(anyhow!("saving a mark failed: {status} {}", String::from_utf8_lossy(&bytes)));
        }
    }
    println!(
        "one mark saved → the offering's CLO attainment recomputed and returned: median {}, worst {} (20 saves)",
        ms(median(saves.clone())),
        ms(worst(&saves))
    );
    csv_import(&app, institution).await
}

/// A 100,000-row marks CSV (2,500 students × 40 items, one mark per row) checked, then
/// imported in one transaction.
async fn csv_import(app: &App, institution: InstitutionId) -> anyhow::Result<()> {
    let (offering, email, students, _) = big_class(app, institution, "CSV", 2500, false).await?;
    let cookie = sign_in(app, &email).await?;
    let actor = resolve(app, &cookie).await?.context("session")?.actor;
    let people = qobe_store::accounts::people(app.store.conn(), institution, &students).await?;
    let mut csv = String::from("email,item,mark\n");
    for (p, person) in people.iter().enumerate() {
        for i in 1..=40 {
            csv.push_str(&format!("{},Q{i},{}\n", person.email, (p + i) % 11));
        }
    }
    let rows = csv.lines().count() - 1;
    let at = Instant::now();
    let preview = qobe_app::assessment::import::preview(app, &actor, offering, csv.as_bytes()).await?;
    let checked = at.elapsed();
    if !preview.is_valid() {
        return Err(anyhow!("the bench CSV did not check: {:?}", preview.problems.first()));
    }
    let at = Instant::now();
    let saved = qobe_app::assessment::import::import(app, &actor, offering, csv.as_bytes())
        .await?
        .map_err(|p| anyhow!("import refused: {:?}", p.problems.first()))?;
    let imported = at.elapsed();
    println!(
        "marks CSV, {rows} rows: checked (preview) in {}, checked again and imported ({saved} marks) in {}",
        ms(checked),
        ms(imported)
    );
    Ok(())
}

pub(crate) async fn sign_in(app: &App, email: &str) -> anyhow::Result<String> {
    let client = qobe_app::ClientInfo { ip: Some("127.0.0.1".into()), user_agent: Some("qobe bench".into()) };
    let input =
        LoginInput { email: email.to_owned(), password: qobe_app::demo::DEMO_PASSWORD.to_owned(), institution: None };
    let LoginOutcome::SignedIn { session_token, .. } = login(app, input, &client).await? else {
        return Err(anyhow!("the instructor has accounts in several institutions"));
    };
    let actor = resolve(app, &session_token).await?.context("session")?.actor;
    let accepted = qobe_app::accounts::consent::ConsentInput { accept_terms: true };
    qobe_app::accounts::consent::accept_current(app, &actor, &accepted, &client).await?;
    Ok(session_token)
}

/// A new section of a running course with 300 of the demo's students and 40 items, every mark
/// entered; returns it with its instructor, students and items.
pub(crate) async fn big_class(
    app: &App,
    institution: InstitutionId,
    section: &str,
    size: usize,
    with_marks: bool,
) -> anyhow::Result<(OfferingId, String, Vec<i64>, Vec<i64>)> {
    let conn = app.store.conn();
    let now = app.now();
    let running = qobe_store::academics::terms::list(conn, institution).await?.into_iter().next().context("a term")?;
    let template = qobe_store::academics::offerings::list(conn, institution, Some(TermId(running.id)))
        .await?
        .into_iter()
        .next()
        .context("an offering")?;
    let instructor = qobe_store::academics::offerings::instructors(conn, institution, &[template.id])
        .await?
        .first()
        .map(|i| i.user_id)
        .context("an instructor")?;
    let tx = app.store.begin().await?;
    let offering = qobe_store::academics::offerings::insert(
        &tx,
        institution,
        qobe_store::academics::offerings::OfferingFields {
            course: qobe_domain::ids::CourseId(template.course_id),
            term: TermId(running.id),
            section,
            capacity: size as i64,
            room: None,
            online: false,
            schedule: "",
            requires_approval: false,
        },
        now,
    )
    .await?;
    qobe_store::academics::offerings::add_instructor(&tx, institution, OfferingId(offering.id), UserId(instructor))
        .await?;
    let students: Vec<i64> = qobe_store::assessment::institution::students(&tx, institution)
        .await?
        .into_iter()
        .take(size)
        .map(|(user, _, _)| user)
        .collect();
    let enrollments: Vec<EnrollmentRow> = students
        .iter()
        .map(|user| EnrollmentRow {
            offering: offering.id,
            user: *user,
            term: running.id,
            course: template.course_id,
            status: "enrolled",
            credits: 3.0,
            grade: None,
        })
        .collect();
    bulk::insert_enrollments(&tx, institution, &enrollments, now).await?;
    let names = ["Quiz", "Assignment", "Midterm", "Final"];
    let rows: Vec<(i64, &str, &str, f64, i64)> = names
        .iter()
        .enumerate()
        .map(|(p, name)| (offering.id, *name, if p < 3 { "CIE" } else { "SEE" }, 25.0, p as i64 + 1))
        .collect();
    let assessments = bulk::insert_assessments(&tx, institution, &rows, now).await?;
    let labels: Vec<String> = (1..=40).map(|i| format!("Q{i}")).collect();
    let item_rows: Vec<(i64, i64, &str, f64, i64)> =
        (0..40).map(|i| (offering.id, assessments[i % 4], labels[i].as_str(), 10.0, i as i64 + 1)).collect();
    let items = bulk::insert_items(&tx, institution, &item_rows).await?;
    let clos: Vec<i64> = qobe_store::academics::outcomes::all_versions(
        &tx,
        institution,
        qobe_store::academics::outcomes::OutcomeOwner::CourseClos(template.course_id),
    )
    .await?
    .iter()
    .map(|c| c.id)
    .collect();
    let shares: Vec<(i64, i64, f64)> =
        items.iter().enumerate().map(|(i, item)| (*item, clos[i % clos.len()], 1.0)).collect();
    bulk::insert_item_clos(&tx, institution, &shares).await?;
    let marks: Vec<MarkRow> = students
        .iter()
        .enumerate()
        .flat_map(|(s, user)| {
            items.iter().enumerate().map(move |(i, item)| MarkRow {
                offering: offering.id,
                item: *item,
                user: *user,
                score: Some(((s * 7 + i * 3) % 11) as f64),
                status: "score",
            })
        })
        .map(|mut m| {
            if m.score.is_some_and(|s| s > 10.0) {
                m.score = Some(10.0);
            }
            m
        })
        .collect();
    if with_marks {
        bulk::insert_marks(&tx, institution, &marks, instructor, now).await?;
    }
    qobe_store::commit(tx).await?;
    let email =
        qobe_store::accounts::get(conn, Some(institution), UserId(instructor)).await?.context("instructor")?.email;
    Ok((OfferingId(offering.id), email, students, items))
}

/// `qobe bench report --size m`: the program report PDF of the demo's first program (40
/// courses), timed from the request to the finished PDF.
pub async fn report(app: App, size: qobe_app::demo::Size) -> anyhow::Result<()> {
    let summary = qobe_app::demo::generate(&app, size, |_| {}).await?;
    let conn = app.store.conn();
    let institution =
        InstitutionId(qobe_store::tenancy::by_slug(conn, &summary.slug).await?.context("the demo institution")?.id);
    let program = qobe_store::structure::programs(conn, institution).await?.into_iter().next().context("a program")?;
    let cookie = sign_in(&app, &summary.admin_email).await?;
    let actor = resolve(&app, &cookie).await?.context("session")?.actor;
    let mut times = Vec::new();
    let mut size_bytes = 0;
    for _ in 0..3 {
        let at = Instant::now();
        let pdf = qobe_app::reports::program::report_pdf(
            &app,
            &actor,
            qobe_domain::ids::ProgramId(program.id),
            Default::default(),
        )
        .await?;
        times.push(at.elapsed());
        size_bytes = pdf.len();
    }
    println!(
        "program report PDF of {} ({} courses in its curriculum): best {}, worst {} (3 runs), {} KB",
        program.code,
        40,
        ms(times.iter().copied().min().unwrap_or_default()),
        ms(worst(&times)),
        size_bytes / 1024
    );
    // The same report as users ask for it: a background job, taken by the job runner as
    // `qobe serve` runs it (polling every second), followed until its file is ready.
    let runner = tokio::spawn(qobe_app::jobs::serve(app.clone()));
    let at = Instant::now();
    let job = qobe_app::reports::jobs::start_program_report(
        &app,
        &actor,
        qobe_domain::ids::ProgramId(program.id),
        Default::default(),
    )
    .await?;
    let mut stages = Vec::new();
    let status = loop {
        let status = qobe_app::reports::jobs::status(&app, &actor, job).await?;
        if stages.last() != Some(&status.stage) {
            stages.push(status.stage.clone());
        }
        if status.status == "done" || status.status == "failed" {
            break status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    println!("as a background job: {} in {} (stages seen: {})", status.status, ms(at.elapsed()), stages.join(" → "));
    runner.abort();
    Ok(())
}
