//! Changing and deleting assessments and items. Until an item holds marks anything about it
//! may change; after that only what keeps its marks valid: the label, the CLO shares, and a
//! maximum no lower than the highest mark given. Nothing changes once marks entry has closed
//! or the results have been submitted. Every change is audited with the values before and
//! after, so the plan's history can be read back.

use qobe_domain::FieldErrors;
use qobe_domain::ids::{AssessmentId, ItemId, OfferingId};
use qobe_domain::validation::required_text;
use qobe_store::Conn;
use qobe_store::assessment::marks as mark_rows;
use qobe_store::assessment::plans;
use serde_json::json;

use super::{AssessmentInput, parse_clo_shares, parse_max, valid_assessment};
use crate::academics::offerings::OfferingView;
use crate::assessment::edit_access;
use crate::assessment::evidence::{StoredPlan, stored_plan};
use crate::assessment::marks::{closed_reason, display_number};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// The offering, if the actor may change its plan now: marks entry open and results a draft.
pub(super) async fn open_plan(app: &App, actor: &Actor, id: OfferingId) -> AppResult<OfferingView> {
    let offering = edit_access(app, actor, id).await?;
    if let Some(reason) = closed_reason(app, actor, &offering) {
        return Err(AppError::Refused(vec![format!("{reason} The assessment plan can't change.")]));
    }
    Ok(offering)
}

/// The plan as stored inside the transaction, once the results are known to be a draft.
pub(super) async fn plan_in(conn: &impl Conn, actor: &Actor, offering: &OfferingView) -> AppResult<StoredPlan> {
    let institution = actor.institution()?;
    crate::results::ensure_marks_editable(conn, institution, OfferingId(offering.offering.id)).await?;
    stored_plan(conn, institution, offering).await
}

/// How many marks an item holds and the highest score among them.
async fn marks_on(conn: &impl Conn, actor: &Actor, offering: OfferingId, item: i64) -> AppResult<(usize, f64)> {
    let cells = mark_rows::for_offering(conn, actor.institution()?, offering).await?;
    let on_item = cells.iter().filter(|c| c.item_id == item);
    let count = on_item.clone().count();
    let highest = on_item.filter_map(|c| c.score).fold(0.0_f64, f64::max);
    Ok((count, highest))
}

fn marks_phrase(count: usize) -> String {
    if count == 1 { "1 mark".to_owned() } else { format!("{count} marks") }
}

pub async fn change_assessment(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    assessment: AssessmentId,
    input: &AssessmentInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let assessment = assessment.0;
    let offering = open_plan(app, actor, id).await?;
    let institution = actor.institution()?;
    let (name, category, weight) = valid_assessment(input)?;
    let tx = app.store.begin().await?;
    let plan = plan_in(&tx, actor, &offering).await?;
    let before = plan.assessments.iter().find(|a| a.id == assessment).ok_or(AppError::NotFound)?;
    plans::update_assessment(&tx, institution, AssessmentId(assessment), &name, &category, weight).await?;
    let details = json!({
        "offering": id.0,
        "before": { "name": before.name, "category": before.category, "weight": before.weight },
        "after": { "name": name, "category": category, "weight": weight },
    });
    audit::record(&tx, app, client, audit::Entry::by(actor, "assessment.changed").target(&name).details(details))
        .await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// Deletes an assessment and its items, when none of them holds a mark.
pub async fn delete_assessment(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    assessment: AssessmentId,
    client: &ClientInfo,
) -> AppResult<String> {
    let assessment = assessment.0;
    let offering = open_plan(app, actor, id).await?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let plan = plan_in(&tx, actor, &offering).await?;
    let row = plan.assessments.iter().find(|a| a.id == assessment).ok_or(AppError::NotFound)?;
    let items: Vec<_> = plan.items.iter().filter(|i| i.assessment_id == assessment).collect();
    let cells = mark_rows::for_offering(&tx, institution, id).await?;
    let marked: Vec<String> = items
        .iter()
        .filter_map(|i| {
            let count = cells.iter().filter(|c| c.item_id == i.id).count();
            (count > 0).then(|| format!("{} ({})", i.label, marks_phrase(count)))
        })
        .collect();
    if !marked.is_empty() {
        return Err(AppError::Refused(vec![format!(
            "{} can't be deleted: {} hold marks. Clear those marks first, or change the assessment instead.",
            row.name,
            marked.join(", ")
        )]));
    }
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
    plans::delete_items(&tx, institution, &ids).await?;
    plans::delete_assessment(&tx, institution, AssessmentId(assessment)).await?;
    let details = json!({
        "offering": id.0,
        "before": { "name": row.name, "category": row.category, "weight": row.weight, "items": labels },
    });
    audit::record(&tx, app, client, audit::Entry::by(actor, "assessment.deleted").target(&row.name).details(details))
        .await?;
    qobe_store::commit(tx).await?;
    Ok(row.name.clone())
}

/// An item's new label, maximum and CLO shares, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ItemChange {
    pub label: String,
    pub max_marks: String,
    pub clos: String,
}

