//! Profile pictures: checked, decoded, cropped to a square and re-encoded as a small PNG.

use image::imageops::FilterType;
use qobe_domain::ids::{InstitutionId, UserId};
use qobe_store::accounts;

use crate::{Actor, App, AppError, AppResult, ClientInfo, audit, images};

/// Side of the stored square picture, in pixels.
pub const SIZE: u32 = 256;

/// Turns an uploaded PNG or JPEG into the stored 256×256 PNG (checked and decoded off the
/// request threads: see [`crate::images`]).
pub async fn normalise(bytes: &[u8]) -> AppResult<Vec<u8>> {
    images::process(bytes, images::PICTURE, |picture| {
        images::png(&picture.resize_to_fill(SIZE, SIZE, FilterType::Triangle))
    })
    .await
}

pub async fn upload(app: &App, actor: &Actor, bytes: &[u8], client: &ClientInfo) -> AppResult<()> {
    let png = normalise(bytes).await?;
    let tx = app.store.begin().await?;
    accounts::set_avatar(&tx, actor.institution_id, actor.user_id, Some(png)).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "account.picture_changed")).await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

pub async fn remove(app: &App, actor: &Actor, client: &ClientInfo) -> AppResult<()> {
    let tx = app.store.begin().await?;
    accounts::set_avatar(&tx, actor.institution_id, actor.user_id, None).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "account.picture_removed")).await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// The picture of a person in the actor's own institution (or the actor's own).
pub async fn get(app: &App, actor: &Actor, user: UserId) -> AppResult<Vec<u8>> {
    let institution: Option<InstitutionId> = actor.institution_id;
    let row = accounts::get(app.store.conn(), institution, user).await?.ok_or(AppError::NotFound)?;
    row.avatar_png.ok_or(AppError::NotFound)
}
