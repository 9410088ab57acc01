//! Bulk actions on selected cases or on every case matching a filter.

use crate::core::db::begin_write;
use crate::core::entities::support_case;
use crate::cases::service::sla;
use crate::cases::service::tags_of;
use crate::error::AppError;
use crate::cases::model::{CaseFilter, CasePatch, CaseStatus, Priority};
use sea_orm::{
    DatabaseConnection, EntityTrait, 
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use super::*;

/// A bulk action on selected cases or on every case matching a filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BulkAction {
    #[serde(default)]
    pub ids: Vec<i64>,
    #[serde(default)]
    pub filter: Option<CaseFilter>,
    #[serde(default)]
    pub status: Option<CaseStatus>,
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub team: Option<String>,
    /// Added to each case's tags.
    #[serde(default)]
    pub add_tag: Option<String>,
    /// The same public reply to every case.
    #[serde(default)]
    pub reply: Option<String>,
}

/// The most cases one bulk action may change.
pub const MAX_BULK_CASES: usize = 500;

/// Applies a bulk action: all cases or none (every refusal named with its case).
#[tracing::instrument(skip_all)]
pub async fn bulk(db: &DatabaseConnection, a: &Actor<'_>, action: &BulkAction) -> Result<usize, AppError> {
    crate::access::policy::require_advisor(a.scope)?;
    let ids = match &action.filter {
        Some(f) => crate::cases::service::inbox::matching_ids(db, a.scope, a.user, f, a.now, MAX_BULK_CASES as u64 + 1).await?,
        None => action.ids.clone(),
    };
    // Each case once, and a bounded number: the transaction holds the write lock while it works.
    let mut seen = std::collections::HashSet::new();
    let ids: Vec<i64> = ids.into_iter().filter(|i| seen.insert(*i)).collect();
    if ids.len() > MAX_BULK_CASES {
        return Err(AppError::field(
            "",
            format!("Eine Sammelaktion umfasst höchstens {MAX_BULK_CASES} Fälle; ausgewählt sind mehr. Bitte schränken Sie die Auswahl ein."),
        ));
    }
    if ids.is_empty() {
        return Err(AppError::field("", "Bitte wählen Sie mindestens einen Fall."));
    }
    let nothing = action.status.is_none()
        && action.owner_id.is_none()
        && action.priority.is_none()
        && action.team.is_none()
        && action.add_tag.as_deref().is_none_or(|t| t.trim().is_empty())
        && action.reply.as_deref().is_none_or(|r| r.trim().is_empty());
    if nothing {
        return Err(AppError::field("", "Bitte wählen Sie mindestens eine Änderung oder schreiben Sie eine Antwort."));
    }
    let s = sla::settings(db).await?;
    let tx = begin_write(db).await?;
    let mut problems: Vec<String> = Vec::new();
    let mut done = 0;
    for id in ids {
        let Some(mut c) = support_case::Entity::find_by_id(id).one(&tx).await? else {
            problems.push(format!("Fall {id} gibt es nicht."));
            continue;
        };
        let expected = c.version;
        let mut notes = Vec::new();
        let mut tags = None;
        if let Some(t) = action.add_tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let mut all = tags_of(&c);
            if !all.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
                all.push(t.to_string());
            }
            tags = Some(all);
        }
        // The reply goes first: a bulk "reply and solve" answers, then solves.
        if let Some(r) = action.reply.as_deref().filter(|r| !r.trim().is_empty()) {
            if let Err(err) = apply_message(&tx, a, &s, &mut c, r, false, None, &mut notes).await {
                problems.push(format!("Fall {id}: {}", err.summary().join(" ")));
                continue;
            }
        }
        let p = CasePatch { version: expected, status: action.status, owner_id: action.owner_id.clone(), priority: action.priority, team: action.team.clone(), tags };
        match apply_patch(&tx, a, &s, &mut c, &p, &mut notes).await {
            Ok(()) => {
                let c = save(&tx, c, expected).await?;
                send_notes(&tx, a, &c, notes).await?;
                done += 1;
            }
            Err(err) => problems.push(err.summary().iter().map(|m| if m.starts_with("Fall ") { m.clone() } else { format!("Fall {id}: {m}") }).collect::<Vec<_>>().join(" ")),
        }
    }
    if !problems.is_empty() {
        tx.rollback().await?;
        let mut map = BTreeMap::new();
        map.insert(String::new(), {
            let mut v = vec!["Die Sammelaktion wurde nicht ausgeführt; kein Fall wurde geändert:".to_string()];
            v.extend(problems);
            v
        });
        return Err(AppError::Validation(map));
    }
    tx.commit().await?;
    Ok(done)
}
