//! Lagebild: which EfA services the Kommunen of each area reuse, for which OZG-Leistung, kept
//! with every register change. Filled here from the register as it stands (the same areas as
//! the rollups of m0006: Land, Kreis, Verbandsgemeinde, each also per member group).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const KINDS: &str = "('landkreis','kreisfreie_stadt','einheitsgemeinde','verbandsgemeinde','mitgliedsgemeinde')";
const GROUP: &str = "(CASE WHEN o.kind = 'landkreis' THEN 'lk' ELSE 'gem' END)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("agg_efa")
                .col(string_len("area_key", 16))
                .col(string_len("ozg_id", 8))
                .col(string_len("service", 200))
                .col(big_integer("kommunen").default(0))
                .primary_key(Index::create().col("area_key").col("ozg_id").col("service"))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        for base in ["substr(o.kreis_key, 1, 2)", "o.kreis_key", "CASE WHEN o.kind = 'verbandsgemeinde' THEN o.key ELSE v.key END"] {
            for (area, group_by) in [(base.to_string(), base.to_string()), (format!("{base} || ':' || {GROUP}"), format!("{base}, {GROUP}"))] {
                db.execute_unprepared(&format!(
                    "INSERT INTO agg_efa (area_key, ozg_id, service, kommunen) SELECT {area}, r.ozg_id, TRIM(r.solution_name), COUNT(*) \
                     FROM service_record r JOIN organisation o ON o.id = r.organisation_id LEFT JOIN organisation v ON v.id = o.verband_id \
                     WHERE o.kind IN {KINDS} AND {base} IS NOT NULL AND r.responsibility <> 'other' AND r.solution_kind = 'efa' \
                     AND r.solution_name IS NOT NULL AND TRIM(r.solution_name) <> '' GROUP BY {group_by}, r.ozg_id, TRIM(r.solution_name)"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("agg_efa").to_owned()).await?;
        Ok(())
    }
}
