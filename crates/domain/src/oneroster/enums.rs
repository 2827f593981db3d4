//! The binding's enumerations as Rust enums.
//!
//! Values are case-sensitive, as the binding requires. Where the binding lets a vocabulary be
//! extended (classType, role, sex and the org and session `type`), proprietary terms starting
//! with `ext:` are kept in an `Extension` variant so they survive an import/export round trip.

/// A closed or extensible set of permitted CSV values.
pub trait Vocabulary: Sized {
    /// The values the binding defines, in its order, for messages and documentation.
    const VALUES: &'static [&'static str];
    /// Whether `ext:`-prefixed proprietary terms are accepted.
    const EXTENSIBLE: bool;

    /// The value for `text`, or `None` if `text` is not permitted.
    fn from_csv(text: &str) -> Option<Self>;

    /// The value as written in a CSV file.
    fn as_csv(&self) -> &str;
}

/// Prefix of proprietary terms in an extensible vocabulary.
pub const EXTENSION_PREFIX: &str = "ext:";

/// Describes what `V` accepts, for an error message.
pub fn describe<V: Vocabulary>() -> String {
    let listed = V::VALUES.join(" | ");
    if V::EXTENSIBLE {
        format!("one of {{ {listed} }} or a term starting with '{EXTENSION_PREFIX}'")
    } else {
        format!("one of {{ {listed} }}")
    }
}

/// A vocabulary is kept (in records saved at import) as its CSV text.
macro_rules! vocabulary_serde {
    ($name:ident) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_csv())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::from_csv(&text)
                    .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not {}", describe::<Self>())))
            }
        }
    };
}

macro_rules! closed_vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl Vocabulary for $name {
            const VALUES: &'static [&'static str] = &[$($text),+];
            const EXTENSIBLE: bool = false;

            fn from_csv(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }

            fn as_csv(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_csv())
            }
        }

        vocabulary_serde!($name);
    };
}

macro_rules! extensible_vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A proprietary term, kept whole including its `ext:` prefix.
            Extension(String),
        }

        impl Vocabulary for $name {
            const VALUES: &'static [&'static str] = &[$($text),+];
            const EXTENSIBLE: bool = true;

            fn from_csv(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(Self::$variant),)+
                    other if other.len() > EXTENSION_PREFIX.len() && other.starts_with(EXTENSION_PREFIX) => {
                        Some(Self::Extension(other.to_owned()))
                    }
                    _ => None,
                }
            }

            fn as_csv(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Extension(term) => term,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_csv())
            }
        }

        vocabulary_serde!($name);
    };
}

closed_vocabulary! {
    /// How the manifest says a data file is supplied (`file.<name>` rows).
    FileMode {
        /// The file is not in the package.
        Absent => "absent",
        /// The file is the complete reference data set.
        Bulk => "bulk",
        /// The file holds changes only; not supported by this importer yet.
        Delta => "delta",
    }
}

closed_vocabulary! {
    /// The `status` column, used only by delta files.
    RecordStatus {
        Active => "active",
        ToBeDeleted => "tobedeleted",
    }
}

extensible_vocabulary! {
    /// `orgs.csv` `type`.
    OrgType {
        Department => "department",
        School => "school",
        District => "district",
        Local => "local",
        State => "state",
        National => "national",
    }
}

extensible_vocabulary! {
    /// `academicSessions.csv` `type`.
    SessionType {
        GradingPeriod => "gradingPeriod",
        Semester => "semester",
        SchoolYear => "schoolYear",
        Term => "term",
    }
}

extensible_vocabulary! {
    /// `classes.csv` `classType`.
    ClassType {
        Homeroom => "homeroom",
        Scheduled => "scheduled",
    }
}

extensible_vocabulary! {
    /// `enrollments.csv` `role`: what a user does in one class.
    EnrollmentRole {
        Administrator => "administrator",
        Proctor => "proctor",
        Student => "student",
        Teacher => "teacher",
    }
}

extensible_vocabulary! {
    /// `roles.csv` `role`: what a user is within an org (OneRoster 1.2 moved this out of users.csv).
    RoleKind {
        Aide => "aide",
        Counselor => "counselor",
        DistrictAdministrator => "districtAdministrator",
        Guardian => "guardian",
        Parent => "parent",
        Principal => "principal",
        Proctor => "proctor",
        Relative => "relative",
        SiteAdministrator => "siteAdministrator",
        Student => "student",
        SystemAdministrator => "systemAdministrator",
        Teacher => "teacher",
    }
}

closed_vocabulary! {
    /// `roles.csv` `roleType`: at most one primary role per user and org.
    RoleType {
        Primary => "primary",
        Secondary => "secondary",
    }
}

extensible_vocabulary! {
    /// `demographics.csv` `sex`.
    Sex {
        Male => "male",
        Female => "female",
        Unspecified => "unspecified",
        Other => "other",
    }
}
