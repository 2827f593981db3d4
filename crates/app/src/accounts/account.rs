//! An account as pages and the API see it: everything about the person but the account's
//! secrets (password hash, two-factor secrets and steps, the count of failed sign-ins), which
//! stay inside the accounts use-cases.

use chrono::{DateTime, Utc};
use qobe_store::rows::User;

#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: i64,
    pub institution_id: Option<i64>,
    pub email: String,
    pub name: String,
    pub sort_name: String,
    pub status: String,
    pub is_operator: bool,
    pub email_verified_at: Option<DateTime<Utc>>,
    /// A new address waiting to be confirmed from its own inbox.
    pub pending_email: Option<String>,
    pub organisation: Option<String>,
    pub address: Option<String>,
    pub language: String,
    pub time_zone: String,
    pub communication: String,
    pub picture_file_id: Option<i64>,
    /// When two-factor sign-in was turned on (never its secret).
    pub totp_enabled_at: Option<DateTime<Utc>>,
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<User> for Account {
    fn from(user: User) -> Account {
        Account {
            id: user.id,
            institution_id: user.institution_id,
            email: user.email,
            name: user.name,
            sort_name: user.sort_name,
            status: user.status,
            is_operator: user.is_operator,
            email_verified_at: user.email_verified_at,
            pending_email: user.pending_email,
            organisation: user.organisation,
            address: user.address,
            language: user.language,
            time_zone: user.time_zone,
            communication: user.communication,
            picture_file_id: user.picture_file_id,
            totp_enabled_at: user.totp_enabled_at,
            locked_until: user.locked_until,
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_carries_no_secret_of_its_row() {
        let now = Utc::now();
        let row = User {
            id: 7,
            institution_id: Some(1),
            email: "a@b.edu".into(),
            name: "Ayesha Khan".into(),
            sort_name: "khan ayesha".into(),
            password_hash: Some("$argon2id$v=19$secret-hash".into()),
            status: "active".into(),
            is_operator: false,
            email_verified_at: Some(now),
            pending_email: None,
            organisation: None,
            address: None,
            language: "en".into(),
            time_zone: "UTC".into(),
            communication: "{}".into(),
            picture_file_id: None,
            totp_secret: Some("JBSWY3DPEHPK3PXP".into()),
            totp_enabled_at: Some(now),
            totp_pending_secret: Some("KRSXG5CTMVRXEZLU".into()),
            totp_last_step: Some(123),
            failed_logins: 2,
            locked_until: None,
            created_at: now,
            updated_at: now,
        };
        let shown = format!("{:?}", Account::from(row));
        for secret in ["secret-hash", "JBSWY3DPEHPK3PXP", "KRSXG5CTMVRXEZLU"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("Ayesha Khan") && shown.contains("totp_enabled_at: Some("));
    }
}
