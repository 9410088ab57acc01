//! The demo's Wissensportal, Termine and Mitteilungen: published articles (written by the demo
//! advisor, reviewed by a second advisor), the next OZG-Sprechstunde with the demo clerk
//! registered, a workshop, a past Sprechstunde with its materials, and an announcement to every
//! Kommune — all marked as demo data. No mail is queued for them.

use app::knowledge::model::Audience;
use super::people::People;
use app::core::config::Config;
use app::core::state::AppState;
use app::events::service::{attend, store as events};
use app::knowledge::service::store::{self as articles, ArticleInput, Step};
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Statement};

const ARTICLES: [(&str, &str, &str, &str, Audience, &str); 5] = [
    (
        "Elterngeld digital anbieten: den EfA-Dienst nachnutzen",
        "Wie eine Kommune den Elterngeld-Antrag über den Einer-für-Alle-Dienst anbietet, statt ein eigenes Formular zu bauen.",
        "## Worum es geht\n\nDas Elterngeld wird als EfA-Leistung bereitgestellt. Kommunen, deren Elterngeldstelle zuständig ist, müssen kein eigenes Online-Formular betreiben.\n\n## Schritte\n\n1. Zuständigkeit im Leistungsregister als **eigene Leistung** erfassen.\n2. Die Nachnutzung beim Land anzeigen (Fall der Kategorie »EfA-Nachnutzung«).\n3. Das Postfach der Elterngeldstelle an das Landesportal anbinden.\n4. Im Register den Stand »online« mit dem Link setzen.\n\n## Häufige Fragen\n\n- *Brauchen wir einen eigenen Bezahldienst?* Nein, das Elterngeld ist gebührenfrei.\n- *Wer pflegt die Texte?* Der EfA-Dienst; örtliche Hinweise ergänzen Sie im Landesportal.",
        "Umsetzung",
        Audience::Public,
        "Elterngeld",
    ),
    (
        "Zahlungsverkehr anbinden: der Landesbasisdienst ePayment",
        "Was eine Kommune für gebührenpflichtige Online-Leistungen braucht und wie der Basisdienst angebunden wird.",
        "## Voraussetzungen\n\n- ein Kassenzeichen-Schema der Kämmerei\n- die Freigabe der Haushaltsstelle\n\n## Anbindung\n\nDie Anbindung beantragen Sie über einen Beratungsfall der Kategorie »Technik/Anbindung«. Die Landesberatung richtet den Mandanten ein; Ihre Kämmerei erhält die Zugangsdaten für den Abgleich.\n\n| Schritt | Dauer |\n|---|---|\n| Antrag | 1 Tag |\n| Einrichtung | etwa 2 Wochen |\n| Test | 1 Woche |",
        "Technik",
        Audience::Kommunen,
        "",
    ),
    (
        "Reifegrad 3: was »vollständig digital« verlangt",
        "Die Kriterien des OZG-Reifegradmodells für Stufe 3 und wie Sie sie im Register bewerten.",
        "## Stufe 3 in Kürze\n\nAntrag, Nachweise und Bescheid laufen digital; niemand muss für die Leistung ins Amt.\n\n## Bewerten im Register\n\nÖffnen Sie die Leistung im Leistungsregister und bewerten Sie jedes Kriterium. Ein Kriterium, das für die Leistung nicht gilt, markieren Sie als »nicht erforderlich«.\n\n> Tipp: Die Erklärung jedes Kriteriums steht in der Auswahl selbst.",
        "Recht",
        Audience::Public,
        "",
    ),
    (
        "Wohngeld online: Antrag und Nachweise",
        "Welche Nachweise der Online-Antrag auf Wohngeld braucht und wie die Wohngeldstelle sie digital erhält.",
        "## Nachweise\n\n- Einkommensnachweise aller Haushaltsmitglieder\n- Mietbescheinigung\n\nDie Nachweise werden im Antrag hochgeladen und kommen mit dem Antrag ins Postfach der Wohngeldstelle.\n\n## Bescheid\n\nDer Bescheid kann digital zugestellt werden, wenn die antragstellende Person das Postfach ihres Nutzerkontos nutzt.",
        "Umsetzung",
        Audience::Public,
        "Wohngeld",
    ),
    (
        "Barrierefreie Online-Formulare prüfen",
        "Eine kurze Prüfliste für Formulare nach BITV 2.0, bevor eine Leistung online geht.",
        "## Prüfliste\n\n1. Jedes Feld hat eine sichtbare Beschriftung.\n2. Fehler stehen beim Feld und oben zusammengefasst.\n3. Alles ist mit der Tastatur bedienbar.\n4. Die Kontraste reichen (mindestens 4,5 : 1).\n\nMehr in der [BITV 2.0](https://www.gesetze-im-internet.de/bitv_2_0/).",
        "Barrierefreiheit",
        Audience::Public,
        "",
    ),
];

