//! The mappings between outcomes: a CLO version to PLO lineages (with a strength), and PLO
//! lineages to PEO lineages.

use qobe_domain::ids::InstitutionId;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::{clo_plo_map, plo_peo_map};
use crate::rows::{CloPloMap, PloPeoMap};
use crate::{Conn, StoreError};

/// Sets (or with `None` removes) the mapping of a CLO version to a PLO lineage.
pub async fn set_clo_plo(
    conn: &impl Conn,
    institution: InstitutionId,
    clo_id: i64,
    plo_lineage: i64,
    strength: Option<(i64, f64)>,
) -> Result<(), StoreError> {
    clo_plo_map::Entity::delete_many()
        .filter(clo_plo_map::Column::InstitutionId.eq(institution.0))
        .filter(clo_plo_map::Column::CloId.eq(clo_id))
        .filter(clo_plo_map::Column::PloId.eq(plo_lineage))
        .exec(conn)
        .await?;
    if let Some((strength, weight)) = strength {
        let row = clo_plo_map::ActiveModel {
            institution_id: Set(institution.0),
            clo_id: Set(clo_id),
            plo_id: Set(plo_lineage),
            strength: Set(strength),
            weight: Set(weight),
            ..Default::default()
        };
        clo_plo_map::Entity::insert(row).exec_without_returning(conn).await?;
    }
    Ok(())
}

pub async fn clo_plo_maps(
    conn: &impl Conn,
    institution: InstitutionId,
    clo_ids: &[i64],
) -> Result<Vec<CloPloMap>, StoreError> {
    Ok(clo_plo_map::Entity::find()
        .filter(clo_plo_map::Column::InstitutionId.eq(institution.0))
        .filter(clo_plo_map::Column::CloId.is_in(clo_ids.iter().copied()))
        .all(conn)
        .await?)
}

pub async fn set_plo_peo(
    conn: &impl Conn,
    institution: InstitutionId,
    plo_lineage: i64,
    peo_lineage: i64,
    mapped: bool,
) -> Result<(), StoreError> {
    plo_peo_map::Entity::delete_many()
        .filter(plo_peo_map::Column::InstitutionId.eq(institution.0))
        .filter(plo_peo_map::Column::PloId.eq(plo_lineage))
        .filter(plo_peo_map::Column::PeoId.eq(peo_lineage))
        .exec(conn)
        .await?;
    if mapped {
        let row = plo_peo_map::ActiveModel {
            institution_id: Set(institution.0),
            plo_id: Set(plo_lineage),
            peo_id: Set(peo_lineage),
            ..Default::default()
        };
        plo_peo_map::Entity::insert(row).exec_without_returning(conn).await?;
    }
    Ok(())
}

pub async fn plo_peo_maps(
    conn: &impl Conn,
    institution: InstitutionId,
    plo_lineages: &[i64],
) -> Result<Vec<PloPeoMap>, StoreError> {
    Ok(plo_peo_map::Entity::find()
        .filter(plo_peo_map::Column::InstitutionId.eq(institution.0))
        .filter(plo_peo_map::Column::PloId.is_in(plo_lineages.iter().copied()))
        .all(conn)
        .await?)
}
