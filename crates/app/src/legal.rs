//! The versioned terms of use and privacy policy a person agrees to. A new version means
//! everyone is asked again at their next sign-in, and each agreement is a consent record.

/// Version of the terms of use in force.
pub const TERMS_VERSION: &str = "2026-11-24";
/// Version of the privacy policy in force.
pub const PRIVACY_VERSION: &str = "2026-11-24";

pub const TERMS_TEXT: &str = include_str!("legal/terms.md");
pub const PRIVACY_TEXT: &str = include_str!("legal/privacy.md");
