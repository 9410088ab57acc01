//! Integration tests: the real router on a real database — SQLite always, PostgreSQL when
//! `TEST_DATABASE_URL` names a server (the test command starts a throwaway cluster).

mod common;

mod accounts;
mod auth;
mod barrier_reports;
mod cases;
mod cases_answer;
mod cases_sla;
mod cli;
mod database;
mod database_tls;
mod demo_data;
mod durability;
mod events;
mod forms_kept;
mod funding;
mod gremien;
mod hardening_auth;
mod hardening_data;
mod hardening_limits;
mod hardening_two;
mod import;
mod instances;
mod knowledge;
mod lagebild;
mod legal_texts;
mod mail_relay;
mod metrics;
mod mfa;
mod notifications;
mod oidc;
mod openapi;
mod register;
mod register_extras;
mod retention;
mod rollout;
mod scope_matrix;
mod scope_matrix_gremien;
mod scope_matrix_rollout;
mod security;
mod start_pages;
mod selfcheck;
mod surveys;
mod survey_results;
mod versions;
