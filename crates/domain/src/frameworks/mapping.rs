//! How strongly a CLO contributes to a PLO, and the averages of the CLO–PLO matrix.
//!
//! Accreditation self-study reports show a course's CLO×PLO matrix with a 1/2/3 in each mapped
//! cell and the average of each column ("articulation"); blank cells mean "not mapped" and must
//! not pull an average down.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The strength of one CLO→PLO mapping: 1 low, 2 medium, 3 high.
///
/// Serialized as the number; ordered by strength.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum MappingStrength {
    Low = 1,
    Medium = 2,
    High = 3,
}

/// Input that is not a mapping strength.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a mapping strength: must be 1, 2 or 3 (or L, M, H for low, medium, high)")]
pub struct MappingStrengthError(pub String);

impl MappingStrength {
    pub const ALL: [MappingStrength; 3] = [MappingStrength::Low, MappingStrength::Medium, MappingStrength::High];

    /// 1, 2 or 3, the number shown in matrix cells and averaged.
    pub fn value(self) -> u8 {
        self as u8
    }

    /// `L`, `M` or `H`, the letter some institutions' templates use instead of the number.
    pub fn letter(self) -> char {
        match self {
            MappingStrength::Low => 'L',
            MappingStrength::Medium => 'M',
            MappingStrength::High => 'H',
        }
    }

    /// "low", "medium" or "high", for labels and legends.
    pub fn label(self) -> &'static str {
        match self {
            MappingStrength::Low => "low",
            MappingStrength::Medium => "medium",
            MappingStrength::High => "high",
        }
    }

    /// Accepts `1`/`2`/`3`, `L`/`M`/`H` or `low`/`medium`/`high`, any case, surrounding spaces ignored.
    pub fn parse(raw: &str) -> Result<MappingStrength, MappingStrengthError> {
        let found = match raw.trim().to_ascii_lowercase().as_str() {
            "1" | "l" | "low" => MappingStrength::Low,
            "2" | "m" | "medium" => MappingStrength::Medium,
            "3" | "h" | "high" => MappingStrength::High,
            _ => return Err(MappingStrengthError(raw.trim().to_owned())),
        };
        Ok(found)
    }

    /// Parses one matrix cell from an import or form: blank (or `-`) means "not mapped".
    pub fn parse_cell(raw: &str) -> Result<Option<MappingStrength>, MappingStrengthError> {
        match raw.trim() {
            "" | "-" => Ok(None),
            other => MappingStrength::parse(other).map(Some),
        }
    }
}

impl fmt::Display for MappingStrength {
    /// The number, as in a matrix cell.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.value())
    }
}

impl FromStr for MappingStrength {
    type Err = MappingStrengthError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MappingStrength::parse(s)
    }
}

impl From<MappingStrength> for u8 {
    fn from(strength: MappingStrength) -> u8 {
        strength.value()
    }
}

impl TryFrom<u8> for MappingStrength {
    type Error = MappingStrengthError;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        match value {
            1 => Ok(MappingStrength::Low),
            2 => Ok(MappingStrength::Medium),
            3 => Ok(MappingStrength::High),
            _ => Err(MappingStrengthError(value.to_string())),
        }
    }
}

/// The mean strength of the mapped cells of one matrix row or column, ignoring blank cells;
/// `None` when every cell is blank (nothing mapped, which is not the same as an average of 0).
///
/// Used for the CLO–PLO matrix averages per course and per PLO.
pub fn articulation_average(strengths: &[Option<MappingStrength>]) -> Option<f64> {
    let mapped: Vec<u8> = strengths.iter().flatten().map(|s| s.value()).collect();
    if mapped.is_empty() {
        return None;
    }
    let sum: u32 = mapped.iter().map(|&v| u32::from(v)).sum();
    Some(f64::from(sum) / mapped.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::MappingStrength::{High, Low, Medium};
    use super::*;

    #[test]
    fn parses_numbers_letters_and_words_in_any_case() {
        for (raw, want) in [("1", Low), (" l ", Low), ("LOW", Low), ("2", Medium), ("M", Medium), ("medium", Medium)] {
            assert_eq!(MappingStrength::parse(raw), Ok(want), "{raw:?}");
        }
        assert_eq!("3".parse::<MappingStrength>(), Ok(High));
        assert_eq!(MappingStrength::parse("h"), Ok(High));
        assert_eq!(MappingStrength::parse("High"), Ok(High));
    }

    #[test]
    fn rejects_anything_else_with_a_clear_message() {
        for raw in ["0", "4", "1.5", "x", "", "12"] {
            assert!(MappingStrength::parse(raw).is_err(), "{raw:?}");
        }
        assert_eq!(
            MappingStrength::parse(" 4 ").unwrap_err().to_string(),
            "“4” is not a mapping strength: must be 1, 2 or 3 (or L, M, H for low, medium, high)"
        );
        assert_eq!(MappingStrength::try_from(0), Err(MappingStrengthError("0".into())));
    }

    #[test]
    fn blank_cells_are_not_mapped() {
        assert_eq!(MappingStrength::parse_cell("  "), Ok(None));
        assert_eq!(MappingStrength::parse_cell("-"), Ok(None));
        assert_eq!(MappingStrength::parse_cell("H"), Ok(Some(High)));
        assert!(MappingStrength::parse_cell("5").is_err());
    }

    #[test]
    fn displays_and_converts_round_trip() {
        for s in MappingStrength::ALL {
            assert_eq!(MappingStrength::parse(&s.to_string()), Ok(s));
            assert_eq!(MappingStrength::parse(&s.letter().to_string()), Ok(s));
            assert_eq!(MappingStrength::parse(s.label()), Ok(s));
            assert_eq!(MappingStrength::try_from(u8::from(s)), Ok(s));
        }
        assert_eq!(High.to_string(), "3");
        assert!(Low < Medium && Medium < High);
    }

    #[test]
    fn serializes_as_the_number() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Row {
            strength: MappingStrength,
        }
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.serialize(Row { strength: Medium }).unwrap();
        assert_eq!(String::from_utf8(writer.into_inner().unwrap()).unwrap(), "strength\n2\n");

        let mut reader = csv::Reader::from_reader("strength\n3\n4\n".as_bytes());
        let rows: Vec<Result<Row, _>> = reader.deserialize().collect();
        assert_eq!(rows[0].as_ref().unwrap(), &Row { strength: High });
        assert!(rows[1].is_err());
    }

    #[test]
    fn average_ignores_blank_cells() {
        assert_eq!(articulation_average(&[Some(High), None, Some(Low), None]), Some(2.0));
        assert_eq!(articulation_average(&[Some(High), Some(Medium), Some(Medium)]), Some(7.0 / 3.0));
        assert_eq!(articulation_average(&[Some(Low)]), Some(1.0));
    }

    #[test]
    fn average_of_nothing_mapped_is_none() {
        assert_eq!(articulation_average(&[None, None]), None);
        assert_eq!(articulation_average(&[]), None);
    }
}
