//! Letter grades as used for prerequisites and transcripts. Grading schemes with their own
//! boundaries and grade points come with assessment; this ladder is the default.

/// Default letter grades, best first, with grade points on a 4.0 scale.
pub const LETTERS: &[(&str, f64)] = &[
    ("A+", 4.0),
    ("A", 4.0),
    ("A-", 3.67),
    ("B+", 3.33),
    ("B", 3.0),
    ("B-", 2.67),
    ("C+", 2.33),
    ("C", 2.0),
    ("C-", 1.67),
    ("D+", 1.33),
    ("D", 1.0),
    ("F", 0.0),
];

/// Grades that close a registration without a passing result.
pub const NON_PASSING: &[&str] = &["F", "W", "I"];

fn rank(grade: &str) -> Option<usize> {
    let grade = grade.trim().to_uppercase();
    LETTERS.iter().position(|(letter, _)| *letter == grade)
}

/// Parses a letter grade of the default ladder.
pub fn parse_letter(raw: &str) -> Result<String, String> {
    rank(raw).map(|i| LETTERS[i].0.to_owned()).ok_or_else(|| "must be a letter grade such as A, B+, C or D".into())
}

/// Whether `grade` is at least `minimum` (a prerequisite passed with the minimum grade). W, I and
/// unknown grades never satisfy a prerequisite; F never does either.
pub fn meets_minimum(grade: &str, minimum: &str) -> bool {
    match (rank(grade), rank(minimum)) {
        (Some(g), Some(m)) => g <= m && LETTERS[g].0 != "F",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimum_grades_compare_on_the_ladder() {
        assert!(meets_minimum("B", "C"));
        assert!(meets_minimum("c", "C"));
        assert!(!meets_minimum("C-", "C"));
        assert!(!meets_minimum("F", "F"));
        assert!(!meets_minimum("W", "D"));
        assert_eq!(parse_letter("b+"), Ok("B+".to_owned()));
        assert!(parse_letter("Z").is_err());
    }
}
