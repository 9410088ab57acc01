//! A Kommune concerned by a report ("betrifft uns auch"): once per Kommune, the reporter too.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_report_join")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: String,
    pub user_id: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
