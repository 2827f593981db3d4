//! Academic structure and outcome pages: terms, courses with prerequisites and CLOs,
//! offerings with instructors, programs with PEOs/PLOs and the CLO-PLO matrix.

mod cohorts;
mod courses;
mod curricula;
mod import;
mod offerings;
mod outcomes;
mod programs;
mod terms;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(terms::router())
        .merge(courses::router())
        .merge(cohorts::router())
        .merge(curricula::router())
        .merge(import::router())
        .merge(offerings::router())
        .merge(programs::router())
        .merge(outcomes::router())
}
