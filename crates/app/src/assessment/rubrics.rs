//! Rubrics: written once (criteria × levels with points and descriptors), reused in any
//! offering by applying one to an assessment, which adds an item per criterion. Marks for those
//! items may be typed as a level's name ("Good") as well as points.

use std::collections::HashMap;

use qobe_domain::FieldErrors;
use qobe_domain::entered::named_id;
use qobe_domain::ids::{ItemId, OfferingId, RubricId};
use qobe_domain::rubric::{Criterion, parse_criteria};
use qobe_domain::validation::required_text;
use qobe_store::Conn;
use qobe_store::assessment::plans;
use qobe_store::rows::AssessmentItem;
/// Stored records this area's pages show as they are (they hold nothing secret).
pub use qobe_store::rows::Rubric;

use super::edit_access;
use super::evidence::stored_plan;
use super::plan::parse_clo_shares;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

fn criteria_of(rubric: &Rubric) -> Vec<Criterion> {
    serde_json::from_str(&rubric.criteria).unwrap_or_default()
}

fn require_staff(actor: &Actor) -> AppResult<qobe_domain::ids::InstitutionId> {
    let institution = actor.institution()?;
    if actor.is_staff() { Ok(institution) } else { Err(AppError::Forbidden) }
}

/// The institution's rubrics with their criteria, for any member of staff.
pub async fn list(app: &App, actor: &Actor) -> AppResult<Vec<(Rubric, Vec<Criterion>)>> {
    let institution = require_staff(actor)?;
    Ok(plans::rubrics(app.store.conn(), institution)
        .await?
        .into_iter()
        .map(|r| {
            let criteria = criteria_of(&r);
            (r, criteria)
        })
        .collect())
}

/// A rubric: its name, and its criteria one per line (`Criterion: Level=points (description), …`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RubricInput {
    pub name: String,
    pub criteria: String,
}

pub async fn create(app: &App, actor: &Actor, input: &RubricInput, client: &ClientInfo) -> AppResult<Rubric> {
    let institution = require_staff(actor)?;
    let mut errors = FieldErrors::new();
    let name = errors.check("name", required_text(&input.name, 100));
    let criteria = errors.check("criteria", parse_criteria(&input.criteria).map_err(|p| p.join("; ")));
    let (Some(name), Some(criteria)) = (name, criteria) else { return Err(AppError::Invalid(errors)) };
    let json = serde_json::to_string(&criteria).map_err(|e| AppError::Internal(e.to_string()))?;
    let tx = app.store.begin().await?;
    let row =
        plans::insert_rubric(&tx, institution, &name, &json, actor.user_id.0, app.now()).await.map_err(
            |e| match e {
                qobe_store::StoreError::Duplicate(_) => AppError::conflict("name", "A rubric with that name exists."),
                other => other.into(),
            },
        )?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "assessment.rubric_created").target(&name)).await?;
    qobe_store::commit(tx).await?;
    Ok(row)
}

/// Adds one item per criterion of `rubric` to `assessment`, each worth the criterion's top
/// level. `clos` names the CLOs: one spec for every criterion, or one per criterion separated
/// by `|` (e.g. `CLO1 | CLO2 | CLO1:0.5, CLO3:0.5`).
/// A rubric applied to an assessment: which assessment and rubric (by id) and the CLO shares its
/// criteria carry.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ApplyInput {
    pub assessment: String,
    pub rubric: String,
    pub clos: String,
}

pub async fn apply(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    input: &ApplyInput,
    client: &ClientInfo,
) -> AppResult<usize> {
    let (assessment, rubric) = (named_id(&input.assessment), named_id(&input.rubric));
    let clos = input.clos.as_str();
    let offering = edit_access(app, actor, id).await?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let plan = stored_plan(&tx, institution, &offering).await?;
    let mut errors = FieldErrors::new();
    let parent = plan.assessments.iter().find(|a| a.id == assessment);
    if parent.is_none() {
        errors.add("assessment", "choose an assessment of this offering");
    }
    let rubric_row = plans::rubric(&tx, institution, RubricId(rubric)).await?;
    if rubric_row.is_none() {
        errors.add("rubric", "choose a rubric of this institution");
    }
    let (Some(parent), Some(rubric_row)) = (parent, rubric_row) else { return Err(AppError::Invalid(errors)) };
    let criteria = criteria_of(&rubric_row);
    let specs: Vec<&str> = clos.split('|').map(str::trim).collect();
    if specs.len() != 1 && specs.len() != criteria.len() {
        return Err(AppError::field(
            "clos",
            format!("give one CLO list, or one per criterion ({} separated by |)", criteria.len()),
        ));
    }
    let mut shares = Vec::new();
    for (c, criterion) in criteria.iter().enumerate() {
        let spec = specs.get(c).or(specs.first()).copied().unwrap_or("");
        shares.push(
            parse_clo_shares(&plan, spec).map_err(|m| AppError::field("clos", format!("{}: {m}", criterion.name)))?,
        );
    }
    for (c, (criterion, item_shares)) in criteria.iter().zip(&shares).enumerate() {
        let label: String = criterion.name.chars().take(40).collect();
        let item = plans::insert_item(
            &tx,
            institution,
            parent,
            &label,
            criterion.max_points(),
            Some((rubric_row.id, c as i64)),
        )
        .await?;
        plans::set_item_clos(&tx, institution, ItemId(item.id), item_shares).await?;
    }
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "assessment.rubric_applied")
            .target(&format!("{} {}", parent.name, rubric_row.name))
            .details(serde_json::json!({ "offering": id.0, "criteria": criteria.len() })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(criteria.len())
}

/// Criteria of the rubrics used by these items, by rubric id.
pub async fn criteria_for(
    conn: &impl Conn,
    institution: qobe_domain::ids::InstitutionId,
    items: &[AssessmentItem],
) -> AppResult<HashMap<i64, Vec<Criterion>>> {
    let mut out = HashMap::new();
    for id in items.iter().filter_map(|i| i.rubric_id) {
        if let std::collections::hash_map::Entry::Vacant(slot) = out.entry(id)
            && let Some(rubric) = plans::rubric(conn, institution, RubricId(id)).await?
        {
            slot.insert(criteria_of(&rubric));
        }
    }
    Ok(out)
}

/// What a typed mark means for an item: a rubric level's name becomes its points.
pub fn resolve_level<'a>(
    rubrics: &HashMap<i64, Vec<Criterion>>,
    item: &AssessmentItem,
    raw: &'a str,
) -> std::borrow::Cow<'a, str> {
    let criterion = item
        .rubric_id
        .zip(item.rubric_criterion)
        .and_then(|(r, c)| rubrics.get(&r).and_then(|criteria| criteria.get(usize::try_from(c).ok()?)));
    match criterion.and_then(|c| c.points_of(raw)) {
        Some(points) => std::borrow::Cow::Owned(format!("{points}")),
        None => std::borrow::Cow::Borrowed(raw),
    }
}
