//! An offering's assessments and items, and each item's CLO shares.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{AssessmentId, InstitutionId, ItemId, OfferingId, RubricId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{assessment, assessment_item, item_clo_map, mark_change};
use crate::rows::{Assessment, AssessmentItem, ItemCloMap};
use crate::{Conn, StoreError};

pub struct NewAssessment<'a> {
    pub offering: OfferingId,
    pub name: &'a str,
    pub category: &'a str,
    pub weight: f64,
}

pub async fn insert_assessment(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewAssessment<'_>,
    now: DateTime<Utc>,
) -> Result<Assessment, StoreError> {
    let position: Option<i64> = assessment::Entity::find()
        .select_only()
        .column_as(assessment::Column::Position.max(), "position")
        .filter(assessment::Column::InstitutionId.eq(institution.0))
        .filter(assessment::Column::OfferingId.eq(new.offering.0))
        .into_tuple()
        .one(conn)
        .await?
        .flatten();
    let position = position.unwrap_or(0);
    let row = assessment::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(new.offering.0),
        name: Set(new.name.to_owned()),
        category: Set(new.category.to_owned()),
        weight: Set(new.weight),
        position: Set(position + 1),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(assessment::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn assessments(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Vec<Assessment>, StoreError> {
    Ok(assessment::Entity::find()
        .filter(assessment::Column::InstitutionId.eq(institution.0))
        .filter(assessment::Column::OfferingId.eq(offering.0))
        .order_by_asc(assessment::Column::Position)
        .all(conn)
        .await?)
}

pub async fn insert_item(
    conn: &impl Conn,
    institution: InstitutionId,
    assessment: &Assessment,
    label: &str,
    max_marks: f64,
    rubric: Option<(i64, i64)>,
) -> Result<AssessmentItem, StoreError> {
    let position: Option<i64> = assessment_item::Entity::find()
        .select_only()
        .column_as(assessment_item::Column::Position.max(), "position")
        .filter(assessment_item::Column::InstitutionId.eq(institution.0))
        .filter(assessment_item::Column::AssessmentId.eq(assessment.id))
        .into_tuple()
        .one(conn)
        .await?
        .flatten();
    let position = position.unwrap_or(0);
    let row = assessment_item::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(assessment.offering_id),
        assessment_id: Set(assessment.id),
        label: Set(label.to_owned()),
        max_marks: Set(max_marks),
        position: Set(position + 1),
        rubric_id: Set(rubric.map(|(id, _)| id)),
        rubric_criterion: Set(rubric.map(|(_, criterion)| criterion)),
        ..Default::default()
    };
    Ok(assessment_item::Entity::insert(row).exec_with_returning(conn).await?)
}

/// Changes an assessment's name, category and weightage.
pub async fn update_assessment(
    conn: &impl Conn,
    institution: InstitutionId,
    id: AssessmentId,
    name: &str,
    category: &str,
    weight: f64,
) -> Result<(), StoreError> {
    assessment::Entity::update_many()
        .col_expr(assessment::Column::Name, name.into())
        .col_expr(assessment::Column::Category, category.into())
        .col_expr(assessment::Column::Weight, weight.into())
        .filter(assessment::Column::InstitutionId.eq(institution.0))
        .filter(assessment::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Changes an item's label and maximum marks.
pub async fn update_item(
    conn: &impl Conn,
    institution: InstitutionId,
    id: ItemId,
    label: &str,
    max_marks: f64,
) -> Result<(), StoreError> {
    assessment_item::Entity::update_many()
        .col_expr(assessment_item::Column::Label, label.into())
        .col_expr(assessment_item::Column::MaxMarks, max_marks.into())
        .filter(assessment_item::Column::InstitutionId.eq(institution.0))
        .filter(assessment_item::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Deletes items that hold no marks, with their CLO shares and the record of marks once
/// typed and cleared (the caller refuses items that still hold marks).
pub async fn delete_items(conn: &impl Conn, institution: InstitutionId, ids: &[i64]) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    item_clo_map::Entity::delete_many()
        .filter(item_clo_map::Column::InstitutionId.eq(institution.0))
        .filter(item_clo_map::Column::ItemId.is_in(ids.iter().copied()))
        .exec(conn)
        .await?;
    mark_change::Entity::delete_many()
        .filter(mark_change::Column::InstitutionId.eq(institution.0))
        .filter(mark_change::Column::ItemId.is_in(ids.iter().copied()))
        .exec(conn)
        .await?;
    assessment_item::Entity::delete_many()
        .filter(assessment_item::Column::InstitutionId.eq(institution.0))
        .filter(assessment_item::Column::Id.is_in(ids.iter().copied()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Deletes an assessment whose items were deleted first.
pub async fn delete_assessment(
    conn: &impl Conn,
    institution: InstitutionId,
    id: AssessmentId,
) -> Result<(), StoreError> {
    assessment::Entity::delete_many()
        .filter(assessment::Column::InstitutionId.eq(institution.0))
        .filter(assessment::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// The offering's items, in assessment order then item order (the caller orders by assessment).
pub async fn items(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Vec<AssessmentItem>, StoreError> {
    Ok(assessment_item::Entity::find()
        .filter(assessment_item::Column::InstitutionId.eq(institution.0))
        .filter(assessment_item::Column::OfferingId.eq(offering.0))
        .order_by_asc(assessment_item::Column::AssessmentId)
        .order_by_asc(assessment_item::Column::Position)
        .all(conn)
        .await?)
}

/// Replaces an item's CLO shares.
pub async fn set_item_clos(
    conn: &impl Conn,
    institution: InstitutionId,
    item: ItemId,
    shares: &[(i64, f64)],
) -> Result<(), StoreError> {
    let item = item.0;
    item_clo_map::Entity::delete_many()
        .filter(item_clo_map::Column::InstitutionId.eq(institution.0))
        .filter(item_clo_map::Column::ItemId.eq(item))
        .exec(conn)
        .await?;
    if shares.is_empty() {
        return Ok(());
    }
    let rows = shares.iter().map(|(clo, share)| item_clo_map::ActiveModel {
        institution_id: Set(institution.0),
        item_id: Set(item),
        clo_id: Set(*clo),
        share: Set(*share),
        ..Default::default()
    });
    item_clo_map::Entity::insert_many(rows).exec(conn).await?;
    Ok(())
}

/// The CLO shares of the offering's items.
pub async fn item_clos(
    conn: &impl Conn,
    institution: InstitutionId,
    items: &[i64],
) -> Result<Vec<ItemCloMap>, StoreError> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for chunk in items.chunks(500) {
        out.extend(
            item_clo_map::Entity::find()
                .filter(item_clo_map::Column::InstitutionId.eq(institution.0))
                .filter(item_clo_map::Column::ItemId.is_in(chunk.iter().copied()))
                .all(conn)
                .await?,
        );
    }
    Ok(out)
}

/// Whether any assessment item is evidence for this CLO version.
pub async fn clo_has_evidence(conn: &impl Conn, institution: InstitutionId, clo: i64) -> Result<bool, StoreError> {
    Ok(item_clo_map::Entity::find()
        .filter(item_clo_map::Column::InstitutionId.eq(institution.0))
        .filter(item_clo_map::Column::CloId.eq(clo))
        .count(conn)
        .await?
        > 0)
}

pub async fn insert_rubric(
    conn: &impl Conn,
    institution: InstitutionId,
    name: &str,
    criteria_json: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<crate::rows::Rubric, StoreError> {
    let row = crate::entities::rubric::ActiveModel {
        institution_id: Set(institution.0),
        name: Set(name.to_owned()),
        criteria: Set(criteria_json.to_owned()),
        created_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(crate::entities::rubric::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn rubrics(conn: &impl Conn, institution: InstitutionId) -> Result<Vec<crate::rows::Rubric>, StoreError> {
    use crate::entities::rubric;
    Ok(rubric::Entity::find()
        .filter(rubric::Column::InstitutionId.eq(institution.0))
        .order_by_asc(rubric::Column::Name)
        .all(conn)
        .await?)
}

pub async fn rubric(
    conn: &impl Conn,
    institution: InstitutionId,
    id: RubricId,
) -> Result<Option<crate::rows::Rubric>, StoreError> {
    use crate::entities::rubric;
    Ok(rubric::Entity::find_by_id(id.0).filter(rubric::Column::InstitutionId.eq(institution.0)).one(conn).await?)
}
