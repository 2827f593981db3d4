//! Starting (and reliably cleaning up) the Chromium process.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::oneshot;

use crate::BrowserError;

/// Default location of Debian's `chromium` package.
const DEFAULT_BINARY: &str = "/usr/bin/chromium";
/// Overrides the binary path.
const BINARY_ENV: &str = "QOBE_CHROMIUM";
/// When `1`, a missing browser is an error instead of a skipped test.
const REQUIRE_ENV: &str = "QOBE_REQUIRE_ALL_TESTS";
/// Prefix of the stderr line that announces the websocket endpoint.
const LISTENING: &str = "DevTools listening on ";
/// How many trailing stderr lines to quote when start-up fails.
const STDERR_TAIL: usize = 20;

/// The Chromium binary to use, or the reason it is unavailable.
pub(crate) enum Binary {
    Found(PathBuf),
    Missing { notice: String, required: bool },
}

/// Resolves `$QOBE_CHROMIUM` or `/usr/bin/chromium`.
pub(crate) fn find_binary() -> Binary {
    let path = std::env::var_os(BINARY_ENV).map_or_else(|| PathBuf::from(DEFAULT_BINARY), PathBuf::from);
    if path.is_file() {
        return Binary::Found(path);
    }
    Binary::Missing {
        notice: format!(
            "chromium not found at {} (install Debian's `chromium` package or set ${BINARY_ENV}); \
             browser tests skipped",
            path.display()
        ),
        required: std::env::var(REQUIRE_ENV).is_ok_and(|v| v == "1"),
    }
}

/// A fresh `--user-data-dir`, removed (best effort) on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    /// Creates a new, empty, uniquely named directory under the system temp dir.
    pub fn new(prefix: &str) -> Result<Self, BrowserError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let name = format!("{prefix}-{}-{nanos}-{n}", std::process::id());
            let path = std::env::temp_dir().join(name);
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Self(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(BrowserError::io(format!("creating {}", path.display()), e)),
            }
        }
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Chromium helpers may still be flushing files for a moment after the kill.
        for _ in 0..5 {
            if std::fs::remove_dir_all(&self.0).is_ok() || !self.0.exists() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The running Chromium process; killed and reaped on drop.
pub(crate) struct Process {
    child: Child,
}

impl Drop for Process {
    fn drop(&mut self) {
        // Errors mean it already exited; either way reap it so no zombie remains.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Spawns Chromium and returns it together with its browser websocket URL.
pub(crate) async fn spawn(binary: &Path, profile: &Path, timeout: Duration) -> Result<(Process, String), BrowserError> {
    let mut child = Command::new(binary)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-port=0",
            "--window-size=1280,900",
            "about:blank",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| BrowserError::Launch(format!("spawning {}: {e}", binary.display())))?;
    let stderr = child.stderr.take().ok_or_else(|| BrowserError::Launch("no stderr pipe".into()))?;
    // Own the child right away so every early return below kills it.
    let process = Process { child };
    let (tx, rx) = oneshot::channel();
    std::thread::Builder::new()
        .name("chromium-stderr".into())
        .spawn(move || watch_stderr(stderr, tx))
        .map_err(|e| BrowserError::io("spawning stderr reader thread", e))?;
    let url = tokio::time::timeout(timeout, rx)
        .await
        .map_err(|_| BrowserError::Timeout("chromium's \"DevTools listening on\" line".into()))?
        .map_err(|_| BrowserError::Launch("stderr reader thread died".into()))?
        .map_err(BrowserError::Launch)?;
    Ok((process, url))
}

/// Reports the websocket URL (or, if Chromium exits first, its last stderr lines),
/// then keeps draining stderr so Chromium never blocks on a full pipe.
fn watch_stderr(stderr: ChildStderr, tx: oneshot::Sender<Result<String, String>>) {
    let mut tx = Some(tx);
    let mut tail: Vec<String> = Vec::new();
    for line in BufReader::new(stderr).lines() {
        let Ok(line) = line else { break };
        let Some(sender) = tx.take() else { continue };
        match line.split_once(LISTENING) {
            Some((_, url)) => {
                let _ = sender.send(Ok(url.trim().to_owned()));
            }
            None => {
                tx = Some(sender);
                if tail.len() == STDERR_TAIL {
                    tail.remove(0);
                }
                tail.push(line);
            }
        }
    }
    if let Some(sender) = tx {
        let _ = sender.send(Err(format!(
            "chromium exited before announcing its DevTools endpoint; stderr:\n{}",
            tail.join("\n")
        )));
    }
}
