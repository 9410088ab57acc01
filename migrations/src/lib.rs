//! Database migrations. Each migration is a frozen snapshot of the schema change it makes:
//! migrations never import the application's entities, so later entity changes cannot alter them.

pub use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_register;
mod m0003_tokens_criteria;
mod m0004_cases;
mod m0005_case_search_ids;
mod m0006_rollups;
mod m0007_activity;
mod m0008_case_stats;
mod m0009_trend;
mod m0010_efa;
mod m0011_trend_cells;
mod m0012_organisation_kreis_index;
mod m0013_hardening;
mod m0014_data_versions;
mod m0015_accounts;
mod m0016_instances;
mod m0017_job_runs;
mod m0018_demo_data;
mod m0019_previous_login;
mod m0020_barrier_reports;
mod m0021_legal_texts;
mod m0022_knowledge;
mod m0023_events_announcements;
mod m0024_rollout_funding;
mod m0025_hardening_two;
mod m0026_funding_cost_items;
mod m0027_rollout_plan_items;
mod m0028_form_drafts;
mod m0029_notification_links;
pub mod m0030_case_set_version;
mod m0031_case_org_status;
mod m0032_case_category_status;
mod m0033_case_vacuum;
mod m0034_case_breach_due;
mod m0035_surveys;
mod m0036_survey_answers;
mod m0037_survey_notices;
mod m0038_survey_results;
mod m0039_register_source;
mod m0040_survey_files_rates;
mod m0041_selfcheck;
mod m0042_case_land_answer;
mod m0043_gremien;
mod m0044_gremien_meetings;
mod m0045_decision_search;
mod m0046_case_followup;
mod m0047_case_rating;
mod m0048_funding_release_members;
mod m0049_service_partners;
mod m0050_partner_loop;
mod m0051_webhooks;
mod m0052_digest;
mod m0053_link_check;
mod m0054_usage;

/// All migrations of the portal, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_register::Migration),
            Box::new(m0003_tokens_criteria::Migration),
            Box::new(m0004_cases::Migration),
            Box::new(m0005_case_search_ids::Migration),
            Box::new(m0006_rollups::Migration),
            Box::new(m0007_activity::Migration),
            Box::new(m0008_case_stats::Migration),
            Box::new(m0009_trend::Migration),
            Box::new(m0010_efa::Migration),
            Box::new(m0011_trend_cells::Migration),
            Box::new(m0012_organisation_kreis_index::Migration),
            Box::new(m0013_hardening::Migration),
            Box::new(m0014_data_versions::Migration),
            Box::new(m0015_accounts::Migration),
            Box::new(m0016_instances::Migration),
            Box::new(m0017_job_runs::Migration),
            Box::new(m0018_demo_data::Migration),
            Box::new(m0019_previous_login::Migration),
            Box::new(m0020_barrier_reports::Migration),
            Box::new(m0021_legal_texts::Migration),
            Box::new(m0022_knowledge::Migration),
            Box::new(m0023_events_announcements::Migration),
            Box::new(m0024_rollout_funding::Migration),
            Box::new(m0025_hardening_two::Migration),
            Box::new(m0026_funding_cost_items::Migration),
            Box::new(m0027_rollout_plan_items::Migration),
            Box::new(m0028_form_drafts::Migration),
            Box::new(m0029_notification_links::Migration),
            Box::new(m0030_case_set_version::Migration),
            Box::new(m0031_case_org_status::Migration),
            Box::new(m0032_case_category_status::Migration),
            Box::new(m0033_case_vacuum::Migration),
            Box::new(m0034_case_breach_due::Migration),
            Box::new(m0035_surveys::Migration),
            Box::new(m0036_survey_answers::Migration),
            Box::new(m0037_survey_notices::Migration),
            Box::new(m0038_survey_results::Migration),
            Box::new(m0039_register_source::Migration),
            Box::new(m0040_survey_files_rates::Migration),
            Box::new(m0041_selfcheck::Migration),
            Box::new(m0042_case_land_answer::Migration),
            Box::new(m0043_gremien::Migration),
            Box::new(m0044_gremien_meetings::Migration),
            Box::new(m0045_decision_search::Migration),
            Box::new(m0046_case_followup::Migration),
            Box::new(m0047_case_rating::Migration),
            Box::new(m0048_funding_release_members::Migration),
            Box::new(m0049_service_partners::Migration),
            Box::new(m0050_partner_loop::Migration),
            Box::new(m0051_webhooks::Migration),
            Box::new(m0052_digest::Migration),
            Box::new(m0053_link_check::Migration),
            Box::new(m0054_usage::Migration),
        ]
    }
}
