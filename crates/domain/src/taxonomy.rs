//! Learning domains and taxonomy levels, which every CLO carries (PRODUCT.md §3).
//!
//! The level says how demanding an outcome is, so reports can check that a program climbs from
//! "remember" in early courses to "create" in capstones. Codes follow the usual OBE convention
//! (used by PEC and BAETE, not part of the taxonomies themselves): cognitive C1–C6 (Bloom revised,
//! Anderson & Krathwohl 2001), psychomotor P1–P7 (Simpson 1972) and affective A1–A5 (Krathwohl,
//! Bloom & Masia 1964). Some institutions use Dave's (1970) five psychomotor levels instead, so
//! the psychomotor scale can be chosen with [`PsychomotorScale`]; Simpson is the default.
//!
//! Level names and descriptions come from the CSV tables embedded from `data/frameworks/`.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::frameworks::data::{DataError, EmbeddedCsv, check_numbered_codes, embedded_csv};

/// The three domains of learning a CLO can address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LearningDomain {
    /// Knowledge and thinking (C).
    Cognitive,
    /// Physical and practical skills (P).
    Psychomotor,
    /// Attitudes and values (A).
    Affective,
}

impl LearningDomain {
    pub const ALL: [LearningDomain; 3] =
        [LearningDomain::Cognitive, LearningDomain::Psychomotor, LearningDomain::Affective];

    /// The letter that starts the domain's level codes: `C`, `P` or `A`.
    pub fn letter(self) -> char {
        match self {
            LearningDomain::Cognitive => 'C',
            LearningDomain::Psychomotor => 'P',
            LearningDomain::Affective => 'A',
        }
    }

    /// The domain whose codes start with `letter`, in either case.
    pub fn from_letter(letter: char) -> Option<LearningDomain> {
        LearningDomain::ALL.into_iter().find(|d| d.letter().eq_ignore_ascii_case(&letter))
    }

    /// "Cognitive", "Psychomotor" or "Affective".
    pub fn label(self) -> &'static str {
        match self {
            LearningDomain::Cognitive => "Cognitive",
            LearningDomain::Psychomotor => "Psychomotor",
            LearningDomain::Affective => "Affective",
        }
    }

    /// The taxonomy the domain's levels come from (psychomotor: the default, Simpson).
    pub fn taxonomy(self) -> &'static str {
        match self {
            LearningDomain::Cognitive => "Bloom’s revised taxonomy (Anderson & Krathwohl, 2001)",
            LearningDomain::Psychomotor => PsychomotorScale::Simpson.taxonomy(),
            LearningDomain::Affective => "Affective domain (Krathwohl, Bloom & Masia, 1964)",
        }
    }

    /// The highest level number (psychomotor: on the default Simpson scale).
    pub fn max_level(self) -> u8 {
        max_level(self, PsychomotorScale::Simpson)
    }

    /// The domain's levels, lowest first (psychomotor: on the default Simpson scale).
    pub fn levels(self) -> &'static [LevelInfo] {
        table(self, PsychomotorScale::Simpson)
    }
}

/// Which published scale the P codes refer to; an institution or program setting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PsychomotorScale {
    /// Simpson (1972), seven levels P1 Perception … P7 Origination. The default.
    #[default]
    Simpson,
    /// Dave (1970), five levels P1 Imitation … P5 Naturalization.
    Dave,
}

impl PsychomotorScale {
    pub const ALL: [PsychomotorScale; 2] = [PsychomotorScale::Simpson, PsychomotorScale::Dave];

    /// Citation of the scale, for labels and reports.
    pub fn taxonomy(self) -> &'static str {
        match self {
            PsychomotorScale::Simpson => "Psychomotor domain (Simpson, 1972)",
            PsychomotorScale::Dave => "Psychomotor domain (Dave, 1970)",
        }
    }

    /// The highest P level on this scale.
    pub fn max_level(self) -> u8 {
        match self {
            PsychomotorScale::Simpson => 7,
            PsychomotorScale::Dave => 5,
        }
    }

    /// The P levels of this scale, lowest first.
    pub fn levels(self) -> &'static [LevelInfo] {
        table(LearningDomain::Psychomotor, self)
    }

    /// The allowed codes, as said in error messages.
    fn allowed(self) -> &'static str {
        match self {
            PsychomotorScale::Simpson => "C1–C6, P1–P7 or A1–A5",
            PsychomotorScale::Dave => "C1–C6, P1–P5 or A1–A5",
        }
    }
}

