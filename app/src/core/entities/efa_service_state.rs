//! How an EfA service runs now (no row: in operation), with the window of an announced
//! maintenance, as its operator or the Land set it.
use crate::vocabulary::services::OperatingState;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "efa_service_state")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub efa_service_id: String,
    pub state: OperatingState,
    pub note: Option<String>,
    pub window_from: Option<DateTimeUtc>,
    pub window_to: Option<DateTimeUtc>,
    pub set_by: Option<String>,
    pub set_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
