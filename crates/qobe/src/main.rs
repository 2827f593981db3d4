//! `qobe`: the one binary. `qobe` (or `qobe serve`) serves the app; `qobe migrate` applies
//! migrations; `qobe openapi` prints the API document.

mod bench;
mod bench_content;
mod bench_quiz;
mod bench_survey;
mod config;
mod serve;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "qobe", version, about = "QOBE — outcome-based learning management system")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and API (the default).
    Serve,
    /// Apply database migrations and exit (run once per release on PostgreSQL).
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Create a demo institution with realistic data: s (1 program, 200 students),
    /// m (10 programs, 5,000 students) or l (40 programs, 40,000 students), 8 terms each.
    Demo {
        #[arg(long, default_value = "s")]
        size: String,
    },
    /// End-to-end figures on a fresh demo institution in the configured database (use an empty
    /// one): `qobe bench attainment --size m`.
    Bench {
        /// What to measure: `attainment`, `report`, `survey`, `content` or `quiz`.
        what: String,
        #[arg(long, default_value = "m")]
        size: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("QOBE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    // Structured logs for log shippers with QOBE_LOG_FORMAT=json; readable lines otherwise.
    if std::env::var("QOBE_LOG_FORMAT").is_ok_and(|f| f == "json") {
        tracing_subscriber::fmt().json().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::run(config::Config::from_env()?).await,
        Command::Migrate => {
            let config = config::Config::from_env()?;
            let store = qobe_store::Store::connect(&config.database_url).await?;
            store.migrate().await?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::Demo { size } => {
            let size = qobe_app::demo::Size::parse(&size).map_err(|e| anyhow::anyhow!("--size {e}"))?;
            let app = serve::build_app(&config::Config::from_env()?).await?;
            let summary = qobe_app::demo::generate(&app, size, |line| println!("{line}")).await?;
            println!(
                "Demo institution {} ready: {} programs, {} courses, {} students, {} offerings, {} registrations, {} marks; {} past offerings' results published, {} CQI findings.",
                summary.slug,
                summary.programs,
                summary.courses,
                summary.students,
                summary.offerings,
                summary.enrollments,
                summary.marks,
                summary.published,
                summary.findings
            );
            println!("Sign in with the password \"{}\" as:", summary.password);
            for (role, email) in &summary.sign_ins {
                println!("  {:<28} {email}", role.label());
            }
            Ok(())
        }
        Command::Bench { what, size } => {
            let size = qobe_app::demo::Size::parse(&size).map_err(|e| anyhow::anyhow!("--size {e}"))?;
            let app = serve::build_app(&config::Config::from_env()?).await?;
            match what.as_str() {
                "attainment" => bench::attainment(app, size).await,
                "report" => bench::report(app, size).await,
                "survey" => bench_survey::survey(app, size).await,
                "content" => bench_content::content(app, size).await,
                "quiz" => bench_quiz::quiz(app, size).await,
                other => {
                    Err(anyhow::anyhow!("unknown benchmark {other:?}: try attainment, report, survey, content or quiz"))
                }
            }
        }
        Command::Openapi => {
            println!("{}", qobe_web::openapi_json());
            Ok(())
        }
    }
}
