//! File stores for tests: the S3-protocol server `.ci/run` starts (at `QOBE_TEST_S3_URL`).

use qobe_app::files::{FileStore, S3Settings};

/// A fresh bucket on the test S3 server, or `None` (the test skips) when none is configured
/// outside CI, where `QOBE_REQUIRE_ALL_TESTS` makes a missing server a failure.
pub async fn s3_store() -> Option<FileStore> {
    let Ok(endpoint) = std::env::var("QOBE_TEST_S3_URL") else {
        assert!(
            std::env::var("QOBE_REQUIRE_ALL_TESTS").is_err(),
            "QOBE_TEST_S3_URL is not set: start an S3-protocol server (.ci/run starts moto)"
        );
        eprintln!("skipped: set QOBE_TEST_S3_URL to an S3-protocol server");
        return None;
    };
    let bucket = format!("qobe-it-{}", &qobe_app::crypto::random_token()[..16]);
    // S3 creates a bucket with `PUT /bucket`; the test server takes it unsigned.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let created = reqwest::Client::new().put(format!("{endpoint}/{bucket}")).send().await.expect("create bucket");
    assert!(created.status().is_success(), "creating a bucket: {}", created.status());
    let settings = S3Settings {
        endpoint: Some(endpoint),
        bucket,
        region: "us-east-1".into(),
        access_key_id: "test".into(),
        secret_access_key: "test".into(),
    };
    Some(FileStore::s3(&settings).expect("s3 file store"))
}
