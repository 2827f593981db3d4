//! Academic structure values: course categories, credit hours, terms and their windows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How a course counts in a curriculum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourseCategory {
    Core,
    Elective,
    GeneralEducation,
}

impl CourseCategory {
    pub const ALL: [CourseCategory; 3] =
        [CourseCategory::Core, CourseCategory::Elective, CourseCategory::GeneralEducation];

    pub fn as_str(self) -> &'static str {
        match self {
            CourseCategory::Core => "core",
            CourseCategory::Elective => "elective",
            CourseCategory::GeneralEducation => "general_education",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CourseCategory::Core => "Core",
            CourseCategory::Elective => "Elective",
            CourseCategory::GeneralEducation => "General education",
        }
    }

    /// Accepts the stored form and the common spellings found in catalogue spreadsheets.
    pub fn parse(raw: &str) -> Result<CourseCategory, String> {
        match raw.trim().to_lowercase().replace(['-', ' '], "_").as_str() {
            "core" | "compulsory" | "required" => Ok(CourseCategory::Core),
            "elective" => Ok(CourseCategory::Elective),
            "general_education" | "gen_ed" | "gened" | "ge" => Ok(CourseCategory::GeneralEducation),
            _ => Err("must be core, elective or general_education".into()),
        }
    }
}

/// Parses a credit-hour figure: 0 to 12 in steps of 0.5.
pub fn parse_credits(raw: &str) -> Result<f64, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(0.0);
    }
    let value: f64 = raw.parse().map_err(|_| "must be a number of credit hours, e.g. 3 or 1.5".to_owned())?;
    if !(0.0..=12.0).contains(&value) || (value * 2.0).fract() != 0.0 {
        return Err("must be between 0 and 12 in steps of 0.5".into());
    }
    Ok(value)
}

/// The dates of a term that decide what may happen when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermWindows {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub add_drop_closes_at: DateTime<Utc>,
    pub withdrawal_closes_at: DateTime<Utc>,
    pub marks_entry_closes_at: DateTime<Utc>,
    pub results_published_at: DateTime<Utc>,
}

/// What a student may do with a registration at a moment of the term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationPhase {
    /// Before the registration window opens.
    NotOpen,
    /// Requests are accepted.
    Registration,
    /// After registration closes: courses may still be added or dropped without record.
    AddDrop,
    /// Dropping now records a W grade.
    Withdrawal,
    /// No changes by students any more.
    Closed,
}

impl TermWindows {
    /// The usual windows of a term taught from `start` to `end`: registration from 30 days
    /// before to 3 days before the start, add/drop for the first two weeks, withdrawal until
    /// the tenth week (never after the end), marks entry until 10 days after the end, results
    /// 20 days after it.
    pub fn between(start: DateTime<Utc>, end: DateTime<Utc>) -> TermWindows {
        let days = chrono::Duration::days;
        TermWindows {
            registration_opens_at: start - days(30),
            registration_closes_at: start - days(3),
            starts_at: start,
            add_drop_closes_at: (start + days(14)).min(end),
            withdrawal_closes_at: (start + days(70)).min(end),
            ends_at: end,
            marks_entry_closes_at: end + days(10),
            results_published_at: end + days(20),
        }
    }

    /// A sixteen-week term from `start` with the usual windows.
    pub fn usual(start: DateTime<Utc>) -> TermWindows {
        TermWindows::between(start, start + chrono::Duration::weeks(16))
    }

    /// The same windows, all moved by `by`.
    pub fn shifted(&self, by: chrono::Duration) -> TermWindows {
        TermWindows {
            starts_at: self.starts_at + by,
            ends_at: self.ends_at + by,
            registration_opens_at: self.registration_opens_at + by,
            registration_closes_at: self.registration_closes_at + by,
            add_drop_closes_at: self.add_drop_closes_at + by,
            withdrawal_closes_at: self.withdrawal_closes_at + by,
            marks_entry_closes_at: self.marks_entry_closes_at + by,
            results_published_at: self.results_published_at + by,
        }
    }

    /// Checks the windows are in a sensible order; the error names the first field out of order.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let ordered = [
            ("registration_closes_at", self.registration_opens_at, self.registration_closes_at),
            ("ends_at", self.starts_at, self.ends_at),
            ("add_drop_closes_at", self.registration_closes_at, self.add_drop_closes_at),
            ("withdrawal_closes_at", self.add_drop_closes_at, self.withdrawal_closes_at),
            ("marks_entry_closes_at", self.starts_at, self.marks_entry_closes_at),
            ("results_published_at", self.starts_at, self.results_published_at),
        ];
        for (field, earlier, later) in ordered {
            if later < earlier {
                return Err((field, "comes before the date it must follow".into()));
            }
        }
        if self.withdrawal_closes_at > self.ends_at {
            return Err(("withdrawal_closes_at", "must not be after the term ends".into()));
        }
        Ok(())
    }

    pub fn phase(&self, now: DateTime<Utc>) -> RegistrationPhase {
        if now < self.registration_opens_at {
            RegistrationPhase::NotOpen
        } else if now <= self.registration_closes_at {
            RegistrationPhase::Registration
        } else if now <= self.add_drop_closes_at {
            RegistrationPhase::AddDrop
        } else if now <= self.withdrawal_closes_at {
            RegistrationPhase::Withdrawal
        } else {
            RegistrationPhase::Closed
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn windows() -> TermWindows {
        let day = |d: i64| Utc.with_ymd_and_hms(2026, 8, 1, 0, 0, 0).unwrap() + Duration::days(d);
        TermWindows {
            registration_opens_at: day(0),
            registration_closes_at: day(20),
            starts_at: day(25),
            add_drop_closes_at: day(35),
            withdrawal_closes_at: day(90),
            ends_at: day(120),
            marks_entry_closes_at: day(130),
            results_published_at: day(140),
        }
    }

    #[test]
    fn phases_follow_the_windows() {
        let w = windows();
        assert_eq!(w.validate(), Ok(()));
        assert_eq!(w.phase(w.registration_opens_at - Duration::seconds(1)), RegistrationPhase::NotOpen);
        assert_eq!(w.phase(w.registration_opens_at), RegistrationPhase::Registration);
        assert_eq!(w.phase(w.registration_closes_at + Duration::days(1)), RegistrationPhase::AddDrop);
        assert_eq!(w.phase(w.add_drop_closes_at + Duration::days(1)), RegistrationPhase::Withdrawal);
        assert_eq!(w.phase(w.withdrawal_closes_at + Duration::days(1)), RegistrationPhase::Closed);
    }

    #[test]
    fn windows_out_of_order_name_the_field() {
        let mut w = windows();
        w.add_drop_closes_at = w.registration_closes_at - Duration::days(1);
        assert_eq!(w.validate().map_err(|e| e.0), Err("add_drop_closes_at"));
    }

    #[test]
    fn categories_and_credits_parse() {
        assert_eq!(CourseCategory::parse("Gen Ed"), Ok(CourseCategory::GeneralEducation));
        assert_eq!(CourseCategory::parse("compulsory"), Ok(CourseCategory::Core));
        assert!(CourseCategory::parse("optional-ish").is_err());
        assert_eq!(parse_credits("1.5"), Ok(1.5));
        assert_eq!(parse_credits(""), Ok(0.0));
        assert!(parse_credits("1.25").is_err());
        assert!(parse_credits("13").is_err());
        assert!(parse_credits("three").is_err());
    }
}