async fn mark(db: &impl ConnectionTrait, table: &str, id: i64) -> anyhow::Result<()> {
    db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), format!("UPDATE {table} SET demo = true WHERE id = {id}"), [])).await?;
    Ok(())
}

/// The OZG-ID and Themenfeld of the first catalogue entry whose name starts with `name`.
async fn ozg_of(db: &impl ConnectionTrait, name: &str) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    if name.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    Ok(app::core::entities::ozg_service::Entity::find()
        .filter(app::core::entities::ozg_service::Column::Name.starts_with(name))
        .order_by_asc(app::core::entities::ozg_service::Column::OzgId)
        .one(db)
        .await?
        .map(|s| (vec![s.ozg_id], vec![s.themenfeld]))
        .unwrap_or_default())
}

/// Writes the content; returns (articles, events, announcements).
pub async fn write(state: &AppState, people: &People) -> anyhow::Result<(usize, usize, usize)> {
    let db = &state.db;
    // Demo content queues no mail, whatever the SMTP settings.
    let quiet = Config { mail_enabled: false, ..(*state.config).clone() };
    let now = Utc::now();
    let err = crate::fail;
    let author = &people.advisor.id;
    let reviewer = &people.advisors.get(1).unwrap_or(&people.advisor).id;
    for (i, (title, summary, body, category, audience, service)) in ARTICLES.iter().enumerate() {
        let (ozg_ids, themenfelder) = ozg_of(db, service).await?;
        let input = ArticleInput { title: title.to_string(), summary: summary.to_string(), body: body.to_string(), category: category.to_string(), tags: "Demo".into(), audience: Some(*audience), ozg_ids, themenfelder, version: 0 };
        let written = now - Duration::days(40 - i as i64 * 6);
        let id = articles::create(db, author, input, None, written).await.map_err(err)?;
        articles::step(db, &quiet, author, id, Step::Submit, None, written).await.map_err(err)?;
        articles::step(db, &quiet, reviewer, id, Step::Publish, Some(1), written + Duration::hours(3)).await.map_err(err)?;
        mark(db, "article", id).await?;
    }
    // `JJJJ-MM-TTTHH:00` in Europe/Berlin, `days` from today.
    let at = |days: i64, hour: u32| format!("{}T{hour:02}:00", &events::utc_to_local_input(now + Duration::days(days))[..10]);
    let event = |title: &str, description: &str, days: i64, place: &str, link: &str, capacity: &str, audience: Audience| {
        app::events::model::EventInput::try_from(app::events::model::EventForm {
            title: title.into(),
            description: description.into(),
            starts: at(days, 10),
            ends: at(days, 12),
            online_url: link.into(),
            place: place.into(),
            capacity: capacity.into(),
            audience: audience.code().into(),
            ..Default::default()
        })
    };
    let sprechstunde = events::create(db, author, event("OZG-Sprechstunde", "Die Landesberatung beantwortet Ihre Fragen zur OZG-Umsetzung. Bringen Sie gern konkrete Fälle mit.", 7, "", "https://konferenz.sachsen-anhalt.example/ozg-sprechstunde", "30", Audience::Kommunen).map_err(err)?, now).await.map_err(err)?;
    let workshop = events::create(db, author, event("Workshop: EfA-Dienste nachnutzen", "Schritt für Schritt von der Anzeige der Nachnutzung bis zum Stand »online« – mit Beispielen aus Kommunen.", 21, "Magdeburg, Landesverwaltungsamt, Raum 1.12", "", "20", Audience::Public).map_err(err)?, now).await.map_err(err)?;
    let past = events::create(db, author, event("OZG-Sprechstunde (Rückblick)", "Fragen zu Elterngeld und Wohngeld.", -14, "", "https://konferenz.sachsen-anhalt.example/ozg-sprechstunde", "", Audience::Kommunen).map_err(err)?, now - Duration::days(30)).await.map_err(err)?;
    events::materials(db, author, past, "## Ergebnisse\n\n- Elterngeld: Nachnutzung des EfA-Dienstes empfohlen.\n- Wohngeld: Nachweise kommen mit dem Antrag ins Postfach.", now).await.map_err(err)?;
    for id in [sprechstunde, workshop, past] {
        mark(db, "event", id).await?;
    }
    attend::register(db, &quiet, &people.clerk, sprechstunde, now).await.map_err(err)?;
    let input = app::announcements::service::AnnouncementInput {
        title: "Neu im Portal: Wissensportal und OZG-Sprechstunde".into(),
        body: "Antworten der Landesberatung finden Sie jetzt im **Wissensportal**; zur nächsten OZG-Sprechstunde melden Sie sich unter »Termine« an.".into(),
        target: Some(app::announcements::model::Target::All),
        value: Vec::new(),
        expires: events::utc_to_local_input(now + Duration::days(60))[..10].to_string(),
    };
    let (announcement, _) = app::announcements::service::publish(db, &quiet, author, input, now).await.map_err(err)?;
    mark(db, "announcement", announcement).await?;
    Ok((ARTICLES.len(), 3, 1))
}
