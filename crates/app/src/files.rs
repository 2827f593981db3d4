//! Stored files: every file QOBE keeps (a picture, a logo, CQI evidence, a document, and later
//! course content and submissions) is a `files` record — institution, owner, kind, name, size,
//! content type read from the bytes, SHA-256 — with its bytes in the file store ([`FileStore`]:
//! a folder in the data folder, or an S3 bucket). Areas keep a file id, never bytes.
//!
//! Bytes go into the store before their record is written in the caller's transaction; a record
//! deleted in a transaction queues the deletion of its bytes in it, so they go only if it commits.

use std::ops::Range;

use bytes::Bytes;
use futures_util::stream::{self, StreamExt};
use qobe_domain::ids::{FileId, InstitutionId, UserId};
use qobe_store::Conn;
use qobe_store::files::{self as rows, NewFile};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use qobe_files::{ByteStream, FileStore, S3Settings};
pub use qobe_store::files::StoredFile;

use crate::jobs::{self, Kind, Running};
use crate::{App, AppError, AppResult};

/// What a file is for; its bytes are kept under a key that starts with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Picture,
    Logo,
    Evidence,
    Document,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Picture => "picture",
            FileKind::Logo => "logo",
            FileKind::Evidence => "evidence",
            FileKind::Document => "document",
        }
    }
}

/// A file to keep.
pub struct NewUpload<'a> {
    pub institution: Option<InstitutionId>,
    pub owner: Option<UserId>,
    pub kind: FileKind,
    pub name: &'a str,
    pub bytes: Vec<u8>,
}

/// What a file's record says of its bytes: the content type read from them and their SHA-256.
fn described(bytes: &[u8], name: &str) -> (&'static str, String) {
    (qobe_files::content_type(bytes, name), hex::encode(Sha256::digest(bytes)))
}

/// Puts the bytes in the file store and records them through `conn` (the caller's transaction).
pub async fn keep(conn: &impl Conn, app: &App, upload: NewUpload<'_>) -> AppResult<FileId> {
    let (content_type, sha256) = described(&upload.bytes, upload.name);
    let size = upload.bytes.len() as i64;
    let key = format!("{}/{}", upload.kind.as_str(), hex::encode(crate::crypto::random_bytes::<16>()));
    app.files.put(&key, upload.bytes).await?;
    let new = NewFile {
        institution: upload.institution,
        owner: upload.owner,
        kind: upload.kind.as_str(),
        name: upload.name,
        content_type,
        size,
        sha256: &sha256,
        storage_key: &key,
    };
    Ok(rows::insert(conn, new, app.now()).await?)
}

#[derive(Serialize, Deserialize)]
struct DeleteBytes {
    key: String,
}

/// Deletes the record through `conn`; its bytes are deleted by a job once that commits.
pub async fn discard(conn: &impl Conn, app: &App, institution: Option<InstitutionId>, id: FileId) -> AppResult<()> {
    if let Some(key) = rows::delete(conn, institution, id).await? {
        jobs::enqueue(conn, app, institution, Kind::DeleteFile, &DeleteBytes { key }).await?;
    }
    Ok(())
}

pub(crate) async fn delete_bytes(app: &App, job: &Running) -> AppResult<()> {
    let task: DeleteBytes = job.payload()?;
    Ok(app.files.delete(&task.key).await?)
}

/// The record of a file of the institution (or of no institution, for `None`).
pub async fn find(app: &App, institution: Option<InstitutionId>, id: FileId) -> AppResult<StoredFile> {
    rows::get(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)
}

/// The whole file, in memory: only for small files the server itself uses (a logo in a PDF).
pub async fn read(app: &App, file: &StoredFile) -> AppResult<Vec<u8>> {
    match &file.pending {
        Some(bytes) => Ok(bytes.clone()),
        None => Ok(app.files.read(&file.storage_key).await?),
    }
}

/// The bytes `range` of the file (all of it for `None`), streamed from the file store.
pub async fn stream(app: &App, file: &StoredFile, range: Option<Range<u64>>) -> AppResult<ByteStream> {
    if let Some(bytes) = &file.pending {
        let whole = Bytes::from(bytes.clone());
        let part = match range {
            Some(r) => whole.slice(r.start as usize..r.end.min(whole.len() as u64) as usize),
            None => whole,
        };
        return Ok(stream::once(async move { Ok(part) }).boxed());
    }
    Ok(app.files.stream(&file.storage_key, range).await?)
}

/// Bytes no record names are kept this long before the sweep deletes them: longer than any
/// upload's transaction, so bytes whose record is about to be written are never taken.
pub const UNOWNED_KEPT: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Deletes bytes no file record names, written more than [`UNOWNED_KEPT`] ago: what an upload
/// whose transaction rolled back (or whose process died) left behind. Returns how many.
pub(crate) async fn sweep(app: &App) -> AppResult<usize> {
    let cutoff = std::time::SystemTime::from(app.now()) - UNOWNED_KEPT;
    let keys = app.files.keys_written_before(cutoff).await?;
    let mut deleted = 0;
    for chunk in keys.chunks(500) {
        let known = rows::known_keys(app.store.conn(), chunk).await?;
        for key in chunk.iter().filter(|k| !known.contains(k)) {
            app.files.delete(key).await?;
            deleted += 1;
        }
    }
    tracing::info!(deleted, "stored bytes no file names deleted");
    Ok(deleted)
}

/// How many files are settled per transaction.
const SETTLE_BATCH: u64 = 20;

/// Moves bytes left in the database by the file-store migration into the file store, a batch
/// at a time: content type read from the bytes, checksum taken, then `pending` emptied.
pub(crate) async fn settle(app: &App, job: &Running) -> AppResult<()> {
    let conn = app.store.conn();
    let total = rows::pending_count(conn).await?.max(1);
    let mut done = 0u64;
    loop {
        let batch = rows::pending(conn, SETTLE_BATCH).await?;
        if batch.is_empty() {
            return Ok(());
        }
        for file in batch {
            let bytes = file.pending.unwrap_or_default();
            let (content_type, sha256) = described(&bytes, &file.name);
            app.files.put(&file.storage_key, bytes).await?;
            rows::settled(conn, FileId(file.id), content_type, &sha256).await?;
            done += 1;
        }
        job.progress((done * 100 / total).min(99) as i64, "Moving stored files into the file store").await?;
    }
}
