//! The portal's server: configuration, router, middleware, REST API, health checks and the
//! command-line interface. `main.rs` only parses the command line and calls into here.

#![recursion_limit = "512"]

pub mod api;
pub mod api_error;
pub mod api_cases;
pub mod api_public;
pub mod api_register;
pub mod case_forms;
pub mod cases_seed;
pub mod jobs;
pub mod mail;
pub mod backup;
pub mod bulk_form;
pub mod cli;
pub mod demo;
pub mod health;
pub mod html;
pub mod import_form;
pub mod import_cmd;
pub mod middleware;
pub mod national;
pub mod bench;
pub mod bench_bulk;
pub mod bench_lagebild;
pub mod router;
pub mod serve;
pub mod settings;
pub mod tokens_form;
pub mod openapi;
pub mod page_cache;
