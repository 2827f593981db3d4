//! Durable background jobs: work exists only if the change that caused it committed, survives
//! the process that was doing it, is retried when it fails and done once; recurring chores run
//! once per period however many instances tick.

use chrono::Duration;
use qobe_app::jobs::{self, Kind, Outcome, Runner};
use qobe_app::mail::{self, Email};

use crate::support::TestApp;
use crate::support::schema::count;

fn email(to: &str) -> Email {
    Email { to: to.into(), subject: "Hello".into(), body: "A line.\n".into() }
}

/// Queues an email to `to` in a transaction that commits.
async fn queue_committed(t: &TestApp, to: &str) {
    let tx = t.app.store.begin().await.unwrap();
    mail::queue(&tx, &t.app, None, email(to)).await.unwrap();
    qobe_store::commit(tx).await.unwrap();
}

fn outbox_files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[tokio::test]
async fn a_job_added_in_a_rolled_back_transaction_never_runs() {
    let t = TestApp::new().await;
    let tx = t.app.store.begin().await.unwrap();
    mail::queue(&tx, &t.app, None, email("never@uni.edu")).await.unwrap();
    drop(tx);
    queue_committed(&t, "sent@uni.edu").await;
    let ran = t.run_jobs().await;
    assert_eq!(ran.len(), 1, "{ran:?}");
    let sent = t.emails().await;
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("To: sent@uni.edu"), "{}", sent[0]);
    // And an invitation refused by the seat limit queues no email either.
    let mut operator = t.operator().await;
    let mut admin = t.institution(&mut operator, "full", "1").await;
    let before = count(t.app.store.conn(), "jobs").await;
    let refused = admin
        .submit(
            "/admin/users/invite",
            "/admin/users/invite",
            &[("email", "extra@full.edu"), ("name", "Extra"), ("role", "student"), ("scope", "institution")],
        )
        .await;
    assert_ne!(refused.status, 303, "{}", refused.text);
    assert_eq!(count(t.app.store.conn(), "jobs").await, before, "no job for the refused invitation");
}

#[tokio::test]
async fn a_job_whose_runner_stops_is_taken_over_and_finishes_once() {
    let t = TestApp::new().await;
    queue_committed(&t, "once@uni.edu").await;
    // Instance A claims the email, and its process stops before sending it.
    let a_outbox = t.outbox.with_file_name("outbox-a");
    let a = Runner::new(&t.second_app(a_outbox.clone()).await);
    let stopped = a.claim().await.unwrap().expect("A claims the job");
    assert_eq!(stopped.attempt, 1);
    // Instance B finds nothing to do while A's lease lasts ...
    let b = Runner::new(&t.second_app(t.outbox.clone()).await);
    assert!(b.run_due().await.unwrap().is_empty(), "the lease is A's");
    // ... and takes the job over once it has run out.
    t.clock.advance(jobs::LEASE + Duration::seconds(1));
    let taken = b.run_due().await.unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!((taken[0].1, &taken[0].2), (Kind::Email, &Outcome::Done));
    let row = jobs::get(&t.app, stopped.id).await.unwrap().expect("job");
    assert_eq!((row.status.as_str(), row.attempts), ("done", 2));
    // Had A only paused, it could no longer record anything for the job.
    assert!(stopped.progress(50, "Sending").await.is_err(), "A's lease is gone");
    assert!(b.run_due().await.unwrap().is_empty());
    assert_eq!(outbox_files(&t.outbox).len(), 1, "sent once");
    assert!(outbox_files(&a_outbox).is_empty(), "not by A");
}

#[tokio::test]
async fn two_runners_never_do_the_same_job() {
    let t = TestApp::new().await;
    let tx = t.app.store.begin().await.unwrap();
    for n in 0..30 {
        mail::queue(&tx, &t.app, None, email(&format!("p{n}@uni.edu"))).await.unwrap();
    }
    qobe_store::commit(tx).await.unwrap();
    let other = t.second_app(t.outbox.clone()).await;
    let (a, b) = (Runner::new(&t.app), Runner::new(&other));
    let (ran_a, ran_b) = tokio::join!(a.run_due(), b.run_due());
    let (ran_a, ran_b) = (ran_a.unwrap(), ran_b.unwrap());
    let mut ids: Vec<i64> = ran_a.iter().chain(&ran_b).map(|(id, _, _)| id.0).collect();
    assert_eq!(ids.len(), 30, "every job ran");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 30, "and none twice");
    assert!(ran_a.iter().chain(&ran_b).all(|(_, _, outcome)| *outcome == Outcome::Done));
    assert_eq!(outbox_files(&t.outbox).len(), 30);
}

