//! Auskunft (Art. 15 DSGVO): everything the portal holds about a person as one JSON document —
//! the account, its organisations, sign-ins and other entries of the audit log, the cases the
//! person filed and the messages they wrote, attachments they uploaded, notifications, saved
//! views, notification settings, the metadata of their API tokens (never secrets or hashes), their
//! answers to "hilfreich?" with comments, their registrations for events and the Wissensportal
//! articles they wrote, the steps of EfA connections they set, and the funding applications they
//! filed with the steps they took, their memberships in Gremien, their comments on minutes and
//! the documents of meetings they uploaded.

use crate::core::audit;
use crate::core::audit::Entry;
use crate::core::entities::{
    api_token, app_user, article, article_vote, attachment, audit_log, case_message, event, event_registration, notification, notification_pref, saved_view, support_case,
};
use crate::error::AppError;
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

fn t(v: chrono::DateTime<chrono::Utc>) -> String {
    crate::core::time::rfc(v)
}

/// The document for `user_id`; `actor` asked for it (the person or an administrator), audited.
#[tracing::instrument(skip_all)]
pub async fn export(db: &DatabaseConnection, actor: &str, user_id: &str) -> Result<Value, AppError> {
    let u = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    let orgs = crate::catalogue::service::orgs::of_user(db, user_id).await?;
    let log = audit_log::Entity::find()
        .filter(
            Condition::any()
                .add(audit_log::Column::ActorUserId.eq(user_id))
                .add(audit_log::Column::Object.eq(user_id))
                .add(audit_log::Column::Object.eq(u.email.clone())),
        )
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await?;
    let cases = support_case::Entity::find().filter(support_case::Column::CreatedBy.eq(user_id)).order_by_asc(support_case::Column::Id).all(db).await?;
    let messages = case_message::Entity::find().filter(case_message::Column::AuthorUserId.eq(user_id)).order_by_asc(case_message::Column::CreatedAt).all(db).await?;
    let files = attachment::Entity::find().filter(attachment::Column::UploadedBy.eq(user_id)).all(db).await?;
    let notes = notification::Entity::find().filter(notification::Column::UserId.eq(user_id)).order_by_asc(notification::Column::CreatedAt).all(db).await?;
    let ratings = crate::cases::service::ratings::of_person(db, user_id).await?;
    let views = saved_view::Entity::find().filter(saved_view::Column::UserId.eq(user_id)).all(db).await?;
    let prefs = notification_pref::Entity::find().filter(notification_pref::Column::UserId.eq(user_id)).all(db).await?;
    let tokens = api_token::Entity::find().filter(api_token::Column::UserId.eq(user_id)).all(db).await?;
    let votes = article_vote::Entity::find().filter(article_vote::Column::UserId.eq(user_id)).all(db).await?;
    let registrations = event_registration::Entity::find().filter(event_registration::Column::UserId.eq(user_id)).all(db).await?;
    let event_ids: Vec<i64> = registrations.iter().map(|r| r.event_id).collect();
    let titles: std::collections::HashMap<i64, String> = event::Entity::find().filter(event::Column::Id.is_in(event_ids)).all(db).await?.into_iter().map(|e| (e.id, e.title)).collect();
    let connection_steps = crate::rollout::service::query::steps_of_person(db, user_id).await?;
    let service_reports = crate::faults::service::reports::of_person(db, user_id).await?;
    let usage = crate::usage::service::own::of_person(db, user_id).await?;
    let digest = crate::core::entities::digest_subscription::Entity::find_by_id(user_id.to_string()).one(db).await?;
    let (applications, funding_steps) = crate::funding::service::applications::of_person(db, user_id).await?;
    let surveys = crate::surveys::service::of_person(db, user_id).await?;
    let survey_answers = crate::surveys::service::answers_of_person(db, user_id).await?;
    let survey_files = crate::surveys::service::files::of_person(db, user_id).await?;
    let selfchecks = crate::surveys::service::selfcheck::of_person(db, user_id).await?;
    let bodies = crate::gremien::service::members::of_person(db, user_id).await?;
    let minutes_comments = crate::gremien::service::minutes::comments_of(db, user_id).await?;
    let meeting_documents = crate::gremien::service::documents::of_person(db, user_id).await?;
    let written = article::Entity::find().filter(article::Column::AuthorId.eq(user_id)).order_by_asc(article::Column::Id).all(db).await?;
    let doc = json!({
        "erstellt": t(crate::core::time::now()),
        "hinweis": "Auskunft nach Art. 15 DSGVO: alle Daten, die das OZG-Portal Sachsen-Anhalt zu dieser Person speichert. Passwörter, Schlüssel des zweiten Faktors und API-Schlüssel sind nur als nicht umkehrbare Prüfwerte gespeichert und hier nicht enthalten.",
        "konto": {
            "id": u.id, "name": u.name, "email": u.email, "rolle": u.role, "aktiv": u.active,
            "ansprechperson": u.manages_clerks, "zweiter_faktor": u.totp_secret.is_some(),
            "landeskonto_verbunden": u.oidc_subject.is_some(),
            "angelegt": t(u.created_at), "passwort_geaendert": t(u.password_changed_at),
            "letzte_anmeldung": u.last_login_at.map(t),
            "vorletzte_anmeldung": u.previous_login_at.map(t),
        },
        "organisationen": orgs.iter().map(|o| json!({ "schluessel": o.key, "name": o.name, "art": o.kind.label() })).collect::<Vec<_>>(),
        "protokoll": log.iter().map(|e| json!({ "zeitpunkt": t(e.at), "aktion": e.action, "selbst_gehandelt": e.actor_user_id.as_deref() == Some(user_id), "adresse": e.ip, "einzelheiten": e.detail })).collect::<Vec<_>>(),
        "beratungsfaelle": cases.iter().map(|c| json!({ "nummer": c.id, "betreff": c.subject, "beschreibung": c.description, "status": c.status, "eingereicht": t(c.created_at) })).collect::<Vec<_>>(),
        "nachrichten": messages.iter().map(|m| json!({ "fall": m.case_id, "intern": m.internal, "text": m.body, "geschrieben": t(m.created_at) })).collect::<Vec<_>>(),
        "anhaenge": files.iter().map(|f| json!({ "fall": f.case_id, "datei": f.filename, "typ": f.content_type, "bytes": f.size, "hochgeladen": t(f.created_at) })).collect::<Vec<_>>(),
        "benachrichtigungen": notes.iter().map(|n| json!({ "fall": n.case_id, "art": n.kind, "text": n.text, "erstellt": t(n.created_at), "gelesen": n.read_at.map(t) })).collect::<Vec<_>>(),
        "bewertungen_der_beratung": ratings.iter().map(|(case, stars, comment, at)| json!({ "fall": case, "bewertung": stars, "kommentar": comment, "zeitpunkt": t(*at) })).collect::<Vec<_>>(),
        "gespeicherte_ansichten": views.iter().map(|v| json!({ "name": v.name, "filter": v.query, "angelegt": t(v.created_at) })).collect::<Vec<_>>(),
        "benachrichtigungseinstellungen": prefs.iter().map(|p| json!({ "art": p.kind, "email": p.email })).collect::<Vec<_>>(),
        "wissensartikel_bewertungen": votes.iter().map(|v| json!({ "artikel": v.article_id, "hilfreich": v.helpful, "kommentar": v.comment, "zeitpunkt": t(v.created_at) })).collect::<Vec<_>>(),
        "terminanmeldungen": registrations.iter().map(|r| json!({ "termin": r.event_id, "titel": titles.get(&r.event_id), "stand": r.status, "angemeldet": t(r.registered_at), "geaendert": t(r.changed_at) })).collect::<Vec<_>>(),
        "verfasste_wissensartikel": written.iter().map(|a| json!({ "artikel": a.id, "titel": a.title, "stand": a.status, "angelegt": t(a.created_at) })).collect::<Vec<_>>(),
        "angelegte_abfragen": surveys.iter().map(|(id, title, at)| json!({ "abfrage": id, "titel": title, "angelegt": t(*at) })).collect::<Vec<_>>(),
        "antworten_auf_abfragen": survey_answers.iter().map(|(id, title, kommune, saved, submitted)| json!({ "abfrage": id, "titel": title, "kommune": kommune, "zuletzt_gespeichert": t(*saved), "eingereicht": submitted.map(t) })).collect::<Vec<_>>(),
        "abgeschlossene_selbstchecks": selfchecks.iter().map(|(id, title, kommune, at, total)| json!({ "selbstcheck": id, "titel": title, "kommune": kommune, "abgeschlossen": t(*at), "gesamtwertung": total })).collect::<Vec<_>>(),
        "dateien_zu_abfragen": survey_files.iter().map(|(id, name, size, at)| json!({ "abfrage": id, "datei": name, "bytes": size, "hochgeladen": t(*at) })).collect::<Vec<_>>(),
        "anbindungsschritte": connection_steps.iter().map(|(c, s, at, note)| json!({ "anbindung": c, "schritt": s, "zeitpunkt": t(*at), "bemerkung": note })).collect::<Vec<_>>(),
        "eigene_nutzungszahlen": usage.iter().map(|(kommune, ozg, month, n, at)| json!({ "kommune": kommune, "leistung": ozg, "monat": month, "vorgaenge": n, "eingetragen": t(*at) })).collect::<Vec<_>>(),
        "wochenuebersicht": digest.map(|d| json!({ "bestellt_seit": t(d.since), "zuletzt_fuer_woche": d.sent_for.map(|w| w.to_string()) })),
        "meldungen_zu_efa_diensten": service_reports.iter().map(|(id, what, at)| json!({ "meldung": id, "taetigkeit": what, "zeitpunkt": t(*at) })).collect::<Vec<_>>(),
        "foerderantraege": applications.iter().map(|(id, title, status, at)| json!({ "antrag": id, "titel": title, "stand": status, "gestellt": t(*at) })).collect::<Vec<_>>(),
        "foerderschritte": funding_steps.iter().map(|(id, action, at)| json!({ "antrag": id, "schritt": action, "zeitpunkt": t(*at) })).collect::<Vec<_>>(),
        "mitgliedschaften_in_gremien": bodies.iter().map(|(name, role, since, until)| json!({ "gremium": name, "rolle": role.label(), "seit": t(*since), "bis": until.map(t) })).collect::<Vec<_>>(),
        "kommentare_zu_protokollen": minutes_comments.iter().map(|(m, v, text, at)| json!({ "sitzung": m, "fassung": v, "kommentar": text, "zeitpunkt": t(*at) })).collect::<Vec<_>>(),
        "unterlagen_zu_sitzungen": meeting_documents.iter().map(|(m, name, size, at)| json!({ "sitzung": m, "datei": name, "bytes": size, "hochgeladen": t(*at) })).collect::<Vec<_>>(),
        "api_schluessel": tokens.iter().map(|k| json!({ "name": k.name, "anfang": k.prefix, "umfang": k.scope, "angelegt": t(k.created_at), "gueltig_bis": t(k.expires_at), "zuletzt_benutzt": k.last_used_at.map(t), "widerrufen": k.revoked_at.map(t) })).collect::<Vec<_>>(),
    });
    audit::record(db, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::DataDisclosed, object: Some(user_id), ..Default::default() }).await?;
    Ok(doc)
}

/// The file name of a document.
pub fn file_name(user_id: &str) -> String {
    format!("auskunft-{}.json", user_id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>())
}

/// Refuses anything that is not `Value` serialisable (never happens) as an internal error.
pub fn to_bytes(doc: &Value) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec_pretty(doc).map_err(|_| AppError::Internal)
}
