//! Who is making a request, and from where.

use qobe_domain::ids::{InstitutionId, SessionId, UserId};
use qobe_domain::roles::{Permission, Role, Scope};

use crate::{AppError, AppResult};

/// The signed-in person a use-case acts for, with every role grant loaded once per request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: UserId,
    /// `None` for platform operators, who belong to no institution.
    pub institution_id: Option<InstitutionId>,
    pub email: String,
    pub name: String,
    pub is_operator: bool,
    pub grants: Vec<(Role, Scope)>,
    /// The browser session, when signed in through one (not for API tokens).
    pub session_id: Option<SessionId>,
    pub time_zone: String,
    pub language: String,
    /// The institution requires two-factor sign-in for staff and this person has not set it up.
    pub needs_two_factor_setup: bool,
    /// The terms or privacy policy changed since this person last agreed.
    pub needs_consent: bool,
}

impl Actor {
    /// The time zone this person reads and types times in (UTC when theirs is unknown).
    pub fn zone(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// The institution this person acts in; platform operators have none and are refused.
    pub fn institution(&self) -> AppResult<InstitutionId> {
        self.institution_id.ok_or(AppError::Forbidden)
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|(r, _)| *r == role)
    }

    /// Whether any institution-wide grant carries `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.institution_id.is_some()
            && self.grants.iter().any(|(role, scope)| *scope == Scope::Institution && role.has(permission))
    }

    /// The institution, if this person may do `permission` in it.
    pub fn require(&self, permission: Permission) -> AppResult<InstitutionId> {
        let institution = self.institution()?;
        if self.can(permission) { Ok(institution) } else { Err(AppError::Forbidden) }
    }

    /// Whether `permission` holds for one program: institution-wide, or through a grant at
    /// that program or at its department.
    pub fn can_for_program(&self, permission: Permission, program: i64, department: i64) -> bool {
        self.can(permission)
            || self.grants.iter().any(|(role, scope)| {
                role.has(permission)
                    && match scope {
                        Scope::Program(id) => id.0 == program,
                        Scope::Department(id) => id.0 == department,
                        _ => false,
                    }
            })
    }

    /// Whether `permission` holds for the courses of one department.
    pub fn can_for_department(&self, permission: Permission, department: i64) -> bool {
        self.can(permission)
            || self.grants.iter().any(|(role, scope)| {
                role.has(permission) && matches!(scope, Scope::Department(id) if id.0 == department)
            })
    }

    pub fn require_operator(&self) -> AppResult<()> {
        if self.is_operator && self.institution_id.is_none() { Ok(()) } else { Err(AppError::Forbidden) }
    }

    pub fn is_staff(&self) -> bool {
        self.grants.iter().any(|(role, _)| role.is_staff())
    }
}

/// Where a request came from, for logs. The IP is the client's as judged by the trusted-proxy
/// settings of the web layer.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Browser, operating system and device class read from a user-agent string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    pub browser: String,
    pub os: String,
    pub device: String,
}

impl ClientInfo {
    pub fn ip(&self) -> Option<&str> {
        self.ip.as_deref()
    }

    pub fn user_agent(&self) -> Option<&str> {
        self.user_agent.as_deref()
    }

    pub fn device(&self) -> DeviceInfo {
        let parsed = self.user_agent.as_deref().and_then(|ua| woothee::parser::Parser::new().parse(ua));
        match parsed {
            Some(result) => {
                let browser = if result.version.is_empty() || result.version == "UNKNOWN" {
                    result.name.to_owned()
                } else {
                    format!("{} {}", result.name, result.version.split('.').next().unwrap_or(""))
                };
                let os = if result.os_version.is_empty() || result.os_version == "UNKNOWN" {
                    result.os.to_owned()
                } else {
                    format!("{} {}", result.os, result.os_version)
                };
                DeviceInfo { browser, os, device: result.category.to_owned() }
            }
            None => DeviceInfo { browser: "unknown".into(), os: "unknown".into(), device: "unknown".into() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_are_described() {
        let phone = ClientInfo {
            ip: None,
            user_agent: Some("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1".into()),
        };
        let info = phone.device();
        assert_eq!(info.device, "smartphone");
        assert!(info.os.starts_with("iPhone"), "{info:?}");
        let desktop = ClientInfo {
            ip: None,
            user_agent: Some(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
                    .into(),
            ),
        };
        let info = desktop.device();
        assert_eq!(info.device, "pc");
        assert_eq!(info.browser, "Chrome 126");
        assert_eq!(ClientInfo::default().device().browser, "unknown");
    }

    #[test]
    fn permissions_need_an_institution_wide_grant() {
        let mut actor = Actor {
            user_id: UserId(1),
            institution_id: Some(InstitutionId(1)),
            email: "a@b.edu".into(),
            name: "A".into(),
            is_operator: false,
            grants: vec![(Role::Instructor, Scope::Offering(3))],
            session_id: None,
            time_zone: "UTC".into(),
            language: "en".into(),
            needs_two_factor_setup: false,
            needs_consent: false,
        };
        assert!(matches!(actor.require(Permission::ManageUsers), Err(AppError::Forbidden)));
        actor.grants.push((Role::InstitutionAdmin, Scope::Institution));
        assert_eq!(actor.require(Permission::ManageUsers).ok(), Some(InstitutionId(1)));
        actor.institution_id = None;
        assert!(!actor.can(Permission::ManageUsers));
    }
}
