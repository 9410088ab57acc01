//! Server functions of one case: reading, filing, replying, changing, confirming, relating.

use crate::error::AppError;
use crate::cases::model::{CaseDetail, Category, Team};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::core::ctx;

/// A case page: the case as the caller may see it, plus the choices of the advisors' forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub detail: CaseDetail,
    pub teams: Vec<Team>,
    pub advisors: Vec<(String, String)>,
    /// German lines for the timers, in the order of `detail.case.sla`.
    pub sla_text: Vec<String>,
    pub max_upload: String,
    pub accepted: String,
    /// The caller may add files (a Kommune's clerk or an advisor, case not closed).
    pub can_upload: bool,
}

#[server(endpoint = "load_case")]
pub async fn load_case(id: String) -> Result<CaseView, AppError> {
    use crate::cases::service as cases;
    use crate::cases::service::{attachments, sla};
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let scope = crate::access::scope();
        let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
        let now = crate::core::time::now();
        let mut detail = cases::detail(&st.db, &scope, &user, id, now).await?;
        cases::mark_seen(&st.db, &user.id, &detail.case, now).await?;
        display_times(&mut detail.case);
        for m in &mut detail.messages {
            m.created_at = berlin(&m.created_at);
        }
        for e in &mut detail.events {
            e.at = berlin(&e.at);
        }
        for a in &mut detail.attachments {
            a.created_at = berlin(&a.created_at);
        }
        let dir = cases::directory::get(&st.db, &user.data_versions(&st.db).await?).await?;
        let sla_text = detail.case.sla.iter().map(|t| sla::describe(t, dir.settings.day_minutes())).collect();
        let advisor = crate::access::policy::is_advisor(&scope);
        let can_upload = (crate::access::policy::takes_part_in_cases(&scope) || detail.partner_view)
            && detail.case.status != crate::cases::model::CaseStatus::Closed;
        Ok(CaseView {
            teams: if advisor { cases::teams_of(&dir) } else { Vec::new() },
            advisors: if advisor { dir.advisors.clone() } else { Vec::new() },
            detail,
            sla_text,
            max_upload: attachments::human_size(st.config.attachment_max_bytes as i64),
            accepted: attachments::ACCEPTED.to_string(),
            can_upload,
        })
    }
    .await)
    .await
}

/// What the filing form offers: categories, the Kommunen the clerk may file for, a fresh
/// idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCaseForm {
    pub categories: Vec<Category>,
    /// (key, name), the clerk's own Kommune first.
    pub municipalities: Vec<(String, String)>,
    /// The clerk acts for several Kommunen of their own (not only a Verbandsgemeinde's members)
    /// and must choose one: no Kommune is preselected.
    #[serde(default)]
    pub choose: bool,
    pub idempotency_key: String,
    /// Wissensportal articles matching the subject and OZG-Leistungen of the first step (those
    /// of the Leistungen first).
    pub suggestions: Vec<crate::knowledge::model::Suggestion>,
    /// The catalogue as (OZG-ID, name), for the list of choices.
    pub services: Vec<(String, String)>,
    /// Known open faults of the EfA services the clerk's Kommunen use for these Leistungen: found
    /// before the same fault is filed as a case.
    #[serde(default)]
    pub known_faults: Vec<crate::faults::model::ReportItem>,
    /// The Leistungen of the first step as the list offers them ("Elterngeld (10000)"), `; `-separated.
    pub chosen: String,
}

