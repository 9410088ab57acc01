//! The funding sums an association may read of its own members (`funding_release_member`): per
//! programme and member group (`gem`, `lk`) the members' granted and called sums as of the last
//! release of that group, which happens only when at least the suppression threshold of its
//! members changed at once (as the public's releases in `funding_release`, m0025). The first
//! release of a group comes with the next step that moves money in a programme.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("funding_release_member")
                .col(big_integer("programme_id"))
                .col(string_len("member_group", 8))
                .col(string_len("organisation_id", 36))
                .col(big_integer("committed_cents"))
                .col(big_integer("disbursed_cents"))
                .col(timestamp_with_time_zone("released_at"))
                .primary_key(Index::create().col("programme_id").col("member_group").col("organisation_id"))
                .foreign_key(ForeignKey::create().name("fk_funding_release_member_programme").from("funding_release_member", "programme_id").to("funding_programme", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("funding_release_member").to_owned()).await
    }
}
