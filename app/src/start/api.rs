//! Figures for the role's start page.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// What the start page shows besides the user's organisations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// (German label, count) of the organisations the role looks after.
    pub organisations: Vec<(String, u64)>,
    /// Inhabitants covered by those organisations, where meaningful.
    pub population: Option<i64>,
    pub ozg_services: u64,
    pub leika_services: u64,
    pub focus_services: u64,
    /// Active accounts (administrators only).
    pub active_users: Option<u64>,
    /// A clerk's Kommunen: progress, what needs them, comparison.
    pub kommunen: Vec<KommuneStart>,
    /// What needs an advisor or administrator, each with its link.
    pub needs: Vec<Need>,
    /// The Land's key figures (advisors, administrators: all Kommunen; associations: members).
    pub area: Option<AreaStart>,
    /// The background jobs' last runs (administrators).
    pub jobs: Vec<JobLine>,
}

/// A background job's last run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobLine {
    pub label: String,
    /// `TT.MM.JJJJ HH:MM:SS` (Europe/Berlin).
    pub last_run: String,
    pub millis: i32,
    pub ok: bool,
    pub runs: i64,
    pub failures: i64,
    /// When and why it last failed.
    pub last_failure: Option<String>,
}

/// One key figure with its change over the last month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFigure {
    pub label: String,
    pub value: String,
    pub change: Option<String>,
}

/// The key figures of an area of the Lagebild.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaStart {
    pub name: String,
    /// Whose Kommunen are counted.
    pub whose: String,
    pub figures: Vec<KeyFigure>,
    /// The month (`JJJJ-MM`) the changes are measured from.
    pub compared_with: Option<String>,
    pub href: String,
}

/// Something that needs the user, with where it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub label: String,
    pub count: u64,
    pub href: String,
}

/// A recent annotation of the Land's advisors on one of the Kommune's services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub service: String,
    pub body: String,
    /// `TT.MM.JJJJ`.
    pub date: String,
    pub href: String,
}

/// Shares of an area, in percent (`None`: withheld or nothing to count).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub name: String,
    pub online_share: Option<f64>,
    pub compliant_share: Option<f64>,
}

/// One Kommune on a clerk's start page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KommuneStart {
    pub key: String,
    pub name: String,
    /// OZG-Leistungen of the catalogue, online ones, OZG-compliant ones (Reifegrad ≥ 3, 1.1).
    pub catalogue: usize,
    pub online: usize,
    pub compliant: usize,
    pub focus: usize,
    pub focus_online: usize,
    pub progress: crate::register::model::Progress,
    pub needs: Vec<Need>,
    pub notes: Vec<Note>,
    /// The Kommune itself, its Kreis (unless a kreisfreie Stadt) and the Land.
    pub comparison: Vec<Comparison>,
}

/// Start-page figures for the signed-in user (`None` for visitors who are not signed in).
#[server(endpoint = "overview")]
pub async fn get_overview() -> Result<Option<Overview>, AppError> {
    use crate::identity::{OrgKind, Role};
    ctx::finish(async {
        let st = ctx::state()?;
        let Some(user) = ctx::current_user() else { return Ok(None) };
        let versions = user.data_versions(&st.db).await?;
        let figures = crate::start::service::figures(&st.db, &versions).await?;
        let kinds: Vec<OrgKind> = match user.role {
            Role::Association if user.organisations.iter().any(|o| o.key == crate::catalogue::service::orgs::LKT) => vec![OrgKind::Landkreis],
            Role::Association => vec![OrgKind::KreisfreieStadt, OrgKind::Einheitsgemeinde, OrgKind::Verbandsgemeinde, OrgKind::Mitgliedsgemeinde],
            Role::Clerk => Vec::new(),
            Role::Advisor | Role::Admin => vec![
                OrgKind::Landkreis,
                OrgKind::KreisfreieStadt,
                OrgKind::Einheitsgemeinde,
                OrgKind::Verbandsgemeinde,
                OrgKind::Mitgliedsgemeinde,
            ],
        };
        let organisations = figures
            .organisations
            .iter()
            .filter(|(k, _)| kinds.contains(k))
            .map(|(k, n)| (k.label().to_string(), *n))
            .collect();
        let population = if kinds.is_empty() { None } else { Some(figures.population) };
        let active_users = if user.role == Role::Admin {
            Some(crate::accounts::service::users::active_count(&st.db).await?)
        } else {
            None
        };
        let mut kommunen = Vec::new();
        if user.role == Role::Clerk {
            for o in &user.organisations {
                if let Some(org) = crate::catalogue::service::orgs::by_key(&st.db, &o.key).await? {
                    kommunen.push(crate::start::clerk::kommune(&st, &versions, &user, &org).await?);
                }
            }
        }
        let needs = match user.role {
            Role::Advisor => crate::start::advisor::needs(&st, &user).await?,
            Role::Admin => crate::start::admin::needs(&st).await?,
            _ => Vec::new(),
        };
        let jobs = if user.role == Role::Admin { crate::start::admin::jobs(&st).await? } else { Vec::new() };
        let area = match user.role {
            Role::Clerk => None,
            _ => Some(crate::start::land::figures(&st, &versions, &user).await?.as_ref().clone()),
        };
        Ok(Some(Overview {
            jobs,
            needs,
            area,
            organisations,
            population,
            ozg_services: figures.ozg_services,
            leika_services: figures.leika_services,
            focus_services: figures.focus_services,
            active_users,
            kommunen,
        }))
    }
    .await)
    .await
}
