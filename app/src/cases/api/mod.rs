//! Server functions of the Beratungsfälle pages (the REST API shares the same service).

pub mod settings;

use crate::error::AppError;
use crate::cases::model::{CaseDetail, CasePage, Category, Team};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// The inbox page: one page of cases and what the filter form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxView {
    pub page: CasePage,
    pub advisor: bool,
    /// The caller works cases (a Land advisor; administrators only read): bulk actions and
    /// own views.
    pub can_bulk: bool,
    /// The caller files cases (a Kommune's clerk).
    pub can_file: bool,
    pub categories: Vec<Category>,
    pub teams: Vec<Team>,
    /// (id, name) of the active advisors.
    pub advisors: Vec<(String, String)>,
    /// (id, name, query string) of the caller's own saved views.
    pub saved_views: Vec<(String, String, String)>,
    /// (key, name) of the 14 Kreise and kreisfreie Städte, for the filter.
    pub kreise: Vec<(String, String)>,
    /// One line per SLA timer of each listed case (advisors): case id → German text.
    pub due: Vec<(i64, String)>,
}

/// The inbox filters as the page's query string carries them (German names in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxQuery {
    pub ansicht: Option<String>,
    pub status: Option<String>,
    pub prioritaet: Option<String>,
    pub kategorie: Option<String>,
    pub team: Option<String>,
    pub zustaendig: Option<String>,
    pub kreis: Option<String>,
    pub kommune: Option<String>,
    pub ozg: Option<String>,
    pub schlagwort: Option<String>,
    pub von: Option<String>,
    pub bis: Option<String>,
    pub suche: Option<String>,
    pub sortierung: Option<String>,
    pub seite: Option<String>,
}

/// The query-string keys of the inbox, in the order the filter form has them.
pub const INBOX_KEYS: [&str; 14] =
    ["ansicht", "status", "prioritaet", "kategorie", "team", "zustaendig", "kreis", "kommune", "ozg", "schlagwort", "von", "bis", "suche", "sortierung"];

impl InboxQuery {
    /// Reads the page's query parameters.
    pub fn from_pairs<'a>(mut get: impl FnMut(&'a str) -> Option<String>) -> InboxQuery {
        InboxQuery {
            ansicht: get("ansicht"),
            status: get("status"),
            prioritaet: get("prioritaet"),
            kategorie: get("kategorie"),
            team: get("team"),
            zustaendig: get("zustaendig"),
            kreis: get("kreis"),
            kommune: get("kommune"),
            ozg: get("ozg"),
            schlagwort: get("schlagwort"),
            von: get("von"),
            bis: get("bis"),
            suche: get("suche"),
            sortierung: get("sortierung"),
            seite: get("seite"),
        }
    }

    pub fn to_filter(&self) -> crate::cases::model::CaseFilter {
        crate::cases::model::CaseFilter {
            view: self.ansicht.clone(),
            status: self.status.clone(),
            priority: self.prioritaet.clone(),
            category: self.kategorie.clone(),
            team: self.team.clone(),
            owner: self.zustaendig.clone(),
            kreis: self.kreis.clone(),
            municipality: self.kommune.clone(),
            ozg_id: self.ozg.clone(),
            tag: self.schlagwort.clone(),
            from: self.von.clone(),
            to: self.bis.clone(),
            q: self.suche.clone(),
            sort: self.sortierung.clone(),
            page: self.seite.as_deref().and_then(|p| p.parse().ok()),
        }
    }
}

