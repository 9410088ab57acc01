//! Server functions of the Leistungsregister pages (the REST API shares the same service).

#[cfg(feature = "ssr")]
use crate::vocabulary::paging::Paging;
use crate::error::AppError;
use crate::register::model::{HistoryEntry, KommuneEntry, ServiceRecord, Stage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// Rows per page of the service list.
pub const PAGE_SIZE: usize = 50;

/// One row of the service list as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterRow {
    pub ozg_id: String,
    pub name: String,
    pub themenfeld: String,
    pub focus: bool,
    pub stage: Stage,
    /// e.g. "3 (1.1)", or `None` when not rated.
    pub maturity: Option<String>,
    pub solution: Option<String>,
    pub not_responsible: bool,
}

/// The service list page of one Kommune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterView {
    pub key: String,
    pub name: String,
    pub can_write: bool,
    /// Rows of the requested page.
    pub rows: Vec<RegisterRow>,
    /// Rows matching the filter (all pages).
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// (stage label, count) over the whole catalogue, unfiltered.
    pub by_stage: Vec<(String, usize)>,
    /// Services rated OZG-compliant (Reifegrad ≥ 3 in model 1.1) and all services.
    pub compliant: usize,
    pub catalogue: usize,
    /// (Reifegrad label, count): every level of both models, then "nicht bewertet".
    pub by_maturity: Vec<(String, usize)>,
    pub themenfelder: Vec<String>,
    pub lebenslagen: Vec<String>,
    /// The last twelve months, from the history.
    pub progress: crate::register::model::Progress,
}

/// Filters as they come from the page's GET form (all optional strings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterQuery {
    pub themenfeld: Option<String>,
    pub stand: Option<String>,
    pub fokus: Option<String>,
    pub suche: Option<String>,
    pub seite: Option<String>,
    pub lebenslage: Option<String>,
    /// `MODELL:STUFE`, e.g. `1.1:3`.
    pub reifegrad: Option<String>,
    pub loesung: Option<String>,
    /// `ozg` (default), `name`, `stand`, `reifegrad`.
    pub sortierung: Option<String>,
    /// Care needed: `veraltet` (unchanged for 90 days), `ueberfaellig` (planned start passed).
    pub pflege: Option<String>,
}

