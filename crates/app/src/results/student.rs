//! A student's own published results, term by term, with GPA.

use qobe_domain::grading::{ResultStatus, gpa};
use qobe_domain::ids::OfferingId;
use qobe_store::results::{self as rows};

use crate::academics::offerings::{self, OfferingView};
use crate::{Actor, App, AppResult};

use super::status_of;

/// A student's published result in one course.
#[derive(Debug, Clone)]
pub struct MyResult {
    pub offering: OfferingView,
    pub percent: Option<f64>,
    pub letter: String,
    pub points: Option<f64>,
    pub credits: f64,
}

/// A term's published results with its GPA.
#[derive(Debug, Clone)]
pub struct MyTerm {
    pub term_name: String,
    pub results: Vec<MyResult>,
    pub gpa: Option<f64>,
}

/// The actor's own published results by term (newest first) and CGPA.
pub async fn mine(app: &App, actor: &Actor) -> AppResult<(Vec<MyTerm>, Option<f64>)> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut by_term: Vec<(chrono::DateTime<chrono::Utc>, MyTerm)> = Vec::new();
    let mut all = Vec::new();
    for line in rows::lines_of_student(conn, institution, actor.user_id).await? {
        let id = OfferingId(line.offering_id);
        let status = status_of(&rows::get(conn, institution, id).await?);
        if !matches!(status, ResultStatus::Published | ResultStatus::Locked) {
            continue;
        }
        let offering = offerings::get(app, actor, id).await?;
        let credits = offering.course.credits_theory + offering.course.credits_lab;
        if let Some(p) = line.points {
            all.push((credits, p));
        }
        let starts = offering.term.starts_at;
        let result = MyResult { percent: line.percent, letter: line.letter, points: line.points, credits, offering };
        match by_term.iter_mut().find(|(s, _)| *s == starts) {
            Some((_, term)) => term.results.push(result),
            None => by_term.push((
                starts,
                MyTerm { term_name: result.offering.term.name.clone(), results: vec![result], gpa: None },
            )),
        }
    }
    by_term.sort_by_key(|(starts, _)| std::cmp::Reverse(*starts));
    let terms: Vec<MyTerm> = by_term
        .into_iter()
        .map(|(_, mut t)| {
            let graded: Vec<(f64, f64)> = t.results.iter().filter_map(|r| r.points.map(|p| (r.credits, p))).collect();
            t.gpa = gpa(&graded);
            t
        })
        .collect();
    Ok((terms, gpa(&all)))
}
