//! The `TestApp` builder and a cookie-keeping client that submits forms like a browser.

mod client;
mod database;
pub mod files;
pub mod html;
pub mod schema;
pub mod tools;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use qobe_app::files::FileStore;
use qobe_app::mail::Mailer;
use qobe_app::{App, AppConfig, FixedClock};
use qobe_store::Store;
use qobe_web::WebConfig;

pub use client::{Client, Response};

/// Password every test account uses.
pub const PASSWORD: &str = "correct horse battery";

/// One app on its own database, with an outbox folder and a clock the test can move.
pub struct TestApp {
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub router: axum::Router,
    pub outbox: PathBuf,
    /// The database, for a second app instance on it.
    pub database_url: String,
    web: WebConfig,
    /// Removed when the test ends.
    _dir: tempdir::TempDir,
}

pub mod tempdir {
    /// A folder removed when the test ends.
    pub struct TempDir(pub std::path::PathBuf);

    impl TempDir {
        pub fn new() -> TempDir {
            let path =
                std::env::temp_dir().join(format!("qobe-test-{}", qobe_app::crypto::random_token()[..12].to_owned()));
            std::fs::create_dir_all(&path).expect("temp dir");
            TempDir(path)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Every test ends by checking that no background job was given up: work that failed for good
/// is a defect even when the test's own checks passed.
impl Drop for TestApp {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let url = self.database_url.clone();
        let failed = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async {
                let store = Store::connect(&url).await.expect("connect");
                let failed = qobe_store::jobs::with_status(store.conn(), qobe_store::jobs::FAILED, 10).await;
                let _ = store.close().await;
                failed.expect("read jobs")
            })
        })
        .join()
        .expect("check jobs");
        let described: Vec<String> =
            failed.iter().map(|j| format!("{} #{}: {}", j.kind, j.id, j.last_error.as_deref().unwrap_or(""))).collect();
        assert!(described.is_empty(), "background jobs were given up: {described:?}");
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with(|_, _| {}).await
    }

    /// A test app with adjusted settings.
    pub async fn with(adjust: impl FnOnce(&mut AppConfig, &mut WebConfig)) -> TestApp {
        TestApp::build(adjust, None).await
    }

    /// A test app keeping its files in a fresh bucket of the S3-protocol server at
    /// `QOBE_TEST_S3_URL` (`None`, and the test skips, when there is none outside CI).
    pub async fn on_s3() -> Option<TestApp> {
        let files = files::s3_store().await?;
        Some(TestApp::build(|_, _| {}, Some(files)).await)
    }

    async fn build(adjust: impl FnOnce(&mut AppConfig, &mut WebConfig), files: Option<FileStore>) -> TestApp {
        let dir = tempdir::TempDir::new();
        let url = database::fresh_url(&dir.0).await;
        let store = Store::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate");
        TestApp::assemble(dir, url, store, adjust, files)
    }

    /// A test app on a database made by the first `steps` migrations and filled by `old` as the
    /// product of that time would have, then migrated to the current schema, as an upgrade is.
    pub async fn upgraded(steps: u32, old: impl AsyncFnOnce(&sea_orm::DatabaseConnection)) -> TestApp {
        use sea_orm_migration::MigratorTrait;
        let dir = tempdir::TempDir::new();
        let url = database::fresh_url(&dir.0).await;
        let store = Store::connect(&url).await.expect("connect");
        qobe_store::migrations::Migrator::up(store.conn(), Some(steps)).await.expect("old migrations");
        old(store.conn()).await;
        store.migrate().await.expect("upgrade");
        TestApp::assemble(dir, url, store, |_, _| {}, None)
    }

    fn assemble(
        dir: tempdir::TempDir,
        database_url: String,
        store: Store,
        adjust: impl FnOnce(&mut AppConfig, &mut WebConfig),
        files: Option<FileStore>,
    ) -> TestApp {
        let files = match files {
            Some(files) => files,
            None => FileStore::folder(&dir.0.join("files")).expect("file store"),
        };
        let outbox = dir.0.join("outbox");
        let mailer = Mailer::outbox(outbox.clone(), "QOBE <no-reply@qobe.test>").expect("mailer");
        let clock = Arc::new(FixedClock::new(Utc::now()));
        let mut config =
            AppConfig { public_url: "http://qobe.test".into(), argon2_memory_kib: 1024, ..AppConfig::default() };
        let mut web = WebConfig::default();
        adjust(&mut config, &mut web);
        let app = App::new(store, files, mailer, clock.clone(), config);
        let router = qobe_web::router(app.clone(), web.clone())
            .layer(axum::extract::connect_info::MockConnectInfo(std::net::SocketAddr::from(([192, 0, 2, 10], 40000))));
        TestApp { app, clock, router, outbox, database_url, web, _dir: dir }
    }

    /// Another app instance on the same database, as behind a load balancer: it shares
    /// nothing with the first but the database.
    pub async fn second_instance(&self) -> axum::Router {
        let app = self.second_app(self.outbox.clone()).await;
        qobe_web::router(app, WebConfig::default())
            .layer(axum::extract::connect_info::MockConnectInfo(std::net::SocketAddr::from(([192, 0, 2, 11], 40000))))
    }

    /// The app of another instance on the same database and clock, sending email to `outbox`.
    pub async fn second_app(&self, outbox: PathBuf) -> App {
        let store = Store::connect(&self.database_url).await.expect("connect");
        let mailer = Mailer::outbox(outbox, "QOBE <no-reply@qobe.test>").expect("mailer");
        App::new(store, self.app.files.clone(), mailer, self.clock.clone(), (*self.app.config).clone())
    }

    pub fn client(&self) -> Client {
        Client::new(self.router.clone())
    }

    /// A client of this instance connecting from another network address.
    pub fn client_from(&self, ip: [u8; 4]) -> Client {
        let router = qobe_web::router(self.app.clone(), self.web.clone())
            .layer(axum::extract::connect_info::MockConnectInfo(std::net::SocketAddr::from((ip, 40000))));
        Client::new(router)
    }

    /// The bytes of a stored file, read from the file store by its record.
    pub async fn stored_bytes(&self, file: i64) -> Option<Vec<u8>> {
        let sql = format!("SELECT storage_key AS v FROM files WHERE id = {file}");
        let key = schema::strings(self.app.store.conn(), &sql).await.pop()?;
        Some(self.app.files.read(&key).await.expect("bytes in the file store"))
    }

    /// Storage keys of every file record, sorted.
    pub async fn stored_keys(&self) -> Vec<String> {
        let mut keys = schema::strings(self.app.store.conn(), "SELECT storage_key AS v FROM files").await;
        keys.sort();
        keys
    }

    /// Runs every due job, as the runner inside `qobe serve` would, and returns their outcomes.
    pub async fn run_jobs(&self) -> Vec<(qobe_domain::ids::JobId, qobe_app::jobs::Kind, qobe_app::jobs::Outcome)> {
        qobe_app::jobs::run_due(&self.app).await.expect("run due jobs")
    }

    /// Every email sent so far, oldest first, as text — once the due jobs have run, here or
    /// by a runner in the background (the browser tests run one, as `qobe serve` does).
    pub async fn emails(&self) -> Vec<String> {
        for _ in 0..3000 {
            self.run_jobs().await;
            let running = qobe_store::jobs::with_status(self.app.store.conn(), qobe_store::jobs::RUNNING, 1)
                .await
                .expect("read jobs");
            if running.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let mut entries: Vec<_> = std::fs::read_dir(&self.outbox)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        entries.iter().map(|p| std::fs::read_to_string(p).unwrap_or_default()).collect()
    }

    /// The newest email sent to `to`, as text.
    pub async fn last_email_to(&self, to: &str) -> String {
        self.emails()
            .await
            .into_iter()
            .rev()
            .find(|text| text.lines().any(|l| l.to_lowercase().starts_with("to:") && l.contains(to)))
            .unwrap_or_else(|| panic!("no email to {to} in the outbox"))
    }

    /// The first link into the app in the newest email to `to`, as a path with query — read
    /// from the message as sent, so a link broken by the transfer encoding fails here.
    pub async fn link_in_last_email(&self, to: &str) -> String {
        let text = self.last_email_to(to).await;
        let start = text.find("http://qobe.test").unwrap_or_else(|| panic!("no link in email to {to}:\n{text}"));
        text[start + "http://qobe.test".len()..].split_whitespace().next().unwrap_or_default().to_owned()
    }

    /// Runs first-run setup (or, once it has run, signs the operator in) and returns the client.
    pub async fn operator(&self) -> Client {
        let Some(link) = qobe_app::setup::setup_link(&self.app).await.expect("setup link") else {
            let mut client = self.client();
            let response =
                client.submit("/login", "/login", &[("email", "operator@qobe.test"), ("password", PASSWORD)]).await;
            assert_eq!(response.status, 303, "operator sign-in failed: {}", response.text);
            return client;
        };
        let path = link.trim_start_matches("http://qobe.test").to_owned();
        let mut client = self.client();
        let token = path.split("token=").nth(1).unwrap_or_default().to_owned();
        let response = client
            .submit(
                &path,
                "/setup",
                &[
                    ("token", &token),
                    ("name", "Olivia Operator"),
                    ("email", "operator@qobe.test"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                    ("accept_terms", "on"),
                ],
            )
            .await;
        assert_eq!(response.location(), Some("/operator"), "setup failed: {}", response.text);
        client
    }

    /// Creates an institution through the operator and signs in its first admin.
    pub async fn institution(&self, operator: &mut Client, slug: &str, seats: &str) -> Client {
        let admin_email = format!("admin@{slug}.edu");
        let response = operator
            .submit(
                "/operator",
                "/operator/institutions",
                &[
                    ("name", &format!("University {slug}")),
                    ("slug", slug),
                    ("plan", "standard"),
                    ("seat_limit", seats),
                    ("admin_name", &format!("Admin of {slug}")),
                    ("admin_email", &admin_email),
                ],
            )
            .await;
        assert_eq!(response.status, 303, "{}", response.text);
        self.accept_invitation(&admin_email, &format!("Admin of {slug}")).await
    }

    /// Opens the invitation in the newest email to `email` and accepts it.
    pub async fn accept_invitation(&self, email: &str, name: &str) -> Client {
        let link = self.link_in_last_email(email).await;
        let token = link.split("token=").nth(1).unwrap_or_default().to_owned();
        let mut client = self.client();
        let response = client
            .submit(
                &link,
                "/invitations/accept",
                &[
                    ("token", &token),
                    ("name", name),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                    ("accept_terms", "on"),
                ],
            )
            .await;
        assert_eq!(response.status, 303, "accepting the invitation failed: {}", response.text);
        client
    }

    /// An admin invites someone with a role; returns the new person's signed-in client.
    pub async fn invite(&self, admin: &mut Client, email: &str, role: &str) -> Client {
        let response = admin
            .submit(
                "/admin/users/invite",
                "/admin/users/invite",
                &[("email", email), ("name", "Invited Person"), ("role", role), ("scope", "institution")],
            )
            .await;
        assert_eq!(response.status, 303, "invite failed: {}", response.text);
        self.accept_invitation(email, "Invited Person").await
    }

    /// Signs in someone who has accepted their invitation (with the test password).
    pub async fn sign_in(&self, email: &str) -> Client {
        let mut client = self.client();
        let response = client.submit("/login", "/login", &[("email", email), ("password", PASSWORD)]).await;
        assert_eq!(response.status, 303, "sign-in failed: {}", response.text);
        client
    }

    /// An institution admin acting in `institution` as `user`, for calling the app directly.
    pub fn admin_actor(institution: i64, user: i64, email: &str) -> qobe_app::Actor {
        qobe_app::Actor {
            user_id: qobe_domain::ids::UserId(user),
            institution_id: Some(qobe_domain::ids::InstitutionId(institution)),
            email: email.to_owned(),
            name: String::new(),
            is_operator: false,
            grants: vec![(qobe_domain::roles::Role::InstitutionAdmin, qobe_domain::roles::Scope::Institution)],
            session_id: None,
            time_zone: "UTC".into(),
            language: "en".into(),
            needs_two_factor_setup: false,
            needs_consent: false,
        }
    }

    /// The small demo institution, and its admin signed in with the terms agreed to.
    pub async fn demo_admin(&self) -> (qobe_app::demo::Summary, Client) {
        let demo = qobe_app::demo::generate(&self.app, qobe_app::demo::Size::S, |_| {}).await.expect("demo");
        let mut admin = self.client();
        let signed =
            admin.submit("/login", "/login", &[("email", &demo.admin_email), ("password", demo.password)]).await;
        assert_eq!(signed.status, 303, "demo admin sign-in failed: {}", signed.text);
        if admin.get("/profile").await.location() == Some("/consent") {
            admin.submit("/consent", "/consent", &[("accept_terms", "on")]).await;
        }
        (demo, admin)
    }

    /// The id of the account with `email` in the institution of `slug`.
    pub async fn user_id(&self, slug: &str, email: &str) -> i64 {
        let conn = self.app.store.conn();
        let institution = qobe_store::tenancy::by_slug(conn, slug).await.expect("query").expect("institution");
        qobe_store::accounts::by_email(conn, Some(qobe_domain::ids::InstitutionId(institution.id)), email)
            .await
            .expect("query")
            .expect("user")
            .id
    }
}

/// Every file under `dir` (searched through its folders) whose name ends in `.{extension}`, in
/// path order.
pub fn files_under(dir: &std::path::Path, extension: &str) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, extension: &str, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, extension, out);
            } else if path.extension().is_some_and(|e| e == extension) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, extension, &mut out);
    out.sort();
    out
}
