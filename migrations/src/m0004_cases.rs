//! Beratungsfälle: categories, teams, service-level targets and working hours, cases with their
//! OZG-Leistungen, messages (public replies and internal notes), history, links, read markers,
//! saved views, attachments (stored in the database so every instance sees them),
//! notifications with preferences, the mail outbox, and the full-text index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn ts(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone(name)
}

fn ts_null(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone_null(name)
}

const CATEGORIES: &[(&str, &str)] = &[
    ("technik", "Technik/Anbindung"),
    ("recht", "Recht"),
    ("finanzierung", "Finanzierung/Förderung"),
    ("efa", "EfA-Nachnutzung"),
    ("prozesse", "Prozesse/FIM"),
    ("informationssicherheit", "Informationssicherheit"),
    ("sonstiges", "Sonstiges"),
];

/// (priority, first response, resolution) in business minutes of an 8-hour day.
const SLA: &[(&str, i32, i32)] = &[
    ("urgent", 4 * 60, 2 * 480),
    ("high", 480, 5 * 480),
    ("normal", 2 * 480, 10 * 480),
    ("low", 5 * 480, 20 * 480),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("case_category")
                .col(string_len("id", 36).primary_key())
                .col(string_len_uniq("code", 40))
                .col(string_len("label", 100))
                .col(integer("position"))
                .col(boolean("active").default(true))
                .to_owned(),
        )
        .await?;
        let mut insert = Query::insert();
        insert.into_table("case_category").columns(["id", "code", "label", "position", "active"]);
        for (i, (code, label)) in CATEGORIES.iter().enumerate() {
            insert.values_panic([uuid::Uuid::now_v7().to_string().into(), (*code).into(), (*label).into(), (i as i32 + 1).into(), true.into()]);
        }
        m.exec_stmt(insert).await?;

        m.create_table(
            Table::create()
                .table("case_team")
                .col(string_len("id", 36).primary_key())
                .col(string_len_uniq("name", 100))
                .col(string_len_null("lead_user_id", 36))
                .col(boolean("active").default(true))
                .foreign_key(ForeignKey::create().name("fk_case_team_lead").from("case_team", "lead_user_id").to("app_user", "id"))
                .to_owned(),
        )
        .await?;
        let mut insert = Query::insert();
        insert.into_table("case_team").columns(["id", "name", "active"]);
        insert.values_panic([uuid::Uuid::now_v7().to_string().into(), "Erstberatung".into(), true.into()]);
        m.exec_stmt(insert).await?;

        m.create_table(
            Table::create()
                .table("sla_target")
                .col(string_len("priority", 10).primary_key())
                .col(integer("first_response_minutes"))
                .col(integer("resolution_minutes"))
                .to_owned(),
        )
        .await?;
        let mut insert = Query::insert();
        insert.into_table("sla_target").columns(["priority", "first_response_minutes", "resolution_minutes"]);
        for (p, f, r) in SLA {
            insert.values_panic([(*p).into(), (*f).into(), (*r).into()]);
        }
        m.exec_stmt(insert).await?;

        // Working hours and other case settings: key → value.
        m.create_table(
            Table::create()
                .table("case_setting")
                .col(string_len("key", 40).primary_key())
                .col(string_len("value", 200))
                .to_owned(),
        )
        .await?;
        let mut insert = Query::insert();
        insert.into_table("case_setting").columns(["key", "value"]);
        for (k, v) in [("work_start", "08:00"), ("work_end", "16:00"), ("work_days", "1,2,3,4,5")] {
            insert.values_panic([k.into(), v.into()]);
        }
        m.exec_stmt(insert).await?;

        m.create_table(
            Table::create()
                .table("support_case")
                .col(big_pk_auto("id"))
                .col(string_len("organisation_id", 36))
                .col(string_len_null("acting_org_id", 36))
                .col(string_len("created_by", 36))
                .col(string_len("subject", 200))
                .col(text("description"))
                .col(string_len("category_id", 36))
                .col(date_null("desired_date"))
                .col(string_len("status", 20))
                .col(string_len("priority", 10))
                .col(string_len_null("team_id", 36))
                .col(string_len_null("owner_id", 36))
                .col(string_len("tags", 1000).default(""))
                .col(big_integer_null("duplicate_of"))
                .col(integer("version"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .col(ts("last_activity_at"))
                .col(ts("last_public_activity_at"))
                .col(ts_null("first_response_at"))
                .col(ts_null("solved_at"))
                .col(ts_null("closed_at"))
                .col(ts_null("paused_since"))
                .col(integer("paused_minutes").default(0))
                .col(ts("response_due_at"))
                .col(ts("resolution_due_at"))
                .col(ts_null("response_breached_at"))
                .col(ts_null("resolution_breached_at"))
                .col(string_len_null("idempotency_key", 64))
                .foreign_key(ForeignKey::create().name("fk_case_org").from("support_case", "organisation_id").to("organisation", "id"))
                .foreign_key(ForeignKey::create().name("fk_case_creator").from("support_case", "created_by").to("app_user", "id"))
                .foreign_key(ForeignKey::create().name("fk_case_category").from("support_case", "category_id").to("case_category", "id"))
                .foreign_key(ForeignKey::create().name("fk_case_team").from("support_case", "team_id").to("case_team", "id"))
                .foreign_key(ForeignKey::create().name("fk_case_owner").from("support_case", "owner_id").to("app_user", "id"))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("ix_case_status_updated", &["status", "updated_at"][..]),
            ("ix_case_updated", &["updated_at"][..]),
            ("ix_case_owner_status", &["owner_id", "status"][..]),
            ("ix_case_team_status", &["team_id", "status"][..]),
            ("ix_case_org_created", &["organisation_id", "created_at"][..]),
            ("ix_case_response_due", &["response_due_at"][..]),
            ("ix_case_resolution_due", &["resolution_due_at"][..]),
            ("ix_case_category", &["category_id"][..]),
            // Covering indexes: the "Überfällig"/"Bald fällig" views and the priority filter
            // are answered from the index alone.
            ("ix_case_running_due", &["status", "resolution_due_at", "first_response_at", "response_due_at"][..]),
            ("ix_case_priority_status", &["priority", "status", "updated_at"][..]),
        ] {
            let mut idx = Index::create();
            idx.name(name).table("support_case");
            for c in cols {
                idx.col(*c);
            }
            m.create_index(idx.to_owned()).await?;
        }
        m.create_index(
            Index::create().name("ux_case_idempotency").table("support_case").col("created_by").col("idempotency_key").unique().to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("case_ozg")
                .col(big_integer("case_id"))
                .col(string_len("ozg_id", 8))
                .primary_key(Index::create().col("case_id").col("ozg_id"))
                .foreign_key(ForeignKey::create().name("fk_case_ozg_case").from("case_ozg", "case_id").to("support_case", "id"))
                .foreign_key(ForeignKey::create().name("fk_case_ozg_service").from("case_ozg", "ozg_id").to("ozg_service", "ozg_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_case_ozg_ozg").table("case_ozg").col("ozg_id").to_owned()).await?;

        m.create_table(
            Table::create()
                .table("case_message")
                .col(string_len("id", 36).primary_key())
                .col(big_integer("case_id"))
                .col(string_len_null("author_user_id", 36))
                .col(string_len("author_side", 10))
                .col(boolean("internal"))
                .col(text("body"))
                .col(ts("created_at"))
                .foreign_key(ForeignKey::create().name("fk_case_message_case").from("case_message", "case_id").to("support_case", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_case_message_case").table("case_message").col("case_id").col("created_at").to_owned()).await?;

        m.create_table(
            Table::create()
                .table("case_event")
                .col(big_pk_auto("id"))
                .col(big_integer("case_id"))
                .col(ts("at"))
                .col(string_len_null("actor_user_id", 36))
                .col(string_len("kind", 20))
                .col(boolean("public"))
                .col(text("text"))
                .foreign_key(ForeignKey::create().name("fk_case_event_case").from("case_event", "case_id").to("support_case", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_case_event_case").table("case_event").col("case_id").col("id").to_owned()).await?;

        m.create_table(
            Table::create()
                .table("case_link")
                .col(big_integer("case_id"))
                .col(big_integer("other_id"))
                .col(ts("created_at"))
                .primary_key(Index::create().col("case_id").col("other_id"))
                .foreign_key(ForeignKey::create().name("fk_case_link_a").from("case_link", "case_id").to("support_case", "id"))
                .foreign_key(ForeignKey::create().name("fk_case_link_b").from("case_link", "other_id").to("support_case", "id"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("case_read")
                .col(string_len("user_id", 36))
                .col(big_integer("case_id"))
                .col(ts("read_at"))
                .primary_key(Index::create().col("user_id").col("case_id"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("saved_view")
                .col(string_len("id", 36).primary_key())
                .col(string_len("user_id", 36))
                .col(string_len("name", 80))
                .col(string_len("query", 2000))
                .col(ts("created_at"))
                .foreign_key(ForeignKey::create().name("fk_saved_view_user").from("saved_view", "user_id").to("app_user", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_saved_view_user").table("saved_view").col("user_id").to_owned()).await?;

        m.create_table(
            Table::create()
                .table("attachment")
                .col(string_len("id", 36).primary_key())
                .col(big_integer("case_id"))
                .col(boolean("internal"))
                .col(string_len("filename", 255))
                .col(string_len("content_type", 100))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                .col(string_len("uploaded_by", 36))
                .col(ts("created_at"))
                .foreign_key(ForeignKey::create().name("fk_attachment_case").from("attachment", "case_id").to("support_case", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_attachment_case").table("attachment").col("case_id").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("attachment_blob")
                .col(string_len("attachment_id", 36).primary_key())
                .col(blob("data"))
                .foreign_key(ForeignKey::create().name("fk_blob_attachment").from("attachment_blob", "attachment_id").to("attachment", "id"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("notification")
                .col(string_len("id", 36).primary_key())
                .col(string_len("user_id", 36))
                .col(big_integer_null("case_id"))
                .col(string_len("kind", 30))
                .col(string_len("text", 500))
                .col(ts("created_at"))
                .col(ts_null("read_at"))
                .foreign_key(ForeignKey::create().name("fk_notification_user").from("notification", "user_id").to("app_user", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_notification_user").table("notification").col("user_id").col("read_at").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("notification_pref")
                .col(string_len("user_id", 36))
                .col(string_len("kind", 30))
                .col(boolean("email"))
                .primary_key(Index::create().col("user_id").col("kind"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("mail_outbox")
                .col(big_pk_auto("id"))
                .col(string_len("recipient", 254))
                .col(string_len("subject", 300))
                .col(text("body"))
                .col(ts("created_at"))
                .col(integer("attempts").default(0))
                .col(ts("next_attempt_at"))
                .col(ts_null("sent_at"))
                .col(string_len_null("last_error", 500))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_mail_outbox_due").table("mail_outbox").col("sent_at").col("next_attempt_at").to_owned()).await?;

        // Full text: one document per case and visibility (the public one: subject, description
        // and replies; the internal one: the notes), so a search touches one row per case, not
        // one per message. SQLite: FTS5 with rowid = case id × 2 + internal; PostgreSQL: a table
        // with the German tsvector and a GIN index.
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                db.execute_unprepared("CREATE VIRTUAL TABLE case_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')").await?;
            }
            _ => {
                // Only the tsvector is kept (texts are appended as `tsv || to_tsvector(…)`): small
                // rows keep the index lookups cheap.
                db.execute_unprepared(
                    "CREATE TABLE case_search (case_id BIGINT NOT NULL REFERENCES support_case (id), internal BOOLEAN NOT NULL, \
                     tsv TSVECTOR NOT NULL, PRIMARY KEY (case_id, internal))",
                )
                .await?;
                db.execute_unprepared("CREATE INDEX ix_case_search_tsv ON case_search USING GIN (tsv)").await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DbBackend::Sqlite {
            db.execute_unprepared("DROP TABLE case_fts").await?;
        } else {
            db.execute_unprepared("DROP TABLE case_search").await?;
        }
        for t in [
            "mail_outbox",
            "notification_pref",
            "notification",
            "attachment_blob",
            "attachment",
            "saved_view",
            "case_read",
            "case_link",
            "case_event",
            "case_message",
            "case_ozg",
            "support_case",
            "case_setting",
            "sla_target",
            "case_team",
            "case_category",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
