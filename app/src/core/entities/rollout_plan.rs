//! A row of the Nachnutzungsübersicht: how the Land implements one OZG-Leistung (model, EfA
//! service, priority, phase, who pays); its checklist is `rollout_plan_item`.

use crate::vocabulary::rollout::{Model as RolloutModel, Phase};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rollout_plan")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ozg_id: String,
    pub model: RolloutModel,
    pub efa_service_id: Option<String>,
    pub priority: i32,
    pub phase: Phase,
    pub land_pays: bool,
    pub demo: bool,
    pub version: i32,
    pub updated_by: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
