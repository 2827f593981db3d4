//! Form state for templates: what was typed and what is wrong with it, so a failed form comes
//! back filled in with each error beside its field.

mod submitted;

pub use submitted::Submitted;

use std::collections::HashMap;

use qobe_app::AppError;
use qobe_domain::FieldErrors;

#[derive(Debug, Clone, Default)]
pub struct FormState {
    values: HashMap<String, String>,
    pub errors: FieldErrors,
    /// A message about the whole form (a conflict, a rate limit).
    pub message: Option<String>,
    /// The status the refusal answers with (422 for bad input, 429 for a rate limit…).
    status: Option<axum::http::StatusCode>,
}

impl FormState {
    pub fn new() -> FormState {
        FormState::default()
    }

    /// Keeps the submitted values; passwords are never echoed back.
    pub fn with_values<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> FormState {
        let values = pairs
            .into_iter()
            .filter(|(k, _)| !k.contains("password") && *k != "csrf_token")
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        FormState { values, ..FormState::default() }
    }

    /// [`FormState::with_values`] of a form read as its list of name–value pairs.
    pub fn from_pairs(pairs: &[(String, String)]) -> FormState {
        FormState::with_values(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// A form filled in with an input's fields (an edit form showing what is stored).
    pub fn of<T: serde::Serialize>(input: &T) -> FormState {
        let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(input) else { return FormState::new() };
        let text = |value: &serde_json::Value| match value {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Null => String::new(),
            serde_json::Value::Bool(yes) => {
                if *yes {
                    "on".into()
                } else {
                    String::new()
                }
            }
            other => other.to_string(),
        };
        let values: Vec<(String, String)> = fields.iter().map(|(key, value)| (key.clone(), text(value))).collect();
        FormState::with_values(values.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    pub fn set(mut self, key: &str, value: &str) -> FormState {
        self.values.insert(key.to_owned(), value.to_owned());
        self
    }

    pub fn value(&self, key: &str) -> &str {
        self.typed(key).unwrap_or("")
    }

    /// What was typed into `key`, if the form had that field.
    pub fn typed(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    pub fn checked(&self, key: &str) -> bool {
        matches!(self.value(key), "on" | "true" | "1" | "yes")
    }

    /// Whether anything about the form needs the user's attention (to open a folded form).
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.message.is_some()
    }

    /// The status of the refusal this form shows (422 when it was not refused by an error).
    pub fn status(&self) -> axum::http::StatusCode {
        self.status.unwrap_or(axum::http::StatusCode::UNPROCESSABLE_ENTITY)
    }

    pub fn error(&self, key: &str) -> Option<&str> {
        self.errors.get(key)
    }

    /// Turns a use-case error into form feedback when it is about the input; other errors are
    /// handed back for the generic error page.
    pub fn absorb(mut self, err: AppError) -> Result<FormState, AppError> {
        self.status = Some(crate::error::status_of(&err));
        match err {
            AppError::Invalid(errors) => self.errors = errors,
            AppError::Conflict { field: Some(field), message } => self.errors.add(field, message),
            AppError::Conflict { field: None, message }
            | AppError::RateLimited(message)
            | AppError::PlanLimit(message)
            | AppError::TooLarge(message) => self.message = Some(message),
            AppError::Refused(reasons) => self.message = Some(reasons.join(" ")),
            other => return Err(other),
        }
        Ok(self)
    }
}

/// A query or form number that may be left empty (`?term=` means no term): read as text, so it
/// also works inside `#[serde(flatten)]`, where every value arrives as a string.
pub fn optional_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
{
    use serde::Deserialize;
    let text: Option<String> = Option::deserialize(deserializer)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => {
            value.parse().map(Some).map_err(|_| serde::de::Error::custom(format!("{value:?} is not a number")))
        }
    }
}

/// The one edit form of a list (a faculty, an assessment, an item…) that came back with what
/// was typed and its errors, so the page reopens that form and no other.
#[derive(Debug, Clone, Default)]
pub struct Editing(Option<(&'static str, i64, FormState)>);

impl Editing {
    pub fn none() -> Editing {
        Editing(None)
    }

    pub fn of(kind: &'static str, id: i64, form: FormState) -> Editing {
        Editing(Some((kind, id, form)))
    }

    /// The failed edit of `kind` `id`, if that is the one.
    pub fn form(&self, kind: &str, id: &i64) -> Option<&FormState> {
        self.0.as_ref().filter(|(k, i, _)| *k == kind && i == id).map(|(_, _, form)| form)
    }

    pub fn is_open(&self, kind: &str, id: &i64) -> bool {
        self.form(kind, id).is_some()
    }

    /// What an edit field shows: what was typed, after a failed edit, else the stored value.
    pub fn value(&self, kind: &str, id: &i64, field: &str, stored: &str) -> String {
        self.form(kind, id).and_then(|form| form.typed(field)).unwrap_or(stored).to_owned()
    }

    pub fn error(&self, kind: &str, id: &i64, field: &str) -> Option<String> {
        self.form(kind, id).and_then(|form| form.error(field)).map(str::to_owned)
    }

    /// The message about the whole edit form (a refusal), if any.
    pub fn message(&self, kind: &str, id: &i64) -> Option<String> {
        self.form(kind, id).and_then(|form| form.message.clone())
    }
}
