//! API tokens for programmatic access, the configurable maturity criteria (seeded with the
//! criteria of the models 1.1 and 2.0) and the per-criterion assessment on a register record.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (model, code, label) in display order. Admins edit, add and deactivate criteria later.
const CRITERIA: &[(&str, &str, &str)] = &[
    ("1.1", "leistungsbeschreibung", "Leistungsbeschreibung und Information"),
    ("1.1", "antrag", "Antragsprozess und Kontextintegration"),
    ("1.1", "nutzerkonto", "Nutzerkonto"),
    ("1.1", "authentifizierung", "Authentifizierung"),
    ("1.1", "bezahlung", "Bezahlprozess"),
    ("1.1", "nachweise", "Nachweise"),
    ("1.1", "schriftform", "Schriftformerfordernis"),
    ("1.1", "bescheid", "Bescheid und Rückkanal"),
    ("1.1", "status", "Statusinformation"),
    ("1.1", "once_only", "Once-Only"),
    ("2.0", "information", "Leistungsinformation"),
    ("2.0", "online_antrag", "Online-Antragsdienst"),
    ("2.0", "identifizierung", "Identifizierung und Nutzerkonto (DeutschlandID, Organisationskonto)"),
    ("2.0", "vertrauensniveau", "Vertrauensniveau und Schriftformersatz"),
    ("2.0", "nachweise", "Elektronische Nachweise"),
    ("2.0", "bezahlung", "Bezahlung (ePayment)"),
    ("2.0", "rueckkanal", "Rückkanal und Postfach"),
    ("2.0", "statusmonitor", "Statusmonitor"),
    ("2.0", "once_only", "Once-Only (NOOTS)"),
    ("2.0", "datenuebermittlung", "Medienbruchfreie Datenübermittlung an das Fachverfahren"),
    ("2.0", "prozess", "Prozessorientierung und Datenzentrierung"),
    ("2.0", "e_akte", "Digitale Bearbeitung und E-Akte"),
    ("2.0", "ende_zu_ende", "Ende-zu-Ende-Digitalisierung (Zahlungs- und HKR-Anbindung)"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("api_token")
                .col(string_len("id", 36).primary_key())
                .col(string_len("user_id", 36))
                .col(string_len("name", 100))
                .col(string_len_uniq("token_hash", 64))
                .col(string_len("prefix", 16))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(ForeignKey::create().name("fk_api_token_user").from("api_token", "user_id").to("app_user", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_api_token_user").table("api_token").col("user_id").to_owned()).await?;

        m.create_table(
            Table::create()
                .table("maturity_criterion")
                .col(string_len("id", 36).primary_key())
                .col(string_len("model", 4))
                .col(string_len("code", 40))
                .col(string_len("label", 200))
                .col(text_null("description"))
                .col(integer("position"))
                .col(boolean("active").default(true))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ux_maturity_criterion_model_code").table("maturity_criterion").col("model").col("code").unique().to_owned(),
        )
        .await?;
        let now = chrono::Utc::now();
        let mut insert = Query::insert();
        insert.into_table("maturity_criterion").columns(["id", "model", "code", "label", "position", "active", "updated_at"]);
        for (i, (model, code, label)) in CRITERIA.iter().enumerate() {
            let position = CRITERIA[..i].iter().filter(|c| c.0 == *model).count() as i32 + 1;
            insert.values_panic([
                uuid::Uuid::now_v7().to_string().into(),
                (*model).into(),
                (*code).into(),
                (*label).into(),
                position.into(),
                true.into(),
                now.into(),
            ]);
        }
        m.exec_stmt(insert).await?;

        m.alter_table(Table::alter().table("service_record").add_column(text_null("maturity_criteria")).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("service_record").drop_column("maturity_criteria").to_owned()).await?;
        m.drop_table(Table::drop().table("maturity_criterion").to_owned()).await?;
        m.drop_table(Table::drop().table("api_token").to_owned()).await?;
        Ok(())
    }
}
