//! Settings the use-cases depend on; the binary fills them from defaults, a file and `QOBE_*`.

/// Application settings. Holds no secrets that could be logged by `Debug`.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Base URL used in emailed links, e.g. `https://qobe.example.edu`.
    pub public_url: String,
    /// Whether anyone may sign up a new institution on the trial plan.
    pub public_signup: bool,
    /// Argon2id memory cost in KiB (OWASP: 19 MiB). Tests lower it to keep the suite fast.
    pub argon2_memory_kib: u32,
    /// Sessions expire after this long without a request.
    pub session_idle_hours: i64,
    /// Failed sign-ins in a row that lock an account, and for how long.
    pub lockout_threshold: i64,
    pub lockout_minutes: i64,
    /// Failed sign-ins from one address within the window that trigger the rate limit.
    pub ip_failure_limit: u64,
    pub ip_window_minutes: i64,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            public_url: "http://127.0.0.1:8080".to_owned(),
            public_signup: true,
            argon2_memory_kib: 19 * 1024,
            session_idle_hours: 12,
            lockout_threshold: 5,
            lockout_minutes: 15,
            ip_failure_limit: 30,
            ip_window_minutes: 15,
        }
    }
}
