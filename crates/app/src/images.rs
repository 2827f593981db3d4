//! Uploaded pictures (profile pictures, institution logos): checked, decoded and re-encoded as
//! PNG, so nothing a person uploads is ever served back byte for byte.
//!
//! A picture is a decompression bomb waiting to happen: a few kilobytes of PNG can declare a
//! canvas of billions of pixels. So the format and the canvas size are read from the header and
//! checked before anything is decoded, and decoding runs on the blocking thread pool, at most
//! [`DECODERS`] at a time, never on the threads that serve requests.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader};
use tokio::sync::Semaphore;

use crate::{AppError, AppResult};

/// What an upload of a kind of picture may be.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// The form field, named in errors.
    pub field: &'static str,
    pub max_bytes: usize,
    /// Largest canvas, in pixels (width × height), as declared by the header.
    pub max_pixels: u64,
}

/// Profile pictures: a phone photo (up to 20 megapixels, 5 MB).
pub const PICTURE: Rules = Rules { field: "image", max_bytes: 5 * 1024 * 1024, max_pixels: 20_000_000 };

/// Institution logos: up to 4 megapixels and 5 MB.
pub const LOGO: Rules = Rules { field: "logo", max_bytes: 5 * 1024 * 1024, max_pixels: 4_000_000 };

/// Pictures decoded at the same time, across all requests.
pub const DECODERS: usize = 2;
static DECODING: Semaphore = Semaphore::const_new(DECODERS);

/// Checks the upload against `rules` from its header alone: size, format (PNG or JPEG, from the
/// content, not the name) and canvas. Returns the format.
pub fn check(bytes: &[u8], rules: Rules) -> AppResult<ImageFormat> {
    if bytes.is_empty() {
        return Err(AppError::field(rules.field, "Choose a picture to upload."));
    }
    if bytes.len() > rules.max_bytes {
        return Err(AppError::TooLarge(format!("The picture is larger than {} MB.", rules.max_bytes / 1024 / 1024)));
    }
    let not_a_picture = || AppError::field(rules.field, "must be a PNG or JPEG picture");
    let format = image::guess_format(bytes).map_err(|_| not_a_picture())?;
    if !matches!(format, ImageFormat::Png | ImageFormat::Jpeg) {
        return Err(not_a_picture());
    }
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| AppError::field(rules.field, "could not be read as a picture"))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > rules.max_pixels {
        return Err(AppError::field(
            rules.field,
            format!(
                "is {width}×{height} pixels; pictures may have at most {} megapixels",
                rules.max_pixels / 1_000_000
            ),
        ));
    }
    Ok(format)
}

/// Checks the upload, then decodes it and runs `then` on the picture off the request threads.
pub async fn process<T: Send + 'static>(
    bytes: &[u8],
    rules: Rules,
    then: impl FnOnce(DynamicImage) -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    let format = check(bytes, rules)?;
    let _permit = DECODING.acquire().await.map_err(|e| AppError::Internal(e.to_string()))?;
    let bytes = bytes.to_vec();
    tokio::task::spawn_blocking(move || then(decode(&bytes, format, rules)?))
        .await
        .map_err(|e| AppError::Internal(format!("picture decoding stopped: {e}")))?
}

/// Decodes a checked upload, with the decoder's own limits set to the same canvas.
fn decode(bytes: &[u8], format: ImageFormat, rules: Rules) -> AppResult<DynamicImage> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    // Four bytes a pixel, and room for one conversion.
    limits.max_alloc = Some(rules.max_pixels * 4 * 2);
    reader.limits(limits);
    reader.decode().map_err(|_| AppError::field(rules.field, "could not be read as a picture"))
}

/// A picture re-encoded as PNG.
pub fn png(picture: &DynamicImage) -> AppResult<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    picture.write_to(&mut out, ImageFormat::Png).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG whose header declares `width`×`height` but whose data is one tiny row: what a
    /// decompression bomb looks like to the header reader.
    fn declared_png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        DynamicImage::new_rgb8(1, 1).write_to(&mut out, ImageFormat::Png).unwrap();
        let mut bytes = out.into_inner();
        // IHDR data starts at byte 16: width and height, big-endian; then fix its CRC.
        bytes[16..20].copy_from_slice(&width.to_be_bytes());
        bytes[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = qobe_domain::zip::crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        bytes
    }

    #[test]
    fn the_canvas_is_checked_from_the_header_before_decoding() {
        let bomb = declared_png(50_000, 50_000);
        assert!(bomb.len() < 200, "a bomb is tiny: {} bytes", bomb.len());
        match check(&bomb, PICTURE) {
            Err(AppError::Invalid(errors)) => {
                assert_eq!(errors.get("image"), Some("is 50000×50000 pixels; pictures may have at most 20 megapixels"))
            }
            other => panic!("a bomb must be refused: {other:?}"),
        }
        assert!(matches!(check(&declared_png(2001, 2000), LOGO), Err(AppError::Invalid(_))));
        assert!(matches!(check(&declared_png(2000, 2000), LOGO), Ok(ImageFormat::Png)));
    }

    #[test]
    fn only_png_and_jpeg_within_the_size_are_taken() {
        assert!(matches!(check(b"", PICTURE), Err(AppError::Invalid(_))));
        assert!(matches!(check(b"GIF89a....", PICTURE), Err(AppError::Invalid(_))));
        assert!(matches!(check(&vec![0u8; LOGO.max_bytes + 1], LOGO), Err(AppError::TooLarge(_))));
    }

    #[tokio::test]
    async fn a_picture_is_decoded_and_reencoded() {
        let mut out = Cursor::new(Vec::new());
        DynamicImage::new_rgb8(40, 30).write_to(&mut out, ImageFormat::Jpeg).unwrap();
        let png = process(&out.into_inner(), PICTURE, |picture| png(&picture.thumbnail(10, 10))).await.unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        let back = image::load_from_memory(&png).unwrap();
        assert_eq!((back.width(), back.height()), (10, 8));
    }
}
