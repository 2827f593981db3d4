//! Integration tests of the whole app through its router, on a real database: a fresh SQLite
//! file per test, or a fresh PostgreSQL database per test when `QOBE_TEST_POSTGRES_URL` is set.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail the test loudly on setup errors")]

mod academics;
mod admin;
mod api;
mod api_assessment;
mod api_conformance;
mod assessment;
mod auth;
mod browser;
mod browser_academics;
mod browser_reports;
mod browser_results;
mod cqi;
mod crawl;
mod curricula;
mod demo;
mod design;
mod documents;
mod errors;
mod files;
mod hardening_auth;
mod hardening_input;
mod home;
mod inputs;
mod instances;
mod isolation;
mod isolation_routes;
mod jobs;
mod oneroster;
mod personal_data;
mod plan_editing;
mod profile;
mod program_attainment;
mod registration;
mod reports;
mod results;
mod search;
mod security;
mod setup;
mod structure;
mod student_lists;
mod support;
mod surveys;
mod tenancy;
mod transactions;
