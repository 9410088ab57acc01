//! The demo's Gremien: a public Lenkungskreis of Land and associations with public decisions,
//! and a working group on technology (members only) with a Kommune's clerk, the association and
//! the demo partner organisation — marked as demo data.

use super::people::People;
use app::core::state::AppState;
use app::gremien::model::{DecisionForm, GremiumForm, MemberForm};
use app::gremien::service::{Reader, bodies, decisions, meetings, members, minutes};
use chrono::{Duration, Utc};
use app::identity::Role;
use sea_orm::ConnectionTrait;

/// The demo partner organisation's key (removed with the demo when no real account is in it).
pub const PARTNER_KEY: &str = "ITDL-DEMO";

/// Sets up the demo partner organisation if it is missing (before the demo accounts).
pub async fn ensure_partner(state: &AppState) -> Result<(), String> {
    let exists = app::catalogue::service::orgs::by_key(&state.db, PARTNER_KEY).await.map_err(|e| e.to_string())?.is_some();
    if !exists {
        app::catalogue::service::partners::save(&state.db, None, PARTNER_KEY, "Demo IT-Dienstleister des Landes").await.map_err(|e| e.summary().join(" "))?;
    }
    Ok(())
}

fn email_of(role: Role) -> &'static str {
    super::ACCOUNTS.iter().find(|a| a.2 == role).map(|a| a.0).unwrap_or_default()
}

