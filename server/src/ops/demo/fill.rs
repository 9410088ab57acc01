//! The demo's data: register records with an 18-month history for every Kommune of
//! Sachsen-Anhalt, Beratungsfälle in every status (see `cases`), advisors' annotations, saved
//! views, open invitations and a deactivated advisor — all marked as demo data. Only ever
//! written into a database that holds no data but reference data and demo data.

use super::people::{self, People};
use app::core::entities::{case_team, organisation, service_annotation};
use app::core::state::AppState;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set, Statement};

/// The seed of the demo's register (the same records on every machine).
pub const SEED: u64 = 2026;

/// What the database holds besides reference data, counted by its mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Holdings {
    pub demo_records: i64,
    pub demo_cases: i64,
    pub demo_accounts: i64,
    pub records: i64,
    pub cases: i64,
    pub accounts: i64,
}

impl Holdings {
    /// Data that is not demo data: register records, cases or accounts.
    pub fn real(&self) -> bool {
        self.records + self.cases + self.accounts > 0
    }

    /// Demo data beyond the accounts (the demo has been filled).
    pub fn filled(&self) -> bool {
        self.demo_records + self.demo_cases > 0
    }
}

async fn count(db: &impl ConnectionTrait, sql: &str) -> anyhow::Result<i64> {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string())).await?;
    Ok(match row {
        Some(r) => r.try_get_by_index::<i64>(0)?,
        None => 0,
    })
}

/// Counts what the database holds.
pub async fn holdings(db: &impl ConnectionTrait) -> anyhow::Result<Holdings> {
    Ok(Holdings {
        demo_records: count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM service_record WHERE demo").await?,
        demo_cases: count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM support_case WHERE demo").await?,
        demo_accounts: count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM app_user WHERE is_demo").await?,
        records: count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM service_record WHERE NOT demo").await?,
        cases: count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM support_case WHERE NOT demo").await?,
        accounts: count(db, "SELECT CAST(COUNT(*) AS BIGINT) FROM app_user WHERE NOT is_demo").await?,
    })
}

/// The refusal to mix demo data with real data, in German.
pub fn refusal(h: &Holdings) -> String {
    format!(
        "Die Datenbank enthält bereits Daten, die keine Demo-Daten sind ({} Registereinträge, {} Beratungsfälle, {} Konten). \
         Demo-Daten werden nur in eine Datenbank ohne echte Daten geschrieben.",
        h.records, h.cases, h.accounts
    )
}

/// What the fill wrote.
#[derive(Debug, Clone, Default)]
pub struct Filled {
    pub kommunen: usize,
    pub records: u64,
    pub history: u64,
    pub cases: usize,
    pub messages: usize,
    pub attachments: usize,
    pub annotations: usize,
    /// Wissensportal articles and events.
    pub articles: usize,
    pub events: usize,
    /// Connections to EfA services and funding applications.
    pub connections: usize,
    pub applications: usize,
    pub surveys: usize,
    pub gremien: usize,
    /// Reports of faults and requirements of the EfA services.
    pub reports: usize,
}

/// Fills the demo. Refuses a database with real data; does nothing when the demo is filled.
/// The demo accounts must exist (`super::ensure`).
#[tracing::instrument(skip_all)]
pub async fn fill(state: &AppState) -> anyhow::Result<Option<Filled>> {
    let db = &state.db;
    let h = holdings(db).await?;
    if h.real() {
        anyhow::bail!(refusal(&h));
    }
    if h.filled() {
        return Ok(None);
    }
    let kommunen: Vec<(String, String)> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Key)
        .column(organisation::Column::Id)
        .filter(organisation::Column::Kind.is_in(["kreisfreie_stadt", "landkreis", "einheitsgemeinde", "verbandsgemeinde", "mitgliedsgemeinde"]))
        .filter(organisation::Column::Key.starts_with("15"))
        .into_tuple()
        .all(db)
        .await?;
    let services = crate::synth::register::catalogue(db).await?;
    if kommunen.is_empty() || services.is_empty() {
        anyhow::bail!("Die Referenzdaten fehlen (Kommunen Sachsen-Anhalts, OZG-Katalog). Bitte zuerst »server import« ausführen.");
    }
    let mut filled = Filled { kommunen: kommunen.len(), ..Default::default() };
    let (records, history) = crate::synth::register::write_all(db, &kommunen, &services, SEED, crate::synth::register::DEMO, true, |_| {}).await?;
    filled.records = records;
    filled.history = history;
    app::rollups::rebuild(db).await.map_err(crate::fail)?;

    let people = people::ensure(state).await?;
    filled.annotations = annotate(db, &people).await?;
    let written = super::cases::write(state, &people, SEED).await?;
    filled.cases = written.cases;
    filled.messages = written.messages;
    filled.attachments = written.attachments;
    views(db, &people).await?;
    let (articles, events, _) = super::collab::write(state, &people).await?;
    filled.articles = articles;
    filled.events = events;
    let (connections, applications) = super::rollout::write(state, &people, SEED).await?;
    filled.surveys = super::surveys::write(state, &people).await?;
    filled.gremien = super::gremien::write(state, &people).await?;
    filled.reports = super::services::write(state, &people).await?;
    super::links::write(db, &people).await?;
    super::usage::write(db, SEED).await?;
    filled.connections = connections;
    filled.applications = applications;
    // The demo advisor leads the first-line team, so the start page shows the team's cases.
    if let Some(team) = case_team::Entity::find().filter(case_team::Column::LeadUserId.is_null()).one(db).await? {
        let mut t: case_team::ActiveModel = team.into();
        t.lead_user_id = Set(Some(people.advisor.id.clone()));
        t.update(db).await?;
    }
    people::accounts_waiting(state, &people).await?;
    // The demo advisor was last here three days ago: what came in since is new to them.
    let three_days_ago = app::core::time::now() - chrono::Duration::days(3);
    app::core::entities::app_user::Entity::update_many()
        .col_expr(app::core::entities::app_user::Column::LastLoginAt, sea_orm::sea_query::Expr::value(Some(three_days_ago)))
        .filter(app::core::entities::app_user::Column::Id.eq(people.advisor.id.clone()))
        .exec(db)
        .await?;
    derived(state).await?;
    app::core::audit::record(
        db,
        app::core::audit::Entry { action: app::vocabulary::audit::AuditAction::DemoFilled, detail: Some(format!("{} Registereinträge, {} Beratungsfälle", filled.records, filled.cases)), ..Default::default() },
    )
    .await?;
    Ok(Some(filled))
}

