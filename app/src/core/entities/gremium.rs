//! A body of the collaboration: a Lenkungskreis, an Arbeitsgruppe, a Board or a Netzwerk.

use crate::vocabulary::gremien::{BodyVisibility, GremiumKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "gremium")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub purpose: String,
    pub kind: GremiumKind,
    pub visibility: BodyVisibility,
    pub version: i32,
    pub demo: bool,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
