//! Rubrics: criteria × performance levels with points and descriptors, reusable across
//! offerings. Written and read as plain text, one criterion per line:
//!
//! ```text
//! Problem analysis: Excellent=4 (complete and justified), Good=3, Fair=2, Poor=0
//! ```

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub label: String,
    pub points: f64,
    #[serde(default)]
    pub descriptor: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub name: String,
    /// Best first.
    pub levels: Vec<Level>,
}

impl Criterion {
    pub fn max_points(&self) -> f64 {
        self.levels.iter().map(|l| l.points).fold(0.0, f64::max)
    }

    /// The points of a level named (case-insensitively) by `label`.
    pub fn points_of(&self, label: &str) -> Option<f64> {
        self.levels.iter().find(|l| l.label.eq_ignore_ascii_case(label.trim())).map(|l| l.points)
    }
}

/// Parses the text form; every problem names its line.
pub fn parse_criteria(text: &str) -> Result<Vec<Criterion>, Vec<String>> {
    let mut criteria = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line_no = n + 1;
        let Some((name, rest)) = line.split_once(':') else {
            problems.push(format!("line {line_no}: write the criterion, a colon, then its levels like Good=3"));
            continue;
        };
        let mut levels = Vec::new();
        for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (label, value) = match part.split_once('=') {
                Some(pair) => pair,
                None => {
                    problems.push(format!("line {line_no}: {part:?} needs points, like {part}=3"));
                    continue;
                }
            };
            let (points, descriptor) = match value.split_once('(') {
                Some((p, d)) => (p.trim(), d.trim_end_matches(')').trim()),
                None => (value.trim(), ""),
            };
            match points.parse::<f64>() {
                Ok(p) if p >= 0.0 && p.is_finite() => {
                    levels.push(Level { label: label.trim().to_owned(), points: p, descriptor: descriptor.to_owned() })
                }
                _ => problems
                    .push(format!("line {line_no}: the points of {:?} must be a number of 0 or more", label.trim())),
            }
        }
        let name = name.trim();
        if name.is_empty() {
            problems.push(format!("line {line_no}: the criterion needs a name"));
        } else if levels.len() < 2 {
            problems.push(format!("line {line_no}: {name} needs at least two levels"));
        } else if levels.iter().all(|l| l.points == 0.0) {
            problems.push(format!("line {line_no}: {name} needs a level worth more than 0"));
        }
        let mut labels: Vec<String> = levels.iter().map(|l| l.label.to_lowercase()).collect();
        labels.sort();
        if labels.windows(2).any(|w| w[0] == w[1]) {
            problems.push(format!("line {line_no}: {name} names a level twice"));
        }
        levels.sort_by(|a, b| b.points.total_cmp(&a.points));
        criteria.push(Criterion { name: name.to_owned(), levels });
    }
    if criteria.is_empty() && problems.is_empty() {
        problems.push("write at least one criterion".into());
    }
    if problems.is_empty() { Ok(criteria) } else { Err(problems) }
}

/// The text form of criteria (what [`parse_criteria`] reads).
pub fn criteria_text(criteria: &[Criterion]) -> String {
    criteria
        .iter()
        .map(|c| {
            let levels: Vec<String> = c
                .levels
                .iter()
                .map(|l| {
                    if l.descriptor.is_empty() {
                        format!("{}={}", l.label, l.points)
                    } else {
                        format!("{}={} ({})", l.label, l.points, l.descriptor)
                    }
                })
                .collect();
            format!("{}: {}", c.name, levels.join(", "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_round_trip_through_text() {
        let text = "Analysis: Excellent=4 (complete and justified), Good=3, Poor=0\nCommunication: Clear=2, Unclear=1";
        let criteria = parse_criteria(text).unwrap_or_default();
        assert_eq!(criteria.len(), 2);
        assert_eq!(criteria[0].max_points(), 4.0);
        assert_eq!(criteria[0].levels[0].descriptor, "complete and justified");
        assert_eq!(criteria[1].points_of("unclear"), Some(1.0));
        assert_eq!(parse_criteria(&criteria_text(&criteria)), Ok(criteria));
    }

    #[test]
    fn problems_name_their_line() {
        let problems = parse_criteria("Analysis Excellent=4\nDesign: Good=x, Fair=1\nTeam: Only=2").unwrap_err();
        assert!(problems[0].starts_with("line 1:"), "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("line 2: the points of \"Good\"")), "{problems:?}");
        assert!(problems.iter().any(|p| p == "line 3: Team needs at least two levels"), "{problems:?}");
        assert!(parse_criteria("   ").is_err());
        assert!(parse_criteria("A: X=1, x=2").unwrap_err()[0].contains("names a level twice"));
    }
}
