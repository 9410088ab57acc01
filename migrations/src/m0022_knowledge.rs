//! The Wissensportal: advisors' articles (Markdown) with every version kept, their OZG-Leistungen
//! and Themenfelder, the readers' votes, and the articles shown while a case is being filed (to
//! count the cases they avoided). Full text: SQLite FTS5 (rowid = article id), PostgreSQL a German
//! tsvector with a GIN index, as for the cases.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("article")
                .col(big_pk_auto("id"))
                .col(string_len("title", 200))
                .col(string_len("summary", 500))
                .col(text("body"))
                .col(string_len("category", 80))
                .col(string_len("tags", 500))
                .col(string_len("audience", 12))
                .col(string_len("status", 20))
                .col(integer("version"))
                .col(string_len_null("author_id", 36))
                .col(big_integer_null("source_case"))
                .col(integer_null("pending_version"))
                .col(string_len_null("reviewed_by", 36))
                .col(timestamp_with_time_zone_null("reviewed_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .col(timestamp_with_time_zone_null("review_reminded_at"))
                .col(big_integer("views").default(0))
                .col(big_integer("helpful_yes").default(0))
                .col(big_integer("helpful_no").default(0))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_article_status").table("article").col("status").col("published_at").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("article_version")
                .col(big_integer("article_id"))
                .col(integer("version"))
                .col(string_len("title", 200))
                .col(string_len("summary", 500))
                .col(text("body"))
                .col(string_len("category", 80))
                .col(string_len("tags", 500))
                .col(string_len("audience", 12))
                .col(string_len("ozg_ids", 2000))
                .col(string_len("themenfelder", 2000))
                .col(string_len("change", 120))
                .col(timestamp_with_time_zone("changed_at"))
                .col(string_len_null("changed_by", 36))
                .primary_key(Index::create().col("article_id").col("version"))
                .foreign_key(ForeignKey::create().name("fk_article_version").from("article_version", "article_id").to("article", "id"))
                .to_owned(),
        )
        .await?;
        for (table, col, len) in [("article_ozg", "ozg_id", 20), ("article_field", "themenfeld", 200)] {
            m.create_table(
                Table::create()
                    .table(table)
                    .col(big_integer("article_id"))
                    .col(string_len(col, len))
                    .primary_key(Index::create().col("article_id").col(col))
                    .foreign_key(ForeignKey::create().name(format!("fk_{table}")).from(table, "article_id").to("article", "id"))
                    .to_owned(),
            )
            .await?;
            m.create_index(Index::create().name(format!("ix_{table}_{col}")).table(table).col(col).col("article_id").to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table("article_vote")
                .col(big_integer("article_id"))
                .col(string_len("user_id", 36))
                .col(boolean("helpful"))
                .col(text_null("comment"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("article_id").col("user_id"))
                .foreign_key(ForeignKey::create().name("fk_article_vote").from("article_vote", "article_id").to("article", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("article_suggestion")
                .col(string_len("token", 60))
                .col(big_integer("article_id"))
                .col(timestamp_with_time_zone("shown_at"))
                .col(boolean("filed").default(false))
                .primary_key(Index::create().col("token").col("article_id"))
                .foreign_key(ForeignKey::create().name("fk_article_suggestion").from("article_suggestion", "article_id").to("article", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_article_suggestion_article").table("article_suggestion").col("article_id").col("filed").to_owned()).await?;
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                db.execute_unprepared("CREATE VIRTUAL TABLE article_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')").await?;
            }
            _ => {
                db.execute_unprepared("CREATE TABLE article_search (article_id BIGINT PRIMARY KEY REFERENCES article (id), tsv TSVECTOR NOT NULL)").await?;
                db.execute_unprepared("CREATE INDEX ix_article_search_tsv ON article_search USING GIN (tsv)").await?;
                // As for the cases (m0005): the planner prices reading a search document like any
                // column and would scan every document; the matches come from the index alone.
                db.execute_unprepared(
                    "CREATE FUNCTION article_search_ids(q tsquery) RETURNS SETOF bigint \
                     LANGUAGE sql STABLE SET enable_seqscan = off SET enable_indexscan = off \
                     AS $$ SELECT article_id FROM article_search WHERE tsv @@ q $$",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DbBackend::Sqlite {
            db.execute_unprepared("DROP TABLE article_fts").await?;
        } else {
            db.execute_unprepared("DROP FUNCTION article_search_ids(tsquery)").await?;
            db.execute_unprepared("DROP TABLE article_search").await?;
        }
        for t in ["article_suggestion", "article_vote", "article_field", "article_ozg", "article_version", "article"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
