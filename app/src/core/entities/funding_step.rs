//! One step of a funding application's workflow: who took which action when, the status it led
//! to, the amount and the note.

use crate::vocabulary::funding::{Action, Status};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "funding_step")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: i64,
    pub action: Action,
    pub status: Status,
    pub amount_cents: Option<i64>,
    pub note: Option<String>,
    pub at: DateTimeUtc,
    pub user_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::app_user::Entity", from = "Column::UserId", to = "super::app_user::Column::Id")]
    User,
}

impl ActiveModelBehavior for ActiveModel {}
