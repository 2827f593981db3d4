//! The continuous-quality-improvement loop: findings (a shortfall, or raised by hand) with a
//! criticality, and actions with an owner, a due term, a status and, once done, a check of
//! whether they worked.

use serde::{Deserialize, Serialize};

macro_rules! labelled {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $key:literal, $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(raw: &str) -> Result<$name, String> {
                $name::ALL.iter().copied().find(|v| v.as_str() == raw.trim()).ok_or_else(|| {
                    format!("must be one of: {}", $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "))
                })
            }
        }
    };
}

labelled!(
    /// How much a finding matters.
    Criticality {
        Low => "low", "Low",
        Medium => "medium", "Medium",
        High => "high", "High",
    }
);

labelled!(
    /// Where an action stands.
    ActionStatus {
        Planned => "planned", "Planned",
        InProgress => "in_progress", "In progress",
        Done => "done", "Done",
        Cancelled => "cancelled", "Cancelled",
    }
);

labelled!(
    /// Whether a completed action fixed the shortfall, judged in the follow-up offering.
    Effectiveness {
        Effective => "effective", "Effective",
        Partly => "partly", "Partly effective",
        NotEffective => "not_effective", "Not effective",
    }
);

impl ActionStatus {
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Planned | ActionStatus::InProgress)
    }
}

/// An open action is overdue once the term it is due in has ended.
pub fn is_overdue(
    status: ActionStatus,
    due_term_ends: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    status.is_open() && now > due_term_ends
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, Utc};

    #[test]
    fn keys_round_trip_and_bad_ones_are_named() {
        for c in Criticality::ALL {
            assert_eq!(Criticality::parse(c.as_str()), Ok(*c));
        }
        assert_eq!(ActionStatus::parse("in_progress"), Ok(ActionStatus::InProgress));
        assert_eq!(Effectiveness::parse("x"), Err("must be one of: effective, partly, not_effective".into()));
    }

    #[test]
    fn only_open_actions_in_an_ended_term_are_overdue() {
        let now = Utc::now();
        assert!(is_overdue(ActionStatus::Planned, now - Duration::days(1), now));
        assert!(!is_overdue(ActionStatus::Planned, now + Duration::days(1), now));
        assert!(!is_overdue(ActionStatus::Done, now - Duration::days(1), now));
    }
}