/// The service list page. Filters are separate optional arguments: an all-empty nested struct
/// would not survive URL encoding.
#[server(endpoint = "register_page")]
pub async fn register_page(
    key: String,
    themenfeld: Option<String>,
    stand: Option<String>,
    fokus: Option<String>,
    suche: Option<String>,
    seite: Option<String>,
    lebenslage: Option<String>,
    reifegrad: Option<String>,
    loesung: Option<String>,
    sortierung: Option<String>,
    pflege: Option<String>,
) -> Result<RegisterView, AppError> {
    use crate::register::model::{MaturityModel, Responsibility};
    use crate::register::service as register;
    use crate::register::service::ListFilter;
    let query = RegisterQuery { themenfeld, stand, fokus, suche, seite, lebenslage, reifegrad, loesung, sortierung, pflege };
    ctx::finish(async {
        let st = ctx::state()?;
        let scope = crate::access::scope();
        let org = register::kommune(&st.db, &key).await?;
        crate::access::policy::kommune_read(&scope, &org.id)?;
        // The data versions read with the session serve both kept parts of the page.
        let versions = match ctx::current_user() {
            Some(u) => u.data_versions(&st.db).await?,
            None => crate::core::versions::current(&st.db).await?,
        };
        let all = register::list_all(&st.db, &versions, &scope, &key).await?;
        let mut themenfelder: Vec<String> = all.iter().map(|r| r.themenfeld.clone()).collect();
        themenfelder.sort();
        themenfelder.dedup();
        let mut lebenslagen: Vec<String> = all.iter().map(|r| r.lebenslage.clone()).filter(|l| !l.is_empty()).collect();
        lebenslagen.sort();
        lebenslagen.dedup();
        let by_stage = Stage::ALL
            .iter()
            .map(|s| (s.label().to_string(), all.iter().filter(|r| r.stage == *s).count()))
            .collect();
        let compliant = all
            .iter()
            .filter(|r| r.maturity_model == Some(MaturityModel::V1_1) && r.maturity_level.is_some_and(|l| l >= 3))
            .count();
        let mut by_maturity: Vec<(String, usize)> = [MaturityModel::V1_1, MaturityModel::V2_0]
            .into_iter()
            .flat_map(|m| (0..=m.max_level()).map(move |l| (m, l)))
            .map(|(m, l)| {
                let n = all.iter().filter(|r| r.maturity_model == Some(m) && r.maturity_level == Some(l)).count();
                (format!("Modell {}: {l} – {}", m.code(), m.level_label(l)), n)
            })
            .collect();
        by_maturity.push(("nicht bewertet".into(), all.iter().filter(|r| r.maturity_level.is_none()).count()));
        let maturity = query.reifegrad.as_deref().and_then(|r| r.split_once(':')).and_then(|(m, l)| {
            Some((crate::register::model::MaturityModel::from_code(m)?, l.parse::<i16>().ok()?))
        });
        let filter = ListFilter {
            themenfeld: query.themenfeld.clone().filter(|t| !t.is_empty()),
            lebenslage: query.lebenslage.clone().filter(|t| !t.is_empty()),
            stage: query.stand.as_deref().and_then(Stage::from_code),
            focus: query.fokus.as_deref().map(|f| f == "ja"),
            maturity_model: maturity.map(|(m, _)| m),
            maturity_level: maturity.map(|(_, l)| l),
            solution_kind: query.loesung.as_deref().and_then(crate::register::model::SolutionKind::from_code),
            q: query.suche.clone(),
            care: match query.pflege.as_deref() {
                Some("veraltet") => Some(register::Care::Stale),
                Some("ueberfaellig") => Some(register::Care::Overdue),
                _ => None,
            },
        };
        let mut matching = register::filter_items(&st.db, all.clone(), &filter).await?;
        match query.sortierung.as_deref() {
            Some("name") => matching.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase())),
            Some("stand") => matching.sort_by(|a, b| b.stage.cmp(&a.stage).then_with(|| a.ozg_id.cmp(&b.ozg_id))),
            Some("reifegrad") => matching.sort_by(|a, b| b.maturity_level.cmp(&a.maturity_level).then_with(|| a.ozg_id.cmp(&b.ozg_id))),
            _ => {}
        }
        let total = matching.len();
        let paging = Paging::of(Paging::asked(query.seite.as_deref()), PAGE_SIZE as u64, total as u64);
        let (page, pages) = (paging.page as usize, paging.pages as usize);
        let rows = matching
            .into_iter()
            .skip(paging.offset() as usize)
            .take(PAGE_SIZE)
            .map(|r| RegisterRow {
                maturity: r.maturity_model.zip(r.maturity_level).map(|(m, l)| format!("{l} (Modell {})", m.code())),
                solution: r.solution_kind.map(|k| k.label().to_string()),
                not_responsible: r.responsibility == Responsibility::Other,
                ozg_id: r.ozg_id,
                name: r.name,
                themenfeld: r.themenfeld,
                focus: r.focus,
                stage: r.stage,
            })
            .collect();
        let catalogue_ids: std::collections::HashSet<String> = all.iter().map(|r| r.ozg_id.clone()).collect();
        let progress = crate::register::service::progress::for_org(&st.db, &versions, &org.id, &catalogue_ids, 12).await?;
        Ok(RegisterView {
            progress,
            by_maturity,
            key: org.key.clone(),
            name: org.name.clone(),
            can_write: scope.may_act_for(&org.id),
            rows,
            total,
            page,
            pages,
            by_stage,
            compliant,
            catalogue: all.len(),
            themenfelder,
            lebenslagen,
        })
    }
    .await)
    .await
}

