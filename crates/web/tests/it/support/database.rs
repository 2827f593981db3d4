//! A fresh database for each test: a SQLite file in the test's folder, or a new PostgreSQL
//! database when `QOBE_TEST_POSTGRES_URL` names a server.

use postgres::create_postgres_database;

/// The URL of a new, empty database.
pub async fn fresh_url(dir: &std::path::Path) -> String {
    match std::env::var("QOBE_TEST_POSTGRES_URL").ok().filter(|v| !v.is_empty()) {
        Some(server) => create_postgres_database(&server).await,
        None => {
            if std::env::var("QOBE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("QOBE_REQUIRE_POSTGRES=1 but QOBE_TEST_POSTGRES_URL is not set");
            }
            format!("sqlite://{}?mode=rwc", dir.join("qobe.db").display())
        }
    }
}

mod postgres {
    /// Creates `qobe_test_<random>` on the server and returns its URL.
    pub async fn create_postgres_database(server: &str) -> String {
        let name = format!("qobe_test_{}", &qobe_app::crypto::random_token()[..16]);
        let admin = qobe_store::Store::connect(server).await.expect("connect to QOBE_TEST_POSTGRES_URL");
        qobe_store::admin::create_database(&admin, &name).await.expect("create test database");
        admin.close().await.expect("close");
        let base = server.rsplit_once('/').map(|(base, _)| base).unwrap_or(server);
        format!("{base}/{name}")
    }
}
