//! Grading schemes (letter grades with boundaries and grade points), final percentages from
//! weighted components, GPA and CGPA, and the result workflow's states.

use serde::{Deserialize, Serialize};

/// One letter: awarded from `min_percent` up to the next band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub letter: String,
    pub min_percent: f64,
    pub points: f64,
}

/// Letters best first; the last band should start at 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradingScheme {
    pub name: String,
    pub bands: Vec<Band>,
}

impl Default for GradingScheme {
    /// An absolute scheme on a 4.0 scale, common in engineering programs.
    fn default() -> Self {
        let bands = [
            ("A", 85.0, 4.0),
            ("A-", 80.0, 3.67),
            ("B+", 75.0, 3.33),
            ("B", 70.0, 3.0),
            ("B-", 65.0, 2.67),
            ("C+", 61.0, 2.33),
            ("C", 58.0, 2.0),
            ("C-", 55.0, 1.67),
            ("D+", 53.0, 1.33),
            ("D", 50.0, 1.0),
            ("F", 0.0, 0.0),
        ];
        GradingScheme {
            name: "Absolute, 4.0 scale".into(),
            bands: bands
                .iter()
                .map(|(letter, min, points)| Band { letter: (*letter).into(), min_percent: *min, points: *points })
                .collect(),
        }
    }
}

impl GradingScheme {
    /// The band a percentage falls in (the first whose minimum it reaches).
    pub fn band_for(&self, percent: f64) -> Option<&Band> {
        self.bands.iter().find(|b| percent + 1e-9 >= b.min_percent)
    }

    /// What is wrong with the scheme, naming the band.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.bands.is_empty() {
            out.push("a scheme needs at least one letter".into());
        }
        for pair in self.bands.windows(2) {
            if pair[1].min_percent >= pair[0].min_percent {
                out.push(format!("{} must start below {}", pair[1].letter, pair[0].letter));
            }
        }
        if self.bands.last().is_some_and(|b| b.min_percent > 0.0) {
            out.push("the lowest letter must start at 0 %".into());
        }
        for b in &self.bands {
            if !(0.0..=100.0).contains(&b.min_percent) || b.points < 0.0 {
                out.push(format!("{}: boundaries are 0–100 % and grade points are not negative", b.letter));
            }
        }
        out
    }
}

impl GradingScheme {
    /// Reads bands written one per line as `letter: minimum %, grade points` (e.g. `A: 85, 4.0`),
    /// best first; every problem names its line.
    pub fn parse(name: &str, text: &str) -> Result<GradingScheme, Vec<String>> {
        let mut bands = Vec::new();
        let mut problems = Vec::new();
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let parsed = line.split_once(':').and_then(|(letter, rest)| {
                let (min, points) = rest.split_once(',')?;
                Some(Band {
                    letter: letter.trim().to_uppercase(),
                    min_percent: min.trim().trim_end_matches('%').parse().ok()?,
                    points: points.trim().parse().ok()?,
                })
            });
            match parsed {
                Some(band) if !band.letter.is_empty() => bands.push(band),
                _ => problems.push(format!("line {}: write it like A: 85, 4.0", n + 1)),
            }
        }
        let scheme = GradingScheme { name: name.trim().to_owned(), bands };
        if problems.is_empty() {
            problems = scheme.problems();
        }
        if problems.is_empty() { Ok(scheme) } else { Err(problems) }
    }

    /// The text form [`GradingScheme::parse`] reads.
    pub fn text(&self) -> String {
        self.bands
            .iter()
            .map(|b| format!("{}: {}, {}", b.letter, b.min_percent, b.points))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// One component of a student's final mark: its weight and what was obtained of what was
/// possible (an excused component has nothing possible and drops out).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Component {
    pub weight: f64,
    pub obtained: f64,
    pub possible: f64,
}

/// The final percentage: Σ weight · obtained/possible ÷ Σ weight over components with
/// something possible; `None` when nothing counts.
pub fn final_percent(components: &[Component]) -> Option<f64> {
    let (sum, weights) = components
        .iter()
        .filter(|c| c.possible > 0.0 && c.weight > 0.0)
        .fold((0.0, 0.0), |(s, w), c| (s + c.weight * c.obtained / c.possible, w + c.weight));
    (weights > 0.0).then(|| 100.0 * sum / weights)
}

/// Grade point average: Σ credits · points ÷ Σ credits over graded courses.
pub fn gpa(results: &[(f64, f64)]) -> Option<f64> {
    let credits: f64 = results.iter().map(|(c, _)| c).sum();
    (credits > 0.0).then(|| results.iter().map(|(c, p)| c * p).sum::<f64>() / credits)
}

/// Where an offering's results are in their workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultStatus {
    /// The instructor is still entering marks.
    Draft,
    /// Sent for approval by the head of department.
    Submitted,
    /// Approved: attainment is frozen in a snapshot.
    Approved,
    /// Students can see their grades.
    Published,
    /// Final: changes need a recorded change request.
    Locked,
}

