//! The file store on both of its back ends: a folder, and a real S3-protocol server (the one
//! `.ci/run` starts, at `QOBE_TEST_S3_URL`). The same checks run on each.

#![expect(clippy::expect_used, reason = "test helpers fail the test loudly")]
use futures_util::TryStreamExt;
use qobe_files::{FileStore, FilesError, S3Settings};

async fn collect(store: &FileStore, key: &str, range: Option<std::ops::Range<u64>>) -> Vec<u8> {
    let chunks: Vec<_> = store.stream(key, range).await.expect("stream").try_collect().await.expect("chunks");
    chunks.concat()
}

/// A file of `len` bytes that differ from their neighbours, so a shifted range shows.
fn numbered(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

async fn exercise(store: FileStore) {
    let big = numbered(3 * 1024 * 1024 + 17);
    store.put("pictures/a1", big.clone()).await.expect("put");
    assert!(store.exists("pictures/a1").await.expect("head"));

    assert_eq!(store.read("pictures/a1").await.expect("read"), big);
    assert_eq!(collect(&store, "pictures/a1", None).await, big);
    assert_eq!(collect(&store, "pictures/a1", Some(10..20)).await, big[10..20]);
    let tail = big.len() as u64 - 5..big.len() as u64;
    assert_eq!(collect(&store, "pictures/a1", Some(tail)).await, big[big.len() - 5..]);

    // Replacing keeps only the new bytes.
    store.put("pictures/a1", b"second".to_vec()).await.expect("replace");
    assert_eq!(store.read("pictures/a1").await.expect("read"), b"second");

    store.delete("pictures/a1").await.expect("delete");
    assert!(!store.exists("pictures/a1").await.expect("head"));
    assert!(matches!(store.read("pictures/a1").await, Err(FilesError::NotFound(_))));
    assert!(matches!(store.stream("pictures/a1", None).await, Err(FilesError::NotFound(_))));
    store.delete("pictures/a1").await.expect("deleting what is gone is not an error");

    // Written part by part in uneven pieces, across more than two 5 MiB parts.
    let long = numbered(12 * 1024 * 1024 + 5);
    let mut writing = store.begin("content/long").await.expect("begin");
    for piece in long.chunks(700_001) {
        writing.write(bytes::Bytes::copy_from_slice(piece)).await.expect("write");
    }
    assert!(!store.exists("content/long").await.expect("head"), "nothing is stored before it is finished");
    writing.finish().await.expect("finish");
    assert_eq!(store.read("content/long").await.expect("read"), long);
    let middle = 5 * 1024 * 1024 - 3..5 * 1024 * 1024 + 3;
    assert_eq!(collect(&store, "content/long", Some(middle)).await, long[5 * 1024 * 1024 - 3..5 * 1024 * 1024 + 3]);

    let mut dropped = store.begin("content/dropped").await.expect("begin");
    dropped.write(bytes::Bytes::from_static(b"half an upload")).await.expect("write");
    dropped.abort().await.expect("abort");
    assert!(!store.exists("content/dropped").await.expect("head"), "an aborted upload leaves nothing");
}

#[tokio::test]
async fn a_folder_keeps_streams_ranges_and_deletes_files() {
    let dir = std::env::temp_dir().join(format!("qobe-files-{}", std::process::id()));
    exercise(FileStore::folder(&dir).expect("folder")).await;
    let _ = std::fs::remove_dir_all(dir);
}

/// A new bucket on the test S3 server. S3 creates a bucket with `PUT /bucket`; the test server
/// takes it unsigned.
async fn fresh_bucket(endpoint: &str) -> String {
    let bucket =
        format!("qobe-test-{}-{}", std::process::id(), std::time::UNIX_EPOCH.elapsed().unwrap_or_default().as_nanos());
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let created = client.put(format!("{endpoint}/{bucket}")).send().await.expect("create bucket");
    assert!(created.status().is_success(), "creating a bucket: {}", created.status());
    bucket
}

#[tokio::test]
async fn an_s3_bucket_keeps_streams_ranges_and_deletes_files() {
    let Ok(endpoint) = std::env::var("QOBE_TEST_S3_URL") else {
        assert!(
            std::env::var("QOBE_REQUIRE_ALL_TESTS").is_err(),
            "QOBE_TEST_S3_URL is not set: start an S3-protocol server (.ci/run starts moto)"
        );
        eprintln!("skipped: set QOBE_TEST_S3_URL to an S3-protocol server");
        return;
    };
    let bucket = fresh_bucket(&endpoint).await;
    let settings = S3Settings {
        endpoint: Some(endpoint),
        bucket,
        region: "us-east-1".into(),
        access_key_id: "test".into(),
        secret_access_key: "test-secret".into(),
    };
    assert!(!format!("{settings:?}").contains("test-secret"), "the secret stays out of Debug");
    exercise(FileStore::s3(&settings).expect("s3")).await;
}
