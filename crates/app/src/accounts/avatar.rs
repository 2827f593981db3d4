//! Profile pictures: checked, decoded, cropped to a square and re-encoded as a small PNG, so
//! nothing a person uploads is ever served back byte for byte.

use std::io::Cursor;

use image::{ImageFormat, imageops::FilterType};
use qobe_domain::ids::{InstitutionId, UserId};
use qobe_store::accounts;

use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// Largest upload accepted.
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// Side of the stored square picture, in pixels.
pub const SIZE: u32 = 256;

/// Decodes an uploaded PNG or JPEG picture (bounded in size), naming `field` when it is not one.
pub(crate) fn decode(bytes: &[u8], field: &str) -> AppResult<image::DynamicImage> {
    if bytes.is_empty() {
        return Err(AppError::field(field, "Choose a picture to upload."));
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(AppError::TooLarge(format!("The picture is larger than {} MB.", MAX_UPLOAD_BYTES / 1024 / 1024)));
    }
    let format = image::guess_format(bytes).map_err(|_| AppError::field(field, "must be a PNG or JPEG picture"))?;
    if !matches!(format, ImageFormat::Png | ImageFormat::Jpeg) {
        return Err(AppError::field(field, "must be a PNG or JPEG picture"));
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(8_000);
    limits.max_image_height = Some(8_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    reader.decode().map_err(|_| AppError::field(field, "could not be read as a picture"))
}

/// A picture re-encoded as PNG.
pub(crate) fn png(picture: &image::DynamicImage) -> AppResult<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    picture.write_to(&mut out, ImageFormat::Png).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(out.into_inner())
}

/// Turns an uploaded PNG or JPEG into the stored 256×256 PNG.
pub fn normalise(bytes: &[u8]) -> AppResult<Vec<u8>> {
    png(&decode(bytes, "image")?.resize_to_fill(SIZE, SIZE, FilterType::Triangle))
}

pub async fn upload(app: &App, actor: &Actor, bytes: &[u8], client: &ClientInfo) -> AppResult<()> {
    let png = normalise(bytes)?;
    accounts::set_avatar(app.store.conn(), actor.institution_id, actor.user_id, Some(png)).await?;
    audit::record(app.store.conn(), app, client, audit::Entry::by(actor, "account.picture_changed")).await
}

pub async fn remove(app: &App, actor: &Actor) -> AppResult<()> {
    accounts::set_avatar(app.store.conn(), actor.institution_id, actor.user_id, None).await?;
    Ok(())
}

/// The picture of a person in the actor's own institution (or the actor's own).
pub async fn get(app: &App, actor: &Actor, user: UserId) -> AppResult<Vec<u8>> {
    let institution: Option<InstitutionId> = actor.institution_id;
    let row = accounts::get(app.store.conn(), institution, user).await?.ok_or(AppError::NotFound)?;
    row.avatar_png.ok_or(AppError::NotFound)
}
