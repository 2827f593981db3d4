//! An offering's assessment plan, marks grid and history, and its live CLO attainment with
//! explanations down to each student's marks.

mod attainment;
mod course_file;
mod import;
mod marks;
mod plan;
mod policy;
mod program;
mod program_cell;
mod rubrics;
mod trends;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(plan::router())
        .merge(marks::router())
        .merge(attainment::router())
        .merge(import::router())
        .merge(program::router())
        .merge(program_cell::router())
        .merge(policy::router())
        .merge(rubrics::router())
        .merge(trends::router())
        .merge(course_file::router())
}
