//! The OZG-Leistungen a funding application is for.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "funding_application_ozg")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub application_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub ozg_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::ozg_service::Entity", from = "Column::OzgId", to = "super::ozg_service::Column::OzgId")]
    Service,
}

impl ActiveModelBehavior for ActiveModel {}