impl ResultStatus {
    pub const ALL: [ResultStatus; 5] = [
        ResultStatus::Draft,
        ResultStatus::Submitted,
        ResultStatus::Approved,
        ResultStatus::Published,
        ResultStatus::Locked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResultStatus::Draft => "draft",
            ResultStatus::Submitted => "submitted",
            ResultStatus::Approved => "approved",
            ResultStatus::Published => "published",
            ResultStatus::Locked => "locked",
        }
    }

    pub fn parse(raw: &str) -> Option<ResultStatus> {
        ResultStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Marks may change only while results are a draft (or sent back to one).
    pub fn marks_editable(self) -> bool {
        self == ResultStatus::Draft
    }

    /// The step a person may take next from here: (action, new status).
    pub fn next(self, action: ResultAction) -> Result<ResultStatus, String> {
        use ResultAction::*;
        use ResultStatus::*;
        match (self, action) {
            (Draft, Submit) => Ok(Submitted),
            (Submitted, Approve) => Ok(Approved),
            (Submitted, Return) | (Approved, Return) => Ok(Draft),
            (Approved, Publish) => Ok(Published),
            (Published, Lock) => Ok(Locked),
            (from, action) => Err(format!("results that are {} cannot be {}", from.as_str(), action.past())),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultAction {
    Submit,
    Approve,
    /// Sent back to the instructor to correct.
    Return,
    Publish,
    Lock,
}

impl ResultAction {
    pub fn parse(raw: &str) -> Option<ResultAction> {
        match raw {
            "submit" => Some(ResultAction::Submit),
            "approve" => Some(ResultAction::Approve),
            "return" => Some(ResultAction::Return),
            "publish" => Some(ResultAction::Publish),
            "lock" => Some(ResultAction::Lock),
            _ => None,
        }
    }

    fn past(self) -> &'static str {
        match self {
            ResultAction::Submit => "submitted",
            ResultAction::Approve => "approved",
            ResultAction::Return => "returned",
            ResultAction::Publish => "published",
            ResultAction::Lock => "locked",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_by_boundary() {
        let s = GradingScheme::default();
        assert!(s.problems().is_empty());
        assert_eq!(s.band_for(85.0).map(|b| b.letter.as_str()), Some("A"));
        assert_eq!(s.band_for(84.99).map(|b| b.letter.as_str()), Some("A-"));
        assert_eq!(s.band_for(49.9).map(|b| b.letter.as_str()), Some("F"));
        let broken = GradingScheme {
            name: "x".into(),
            bands: vec![Band { letter: "A".into(), min_percent: 50.0, points: 4.0 }],
        };
        assert_eq!(broken.problems(), vec!["the lowest letter must start at 0 %".to_owned()]);
    }

    #[test]
    fn schemes_round_trip_through_text_and_name_bad_lines() {
        let s = GradingScheme::default();
        assert_eq!(GradingScheme::parse(&s.name, &s.text()), Ok(s));
        let bad = GradingScheme::parse("x", "A: 80, 4\nB 70 3\nF: 0, 0").unwrap_err();
        assert_eq!(bad, vec!["line 2: write it like A: 85, 4.0".to_owned()]);
        let order = GradingScheme::parse("x", "A: 50, 4\nB: 70, 3\nF: 0, 0").unwrap_err();
        assert!(order[0].contains("B must start below A"), "{order:?}");
    }

    #[test]
    fn final_percent_weighs_components_and_drops_excused_ones() {
        // Quiz 8/10 (w 20), final 30/50 (w 80): 0.2·80 + 0.8·60 = 64.
        let parts = [
            Component { weight: 20.0, obtained: 8.0, possible: 10.0 },
            Component { weight: 80.0, obtained: 30.0, possible: 50.0 },
        ];
        assert!((final_percent(&parts).unwrap_or(0.0) - 64.0).abs() < 1e-9);
        // The quiz excused: the final alone.
        let excused = [Component { possible: 0.0, obtained: 0.0, ..parts[0] }, parts[1]];
        assert!((final_percent(&excused).unwrap_or(0.0) - 60.0).abs() < 1e-9);
        assert_eq!(final_percent(&[]), None);
    }

    #[test]
    fn gpa_weighs_by_credits() {
        // 3 credits of A (4.0) and 1 credit of C (2.0): 14 / 4 = 3.5.
        assert_eq!(gpa(&[(3.0, 4.0), (1.0, 2.0)]), Some(3.5));
        assert_eq!(gpa(&[]), None);
    }

    #[test]
    fn the_workflow_goes_one_way_with_a_way_back_before_publishing() {
        use ResultAction::*;
        use ResultStatus::*;
        assert_eq!(Draft.next(Submit), Ok(Submitted));
        assert_eq!(Submitted.next(Approve), Ok(Approved));
        assert_eq!(Submitted.next(Return), Ok(Draft));
        assert_eq!(Approved.next(Publish), Ok(Published));
        assert_eq!(Published.next(Lock), Ok(Locked));
        assert!(Draft.next(Approve).is_err());
        assert!(Published.next(Return).is_err());
        assert_eq!(Locked.next(Submit), Err("results that are locked cannot be submitted".into()));
    }
}
