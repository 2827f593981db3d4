//! PEOs, PLOs and CLOs: adopting a framework, writing and versioning outcomes, the CLO→PLO
//! mapping matrix with articulation averages.
//!
//! Versioning: an outcome that has evidence is never rewritten. Editing it creates a new
//! version that applies from a term that has not started yet; earlier terms keep the old one.
//! Evidence, for now: a CLO is in use once its course has been offered in a term that started
//! under that version; PLOs and PEOs once a cohort of the program has started. (Marks will be
//! evidence too when assessment arrives.)

use std::collections::HashMap;

use qobe_domain::FieldErrors;
use qobe_domain::frameworks::{self};
use qobe_domain::ids::{CourseId, ProgramId, TermId};
use qobe_domain::taxonomy::TaxonomyLevel;
use qobe_domain::validation::required_text;
pub use qobe_store::academics::outcomes::Outcome;
use qobe_store::academics::outcomes::{self, OutcomeOwner, OutcomeText, VersionOf};
use qobe_store::academics::{cohorts, courses, offerings, terms};
use qobe_store::rows::{Course, Program, Term};
use qobe_store::{Conn, structure};

use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

mod framework;
mod matrix;

pub(crate) use framework::insert_framework_plos;
pub use framework::{FrameworkChoice, adopt_framework};
pub use matrix::{Matrix, MatrixCourse, MatrixRow, PloCoverage, matrix, plo_peo_links, save_matrix, save_plo_peo};

/// Which list of outcomes a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Peo,
    Plo,
    Clo,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Peo => "PEO",
            Kind::Plo => "PLO",
            Kind::Clo => "CLO",
        }
    }
}

/// What the outcome form carries.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OutcomeInput {
    pub code: String,
    pub title: String,
    pub text: String,
    /// CLOs: `C3`…
    pub taxonomy_level: String,
    /// PLOs: `abet-eac-2019:SO1`, or empty.
    pub framework: String,
    /// When editing an outcome in use: the code or id of the term the new version starts in.
    pub effective_term: String,
}

/// The result of an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edited {
    /// No evidence yet: the wording was corrected in place.
    InPlace,
    /// In use: a new version was created from the given term on.
    NewVersion { version: i64, term_code: String },
}

