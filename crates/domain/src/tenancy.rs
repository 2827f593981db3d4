//! Institutions (tenants) and the plans they are on.

use serde::{Deserialize, Serialize};

/// The short, URL-safe name of an institution, e.g. `nust` or `uet-lahore`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// 2–40 characters of lower-case letters, digits and inner hyphens.
    pub fn parse(raw: &str) -> Result<Slug, String> {
        let value = raw.trim().to_lowercase();
        if value.len() < 2 || value.len() > 40 {
            return Err("must be 2 to 40 characters".into());
        }
        if !value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            || value.starts_with('-')
            || value.ends_with('-')
        {
            return Err("may use only lower-case letters, digits and inner hyphens".into());
        }
        Ok(Slug(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The commercial plan of an institution: decides the default seat limit and feature set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    Trial,
    Standard,
    Enterprise,
}

impl Plan {
    pub const ALL: [Plan; 3] = [Plan::Trial, Plan::Standard, Plan::Enterprise];

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Trial => "trial",
            Plan::Standard => "standard",
            Plan::Enterprise => "enterprise",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Plan::Trial => "Trial",
            Plan::Standard => "Standard",
            Plan::Enterprise => "Enterprise",
        }
    }

    pub fn parse(raw: &str) -> Result<Plan, String> {
        Plan::ALL
            .into_iter()
            .find(|p| p.as_str() == raw)
            .ok_or_else(|| "must be one of trial, standard, enterprise".to_owned())
    }

    /// Room for stored files (course content, evidence, documents) on this plan, in MB.
    pub fn storage_quota_mb(self) -> i64 {
        match self {
            Plan::Trial => 2 * 1024,
            Plan::Standard => 500 * 1024,
            Plan::Enterprise => 5 * 1024 * 1024,
        }
    }

    /// The largest single file one may upload on this plan, in MB.
    pub fn max_file_mb(self) -> i64 {
        match self {
            Plan::Trial => 256,
            Plan::Standard => 2 * 1024,
            Plan::Enterprise => 4 * 1024,
        }
    }

    /// Seats a new institution on this plan gets unless the operator sets another number.
    pub fn default_seat_limit(self) -> i64 {
        match self {
            Plan::Trial => 50,
            Plan::Standard => 5_000,
            Plan::Enterprise => 100_000,
        }
    }
}

/// Parses a seat limit typed into a form: a whole number from 1 to 1,000,000.
pub fn parse_seat_limit(raw: &str) -> Result<i64, String> {
    let limit: i64 = raw.trim().parse().map_err(|_| "must be a whole number".to_owned())?;
    if !(1..=1_000_000).contains(&limit) {
        return Err("must be between 1 and 1,000,000".into());
    }
    Ok(limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_rules() {
        assert_eq!(Slug::parse("UET-Lahore").map(|s| s.0), Ok("uet-lahore".to_owned()));
        for bad in ["a", "-abc", "abc-", "ab c", "ab_c", "übung"] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn plans_round_trip_and_seats_are_bounded() {
        for plan in Plan::ALL {
            assert_eq!(Plan::parse(plan.as_str()), Ok(plan));
        }
        assert!(Plan::parse("gold").is_err());
        assert_eq!(parse_seat_limit(" 25 "), Ok(25));
        assert!(parse_seat_limit("0").is_err());
        assert!(parse_seat_limit("many").is_err());
    }
}
