//! Changing a case's fields and status (the typed workflow) and the notifications that follow.

use crate::core::db::begin_write;
use crate::core::entities::{app_user, case_team, support_case};
use crate::core::notify;
use crate::cases::service::sla;
use crate::cases::service::sla::SlaSettings;
use crate::cases::service::{load, priority_of, status_of, tags_of};
use crate::error::AppError;
use crate::cases::model::{CasePatch, CaseStatus};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait,
};
use std::collections::BTreeMap;
use super::*;

/// Applies a patch to a loaded case inside a transaction (without the version check).
pub(super) async fn apply_patch(
    tx: &impl ConnectionTrait,
    a: &Actor<'_>,
    s: &SlaSettings,
    c: &mut support_case::Model,
    p: &CasePatch,
    notes: &mut Vec<Note>,
) -> Result<(), AppError> {
    let mut e = BTreeMap::new();
    let status_changes = p.status.is_some_and(|s| s != status_of(c));
    if let Some(to) = p.status {
        let from = status_of(c);
        if from != to {
            if !from.may_become(to) {
                add(
                    &mut e,
                    "status",
                    format!(
                        "Fall {}: von »{}« ist kein Wechsel nach »{}« möglich (erlaubt: {}).",
                        c.id,
                        from.label(),
                        to.label(),
                        if from.next().is_empty() { "keiner".to_string() } else { from.next().iter().map(|s| format!("»{}«", s.label())).collect::<Vec<_>>().join(", ") }
                    ),
                );
            } else {
                set_status(c, to, s, a.now);
                let text = if from == CaseStatus::Solved && to == CaseStatus::InProgress {
                    "Fall wiedereröffnet: Status »In Bearbeitung«.".to_string()
                } else {
                    format!("Status von »{}« auf »{}« geändert.", from.label(), to.label())
                };
                event(tx, c.id, a.now, Some(&a.user.id), "status", true, text.clone()).await?;
                notes.push(Note::Kommune { kind: notify::NotificationKind::Status, text: format!("Fall {} {}: {text}", c.id, crate::ui::format::quoted(&c.subject)) });
            }
        }
    }
    if let Some(owner) = &p.owner_id {
        let owner = owner.trim();
        let new = if owner.is_empty() { None } else { Some(owner.to_string()) };
        if new != c.owner_id {
            let mut name = None;
            if let Some(id) = &new {
                match app_user::Entity::find_by_id(id.clone()).one(tx).await? {
                    Some(u) if u.role == "advisor" && u.active => name = Some(u.name),
                    _ => add(&mut e, "owner_id", "Zuständig kann nur eine aktive Person der Landesberatung sein."),
                }
            }
            if e.get("owner_id").is_none() {
                event(tx, c.id, a.now, Some(&a.user.id), "owner", false, match &name {
                    Some(n) => format!("Zuständig: {n}."),
                    None => "Zuständigkeit aufgehoben.".into(),
                })
                .await?;
                if let Some(id) = &new {
                    notes.push(Note::Users { ids: vec![id.clone()], kind: notify::NotificationKind::Assigned, text: format!("Fall {} {} wurde Ihnen zugewiesen.", c.id, crate::ui::format::quoted(&c.subject)) });
                }
                c.owner_id = new;
            }
        }
    }
    if let Some(team) = &p.team {
        let team = team.trim();
        let new = if team.is_empty() { None } else { Some(team.to_string()) };
        if new != c.team_id {
            let mut found = None;
            if let Some(id) = &new {
                match case_team::Entity::find_by_id(id.clone()).one(tx).await? {
                    Some(t) if t.active => found = Some(t),
                    _ => add(&mut e, "team", "Dieses Team gibt es nicht (mehr)."),
                }
            }
            if e.get("team").is_none() {
                event(tx, c.id, a.now, Some(&a.user.id), "team", false, match &found {
                    Some(t) => format!("Team: {}.", t.name),
                    None => "Team entfernt.".into(),
                })
                .await?;
                if let Some(lead) = found.as_ref().and_then(|t| t.lead_user_id.clone()) {
                    notes.push(Note::Users { ids: vec![lead], kind: notify::NotificationKind::Assigned, text: format!("Fall {} {} wurde Ihrem Team zugewiesen.", c.id, crate::ui::format::quoted(&c.subject)) });
                }
                c.team_id = new;
            }
        }
    }
    if let Some(p2) = p.priority
        && p2 != priority_of(c)
    {
        event(tx, c.id, a.now, Some(&a.user.id), "priority", false, format!("Priorität von »{}« auf »{}« geändert.", priority_of(c).label(), p2.label())).await?;
        c.priority = p2.code().to_string();
        let old = (c.response_due_at, c.resolution_due_at, c.followup_due_at);
        recompute_dues(c, s, a.now);
        if old != (c.response_due_at, c.resolution_due_at, c.followup_due_at) {
            event(
                tx,
                c.id,
                a.now,
                Some(&a.user.id),
                "sla",
                false,
                format!(
                    "Servicezeiten neu berechnet: erste Antwort bis {}, {}Lösung bis {}.",
                    crate::core::time::format_berlin(c.response_due_at),
                    c.followup_due_at.filter(|_| c.followup_answered_at.is_none()).map(|d| format!("Folgeantwort bis {}, ", crate::core::time::format_berlin(d))).unwrap_or_default(),
                    crate::core::time::format_berlin(c.resolution_due_at)
                ),
            )
            .await?;
        }
    }
    if let Some(tags) = &p.tags {
        let mut clean: Vec<String> = Vec::new();
        for t in tags {
            let t = t.trim();
            if t.is_empty() {
                continue;
            }
            if t.contains(',') || t.chars().count() > MAX_TAG {
                add(&mut e, "tags", format!("Schlagwort »{t}«: höchstens {MAX_TAG} Zeichen, ohne Komma."));
            } else if !clean.iter().any(|c| c.to_lowercase() == t.to_lowercase()) {
                clean.push(t.to_string());
            }
        }
        if clean.len() > MAX_TAGS {
            add(&mut e, "tags", format!("Höchstens {MAX_TAGS} Schlagwörter je Fall."));
        }
        if e.get("tags").is_none() && clean != tags_of(c) {
            event(tx, c.id, a.now, Some(&a.user.id), "tags", false, if clean.is_empty() { "Schlagwörter entfernt.".into() } else { format!("Schlagwörter: {}.", clean.join(", ")) }).await?;
            c.tags = if clean.is_empty() { String::new() } else { format!(",{},", clean.join(",")) };
        }
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    // A status change is visible to the Kommune and marks the case unread there.
    touch(c, a.now, status_changes);
    Ok(())
}

/// A notification to send once the change is written.
pub enum Note {
    /// To the case's Kommune (its clerks).
    Kommune { kind: notify::NotificationKind, text: String },
    /// To the Land side (owner, else the team lead).
    Land { kind: notify::NotificationKind, text: String },
    Users { ids: Vec<String>, kind: notify::NotificationKind, text: String },
    /// To the people of the partner organisation the case is shared with.
    Partner { kind: notify::NotificationKind, text: String },
}

pub(super) async fn send_notes(tx: &impl ConnectionTrait, a: &Actor<'_>, c: &support_case::Model, notes: Vec<Note>) -> Result<(), AppError> {
    for n in notes {
        let (ids, kind, text) = match n {
            Note::Kommune { kind, text } => (notify::clerks_of(tx, &c.organisation_id).await?, kind, text),
            Note::Land { kind, text } => (land_recipients(tx, c).await?, kind, text),
            Note::Users { ids, kind, text } => (ids, kind, text),
            Note::Partner { kind, text } => match &c.partner_org_id {
                Some(p) => (notify::partners_of(tx, p).await?, kind, text),
                None => continue,
            },
        };
        notify::notify(tx, a.config, &ids, Some(&a.user.id), Some(c.id), None, kind, &text, a.now).await?;
    }
    Ok(())
}

/// Changes status, owner, team, priority or tags (advisors only), based on `p.version`.
#[tracing::instrument(skip_all, fields(case = id))]
pub async fn patch(db: &DatabaseConnection, a: &Actor<'_>, id: i64, p: &CasePatch) -> Result<(), AppError> {
    let c = crate::cases::service::load_for(db, a.scope, id).await?;
    crate::access::policy::require_advisor(a.scope)?;
    if c.version != p.version {
        return Err(stale());
    }
    let s = sla::settings(db).await?;
    let tx = begin_write(db).await?;
    let mut c = load(&tx, id).await?;
    let expected = p.version;
    let mut notes = Vec::new();
    apply_patch(&tx, a, &s, &mut c, p, &mut notes).await?;
    let c = save(&tx, c, expected).await?;
    send_notes(&tx, a, &c, notes).await?;
    crate::cases::service::mark_read(&tx, &a.user.id, id, a.now).await?;
    tx.commit().await?;
    crate::core::webhooks::wake();
    Ok(())
}
