//! Demo assessment: every offering gets the same plan (quizzes, an assignment, a midterm and a
//! final, items mapped to the course's CLOs) and marks that follow each student's ability, the
//! course's difficulty and a weak CLO or two for some students. The current term has marks only
//! up to the midterm.

use chrono::{DateTime, Utc};
use qobe_domain::ids::InstitutionId;
use qobe_store::Conn;
use qobe_store::bulk::{self, MarkRow};

use super::names::Rng;
use crate::AppResult;

/// An assessment of the demo plan: name, category, weight, and items as (label, max marks).
type Component = (&'static str, &'static str, f64, &'static [(&'static str, f64)]);

const PLAN: [Component; 4] = [
    ("Quizzes", "CIE", 10.0, &[("Q1", 10.0), ("Q2", 10.0)]),
    ("Assignment", "CIE", 10.0, &[("A1", 20.0)]),
    ("Midterm", "CIE", 30.0, &[("M1", 15.0), ("M2", 15.0)]),
    ("Final", "SEE", 50.0, &[("F1", 20.0), ("F2", 20.0), ("F3", 20.0)]),
];

/// Assessments whose marks are in while the term runs (quizzes, assignment, midterm).
const DONE_WHILE_RUNNING: usize = 3;

pub(super) struct DemoOffering {
    pub id: i64,
    pub clos: Vec<i64>,
    /// A CLO (by index) most students find hard, if the course has one.
    pub hard_clo: Option<usize>,
    /// (student, general ability 0–1)
    pub students: Vec<(i64, f64)>,
    pub difficulty: f64,
    pub running: bool,
    pub instructor: i64,
}

/// Whether a student finds a CLO hard: about one student-CLO pair in six, stable per pair.
fn weak(student: i64, clo: usize) -> bool {
    let mut h = (student as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (clo as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    h ^= h >> 29;
    h.is_multiple_of(6)
}

/// Writes plans, item→CLO shares and marks for the offerings; returns the number of marks.
pub(super) async fn add(
    conn: &impl Conn,
    institution: InstitutionId,
    offerings: &[DemoOffering],
    rng: &mut Rng,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let assessment_rows: Vec<(i64, &str, &str, f64, i64)> = offerings
        .iter()
        .flat_map(|o| {
            PLAN.iter()
                .enumerate()
                .map(move |(p, (name, category, weight, _))| (o.id, *name, *category, *weight, p as i64 + 1))
        })
        .collect();
    let assessment_ids = bulk::insert_assessments(conn, institution, &assessment_rows, now).await?;
    let mut item_rows: Vec<(i64, i64, &str, f64, i64)> = Vec::new();
    for (o, offering) in offerings.iter().enumerate() {
        for (p, (_, _, _, items)) in PLAN.iter().enumerate() {
            let assessment = assessment_ids[o * PLAN.len() + p];
            for (position, (label, max)) in items.iter().enumerate() {
                item_rows.push((offering.id, assessment, label, *max, position as i64 + 1));
            }
        }
    }
    let item_ids = bulk::insert_items(conn, institution, &item_rows).await?;
    let per_offering = PLAN.iter().map(|(_, _, _, items)| items.len()).sum::<usize>();
    let mut shares = Vec::new();
    let mut marks = Vec::new();
    for (o, offering) in offerings.iter().enumerate() {
        if offering.clos.is_empty() {
            continue;
        }
        let items = &item_ids[o * per_offering..(o + 1) * per_offering];
        // Item k is evidence for CLO k mod n; the midterm's second part is split over two CLOs.
        let clo_of = |k: usize| k % offering.clos.len();
        for (k, item) in items.iter().enumerate() {
            if k == 4 && offering.clos.len() > 1 {
                shares.push((*item, offering.clos[clo_of(k)], 0.5));
                shares.push((*item, offering.clos[clo_of(k + 1)], 0.5));
            } else {
                shares.push((*item, offering.clos[clo_of(k)], 1.0));
            }
        }
        let entered: usize = PLAN
            .iter()
            .take(if offering.running { DONE_WHILE_RUNNING } else { PLAN.len() })
            .map(|(_, _, _, items)| items.len())
            .sum();
        for (student, ability) in &offering.students {
            for (k, item) in items.iter().enumerate().take(entered) {
                let max = item_rows[o * per_offering + k].3;
                if rng.unit() < 0.02 {
                    marks.push(MarkRow {
                        offering: offering.id,
                        item: *item,
                        user: *student,
                        score: None,
                        status: "absent",
                    });
                    continue;
                }
                let hard = if offering.hard_clo == Some(clo_of(k)) { 0.25 } else { 0.0 };
                let penalty = hard + if weak(*student, clo_of(k)) { 0.22 } else { 0.0 };
                let fraction = (ability - offering.difficulty - penalty + rng.normal(0.0, 0.12)).clamp(0.0, 1.0);
                let score = (fraction * max * 2.0).round() / 2.0;
                marks.push(MarkRow {
                    offering: offering.id,
                    item: *item,
                    user: *student,
                    score: Some(score),
                    status: "score",
                });
            }
        }
    }
    bulk::insert_item_clos(conn, institution, &shares).await?;
    let by = offerings.first().map(|o| o.instructor).unwrap_or(0);
    bulk::insert_marks(conn, institution, &marks, by, now).await?;
    Ok(marks.len())
}
