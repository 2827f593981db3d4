//! External outcome frameworks (ABET, Washington Accord, PEC) and how outcomes map onto each other.
//!
//! An institution adopts a built-in framework in one click: its items become the program's PLOs,
//! each aligned to the framework item it came from (PRODUCT.md §3). The item texts are embedded
//! from `data/frameworks/` (provenance and copyright in `data/frameworks/LICENSE-NOTES.md`).
//!
//! The submodules hold the value types of the outcome maps: CLO→PLO [`MappingStrength`] and the
//! curriculum map's [`CoverageLevel`].

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

pub mod curriculum_map;
pub(crate) mod data;
pub mod mapping;

pub use curriculum_map::{CoverageLevel, CoverageLevelError, CoverageReport, coverage_report};
pub use data::DataError;
pub use mapping::{MappingStrength, MappingStrengthError, articulation_average};

use data::{EmbeddedCsv, check_numbered_codes, embedded_csv};

/// The tier of the outcome model (PRODUCT.md §3) whose outcomes a framework's items become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeLevel {
    /// PEOs: what graduates achieve years after graduation.
    ProgramEducationalObjective,
    /// PLOs: what students can do at graduation (ABET "student outcomes", WA "graduate attributes").
    ProgramLearningOutcome,
    /// CLOs: what students can do at the end of one course.
    CourseLearningOutcome,
}

/// A published set of outcomes an accreditor expects programs to adopt or map to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Framework {
    /// Stable identifier stored with every PLO aligned to this framework; never changes.
    pub key: &'static str,
    /// Display name, including the edition.
    pub name: &'static str,
    /// The body that publishes the framework and holds the copyright of its text.
    pub issuer: &'static str,
    /// The tier whose outcomes the items become.
    pub level: OutcomeLevel,
    /// What the issuer calls one item, for labels ("student outcome", "graduate attribute" …).
    pub item_term: &'static str,
    /// What an adopter should know before choosing this edition, if anything.
    pub caveat: Option<&'static str>,
    /// The outcomes, in the issuer's order.
    pub items: Vec<FrameworkItem>,
}

/// One outcome of a framework, e.g. ABET `SO1` or Washington Accord `WA4`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkItem {
    /// The issuer's code, unique within the framework (`SO1`, `WA4`, `PLO12`).
    pub code: String,
    /// Short title ("Engineering Knowledge", "Teamwork").
    pub title: String,
    /// The outcome statement as published.
    pub text: String,
}

impl Framework {
    /// The item with `code` (exact match), used when resolving a PLO's alignment.
    pub fn item(&self, code: &str) -> Option<&FrameworkItem> {
        self.items.iter().find(|i| i.code == code)
    }
}

/// How one embedded CSV lays out its columns.
#[derive(Debug, Clone, Copy)]
enum Layout {
    /// `number,code,short_label,text` (ABET).
    Numbered,
    /// `code,attribute,text` (Washington Accord, PEC).
    Attribute,
}

/// Everything about a built-in framework except its parsed items.
struct Spec {
    key: &'static str,
    name: &'static str,
    issuer: &'static str,
    item_term: &'static str,
    caveat: Option<&'static str>,
    csv: EmbeddedCsv,
    layout: Layout,
    code_prefix: &'static str,
}

const SPECS: [Spec; 4] = [
    Spec {
        key: "abet-eac-2019",
        name: "ABET EAC Criterion 3 Student Outcomes (2019–20 onward)",
        issuer: "ABET Engineering Accreditation Commission",
        item_term: "student outcome",
        caveat: Some(
            "ABET reportedly removed diversity, equity and inclusion wording from its criteria in 2025, so SO5 \
             may read “collaborative environment” rather than “collaborative and inclusive environment” from \
             2025–26; check the current criteria.",
        ),
        csv: embedded_csv!("abet_eac_student_outcomes.csv"),
        layout: Layout::Numbered,
        code_prefix: "SO",
    },
    Spec {
        key: "wa-2013",
        name: "Washington Accord Graduate Attributes (IEA GAPC v3, 2013)",
        issuer: "International Engineering Alliance",
        item_term: "graduate attribute",
        caveat: Some("Superseded by the 2021 graduate attributes (wa-2021); use it for programs still assessed on v3."),
        csv: embedded_csv!("washington_accord_ga_2013_WA1-WA12.csv"),
        layout: Layout::Attribute,
        code_prefix: "WA",
    },
    Spec {
        key: "wa-2021",
        name: "Washington Accord Graduate Attributes (IEA GAPC v4, 2021)",
        issuer: "International Engineering Alliance",
        item_term: "graduate attribute",
        caveat: Some("Published copies word WA1, WA3 and WA4 slightly differently; compare with the IEA text."),
        csv: embedded_csv!("washington_accord_ga_2021_WA1-WA11.csv"),
        layout: Layout::Attribute,
        code_prefix: "WA",
    },
    Spec {
        key: "pec-2014",
        name: "PEC Program Learning Outcomes (Manual of Accreditation 2014, rev. 2019)",
        issuer: "Pakistan Engineering Council",
        item_term: "program learning outcome",
        caveat: Some(
            "PEC is reported to require 11 PLOs aligned with the Washington Accord 2021 attributes for new \
             programs; consider wa-2021 instead.",
        ),
        csv: embedded_csv!("pec_12_plos_manual_2014_2019.csv"),
        layout: Layout::Attribute,
        code_prefix: "PLO",
    },
];

