//! SeaORM entities, one per table. Only the store crate sees them.

pub mod api_token;
pub mod audit_event;
pub mod consent;
pub mod department;
pub mod institution;
pub mod login_event;
pub mod one_time_token;
pub mod platform_setting;
pub mod program;
pub mod role_grant;
pub mod session;
pub mod user;
