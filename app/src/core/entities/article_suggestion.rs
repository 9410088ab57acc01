//! An article shown to a clerk while filing a case (`token`: the clerk's id and the day, so a
//! reload counts once); `filed` once that clerk sent a case that day. Shown and never filed: a
//! case avoided.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "article_suggestion")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub article_id: i64,
    pub shown_at: DateTimeUtc,
    pub filed: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
