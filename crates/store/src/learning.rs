//! Course content: an offering's modules and items, and each student's completion of items.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{ContentItemId, InstitutionId, ModuleId, OfferingId, UserId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{content_completion, content_item, content_module};
use crate::{Conn, StoreError};

pub use content_completion::Model as ContentCompletion;
pub use content_item::Model as ContentItem;
pub use content_module::Model as ContentModule;

/// An offering's modules in their order.
pub async fn modules(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Vec<ContentModule>, StoreError> {
    use content_module::Column as C;
    Ok(content_module::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::OfferingId.eq(offering.0))
        .order_by_asc(C::Position)
        .order_by_asc(C::Id)
        .all(conn)
        .await?)
}

pub async fn module(
    conn: &impl Conn,
    institution: InstitutionId,
    id: ModuleId,
) -> Result<Option<ContentModule>, StoreError> {
    use content_module::Column as C;
    Ok(content_module::Entity::find_by_id(id.0).filter(C::InstitutionId.eq(institution.0)).one(conn).await?)
}

/// Adds a module after the offering's last one.
pub async fn insert_module(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    title: &str,
    published: bool,
    now: DateTime<Utc>,
) -> Result<ContentModule, StoreError> {
    let position = modules(conn, institution, offering).await?.last().map_or(0, |m| m.position + 1);
    let row = content_module::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(offering.0),
        title: Set(title.to_owned()),
        position: Set(position),
        published: Set(published),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(content_module::Entity::insert(row).exec_with_returning(conn).await?)
}

