//! `server cases seed`: a large, reproducible set of Beratungsfälle for measurements (default
//! 100,000 cases with 1,000,000 messages over Sachsen-Anhalt's Kommunen), written with bulk
//! inserts including the full-text index. Meant for a separate benchmark database.

use app::identity::Role;
use app::cases::model::{CaseStatus, Priority};
use app::cases::service::sla;
use app::core::entities::{case_category, case_message, case_team, organisation, support_case};
use app::core::state::AppState;
use chrono::Duration;
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Set, Statement, TransactionTrait};

/// Cases per transaction (with their messages).
const CASES_PER_TXN: usize = 500;
/// Rows per INSERT statement.
const CHUNK: usize = 500;

/// Words the generated texts are made of: the vocabulary of OZG support requests.
pub const WORDS: &[&str] = &[
    "Antrag", "Anbindung", "Schnittstelle", "Fachverfahren", "Nutzerkonto", "BundID", "ePayment", "Gebühren", "Bescheid", "Postfach",
    "Rückkanal", "Formular", "Onlinedienst", "EfA", "Nachnutzung", "Vertrag", "Dienstleister", "Rechenzentrum", "Datenschutz",
    "Informationssicherheit", "Schutzbedarf", "Förderung", "Fördermittel", "Haushalt", "Kostenbeteiligung", "Prozess", "FIM",
    "Stammtext", "Leistungsbeschreibung", "Zuständigkeit", "Landkreis", "Verbandsgemeinde", "Bauantrag", "Wohngeld", "Elterngeld",
    "Ummeldung", "Kfz", "Zulassung", "Gewerbeanmeldung", "Hundesteuer", "Personalausweis", "Meldebescheinigung", "Signatur",
    "Schriftform", "Vertrauensniveau", "eID", "Nachweis", "Once-Only", "Register", "XÖV", "Standard", "Übermittlung", "Test",
    "Produktion", "Freischaltung", "Zertifikat", "Fehlermeldung", "Störung", "Wartung", "Schulung", "Handreichung", "Vorlage",
    "Rechtsgrundlage", "Satzung", "Ermächtigung", "Frist", "Termin", "Rückfrage", "Abstimmung", "Ansprechperson", "Bürgerbüro",
    "Ordnungsamt", "Bauamt", "Standesamt", "Kämmerei", "Personal", "Kapazität", "Priorität", "Umsetzung", "Pilot", "Rollout",
    "Dokumentation", "Barrierefreiheit", "Sprache", "Mobilgerät", "Browser", "Anmeldung", "Passwort", "Zugang", "Berechtigung",
    "Serviceportal", "Landesportal", "Beteiligungsportal", "Zahlungsverkehr", "Buchung", "Kassenzeichen", "Mahnung", "Erstattung",
];

/// The vocabulary of generated texts: half of the words from the common support vocabulary,
/// half from the words of the OZG catalogue's service names, drawn with a long tail (a few
/// words very often, most rarely) as in real correspondence.
pub struct Vocabulary {
    pub rare: Vec<String>,
}

impl Vocabulary {
    #[tracing::instrument(skip_all)]
    pub async fn load(db: &impl ConnectionTrait) -> anyhow::Result<Vocabulary> {
        let names: Vec<String> = app::core::entities::ozg_service::Entity::find().all(db).await?.into_iter().map(|s| s.name).collect();
        let mut rare: Vec<String> = names
            .iter()
            .flat_map(|n| n.split(|c: char| !c.is_alphanumeric()).map(str::to_string).collect::<Vec<_>>())
            .filter(|w| w.chars().count() >= 5)
            .collect();
        rare.sort();
        rare.dedup();
        if rare.is_empty() {
            anyhow::bail!("Der OZG-Katalog fehlt. Bitte zuerst »server import« ausführen.");
        }
        Ok(Vocabulary { rare })
    }

    pub fn word(&self, rng: &mut StdRng) -> String {
        if rng.gen_bool(0.5) {
            (*WORDS.choose(rng).unwrap_or(&"Antrag")).to_string()
        } else {
            // Index u³·n: the first words of the list are frequent, the tail is rare.
            let u: f64 = rng.r#gen();
            let i = ((u * u * u) * self.rare.len() as f64) as usize;
            self.rare[i.min(self.rare.len() - 1)].clone()
        }
    }

    pub fn sentence(&self, rng: &mut StdRng, words: usize) -> String {
        (0..words).map(|_| self.word(rng)).collect::<Vec<_>>().join(" ")
    }
}

async fn ensure_user(state: &AppState, email: &str, name: &str, role: Role, org: &str) -> anyhow::Result<String> {
    if let Some(u) = app::accounts::service::users::find_by_email(&state.db, email).await? {
        return Ok(u.id);
    }
    app::accounts::service::users::create(
        &state.db,
        &state.hasher,
        None,
        app::accounts::service::users::NewUser { email: email.into(), name: name.into(), role, org_keys: vec![org.into()], password: format!("Messdaten {}", uuid::Uuid::new_v4()), is_demo: false },
    )
    .await
    .map_err(crate::fail)?;
    Ok(app::accounts::service::users::find_by_email(&state.db, email).await?.ok_or_else(|| anyhow::anyhow!("{email} fehlt"))?.id)
}

