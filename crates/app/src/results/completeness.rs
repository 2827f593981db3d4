//! Whether an offering's marks are all in: shown on the grades page, to the approver, and
//! checked when results are submitted. A blank counts as zero in a final grade, so results go
//! through with blanks only when each is marked absent, excused or not attempted — or the
//! instructor confirms and says why, which is recorded.

use std::collections::HashMap;

use qobe_outcomes::{Mark, Offering as Evidence};
use qobe_store::accounts::Person;

use crate::assessment::evidence::StoredPlan;

/// Marks entered for one assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentMarks {
    pub name: String,
    /// Cells with a mark, `AB`, `EX` or `NA`.
    pub entered: usize,
    /// Students × items.
    pub expected: usize,
}

/// One student with blank cells, and which.
#[derive(Debug, Clone, PartialEq)]
pub struct Blanks {
    pub person: Person,
    /// "Assessment item" labels, e.g. `Final F2`.
    pub items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Completeness {
    pub assessments: Vec<AssessmentMarks>,
    pub students: Vec<Blanks>,
}

impl Completeness {
    pub fn blank_cells(&self) -> usize {
        self.students.iter().map(|s| s.items.len()).sum()
    }

    pub fn is_complete(&self) -> bool {
        self.students.is_empty()
    }

    /// What an instructor is told when submitting with blanks.
    pub fn refusal(&self) -> String {
        let named: Vec<String> =
            self.students.iter().take(5).map(|s| format!("{}: {}", s.person.label(), s.items.join(", "))).collect();
        let more = self.students.len().saturating_sub(5);
        format!(
            "{} mark(s) are blank for {} student(s): {}{}. Mark each blank absent (AB), excused (EX) or not attempted (NA), or confirm that the results go in with blanks (counted as zero) and say why.",
            self.blank_cells(),
            self.students.len(),
            named.join("; "),
            if more > 0 { format!("; and {more} more") } else { String::new() }
        )
    }
}

/// The completeness of `evidence` (marks of the plan's items for its students).
pub fn of(plan: &StoredPlan, evidence: &Evidence, people: &HashMap<i64, Person>) -> Completeness {
    let label = |i: usize| {
        let item = &plan.items[i];
        let assessment = plan.assessments.iter().find(|a| a.id == item.assessment_id).map_or("", |a| a.name.as_str());
        format!("{assessment} {}", item.label)
    };
    let mut assessments: Vec<AssessmentMarks> =
        plan.assessments.iter().map(|a| AssessmentMarks { name: a.name.clone(), entered: 0, expected: 0 }).collect();
    let mut students = Vec::new();
    for (row, student) in evidence.students.iter().enumerate() {
        let mut blank = Vec::new();
        for (i, item) in evidence.items.iter().enumerate() {
            let counted = &mut assessments[item.assessment];
            counted.expected += 1;
            if matches!(evidence.mark(row, i), Mark::Missing) {
                blank.push(label(i));
            } else {
                counted.entered += 1;
            }
        }
        if !blank.is_empty() {
            let person = people.get(student).cloned().unwrap_or(Person { id: *student, ..Person::default() });
            students.push(Blanks { person, items: blank });
        }
    }
    qobe_domain::collation::sort_by_name(&mut students, |s| &s.person.name, |s| s.person.id);
    Completeness { assessments, students }
}
