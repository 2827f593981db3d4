//! Assignment rules: a student's deadline (the assignment's, or their extension), whether a
//! submission is taken now (on time, late, or closed at the cut-off), whether it may replace an
//! earlier one (only before the due time), how late it is in the late policy's units, and the
//! penalty that makes of a mark. Pure: the app reads the rows and asks these.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// What a late penalty is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LateUnit {
    Hour,
    Day,
}

impl LateUnit {
    pub const ALL: [LateUnit; 2] = [LateUnit::Day, LateUnit::Hour];

    pub fn as_str(self) -> &'static str {
        match self {
            LateUnit::Hour => "hour",
            LateUnit::Day => "day",
        }
    }

    pub fn parse(raw: &str) -> Result<LateUnit, String> {
        match raw.trim() {
            "hour" => Ok(LateUnit::Hour),
            "day" => Ok(LateUnit::Day),
            _ => Err("must be day or hour".into()),
        }
    }

    fn length(self) -> Duration {
        match self {
            LateUnit::Hour => Duration::hours(1),
            LateUnit::Day => Duration::days(1),
        }
    }
}

/// When one student's work is due: the assignment's times, or their extension's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub due: DateTime<Utc>,
    /// Nothing is taken after this; `None`: late work is taken at any time (with its penalty).
    pub cutoff: Option<DateTime<Utc>>,
}

impl Deadline {
    /// The deadline with a student's extension: their own due time, and the same grace after it
    /// before the cut-off.
    pub fn extended(self, due: DateTime<Utc>) -> Deadline {
        let cutoff = self.cutoff.map(|c| due + (c - self.due).max(Duration::zero()));
        Deadline { due, cutoff }
    }
}

/// Whether a submission is taken at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    OnTime,
    Late,
    /// Past the cut-off.
    Closed,
}

pub fn taken(deadline: Deadline, at: DateTime<Utc>) -> Taken {
    if at <= deadline.due {
        Taken::OnTime
    } else if deadline.cutoff.is_some_and(|cutoff| at > cutoff) {
        Taken::Closed
    } else {
        Taken::Late
    }
}

/// Whether a student may hand in (again) at `at`: a first submission until the cut-off (late
/// after the due time), a resubmission only until the due time.
pub fn may_submit(deadline: Deadline, at: DateTime<Utc>, already_submitted: bool) -> Result<Taken, String> {
    match taken(deadline, at) {
        Taken::Closed => Err("The cut-off has passed: no more submissions are taken.".into()),
        Taken::Late if already_submitted => {
            Err("The due time has passed: your last submission stands and can no longer be replaced.".into())
        }
        taken => Ok(taken),
    }
}

/// How many units late a submission at `at` is: every started unit counts (a minute late is one).
pub fn units_late(due: DateTime<Utc>, at: DateTime<Utc>, unit: LateUnit) -> u32 {
    if at <= due {
        return 0;
    }
    let late = (at - due).num_seconds();
    let length = unit.length().num_seconds();
    u32::try_from((late + length - 1) / length).unwrap_or(u32::MAX)
}

/// A late policy: a share of the marks taken off per unit late, never more than all of them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatePolicy {
    /// Percent of the marks per unit late, 0–100.
    pub percent: f64,
    pub unit: LateUnit,
}

impl LatePolicy {
    /// The share of the marks taken off (0–1) for a submission `units` late.
    pub fn penalty(&self, units: u32) -> f64 {
        (f64::from(units) * self.percent / 100.0).clamp(0.0, 1.0)
    }
}

/// A mark after a penalty (a share 0–1), in hundredths, rounded half up (a student loses no
/// more than the policy says).
pub fn after_penalty(mark: f64, penalty: f64) -> f64 {
    let kept = mark * (1.0 - penalty.clamp(0.0, 1.0));
    (kept * 100.0 + 1e-9).round() / 100.0
}

/// Whether a file's name is of one of the allowed types (extensions, without dots, any case);
/// an empty list allows any.
pub fn allowed_type(name: &str, allowed: &[String]) -> bool {
    if allowed.is_empty() {
        return true;
    }
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    allowed.iter().any(|a| a.eq_ignore_ascii_case(&extension))
}

/// The allowed types as typed ("pdf, .docx zip") read into a list of extensions.
pub fn parse_types(raw: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for word in raw.split([',', ' ', ';']).map(str::trim).filter(|w| !w.is_empty()) {
        let word = word.trim_start_matches('.').to_ascii_lowercase();
        if word.is_empty() || word.len() > 10 || !word.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!("{word:?} is not a file type: write extensions such as pdf, docx, zip"));
        }
        if !out.contains(&word) {
            out.push(word);
        }
    }
    Ok(out)
}

