//! The Gremien: bodies of the collaboration (`gremium`), their members over time
//! (`gremium_member`: a membership ends by its date, it is never deleted) and their numbered
//! decisions (`gremium_decision`, numbered per body and year by `gremium_decision_counter`, whose
//! row is taken in the deciding transaction so that the numbers have no gap and no twin).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("gremium")
                .col(big_pk_auto("id"))
                .col(string_len("name", 200))
                .col(text("purpose"))
                .col(string_len("kind", 32))
                .col(string_len("visibility", 16))
                .col(integer("version"))
                .col(boolean("demo").default(false))
                .col(string_len_null("created_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ux_gremium_name").table("gremium").col("name").unique().to_owned()).await?;
        m.create_table(
            Table::create()
                .table("gremium_member")
                .col(big_pk_auto("id"))
                .col(big_integer("gremium_id"))
                .col(string_len("user_id", 36))
                .col(string_len("role", 32))
                .col(timestamp_with_time_zone("since"))
                .col(timestamp_with_time_zone_null("until"))
                .col(string_len_null("added_by", 36))
                .col(string_len_null("ended_by", 36))
                .foreign_key(ForeignKey::create().name("fk_gremium_member_gremium").from("gremium_member", "gremium_id").to("gremium", "id").on_delete(ForeignKeyAction::Cascade))
                .foreign_key(ForeignKey::create().name("fk_gremium_member_user").from("gremium_member", "user_id").to("app_user", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_gremium_member_user").table("gremium_member").col("user_id").col("until").to_owned()).await?;
        m.create_index(Index::create().name("ix_gremium_member_gremium").table("gremium_member").col("gremium_id").col("until").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("gremium_decision_counter")
                .col(big_integer("gremium_id"))
                .col(integer("year"))
                .col(integer("last"))
                .primary_key(Index::create().col("gremium_id").col("year"))
                .foreign_key(ForeignKey::create().name("fk_decision_counter_gremium").from("gremium_decision_counter", "gremium_id").to("gremium", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("gremium_decision")
                .col(big_pk_auto("id"))
                .col(big_integer("gremium_id"))
                .col(integer("year"))
                .col(integer("number"))
                .col(string_len("title", 200))
                .col(text("text"))
                .col(date("decided_on"))
                .col(big_integer_null("meeting_id"))
                .col(integer("votes_yes"))
                .col(integer("votes_no"))
                .col(integer("votes_abstain"))
                .col(string_len("visibility", 16))
                .col(string_len_null("created_by", 36))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().name("fk_gremium_decision_gremium").from("gremium_decision", "gremium_id").to("gremium", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ux_gremium_decision_number").table("gremium_decision").col("gremium_id").col("year").col("number").unique().to_owned()).await?;
        m.create_index(Index::create().name("ix_gremium_decision_register").table("gremium_decision").col("visibility").col("decided_on").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["gremium_decision", "gremium_decision_counter", "gremium_member", "gremium"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
