//! Student × CLO scores for one offering: the hot path.
//!
//! The policy and the offering's mappings are compiled once into runs of item shares per
//! bucket; for each student every bucket's obtained and possible sums are then built in
//! registers from the row of marks, without branching on a mark's status, and stored once.
//! A bucket is a CLO, or a (group, CLO) pair when scores are percentage-based by assessment or
//! by category.
//!
//! Percentage-based scores have many small buckets, so they take a second route: while every
//! share of a CLO counts (the usual student), the CLO's score is a fixed linear combination of
//! its marks, `Σ mark · share · weight(group) / (possible(group) · Σ weights)`, summed in one
//! pass; a CLO with a mark its denominator leaves out (say, excused) is worked out in full.

use crate::evidence::{Offering, class_of, class_table};
use crate::policy::{GroupBy, MarkTreatment, Policy, ScoreMethod, Treatment};

/// Scores of every student on every CLO of one offering; `None` where a student has no counted
/// evidence for a CLO.
#[derive(Debug, Clone)]
pub struct StudentScores {
    pub students: usize,
    pub clos: usize,
    scores: Vec<f64>,
}

impl StudentScores {
    pub fn get(&self, student: usize, clo: usize) -> Option<f64> {
        let s = self.scores[student * self.clos + clo];
        (!s.is_nan()).then_some(s)
    }

    /// The scores of one CLO, student by student.
    pub fn clo_column(&self, clo: usize) -> impl Iterator<Item = Option<f64>> + '_ {
        (0..self.students).map(move |s| self.get(s, clo))
    }
}

/// Equal when the same students have the same scores (no score equals no score).
impl PartialEq for StudentScores {
    fn eq(&self, other: &Self) -> bool {
        self.students == other.students
            && self.clos == other.clos
            && self.scores.iter().zip(&other.scores).all(|(a, b)| a == b || (a.is_nan() && b.is_nan()))
    }
}

/// One item share: which mark to read, its share, and its maximum × share.
#[derive(Debug, Clone, Copy)]
struct Member {
    item: u32,
    share: f32,
    possible: f32,
}

/// The members of one bucket, `members[start..end]`.
#[derive(Debug, Clone, Copy)]
struct Run {
    bucket: u32,
    start: u32,
    end: u32,
}

/// One share in a grouped plan's direct sum: its mark times `coefficient` is its part of the
/// CLO score while every share of the CLO counts.
#[derive(Debug, Clone, Copy)]
struct Direct {
    item: u32,
    coefficient: f64,
}

/// A policy compiled against one offering's structure: the item shares grouped by bucket, so
/// each bucket's sums are built in registers from a row of marks and stored once.
#[derive(Debug, Clone)]
pub struct Plan {
    members: Vec<Member>,
    runs: Vec<Run>,
    clos: usize,
    /// Weight of each group; one group of weight 1 for marks-based scores.
    group_weights: Vec<f64>,
    /// By [`class_of`] a cell: whether the item's maximum counts in the denominator (1 or 0).
    counted: Box<[f32; 512]>,
    pooled: bool,
    /// Grouped plans: each CLO's shares in the direct sum, `direct[start..end]` by CLO (`None`
    /// for a CLO without weighted evidence), and the runs of each CLO's buckets.
    direct: Vec<Direct>,
    direct_runs: Vec<Option<(u32, u32)>>,
    clo_runs: Vec<Vec<u32>>,
    /// Grouped plans, per bucket: the denominator when every share counts, and its reciprocal.
    full: Vec<f32>,
    inverse: Vec<f64>,
}

/// Whether an item's maximum counts in the denominator, by kind of mark: always for a score;
/// for a status, when the policy treats it as zero.
fn counted_table(marks: &MarkTreatment) -> Box<[f32; 512]> {
    let counts = |t: Treatment| if t == Treatment::Zero { 1.0 } else { 0.0 };
    class_table(1.0, counts(marks.absent), counts(marks.excused), counts(marks.not_attempted), counts(marks.missing))
}

/// The group of each assessment and the weight of each group.
pub(crate) fn groups(policy: &Policy, offering: &Offering) -> (Vec<usize>, Vec<f64>) {
    match &policy.score {
        ScoreMethod::MarksBased => (vec![0; offering.assessments.len()], vec![1.0]),
        ScoreMethod::PercentageBased { group_by: GroupBy::Assessment } => (
            (0..offering.assessments.len()).collect(),
            offering.assessments.iter().map(|a| a.weight.max(0.0)).collect(),
        ),
        ScoreMethod::PercentageBased { group_by: GroupBy::Category { weights } } => {
            let group_of = offering
                .assessments
                .iter()
                .map(|a| {
                    weights.iter().position(|w| w.category.eq_ignore_ascii_case(&a.category)).unwrap_or(weights.len())
                })
                .collect();
            let mut group_weights: Vec<f64> = weights.iter().map(|w| w.weight.max(0.0)).collect();
            group_weights.push(0.0); // categories the policy doesn't weigh
            (group_of, group_weights)
        }
    }
}

