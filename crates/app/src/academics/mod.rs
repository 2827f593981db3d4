//! Academic structure and the outcome model: terms, courses and prerequisites, offerings,
//! cohorts, curricula, and PEOs/PLOs/CLOs with versioning and mappings.

pub mod cohorts;
pub mod courses;
pub mod curricula;
pub mod import;
pub mod offerings;
pub mod outcomes;
pub mod terms;

use qobe_domain::FieldErrors;

use crate::AppError;

/// Maps a duplicate-key failure to an error on `field`.
pub(crate) fn duplicate(field: &'static str, message: &'static str) -> impl Fn(qobe_store::StoreError) -> AppError {
    move |e| match e {
        qobe_store::StoreError::Duplicate(_) => AppError::conflict(field, message),
        other => other.into(),
    }
}

/// Parses a date-time typed in a form (`2026-09-01` or `2026-09-01T09:00`) in the person's time
/// zone; RFC 3339 with an offset (the API's) is taken as written.
pub(crate) fn parse_moment(
    errors: &mut FieldErrors,
    field: &str,
    raw: &str,
    zone: chrono_tz::Tz,
) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    let raw = raw.trim();
    if let Ok(moment) = chrono::DateTime::parse_from_rfc3339(raw) {
        return Some(moment.to_utc());
    }
    let parsed = chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default())
        });
    match parsed.map(|local| zone.from_local_datetime(&local).earliest()) {
        Ok(Some(moment)) => Some(moment.to_utc()),
        Ok(None) => {
            errors.add(field, format!("does not exist in {zone}: the clocks change then"));
            None
        }
        Err(_) => {
            errors.add(field, if raw.is_empty() { "is required" } else { "must be a date like 2026-09-01" });
            None
        }
    }
}