/// The filing form; `subject` and `ozg_ids` from its first step find matching articles, which
/// are counted as shown (to learn which cases they avoid).
#[server(endpoint = "filing_form")]
pub async fn filing_form(#[server(default)] subject: String, #[server(default)] ozg_ids: String) -> Result<NewCaseForm, AppError> {
    use crate::knowledge::service::feedback;
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let scope = crate::access::scope();
        crate::access::policy::require_filer(&scope)?;
        // The first step is checked before anything is suggested: a subject, and Leistungen of
        // the catalogue (by name or OZG-ID).
        let services = crate::catalogue::service::ozg::names(&st.db).await?;
        let ids = crate::catalogue::model::resolve_services(&ozg_ids, &services);
        let names: std::collections::HashMap<&str, &str> = services.iter().map(|(o, n)| (o.as_str(), n.as_str())).collect();
        let mut e = std::collections::BTreeMap::new();
        if subject.trim().is_empty() {
            e.insert("betreff".to_string(), vec!["Bitte geben Sie einen Betreff ein: in einem Satz, worum es geht.".to_string()]);
        }
        let unknown: Vec<String> = ids
            .iter()
            .filter(|o| !names.contains_key(o.as_str()))
            .map(|o| format!("»{o}« ist keine OZG-Leistung des Katalogs: wählen Sie einen Eintrag der Liste oder geben Sie die OZG-ID ein."))
            .collect();
        if !unknown.is_empty() {
            e.insert("ozg".to_string(), unknown);
        } else if ids.len() > crate::cases::service::workflow::MAX_OZG {
            e.insert("ozg".to_string(), vec![format!("Höchstens {} OZG-Leistungen je Fall.", crate::cases::service::workflow::MAX_OZG)]);
        }
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        let chosen = ids.iter().map(|o| crate::catalogue::model::service_label(o, names.get(o.as_str()).copied().unwrap_or(""))).collect::<Vec<_>>().join("; ");
        let suggestions = feedback::matching(&st.db, &scope, &subject, &ids).await?;
        if !suggestions.is_empty() {
            let now = crate::core::time::now();
            let shown: Vec<i64> = suggestions.iter().map(|s| s.id).collect();
            feedback::shown(&st.db, &feedback::filing_token(&user.id, now), &shown, now).await?;
        }
        let mut municipalities = Vec::new();
        for o in &user.organisations {
            if o.kind.is_kommune() {
                municipalities.push((o.key.clone(), o.name.clone()));
            }
            for m in &o.members {
                municipalities.push((m.key.clone(), format!("{} (Mitgliedsgemeinde)", m.name)));
            }
        }
        let categories = crate::cases::service::category_list(&st.db).await?.into_iter().filter(|c| c.active).collect();
        let choose = user.organisations.iter().filter(|o| o.kind.is_kommune()).count() > 1;
        let known_faults = crate::faults::service::reports::open_faults_for_leistungen(&st.db, &scope, &ids).await?;
        Ok(NewCaseForm { categories, municipalities, choose, idempotency_key: uuid::Uuid::new_v4().to_string(), suggestions, services, chosen, known_faults })
    }
    .await)
    .await
}

/// Files a case; the browser goes to the new case.
#[server(endpoint = "file_case")]
pub async fn file_case(
    subject: String,
    category: String,
    description: String,
    #[server(default)] ozg_ids: String,
    #[server(default)] municipality: String,
    #[server(default)] desired_date: String,
    #[server(default)] idempotency_key: String,
) -> Result<(), AppError> {
    use crate::cases::model::NewCase;
    use crate::cases::service::workflow;
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let scope = crate::access::scope();
        let input = NewCase {
            subject,
            category,
            description,
            // By name or OZG-ID; what names no Leistung is refused by name (see `resolve_services`).
            ozg_ids: crate::catalogue::model::resolve_services(&ozg_ids, &crate::catalogue::service::ozg::names(&st.db).await?),
            municipality: Some(municipality).filter(|m| !m.trim().is_empty()),
            desired_date: Some(desired_date).filter(|d| !d.trim().is_empty()),
            idempotency_key: Some(idempotency_key).filter(|k| !k.trim().is_empty()),
        };
        let actor = workflow::Actor::new(&user, &scope, &st.config);
        let id = workflow::create(&st.db, &actor, &input).await?;
        leptos_axum::redirect(&format!("/faelle/{id}?angelegt=1"));
        Ok(())
    }
    .await)
    .await
}

/// An RFC 3339 instant as `TT.MM.JJJJ HH:MM` in Europe/Berlin (page DTOs carry display text,
/// so server and browser render the same).
#[cfg(feature = "ssr")]
pub(super) fn berlin(rfc: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc).map(|d| crate::core::time::format_berlin(d.with_timezone(&chrono::Utc))).unwrap_or_else(|_| rfc.to_string())
}

#[cfg(feature = "ssr")]
pub(super) fn display_times(c: &mut crate::cases::model::Case) {
    c.created_at = berlin(&c.created_at);
    c.updated_at = berlin(&c.updated_at);
    if let Some(d) = &c.desired_date {
        c.desired_date = Some(crate::ui::format::format_date(d));
    }
}

#[cfg(feature = "ssr")]
pub(super) fn parse_id(id: &str) -> Result<i64, AppError> {
    id.trim().parse::<i64>().map_err(|_| AppError::NotFound)
}

/// A public reply, or (advisors, `internal = "ja"`) an internal note.
#[server(endpoint = "reply_case")]
pub async fn reply_case(id: String, body: String, #[server(default)] internal: String, #[server(default)] warten: String) -> Result<(), AppError> {
    use crate::cases::service::workflow;
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let scope = crate::access::scope();
        let n = parse_id(&id)?;
        let internal = internal == "ja";
        let actor = workflow::Actor::new(&user, &scope, &st.config);
        workflow::add_message(&st.db, &actor, n, &body, internal, warten == "ja").await?;
        leptos_axum::redirect(&format!("/faelle/{n}?{}=1#unterhaltung", if internal { "notiert" } else { "gesendet" }));
        Ok(())
    }
    .await)
    .await
}

