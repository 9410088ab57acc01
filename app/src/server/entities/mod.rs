//! sea-orm entities: the Rust view of the tables created by the migrations.

pub mod api_token;
pub mod app_user;
pub mod audit_log;
pub mod leika_service;
pub mod maturity_criterion;
pub mod organisation;
pub mod ozg_service;
pub mod service_annotation;
pub mod service_record;
pub mod service_record_history;
pub mod session;
pub mod user_organisation;
