//! One monthly usage figure: the transactions of one online service of an OZG-Leistung in one
//! area (Gemeinde, Verbandsgemeinde or Kreis), from the ZSK or entered by the Kommune (m0054).
use crate::vocabulary::usage::{UsageArea, UsageSource};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_figure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The first day of the month counted.
    pub month: Date,
    pub ozg_id: String,
    pub leika_key: Option<String>,
    /// The online service's name as reported (empty for a Kommune's own entry).
    pub online_service: String,
    /// The online service's id as reported (empty when none was given).
    pub online_service_id: String,
    pub ars: String,
    pub area: UsageArea,
    /// The Kommune (or Kreis) the Regionalschlüssel names.
    pub organisation_id: String,
    pub transactions: i64,
    pub source: UsageSource,
    pub entered_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub demo: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
