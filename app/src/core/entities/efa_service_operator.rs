//! A partner organisation that operates an EfA service (a service may have several).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "efa_service_operator")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub efa_service_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::organisation::Entity", from = "Column::OrganisationId", to = "super::organisation::Column::Id")]
    Organisation,
}

impl ActiveModelBehavior for ActiveModel {}
