//! Field-level validation errors shared by every form and import.

use serde::Serialize;

/// One problem with one named input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// All problems found in one submission, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.to_owned(), message: message.into() });
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

/// Trims `value` and checks it is non-empty, at most `max` characters and free of control
/// characters.
pub fn required_text(value: &str, max: usize) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("is required".into());
    }
    if trimmed.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    no_control_characters(trimmed)?;
    Ok(trimmed.to_owned())
}

/// Trims `value`; empty becomes `None`; longer than `max` or control characters are errors.
pub fn optional_text(value: &str, max: usize) -> Result<Option<String>, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    no_control_characters(trimmed)?;
    Ok(Some(trimmed.to_owned()))
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
