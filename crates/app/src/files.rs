//! Stored files: every file QOBE keeps (a picture, a logo, CQI evidence, a document, and later
//! course content and submissions) is a `files` record — institution, owner, kind, name, size,
//! content type read from the bytes, SHA-256 — with its bytes in the file store ([`FileStore`]:
//! a folder in the data folder, or an S3 bucket). Areas keep a file id, never bytes.
//!
//! Bytes go into the store before their record is written in the caller's transaction; a record
//! deleted in a transaction queues the deletion of its bytes in it, so they go only if it commits.

use std::ops::Range;

use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt};
use qobe_domain::ids::{FileId, InstitutionId, UserId};
use qobe_store::Conn;
use qobe_store::files::{self as rows, NewFile};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use qobe_files::{ByteStream, FileStore, S3Settings};
pub use qobe_store::files::StoredFile;

use crate::jobs::{self, Kind, Running};
use crate::{App, AppError, AppResult};

/// An entry of a download packed from several sources: text written on the spot, or a kept file.
pub enum Packed {
    Text(String),
    Stored(StoredFile),
}

/// What a file is for; its bytes are kept under a key that starts with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Picture,
    Logo,
    Evidence,
    Document,
    /// Course content: a file of a module, captions, a page's picture.
    Content,
    /// A student's file handed in for an assignment.
    Submission,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Picture => "picture",
            FileKind::Logo => "logo",
            FileKind::Evidence => "evidence",
            FileKind::Document => "document",
            FileKind::Content => "content",
            FileKind::Submission => "submission",
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

/// Room an institution has for files: the largest one file and what is left of its quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Storage {
    pub used: u64,
    pub quota: u64,
    pub per_file: u64,
}

const MB: u64 = 1024 * 1024;

impl Storage {
    pub fn left(&self) -> u64 {
        self.quota.saturating_sub(self.used)
    }

    /// Share of the quota used, in whole percent.
    pub fn percent_used(&self) -> u64 {
        (self.used.saturating_mul(100) / self.quota.max(1)).min(100)
    }

    /// Why a file of `size` bytes (or of at least that many, while it is still arriving) can't be
    /// kept, in words for the person uploading it.
    fn refusal(&self, size: u64) -> Option<String> {
        if size > self.per_file {
            Some(format!(
                "The file is larger than {}, the most one file may be. Make it smaller (a video at a lower resolution, a document as PDF) or share it as a link.",
                amount(self.per_file)
            ))
        } else if size > self.left() {
            Some(format!(
                "The institution's storage is full: {} of {} is used and this file needs {}. Delete files that are no longer needed, or ask your administrator for more space.",
                amount(self.used),
                amount(self.quota),
                amount(size)
            ))
        } else {
            None
        }
    }
}

/// A size as people read it: `820 KB`, `12.5 MB`, `2 GB`.
pub fn amount(bytes: u64) -> String {
    const KB: u64 = 1024;
    const GB: u64 = 1024 * MB;
    let tenths = |unit: u64| {
        let value = (bytes * 10 + unit / 2) / unit;
        if value.is_multiple_of(10) { format!("{}", value / 10) } else { format!("{}.{}", value / 10, value % 10) }
    };
    if bytes >= GB {
        format!("{} GB", tenths(GB))
    } else if bytes >= MB {
        format!("{} MB", tenths(MB))
    } else {
        format!("{} KB", bytes.div_ceil(KB))
    }
}

/// The institution's storage: its plan's quota and largest file unless the operator set others,
/// and what its files take.
pub async fn storage(app: &App, institution: InstitutionId) -> AppResult<Storage> {
    let conn = app.store.conn();
    let row = qobe_store::tenancy::get(conn, institution).await?.ok_or(AppError::NotFound)?;
    let plan = qobe_domain::tenancy::Plan::parse(&row.plan).unwrap_or(qobe_domain::tenancy::Plan::Trial);
    let megabytes = |set: Option<i64>, default: i64| u64::try_from(set.unwrap_or(default)).unwrap_or(0) * MB;
    Ok(Storage {
        used: u64::try_from(rows::usage(conn, institution).await?).unwrap_or(0),
        quota: megabytes(row.storage_quota_mb, plan.storage_quota_mb()),
        per_file: megabytes(row.max_file_mb, plan.max_file_mb()),
    })
}

/// A file received into the store, not yet recorded ([`record`]).
pub struct Received {
    key: String,
    pub name: String,
    pub content_type: &'static str,
    pub size: u64,
    sha256: String,
}

/// How many bytes are read before the content type is decided.
const SNIFFED: usize = 8192;

/// Streams an upload into the file store chunk by chunk (never whole in memory), refused as soon
/// as it passes the institution's room (`storage`): its content type read from its first bytes,
/// its SHA-256 taken on the way. An empty file is refused beside `field`.
pub async fn receive<S, E>(
    app: &App,
    room: Storage,
    kind: FileKind,
    field: &str,
    name: &str,
    mut chunks: S,
) -> AppResult<Received>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let key = format!("{}/{}", kind.as_str(), hex::encode(crate::crypto::random_bytes::<16>()));
    let mut writing = app.files.begin(&key).await?;
    let mut hasher = Sha256::new();
    let mut head = Vec::new();
    let mut size = 0u64;
    let failure = loop {
        let chunk = match chunks.next().await {
            None => break None,
            Some(Ok(chunk)) => chunk,
            Some(Err(err)) => break Some(AppError::field(field, format!("could not be read whole ({err})"))),
        };
        size += chunk.len() as u64;
        if let Some(message) = room.refusal(size) {
            break Some(AppError::TooLarge(message));
        }
        if head.len() < SNIFFED {
            head.extend_from_slice(&chunk[..chunk.len().min(SNIFFED - head.len())]);
        }
        hasher.update(&chunk);
        if let Err(err) = writing.write(chunk).await {
            break Some(err.into());
        }
    };
    let failure = failure.or_else(|| (size == 0).then(|| AppError::field(field, "choose a file that is not empty")));
    if let Some(err) = failure {
        writing.abort().await?;
        return Err(err);
    }
    writing.finish().await?;
    let content_type = qobe_files::content_type(&head, name);
    Ok(Received { key, name: name.to_owned(), content_type, size, sha256: hex::encode(hasher.finalize()) })
}

/// Deletes the bytes of a received file that will not be recorded (its form failed).
pub async fn drop_received(app: &App, received: Received) -> AppResult<()> {
    Ok(app.files.delete(&received.key).await?)
}

/// Records a received file through `conn` (the caller's transaction).
pub async fn record(
    conn: &impl Conn,
    app: &App,
    institution: InstitutionId,
    owner: UserId,
    kind: FileKind,
    received: &Received,
) -> AppResult<FileId> {
    let new = NewFile {
        institution: Some(institution),
        owner: Some(owner),
        kind: kind.as_str(),
        name: &received.name,
        content_type: received.content_type,
        size: i64::try_from(received.size).unwrap_or(i64::MAX),
        sha256: &received.sha256,
        storage_key: &received.key,
    };
    Ok(rows::insert(conn, new, app.now()).await?)
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
