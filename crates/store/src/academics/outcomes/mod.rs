//! PEOs, PLOs and CLOs, versioned by effective term, and their mappings.
//!
//! Each version is a row; `lineage_id` (the id of the first version) ties the versions of one
//! outcome together. CLO→PLO maps point at a CLO version and a PLO lineage, so a reworded PLO
//! keeps its mappings while a reworded CLO carries its own.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{CloId, InstitutionId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};

use crate::entities::{clo, peo, plo};
use crate::rows::{Clo, Peo, Plo};
use crate::{Conn, StoreError};

mod mappings;

pub use mappings::{clo_plo_maps, plo_peo_maps, set_clo_plo, set_plo_peo};

/// Which list of outcomes, and the parent it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeOwner {
    /// PEOs of a program.
    ProgramPeos(i64),
    /// PLOs of a program.
    ProgramPlos(i64),
    /// CLOs of a course.
    CourseClos(i64),
}

/// The wording of one outcome version.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeText<'a> {
    pub code: &'a str,
    pub title: &'a str,
    pub text: &'a str,
    /// CLOs only: `C3`, `P2`, `A1`…
    pub taxonomy_level: Option<&'a str>,
    /// PLOs only: alignment to an external framework item, e.g. (`abet-eac-2019`, `SO1`).
    pub framework: Option<(&'a str, &'a str)>,
}

/// One outcome version, whichever list it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub id: i64,
    pub parent_id: i64,
    pub lineage_id: i64,
    pub version: i64,
    pub effective_term_id: Option<i64>,
    pub code: String,
    pub title: String,
    pub text: String,
    pub retired: bool,
    pub taxonomy_level: Option<String>,
    pub framework_key: Option<String>,
    pub framework_code: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<Peo> for Outcome {
    fn from(r: Peo) -> Self {
        Outcome {
            id: r.id,
            parent_id: r.program_id,
            lineage_id: r.lineage_id,
            version: r.version,
            effective_term_id: r.effective_term_id,
            code: r.code,
            title: r.title,
            text: r.text,
            retired: r.retired,
            taxonomy_level: None,
            framework_key: None,
            framework_code: None,
            created_at: r.created_at,
        }
    }
}

impl From<Plo> for Outcome {
    fn from(r: Plo) -> Self {
        Outcome {
            id: r.id,
            parent_id: r.program_id,
            lineage_id: r.lineage_id,
            version: r.version,
            effective_term_id: r.effective_term_id,
            code: r.code,
            title: r.title,
            text: r.text,
            retired: r.retired,
            taxonomy_level: None,
            framework_key: r.framework_key,
            framework_code: r.framework_code,
            created_at: r.created_at,
        }
    }
}

impl From<Clo> for Outcome {
    fn from(r: Clo) -> Self {
        Outcome {
            id: r.id,
            parent_id: r.course_id,
            lineage_id: r.lineage_id,
            version: r.version,
            effective_term_id: r.effective_term_id,
            code: r.code,
            title: r.title,
            text: r.text,
            retired: r.retired,
            taxonomy_level: Some(r.taxonomy_level),
            framework_key: None,
            framework_code: None,
            created_at: r.created_at,
        }
    }
}

/// Where a new row sits in an outcome's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionOf {
    /// `None` for a new outcome: the row becomes its own lineage.
    pub lineage: Option<i64>,
    pub version: i64,
    /// The term the version applies from; `None` for "from the start".
    pub effective_term: Option<i64>,
}

impl VersionOf {
    /// The first version of a new outcome.
    pub fn first() -> VersionOf {
        VersionOf { lineage: None, version: 1, effective_term: None }
    }
}

