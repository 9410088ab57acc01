//! A person's membership in a body, from `since` until `until` (open while it lasts).

use crate::vocabulary::gremien::MemberRole;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "gremium_member")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub gremium_id: i64,
    pub user_id: String,
    pub role: MemberRole,
    pub since: DateTimeUtc,
    pub until: Option<DateTimeUtc>,
    pub added_by: Option<String>,
    pub ended_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
