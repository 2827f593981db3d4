//! Profile pictures: checked, decoded, cropped to a square and re-encoded as a small PNG.

use image::imageops::FilterType;
use qobe_domain::ids::{FileId, InstitutionId, UserId};
use qobe_store::{Tx, accounts};

use crate::files::{self, FileKind, NewUpload, StoredFile};
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
    let upload = NewUpload {
        institution: actor.institution_id,
        owner: Some(actor.user_id),
        kind: FileKind::Picture,
        name: "picture.png",
        bytes: png,
    };
    let file = files::keep(&tx, app, upload).await?;
    replace(&tx, app, actor, Some(file)).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "account.picture_changed")).await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

pub async fn remove(app: &App, actor: &Actor, client: &ClientInfo) -> AppResult<()> {
    let tx = app.store.begin().await?;
    replace(&tx, app, actor, None).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "account.picture_removed")).await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

/// Points the actor at their new picture (or none), discarding the one it replaces.
async fn replace(tx: &Tx, app: &App, actor: &Actor, file: Option<FileId>) -> AppResult<()> {
    let old = accounts::get(tx, actor.institution_id, actor.user_id).await?.and_then(|row| row.picture_file_id);
    accounts::set_picture(tx, actor.institution_id, actor.user_id, file.map(|f| f.0)).await?;
    if let Some(old) = old {
        files::discard(tx, app, actor.institution_id, FileId(old)).await?;
    }
    Ok(())
}

/// The picture of a person in the actor's own institution (or the actor's own).
pub async fn get(app: &App, actor: &Actor, user: UserId) -> AppResult<StoredFile> {
    let institution: Option<InstitutionId> = actor.institution_id;
    let row = accounts::get(app.store.conn(), institution, user).await?.ok_or(AppError::NotFound)?;
    let file = row.picture_file_id.ok_or(AppError::NotFound)?;
    files::find(app, institution, FileId(file)).await
}
