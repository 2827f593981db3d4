//! Starting the server: database, migrations (SQLite), mailer, setup link, the job runner,
//! graceful shutdown.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use qobe_app::{App, AppConfig, SystemClock, files::FileStore, mail::Mailer};
use qobe_store::{Backend, Store};
use qobe_web::WebConfig;

use crate::config::Config;

/// Connects, migrates (SQLite) or checks migrations (PostgreSQL), and sets up email.
pub async fn build_app(config: &Config) -> anyhow::Result<App> {
    let store = Store::connect(&config.database_url).await.context("connecting to the database")?;
    match store.backend() {
        // The embedded database migrates itself: `cargo run` needs no other step.
        Backend::Sqlite => store.migrate().await.context("migrating the SQLite database")?,
        Backend::Postgres => {
            let pending = store.pending_migrations().await?;
            if pending > 0 {
                anyhow::bail!("{pending} migration(s) pending: run `qobe migrate` first");
            }
        }
    }
    let mailer = match &config.smtp {
        Some(smtp) => Mailer::smtp(smtp, &config.mail_from)?,
        None => {
            let outbox = config.data_dir.join("outbox");
            println!("No SMTP server configured: email is written to {}", outbox.display());
            Mailer::outbox(outbox, &config.mail_from)?
        }
    };
    let files = match &config.s3 {
        Some(s3) => FileStore::s3(s3)?,
        None => FileStore::folder(&config.data_dir.join("files"))?,
    };
    println!("Stored files are kept in {}", files.place());
    let app_config = AppConfig {
        public_url: config.public_url.clone(),
        public_signup: config.public_signup,
        ..AppConfig::default()
    };
    Ok(App::new(store, files, mailer, Arc::new(SystemClock), app_config))
}

pub async fn run(config: Config) -> anyhow::Result<()> {
    let app = build_app(&config).await?;
    let store = app.store.clone();
    if let Some(link) = qobe_app::setup::setup_link(&app).await? {
        println!("\nFirst run: open this link to create the platform operator account (valid 24 hours):\n  {link}\n");
    }
    let web = WebConfig {
        secure: config.tls.is_some() || config.public_url.starts_with("https://"),
        trusted_proxies: config.trusted_proxies.clone(),
    };
    // Background work (emails, documents, recurring chores) runs beside the web server.
    let jobs = tokio::spawn(qobe_app::jobs::serve(app.clone()));
    let router = qobe_web::router(app, web).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let handle = axum_server::Handle::new();
    tokio::spawn(shutdown_on_signal(handle.clone()));
    println!("QOBE is running at {}", config.public_url);
    match &config.tls {
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                .await
                .context("reading the TLS certificate and key")?;
            axum_server::bind_rustls(config.bind, tls).handle(handle).serve(router).await?;
        }
        None => axum_server::bind(config.bind).handle(handle).serve(router).await?,
    }
    // Jobs still running are taken over by another instance (or this one, restarted) once
    // their lease runs out.
    jobs.abort();
    store.close().await?;
    println!("QOBE stopped.");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, let requests in flight finish (up to 20 s).
async fn shutdown_on_signal(handle: axum_server::Handle) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
    tracing::info!("shutting down");
    handle.graceful_shutdown(Some(Duration::from_secs(20)));
}