impl Plan {
    pub fn new(policy: &Policy, offering: &Offering) -> Plan {
        let clos = offering.clos.len();
        let (group_of, group_weights) = groups(policy, offering);
        let mut shares: Vec<(u32, Member)> = offering
            .mappings
            .iter()
            .map(|m| {
                let item = &offering.items[m.item];
                let bucket = (group_of[item.assessment] * clos + m.clo) as u32;
                (bucket, Member { item: m.item as u32, share: m.share, possible: item.max_marks * m.share })
            })
            .collect();
        shares.sort_by_key(|(bucket, member)| (*bucket, member.item));
        let pooled = matches!(policy.score, ScoreMethod::MarksBased);
        let mut plan = Plan {
            members: Vec::new(),
            runs: Vec::new(),
            clos,
            group_weights,
            counted: counted_table(&policy.marks),
            pooled,
            direct: Vec::new(),
            direct_runs: Vec::new(),
            clo_runs: Vec::new(),
            full: Vec::new(),
            inverse: Vec::new(),
        };
        plan.set_members(shares);
        plan
    }

    fn set_members(&mut self, shares: Vec<(u32, Member)>) {
        self.members.clear();
        self.runs.clear();
        for (bucket, member) in shares {
            let at = self.members.len() as u32;
            match self.runs.last_mut() {
                Some(run) if run.bucket == bucket => run.end = at + 1,
                _ => self.runs.push(Run { bucket, start: at, end: at + 1 }),
            }
            self.members.push(member);
        }
        if !self.pooled {
            self.compile_direct();
        }
    }

    /// The direct sums of a grouped plan, from its runs (see the module's notes).
    fn compile_direct(&mut self) {
        let clos = self.clos.max(1);
        self.full = vec![0.0; self.buckets()];
        self.clo_runs = vec![Vec::new(); self.clos];
        for (r, run) in self.runs.iter().enumerate() {
            let members = &self.members[run.start as usize..run.end as usize];
            self.full[run.bucket as usize] = members.iter().fold(0.0f32, |sum, m| sum + m.possible);
            self.clo_runs[run.bucket as usize % clos].push(r as u32);
        }
        self.inverse = self.full.iter().map(|p| if *p > 0.0 { 1.0 / f64::from(*p) } else { 0.0 }).collect();
        let weighted =
            |run: &Run| self.group_weights[run.bucket as usize / clos] > 0.0 && self.full[run.bucket as usize] > 0.0;
        self.direct.clear();
        self.direct_runs.clear();
        for runs in &self.clo_runs {
            let total: f64 = runs
                .iter()
                .map(|r| &self.runs[*r as usize])
                .filter(|run| weighted(run))
                .map(|run| self.group_weights[run.bucket as usize / clos])
                .sum();
            if total <= 0.0 {
                self.direct_runs.push(None);
                continue;
            }
            let start = self.direct.len();
            for run in runs.iter().map(|r| &self.runs[*r as usize]).filter(|run| weighted(run)) {
                let scale = self.group_weights[run.bucket as usize / clos] * self.inverse[run.bucket as usize] / total;
                let members = &self.members[run.start as usize..run.end as usize];
                self.direct
                    .extend(members.iter().map(|m| Direct { item: m.item, coefficient: f64::from(m.share) * scale }));
            }
            self.direct[start..].sort_by_key(|d| d.item);
            self.direct_runs.push(Some((start as u32, self.direct.len() as u32)));
        }
    }

    /// A grouped plan's scores for one student: the direct sum for each CLO whose shares all
    /// count, the full working otherwise.
    #[inline]
    fn grouped_scores(&self, row: &[f32], out: &mut [f64]) {
        let counted = &self.counted;
        for (clo, (slot, run)) in out.iter_mut().zip(&self.direct_runs).enumerate() {
            let Some((start, end)) = run else {
                *slot = f64::NAN;
                continue;
            };
            let shares = &self.direct[*start as usize..*end as usize];
            let (mut score, mut left_out) = ([0.0f64; 4], [0.0f32; 4]);
            let mut quads = shares.chunks_exact(4);
            for quad in &mut quads {
                for k in 0..4 {
                    let cell = row[quad[k].item as usize];
                    score[k] += f64::from(cell.max(0.0)) * quad[k].coefficient;
                    left_out[k] += 1.0 - counted[class_of(cell)];
                }
            }
            for share in quads.remainder() {
                let cell = row[share.item as usize];
                score[0] += f64::from(cell.max(0.0)) * share.coefficient;
                left_out[0] += 1.0 - counted[class_of(cell)];
            }
            let counts = (left_out[0] + left_out[1]) + (left_out[2] + left_out[3]) == 0.0;
            *slot = if counts { (score[0] + score[1]) + (score[2] + score[3]) } else { self.worked_out(row, clo) };
        }
    }

