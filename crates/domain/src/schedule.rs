//! Weekly class meetings and timetable clashes.

use serde::{Deserialize, Serialize};

/// One weekly meeting: a day (1 = Monday … 7 = Sunday) and a time span in minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub day: u8,
    pub start: u16,
    pub end: u16,
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

impl Meeting {
    /// Two meetings clash when they share a day and their spans overlap (touching ends do not).
    pub fn clashes_with(&self, other: &Meeting) -> bool {
        self.day == other.day && self.start < other.end && other.start < self.end
    }

    pub fn label(&self) -> String {
        let day = DAYS.get(usize::from(self.day.saturating_sub(1))).copied().unwrap_or("?");
        format!("{day} {:02}:{:02}–{:02}:{:02}", self.start / 60, self.start % 60, self.end / 60, self.end % 60)
    }
}

/// A weekly timetable, written as `Mon 09:00-10:30; Wed 09:00-10:30`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule(pub Vec<Meeting>);

fn parse_time(raw: &str) -> Option<u16> {
    let (h, m) = raw.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

impl Schedule {
    /// Parses `Mon 09:00-10:30; Wed 14:00-15:30`. Empty text is an empty schedule (online,
    /// self-paced or to be announced).
    pub fn parse(raw: &str) -> Result<Schedule, String> {
        let mut meetings = Vec::new();
        for part in raw.split([';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || format!("{part:?} is not like \"Mon 09:00-10:30\"");
            let (day, span) = part.split_once(' ').ok_or_else(bad)?;
            let day = DAYS.iter().position(|d| d.eq_ignore_ascii_case(&day[..day.len().min(3)])).ok_or_else(bad)?;
            let (start, end) = span.split_once(['-', '–']).ok_or_else(bad)?;
            let (start, end) = (parse_time(start).ok_or_else(bad)?, parse_time(end).ok_or_else(bad)?);
            if end <= start {
                return Err(format!("{part:?} ends before it starts"));
            }
            meetings.push(Meeting { day: u8::try_from(day + 1).unwrap_or(1), start, end });
        }
        Ok(Schedule(meetings))
    }

    /// The first pair of meetings that clash, if any.
    pub fn clash(&self, other: &Schedule) -> Option<(Meeting, Meeting)> {
        self.0.iter().flat_map(|a| other.0.iter().map(move |b| (*a, *b))).find(|(a, b)| a.clashes_with(b))
    }

    pub fn label(&self) -> String {
        if self.0.is_empty() {
            return "To be announced".into();
        }
        self.0.iter().map(Meeting::label).collect::<Vec<_>>().join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_parse_and_print() {
        let s = Schedule::parse("Mon 09:00-10:30; wednesday 14:00–15:30").unwrap();
        assert_eq!(s.0.len(), 2);
        assert_eq!(s.label(), "Mon 09:00–10:30; Wed 14:00–15:30");
        assert_eq!(Schedule::parse("").unwrap(), Schedule::default());
        assert!(Schedule::parse("Mon 10:00-09:00").is_err());
        assert!(Schedule::parse("Funday 10:00-11:00").is_err());
        assert!(Schedule::parse("Mon 25:00-26:00").is_err());
    }

    #[test]
    fn clashes_need_the_same_day_and_overlap() {
        let a = Schedule::parse("Mon 09:00-10:30").unwrap();
        assert!(a.clash(&Schedule::parse("Mon 10:00-11:00").unwrap()).is_some());
        assert!(a.clash(&Schedule::parse("Mon 10:30-11:30").unwrap()).is_none(), "touching is fine");
        assert!(a.clash(&Schedule::parse("Tue 09:00-10:30").unwrap()).is_none());
    }
}