/// One level of a taxonomy as published, e.g. C3 "Apply".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelInfo {
    /// 1 for the lowest level.
    pub level: u8,
    /// The OBE code, e.g. `C3`.
    pub code: String,
    /// The taxonomy's name for the level, e.g. "Apply".
    pub name: String,
    /// A one-line paraphrase of what the level means.
    pub description: String,
}

/// A domain and a level within it, written as a code such as `C3`; what each CLO carries.
///
/// Serialized as the code. Values always lie within the default scales (P1–P7), which include
/// every Dave level; use [`TaxonomyLevel::parse_in`] to hold input to the Dave range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TaxonomyLevel {
    domain: LearningDomain,
    level: u8,
}

/// Input that is not a taxonomy level; the message names the allowed codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxonomyLevelError {
    #[error("a taxonomy level is required: must be {allowed}")]
    Empty { allowed: &'static str },
    #[error("“{input}” is not a taxonomy level: must be {allowed}")]
    Unknown { input: String, allowed: &'static str },
    #[error("“{input}” is out of range: must be {allowed}")]
    OutOfRange { input: String, allowed: &'static str },
}

impl TaxonomyLevel {
    /// The level `level` of `domain`, checked against the default scales.
    pub fn new(domain: LearningDomain, level: u8) -> Result<TaxonomyLevel, TaxonomyLevelError> {
        TaxonomyLevel::new_in(domain, level, PsychomotorScale::Simpson)
    }

    /// The level `level` of `domain`, with P levels checked against `scale`.
    pub fn new_in(
        domain: LearningDomain,
        level: u8,
        scale: PsychomotorScale,
    ) -> Result<TaxonomyLevel, TaxonomyLevelError> {
        if (1..=max_level(domain, scale)).contains(&level) {
            Ok(TaxonomyLevel { domain, level })
        } else {
            Err(TaxonomyLevelError::OutOfRange {
                input: format!("{}{level}", domain.letter()),
                allowed: scale.allowed(),
            })
        }
    }

    /// Parses a code such as `C3` or ` p7 ` (any case, surrounding spaces ignored).
    pub fn parse(raw: &str) -> Result<TaxonomyLevel, TaxonomyLevelError> {
        TaxonomyLevel::parse_in(raw, PsychomotorScale::Simpson)
    }

    /// Parses a code, with P codes checked against `scale` (so `P6` fails on Dave's scale).
    pub fn parse_in(raw: &str, scale: PsychomotorScale) -> Result<TaxonomyLevel, TaxonomyLevelError> {
        let input = raw.trim();
        let allowed = scale.allowed();
        let mut chars = input.chars();
        let Some(first) = chars.next() else {
            return Err(TaxonomyLevelError::Empty { allowed });
        };
        let digits = chars.as_str();
        let domain = LearningDomain::from_letter(first);
        let Some(domain) = domain.filter(|_| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())) else {
            return Err(TaxonomyLevelError::Unknown { input: input.to_owned(), allowed });
        };
        let out_of_range = || TaxonomyLevelError::OutOfRange { input: input.to_owned(), allowed };
        let level = digits.parse::<u8>().map_err(|_| out_of_range())?;
        TaxonomyLevel::new_in(domain, level, scale).map_err(|_| out_of_range())
    }

    pub fn domain(self) -> LearningDomain {
        self.domain
    }

    /// 1 for the lowest level of the domain.
    pub fn level(self) -> u8 {
        self.level
    }

    /// The level's name ("Apply", "Guided Response", "Valuing"), P on the Simpson scale.
    pub fn name(self) -> &'static str {
        self.info().map_or("", |i| i.name.as_str())
    }

    /// A one-line description of the level, P on the Simpson scale.
    pub fn description(self) -> &'static str {
        self.info().map_or("", |i| i.description.as_str())
    }

    /// Name and description on the default scales. `None` only if the embedded data were
    /// broken, which the unit tests rule out.
    pub fn info(self) -> Option<&'static LevelInfo> {
        self.info_in(PsychomotorScale::Simpson)
    }

    /// Name and description with P levels read on `scale`; `None` for P6 and P7 on Dave's scale.
    pub fn info_in(self, scale: PsychomotorScale) -> Option<&'static LevelInfo> {
        table(self.domain, scale).get(usize::from(self.level) - 1)
    }

    /// Every level of every domain on the given scale, in order C1…C6, P1…, A1…A5, for pickers.
    pub fn all_in(scale: PsychomotorScale) -> Vec<TaxonomyLevel> {
        LearningDomain::ALL
            .into_iter()
            .flat_map(|domain| (1..=max_level(domain, scale)).map(move |level| TaxonomyLevel { domain, level }))
            .collect()
    }
}

