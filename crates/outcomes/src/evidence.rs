//! The evidence of one course offering: its assessments and items, each item's CLO shares,
//! and every student's mark on every item, stored densely for speed.

use serde::{Deserialize, Serialize};

/// One student's result on one item.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", content = "score", rename_all = "snake_case")]
pub enum Mark {
    Score(f32),
    Absent,
    Excused,
    NotAttempted,
    /// Not entered yet.
    Missing,
}

/// Marks are stored as one `f32` per cell: a score is itself (≥ 0); a status is a negative
/// power of two, so the sign and exponent bits of any cell ([`class_of`]) say what it is and
/// the hot loop needs no branch, no float-to-int conversion and no second array.
pub(crate) const ABSENT: f32 = -1.0;
pub(crate) const EXCUSED: f32 = -2.0;
pub(crate) const NOT_ATTEMPTED: f32 = -4.0;
pub(crate) const MISSING: f32 = -8.0;

/// The sign and exponent bits of a cell: 0–255 for a score, and one fixed value per status.
#[inline(always)]
pub(crate) fn class_of(cell: f32) -> usize {
    (cell.to_bits() >> 23) as usize & 511
}

/// A table from [`class_of`] to a value per kind of mark.
pub(crate) fn class_table(score: f32, absent: f32, excused: f32, not_attempted: f32, missing: f32) -> Box<[f32; 512]> {
    // Classes 256–511 are negative cells; only the four statuses ever occur there.
    let mut table = Box::new([0.0; 512]);
    table[..256].fill(score);
    table[class_of(ABSENT)] = absent;
    table[class_of(EXCUSED)] = excused;
    table[class_of(NOT_ATTEMPTED)] = not_attempted;
    table[class_of(MISSING)] = missing;
    table
}

impl Mark {
    pub(crate) fn encode(self) -> f32 {
        match self {
            Mark::Score(s) => s,
            Mark::Absent => ABSENT,
            Mark::Excused => EXCUSED,
            Mark::NotAttempted => NOT_ATTEMPTED,
            Mark::Missing => MISSING,
        }
    }

    pub(crate) fn decode(cell: f32) -> Mark {
        if cell >= 0.0 {
            Mark::Score(cell)
        } else if cell == ABSENT {
            Mark::Absent
        } else if cell == EXCUSED {
            Mark::Excused
        } else if cell == NOT_ATTEMPTED {
            Mark::NotAttempted
        } else {
            Mark::Missing
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The caller's id, echoed in explanations.
    pub id: i64,
    pub name: String,
    /// A category such as "CIE" or "SEE" (for category blends).
    pub category: String,
    /// Weightage in the final grade (for percentage-based scores by assessment).
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: i64,
    pub label: String,
    /// Index into [`Offering::assessments`].
    pub assessment: usize,
    pub max_marks: f32,
}

/// Part of an item that is evidence for a CLO: `share` of its marks (1.0 for the whole item).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    /// Index into [`Offering::items`].
    pub item: usize,
    /// Index into [`Offering::clos`].
    pub clo: usize,
    pub share: f32,
}

/// Everything the engine needs about one offering. Build it with [`Offering::new`], which
/// checks every index and value, then set marks.
#[derive(Debug, Clone, PartialEq)]
pub struct Offering {
    /// The CLOs' ids (CLO version ids in the product).
    pub clos: Vec<i64>,
    pub assessments: Vec<Assessment>,
    pub items: Vec<Item>,
    pub mappings: Vec<Mapping>,
    /// The students' ids, one row of marks each.
    pub students: Vec<i64>,
    cells: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EvidenceError {
    Item { item: usize, problem: String },
    Mapping { mapping: usize, problem: String },
    Mark { student: usize, item: usize, problem: String },
}

impl std::fmt::Display for EvidenceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvidenceError::Item { item, problem } => write!(f, "item {item}: {problem}"),
            EvidenceError::Mapping { mapping, problem } => write!(f, "mapping {mapping}: {problem}"),
            EvidenceError::Mark { student, item, problem } => write!(f, "student {student}, item {item}: {problem}"),
        }
    }
}

impl std::error::Error for EvidenceError {}

impl Offering {
    /// An offering with every mark missing.
    pub fn new(
        clos: Vec<i64>,
        assessments: Vec<Assessment>,
        items: Vec<Item>,
        mappings: Vec<Mapping>,
        students: Vec<i64>,
    ) -> Result<Offering, EvidenceError> {
        for (i, item) in items.iter().enumerate() {
            if item.assessment >= assessments.len() {
                return Err(EvidenceError::Item { item: i, problem: "its assessment does not exist".into() });
            }
            if !(item.max_marks.is_finite() && item.max_marks > 0.0) {
                return Err(EvidenceError::Item { item: i, problem: "maximum marks must be above 0".into() });
            }
        }
        for (m, mapping) in mappings.iter().enumerate() {
            let problem = if mapping.item >= items.len() {
                "its item does not exist"
            } else if mapping.clo >= clos.len() {
                "its CLO does not exist"
            } else if !(mapping.share.is_finite() && mapping.share > 0.0 && mapping.share <= 1.0) {
                "share must be above 0 and at most 1"
            } else {
                continue;
            };
            return Err(EvidenceError::Mapping { mapping: m, problem: problem.into() });
        }
        let cells = vec![MISSING; students.len() * items.len()];
        Ok(Offering { clos, assessments, items, mappings, students, cells })
    }

    /// Records a mark; a score must be between 0 and the item's maximum.
    pub fn set(&mut self, student: usize, item: usize, mark: Mark) -> Result<(), EvidenceError> {
        let problem = |p: &str| EvidenceError::Mark { student, item, problem: p.into() };
        let max = self.items.get(item).ok_or_else(|| problem("no such item"))?.max_marks;
        if student >= self.students.len() {
            return Err(problem("no such student"));
        }
        if let Mark::Score(s) = mark
            && !(s.is_finite() && (0.0..=max).contains(&s))
        {
            return Err(problem(&format!("a score must be from 0 to {max}")));
        }
        let width = self.items.len();
        self.cells[student * width + item] = mark.encode();
        Ok(())
    }

    pub fn mark(&self, student: usize, item: usize) -> Mark {
        Mark::decode(self.cells[student * self.items.len() + item])
    }

    /// One student's encoded marks, in item order.
    pub(crate) fn row(&self, student: usize) -> &[f32] {
        let width = self.items.len();
        &self.cells[student * width..(student + 1) * width]
    }

    /// Every encoded mark, row by row (for baselines and bulk loaders).
    pub fn encoded_cells(&self) -> &[f32] {
        &self.cells
    }

    pub fn mark_count(&self) -> usize {
        self.cells.len()
    }

    /// CLOs that no item is mapped to: they can't be measured in this offering.
    pub fn clos_without_evidence(&self) -> Vec<usize> {
        (0..self.clos.len()).filter(|c| !self.mappings.iter().any(|m| m.clo == *c)).collect()
    }
}
