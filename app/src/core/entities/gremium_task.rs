//! A task (Maßnahme) of a body: from a meeting or a decision, owned by a person or an
//! organisation, due on a day, reminded once per due date.

use crate::vocabulary::gremien::{TaskLink, TaskStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "gremium_task")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub gremium_id: i64,
    pub meeting_id: Option<i64>,
    pub decision_id: Option<i64>,
    pub title: String,
    pub owner_user_id: Option<String>,
    pub owner_org_id: Option<String>,
    pub due_on: Date,
    pub status: TaskStatus,
    pub note: String,
    pub link_kind: Option<TaskLink>,
    pub link_value: Option<String>,
    /// The due date a reminder was sent for (a new due date is reminded again).
    pub reminded_for: Option<Date>,
    pub version: i32,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
