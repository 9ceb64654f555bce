#![allow(clippy::unwrap_used)]
//! Integration tests: the real application over HTTP, on SQLite by default or on
//! PostgreSQL when `HAVEN_TEST_DB=postgres` (with `HAVEN_TEST_DATABASE_URL`). The test
//! command (`scripts/test`) runs this whole binary once for each.

mod helpers;

mod api;
mod audit;
mod audit_archive;
mod audit_sign;
mod audit_sweep;
mod auth;
mod authz_matrix;
mod backup;
mod backup_format;
mod backup_takeback;
mod cases;
mod crash;
mod data_flow;
mod demo;
mod directory;
mod directory_edit;
mod dump;
mod durability;
mod erasure;
mod firewall;
mod hub;
mod hub_categories;
mod hub_scope;
mod hub_work;
mod i18n;
mod keys;
mod linkage;
mod mail;
mod migrations;
mod outreach;
mod outreach_refer;
mod outreach_show;
mod persons;
mod public_help;
mod public_site;
mod referral_types;
mod referrals;
mod retention;
mod shelters;
mod stats;
