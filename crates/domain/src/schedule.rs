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

/// [`Schedule::parse`]'s grammar as a regular expression (ECMA-262 and Python alike).
pub const SCHEDULE_PATTERN: &str = concat!(
    r"^[\t\r\n ;]*(?:",
    r"(?:[Mm][Oo][Nn]|[Tt][Uu][Ee]|[Ww][Ee][Dd]|[Tt][Hh][Uu]|[Ff][Rr][Ii]|[Ss][Aa][Tt]|[Ss][Uu][Nn])[A-Za-z]* +",
    r"(?:[01]?[0-9]|2[0-3]):[0-5][0-9] *[-–] *(?:[01]?[0-9]|2[0-3]):[0-5][0-9]",
    r"[\t\r ]*(?:[;\n][\t\r\n ;]*|$))*$"
);

/// A weekly timetable, written as `Mon 09:00-10:30; Wed 09:00-10:30`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule(pub Vec<Meeting>);

/// `H:MM` or `HH:MM` within a day, as minutes after midnight.
fn parse_time(raw: &str) -> Option<u16> {
    let (h, m) = raw.split_once(':')?;
    let digits = |part: &str, widths: std::ops::RangeInclusive<usize>| {
        widths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// The day a token names: its first three letters (`Mon`, `monday`, `WED`…).
fn parse_day(token: &str) -> Option<u8> {
    if token.len() < 3 || !token.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let position = DAYS.iter().position(|d| d.eq_ignore_ascii_case(&token[..3]))?;
    u8::try_from(position + 1).ok()
}

/// One meeting: `Mon 09:00-10:30` (one or more spaces after the day, a hyphen or an en dash
/// between the times, spaces around it allowed). `Err(true)` when it ends before it starts.
fn parse_meeting(part: &str) -> Result<Meeting, bool> {
    let (day, span) = part.split_once(' ').ok_or(false)?;
    let day = parse_day(day).ok_or(false)?;
    let (start, end) = span.trim_start_matches(' ').split_once(['-', '–']).ok_or(false)?;
    let start = parse_time(start.trim_end_matches(' ')).ok_or(false)?;
    let end = parse_time(end.trim_start_matches(' ')).ok_or(false)?;
    if end <= start {
        return Err(true);
    }
    Ok(Meeting { day, start, end })
}

/// Why a timetable was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleError {
    /// Not written like `Mon 09:00-10:30; Wed 14:00-15:30`.
    Malformed(String),
    /// Well written, but a meeting ends before it starts.
    Backwards(String),
}

impl std::fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScheduleError::Malformed(m) | ScheduleError::Backwards(m) => f.write_str(m),
        }
    }
}

impl Schedule {
    /// Parses `Mon 09:00-10:30; Wed 14:00-15:30`: meetings separated by `;` or line breaks,
    /// spaces, tabs and carriage returns around them ignored. Empty text is an empty schedule
    /// (online, self-paced or to be announced). The API document states the same grammar as a
    /// pattern ([`SCHEDULE_PATTERN`]).
    pub fn parse(raw: &str) -> Result<Schedule, ScheduleError> {
        let mut meetings = Vec::new();
        let blank = |c: char| matches!(c, ' ' | '\t' | '\r');
        for part in raw.split([';', '\n']).map(|p| p.trim_matches(blank)).filter(|p| !p.is_empty()) {
            match parse_meeting(part) {
                Ok(meeting) => meetings.push(meeting),
                Err(true) => return Err(ScheduleError::Backwards(format!("{part:?} ends before it starts"))),
                Err(false) => {
                    return Err(ScheduleError::Malformed(format!("{part:?} is not like \"Mon 09:00-10:30\"")));
                }
            }
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
        assert!(matches!(Schedule::parse("Mon 10:00-09:00"), Err(ScheduleError::Backwards(_))));
        assert!(matches!(Schedule::parse("Funday 10:00-11:00"), Err(ScheduleError::Malformed(_))));
        assert!(matches!(Schedule::parse("Mon 25:00-26:00"), Err(ScheduleError::Malformed(_))));
        assert!(matches!(Schedule::parse("Mé 09:00-10:00"), Err(ScheduleError::Malformed(_))), "no panic on letters");
        assert!(matches!(Schedule::parse("Mon +9:00-10:00"), Err(ScheduleError::Malformed(_))));
        assert_eq!(Schedule::parse(" ;\nTue 9:05 – 10:00 ;; \r\n").unwrap().label(), "Tue 09:05–10:00");
    }

    #[test]
    fn clashes_need_the_same_day_and_overlap() {
        let a = Schedule::parse("Mon 09:00-10:30").unwrap();
        assert!(a.clash(&Schedule::parse("Mon 10:00-11:00").unwrap()).is_some());
        assert!(a.clash(&Schedule::parse("Mon 10:30-11:30").unwrap()).is_none(), "touching is fine");
        assert!(a.clash(&Schedule::parse("Tue 09:00-10:30").unwrap()).is_none());
    }
}
