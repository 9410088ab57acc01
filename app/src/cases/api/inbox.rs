//! Server functions of the inbox: one page of cases, saved views.

use crate::error::AppError;
use crate::cases::model::{CasePage, Category, Team};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use crate::core::ctx;
#[cfg(feature = "ssr")]
use super::*;

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
    /// The badge of each listed case's most urgent service time (advisors): case id → a few words.
    pub due: Vec<(i64, String)>,
    /// What of the filter was left out because it refers to a team or category that is gone.
    pub notes: Vec<String>,
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
    pub seit: Option<String>,
    pub suche: Option<String>,
    pub sortierung: Option<String>,
    pub seite: Option<String>,
}

/// The query-string keys of the inbox, in the order the filter form has them.
pub const INBOX_KEYS: [&str; 15] =
    ["ansicht", "status", "prioritaet", "kategorie", "team", "zustaendig", "kreis", "kommune", "ozg", "schlagwort", "von", "bis", "seit", "suche", "sortierung"];

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
            seit: get("seit"),
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
            since: self.seit.clone(),
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
    seit: Option<String>,
    suche: Option<String>,
    sortierung: Option<String>,
    seite: Option<String>,
) -> Result<InboxView, AppError> {
    use crate::cases::service as cases;
    use crate::cases::service::{inbox, sla};
    let q = InboxQuery { ansicht, status, prioritaet, kategorie, team, zustaendig, kreis, kommune, ozg, schlagwort, von, bis, seit, suche, sortierung, seite };
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let scope = crate::access::scope();
        let now = crate::core::time::now();
        let dir = cases::directory::get(&st.db, &user.data_versions(&st.db).await?).await?;
        let mut filter = q.to_filter();
        let notes = cases::views::drop_missing(&dir, &mut filter);
        let mut page = inbox::list(&st.db, &scope, &user, &filter, now).await?;
        for c in &mut page.cases {
            display_times(c);
        }
        let advisor = crate::access::policy::sees_internal(&scope);
        let (teams, advisors, saved_views, kreise, due) = if advisor {
            let saved = cases::views::list(&st.db, &user.id).await?;
            let due = page.cases.iter().filter_map(|c| Some((c.id, sla::badge(&c.sla, dir.settings.day_minutes())?))).collect();
            (cases::teams_of(&dir), dir.advisors.clone(), saved, dir.kreise.clone(), due)
        } else {
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new())
        };
        Ok(InboxView {
            page,
            advisor,
            can_bulk: crate::access::policy::is_advisor(&scope),
            can_file: crate::access::policy::files_cases(&scope),
            categories: cases::categories_of(&dir),
            teams,
            advisors,
            saved_views,
            kreise,
            due,
            notes,
        })
    }
    .await)
    .await
}

/// Saves the current inbox filter as the advisor's own view.
#[server(endpoint = "save_view")]
pub async fn save_view(name: String, query: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        crate::access::policy::require_advisor(&crate::access::scope())?;
        // Only the inbox's own parameters are kept.
        let query: String = form_query(&query);
        crate::cases::service::views::save(&st.db, &user.id, &name, &query).await?;
        leptos_axum::redirect(&format!("/faelle?{query}"));
        Ok(())
    }
    .await)
    .await
}

/// Keeps only the inbox's parameters of a query string (and drops the page number).
#[cfg(feature = "ssr")]
pub(super) fn form_query(q: &str) -> String {
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

/// Renames one of the advisor's own views.
#[server(endpoint = "rename_view")]
pub async fn rename_view(id: String, name: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        crate::cases::service::views::rename(&st.db, &user.id, &id, &name).await?;
        leptos_axum::redirect("/faelle");
        Ok(())
    }
    .await)
    .await
}

/// Deletes one of the advisor's own views.
#[server(endpoint = "delete_view")]
pub async fn delete_view(id: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        crate::cases::service::views::delete(&st.db, &user.id, &id).await?;
        leptos_axum::redirect("/faelle");
        Ok(())
    }
    .await)
    .await
}
