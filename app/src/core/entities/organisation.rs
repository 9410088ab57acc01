//! An organisation: the Land's advisory unit, a Spitzenverband or a Kommune.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub key: String,
    pub kind: String,
    pub name: String,
    pub ags: Option<String>,
    pub ars: Option<String>,
    pub kreis_key: Option<String>,
    pub verband_id: Option<String>,
    pub population: Option<i64>,
    pub area_ha: Option<i64>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