/// Status, owner, team, priority and tags (advisors), based on the version the form showed.
#[server(endpoint = "change_case")]
pub async fn change_case(
    id: String,
    version: String,
    #[server(default)] status: String,
    #[server(default)] owner_id: String,
    #[server(default)] team: String,
    #[server(default)] priority: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use crate::cases::model::{CasePatch, CaseStatus, Priority};
    use crate::cases::service::workflow;
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let scope = crate::access::scope();
        let n = parse_id(&id)?;
        let version = version.trim().parse::<i32>().map_err(|_| AppError::field("", "Die Version des Formulars fehlt; bitte laden Sie die Seite neu."))?;
        let status = match status.trim() {
            "" => None,
            s => Some(CaseStatus::from_code(s).ok_or_else(|| AppError::field("status", "Diesen Status gibt es nicht."))?),
        };
        let priority = match priority.trim() {
            "" => None,
            p => Some(Priority::from_code(p).ok_or_else(|| AppError::field("priority", "Diese Priorität gibt es nicht."))?),
        };
        let patch = CasePatch {
            version,
            status,
            owner_id: Some(owner_id),
            team: Some(team),
            priority,
            tags: Some(tags.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect()),
        };
        let actor = workflow::Actor::new(&user, &scope, &st.config);
        workflow::patch(&st.db, &actor, n, &patch).await?;
        leptos_axum::redirect(&format!("/faelle/{n}?geaendert=1"));
        Ok(())
    }
    .await)
    .await
}

/// The Kommune confirms the solution.
#[server(endpoint = "confirm_case")]
pub async fn confirm_case(id: String) -> Result<(), AppError> {
    use crate::cases::service::workflow;
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let scope = crate::access::scope();
        let n = parse_id(&id)?;
        let actor = workflow::Actor::new(&user, &scope, &st.config);
        workflow::confirm(&st.db, &actor, n).await?;
        leptos_axum::redirect(&format!("/faelle/{n}?bestaetigt=1"));
        Ok(())
    }
    .await)
    .await
}

/// Links to another case (`kind = "related"`) or closes this one as its duplicate.
#[server(endpoint = "relate_case")]
pub async fn relate_case(id: String, other: String, kind: String, #[server(default)] version: String) -> Result<(), AppError> {
    use crate::cases::service::workflow;
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let scope = crate::access::scope();
        let n = parse_id(&id)?;
        crate::cases::service::load_for(&st.db, &scope, n).await?;
        let other = other.trim().trim_start_matches('#').parse::<i64>().map_err(|_| AppError::field("other", "Bitte geben Sie die Nummer eines Falls an."))?;
        let actor = workflow::Actor::new(&user, &scope, &st.config);
        if kind == "duplicate" {
            let version = version.trim().parse::<i32>().map_err(|_| AppError::field("", "Die Version des Formulars fehlt; bitte laden Sie die Seite neu."))?;
            workflow::mark_duplicate(&st.db, &actor, n, other, version).await?;
        } else {
            workflow::link(&st.db, &actor, n, other).await?;
        }
        leptos_axum::redirect(&format!("/faelle/{n}?verknuepft=1"));
        Ok(())
    }
    .await)
    .await
}

/// Opens a Beratungsfall from a blocked item of a connection's checklist (clerks of the Kommune);
/// `an=betreiber` gives it to the service's operator instead of the Land.
#[server(endpoint = "connection_item_case")]
pub async fn connection_item_case(id: String, punkt: String, #[server(default)] an: Option<String>) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let scope = crate::access::scope();
        let id = ctx::numeric_id(&id)?;
        let position = punkt.trim().parse::<i32>().map_err(|_| AppError::NotFound)?;
        let actor = crate::cases::service::workflow::Actor::new(&user, &scope, &st.config);
        let to_operator = match an.as_deref().unwrap_or("land") {
            "land" => false,
            "betreiber" => true,
            _ => return Err(AppError::field("an", "Bitte wählen Sie, wer den Fall bearbeitet: die Landesberatung oder der Betreiber.")),
        };
        let case_id = crate::cases::service::workflow::from_blocked_item(&st.db, &actor, id, position, to_operator).await?;
        leptos_axum::redirect(&format!("/faelle/{case_id}"));
        Ok(())
    }
    .await)
    .await
}
