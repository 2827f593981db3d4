//! Announcements and who has read them.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{AnnouncementId, InstitutionId, OfferingId, UserId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{announcement, announcement_read};
use crate::{Conn, StoreError};

pub use announcement::Model as Announcement;

pub struct NewAnnouncement<'a> {
    pub offering: Option<OfferingId>,
    pub title: &'a str,
    pub body: &'a str,
    pub by: UserId,
}

pub async fn insert(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewAnnouncement<'_>,
    now: DateTime<Utc>,
) -> Result<Announcement, StoreError> {
    let row = announcement::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(new.offering.map(|o| o.0)),
        title: Set(new.title.to_owned()),
        body: Set(new.body.to_owned()),
        posted_by: Set(new.by.0),
        posted_at: Set(now),
        ..Default::default()
    };
    Ok(announcement::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn get(
    conn: &impl Conn,
    institution: InstitutionId,
    id: AnnouncementId,
) -> Result<Option<Announcement>, StoreError> {
    use announcement::Column as C;
    Ok(announcement::Entity::find_by_id(id.0).filter(C::InstitutionId.eq(institution.0)).one(conn).await?)
}

/// Announcements to any of `offerings`, and the institution's own, newest first.
pub async fn for_offerings(
    conn: &impl Conn,
    institution: InstitutionId,
    offerings: &[i64],
    with_institution: bool,
    limit: u64,
) -> Result<Vec<Announcement>, StoreError> {
    use announcement::Column as C;
    let mut to = Condition::any().add(C::OfferingId.is_in(offerings.iter().copied()));
    if with_institution {
        to = to.add(C::OfferingId.is_null());
    }
    Ok(announcement::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(to)
        .order_by_desc(C::PostedAt)
        .order_by_desc(C::Id)
        .limit(limit)
        .all(conn)
        .await?)
}

pub async fn delete(conn: &impl Conn, institution: InstitutionId, id: AnnouncementId) -> Result<(), StoreError> {
    announcement_read::Entity::delete_many()
        .filter(announcement_read::Column::InstitutionId.eq(institution.0))
        .filter(announcement_read::Column::AnnouncementId.eq(id.0))
        .exec(conn)
        .await?;
    announcement::Entity::delete_many()
        .filter(announcement::Column::InstitutionId.eq(institution.0))
        .filter(announcement::Column::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Which of `announcements` the person has read.
pub async fn read_by(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
    announcements: &[i64],
) -> Result<Vec<i64>, StoreError> {
    use announcement_read::Column as C;
    if announcements.is_empty() {
        return Ok(Vec::new());
    }
    Ok(announcement_read::Entity::find()
        .select_only()
        .column(C::AnnouncementId)
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::UserId.eq(user.0))
        .filter(C::AnnouncementId.is_in(announcements.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?)
}

/// Records that the person read these (again is nothing new).
pub async fn mark_read(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
    announcements: &[i64],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use announcement_read::Column as C;
    for id in announcements {
        let row = announcement_read::ActiveModel {
            institution_id: Set(institution.0),
            announcement_id: Set(*id),
            user_id: Set(user.0),
            read_at: Set(now),
            ..Default::default()
        };
        announcement_read::Entity::insert(row)
            .on_conflict(OnConflict::columns([C::AnnouncementId, C::UserId]).do_nothing().to_owned())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Active accounts of the institution (of `only` when given) as (id, email, communication
/// preferences as stored), for delivering an announcement.
pub async fn recipients(
    conn: &impl Conn,
    institution: InstitutionId,
    only: Option<&[i64]>,
) -> Result<Vec<(i64, String, String)>, StoreError> {
    use crate::entities::user::{Column as U, Entity as Users};
    let mut query = Users::find()
        .select_only()
        .columns([U::Id, U::Email, U::Communication])
        .filter(U::InstitutionId.eq(institution.0))
        .filter(U::Status.eq("active"))
        .order_by_asc(U::Id);
    if let Some(ids) = only {
        query = query.filter(U::Id.is_in(ids.iter().copied()));
    }
    Ok(query.into_tuple().all(conn).await?)
}