/// The inbox. Filters are separate optional arguments (an all-empty nested struct would not
/// survive URL encoding).
#[server(endpoint = "inbox_page")]
pub async fn inbox_page(
    ansicht: Option<String>,
    status: Option<String>,
    prioritaet: Option<String>,
    kategorie: Option<String>,
    team: Option<String>,
    zustaendig: Option<String>,
    kreis: Option<String>,
    kommune: Option<String>,
    ozg: Option<String>,
    schlagwort: Option<String>,
    von: Option<String>,
    bis: Option<String>,
    suche: Option<String>,
    sortierung: Option<String>,
    seite: Option<String>,
) -> Result<InboxView, AppError> {
    use crate::cases::service as cases;
    use crate::cases::service::{inbox, sla};
    use crate::core::entities::{organisation, saved_view};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let q = InboxQuery { ansicht, status, prioritaet, kategorie, team, zustaendig, kreis, kommune, ozg, schlagwort, von, bis, suche, sortierung, seite };
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let scope = ctx::scope();
        let now = crate::core::time::now();
        let mut page = inbox::list(&st.db, &scope, &user, &q.to_filter(), now).await?;
        for c in &mut page.cases {
            display_times(c);
        }
        let advisor = cases::sees_internal(&scope);
        let (teams, advisors, saved_views, kreise, due) = if advisor {
            let settings = sla::settings(&st.db).await?;
            let saved = saved_view::Entity::find()
                .filter(saved_view::Column::UserId.eq(&user.id))
                .order_by_asc(saved_view::Column::Name)
                .all(&st.db)
                .await?
                .into_iter()
                .map(|v| (v.id, v.name, v.query))
                .collect();
            let kreise = organisation::Entity::find()
                .filter(organisation::Column::Kind.is_in(["landkreis", "kreisfreie_stadt"]))
                .order_by_asc(organisation::Column::Name)
                .all(&st.db)
                .await?
                .into_iter()
                .map(|o| (o.kreis_key.unwrap_or(o.key), o.name))
                .collect();
            let due = page
                .cases
                .iter()
                .map(|c| {
                    let text = c
                        .sla
                        .iter()
                        .map(|t| format!("{}: {}", t.label, sla::describe(t, settings.day_minutes())))
                        .collect::<Vec<_>>()
                        .join("; ");
                    (c.id, text)
                })
                .collect();
            (cases::team_list(&st.db).await?, cases::advisors(&st.db).await?, saved, kreise, due)
        } else {
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new())
        };
        Ok(InboxView {
            page,
            advisor,
            can_bulk: cases::is_advisor(&scope),
            can_file: matches!(scope, crate::access::scope::Scope::Municipal { .. }),
            categories: cases::category_list(&st.db).await?,
            teams,
            advisors,
            saved_views,
            kreise,
            due,
        })
    }
    .await)
    .await
}

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
        let scope = ctx::scope();
        let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
        let now = crate::core::time::now();
        let mut detail = cases::detail(&st.db, &scope, &user, id, now).await?;
        cases::mark_read(&st.db, &user.id, id, now).await?;
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
        let settings = sla::settings(&st.db).await?;
        let sla_text = detail.case.sla.iter().map(|t| sla::describe(t, settings.day_minutes())).collect();
        let advisor = cases::is_advisor(&scope);
        let can_upload = (advisor || matches!(scope, crate::access::scope::Scope::Municipal { .. }))
            && detail.case.status != crate::cases::model::CaseStatus::Closed;
        Ok(CaseView {
            teams: if advisor { cases::team_list(&st.db).await? } else { Vec::new() },
            advisors: if advisor { cases::advisors(&st.db).await? } else { Vec::new() },
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
    pub idempotency_key: String,
}

#[server(endpoint = "filing_form")]
pub async fn filing_form() -> Result<NewCaseForm, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        if !matches!(ctx::scope(), crate::access::scope::Scope::Municipal { .. }) {
            return Err(AppError::Forbidden);
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
        Ok(NewCaseForm { categories, municipalities, idempotency_key: uuid::Uuid::new_v4().to_string() })
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
        let scope = ctx::scope();
        let input = NewCase {
            subject,
            category,
            description,
            ozg_ids: ozg_ids.split([',', ';', ' ', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect(),
            municipality: Some(municipality).filter(|m| !m.trim().is_empty()),
            desired_date: Some(desired_date).filter(|d| !d.trim().is_empty()),
            idempotency_key: Some(idempotency_key).filter(|k| !k.trim().is_empty()),
        };
        let actor = workflow::Actor { user: &user, scope: &scope, config: &st.config, now: crate::core::time::now() };
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
fn berlin(rfc: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc).map(|d| crate::core::time::format_berlin(d.with_timezone(&chrono::Utc))).unwrap_or_else(|_| rfc.to_string())
}

#[cfg(feature = "ssr")]
fn display_times(c: &mut crate::cases::model::Case) {
    c.created_at = berlin(&c.created_at);
    c.updated_at = berlin(&c.updated_at);
    if let Some(d) = &c.desired_date {
        c.desired_date = Some(crate::register::pages::format_date(d));
    }
}

#[cfg(feature = "ssr")]
fn parse_id(id: &str) -> Result<i64, AppError> {
    id.trim().parse::<i64>().map_err(|_| AppError::NotFound)
}

/// A public reply, or (advisors, `internal = "ja"`) an internal note.
#[server(endpoint = "reply_case")]
pub async fn reply_case(id: String, body: String, #[server(default)] internal: String) -> Result<(), AppError> {
    use crate::cases::service::workflow;
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let scope = ctx::scope();
        let n = parse_id(&id)?;
        let internal = internal == "ja";
        let actor = workflow::Actor { user: &user, scope: &scope, config: &st.config, now: crate::core::time::now() };
        workflow::add_message(&st.db, &actor, n, &body, internal).await?;
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
        let scope = ctx::scope();
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
        let actor = workflow::Actor { user: &user, scope: &scope, config: &st.config, now: crate::core::time::now() };
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
        let scope = ctx::scope();
        let n = parse_id(&id)?;
        let actor = workflow::Actor { user: &user, scope: &scope, config: &st.config, now: crate::core::time::now() };
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
        let scope = ctx::scope();
        let n = parse_id(&id)?;
        crate::cases::service::load_for(&st.db, &scope, n).await?;
        let other = other.trim().trim_start_matches('#').parse::<i64>().map_err(|_| AppError::field("other", "Bitte geben Sie die Nummer eines Falls an."))?;
        let actor = workflow::Actor { user: &user, scope: &scope, config: &st.config, now: crate::core::time::now() };
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

/// Saves the current inbox filter as the advisor's own view.
#[server(endpoint = "save_view")]
pub async fn save_view(name: String, query: String) -> Result<(), AppError> {
    use crate::core::entities::saved_view;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        if !crate::cases::service::is_advisor(&ctx::scope()) {
            return Err(AppError::Forbidden);
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(AppError::field("name", "Bitte geben Sie der Ansicht einen Namen mit höchstens 80 Zeichen."));
        }
        // Only the inbox's own parameters are kept.
        let query: String = form_query(&query);
        let count = saved_view::Entity::find().filter(saved_view::Column::UserId.eq(&user.id)).count(&st.db).await?;
        if count >= 30 {
            return Err(AppError::field("name", "Sie haben bereits 30 eigene Ansichten; bitte löschen Sie zuerst eine."));
        }
        saved_view::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            user_id: Set(user.id.clone()),
            name: Set(name.to_string()),
            query: Set(query.clone()),
            created_at: Set(crate::core::time::now()),
        }
        .insert(&st.db)
        .await?;
        leptos_axum::redirect(&format!("/faelle?{query}"));
        Ok(())
    }
    .await)
    .await
}

/// Keeps only the inbox's parameters of a query string (and drops the page number).
#[cfg(feature = "ssr")]
fn form_query(q: &str) -> String {
    let mut out = Vec::new();
    for part in q.trim_start_matches('?').split('&') {
        if let Some((k, v)) = part.split_once('=')
            && INBOX_KEYS.contains(&k)
            && !v.is_empty()
            && v.len() <= 200
            && v.chars().all(|c| c.is_ascii_alphanumeric() || "%+-_.,".contains(c))
        {
            out.push(format!("{k}={v}"));
        }
    }
    out.join("&")
}

#[server(endpoint = "delete_view")]
pub async fn delete_view(id: String) -> Result<(), AppError> {
    use crate::core::entities::saved_view;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let res = saved_view::Entity::delete_many()
            .filter(saved_view::Column::Id.eq(id.trim()))
            .filter(saved_view::Column::UserId.eq(&user.id))
            .exec(&st.db)
            .await?;
        if res.rows_affected == 0 {
            return Err(AppError::NotFound);
        }
        leptos_axum::redirect("/faelle");
        Ok(())
    }
    .await)
    .await
}