async fn program_owner(app: &App, actor: &Actor, program: ProgramId, write: bool) -> AppResult<Program> {
    let institution = actor.institution()?;
    let row = structure::program(app.store.conn(), institution, program).await?.ok_or(AppError::NotFound)?;
    if write && !crate::authz::edit_program_outcomes(actor, row.id, row.department_id) {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

async fn course_owner(app: &App, actor: &Actor, course: CourseId, write: bool) -> AppResult<Course> {
    let institution = actor.institution()?;
    let row = courses::get(app.store.conn(), institution, course).await?.ok_or(AppError::NotFound)?;
    if write && !crate::authz::edit_clos(actor, row.department_id) {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

fn owner(kind: Kind, parent: i64) -> OutcomeOwner {
    match kind {
        Kind::Peo => OutcomeOwner::ProgramPeos(parent),
        Kind::Plo => OutcomeOwner::ProgramPlos(parent),
        Kind::Clo => OutcomeOwner::CourseClos(parent),
    }
}

async fn check_owner(app: &App, actor: &Actor, kind: Kind, parent: i64, write: bool) -> AppResult<()> {
    match kind {
        Kind::Peo | Kind::Plo => program_owner(app, actor, ProgramId(parent), write).await.map(|_| ()),
        Kind::Clo => course_owner(app, actor, CourseId(parent), write).await.map(|_| ()),
    }
}

/// An outcome's wording once checked.
pub(crate) struct ValidText {
    code: String,
    title: String,
    text: String,
    taxonomy_level: Option<String>,
    framework: Option<(String, String)>,
}

/// The rules of an outcome's wording, the same for the form and a row of a file.
pub(crate) fn validate(kind: Kind, input: &OutcomeInput) -> Result<ValidText, FieldErrors> {
    let mut errors = FieldErrors::new();
    let code = errors.check("code", qobe_domain::validation::code(&input.code));
    let title = errors.check("title", qobe_domain::validation::optional_text(&input.title, 200)).flatten();
    let text = errors.check("text", required_text(&input.text, 2000));
    let taxonomy_level = if kind == Kind::Clo {
        errors.check(
            "taxonomy_level",
            TaxonomyLevel::parse(&input.taxonomy_level).map(|l| l.to_string()).map_err(|e| e.to_string()),
        )
    } else {
        None
    };
    let framework = match input.framework.trim().split_once(':') {
        _ if kind != Kind::Plo || input.framework.trim().is_empty() => None,
        Some((key, code)) if frameworks::find(key).is_some_and(|f| f.item(code).is_some()) => {
            Some((key.to_owned(), code.to_owned()))
        }
        _ => {
            errors.add("framework", "is not an item of a built-in framework");
            None
        }
    };
    match (code, text) {
        (Some(code), Some(text)) if errors.is_empty() => {
            Ok(ValidText { code, title: title.unwrap_or_default(), text, taxonomy_level, framework })
        }
        _ => Err(errors),
    }
}

pub(crate) fn as_text(v: &ValidText) -> OutcomeText<'_> {
    OutcomeText {
        code: &v.code,
        title: &v.title,
        text: &v.text,
        taxonomy_level: v.taxonomy_level.as_deref(),
        framework: v.framework.as_ref().map(|(k, c)| (k.as_str(), c.as_str())),
    }
}

/// The version of each lineage that applies in `term` (the latest when `None`), skipping
/// lineages retired by then, ordered by code.
pub fn versions_for(all: &[Outcome], terms: &[Term], term: Option<&Term>) -> Vec<Outcome> {
    let start_of = |id: Option<i64>| id.and_then(|id| terms.iter().find(|t| t.id == id)).map(|t| t.starts_at);
    let mut chosen: HashMap<i64, &Outcome> = HashMap::new();
    for version in all {
        let applies = match (term, start_of(version.effective_term_id)) {
            (Some(term), Some(from)) => from <= term.starts_at,
            _ => true,
        };
        if applies && chosen.get(&version.lineage_id).is_none_or(|c| c.version < version.version) {
            chosen.insert(version.lineage_id, version);
        }
    }
    let mut out: Vec<Outcome> = chosen.into_values().filter(|o| !o.retired).cloned().collect();
    out.sort_by_key(|o| natural_key(&o.code));
    out
}

/// Sorts `PLO2` before `PLO10`.
fn natural_key(code: &str) -> (String, u64) {
    let digits: String =
        code.chars().rev().take_while(char::is_ascii_digit).collect::<Vec<_>>().into_iter().rev().collect();
    let prefix = code[..code.len() - digits.len()].to_owned();
    (prefix, digits.parse().unwrap_or(0))
}

/// The outcomes of a program or course as they apply in `term` (latest when `None`).
pub async fn list(app: &App, actor: &Actor, kind: Kind, parent: i64, term: Option<TermId>) -> AppResult<Vec<Outcome>> {
    check_owner(app, actor, kind, parent, false).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let all = outcomes::all_versions(conn, institution, owner(kind, parent)).await?;
    let all_terms = terms::list(conn, institution).await?;
    let at = term.and_then(|t| all_terms.iter().find(|x| x.id == t.0));
    Ok(versions_for(&all, &all_terms, at))
}

/// Every version of one outcome, oldest first.
pub async fn history(app: &App, actor: &Actor, kind: Kind, parent: i64, lineage: i64) -> AppResult<Vec<Outcome>> {
    check_owner(app, actor, kind, parent, false).await?;
    let all = outcomes::all_versions(app.store.conn(), actor.institution()?, owner(kind, parent)).await?;
    let versions: Vec<Outcome> = all.into_iter().filter(|o| o.lineage_id == lineage).collect();
    if versions.is_empty() { Err(AppError::NotFound) } else { Ok(versions) }
}

pub async fn create(
    app: &App,
    actor: &Actor,
    kind: Kind,
    parent: i64,
    input: &OutcomeInput,
    client: &ClientInfo,
) -> AppResult<Outcome> {
    check_owner(app, actor, kind, parent, true).await?;
    let institution = actor.institution()?;
    let v = validate(kind, input)?;
    let conn = app.store.conn();
    let existing = outcomes::all_versions(conn, institution, owner(kind, parent)).await?;
    if existing.iter().any(|o| o.code == v.code && !o.retired) {
        return Err(AppError::conflict("code", format!("{} {} already exists here.", kind.label(), v.code)));
    }
    let tx = app.store.begin().await?;
    let row =
        outcomes::insert_version(&tx, institution, owner(kind, parent), VersionOf::first(), &as_text(&v), app.now())
            .await?;
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "outcomes.created")
            .target(&v.code)
            .details(serde_json::json!({ "kind": kind.label(), "parent": parent })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(row)
}

/// Whether an outcome version has evidence (see the module note).
async fn in_use(
    conn: &impl Conn,
    app: &App,
    institution: qobe_domain::ids::InstitutionId,
    kind: Kind,
    version: &Outcome,
    all_terms: &[Term],
) -> AppResult<bool> {
    let now = app.now();
    let from = version.effective_term_id.and_then(|id| all_terms.iter().find(|t| t.id == id)).map(|t| t.starts_at);
    let started = |term_id: i64| {
        all_terms
            .iter()
            .find(|t| t.id == term_id)
            .is_some_and(|t| t.starts_at <= now && from.is_none_or(|f| t.starts_at >= f))
    };
    Ok(match kind {
        Kind::Clo => {
            qobe_store::assessment::plans::clo_has_evidence(conn, institution, version.id).await?
                || offerings::of_course(conn, institution, CourseId(version.parent_id))
                    .await?
                    .iter()
                    .any(|o| started(o.term_id))
        }
        Kind::Plo | Kind::Peo => cohorts::list(conn, institution)
            .await?
            .iter()
            .any(|c| c.program_id == version.parent_id && started(c.intake_term_id)),
    })
}

/// Edits the latest version of an outcome: in place while it has no evidence, otherwise as a
/// new version from a term that has not started.
pub async fn edit(
    app: &App,
    actor: &Actor,
    kind: Kind,
    parent: i64,
    id: i64,
    input: &OutcomeInput,
    client: &ClientInfo,
) -> AppResult<Edited> {
    check_owner(app, actor, kind, parent, true).await?;
    let institution = actor.institution()?;
    let v = validate(kind, input)?;
    let tx = app.store.begin().await?;
    let all = outcomes::all_versions(&tx, institution, owner(kind, parent)).await?;
    let current = all.iter().find(|o| o.id == id).cloned().ok_or(AppError::NotFound)?;
    if all.iter().any(|o| o.lineage_id == current.lineage_id && o.version > current.version) {
        return Err(AppError::conflict("code", "Only the newest version of an outcome can be edited."));
    }
    if all.iter().any(|o| o.code == v.code && o.lineage_id != current.lineage_id && !o.retired) {
        return Err(AppError::conflict("code", format!("{} {} already exists here.", kind.label(), v.code)));
    }
    let all_terms = terms::list(&tx, institution).await?;
    let result = if !in_use(&tx, app, institution, kind, &current, &all_terms).await? {
        outcomes::rewrite(&tx, institution, owner(kind, parent), id, &as_text(&v)).await?;
        Edited::InPlace
    } else {
        let raw = input.effective_term.trim();
        let term = all_terms.iter().find(|t| t.code.eq_ignore_ascii_case(raw) || t.id.to_string() == raw).ok_or_else(
            || {
                AppError::field(
                    "effective_term",
                    "this outcome already has evidence: choose the term the new wording applies from",
                )
            },
        )?;
        if term.starts_at <= app.now() {
            return Err(AppError::field(
                "effective_term",
                "must be a term that has not started: earlier terms keep the old wording",
            ));
        }
        let current_from =
            current.effective_term_id.and_then(|t| all_terms.iter().find(|x| x.id == t)).map(|t| t.starts_at);
        if current_from.is_some_and(|from| term.starts_at <= from) {
            return Err(AppError::field("effective_term", "must be after the term the current version starts in"));
        }
        let version = current.version + 1;
        let row = outcomes::insert_version(
            &tx,
            institution,
            owner(kind, parent),
            VersionOf { lineage: Some(current.lineage_id), version, effective_term: Some(term.id) },
            &as_text(&v),
            app.now(),
        )
        .await?;
        if kind == Kind::Clo {
            for map in outcomes::clo_plo_maps(&tx, institution, &[current.id]).await? {
                outcomes::set_clo_plo(&tx, institution, row.id, map.plo_id, Some((map.strength, map.weight))).await?;
            }
        }
        Edited::NewVersion { version, term_code: term.code.clone() }
    };
    audit::record(&tx, app, client, audit::Entry::by(actor, "outcomes.edited").target(&v.code).details(serde_json::json!({ "kind": kind.label(), "parent": parent, "new_version": matches!(result, Edited::NewVersion { .. }) })))
        .await?;
    qobe_store::commit(tx).await?;
    Ok(result)
}