#[tokio::test]
async fn a_failed_send_is_tried_again_later_and_sent_once() {
    let t = TestApp::new().await;
    queue_committed(&t, "retry@uni.edu").await;
    // The outbox cannot be written: a file stands where its folder should be.
    let outbox = t.outbox.with_file_name("blocked-outbox");
    std::fs::write(&outbox, b"not a folder").unwrap();
    let runner = Runner::new(&t.second_app(outbox.clone()).await);
    let first = runner.run_due().await.unwrap();
    assert_eq!(first.len(), 1);
    let Outcome::RetryLater(error) = &first[0].2 else { panic!("{first:?}") };
    assert!(error.contains("outbox"), "{error}");
    let row = jobs::get(&t.app, first[0].0).await.unwrap().expect("job");
    assert_eq!((row.status.as_str(), row.attempts), ("queued", 1));
    assert_eq!(row.last_error.as_deref(), Some(error.as_str()));
    // Not again before the backoff has passed.
    assert!(runner.run_due().await.unwrap().is_empty());
    std::fs::remove_file(&outbox).unwrap();
    t.clock.advance(Duration::seconds(29));
    assert!(runner.run_due().await.unwrap().is_empty(), "30 s after the first failure");
    t.clock.advance(Duration::seconds(1));
    let second = runner.run_due().await.unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].2, Outcome::Done);
    assert!(runner.run_due().await.unwrap().is_empty());
    let sent = outbox_files(&outbox);
    assert_eq!(sent.len(), 1, "{sent:?}");
    let text = std::fs::read_to_string(outbox.join(&sent[0])).unwrap();
    assert!(text.contains("To: retry@uni.edu"), "{text}");
    // The message is named for the job, so a send repeated after a crash is the same message.
    let stem = sent[0].trim_end_matches(".eml");
    assert!(text.contains(&format!("Message-ID: <{stem}@qobe.test>")), "{text}");
    let row = jobs::get(&t.app, first[0].0).await.unwrap().expect("job");
    assert_eq!((row.status.as_str(), row.attempts, row.payload.as_str()), ("done", 2, "{}"));
}

#[tokio::test]
async fn each_recurring_chore_runs_once_per_period_across_instances() {
    let t = TestApp::new().await;
    let other = t.second_app(t.outbox.clone()).await;
    let (here, there) = tokio::join!(jobs::tick(&t.app), jobs::tick(&other));
    assert_eq!(here.unwrap() + there.unwrap(), jobs::TASKS.len(), "each chore added by one instance");
    let app = &t.app;
    let kinds = |k: Kind| async move { qobe_store::jobs::of_kind(app.store.conn(), k.as_str()).await.unwrap().len() };
    assert_eq!(jobs::tick(&t.app).await.unwrap(), 0, "not again in the same period");
    let (a, b) = (Runner::new(&t.app), Runner::new(&other));
    let (ran_a, ran_b) = tokio::join!(a.run_due(), b.run_due());
    let ran: Vec<_> = ran_a.unwrap().into_iter().chain(ran_b.unwrap()).collect();
    assert_eq!(ran.len(), jobs::TASKS.len(), "{ran:?}");
    assert!(ran.iter().all(|(_, _, outcome)| *outcome == Outcome::Done), "{ran:?}");
    // An hour on, only the hourly chore is due again; a day on, the daily one too.
    t.clock.advance(Duration::hours(1));
    let (here, there) = tokio::join!(jobs::tick(&t.app), jobs::tick(&other));
    assert_eq!(here.unwrap() + there.unwrap(), 1);
    assert_eq!(kinds(Kind::PruneExpired).await, 2);
    assert_eq!(kinds(Kind::PruneDocuments).await, 1);
    t.clock.advance(Duration::days(1));
    jobs::tick(&other).await.unwrap();
    jobs::tick(&t.app).await.unwrap();
    assert_eq!((kinds(Kind::PruneExpired).await, kinds(Kind::PruneDocuments).await), (3, 2));
    t.run_jobs().await;
}

