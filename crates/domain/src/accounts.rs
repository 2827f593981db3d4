//! Account values: email addresses, passwords, profile settings and account status.

use serde::{Deserialize, Serialize};

mod common_passwords;

/// A syntactically valid, lower-cased email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Accepts `local@domain.tld` as mail servers and the mail library take them: a local part
    /// of ASCII letters, digits and `!#$%&'*+/=?^_\`{|}~-`, in dot-separated runs, at most 64
    /// characters; a domain of at least two labels of letters, digits and hyphens, each
    /// starting and ending with a letter or digit, at most 63 characters. Folds case, so
    /// lookups are case-insensitive.
    pub fn parse(raw: &str) -> Result<Email, String> {
        const SHAPE: &str = "must be an email address like name@university.edu";
        let value = raw.trim();
        if value.is_empty() {
            return Err("is required".into());
        }
        // Lengths are counted on what was sent, as the API document's `maxLength` counts them.
        if raw.chars().count() > 254 {
            return Err("must be at most 254 characters".into());
        }
        let Some((local, domain)) = value.split_once('@') else { return Err(SHAPE.into()) };
        let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
        let local_ok = local.len() <= 64 && local.split('.').all(|run| !run.is_empty() && run.chars().all(atext));
        let label_ok = |label: &str| {
            (1..=63).contains(&label.len())
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        let domain_ok = domain.split('.').count() >= 2 && domain.split('.').all(label_ok);
        if !local_ok || !domain_ok {
            return Err(SHAPE.into());
        }
        Ok(Email(value.to_lowercase()))
    }

    /// [`Email::parse`]'s grammar as a pattern (with `maxLength` 254 and
    /// [`Email::local_part_pattern`]), for the API document.
    pub fn pattern() -> String {
        let whitespace = crate::validation::WHITESPACE;
        let atext = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
        let label = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
        format!("^[{whitespace}]*{atext}(?:\\.{atext})*@(?:{label}\\.)+{label}[{whitespace}]*$")
    }

    /// The local part's length limit as a pattern of its own (regular expressions cannot bound
    /// a repeated group's total length).
    pub fn local_part_pattern() -> String {
        let whitespace = crate::validation::WHITESPACE;
        format!("^[{whitespace}]*[^@]{{1,64}}@")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Shortest password accepted (NIST SP 800-63B asks for at least 8; we ask for 10).
pub const MIN_PASSWORD_LEN: usize = 10;
/// Longest password accepted, to bound hashing cost.
pub const MAX_PASSWORD_LEN: usize = 256;

/// Checks a new password against the policy: length, not a very common password, and not the
/// user's own email address.
pub fn check_new_password(password: &str, email: Option<&Email>) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LEN {
        return Err(format!("must be at least {MIN_PASSWORD_LEN} characters"));
    }
    if length > MAX_PASSWORD_LEN {
        return Err(format!("must be at most {MAX_PASSWORD_LEN} characters"));
    }
    let folded = password.to_lowercase();
    if common_passwords::is_common(&folded) {
        return Err("is one of the most common passwords; choose another".into());
    }
    if let Some(email) = email {
        let local = email.as_str().split('@').next().unwrap_or_default();
        if folded == email.as_str() || (local.len() >= 4 && folded.contains(local)) {
            return Err("must not contain your email address".into());
        }
    }
    Ok(())
}

/// Where an account is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Invited; has not yet set a password.
    Invited,
    Active,
    /// Switched off by an admin: cannot sign in, does not use a seat.
    Deactivated,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Invited => "invited",
            AccountStatus::Active => "active",
            AccountStatus::Deactivated => "deactivated",
        }
    }

    pub fn parse(raw: &str) -> Option<AccountStatus> {
        match raw {
            "invited" => Some(AccountStatus::Invited),
            "active" => Some(AccountStatus::Active),
            "deactivated" => Some(AccountStatus::Deactivated),
            _ => None,
        }
    }

    /// Invited and active accounts count against the plan's seat limit.
    pub fn uses_seat(self) -> bool {
        !matches!(self, AccountStatus::Deactivated)
    }
}

/// The interface languages offered. Urdu and Arabic are written right to left.
pub const LANGUAGES: &[(&str, &str)] = &[("en", "English"), ("ur", "اردو (Urdu)"), ("ar", "العربية (Arabic)")];

pub fn parse_language(raw: &str) -> Result<String, String> {
    LANGUAGES
        .iter()
        .find(|(code, _)| *code == raw)
        .map(|(code, _)| (*code).to_owned())
        .ok_or_else(|| "is not a supported language".to_owned())
}

/// Checks an IANA time zone name such as `Asia/Karachi`.
pub fn parse_time_zone(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    raw.parse::<chrono_tz::Tz>()
        .map(|tz| tz.name().to_owned())
        .map_err(|_| "is not a known time zone (for example Asia/Karachi or Europe/London)".to_owned())
}

/// The kinds of email a person can opt out of. Security email (reset, verification) is always sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunicationPreferences {
    pub course_announcements: bool,
    pub reminders: bool,
    pub surveys: bool,
    pub newsletters: bool,
    /// Messages written to the person (preferences saved before messages existed take them).
    #[serde(default = "taken")]
    pub messages: bool,
}

fn taken() -> bool {
    true
}

impl Default for CommunicationPreferences {
    fn default() -> Self {
        Self { course_announcements: true, reminders: true, surveys: true, newsletters: false, messages: true }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_lowercased_and_checked() {
        assert_eq!(Email::parse(" Ada@Uni.EDU ").map(|e| e.0), Ok("ada@uni.edu".to_owned()));
        for bad in ["", "ada", "ada@", "@uni.edu", "ada@uni", "a da@uni.edu", "ada@uni..edu"] {
            assert!(Email::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn password_policy_rejects_short_common_and_own_email() {
        let email = Email::parse("ayesha.khan@uni.edu").ok();
        assert!(check_new_password("short", None).is_err());
        assert!(check_new_password("password123", None).is_err());
        assert!(check_new_password("Password123", None).is_err(), "case is folded");
        assert!(check_new_password("ayesha.khan2024!", email.as_ref()).is_err());
        assert!(check_new_password("correct horse battery", email.as_ref()).is_ok());
    }

    #[test]
    fn time_zone_and_language_are_validated() {
        assert_eq!(parse_time_zone("Asia/Karachi"), Ok("Asia/Karachi".to_owned()));
        assert!(parse_time_zone("Mars/Olympus").is_err());
        assert!(parse_language("ur").is_ok());
        assert!(parse_language("xx").is_err());
    }
}
