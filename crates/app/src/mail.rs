//! Outgoing email: SMTP when configured, otherwise `.eml` files in an outbox folder, so that a
//! fresh install still delivers links a person can open. An email is queued as a job in the
//! transaction of the change it tells about ([`queue`]) and sent by the job runner once that
//! commits; a failed send is tried again later.

use std::path::PathBuf;
use std::sync::Arc;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use qobe_domain::ids::InstitutionId;

use crate::jobs::{Kind, Running};
use crate::{App, AppError, AppResult};

/// Where email goes.
#[derive(Clone)]
pub enum Mailer {
    Smtp { transport: Arc<AsyncSmtpTransport<Tokio1Executor>>, from: Mailbox },
    Outbox { dir: PathBuf, from: Mailbox },
}

/// Longest line a message may carry, without its CRLF (RFC 5322, section 2.1.1).
const MAX_LINE: usize = 998;

/// A plain-text body sent as it reads — 7bit when ASCII, 8bit otherwise — so a link stays whole
/// when copied out of the message; quoted-printable only when a line is too long for that.
fn text_body(text: String) -> Body {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    let fits = crlf.split("\r\n").all(|line| line.len() <= MAX_LINE && !line.contains(['\0', '\r']));
    if !fits {
        return Body::new(text);
    }
    let encoding = if crlf.is_ascii() { ContentTransferEncoding::SevenBit } else { ContentTransferEncoding::EightBit };
    Body::dangerous_pre_encoded(crlf.into_bytes(), encoding)
}

/// The message for `email`. `key` names the message for good: a retried send carries the same
/// Message-ID (receivers drop the copy) and lands in the same outbox file.
fn build(from: &Mailbox, email: Email, key: &str) -> AppResult<Message> {
    Message::builder()
        .from(from.clone())
        .to(parse_mailbox(&email.to)?)
        .subject(email.subject)
        .message_id(Some(format!("<{key}@{}>", from.email.domain())))
        .header(ContentType::TEXT_PLAIN)
        .body(text_body(email.body))
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// SMTP relay settings. The password is never printed.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    /// `true`: STARTTLS is required; `false`: plain (a relay on localhost).
    pub starttls: bool,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("starttls", &self.starttls)
            .finish()
    }
}

/// One email ready to send.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

fn parse_mailbox(raw: &str) -> AppResult<Mailbox> {
    raw.parse().map_err(|e| AppError::Internal(format!("bad email address {raw:?}: {e}")))
}

impl Mailer {
    pub fn outbox(dir: PathBuf, from: &str) -> AppResult<Mailer> {
        Ok(Mailer::Outbox { dir, from: parse_mailbox(from)? })
    }

    pub fn smtp(settings: &SmtpSettings, from: &str) -> AppResult<Mailer> {
        let builder = if settings.starttls {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
                .map_err(|e| AppError::Internal(e.to_string()))?
        } else {
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
        };
        let mut builder = builder.port(settings.port);
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Mailer::Smtp { transport: Arc::new(builder.build()), from: parse_mailbox(from)? })
    }

    fn from(&self) -> &Mailbox {
        match self {
            Mailer::Smtp { from, .. } | Mailer::Outbox { from, .. } => from,
        }
    }

    /// Sends one email named `key` (see [`build`]). Failures are reported; they never reveal
    /// the body.
    async fn send(&self, email: Email, key: &str) -> AppResult<()> {
        let to_domain = email.to.split('@').nth(1).unwrap_or("").to_owned();
        let message = build(self.from(), email, key)?;
        match self {
            Mailer::Smtp { transport, .. } => {
                transport.send(message).await.map_err(|e| AppError::Internal(format!("smtp: {e}")))?;
            }
            Mailer::Outbox { dir, .. } => {
                tokio::fs::create_dir_all(dir).await.map_err(|e| AppError::Internal(format!("outbox: {e}")))?;
                tokio::fs::write(dir.join(format!("{key}.eml")), message.formatted())
                    .await
                    .map_err(|e| AppError::Internal(format!("outbox: {e}")))?;
            }
        }
        tracing::info!(to_domain, "email sent");
        Ok(())
    }
}

/// An email waiting in the queue.
#[derive(serde::Serialize, serde::Deserialize)]
struct Queued {
    email: Email,
    queued_at: chrono::DateTime<chrono::Utc>,
}

/// Queues `email` through `conn` — the transaction of the change it tells about, so it goes out
/// only if that change commits, and goes out after it does.
pub async fn queue(
    conn: &impl qobe_store::Conn,
    app: &App,
    institution: Option<InstitutionId>,
    email: Email,
) -> AppResult<()> {
    crate::jobs::enqueue(conn, app, institution, Kind::Email, &Queued { email, queued_at: app.now() }).await?;
    Ok(())
}

/// Sends a queued email (the job's work). The outbox file and Message-ID are named by when it
/// was queued and the job's id, so they sort in the order the emails were written.
pub(crate) async fn deliver(app: &App, job: &Running) -> AppResult<()> {
    let queued: Queued = job.payload()?;
    let key = format!("{}-{:012}", queued.queued_at.format("%Y%m%dT%H%M%S%.6f"), job.id.0);
    app.mailer.send(queued.email, &key).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formatted(body: &str) -> String {
        let from = parse_mailbox("QOBE <no-reply@qobe.test>").unwrap();
        let email = Email { to: "ana@uni.edu".into(), subject: "Your invitation".into(), body: body.into() };
        String::from_utf8(build(&from, email, "20261201T000000.000000-000000000001").unwrap().formatted()).unwrap()
    }

    #[test]
    fn a_long_link_stays_whole_on_one_line() {
        let link = format!("https://qobe.example.edu/invitations/accept?token={}", "x".repeat(60));
        let text = formatted(&format!("Welcome.\n\nOpen {link} to choose a password.\n"));
        assert!(text.contains("Content-Transfer-Encoding: 7bit"), "{text}");
        assert!(text.contains(&format!("Open {link} to choose a password.\r\n")), "{text}");
    }

    #[test]
    fn a_name_with_accents_goes_as_8bit_text() {
        let text = formatted("Bonjour Élodie,\nyour account is ready.");
        assert!(text.contains("Content-Transfer-Encoding: 8bit"), "{text}");
        assert!(text.contains("Bonjour Élodie,\r\nyour account is ready."), "{text}");
    }

    #[test]
    fn only_a_line_too_long_for_mail_is_encoded() {
        let text = formatted(&"y".repeat(MAX_LINE + 1));
        assert!(!text.contains("Content-Transfer-Encoding: 7bit") && !text.contains("8bit"), "{text}");
    }
}