/// The caller's notifications and e-mail choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsView {
    pub items: Vec<NotificationRow>,
    /// (kind, label, by e-mail)
    pub prefs: Vec<(String, String, bool)>,
    pub mail_enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRow {
    pub case_id: Option<i64>,
    pub text: String,
    pub created_at: String,
    pub read: bool,
}

#[server(endpoint = "notifications_page")]
pub async fn notifications_page() -> Result<NotificationsView, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let items = crate::cases::service::notify::list(&st.db, &user.id)
            .await?
            .into_iter()
            .map(|n| NotificationRow {
                case_id: n.case_id,
                created_at: chrono::DateTime::parse_from_rfc3339(&n.created_at)
                    .map(|d| crate::core::time::format_berlin(d.with_timezone(&chrono::Utc)))
                    .unwrap_or_default(),
                text: n.text,
                read: n.read,
            })
            .collect();
        Ok(NotificationsView { items, prefs: crate::cases::service::notify::prefs(&st.db, &user.id).await?, mail_enabled: st.config.mail_enabled })
    }
    .await)
    .await
}

#[server(endpoint = "read_notifications")]
pub async fn read_notifications() -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        crate::cases::service::notify::mark_all_read(&st.db, &user.id, crate::core::time::now()).await?;
        leptos_axum::redirect("/benachrichtigungen?gelesen=1");
        Ok(())
    }
    .await)
    .await
}

/// E-mail choices: one checkbox per kind (`ja` when ticked).
#[server(endpoint = "save_notification_prefs")]
pub async fn save_notification_prefs(
    #[server(default)] reply: String,
    #[server(default)] status: String,
    #[server(default)] kommune_reply: String,
    #[server(default)] assigned: String,
    #[server(default)] escalation: String,
) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let on: Vec<String> = [("reply", reply), ("status", status), ("kommune_reply", kommune_reply), ("assigned", assigned), ("escalation", escalation)]
            .into_iter()
            .filter(|(_, v)| v == "ja")
            .map(|(k, _)| k.to_string())
            .collect();
        crate::cases::service::notify::set_prefs(&st.db, &user.id, &on).await?;
        leptos_axum::redirect("/benachrichtigungen?gespeichert=1");
        Ok(())
    }
    .await)
    .await
}
