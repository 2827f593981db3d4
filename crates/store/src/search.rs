//! Free-text search over a few columns: case-insensitive "contains", the same on both databases.

use sea_orm::Condition;
use sea_orm::ExprTrait;
use sea_orm::sea_query::{Expr, Func, IntoColumnRef};

/// A condition matching rows where any of `columns` contains `search` (ignoring case), or `None`
/// when the search is blank. LIKE wildcards typed by the user are dropped, not interpreted.
pub fn contains_any<C: IntoColumnRef + Copy>(columns: &[C], search: &str) -> Option<Condition> {
    let search = search.replace(['%', '_'], "");
    let search = search.trim();
    if search.is_empty() {
        return None;
    }
    let pattern = format!("%{}%", search.to_lowercase());
    Some(columns.iter().fold(Condition::any(), |any, column| {
        any.add(Expr::expr(Func::lower(Expr::col(*column))).like(pattern.clone()))
    }))
}