/// Inserts a version of an outcome.
pub async fn insert_version(
    conn: &impl Conn,
    institution: InstitutionId,
    owner: OutcomeOwner,
    at: VersionOf,
    text: &OutcomeText<'_>,
    now: DateTime<Utc>,
) -> Result<Outcome, StoreError> {
    let VersionOf { lineage, version, effective_term } = at;
    let lineage_value = lineage.unwrap_or(0);
    let inserted: Outcome = match owner {
        OutcomeOwner::ProgramPeos(program) => {
            let row = peo::ActiveModel {
                institution_id: Set(institution.0),
                program_id: Set(program),
                lineage_id: Set(lineage_value),
                version: Set(version),
                effective_term_id: Set(effective_term),
                code: Set(text.code.to_owned()),
                title: Set(text.title.to_owned()),
                text: Set(text.text.to_owned()),
                retired: Set(false),
                created_at: Set(now),
                ..Default::default()
            };
            peo::Entity::insert(row).exec_with_returning(conn).await?.into()
        }
        OutcomeOwner::ProgramPlos(program) => {
            let row = plo::ActiveModel {
                institution_id: Set(institution.0),
                program_id: Set(program),
                lineage_id: Set(lineage_value),
                version: Set(version),
                effective_term_id: Set(effective_term),
                code: Set(text.code.to_owned()),
                title: Set(text.title.to_owned()),
                text: Set(text.text.to_owned()),
                retired: Set(false),
                created_at: Set(now),
                framework_key: Set(text.framework.map(|f| f.0.to_owned())),
                framework_code: Set(text.framework.map(|f| f.1.to_owned())),
                ..Default::default()
            };
            plo::Entity::insert(row).exec_with_returning(conn).await?.into()
        }
        OutcomeOwner::CourseClos(course) => {
            let row = clo::ActiveModel {
                institution_id: Set(institution.0),
                course_id: Set(course),
                lineage_id: Set(lineage_value),
                version: Set(version),
                effective_term_id: Set(effective_term),
                code: Set(text.code.to_owned()),
                title: Set(text.title.to_owned()),
                text: Set(text.text.to_owned()),
                retired: Set(false),
                created_at: Set(now),
                taxonomy_level: Set(text.taxonomy_level.unwrap_or("C1").to_owned()),
                ..Default::default()
            };
            clo::Entity::insert(row).exec_with_returning(conn).await?.into()
        }
    };
    if lineage.is_some() {
        return Ok(inserted);
    }
    set_lineage(conn, institution, owner, inserted.id).await?;
    Ok(Outcome { lineage_id: inserted.id, ..inserted })
}

async fn set_lineage(
    conn: &impl Conn,
    institution: InstitutionId,
    owner: OutcomeOwner,
    id: i64,
) -> Result<(), StoreError> {
    match owner {
        OutcomeOwner::ProgramPeos(_) => {
            peo::Entity::update_many()
                .col_expr(peo::Column::LineageId, Expr::value(id))
                .filter(peo::Column::InstitutionId.eq(institution.0))
                .filter(peo::Column::Id.eq(id))
                .exec(conn)
                .await?;
        }
        OutcomeOwner::ProgramPlos(_) => {
            plo::Entity::update_many()
                .col_expr(plo::Column::LineageId, Expr::value(id))
                .filter(plo::Column::InstitutionId.eq(institution.0))
                .filter(plo::Column::Id.eq(id))
                .exec(conn)
                .await?;
        }
        OutcomeOwner::CourseClos(_) => {
            clo::Entity::update_many()
                .col_expr(clo::Column::LineageId, Expr::value(id))
                .filter(clo::Column::InstitutionId.eq(institution.0))
                .filter(clo::Column::Id.eq(id))
                .exec(conn)
                .await?;
        }
    }
    Ok(())
}

/// Rewrites a version in place (allowed only while it has no evidence; the app layer decides).
pub async fn rewrite(
    conn: &impl Conn,
    institution: InstitutionId,
    owner: OutcomeOwner,
    id: i64,
    text: &OutcomeText<'_>,
) -> Result<bool, StoreError> {
    let affected = match owner {
        OutcomeOwner::ProgramPeos(_) => {
            peo::Entity::update_many()
                .col_expr(peo::Column::Code, Expr::value(text.code))
                .col_expr(peo::Column::Title, Expr::value(text.title))
                .col_expr(peo::Column::Text, Expr::value(text.text))
                .filter(peo::Column::InstitutionId.eq(institution.0))
                .filter(peo::Column::Id.eq(id))
                .exec(conn)
                .await?
                .rows_affected
        }
        OutcomeOwner::ProgramPlos(_) => {
            plo::Entity::update_many()
                .col_expr(plo::Column::Code, Expr::value(text.code))
                .col_expr(plo::Column::Title, Expr::value(text.title))
                .col_expr(plo::Column::Text, Expr::value(text.text))
                .col_expr(plo::Column::FrameworkKey, Expr::value(text.framework.map(|f| f.0.to_owned())))
                .col_expr(plo::Column::FrameworkCode, Expr::value(text.framework.map(|f| f.1.to_owned())))
                .filter(plo::Column::InstitutionId.eq(institution.0))
                .filter(plo::Column::Id.eq(id))
                .exec(conn)
                .await?
                .rows_affected
        }
        OutcomeOwner::CourseClos(_) => {
            clo::Entity::update_many()
                .col_expr(clo::Column::Code, Expr::value(text.code))
                .col_expr(clo::Column::Title, Expr::value(text.title))
                .col_expr(clo::Column::Text, Expr::value(text.text))
                .col_expr(clo::Column::TaxonomyLevel, Expr::value(text.taxonomy_level.unwrap_or("C1")))
                .filter(clo::Column::InstitutionId.eq(institution.0))
                .filter(clo::Column::Id.eq(id))
                .exec(conn)
                .await?
                .rows_affected
        }
    };
    Ok(affected == 1)
}

