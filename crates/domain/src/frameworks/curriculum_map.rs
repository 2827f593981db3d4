//! The curriculum map: which course Introduces, Reinforces or Masters each PLO, and its gaps.
//!
//! Accreditors ask whether every PLO is taught, developed over several courses and brought to
//! mastery somewhere in the program; [`coverage_report`] answers those questions from the map.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How far one course takes students towards one PLO. Ordered I < R < M; serialized as the letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum CoverageLevel {
    /// `I`: the course first presents the outcome.
    Introduces,
    /// `R`: the course develops it further with practice.
    Reinforces,
    /// `M`: students are expected to demonstrate it at graduation level.
    Masters,
}

/// Input that is not a coverage level.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a coverage level: must be I, R or M (Introduces, Reinforces, Masters)")]
pub struct CoverageLevelError(pub String);

impl CoverageLevel {
    pub const ALL: [CoverageLevel; 3] = [CoverageLevel::Introduces, CoverageLevel::Reinforces, CoverageLevel::Masters];

    /// `I`, `R` or `M`, as in a curriculum-map cell.
    pub fn letter(self) -> char {
        match self {
            CoverageLevel::Introduces => 'I',
            CoverageLevel::Reinforces => 'R',
            CoverageLevel::Masters => 'M',
        }
    }

    /// "Introduces", "Reinforces" or "Masters", for legends.
    pub fn label(self) -> &'static str {
        match self {
            CoverageLevel::Introduces => "Introduces",
            CoverageLevel::Reinforces => "Reinforces",
            CoverageLevel::Masters => "Masters",
        }
    }

    /// Accepts the letter or the word (`I`, `introduces`, `introduced` …), any case.
    pub fn parse(raw: &str) -> Result<CoverageLevel, CoverageLevelError> {
        let found = match raw.trim().to_ascii_lowercase().as_str() {
            "i" | "introduces" | "introduced" => CoverageLevel::Introduces,
            "r" | "reinforces" | "reinforced" => CoverageLevel::Reinforces,
            "m" | "masters" | "mastered" => CoverageLevel::Masters,
            _ => return Err(CoverageLevelError(raw.trim().to_owned())),
        };
        Ok(found)
    }

    /// Parses one map cell from an import or form: blank (or `-`) means the course does not address the PLO.
    pub fn parse_cell(raw: &str) -> Result<Option<CoverageLevel>, CoverageLevelError> {
        match raw.trim() {
            "" | "-" => Ok(None),
            other => CoverageLevel::parse(other).map(Some),
        }
    }
}

impl fmt::Display for CoverageLevel {
    /// The letter, as in a map cell.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

impl FromStr for CoverageLevel {
    type Err = CoverageLevelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CoverageLevel::parse(s)
    }
}

impl From<CoverageLevel> for String {
    fn from(level: CoverageLevel) -> String {
        level.to_string()
    }
}

impl TryFrom<String> for CoverageLevel {
    type Error = CoverageLevelError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        CoverageLevel::parse(&value)
    }
}

/// The gaps of a curriculum map, each list in the order the PLOs were given.
///
/// Each list answers one question on its own, so a PLO can appear in several: an uncovered PLO
/// is also never mastered, and one only introduced is never mastered either.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CoverageReport {
    /// PLOs that no course addresses at all.
    pub uncovered: Vec<String>,
    /// PLOs that no course takes to M (including the uncovered ones).
    pub never_mastered: Vec<String>,
    /// PLOs that courses address, but only ever at I (never reinforced nor mastered).
    pub introduced_only: Vec<String>,
    /// PLO codes that appear in the map but not in the PLO list, usually a typo in an import.
    pub unknown_plos: Vec<String>,
}

impl CoverageReport {
    /// True when every PLO is covered and mastered somewhere and the map names no unknown PLO.
    pub fn is_complete(&self) -> bool {
        self.uncovered.is_empty() && self.never_mastered.is_empty() && self.unknown_plos.is_empty()
    }
}