/// One record with its history, and whether the caller may change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    pub municipality_name: String,
    pub annotations: Vec<crate::register::model::Annotation>,
    /// The caller is a Land advisor and may add a note.
    pub can_annotate: bool,
    pub record: ServiceRecord,
    pub history: Vec<HistoryEntry>,
    pub can_write: bool,
    /// The criteria to show: every active one, and inactive ones the record still rates.
    pub criteria: Vec<crate::register::model::MaturityCriterion>,
    /// The Wissensportal's published articles about this OZG-Leistung the caller may read.
    pub articles: Vec<crate::knowledge::model::ArticleSummary>,
    /// The EfA service the Land implements the Leistung with, and the Kommune's connection to it.
    pub reuse: Option<crate::vocabulary::rollout::ReuseLink>,
}

#[server(endpoint = "record_page")]
pub async fn record_page(key: String, ozg_id: String) -> Result<RecordView, AppError> {
    use crate::register::service as register;
    ctx::finish(async {
        let st = ctx::state()?;
        let scope = crate::access::scope();
        let org = register::kommune(&st.db, &key).await?;
        let record = register::get(&st.db, &scope, &key, &ozg_id).await?;
        let history = register::history(&st.db, &scope, &key, &ozg_id).await?;
        let annotations = register::annotations(&st.db, &scope, &key, &ozg_id).await?;
        let rated = &record.data.maturity_criteria;
        let criteria = crate::catalogue::service::criteria::list(&st.db)
            .await?
            .into_iter()
            .filter(|c| c.active || (record.data.maturity_model == Some(c.model) && rated.contains_key(&c.code)))
            .collect();
        let articles = crate::knowledge::service::query::for_service(&st.db, &scope, &ozg_id).await?;
        let reuse = crate::register::service::reuse_for(&st.db, &org.id, &ozg_id).await?;
        Ok(RecordView {
            reuse,
            articles,
            criteria,
            municipality_name: org.name.clone(),
            can_write: scope.may_act_for(&org.id),
            can_annotate: crate::access::policy::is_advisor(&scope),
            annotations,
            record,
            history,
        })
    }
    .await)
    .await
}

/// Saves a record from the page's form: authorise, read the form once, store, redirect.
#[server(endpoint = "save_record")]
pub async fn save_record(key: String, ozg_id: String, #[server(flatten)] form: crate::register::model::RecordForm) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        let input = crate::register::model::ServiceRecordInput::try_from(form)?;
        crate::register::service::put(&st.db, &user, &crate::access::scope(), &key, &ozg_id, &input).await?;
        leptos_axum::redirect(&format!("/kommunen/{key}/leistungen/{ozg_id}?gespeichert=1"));
        Ok(())
    }
    .await)
    .await
}

/// The Kommunen whose registers the caller may read: every Kommune for advisors and
/// administrators, their own (and members) for clerks; associations and visitors none.
#[server(endpoint = "kommunen")]
pub async fn list_kommunen() -> Result<Vec<KommuneEntry>, AppError> {
    ctx::finish(async {
        ctx::require_user()?;
        crate::register::service::kommunen_index(&ctx::state()?.db, &crate::access::scope()).await
    }
    .await)
    .await
}

/// An advisor adds a note to a Kommune's entry.
#[server(endpoint = "annotate_record")]
pub async fn annotate_record(key: String, ozg_id: String, body: String) -> Result<(), AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        crate::register::service::annotate(&st.db, &user, &crate::access::scope(), &key, &ozg_id, &body).await?;
        leptos_axum::redirect(&format!("/kommunen/{key}/leistungen/{ozg_id}?angemerkt=1"));
        Ok(())
    }
    .await)
    .await
}

/// The register's online addresses that the weekly check found broken: a clerk's Kommunen, or
/// for the Land every Kommune's (one Kreis when `kreis` names it).
#[server(endpoint = "broken_links")]
pub async fn broken_links(#[server(default)] kreis: String) -> Result<crate::register::model::BrokenLinks, AppError> {
    ctx::finish(async {
        ctx::require_user()?;
        crate::register::service::links::page(&ctx::state()?.db, &crate::access::scope(), &kreis).await
    }
    .await)
    .await
}
