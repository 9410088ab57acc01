//! A LeiKa service bundled into an OZG-Leistung.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "leika_service")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub ozg_id: String,
    /// The LeiKa key, or `X:` + name for services without a LeiKa key; unique per OZG-Leistung.
    pub natural_key: String,
    pub leika_key: Option<String>,
    pub name: String,
    pub leika_typ: String,
    pub sdg1: bool,
    pub sdg2: bool,
    pub law: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