/// Writes the bodies, their members and decisions; returns how many bodies.
pub async fn write(state: &AppState, people: &People) -> anyhow::Result<usize> {
    let db = &state.db;
    let err = crate::fail;
    let now = Utc::now();
    let land = app::access::scope::Scope::Land;
    let host = Reader { scope: &land, user_id: Some(&people.advisor.id) };
    let day = |d: chrono::DateTime<Utc>| d.format("%Y-%m-%d").to_string();
    let steering = bodies::create(
        db,
        &people.advisor.id,
        GremiumForm {
            name: "Lenkungskreis Digitale Verwaltung".into(),
            purpose: "Land und kommunale Spitzenverbände steuern gemeinsam die Umsetzung des Onlinezugangsgesetzes in Sachsen-Anhalt: Prioritäten der Nachnutzung, Förderung und Standards.".into(),
            kind: "lenkungskreis".into(),
            visibility: "oeffentlich".into(),
        }
        .try_into()
        .map_err(err)?,
        now - Duration::days(200),
    )
    .await
    .map_err(err)?;
    let group = bodies::create(
        db,
        &people.advisor.id,
        GremiumForm {
            name: "AG Technik – Gemeinsam Digital".into(),
            purpose: "Die Arbeitsgruppe klärt die technischen Fragen der Anbindung von EfA-Diensten: Schnittstellen, Postfächer, Bezahldienste und Betrieb.".into(),
            kind: "arbeitsgruppe".into(),
            visibility: "mitglieder".into(),
        }
        .try_into()
        .map_err(err)?,
        now - Duration::days(120),
    )
    .await
    .map_err(err)?;
    for (body, email, role) in [
        (steering, email_of(Role::Association), "mitglied"),
        (steering, email_of(Role::Clerk), "gast"),
        (group, email_of(Role::Clerk), "mitglied"),
        (group, email_of(Role::Association), "mitglied"),
        (group, email_of(Role::Partner), "mitglied"),
    ] {
        members::add(db, host, body, MemberForm { email: email.into(), role: role.into() }.try_into().map_err(err)?, now - Duration::days(100)).await.map_err(err)?;
    }
    // A past meeting of the steering group with approved minutes, and one of the working group
    // coming up whose last minutes are circulated for comments.
    let local = |d: chrono::DateTime<Utc>, h: u32| format!("{}T{h:02}:00", app::core::time::utc_to_local_input(d).get(..10).unwrap_or_default());
    let meeting = |title: &str, at: chrono::DateTime<Utc>, place: &str, link: &str| app::gremien::work::MeetingForm { title: title.into(), starts: local(at, 10), ends: local(at, 12), place: place.into(), link: link.into() };
    let past = meetings::create(db, host, steering, meeting("Sitzung des Lenkungskreises", now - Duration::days(150), "Magdeburg, Staatskanzlei, Raum 2.14", "").try_into().map_err(err)?, now - Duration::days(170)).await.map_err(err)?;
    for (title, who_presents) in [("Begrüßung und Tagesordnung", "Vorsitz"), ("Stand der Fokusleistungen", "Landesberatung"), ("Prioritäten 2026", "Geschäftsstelle")] {
        meetings::add_item(db, host, past, (title.into(), Some(who_presents.into()), Some(20))).await.map_err(err)?;
    }
    let text = "## Anwesende\n\nLand, Städte- und Gemeindebund, Landkreistag.\n\n## Ergebnisse\n\n1. Der Stand der Fokusleistungen wurde vorgestellt.\n2. Der Lenkungskreis beschließt die Prioritäten 2026 (Beschluss 1).";
    for (body, title, text, days, votes, visibility) in [
        (steering, "Priorität der Fokusleistungen 2026", "Der Lenkungskreis empfiehlt den Kommunen, 2026 zuerst die Fokusleistungen **Wohngeld**, **Elterngeld** und **Meldebescheinigung** anzubinden.\n\nDie Landesberatung unterstützt mit Sprechstunden.", 150, ["9", "0", "1"], "oeffentlich"),
        (steering, "Gemeinsame Standards für Bezahldienste", "Kommunen, die einen EfA-Dienst mit Bezahlfunktion nachnutzen, verwenden den Bezahldienst des Landes.", 60, ["8", "1", "1"], "oeffentlich"),
        (steering, "Verteilung der Fördermittel für Anbindungen", "Die Mittel für die Anbindung von EfA-Diensten werden nach Einwohnerzahl und Stand der Umsetzung verteilt.", 20, ["10", "0", "0"], "kommunen"),
        (group, "Testumgebung für Postfachanbindungen", "Die Arbeitsgruppe richtet mit dem IT-Dienstleister eine gemeinsame Testumgebung ein.", 30, ["5", "0", "0"], "mitglieder"),
    ] {
        // The first was taken in the steering group's past meeting.
        let meeting = if days == 150 { past.to_string() } else { String::new() };
        let form = DecisionForm { title: title.into(), text: text.into(), decided_on: day(now - Duration::days(days)), yes: votes[0].into(), no: votes[1].into(), abstain: votes[2].into(), visibility: visibility.into(), meeting };
        decisions::record(db, host, body, form.try_into().map_err(err)?, now - Duration::days(days)).await.map_err(err)?;
    }
    minutes::save(db, host, past, 0, text, now - Duration::days(149)).await.map_err(err)?;
    minutes::circulate(db, &state.config, host, past, 1, text, Some((now - Duration::days(140)).date_naive()), now - Duration::days(149)).await.map_err(err)?;
    minutes::approve(db, host, past, 2, now - Duration::days(139)).await.map_err(err)?;
    let next = meetings::create(db, host, group, meeting("Dritte Sitzung der AG Technik", now + Duration::days(14), "", "https://video.example/ag-technik").try_into().map_err(err)?, now - Duration::days(2)).await.map_err(err)?;
    meetings::add_item(db, host, next, ("Testumgebung: Stand".into(), Some("IT-Dienstleister".into()), Some(30))).await.map_err(err)?;
    meetings::add_item(db, host, next, ("Postfachanbindung der Kommunen".into(), None, Some(45))).await.map_err(err)?;
    let last = meetings::create(db, host, group, meeting("Zweite Sitzung der AG Technik", now - Duration::days(20), "", "https://video.example/ag-technik").try_into().map_err(err)?, now - Duration::days(40)).await.map_err(err)?;
    let draft = "## Ergebnisse\n\nDie Testumgebung wird bis Monatsende eingerichtet. Offene Frage: Zertifikate der Kommunen.";
    minutes::save(db, host, last, 0, draft, now - Duration::days(3)).await.map_err(err)?;
    minutes::circulate(db, &state.config, host, last, 1, draft, Some((now + Duration::days(10)).date_naive()), now - Duration::days(2)).await.map_err(err)?;
    // Tasks: one overdue for Magdeburg (on the demo clerk's start page), one for the partner.
    for (title, owner, days, from) in [("Ansprechperson für die Postfachanbindung benennen", "15003000", -3, Some(last)), ("Testumgebung einrichten", PARTNER_KEY, 9, Some(last)), ("Prioritätenliste an die Kommunen senden", email_of(Role::Advisor), -100, Some(past))] {
        let form = app::gremien::work::TaskForm { title: title.into(), owner: owner.into(), due: (now + Duration::days(days)).format("%Y-%m-%d").to_string(), meeting: from.map(|m| m.to_string()).unwrap_or_default(), ..Default::default() };
        let body = if days == -100 { steering } else { group };
        let id = app::gremien::service::tasks::create(db, host, body, form.try_into().map_err(err)?, now - Duration::days(20)).await.map_err(err)?;
        if days == -100 {
            app::gremien::service::tasks::set_status(db, host, id, 1, app::gremien::work::TaskStatus::Done, "Versandt an alle Kommunen.", None, now - Duration::days(99)).await.map_err(err)?;
        }
    }
    db.execute_unprepared(&format!("UPDATE gremium SET demo = true WHERE id IN ({steering}, {group})")).await?;
    Ok(2)
}
