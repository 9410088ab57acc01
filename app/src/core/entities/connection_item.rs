//! An item of a connection's checklist, in the order of the service's template.

use crate::vocabulary::rollout::ItemState;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "connection_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub connection_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub label: String,
    /// Whether the service's operator does it (copied from the template).
    pub operator: bool,
    pub status: ItemState,
    pub note: Option<String>,
    /// The Beratungsfall opened from the blocked item.
    pub case_id: Option<i64>,
    pub updated_by: Option<String>,
    pub updated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::connection::Entity",
        from = "Column::ConnectionId",
        to = "super::connection::Column::Id"
    )]
    Connection,
}

impl ActiveModelBehavior for ActiveModel {}
