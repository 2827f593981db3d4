//! The API against its own document: the served OpenAPI document is valid (an independent
//! validator reads it), and schemathesis — every check, with a signed-in token, on a demo
//! institution — finds no server error, no undocumented status or content type, no valid
//! request refused and no invalid request accepted.

use std::process::Command;

use crate::support::TestApp;
use crate::support::tools::tool;

/// Serves the app on a local port and returns its base address.
async fn serve(t: &TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = t.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

/// Runs a program off the async threads and returns whether it succeeded, with its output.
async fn run(mut command: Command) -> (bool, String) {
    tokio::task::spawn_blocking(move || {
        let out = command.output().expect("the program starts");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.success(), text)
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn the_served_document_is_a_valid_openapi_document() {
    let Some(validator) = tool("openapi-spec-validator", "pip install openapi-spec-validator") else { return };
    let t = TestApp::new().await;
    let document = t.client().get("/api/openapi.json").await;
    assert_eq!(document.status, 200);
    let file = std::env::temp_dir().join(format!("qobe-openapi-{}.json", std::process::id()));
    std::fs::write(&file, &document.bytes).unwrap();
    let mut command = Command::new(validator);
    command.arg(&file);
    let (ok, output) = run(command).await;
    let _ = std::fs::remove_file(&file);
    assert!(ok, "openapi-spec-validator refused the document:\n{output}");

    // Every path parameter appears in its path template, and query parameters are not in the path.
    let spec = document.json();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap();
                let placeholder = format!("{{{name}}}");
                match parameter["in"].as_str().unwrap() {
                    "path" => assert!(
                        path.contains(&placeholder),
                        "{method} {path}: path parameter {name} is not in the path"
                    ),
                    "query" => {
                        assert!(!path.contains(&placeholder), "{method} {path}: {name} is in the path and the query")
                    }
                    other => panic!("{method} {path}: unexpected parameter location {other}"),
                }
            }
        }
    }
}

#[tokio::test]
async fn schemathesis_finds_nothing_with_every_check() {
    let Some(schemathesis) = tool("schemathesis", "pip install schemathesis") else { return };
    let t = TestApp::new().await;
    let (_, mut admin) = t.demo_admin().await;
    let token = admin.api_token().await;
    assert!(token.starts_with("qobe_"), "a token: {token}");
    let base = serve(&t).await;

    let mut command = Command::new(schemathesis);
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/schemathesis.toml");
    command
        .args(["--config-file", config, "run", &format!("{base}/api/openapi.json")])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        // One worker: with several threads, Python 3.11's `ast` (which hypothesis uses to describe
        // its strategies) can fail with "AST constructor recursion depth mismatch"
        // (python/cpython#106905), an error in the tool and not in the API.
        .args(["--checks", "all", "--workers", "1", "--no-color"])
        .args(["--max-examples", &std::env::var("QOBE_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "40".into())])
        .args(["--seed", &std::env::var("QOBE_SCHEMATHESIS_SEED").unwrap_or_else(|_| "20261201".into())])
        .env("SCHEMATHESIS_HOOKS", "")
        .current_dir(std::env::temp_dir());
    let (ok, output) = run(command).await;
    assert!(ok, "schemathesis found problems:\n{output}");

    // It tested every operation of the document, with every case passing.
    let spec = t.client().get("/api/openapi.json").await.json();
    let operations: usize =
        spec["paths"].as_object().unwrap().values().map(|item| item.as_object().unwrap().len()).sum();
    assert!(output.contains(&format!("Tested: {operations}")), "all {operations} operations tested:\n{output}");
    let counts = output.lines().find(|l| l.contains(" generated, ")).unwrap_or_else(|| panic!("no summary:\n{output}"));
    let number = |word: &str| -> usize {
        let before = counts.split(word).next().unwrap_or("");
        before.rsplit(|c: char| !c.is_ascii_digit()).find(|s| !s.is_empty()).unwrap_or("0").parse().unwrap()
    };
    let (generated, passed) = (number(" generated"), number(" passed"));
    assert!(generated >= 500, "a real run, not a handful of cases: {counts}");
    assert_eq!(passed, generated, "{counts}");
}
