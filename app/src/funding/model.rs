//! Funding as pages and the API show it.

use serde::{Deserialize, Serialize};

pub use crate::vocabulary::funding::{Action, Status};
pub use crate::vocabulary::money::Cents;

/// A position of a cost plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostPosition {
    pub what: String,
    pub cents: Cents,
}

/// A funding programme with the state of its budget (amounts in cents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub budget_cents: Cents,
    pub rate_percent: i32,
    pub max_cents: Cents,
    /// `JJJJ-MM-TT`.
    pub opens_on: String,
    pub closes_on: String,
    pub committed_cents: Cents,
    pub disbursed_cents: Cents,
    /// Whether the sums may be shown: always for the Land; for everyone else only once a
    /// release has published them (`false`: no release yet, the sums read "•").
    pub sums_shown: bool,
    pub active: bool,
    /// Whether applications are taken today.
    pub open_now: bool,
    pub version: i32,
}

/// An application in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationItem {
    pub id: i64,
    pub title: String,
    pub kommune: String,
    pub programme: String,
    pub status: Status,
    pub requested_cents: Cents,
    pub approved_cents: Option<Cents>,
    /// `TT.MM.JJJJ`.
    pub received: String,
}

/// The programmes and the applications the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingPage {
    pub programmes: Vec<Programme>,
    pub applications: Vec<ApplicationItem>,
    pub may_apply: bool,
    pub may_edit_programmes: bool,
    pub sees_applications: bool,
}

/// A step of an application's workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingStep {
    pub action: Action,
    pub status: Status,
    pub amount_cents: Option<Cents>,
    pub note: Option<String>,
    pub at: String,
    pub by: String,
}

/// One application on its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub item: ApplicationItem,
    pub programme_id: i64,
    pub description: String,
    pub cost_plan: Vec<CostPosition>,
    pub total_cents: Cents,
    pub disbursed_cents: Cents,
    pub reason: Option<String>,
    pub report: Option<String>,
    /// (OZG-ID, name).
    pub leistungen: Vec<(String, String)>,
    pub steps: Vec<FundingStep>,
    /// The steps the caller may take now.
    pub actions: Vec<Action>,
    pub version: i32,
}

/// The application form: the programme and a fresh idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationForm {
    pub programme: Programme,
    /// The caller's Kommunen (key, name).
    pub kommunen: Vec<(String, String)>,
    pub idempotency_key: String,
}

/// A programme in the Lagebild.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProgrammeFigures {
    pub id: i64,
    pub name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = i64))]
    pub budget_cents: Cents,
    /// `null` when fewer Kommunen than the threshold were granted funds (public view).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub committed_cents: Option<Cents>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub disbursed_cents: Option<Cents>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub free_cents: Option<Cents>,
    pub applications: i64,
    pub approved: i64,
}

/// Funding in one Kreis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KreisFunding {
    pub kreis: String,
    pub name: String,
    /// Applications and the sum granted; `null` when suppressed.
    pub applications: Option<i64>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub approved_cents: Option<Cents>,
}

/// Applications received and granted per month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FundingMonth {
    /// `JJJJ-MM`.
    pub month: String,
    pub received: i64,
    pub approved: i64,
}

/// Funding in the Lagebild.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FundingFigures {
    pub suppressed: bool,
    pub threshold: i64,
    pub programmes: Vec<ProgrammeFigures>,
    pub kreise: Vec<KreisFunding>,
    pub trend: Vec<FundingMonth>,
    /// (term, definition).
    pub definitions: Vec<(String, String)>,
}
