//! Notifications point to their page (`link`, a path of the portal: the page shows it as a link,
//! a mail puts the configured base address before it) instead of carrying an address in their
//! text; and a person may mute a kind (`notification_pref.muted`: no entry, no mail), offered for
//! status-only changes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("notification").add_column(string_len_null("link", 300)).to_owned()).await?;
        m.alter_table(Table::alter().table("notification_pref").add_column(boolean("muted").default(false)).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("notification_pref").drop_column("muted").to_owned()).await?;
        m.alter_table(Table::alter().table("notification").drop_column("link").to_owned()).await
    }
}