pub async fn update_module(
    conn: &impl Conn,
    institution: InstitutionId,
    id: ModuleId,
    title: &str,
    published: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use content_module::Column as C;
    content_module::Entity::update_many()
        .col_expr(C::Title, Expr::value(title))
        .col_expr(C::Published, Expr::value(published))
        .col_expr(C::UpdatedAt, Expr::value(now))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Deletes a module with its items and their completions (the caller discards their files).
pub async fn delete_module(conn: &impl Conn, institution: InstitutionId, id: ModuleId) -> Result<(), StoreError> {
    for item in items_of_module(conn, institution, id).await? {
        delete_item(conn, institution, ContentItemId(item.id)).await?;
    }
    use content_module::Column as C;
    content_module::Entity::delete_many()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Puts the offering's modules in the order given (ids of other offerings are ignored).
pub async fn order_modules(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    order: &[ModuleId],
) -> Result<(), StoreError> {
    use content_module::Column as C;
    for (position, id) in order.iter().enumerate() {
        content_module::Entity::update_many()
            .col_expr(C::Position, Expr::value(position as i64))
            .filter(C::InstitutionId.eq(institution.0))
            .filter(C::OfferingId.eq(offering.0))
            .filter(C::Id.eq(id.0))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Every item of an offering, module by module in order.
pub async fn items(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Vec<ContentItem>, StoreError> {
    use content_item::Column as C;
    Ok(content_item::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::OfferingId.eq(offering.0))
        .order_by_asc(C::ModuleId)
        .order_by_asc(C::Position)
        .order_by_asc(C::Id)
        .all(conn)
        .await?)
}

pub async fn items_of_module(
    conn: &impl Conn,
    institution: InstitutionId,
    module: ModuleId,
) -> Result<Vec<ContentItem>, StoreError> {
    use content_item::Column as C;
    Ok(content_item::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::ModuleId.eq(module.0))
        .order_by_asc(C::Position)
        .order_by_asc(C::Id)
        .all(conn)
        .await?)
}

pub async fn item(
    conn: &impl Conn,
    institution: InstitutionId,
    id: ContentItemId,
) -> Result<Option<ContentItem>, StoreError> {
    use content_item::Column as C;
    Ok(content_item::Entity::find_by_id(id.0).filter(C::InstitutionId.eq(institution.0)).one(conn).await?)
}

/// What an item holds and how it is released, as written.
pub struct ItemFields<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub file: Option<i64>,
    pub captions: Option<i64>,
    pub published: bool,
    pub available_from: Option<DateTime<Utc>>,
    pub after: Option<ContentItemId>,
    pub completion: &'a str,
}

/// Adds an item at the end of its module.
pub async fn insert_item(
    conn: &impl Conn,
    institution: InstitutionId,
    module: &ContentModule,
    fields: ItemFields<'_>,
    now: DateTime<Utc>,
) -> Result<ContentItem, StoreError> {
    let position =
        items_of_module(conn, institution, ModuleId(module.id)).await?.last().map_or(0, |item| item.position + 1);
    let row = content_item::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(module.offering_id),
        module_id: Set(module.id),
        position: Set(position),
        kind: Set(fields.kind.to_owned()),
        title: Set(fields.title.to_owned()),
        body: Set(fields.body.to_owned()),
        file_id: Set(fields.file),
        captions_file_id: Set(fields.captions),
        published: Set(fields.published),
        available_from: Set(fields.available_from),
        after_item_id: Set(fields.after.map(|a| a.0)),
        completion: Set(fields.completion.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(content_item::Entity::insert(row).exec_with_returning(conn).await?)
}

/// Writes an item's fields (its kind stays).
pub async fn update_item(
    conn: &impl Conn,
    institution: InstitutionId,
    id: ContentItemId,
    fields: ItemFields<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use content_item::Column as C;
    content_item::Entity::update_many()
        .col_expr(C::Title, Expr::value(fields.title))
        .col_expr(C::Body, Expr::value(fields.body))
        .col_expr(C::FileId, Expr::value(fields.file))
        .col_expr(C::CaptionsFileId, Expr::value(fields.captions))
        .col_expr(C::Published, Expr::value(fields.published))
        .col_expr(C::AvailableFrom, Expr::value(fields.available_from))
        .col_expr(C::AfterItemId, Expr::value(fields.after.map(|a| a.0)))
        .col_expr(C::Completion, Expr::value(fields.completion))
        .col_expr(C::UpdatedAt, Expr::value(now))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Deletes an item and its completions; an item released after it is released without it.
pub async fn delete_item(conn: &impl Conn, institution: InstitutionId, id: ContentItemId) -> Result<(), StoreError> {
    use content_item::Column as C;
    content_item::Entity::update_many()
        .col_expr(C::AfterItemId, Expr::value(Option::<i64>::None))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::AfterItemId.eq(id.0))
        .exec(conn)
        .await?;
    content_completion::Entity::delete_many()
        .filter(content_completion::Column::InstitutionId.eq(institution.0))
        .filter(content_completion::Column::ItemId.eq(id.0))
        .exec(conn)
        .await?;
    content_item::Entity::delete_many()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Puts items in the order given, moving each into `module` (ids of other offerings are ignored).
pub async fn order_items(
    conn: &impl Conn,
    institution: InstitutionId,
    module: &ContentModule,
    order: &[ContentItemId],
) -> Result<(), StoreError> {
    use content_item::Column as C;
    for (position, id) in order.iter().enumerate() {
        content_item::Entity::update_many()
            .col_expr(C::Position, Expr::value(position as i64))
            .col_expr(C::ModuleId, Expr::value(module.id))
            .filter(C::InstitutionId.eq(institution.0))
            .filter(C::OfferingId.eq(module.offering_id))
            .filter(C::Id.eq(id.0))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// One student's completions in an offering.
pub async fn completions_of(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    user: UserId,
) -> Result<Vec<ContentCompletion>, StoreError> {
    use content_completion::Column as C;
    Ok(content_completion::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::OfferingId.eq(offering.0))
        .filter(C::UserId.eq(user.0))
        .all(conn)
        .await?)
}

/// Every student's completions in an offering.
pub async fn completions(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Vec<ContentCompletion>, StoreError> {
    use content_completion::Column as C;
    Ok(content_completion::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::OfferingId.eq(offering.0))
        .all(conn)
        .await?)
}

/// Records that the student opened the item (the first time counts) and, with `done`, whether
/// they marked it done.
pub async fn record_completion(
    conn: &impl Conn,
    institution: InstitutionId,
    item: &ContentItem,
    user: UserId,
    done: Option<bool>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use content_completion::Column as C;
    let row = content_completion::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(item.offering_id),
        item_id: Set(item.id),
        user_id: Set(user.0),
        viewed_at: Set(Some(now)),
        done_at: Set(None),
        ..Default::default()
    };
    content_completion::Entity::insert(row)
        .on_conflict(OnConflict::columns([C::ItemId, C::UserId]).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await?;
    if let Some(done) = done {
        content_completion::Entity::update_many()
            .col_expr(C::DoneAt, Expr::value(done.then_some(now)))
            .filter(C::InstitutionId.eq(institution.0))
            .filter(C::ItemId.eq(item.id))
            .filter(C::UserId.eq(user.0))
            .exec(conn)
            .await?;
    }
    Ok(())
}
