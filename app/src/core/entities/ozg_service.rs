//! An OZG-Leistung of the catalogue.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ozg_service")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ozg_id: String,
    pub name: String,
    pub themenfeld: String,
    pub lebenslage: String,
    pub focus: bool,
    pub in_catalogue: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
