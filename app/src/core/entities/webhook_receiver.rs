//! A receiver of webhooks: an organisation's URL with the events it wants and the secret its
//! deliveries are signed with (m0051).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_receiver")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_id: String,
    pub url: String,
    /// The HMAC key, shown to the administrator once when the receiver is registered.
    pub secret: String,
    /// The event codes, comma-separated.
    pub events: String,
    pub active: bool,
    pub demo: bool,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