/// Finds the gaps in a curriculum map given as `(course code, PLO code, level)` cells, where a
/// `None` level is a blank cell, against the program's PLO codes. Codes match exactly.
pub fn coverage_report<C, P, Q>(cells: &[(C, P, Option<CoverageLevel>)], plos: &[Q]) -> CoverageReport
where
    C: AsRef<str>,
    P: AsRef<str>,
    Q: AsRef<str>,
{
    let known: HashSet<&str> = plos.iter().map(AsRef::as_ref).collect();
    let mut report = CoverageReport::default();
    let mut seen = HashSet::new();
    for plo in plos.iter().map(AsRef::as_ref) {
        if !seen.insert(plo) {
            continue;
        }
        let highest = cells.iter().filter(|(_, p, _)| p.as_ref() == plo).filter_map(|(_, _, level)| *level).max();
        if highest.is_none() {
            report.uncovered.push(plo.to_owned());
        }
        if highest != Some(CoverageLevel::Masters) {
            report.never_mastered.push(plo.to_owned());
        }
        if highest == Some(CoverageLevel::Introduces) {
            report.introduced_only.push(plo.to_owned());
        }
    }
    for (_, plo, _) in cells {
        let plo = plo.as_ref();
        if !known.contains(plo) && !report.unknown_plos.iter().any(|u| u == plo) {
            report.unknown_plos.push(plo.to_owned());
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::CoverageLevel::{Introduces as I, Masters as M, Reinforces as R};
    use super::*;

    #[test]
    fn parses_letters_and_words_in_any_case() {
        assert_eq!(CoverageLevel::parse("i"), Ok(I));
        assert_eq!(CoverageLevel::parse(" Reinforces "), Ok(R));
        assert_eq!("M".parse::<CoverageLevel>(), Ok(M));
        assert_eq!(CoverageLevel::parse("mastered"), Ok(M));
        assert_eq!(
            CoverageLevel::parse("X").unwrap_err().to_string(),
            "“X” is not a coverage level: must be I, R or M (Introduces, Reinforces, Masters)"
        );
        assert!(CoverageLevel::parse("").is_err());
        assert_eq!(CoverageLevel::parse_cell(" "), Ok(None));
        assert_eq!(CoverageLevel::parse_cell("r"), Ok(Some(R)));
        assert!(CoverageLevel::parse_cell("IR").is_err());
    }

    #[test]
    fn displays_the_letter_and_round_trips() {
        assert_eq!(format!("{I}{R}{M}"), "IRM");
        for level in CoverageLevel::ALL {
            assert_eq!(CoverageLevel::parse(&level.to_string()), Ok(level));
            assert_eq!(CoverageLevel::parse(level.label()), Ok(level));
        }
        assert!(I < R && R < M);
    }

    #[test]
    fn serializes_as_the_letter() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Cell {
            level: CoverageLevel,
        }
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.serialize(Cell { level: R }).unwrap();
        assert_eq!(String::from_utf8(writer.into_inner().unwrap()).unwrap(), "level\nR\n");
        let mut reader = csv::Reader::from_reader("level\nm\nQ\n".as_bytes());
        let cells: Vec<Result<Cell, _>> = reader.deserialize().collect();
        assert_eq!(cells[0].as_ref().unwrap(), &Cell { level: M });
        assert!(cells[1].is_err());
    }

    #[test]
    fn reports_each_kind_of_gap() {
        let cells = [
            ("CS101", "PLO1", Some(I)),
            ("CS201", "PLO1", Some(R)),
            ("CS401", "PLO1", Some(M)),
            ("CS101", "PLO2", Some(I)),
            ("CS201", "PLO2", Some(I)),
            ("CS201", "PLO3", Some(R)),
            ("CS101", "PLO4", None),
            ("CS401", "PLO5", Some(M)),
        ];
        let report = coverage_report(&cells, &["PLO1", "PLO2", "PLO3", "PLO4", "PLO5"]);
        assert_eq!(
            report,
            CoverageReport {
                uncovered: vec!["PLO4".into()],
                never_mastered: vec!["PLO2".into(), "PLO3".into(), "PLO4".into()],
                introduced_only: vec!["PLO2".into()],
                unknown_plos: vec![],
            }
        );
        assert!(!report.is_complete());
    }

    #[test]
    fn a_complete_map_has_no_gaps() {
        let cells = [("A", "P1", Some(I)), ("B", "P1", Some(M)), ("B", "P2", Some(M))];
        let report = coverage_report(&cells, &["P1", "P2"]);
        assert_eq!(report, CoverageReport::default());
        assert!(report.is_complete());
    }

    #[test]
    fn plos_with_no_cells_at_all_are_uncovered() {
        let cells: [(&str, &str, Option<CoverageLevel>); 0] = [];
        let report = coverage_report(&cells, &["P1", "P2"]);
        assert_eq!(report.uncovered, ["P1", "P2"]);
        assert_eq!(report.never_mastered, ["P1", "P2"]);
        assert!(report.introduced_only.is_empty());
    }

    #[test]
    fn flags_unknown_plos_once_and_accepts_owned_strings() {
        let cells = vec![
            ("A".to_owned(), "PLO1".to_owned(), Some(M)),
            ("A".to_owned(), "PL01".to_owned(), Some(I)),
            ("B".to_owned(), "PL01".to_owned(), None),
        ];
        let plos = vec!["PLO1".to_owned(), "PLO1".to_owned()];
        let report = coverage_report(&cells, &plos);
        assert_eq!(report.unknown_plos, ["PL01"]);
        assert!(report.uncovered.is_empty() && report.never_mastered.is_empty(), "duplicate PLO listed once");
        assert!(!report.is_complete());
    }
}