/// What is computed from the register and the cases: the service-level breaches, the case
/// statistics and the Lagebild's trend, as the background jobs would compute them.
pub async fn derived(state: &AppState) -> anyhow::Result<()> {
    let db = &state.db;
    let now = app::core::time::now();
    let err = crate::fail;
    app::cases::service::jobs::run(db, &state.config, now).await.map_err(err)?;
    app::lagebild::service::case_stats::refresh(db, state.config.suppression_threshold, now, true).await.map_err(err)?;
    app::lagebild::service::trend::refresh(db, &app::lagebild::service::cache(&state), "15", state.config.suppression_threshold, now, true).await.map_err(err)?;
    Ok(())
}

/// Notes of the Land's advisors on register entries of the demo clerks' Kommunen (recent).
async fn annotate(db: &impl ConnectionTrait, people: &People) -> anyhow::Result<usize> {
    const NOTES: [&str; 6] = [
        "Für diese Leistung gibt es einen EfA-Onlinedienst, den Sie nachnutzen können. Wir unterstützen beim Anschluss.",
        "Bitte prüfen Sie den geplanten Start: Der Termin ist verstrichen.",
        "Der Reifegrad scheint zu niedrig erfasst: Der Onlinedienst bietet bereits einen digitalen Bescheid.",
        "Die Zuständigkeit liegt nach unserer Kenntnis beim Landkreis. Bitte prüfen und ggf. anpassen.",
        "Hinweis: Die Leistungsbeschreibung im FIM-Katalog wurde aktualisiert.",
        "Gut umgesetzt – diese Lösung stellen wir anderen Kommunen als Beispiel vor.",
    ];
    let now = app::core::time::now();
    let mut n = 0;
    for (org_id, _) in people.clerk_orgs.iter().take(2) {
        let ozg: Vec<String> = app::core::entities::service_record::Entity::find()
            .select_only()
            .column(app::core::entities::service_record::Column::OzgId)
            .filter(app::core::entities::service_record::Column::OrganisationId.eq(org_id.clone()))
            .limit(NOTES.len() as u64)
            .into_tuple()
            .all(db)
            .await?;
        for (i, (ozg_id, body)) in ozg.into_iter().zip(NOTES).enumerate() {
            service_annotation::ActiveModel {
                id: Set(uuid::Uuid::now_v7().to_string()),
                organisation_id: Set(org_id.clone()),
                ozg_id: Set(ozg_id),
                author_id: Set(people.advisor.id.clone()),
                body: Set(body.to_string()),
                created_at: Set(now - chrono::Duration::days(2 + 4 * i as i64)),
            }
            .insert(db)
            .await?;
            n += 1;
        }
    }
    Ok(n)
}

/// Saved inbox views of the demo advisor.
async fn views(db: &impl ConnectionTrait, people: &People) -> anyhow::Result<()> {
    for (name, query) in [
        ("Dringend und offen", "ansicht=open&prioritaet=urgent"),
        ("EfA-Nachnutzung", "ansicht=open&kategorie=efa"),
        ("Wartet auf Kommune", "ansicht=waiting"),
        ("Landeshauptstadt Magdeburg", "ansicht=all&kommune=15003000"),
    ] {
        app::cases::service::views::save(db, &people.advisor.id, name, query).await.map_err(crate::fail)?;
    }
    Ok(())
}
