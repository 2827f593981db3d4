//! Where QOBE keeps the bytes of stored files (pictures, logos, evidence, documents, and later
//! course content and submissions): a folder in the data folder by default, any S3-compatible
//! store when one is configured. The database keeps what a file is (the `files` record); this
//! crate only puts, streams and deletes bytes under a key, through the `object_store` crate.

mod sniff;

use std::fmt;
use std::ops::Range;
use std::path::Path as FsPath;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};

pub use sniff::content_type;

#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("no stored file under {0}")]
    NotFound(String),
    #[error("file store: {0}")]
    Storage(String),
}

impl From<object_store::Error> for FilesError {
    fn from(err: object_store::Error) -> Self {
        match err {
            object_store::Error::NotFound { path, .. } => FilesError::NotFound(path),
            other => FilesError::Storage(other.to_string()),
        }
    }
}

/// An S3-compatible store: AWS itself, MinIO, Ceph, Garage, …
#[derive(Clone)]
pub struct S3Settings {
    /// `https://s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:9000`, …; `None` for AWS's own.
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

/// The secret stays out of logs.
impl fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Settings")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// The bytes behind stored files, by key. Cheap to clone.
#[derive(Clone)]
pub struct FileStore {
    objects: Arc<dyn ObjectStore>,
    place: String,
}

impl fmt::Debug for FileStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.place)
    }
}

/// Bytes are sent to the store in parts of this size (S3's smallest part but the last is 5 MiB).
const PART_SIZE: usize = 5 * 1024 * 1024;

/// At most this many parts are on their way at once: what a writer holds is about this many parts.
const PARTS_IN_FLIGHT: usize = 2;

/// A file being written part by part ([`FileStore::begin`]): nothing is stored under its key
/// until [`Writing::finish`]; [`Writing::abort`] leaves nothing behind.
pub struct Writing {
    parts: WriteMultipart,
}

impl Writing {
    /// Adds the next bytes, waiting while the parts already sent are on their way.
    pub async fn write(&mut self, bytes: Bytes) -> Result<(), FilesError> {
        self.parts.wait_for_capacity(PARTS_IN_FLIGHT).await?;
        self.parts.put(bytes);
        Ok(())
    }

    /// Stores what was written under the key.
    pub async fn finish(self) -> Result<(), FilesError> {
        self.parts.finish().await?;
        Ok(())
    }

    /// Drops what was written.
    pub async fn abort(self) -> Result<(), FilesError> {
        Ok(self.parts.abort().await?)
    }
}

/// Part of a file on its way out, chunk by chunk: never the whole file in memory.
pub type ByteStream = BoxStream<'static, Result<Bytes, FilesError>>;

impl FileStore {
    /// Files kept under `folder` (created if missing).
    pub fn folder(folder: &FsPath) -> Result<FileStore, FilesError> {
        std::fs::create_dir_all(folder)
            .map_err(|err| FilesError::Storage(format!("creating {}: {err}", folder.display())))?;
        let objects = LocalFileSystem::new_with_prefix(folder)?;
        Ok(FileStore { objects: Arc::new(objects), place: format!("the folder {}", folder.display()) })
    }

    /// Files kept in a bucket of an S3-compatible store.
    pub fn s3(settings: &S3Settings) -> Result<FileStore, FilesError> {
        // The HTTP client's TLS uses the process's rustls provider: ring, as the web server.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(&settings.secret_access_key);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"))
                .with_virtual_hosted_style_request(false);
        }
        let place = match &settings.endpoint {
            Some(endpoint) => format!("the bucket {} at {endpoint}", settings.bucket),
            None => format!("the S3 bucket {}", settings.bucket),
        };
        Ok(FileStore { objects: Arc::new(builder.build()?), place })
    }

    /// Where the bytes are kept, for the start-up message.
    pub fn place(&self) -> &str {
        &self.place
    }

    /// Stores `bytes` under `key`, replacing what was there.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), FilesError> {
        self.objects.put(&Path::from(key), PutPayload::from(bytes)).await?;
        Ok(())
    }

    /// Begins writing a file under `key` part by part, for uploads too large to hold in memory.
    pub async fn begin(&self, key: &str) -> Result<Writing, FilesError> {
        let upload = self.objects.put_multipart(&Path::from(key)).await?;
        Ok(Writing { parts: WriteMultipart::new_with_chunk_size(upload, PART_SIZE) })
    }

    /// The whole file, for the few places that need it in memory (a logo typeset into a PDF).
    pub async fn read(&self, key: &str) -> Result<Vec<u8>, FilesError> {
        Ok(self.objects.get(&Path::from(key)).await?.bytes().await?.to_vec())
    }

    /// The bytes `range` of the file (all of it when `None`), as a stream.
    pub async fn stream(&self, key: &str, range: Option<Range<u64>>) -> Result<ByteStream, FilesError> {
        let options = GetOptions { range: range.map(GetRange::Bounded), ..GetOptions::default() };
        let found = self.objects.get_opts(&Path::from(key), options).await?;
        Ok(found.into_stream().map(|chunk| chunk.map_err(FilesError::from)).boxed())
    }

    /// Removes the file; a file already gone is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), FilesError> {
        match self.objects.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(err.into()),
        }
    }

    /// Keys of the files last written before `before`, every one in the store.
    pub async fn keys_written_before(&self, before: std::time::SystemTime) -> Result<Vec<String>, FilesError> {
        let mut listing = self.objects.list(None);
        let mut keys = Vec::new();
        while let Some(object) = listing.next().await {
            let object = object?;
            if std::time::SystemTime::from(object.last_modified) < before {
                keys.push(object.location.to_string());
            }
        }
        Ok(keys)
    }

    /// Whether a file is stored under `key`.
    pub async fn exists(&self, key: &str) -> Result<bool, FilesError> {
        match self.objects.head(&Path::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(err) => Err(err.into()),
        }
    }
}
