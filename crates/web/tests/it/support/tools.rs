//! External programs some tests need (a PDF reader, an API fuzzer, a spec validator): found on
//! `PATH`, or skipped with a notice where absent — unless CI requires every test to run.

use std::path::PathBuf;

/// Whether CI asked that nothing skip (`QOBE_REQUIRE_ALL_TESTS=1`); the one reading of it.
pub fn all_required() -> bool {
    std::env::var("QOBE_REQUIRE_ALL_TESTS").is_ok_and(|v| v == "1")
}

/// The program on `PATH`, or `None` (with a notice) when it is absent and skipping is allowed.
/// Only absence skips: a program that is there and fails fails its test.
pub fn tool(program: &str, installed_by: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| candidate.is_file()));
    match found.flatten() {
        Some(path) => Some(path),
        None => {
            assert!(
                !all_required(),
                "{program} is needed ({installed_by}) and QOBE_REQUIRE_ALL_TESTS=1 forbids skipping"
            );
            eprintln!("skipped: {program} is not installed ({installed_by})");
            None
        }
    }
}