#[tokio::test]
async fn expired_sessions_and_links_are_pruned() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let _admin = t.institution(&mut operator, "prune", "").await;
    let conn = t.app.store.conn();
    let sessions = count(conn, "sessions").await;
    assert_eq!(sessions, 2, "the operator's and the admin's");
    // A password reset link, live for an hour.
    t.client().submit("/password/forgot", "/password/forgot", &[("email", "admin@prune.edu")]).await;
    let links = count(conn, "one_time_tokens").await;
    assert!(links >= 2, "setup, invitation and reset links: {links}");
    // While sessions are live, the chore keeps them.
    jobs::tick(&t.app).await.unwrap();
    t.run_jobs().await;
    assert_eq!(count(conn, "sessions").await, 2);
    assert_eq!(count(conn, "one_time_tokens").await, links);
    // Past the idle limit the sessions go; links are kept a week past their expiry, then go too.
    t.clock.advance(Duration::hours(t.app.config.session_idle_hours) + Duration::minutes(1));
    jobs::tick(&t.app).await.unwrap();
    t.run_jobs().await;
    assert_eq!(count(conn, "sessions").await, 0);
    assert_eq!(count(conn, "one_time_tokens").await, links, "not yet a week past expiry");
    t.clock.advance(Duration::days(40));
    jobs::tick(&t.app).await.unwrap();
    t.run_jobs().await;
    assert_eq!(count(conn, "one_time_tokens").await, 0);
    assert_eq!(operator.get("/operator").await.location(), Some("/login?next=%2Foperator"), "the session has ended");
}

#[tokio::test]
async fn the_operator_sees_work_given_up_and_tries_it_again() {
    let t = TestApp::new().await;
    let mut operator = t.operator().await;
    let shown = operator.get("/operator").await;
    assert!(crate::support::html::text(&shown.text, "no-given-up").is_some(), "nothing given up yet");
    queue_committed(&t, "lost@uni.edu").await;
    // Every attempt fails: the outbox cannot be written (a file stands where its folder should be).
    let outbox = t.outbox.with_file_name("blocked-outbox");
    std::fs::write(&outbox, b"not a folder").unwrap();
    let runner = Runner::new(&t.second_app(outbox.clone()).await);
    let mut last = Vec::new();
    for _ in 0..Kind::Email.max_attempts() {
        last = runner.run_due().await.unwrap();
        t.clock.advance(Duration::hours(2));
    }
    assert!(matches!(last[..], [(_, Kind::Email, Outcome::GivenUp(_))]), "{last:?}");
    let job = last[0].0;

    // Hours have passed: the operator signs in again.
    let mut operator = t.operator().await;
    let shown = operator.get("/operator").await;
    let rows = crate::support::html::rows(&shown.text, "given-up");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0], format!("mail.send #{job}"));
    assert_eq!(rows[0][2], Kind::Email.max_attempts().to_string());
    assert!(rows[0][3].contains("outbox"), "the last error names the cause: {rows:?}");
    // An institution's admin cannot retry it.
    let mut admin = t.institution(&mut operator, "gu", "").await;
    assert_eq!(admin.post_raw(&format!("/operator/jobs/{job}/retry"), &[]).await.status, 403);

    // Fixed, and tried again from the console: it is sent.
    std::fs::remove_file(&outbox).unwrap();
    let retried = operator.submit("/operator", &format!("/operator/jobs/{job}/retry"), &[]).await;
    assert_eq!(retried.status, 303);
    let row = jobs::get(&t.app, job).await.unwrap().expect("job");
    assert_eq!((row.status.as_str(), row.attempts), ("queued", 0));
    let ran = runner.run_due().await.unwrap();
    assert_eq!(ran.iter().filter(|(id, _, outcome)| *id == job && *outcome == Outcome::Done).count(), 1, "{ran:?}");
    assert!(outbox_files(&outbox).len() == 1, "sent once");
    assert!(crate::support::html::text(&operator.get("/operator").await.text, "no-given-up").is_some());
    // Trying again what is not given up is refused.
    let again = operator.submit("/operator", &format!("/operator/jobs/{job}/retry"), &[]).await;
    assert_ne!(again.status, 303);
}