pub async fn change_item(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    item: ItemId,
    change: &ItemChange,
    client: &ClientInfo,
) -> AppResult<()> {
    let offering = open_plan(app, actor, id).await?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let plan = plan_in(&tx, actor, &offering).await?;
    let before = plan.items.iter().find(|i| i.id == item.0).ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let label = errors.check("label", required_text(&change.label, 40));
    let max = errors.check("max_marks", parse_max(&change.max_marks));
    let shares = errors.check("clos", parse_clo_shares(&plan, &change.clos));
    if let Some(max) = max.filter(|m| (m - before.max_marks).abs() > 1e-9) {
        if before.rubric_id.is_some() {
            errors.refuse("max_marks", "is set by the item's rubric criterion");
        } else {
            let (count, highest) = marks_on(&tx, actor, id, before.id).await?;
            if count > 0 && highest > max + 1e-9 {
                errors.refuse(
                    "max_marks",
                    format!(
                        "can't go below {}, the highest of the {} already given",
                        display_number(highest),
                        marks_phrase(count)
                    ),
                );
            }
        }
    }
    let (Some(label), Some(max), Some(shares)) = (label, max, shares) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let old_shares: Vec<(i64, f64)> = plan.shares_of(before.id).map(|s| (s.clo_id, s.share)).collect();
    plans::update_item(&tx, institution, ItemId(before.id), &label, max).await?;
    plans::set_item_clos(&tx, institution, ItemId(before.id), &shares).await?;
    let details = json!({
        "offering": id.0,
        "before": { "label": before.label, "max_marks": before.max_marks, "clos": old_shares },
        "after": { "label": label, "max_marks": max, "clos": shares },
    });
    audit::record(&tx, app, client, audit::Entry::by(actor, "assessment.item_changed").target(&label).details(details))
        .await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// Deletes an item that holds no marks.
pub async fn delete_item(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    item: ItemId,
    client: &ClientInfo,
) -> AppResult<String> {
    let item = item.0;
    let offering = open_plan(app, actor, id).await?;
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let plan = plan_in(&tx, actor, &offering).await?;
    let row = plan.items.iter().find(|i| i.id == item).ok_or(AppError::NotFound)?;
    let (count, _) = marks_on(&tx, actor, id, item).await?;
    if count > 0 {
        return Err(AppError::Refused(vec![format!(
            "{} holds {}: clear them first, or change the item instead.",
            row.label,
            marks_phrase(count)
        )]));
    }
    let shares: Vec<(i64, f64)> = plan.shares_of(item).map(|s| (s.clo_id, s.share)).collect();
    plans::delete_items(&tx, institution, &[item]).await?;
    let details = json!({
        "offering": id.0,
        "before": { "label": row.label, "max_marks": row.max_marks, "clos": shares },
    });
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "assessment.item_deleted").target(&row.label).details(details),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(row.label.clone())
}
