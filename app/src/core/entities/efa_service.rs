//! An EfA service on the Land's curated list: the only names public and association figures show.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "efa_service")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    /// The name trimmed and in lower case: how register entries are matched to it.
    pub name_key: String,
    pub provider: Option<String>,
    pub active: bool,
    pub operator: Option<String>,
    pub marketplace_url: Option<String>,
    /// Written by the demo (removed with it).
    pub demo: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
