//! An Abfrage of the Land: what it asks whom, and when.

use crate::vocabulary::announcements::Target;
use crate::vocabulary::surveys::{Answering, SurveyPurpose, SurveyState};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub description: String,
    pub state: SurveyState,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub target_kind: Target,
    /// Kreis keys, kinds, an association's key or an OZG-ID, comma-separated.
    pub target_value: String,
    pub target_label: String,
    pub answering: Answering,
    /// The survey this one repeats (copied from).
    pub predecessor_id: Option<i64>,
    pub version: i32,
    pub demo: bool,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub released_at: Option<DateTimeUtc>,
    /// Days before the deadline those that have not submitted are reminded (0: never).
    pub reminder_days: i32,
    pub opened_notified_at: Option<DateTimeUtc>,
    pub reminded_at: Option<DateTimeUtc>,
    /// When the Land published the results (aggregates only, suppressed).
    pub published_at: Option<DateTimeUtc>,
    pub published_by: Option<String>,
    /// An Abfrage of the Land or a Selbstcheck a Kommune takes for itself.
    pub purpose: SurveyPurpose,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
