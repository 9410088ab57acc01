//! The usage figures summed per month, OZG-Leistung and area (a Kreis's five-digit key or the
//! Land's two digits), with how many Kommunen (or Kreise) contributed (m0054).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_rollup")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub area_key: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub ozg_id: String,
    pub transactions: i64,
    pub contributors: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