impl Spec {
    fn parse(&self) -> Result<Framework, DataError> {
        let items = match self.layout {
            Layout::Numbered => {
                let rows = self.csv.rows(&["number", "code", "short_label", "text"])?;
                let numbers = rows.iter().map(|r| format!("{}{}", self.code_prefix, r[0])).collect::<Vec<_>>();
                check_numbered_codes(&self.csv, self.code_prefix, numbers.iter().map(String::as_str))?;
                rows.into_iter().map(|r| item(&r[1], &r[2], &r[3])).collect::<Vec<_>>()
            }
            Layout::Attribute => {
                let rows = self.csv.rows(&["code", "attribute", "text"])?;
                rows.into_iter().map(|r| item(&r[0], &r[1], &r[2])).collect()
            }
        };
        check_numbered_codes(&self.csv, self.code_prefix, items.iter().map(|i| i.code.as_str()))?;
        Ok(Framework {
            key: self.key,
            name: self.name,
            issuer: self.issuer,
            level: OutcomeLevel::ProgramLearningOutcome,
            item_term: self.item_term,
            caveat: self.caveat,
            items,
        })
    }
}

fn item(code: &str, title: &str, text: &str) -> FrameworkItem {
    FrameworkItem { code: code.to_owned(), title: title.to_owned(), text: text.to_owned() }
}

/// Parses every built-in framework, failing on the first malformed data file.
///
/// The unit tests call this, so a bad data file fails the build's tests; the app may also call it
/// at start-up to refuse to run with broken data rather than offer fewer frameworks.
pub fn parse_builtin() -> Result<Vec<Framework>, DataError> {
    SPECS.iter().map(Spec::parse).collect()
}

static BUILTIN: LazyLock<Vec<Framework>> = LazyLock::new(|| SPECS.iter().filter_map(|s| s.parse().ok()).collect());

/// The built-in frameworks, parsed once, in a fixed order (ABET, WA 2013, WA 2021, PEC).
///
/// Never panics: a framework whose data file failed to parse would simply be missing, which the
/// unit tests rule out (see [`parse_builtin`]).
pub fn builtin() -> &'static [Framework] {
    &BUILTIN
}

/// The built-in framework with this stable key (`abet-eac-2019`, `wa-2013`, `wa-2021`, `pec-2014`).
pub fn find(key: &str) -> Option<&'static Framework> {
    builtin().iter().find(|f| f.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(f: &Framework) -> (usize, &str, &str) {
        (f.items.len(), f.items[0].code.as_str(), f.items[f.items.len() - 1].code.as_str())
    }

    #[test]
    fn every_embedded_framework_parses_with_the_expected_items() {
        let all = parse_builtin().unwrap();
        let summary: Vec<_> = all.iter().map(|f| (f.key, codes(f))).collect();
        assert_eq!(
            summary,
            vec![
                ("abet-eac-2019", (7, "SO1", "SO7")),
                ("wa-2013", (12, "WA1", "WA12")),
                ("wa-2021", (11, "WA1", "WA11")),
                ("pec-2014", (12, "PLO1", "PLO12")),
            ]
        );
        assert_eq!(builtin(), all.as_slice(), "the cached copy must not lose a framework");
    }

    #[test]
    fn items_carry_title_and_full_text() {
        let abet = find("abet-eac-2019").unwrap();
        let so2 = abet.item("SO2").unwrap();
        assert_eq!(so2.title, "Engineering design");
        assert!(so2.text.starts_with("an ability to apply engineering design"));
        assert!(so2.text.ends_with("and economic factors"), "quoted commas stay inside the text");

        let wa = find("wa-2021").unwrap();
        assert_eq!(wa.item("WA6").unwrap().title, "The Engineer and the World");
        assert_eq!(wa.item("WA5").unwrap().title, "Tool Usage");
        assert!(wa.item("WA12").is_none());

        let pec = find("pec-2014").unwrap();
        assert_eq!(pec.item("PLO12").unwrap().title, "Lifelong Learning");
        assert!(pec.items.iter().all(|i| !i.text.contains('\r')), "CRLF line ends are not part of the text");
    }

    #[test]
    fn frameworks_describe_themselves() {
        for f in builtin() {
            assert_eq!(f.level, OutcomeLevel::ProgramLearningOutcome);
            assert!(!f.name.is_empty() && !f.issuer.is_empty() && !f.item_term.is_empty());
        }
        assert_eq!(find("wa-2013").unwrap().issuer, "International Engineering Alliance");
        assert_eq!(find("pec-2014").unwrap().issuer, "Pakistan Engineering Council");
        assert!(find("abet-eac-2019").unwrap().caveat.unwrap().contains("SO5"));
        assert!(find("ABET-EAC-2019").is_none(), "keys are exact");
        assert!(find("nope").is_none());
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = SPECS.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SPECS.len());
    }

    #[test]
    fn a_broken_data_file_is_an_error_not_a_panic() {
        let mut spec = Spec { csv: EmbeddedCsv { file: "x.csv", text: "code,attribute,text\nWA2,T,x\n" }, ..SPECS[1] };
        assert_eq!(spec.parse().unwrap_err().to_string(), "embedded data file x.csv: row 1 has code WA2, expected WA1");
        spec.csv.text = "number,code,short_label,text\n1,SO1,a,b\n";
        assert!(spec.parse().unwrap_err().message.starts_with("header is"));
        spec =
            Spec { csv: EmbeddedCsv { file: "y.csv", text: "number,code,short_label,text\n2,SO1,a,b\n" }, ..SPECS[0] };
        assert_eq!(spec.parse().unwrap_err().message, "row 1 has code SO2, expected SO1");
    }
}
