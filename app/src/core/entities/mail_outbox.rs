//! An e-mail waiting to be sent (retried until the mail server takes it).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTimeUtc,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    /// An instance is sending it until then; no other instance takes it meanwhile.
    pub claimed_until: Option<DateTimeUtc>,
    /// Given up after too many failed attempts (a dead letter).
    pub dead_at: Option<DateTimeUtc>,
    /// A file sent with the mail (an event's `.ics`): its name and its text.
    pub attachment_name: Option<String>,
    pub attachment_body: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
