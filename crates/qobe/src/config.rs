//! Typed settings: defaults, overridden by `QOBE_*` environment variables. Secrets are kept
//! out of `Debug` output and logs.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use anyhow::Context;
use qobe_app::files::S3Settings;
use qobe_app::mail::SmtpSettings;

pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub bind: SocketAddr,
    pub public_url: String,
    pub public_signup: bool,
    pub tls: Option<(PathBuf, PathBuf)>,
    pub trusted_proxies: Vec<IpAddr>,
    pub smtp: Option<SmtpSettings>,
    pub mail_from: String,
    /// Where stored files go: an S3-compatible bucket when `QOBE_S3_BUCKET` is set, else
    /// `files` in the data folder.
    pub s3: Option<S3Settings>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    pub fn from_env() -> anyhow::Result<Config> {
        let data_dir = PathBuf::from(var("QOBE_DATA_DIR").unwrap_or_else(|| "qobe-data".into()));
        let database_url = match var("QOBE_DATABASE_URL") {
            Some(url) => url,
            None => {
                std::fs::create_dir_all(&data_dir)
                    .with_context(|| format!("creating data folder {}", data_dir.display()))?;
                format!("sqlite://{}?mode=rwc", data_dir.join("qobe.db").display())
            }
        };
        let bind: SocketAddr = var("QOBE_BIND")
            .unwrap_or_else(|| "127.0.0.1:8080".into())
            .parse()
            .context("QOBE_BIND must be host:port")?;
        let tls = match (var("QOBE_TLS_CERT"), var("QOBE_TLS_KEY")) {
            (Some(cert), Some(key)) => Some((PathBuf::from(cert), PathBuf::from(key))),
            (None, None) => None,
            _ => anyhow::bail!("set both QOBE_TLS_CERT and QOBE_TLS_KEY, or neither"),
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let public_url = var("QOBE_PUBLIC_URL").unwrap_or_else(|| format!("{scheme}://{bind}"));
        let trusted_proxies = var("QOBE_TRUSTED_PROXIES")
            .map(|list| {
                list.split(',')
                    .map(|ip| ip.trim().parse::<IpAddr>().with_context(|| format!("bad proxy address {ip}")))
                    .collect()
            })
            .transpose()?
            .unwrap_or_default();
        let smtp = var("QOBE_SMTP_HOST").map(|host| -> anyhow::Result<SmtpSettings> {
            Ok(SmtpSettings {
                host,
                port: var("QOBE_SMTP_PORT")
                    .map(|p| p.parse())
                    .transpose()
                    .context("QOBE_SMTP_PORT must be a port number")?
                    .unwrap_or(587),
                username: var("QOBE_SMTP_USERNAME"),
                password: var("QOBE_SMTP_PASSWORD"),
                starttls: var("QOBE_SMTP_STARTTLS").is_none_or(|v| v != "false"),
            })
        });
        let s3 = var("QOBE_S3_BUCKET").map(|bucket| -> anyhow::Result<S3Settings> {
            Ok(S3Settings {
                endpoint: var("QOBE_S3_ENDPOINT"),
                bucket,
                region: var("QOBE_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
                access_key_id: var("QOBE_S3_ACCESS_KEY_ID").context("QOBE_S3_BUCKET needs QOBE_S3_ACCESS_KEY_ID")?,
                secret_access_key: var("QOBE_S3_SECRET_ACCESS_KEY")
                    .context("QOBE_S3_BUCKET needs QOBE_S3_SECRET_ACCESS_KEY")?,
            })
        });
        Ok(Config {
            database_url,
            bind,
            public_url,
            public_signup: var("QOBE_PUBLIC_SIGNUP").is_none_or(|v| v != "false"),
            tls,
            trusted_proxies,
            smtp: smtp.transpose()?,
            mail_from: var("QOBE_MAIL_FROM").unwrap_or_else(|| "QOBE <no-reply@qobe.local>".into()),
            s3: s3.transpose()?,
            data_dir,
        })
    }
}
