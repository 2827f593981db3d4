//! Field-level validation errors shared by every form and import.

use serde::Serialize;

/// One problem with one named input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    /// The value is well formed, but the institution's data or the rules refuse it (an unknown
    /// code, dates out of order): a conflict with the current state, not bad input. The API
    /// answers 409 when every error of a submission is one.
    #[serde(skip)]
    pub refusal: bool,
}

/// All problems found in one submission, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// A value not of the expected shape (missing, too long, not a number…).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.to_owned(), message: message.into(), refusal: false });
    }

    /// A well-formed value that the institution's data or the rules refuse (see [`FieldError`]).
    pub fn refuse(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.to_owned(), message: message.into(), refusal: true });
    }

    /// Every problem is a refusal, none a malformed value.
    pub fn only_refusals(&self) -> bool {
        !self.0.is_empty() && self.0.iter().all(|e| e.refusal)
    }

    /// Records the error of `result` under `field` and returns its value, if any.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    /// Records every error of a part checked on its own and returns its value, if any.
    pub fn take<T>(&mut self, result: Result<T, FieldErrors>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(errors) => {
                self.0.extend(errors.0);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first message for `field`, for showing beside that input.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// `Ok(())` when nothing was recorded, the errors otherwise.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        f.write_str(&parts.join("; "))
    }
}

/// Refuses control characters (NUL, escape, backspace…) that no one types on purpose and some
/// databases cannot store; tabs and line breaks are text.
pub fn no_control_characters(value: &str) -> Result<(), String> {
    match value.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        Some(c) => Err(format!("must not contain control characters (found U+{:04X})", u32::from(c))),
        None => Ok(()),
    }
}

/// Control characters refused in text (all of Unicode's Cc but tab, line feed and carriage
/// return), as a regular-expression class body.
const CONTROL: &str = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F";
/// What `str::trim` takes away (Unicode's White_Space), as a class body.
pub const WHITESPACE: &str = r"\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// [`required_text`]'s rule as a pattern (with `maxLength` for its length): no control
/// characters, and something that is not whitespace. Spelled out with explicit classes so
/// ECMA-262 and Python read it alike (their `\s` differ).
pub fn required_text_pattern() -> String {
    format!("^[^{CONTROL}]*[^{WHITESPACE}\\u0000-\\u001F\\u007F-\\u009F][^{CONTROL}]*$")
}

/// [`optional_text`]'s rule as a pattern: no control characters.
pub fn optional_text_pattern() -> String {
    format!("^[^{CONTROL}]*$")
}

/// A code that names a record to people (a course's `EE-201`, a term's `2026FA`, a CLO's
/// `CLO1`): required text of at most 20 characters, kept in upper case so `ee-201` is `EE-201`.
pub fn code(value: &str) -> Result<String, String> {
    required_text(value, 20).map(|c| c.to_uppercase())
}

/// Checks `value` as sent (at most `max` characters, no control characters), then trims it and
/// checks something is left. The API document states the same rules as a pattern and a length.
pub fn required_text(value: &str, max: usize) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("is required".into());
    }
    if value.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    no_control_characters(value)?;
    Ok(trimmed.to_owned())
}

/// As [`required_text`], but empty (or blank) becomes `None`.
pub fn optional_text(value: &str, max: usize) -> Result<Option<String>, String> {
    if value.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    no_control_characters(value)?;
    let trimmed = value.trim();
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_limits() {
        assert_eq!(required_text("  Ada ", 10), Ok("Ada".to_owned()));
        assert!(required_text("   ", 10).is_err());
        assert!(required_text("abcdef", 5).is_err());
    }

    #[test]
    fn control_characters_are_refused_and_line_breaks_are_not() {
        assert_eq!(required_text("a\u{0}b", 10), Err("must not contain control characters (found U+0000)".to_owned()));
        assert_eq!(
            optional_text("x\u{1b}[2J", 10),
            Err("must not contain control characters (found U+001B)".to_owned())
        );
        assert!(required_text("\u{7f}", 10).is_err());
        assert_eq!(required_text("line one\nline two\tend", 40), Ok("line one\nline two\tend".to_owned()));
        assert_eq!(
            crate::accounts::Email::parse("a\u{0}b@uni.edu").map(|e| e.as_str().to_owned()),
            Err("must be an email address like name@university.edu".to_owned())
        );
    }

    #[test]
    fn field_errors_report_by_field() {
        let mut errors = FieldErrors::new();
        errors.add("email", "is required");
        assert_eq!(errors.get("email"), Some("is required"));
        assert_eq!(errors.get("name"), None);
        assert!(errors.into_result().is_err());
    }
}
