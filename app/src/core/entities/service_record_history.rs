//! One change of a service record: who, for which organisation, when, old → new.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_record_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub record_id: String,
    pub organisation_id: String,
    pub ozg_id: String,
    pub version: i32,
    pub changed_at: DateTimeUtc,
    pub user_id: Option<String>,
    pub acting_org_id: Option<String>,
    /// JSON array of `FieldChange`.
    pub changes: String,
    /// Where the change came from when not typed into the register (a survey, the roll-out).
    pub source: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