impl fmt::Display for TaxonomyLevel {
    /// The code, e.g. `C3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.domain.letter(), self.level)
    }
}

impl FromStr for TaxonomyLevel {
    type Err = TaxonomyLevelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TaxonomyLevel::parse(s)
    }
}

impl From<TaxonomyLevel> for String {
    fn from(level: TaxonomyLevel) -> String {
        level.to_string()
    }
}

impl TryFrom<String> for TaxonomyLevel {
    type Error = TaxonomyLevelError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        TaxonomyLevel::parse(&value)
    }
}

fn max_level(domain: LearningDomain, scale: PsychomotorScale) -> u8 {
    match domain {
        LearningDomain::Cognitive => 6,
        LearningDomain::Psychomotor => scale.max_level(),
        LearningDomain::Affective => 5,
    }
}

/// The embedded level tables, in the order of [`slot`].
const TABLE_FILES: [EmbeddedCsv; 4] = [
    embedded_csv!("bloom_revised_cognitive_anderson_krathwohl_2001.csv"),
    embedded_csv!("psychomotor_simpson_1972.csv"),
    embedded_csv!("psychomotor_dave_1970.csv"),
    embedded_csv!("affective_krathwohl_bloom_masia_1964.csv"),
];

/// Which table holds the levels of `domain` (only psychomotor depends on the scale).
fn slot(domain: LearningDomain, scale: PsychomotorScale) -> usize {
    match (domain, scale) {
        (LearningDomain::Cognitive, _) => 0,
        (LearningDomain::Psychomotor, PsychomotorScale::Simpson) => 1,
        (LearningDomain::Psychomotor, PsychomotorScale::Dave) => 2,
        (LearningDomain::Affective, _) => 3,
    }
}

/// Parses the level table of `domain` on `scale`.
fn parse_table(domain: LearningDomain, scale: PsychomotorScale) -> Result<Vec<LevelInfo>, DataError> {
    parse_levels(&TABLE_FILES[slot(domain, scale)], domain.letter(), max_level(domain, scale))
}

/// Parses a level table, checking it has exactly the levels `<letter>1`…`<letter><max>`.
fn parse_levels(csv: &EmbeddedCsv, letter: char, max: u8) -> Result<Vec<LevelInfo>, DataError> {
    let rows = csv.rows(&["level_code", "level", "description"])?;
    let prefix = letter.to_string();
    check_numbered_codes(csv, &prefix, rows.iter().map(|r| r[0].as_str()))?;
    if rows.len() != usize::from(max) {
        return Err(csv.error(format!("has {} levels, expected {prefix}1–{prefix}{max}", rows.len())));
    }
    Ok((1..=max)
        .zip(rows)
        .map(|(level, mut r)| LevelInfo {
            level,
            description: std::mem::take(&mut r[2]),
            name: std::mem::take(&mut r[1]),
            code: std::mem::take(&mut r[0]),
        })
        .collect())
}

/// The level tables in the order of [`slot`], parsed once; a table that failed to parse is
/// empty (ruled out by the tests).
static TABLES: LazyLock<[Vec<LevelInfo>; 4]> = LazyLock::new(|| {
    use {LearningDomain as D, PsychomotorScale as S};
    [(D::Cognitive, S::Simpson), (D::Psychomotor, S::Simpson), (D::Psychomotor, S::Dave), (D::Affective, S::Simpson)]
        .map(|(domain, scale)| parse_table(domain, scale).unwrap_or_default())
});

fn table(domain: LearningDomain, scale: PsychomotorScale) -> &'static [LevelInfo] {
    &TABLES[slot(domain, scale)]
}

#[cfg(test)]
mod tests;
