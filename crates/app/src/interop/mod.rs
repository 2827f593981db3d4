//! Interoperability with other systems: OneRoster 1.2 rosters in (checked as a whole, imported
//! all or nothing) and out (one ZIP), with each record's source kept for a faithful round trip.

pub mod oneroster;
pub mod oneroster_import;
