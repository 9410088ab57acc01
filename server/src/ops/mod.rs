//! Operations: command line, serving, background jobs, mail, webhooks, backup, import, demo data.

pub mod backup;
pub mod cli;
pub mod demo;
pub mod import;
pub mod jobs;
pub mod mail;
pub mod serve;
pub mod settings;
pub mod webhooks;