    /// One CLO's score worked out group by group: `Σ weight · obtained ÷ possible` over the
    /// groups with a denominator, over the sum of their weights.
    fn worked_out(&self, row: &[f32], clo: usize) -> f64 {
        let clos = self.clos.max(1);
        let (mut sum, mut weights) = (0.0, 0.0);
        for r in &self.clo_runs[clo] {
            let run = &self.runs[*r as usize];
            let (bucket, weight) = (run.bucket as usize, self.group_weights[run.bucket as usize / clos]);
            if weight <= 0.0 {
                continue;
            }
            // Obtained in f64, as the direct sum has it; possible in f32, to compare with `full`.
            let (mut obtained, mut possible) = (0.0f64, 0.0f32);
            for member in &self.members[run.start as usize..run.end as usize] {
                let cell = row[member.item as usize];
                obtained += f64::from(cell.max(0.0)) * f64::from(member.share);
                possible += self.counted[class_of(cell)] * member.possible;
            }
            if possible > 0.0 {
                let ratio = if possible == self.full[bucket] {
                    obtained * self.inverse[bucket]
                } else {
                    obtained / f64::from(possible)
                };
                sum += weight * ratio;
                weights += weight;
            }
        }
        if weights > 0.0 { sum / weights } else { f64::NAN }
    }

    /// The same plan over only the items of assessments `keep` accepts (a category's share).
    pub fn only(mut self, offering: &Offering, keep: impl Fn(&crate::evidence::Assessment) -> bool) -> Plan {
        let kept = |item: u32| keep(&offering.assessments[offering.items[item as usize].assessment]);
        let shares: Vec<(u32, Member)> = self
            .runs
            .iter()
            .flat_map(|run| self.members[run.start as usize..run.end as usize].iter().map(|m| (run.bucket, *m)))
            .filter(|(_, m)| kept(m.item))
            .collect();
        self.set_members(shares);
        self
    }

    fn buckets(&self) -> usize {
        self.group_weights.len() * self.clos
    }

    /// One student's obtained and possible sums for every bucket with members. Four
    /// independent partial sums keep the adds from waiting on each other.
    #[inline]
    fn accumulate(&self, row: &[f32], obtained: &mut [f32], possible: &mut [f32]) {
        let counted = &self.counted;
        let add = |o: &mut f32, p: &mut f32, member: &Member| {
            let cell = row[member.item as usize];
            *o += cell.max(0.0) * member.share;
            *p += counted[class_of(cell)] * member.possible;
        };
        for run in &self.runs {
            let members = &self.members[run.start as usize..run.end as usize];
            let (mut o, mut p) = ([0.0f32; 4], [0.0f32; 4]);
            let mut quads = members.chunks_exact(4);
            for quad in &mut quads {
                for k in 0..4 {
                    add(&mut o[k], &mut p[k], &quad[k]);
                }
            }
            for member in quads.remainder() {
                add(&mut o[0], &mut p[0], member);
            }
            obtained[run.bucket as usize] = (o[0] + o[1]) + (o[2] + o[3]);
            possible[run.bucket as usize] = (p[0] + p[1]) + (p[2] + p[3]);
        }
    }

    /// Turns the pooled bucket sums into one score per CLO (NaN for none).
    fn combine(&self, obtained: &[f32], possible: &[f32], out: &mut [f64]) {
        for (clo, slot) in out.iter_mut().enumerate() {
            *slot = if possible[clo] > 0.0 { f64::from(obtained[clo]) / f64::from(possible[clo]) } else { f64::NAN };
        }
    }

    /// Every student's score on every CLO.
    pub fn student_scores(&self, offering: &Offering) -> StudentScores {
        let students = offering.students.len();
        let mut scores = vec![f64::NAN; students * self.clos];
        let buffers = if self.pooled { self.buckets() } else { 0 };
        let (mut obtained, mut possible) = (vec![0.0f32; buffers], vec![0.0f32; buffers]);
        for (student, out) in scores.chunks_exact_mut(self.clos.max(1)).enumerate().take(students) {
            if self.pooled {
                self.accumulate(offering.row(student), &mut obtained, &mut possible);
                self.combine(&obtained, &possible, out);
            } else {
                self.grouped_scores(offering.row(student), out);
            }
        }
        StudentScores { students, clos: self.clos, scores }
    }
}

/// Every student's score on every CLO of the offering under the policy.
pub fn student_clo_scores(policy: &Policy, offering: &Offering) -> StudentScores {
    Plan::new(policy, offering).student_scores(offering)
}
