//! The checklist of a row of the Nachnutzungsübersicht as rows (`rollout_plan_item`: position,
//! label) instead of a text of lines read again on every view; the lists already kept are
//! carried over.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("rollout_plan_item")
                .col(string_len("ozg_id", 8))
                .col(integer("position"))
                .col(string_len("label", 300))
                .primary_key(Index::create().col("ozg_id").col("position"))
                .foreign_key(ForeignKey::create().name("fk_rollout_plan_item").from("rollout_plan_item", "ozg_id").to("rollout_plan", "ozg_id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let plans = db.query_all_raw(Statement::from_string(backend, "SELECT ozg_id, checklist FROM rollout_plan")).await?;
        for r in plans {
            let ozg_id: String = r.try_get("", "ozg_id")?;
            let text: String = r.try_get("", "checklist")?;
            for (i, label) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
                let insert = Query::insert()
                    .into_table("rollout_plan_item")
                    .columns(["ozg_id", "position", "label"])
                    .values_panic([ozg_id.clone().into(), (i as i32 + 1).into(), label.chars().take(300).collect::<String>().into()])
                    .to_owned();
                m.exec_stmt(insert).await?;
            }
        }
        m.alter_table(Table::alter().table("rollout_plan").drop_column("checklist").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("rollout_plan").add_column(text("checklist").default("")).to_owned()).await?;
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let items = db.query_all_raw(Statement::from_string(backend, "SELECT ozg_id, label FROM rollout_plan_item ORDER BY ozg_id, position")).await?;
        let mut lists: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
        for r in items {
            lists.entry(r.try_get("", "ozg_id")?).or_default().push(r.try_get("", "label")?);
        }
        for (ozg_id, lines) in lists {
            let update = Query::update().table("rollout_plan").value("checklist", lines.join("\n")).and_where(Expr::col("ozg_id").eq(ozg_id)).to_owned();
            m.exec_stmt(update).await?;
        }
        m.drop_table(Table::drop().table("rollout_plan_item").to_owned()).await
    }
}