/// A stable pseudonym order for anonymous grading: students sorted by a hash of the assignment
/// and their id, so the order says nothing of names or ids and is the same on every visit.
pub fn anonymous_key(assignment: i64, student: i64) -> u64 {
    // SplitMix64 over the two ids: cheap, well mixed, stable across builds.
    let mut x = (assignment as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (student as u64);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn work_is_on_time_late_or_closed_and_replaced_only_before_the_due_time() {
        let deadline = Deadline { due: at("2026-12-10T17:00:00Z"), cutoff: Some(at("2026-12-12T17:00:00Z")) };
        assert_eq!(may_submit(deadline, at("2026-12-10T17:00:00Z"), false), Ok(Taken::OnTime));
        assert_eq!(may_submit(deadline, at("2026-12-10T16:00:00Z"), true), Ok(Taken::OnTime), "resubmitted in time");
        assert_eq!(may_submit(deadline, at("2026-12-11T09:00:00Z"), false), Ok(Taken::Late));
        assert!(may_submit(deadline, at("2026-12-11T09:00:00Z"), true).is_err(), "no replacing after the due time");
        assert!(may_submit(deadline, at("2026-12-12T17:00:01Z"), false).is_err(), "closed at the cut-off");
        let open = Deadline { cutoff: None, ..deadline };
        assert_eq!(may_submit(open, at("2027-01-30T00:00:00Z"), false), Ok(Taken::Late));
    }

    #[test]
    fn an_extension_moves_the_due_time_and_the_cut_off_with_it() {
        let deadline = Deadline { due: at("2026-12-10T17:00:00Z"), cutoff: Some(at("2026-12-12T17:00:00Z")) };
        let extended = deadline.extended(at("2026-12-14T17:00:00Z"));
        assert_eq!(extended.due, at("2026-12-14T17:00:00Z"));
        assert_eq!(extended.cutoff, Some(at("2026-12-16T17:00:00Z")), "the same two days of grace after it");
        assert_eq!(taken(extended, at("2026-12-13T10:00:00Z")), Taken::OnTime);
        assert_eq!(Deadline { cutoff: None, ..deadline }.extended(at("2026-12-14T17:00:00Z")).cutoff, None);
    }

    #[test]
    fn every_started_unit_counts_and_the_penalty_is_capped() {
        let due = at("2026-12-10T17:00:00Z");
        assert_eq!(units_late(due, due, LateUnit::Day), 0);
        assert_eq!(units_late(due, at("2026-12-10T17:01:00Z"), LateUnit::Day), 1);
        assert_eq!(units_late(due, at("2026-12-12T17:00:00Z"), LateUnit::Day), 2);
        assert_eq!(units_late(due, at("2026-12-12T17:00:01Z"), LateUnit::Day), 3);
        assert_eq!(units_late(due, at("2026-12-10T19:30:00Z"), LateUnit::Hour), 3);
        let policy = LatePolicy { percent: 10.0, unit: LateUnit::Day };
        assert_eq!(policy.penalty(2), 0.2);
        assert_eq!(policy.penalty(15), 1.0);
        assert_eq!(after_penalty(8.5, 0.2), 6.8);
        assert_eq!(after_penalty(7.0, 0.1), 6.3);
        assert_eq!(after_penalty(3.33, 0.1), 3.0);
        assert_eq!(after_penalty(5.0, 1.0), 0.0);
    }

    #[test]
    fn file_types_are_read_and_checked_by_extension() {
        let types = parse_types("pdf, .DOCX zip").unwrap();
        assert_eq!(types, ["pdf", "docx", "zip"]);
        assert!(allowed_type("Report FINAL.Pdf", &types));
        assert!(!allowed_type("report.exe", &types));
        assert!(!allowed_type("pdf", &types), "a name without an extension");
        assert!(allowed_type("anything.bin", &[]));
        assert!(parse_types("pdf, ../etc").is_err());
    }

    #[test]
    fn the_anonymous_order_is_stable_and_not_the_id_order() {
        assert_eq!(anonymous_key(7, 42), anonymous_key(7, 42));
        let mut ids: Vec<i64> = (1..=20).collect();
        ids.sort_by_key(|id| anonymous_key(7, *id));
        assert_ne!(ids, (1..=20).collect::<Vec<_>>());
        let mut other: Vec<i64> = (1..=20).collect();
        other.sort_by_key(|id| anonymous_key(8, *id));
        assert_ne!(ids, other, "each assignment has its own order");
    }
}
