//! The cost plan of a funding application as rows (`funding_cost_item`: position, what, cents)
//! instead of a text read again on every view; the plans already filed are carried over.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One line of a stored plan (`Bezeichnung; 1.234,56`) as (what, cents); the text was written
/// by the portal, so a line it cannot read is kept with 0 cents rather than lost.
fn line(text: &str) -> (String, i64) {
    let Some((what, amount)) = text.rsplit_once(';') else { return (text.trim().to_string(), 0) };
    let digits: String = amount.trim().trim_end_matches('€').trim().replace('.', "");
    let (euros, cents) = digits.split_once(',').unwrap_or((&digits, "0"));
    let cents = format!("{cents:0<2}");
    let value = euros.parse::<i64>().unwrap_or(0) * 100 + cents.get(..2).and_then(|c| c.parse::<i64>().ok()).unwrap_or(0);
    (what.trim().to_string(), value)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("funding_cost_item")
                .col(big_integer("application_id"))
                .col(integer("position"))
                .col(string_len("what", 200))
                .col(big_integer("cents"))
                .primary_key(Index::create().col("application_id").col("position"))
                .foreign_key(ForeignKey::create().name("fk_funding_cost_item").from("funding_cost_item", "application_id").to("funding_application", "id").on_delete(ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let plans = db.query_all_raw(Statement::from_string(backend, "SELECT id, cost_plan FROM funding_application")).await?;
        for r in plans {
            let id: i64 = r.try_get("", "id")?;
            let text: String = r.try_get("", "cost_plan")?;
            for (i, l) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
                let (what, cents) = line(l);
                let insert = Query::insert()
                    .into_table("funding_cost_item")
                    .columns(["application_id", "position", "what", "cents"])
                    .values_panic([id.into(), (i as i32 + 1).into(), what.chars().take(200).collect::<String>().into(), cents.into()])
                    .to_owned();
                m.exec_stmt(insert).await?;
            }
        }
        m.alter_table(Table::alter().table("funding_application").drop_column("cost_plan").to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("funding_application").add_column(text("cost_plan").default("")).to_owned()).await?;
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let items = db.query_all_raw(Statement::from_string(backend, "SELECT application_id, what, cents FROM funding_cost_item ORDER BY application_id, position")).await?;
        let mut plans: std::collections::BTreeMap<i64, Vec<String>> = std::collections::BTreeMap::new();
        for r in items {
            let cents: i64 = r.try_get("", "cents")?;
            plans.entry(r.try_get("", "application_id")?).or_default().push(format!("{}; {},{:02}", r.try_get::<String>("", "what")?, cents / 100, cents % 100));
        }
        for (id, lines) in plans {
            let update = Query::update().table("funding_application").value("cost_plan", lines.join("\n")).and_where(Expr::col("id").eq(id)).to_owned();
            m.exec_stmt(update).await?;
        }
        m.drop_table(Table::drop().table("funding_cost_item").to_owned()).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn stored_lines_are_read_back_to_cents() {
        assert_eq!(super::line("Software; 8.000,00"), ("Software".to_string(), 800_000));
        assert_eq!(super::line("Schulung; 2.000,5"), ("Schulung".to_string(), 200_050));
        assert_eq!(super::line("a; b; 12"), ("a; b".to_string(), 1_200));
    }
}
