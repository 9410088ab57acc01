//! One step of a connection: the state reached, when, by whom, with a note (the reason of a pause).

use crate::vocabulary::rollout::ConnectionState;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "connection_step")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub connection_id: i64,
    pub state: ConnectionState,
    pub at: DateTimeUtc,
    pub user_id: Option<String>,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::app_user::Entity", from = "Column::UserId", to = "super::app_user::Column::Id")]
    User,
    #[sea_orm(belongs_to = "super::connection::Entity", from = "Column::ConnectionId", to = "super::connection::Column::Id")]
    Connection,
}

impl ActiveModelBehavior for ActiveModel {}
