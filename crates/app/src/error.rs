//! The one error type of the use-cases; the web layer maps each kind to a status code.

use qobe_domain::FieldErrors;
use qobe_store::StoreError;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not signed in (or the session ended).
    #[error("sign in to continue")]
    Unauthenticated,
    /// Signed in but not allowed. Resources of other institutions are `NotFound`, never this.
    #[error("you do not have permission to do that")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Input problems, by field.
    #[error("please correct the highlighted fields: {0}")]
    Invalid(FieldErrors),
    /// The request conflicts with the current state (duplicate, last admin, used token).
    #[error("{message}")]
    Conflict { field: Option<&'static str>, message: String },
    /// A request the rules refuse, with every reason in words the person understands.
    #[error("{}", .0.join(" "))]
    Refused(Vec<String>),
    #[error("{0}")]
    RateLimited(String),
    #[error("{0}")]
    TooLarge(String),
    /// Something the person owes before anything else opens: agreeing to changed terms, or
    /// setting up two-factor sign-in that their institution requires of staff.
    #[error("{}", .0.message())]
    Owed(Obligation),
    /// A plan limit was reached; the message says which and what to do.
    #[error("{0}")]
    PlanLimit(String),
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    /// A single-field validation error.
    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        AppError::Invalid(errors)
    }

    /// A single well-formed value that the institution's data or the rules refuse.
    pub fn refused_field(field: &str, message: impl Into<String>) -> AppError {
        let mut errors = FieldErrors::new();
        errors.refuse(field, message);
        AppError::Invalid(errors)
    }

    pub fn conflict(field: &'static str, message: impl Into<String>) -> AppError {
        AppError::Conflict { field: Some(field), message: message.into() }
    }

    /// The stable snake_case code clients can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Invalid(errors) if errors.only_refusals() => "refused",
            AppError::Invalid(_) => "invalid_input",
            AppError::Conflict { .. } => "conflict",
            AppError::Refused(_) => "refused",
            AppError::RateLimited(_) => "rate_limited",
            AppError::TooLarge(_) => "too_large",
            AppError::PlanLimit(_) => "plan_limit",
            AppError::Owed(Obligation::Consent) => "consent_required",
            AppError::Owed(Obligation::TwoFactorSetup) => "two_factor_setup_required",
            AppError::Internal(_) => "internal",
        }
    }
}

/// What a signed-in person must settle first; pages send them to it, the API refuses with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Obligation {
    Consent,
    TwoFactorSetup,
}

impl Obligation {
    /// The obligation of an actor, if any; the same gate for pages, cookie and token API calls.
    pub fn of(actor: &crate::Actor) -> Option<Obligation> {
        if actor.needs_consent {
            Some(Obligation::Consent)
        } else if actor.needs_two_factor_setup {
            Some(Obligation::TwoFactorSetup)
        } else {
            None
        }
    }

    /// The page that settles it.
    pub fn page(self) -> &'static str {
        match self {
            Obligation::Consent => "/consent",
            Obligation::TwoFactorSetup => "/security/two-factor",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Obligation::Consent => {
                "The terms of use or the privacy policy have changed: sign in on the web and agree to them first."
            }
            Obligation::TwoFactorSetup => {
                "Your institution requires two-factor sign-in for staff: sign in on the web and set it up first."
            }
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Duplicate(_) => AppError::Conflict { field: None, message: "that already exists".into() },
            StoreError::MissingReference(_) => AppError::NotFound,
            StoreError::Database(e) => AppError::Internal(e.to_string()),
        }
    }
}

/// A file store that fails, or lost bytes its record promises, is the server's fault.
impl From<qobe_files::FilesError> for AppError {
    fn from(err: qobe_files::FilesError) -> Self {
        AppError::Internal(err.to_string())
    }
}