/// Every version of every outcome of `owner`, by code then version.
pub async fn all_versions(
    conn: &impl Conn,
    institution: InstitutionId,
    owner: OutcomeOwner,
) -> Result<Vec<Outcome>, StoreError> {
    Ok(match owner {
        OutcomeOwner::ProgramPeos(program) => peo::Entity::find()
            .filter(peo::Column::InstitutionId.eq(institution.0))
            .filter(peo::Column::ProgramId.eq(program))
            .order_by_asc(peo::Column::Code)
            .order_by_asc(peo::Column::Version)
            .all(conn)
            .await?
            .into_iter()
            .map(Outcome::from)
            .collect(),
        OutcomeOwner::ProgramPlos(program) => plo::Entity::find()
            .filter(plo::Column::InstitutionId.eq(institution.0))
            .filter(plo::Column::ProgramId.eq(program))
            .order_by_asc(plo::Column::Code)
            .order_by_asc(plo::Column::Version)
            .all(conn)
            .await?
            .into_iter()
            .map(Outcome::from)
            .collect(),
        OutcomeOwner::CourseClos(course) => clo::Entity::find()
            .filter(clo::Column::InstitutionId.eq(institution.0))
            .filter(clo::Column::CourseId.eq(course))
            .order_by_asc(clo::Column::Code)
            .order_by_asc(clo::Column::Version)
            .all(conn)
            .await?
            .into_iter()
            .map(Outcome::from)
            .collect(),
    })
}

/// CLO versions of many courses at once (for the program's mapping matrix).
pub async fn clos_of_courses(
    conn: &impl Conn,
    institution: InstitutionId,
    courses: &[i64],
) -> Result<Vec<Outcome>, StoreError> {
    Ok(clo::Entity::find()
        .filter(clo::Column::InstitutionId.eq(institution.0))
        .filter(clo::Column::CourseId.is_in(courses.iter().copied()))
        .order_by_asc(clo::Column::Code)
        .order_by_asc(clo::Column::Version)
        .all(conn)
        .await?
        .into_iter()
        .map(Outcome::from)
        .collect())
}

/// One CLO version by id.
pub async fn clos_by_id(
    conn: &impl Conn,
    institution: InstitutionId,
    id: CloId,
) -> Result<Option<Outcome>, StoreError> {
    Ok(clo::Entity::find_by_id(id.0)
        .filter(clo::Column::InstitutionId.eq(institution.0))
        .one(conn)
        .await?
        .map(Outcome::from))
}

/// (lineage, program, code) of the newest version of these PLO lineages.
pub async fn plo_codes(
    conn: &impl Conn,
    institution: InstitutionId,
    lineages: &[i64],
) -> Result<Vec<(i64, i64, String)>, StoreError> {
    let mut rows: Vec<Plo> = plo::Entity::find()
        .filter(plo::Column::InstitutionId.eq(institution.0))
        .filter(plo::Column::LineageId.is_in(lineages.iter().copied()))
        .all(conn)
        .await?;
    rows.sort_by_key(|p| (p.lineage_id, std::cmp::Reverse(p.version)));
    rows.dedup_by_key(|p| p.lineage_id);
    Ok(rows.into_iter().map(|p| (p.lineage_id, p.program_id, p.code)).collect())
}

/// The institution's course and program outcomes whose code or wording contains `search`
/// (ignoring case): the latest version of each, retired ones left out, at most `limit` of each
/// kind, by code. Blank text finds nothing.
pub async fn search(
    conn: &impl Conn,
    institution: InstitutionId,
    search: &str,
    limit: usize,
) -> Result<(Vec<Outcome>, Vec<Outcome>), StoreError> {
    let (Some(clo_text), Some(plo_text)) = (
        crate::search::contains_any(&[clo::Column::Code, clo::Column::Text], search),
        crate::search::contains_any(&[plo::Column::Code, plo::Column::Text], search),
    ) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let clos = clo::Entity::find()
        .filter(clo::Column::InstitutionId.eq(institution.0))
        .filter(clo::Column::Retired.eq(false))
        .filter(clo_text)
        .order_by_asc(clo::Column::Code)
        .order_by_desc(clo::Column::Version)
        .all(conn)
        .await?;
    let plos = plo::Entity::find()
        .filter(plo::Column::InstitutionId.eq(institution.0))
        .filter(plo::Column::Retired.eq(false))
        .filter(plo_text)
        .order_by_asc(plo::Column::Code)
        .order_by_desc(plo::Column::Version)
        .all(conn)
        .await?;
    Ok((latest(clos.into_iter().map(Outcome::from), limit), latest(plos.into_iter().map(Outcome::from), limit)))
}

/// The first (latest) version of each lineage, up to `limit`.
fn latest(versions: impl Iterator<Item = Outcome>, limit: usize) -> Vec<Outcome> {
    let mut seen = std::collections::HashSet::new();
    versions.filter(|o| seen.insert(o.lineage_id)).take(limit).collect()
}
