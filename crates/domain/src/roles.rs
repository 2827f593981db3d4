//! Roles, the scopes they are granted at, and what each role may do.
//!
//! Checks live in the app layer (`qobe_app::authz`); this module only states the rules.

use serde::{Deserialize, Serialize};

use crate::ids::{DepartmentId, ProgramId};

/// A role inside an institution (PRODUCT.md §1). The platform operator is not a role grant:
/// it is a platform account outside every institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    InstitutionAdmin,
    QaOfficer,
    ProgramCoordinator,
    Instructor,
    Student,
    Alumnus,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::InstitutionAdmin,
        Role::QaOfficer,
        Role::ProgramCoordinator,
        Role::Instructor,
        Role::Student,
        Role::Alumnus,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::InstitutionAdmin => "institution_admin",
            Role::QaOfficer => "qa_officer",
            Role::ProgramCoordinator => "program_coordinator",
            Role::Instructor => "instructor",
            Role::Student => "student",
            Role::Alumnus => "alumnus",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::InstitutionAdmin => "Institution admin",
            Role::QaOfficer => "QA officer",
            Role::ProgramCoordinator => "Program coordinator / head",
            Role::Instructor => "Instructor",
            Role::Student => "Student",
            Role::Alumnus => "Alumnus",
        }
    }

    pub fn parse(raw: &str) -> Result<Role, String> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw).ok_or_else(|| "is not a known role".to_owned())
    }

    /// Staff roles may be required to use two-factor sign-in.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Student | Role::Alumnus)
    }

    /// The scopes this role may be granted at: admins and QA work institution-wide, the others
    /// can be narrowed.
    pub fn allows_scope(self, scope: &Scope) -> bool {
        match self {
            Role::InstitutionAdmin | Role::QaOfficer => matches!(scope, Scope::Institution),
            Role::ProgramCoordinator => !matches!(scope, Scope::Offering(_)),
            Role::Instructor | Role::Student | Role::Alumnus => true,
        }
    }
}

/// Where a role applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    Institution,
    Department(DepartmentId),
    Program(ProgramId),
    /// A course offering (section) by its id.
    Offering(i64),
}

impl Scope {
    pub fn kind(&self) -> &'static str {
        match self {
            Scope::Institution => "institution",
            Scope::Department(_) => "department",
            Scope::Program(_) => "program",
            Scope::Offering(_) => "offering",
        }
    }

    pub fn id(&self) -> Option<i64> {
        match self {
            Scope::Institution => None,
            Scope::Department(id) => Some(id.0),
            Scope::Program(id) => Some(id.0),
            Scope::Offering(id) => Some(*id),
        }
    }

    pub fn from_parts(kind: &str, id: Option<i64>) -> Result<Scope, String> {
        match (kind, id) {
            ("institution", _) => Ok(Scope::Institution),
            ("department", Some(id)) => Ok(Scope::Department(DepartmentId(id))),
            ("program", Some(id)) => Ok(Scope::Program(ProgramId(id))),
            ("offering", Some(id)) => Ok(Scope::Offering(id)),
            ("department" | "program" | "offering", None) => Err("needs a choice of which one".into()),
            _ => Err("is not a known scope".into()),
        }
    }
}

/// Something a person may want to do. Each use-case asks for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See the user list and one user's account page.
    ViewUsers,
    /// Invite, deactivate and reactivate users.
    ManageUsers,
    /// Grant and revoke roles.
    ManageRoles,
    /// Change institution settings (2FA policy, sign-up, branding).
    ManageSettings,
    /// Read the security and admin audit log and everyone's login history.
    ViewAuditLog,
    /// Create departments, programs, terms, courses, cohorts and offerings.
    ManageAcademicStructure,
    /// Edit PEOs, PLOs, CLOs, their mappings and the curriculum map.
    ManageOutcomes,
    /// Approve or reject registrations, place holds, enrol students directly.
    ManageRegistrations,
    /// Approve, return, publish and lock an offering's results; decide change requests (the
    /// head of department: a program coordinator / head granted at the department).
    ApproveResults,
}

impl Role {
    /// Whether this role, at institution scope, carries `permission`.
    pub fn has(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::InstitutionAdmin => true,
            Role::QaOfficer => matches!(permission, ViewUsers | ManageAcademicStructure | ManageOutcomes),
            Role::ProgramCoordinator => {
                matches!(permission, ViewUsers | ManageOutcomes | ManageRegistrations | ApproveResults)
            }
            Role::Instructor | Role::Student | Role::Alumnus => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("superuser").is_err());
    }

    #[test]
    fn admin_scopes_are_institution_wide() {
        assert!(Role::InstitutionAdmin.allows_scope(&Scope::Institution));
        assert!(!Role::InstitutionAdmin.allows_scope(&Scope::Program(ProgramId(1))));
        assert!(Role::Instructor.allows_scope(&Scope::Offering(4)));
        assert!(!Role::ProgramCoordinator.allows_scope(&Scope::Offering(4)));
    }

    #[test]
    fn only_admins_manage_users() {
        assert!(Role::InstitutionAdmin.has(Permission::ManageUsers));
        for role in [Role::QaOfficer, Role::ProgramCoordinator, Role::Instructor, Role::Student, Role::Alumnus] {
            assert!(!role.has(Permission::ManageUsers), "{role:?}");
        }
        assert!(!Role::Student.has(Permission::ViewUsers));
    }

    #[test]
    fn scope_parts_round_trip() {
        for scope in
            [Scope::Institution, Scope::Department(DepartmentId(3)), Scope::Program(ProgramId(9)), Scope::Offering(2)]
        {
            assert_eq!(Scope::from_parts(scope.kind(), scope.id()), Ok(scope));
        }
        assert!(Scope::from_parts("program", None).is_err());
    }
}