/// Writes `cases` cases with `messages` messages in all; returns (cases, messages) written.
#[tracing::instrument(skip_all)]
pub async fn seed(state: &AppState, cases: usize, messages: usize, seed: u64) -> anyhow::Result<(usize, usize)> {
    let db = &state.db;
    let kommunen: Vec<organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Kind.is_in(["kreisfreie_stadt", "landkreis", "einheitsgemeinde", "verbandsgemeinde", "mitgliedsgemeinde"]))
        .filter(organisation::Column::Key.starts_with("15"))
        .all(db)
        .await?;
    if kommunen.is_empty() {
        anyhow::bail!("Keine Kommunen Sachsen-Anhalts in der Datenbank. Bitte zuerst »server import« ausführen.");
    }
    let categories: Vec<String> = case_category::Entity::find().all(db).await?.into_iter().map(|c| c.id).collect();
    let teams: Vec<String> = case_team::Entity::find().all(db).await?.into_iter().map(|t| t.id).collect();
    let mut advisors = Vec::new();
    for i in 0..10 {
        advisors.push(ensure_user(state, &format!("mess.beratung{i}@ozg-portal.example"), &format!("Messdaten Beratung {i}"), Role::Advisor, "LAND").await?);
    }
    let mut clerks = Vec::new();
    for (i, k) in kommunen.iter().take(10).enumerate() {
        clerks.push(ensure_user(state, &format!("mess.kommune{i}@ozg-portal.example"), &format!("Messdaten Kommune {i}"), Role::Clerk, &k.key).await?);
    }
    let settings = sla::settings(db).await?;
    let words = Vocabulary::load(db).await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let now = app::core::time::now();
    let sqlite = db.get_database_backend() == DbBackend::Sqlite;
    let per_case = (messages / cases.max(1)).max(0);
    let bar = ProgressBar::new(cases as u64);
    bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} Fälle ({per_sec}, noch {eta})").unwrap_or_else(|_| ProgressStyle::default_bar()));
    let (mut written_cases, mut written_messages) = (0usize, 0usize);
    let mut left = cases;
    while left > 0 {
        let n = left.min(CASES_PER_TXN);
        left -= n;
        let tx = db.begin().await?;
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            let created = now - Duration::minutes(rng.gen_range(0..(2 * 365 * 24 * 60)));
            let status = match rng.gen_range(0..100) {
                0..8 => CaseStatus::New,
                8..15 => CaseStatus::Triage,
                15..30 => CaseStatus::InProgress,
                30..38 => CaseStatus::Waiting,
                38..45 => CaseStatus::Solved,
                _ => CaseStatus::Closed,
            };
            let priority = *[Priority::Low, Priority::Normal, Priority::Normal, Priority::Normal, Priority::High, Priority::Urgent].choose(&mut rng).unwrap_or(&Priority::Normal);
            let (resp, resol) = settings.due_dates(priority, created, 0);
            let updated = created + Duration::minutes(rng.gen_range(0..60 * 24 * 30));
            let updated = updated.min(now);
            let owner = (status != CaseStatus::New && rng.gen_bool(0.8)).then(|| advisors.choose(&mut rng).cloned()).flatten();
            let answered = !matches!(status, CaseStatus::New) && rng.gen_bool(0.9);
            let tags = if rng.gen_bool(0.3) { format!(",{},", WORDS.choose(&mut rng).unwrap_or(&"Test")) } else { String::new() };
            rows.push(support_case::ActiveModel {
                id: sea_orm::NotSet,
                organisation_id: Set(kommunen.choose(&mut rng).map(|k| k.id.clone()).unwrap_or_default()),
                acting_org_id: Set(None),
                created_by: Set(clerks.choose(&mut rng).cloned().unwrap_or_default()),
                subject: Set({
                    let n = rng.gen_range(3..8);
                    words.sentence(&mut rng, n)
                }),
                description: Set({
                    let n = rng.gen_range(20..60);
                    words.sentence(&mut rng, n)
                }),
                category_id: Set(categories.choose(&mut rng).cloned().unwrap_or_default()),
                desired_date: Set(None),
                status: Set(status.code().into()),
                priority: Set(priority.code().into()),
                team_id: Set(teams.choose(&mut rng).cloned().filter(|_| owner.is_some())),
                owner_id: Set(owner),
                tags: Set(tags),
                duplicate_of: Set(None),
                version: Set(1),
                public_version: Set(1),
                created_at: Set(created),
                updated_at: Set(updated),
                last_activity_at: Set(updated),
                last_public_activity_at: Set(updated),
                first_response_at: Set(answered.then(|| created + Duration::minutes(rng.gen_range(10..3000)))),
                solved_at: Set(matches!(status, CaseStatus::Solved | CaseStatus::Closed).then_some(updated)),
                closed_at: Set((status == CaseStatus::Closed).then_some(updated)),
                paused_since: Set(matches!(status, CaseStatus::Waiting | CaseStatus::Solved).then_some(updated)),
                paused_minutes: Set(0),
                response_due_at: Set(resp),
                resolution_due_at: Set(resol),
                response_breached_at: Set(None),
                resolution_breached_at: Set(None),
                idempotency_key: Set(None),
                demo: Set(false),
                // Set by the trigger on the messages below (m0042).
                land_answered_at: Set(None),
                followup_since: Set(None),
                followup_paused_base: Set(0),
                followup_due_at: Set(None),
                followup_answered_at: Set(None),
                followup_breached_at: Set(None),
                partner_org_id: Set(None),
            });
        }
        // Inserted one chunk at a time to learn the ids (auto-increment, in order).
        let mut ids = Vec::with_capacity(n);
        for chunk in rows.chunks(CHUNK) {
            let texts: Vec<String> = chunk
                .iter()
                .map(|r| match (&r.subject, &r.description) {
                    (sea_orm::ActiveValue::Set(a), sea_orm::ActiveValue::Set(b)) => format!("{a}\n{b}"),
                    _ => String::new(),
                })
                .collect();
            let last = support_case::Entity::insert_many(chunk.to_vec()).exec(&tx).await?.last_insert_id.ok_or_else(|| anyhow::anyhow!("keine Fallnummer vergeben"))?;
            let first = last - chunk.len() as i64 + 1;
            for (i, text) in texts.into_iter().enumerate() {
                ids.push((first + i as i64, text));
            }
        }
        let mut msgs = Vec::with_capacity(n * per_case);
        // One search document per case and visibility, as the service keeps them.
        let mut docs: Vec<(i64, bool, String)> = Vec::with_capacity(n * 2);
        for (id, text) in &ids {
            let mut public = text.clone();
            let mut notes = String::new();
            for j in 0..per_case {
                let from_land = j % 2 == 1;
                let internal = from_land && rng.gen_bool(0.4);
                let n = rng.gen_range(10..40);
                let body = words.sentence(&mut rng, n);
                let doc = if internal { &mut notes } else { &mut public };
                doc.push('\n');
                doc.push_str(&body);
                msgs.push(case_message::ActiveModel {
                    id: Set(uuid::Uuid::new_v4().to_string()),
                    case_id: Set(*id),
                    author_user_id: Set(Some(if from_land { advisors[0].clone() } else { clerks[0].clone() })),
                    author_side: Set(if from_land { "land" } else { "kommune" }.into()),
                    internal: Set(internal),
                    body: Set(body),
                    created_at: Set(now - Duration::minutes(rng.gen_range(0..60 * 24 * 700))),
                });
            }
            docs.push((*id, false, public));
            if !notes.is_empty() {
                docs.push((*id, true, notes));
            }
        }
        for chunk in msgs.chunks(CHUNK) {
            case_message::Entity::insert_many(chunk.to_vec()).exec(&tx).await?;
        }
        for chunk in docs.chunks(CHUNK) {
            let mut values: Vec<sea_orm::Value> = Vec::with_capacity(chunk.len() * 3);
            let sql = if sqlite {
                for (id, internal, body) in chunk {
                    values.push((id * 2 + i64::from(*internal)).into());
                    values.push(body.clone().into());
                }
                format!("INSERT INTO case_fts (rowid, body) VALUES {}", vec!["(?, ?)"; chunk.len()].join(", "))
            } else {
                let mut rows = Vec::with_capacity(chunk.len());
                for (i, (id, internal, body)) in chunk.iter().enumerate() {
                    values.push((*id).into());
                    values.push((*internal).into());
                    values.push(body.clone().into());
                    rows.push(format!("(${}, ${}, strip(to_tsvector('german', ${})))", 3 * i + 1, 3 * i + 2, 3 * i + 3));
                }
                format!("INSERT INTO case_search (case_id, internal, tsv) VALUES {}", rows.join(", "))
            };
            tx.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?;
        }
        tx.commit().await?;
        written_cases += n;
        written_messages += msgs.len();
        bar.inc(n as u64);
    }
    bar.finish_and_clear();
    if !sqlite {
        // Vacuumed as well as analysed, as after any bulk load: the counts of the inbox are read
        // from indexes alone only where the visibility map marks a page all visible.
        for table in ["support_case", "case_message", "case_search"] {
            db.execute_unprepared(&format!("VACUUM (ANALYZE) {table}")).await?;
        }
    } else {
        db.execute_unprepared("ANALYZE;").await?;
    }
    Ok((written_cases, written_messages))
}
