//! The Gremien for the throughput benchmark: once per database, twenty bodies of the measuring
//! advisor (every visibility) with the measuring clerk of the first Kommune a member of each,
//! a hundred decisions per body over three years, six meetings with agenda and minutes, and
//! tasks owned by the clerk's Kommune — enough that the register pages and searches, and that a
//! body's page lists what a working group accumulates.

use app::access::scope::Scope;
use app::core::state::AppState;
use app::gremien::model::{DecisionForm, GremiumForm, MemberForm};
use app::gremien::service::{Reader, bodies, decisions, meetings, members, minutes, tasks};
use app::gremien::work::{MeetingForm, TaskForm};

/// What the benchmark measures on: a body, one of its meetings and a word of its decisions.
pub struct Seeded {
    pub body: i64,
    pub meeting: i64,
    pub word: &'static str,
}

const BODIES: usize = 20;
const DECISIONS: usize = 100;
const MEETINGS: usize = 6;

/// The Gremien of the benchmark, created on the first run.
pub async fn ensure(state: &AppState, advisor_id: &str, clerk_email: &str, kommune_key: &str) -> anyhow::Result<Seeded> {
    use app::core::entities::{gremium, gremium_meeting};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let db = &state.db;
    let err = crate::fail;
    let first = |id: i64| async move { gremium_meeting::Entity::find().filter(gremium_meeting::Column::GremiumId.eq(id)).order_by_asc(gremium_meeting::Column::Id).one(db).await };
    if let Some(b) = gremium::Entity::find().filter(gremium::Column::Name.eq("Messgremium 0")).one(db).await? {
        let m = first(b.id).await?.ok_or_else(|| anyhow::anyhow!("Das Messgremium hat keine Sitzung"))?;
        return Ok(Seeded { body: b.id, meeting: m.id, word: "Schnittstelle" });
    }
    println!("Gremien für die Messung anlegen ({BODIES} Gremien, {} Beschlüsse) …", BODIES * DECISIONS);
    let who = Reader { scope: &Scope::Land, user_id: Some(advisor_id) };
    let now = app::core::time::now();
    let topics = ["Schnittstelle", "Postfach", "Bezahldienst", "Servicekonto", "Formular", "Zertifikat", "Betrieb", "Förderung"];
    let visibilities = ["oeffentlich", "angemeldet", "mitglieder"];
    let mut seeded = None;
    for b in 0..BODIES {
        let visibility = visibilities[b % 3];
        let form = GremiumForm { name: format!("Messgremium {b}"), purpose: "Gremium für die Durchsatzmessung.".into(), kind: "arbeitsgruppe".into(), visibility: visibility.into() };
        let id = bodies::create(db, advisor_id, form.try_into().map_err(err)?, now).await.map_err(err)?;
        members::add(db, who, id, MemberForm { email: clerk_email.into(), role: "mitglied".into() }.try_into().map_err(err)?, now).await.map_err(err)?;
        let mut first_meeting = 0;
        for m in 0..MEETINGS {
            let day = (now - chrono::Duration::days(60 * m as i64 + 7)).format("%Y-%m-%d");
            let form = MeetingForm { title: format!("Sitzung {m}"), starts: format!("{day}T10:00"), ends: format!("{day}T12:00"), place: "Magdeburg".into(), link: String::new() };
            let meeting = meetings::create(db, who, id, form.try_into().map_err(err)?, now).await.map_err(err)?;
            for (i, topic) in topics.iter().enumerate().take(5) {
                meetings::add_item(db, who, meeting, (format!("{topic}: Stand {i}"), Some("Geschäftsstelle".into()), Some(20))).await.map_err(err)?;
            }
            let text = format!("## Ergebnisse\n\n{}", topics.iter().map(|t| format!("- {t}: besprochen, nächste Schritte vereinbart.")).collect::<Vec<_>>().join("\n"));
            minutes::save(db, who, meeting, 0, &text, now).await.map_err(err)?;
            if m == 0 {
                first_meeting = meeting;
            }
        }
        for d in 0..DECISIONS {
            let topic = topics[d % topics.len()];
            let on = (now - chrono::Duration::days((d * 10) as i64)).format("%Y-%m-%d").to_string();
            let visibility = if visibility == "oeffentlich" && d % 2 == 0 { "oeffentlich" } else if visibility != "mitglieder" && d % 3 == 0 { "kommunen" } else { "mitglieder" };
            let form = DecisionForm {
                title: format!("{topic}: Beschluss {d}"),
                text: format!("Die Arbeitsgruppe beschließt zu **{topic}** die Empfehlung Nummer {d}."),
                decided_on: on,
                yes: "7".into(),
                no: "1".into(),
                abstain: "1".into(),
                visibility: visibility.into(),
                meeting: String::new(),
            };
            decisions::record(db, who, id, form.try_into().map_err(err)?, now).await.map_err(err)?;
        }
        for t in 0..5 {
            let form = TaskForm { title: format!("Maßnahme {t}"), owner: kommune_key.into(), due: (now + chrono::Duration::days(t * 10 - 20)).format("%Y-%m-%d").to_string(), ..Default::default() };
            tasks::create(db, who, id, form.try_into().map_err(err)?, now).await.map_err(err)?;
        }
        if b == 0 {
            seeded = Some(Seeded { body: id, meeting: first_meeting, word: "Schnittstelle" });
        }
    }
    seeded.ok_or_else(|| anyhow::anyhow!("keine Gremien angelegt"))
}
