//! Replies and internal notes, with their effect on the workflow, and the Kommune's confirmation.

use crate::core::notify;
use crate::core::db::begin_write;
use crate::core::entities::{case_message, support_case};
use crate::cases::service::sla;
use crate::cases::service::sla::SlaSettings;
use crate::cases::service::{REOPEN_DAYS, load, status_of};
use crate::error::AppError;
use crate::cases::model::CaseStatus;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, Set,
};
use std::collections::BTreeMap;
use super::*;

/// Adds a message inside a transaction: the workflow effects of a reply included.
pub(super) async fn apply_message(
    tx: &impl ConnectionTrait,
    a: &Actor<'_>,
    s: &SlaSettings,
    c: &mut support_case::Model,
    body: &str,
    internal: bool,
    // `Some(wait)` for an answer written to this one case, which moves the case on (and may
    // give it an owner); `None` for a bulk reply, whose status and owner the bulk action sets.
    wait: Option<bool>,
    notes: &mut Vec<Note>,
) -> Result<String, AppError> {
    // The Land's advisors, and the partner the case is shared with, answer as the Land does.
    let advisor = crate::cases::service::answers_as_land(a.scope, c);
    let partner = advisor && !crate::access::policy::is_advisor(a.scope);
    if internal && !advisor {
        return Err(AppError::Forbidden);
    }
    let mut e = BTreeMap::new();
    check_text(&mut e, "body", "einen Text", body, MAX_BODY);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let status = status_of(c);
    if status == CaseStatus::Closed {
        return Err(AppError::Conflict(format!(
            "Fall {} ist geschlossen. Bitte legen Sie für ein neues Anliegen einen neuen Fall an.",
            c.id
        )));
    }
    if !advisor && !kommune_may_reply(c, a.now) {
        return Err(AppError::Conflict(format!(
            "Fall {} wurde vor mehr als {REOPEN_DAYS} Tagen gelöst und kann nicht mehr wiedereröffnet werden. Bitte legen Sie einen neuen Fall an.",
            c.id
        )));
    }
    let id = uuid::Uuid::now_v7().to_string();
    case_message::ActiveModel {
        id: Set(id.clone()),
        case_id: Set(c.id),
        author_user_id: Set(Some(a.user.id.clone())),
        author_side: Set(if partner { "partner" } else if advisor { "land" } else { "kommune" }.into()),
        internal: Set(internal),
        body: Set(body.trim().to_string()),
        created_at: Set(a.now),
    }
    .insert(tx)
    .await?;
    index_text(tx, c.id, internal, body.trim()).await?;
    let preview = crate::ui::format::shorten(body, 80);
    if internal {
        event(tx, c.id, a.now, Some(&a.user.id), "note", false, "Interne Notiz hinzugefügt.".into()).await?;
    } else if advisor {
        event(tx, c.id, a.now, Some(&a.user.id), "message", true, if partner { "Antwort des Betreibers." } else { "Antwort der Landesberatung." }.into()).await?;
        if c.first_response_at.is_none() {
            c.first_response_at = Some(a.now);
        }
        if c.followup_since.is_some() && c.followup_answered_at.is_none() {
            c.followup_answered_at = Some(a.now);
        }
        // Whoever answers a case nobody has taken takes it (when the Land has it so set up).
        if wait.is_some() && c.owner_id.is_none() && s.assign_on_reply && a.user.role == crate::identity::Role::Advisor {
            c.owner_id = Some(a.user.id.clone());
            event(tx, c.id, a.now, Some(&a.user.id), "owner", false, format!("Zuständig: {} (mit der Antwort übernommen).", a.user.name)).await?;
        }
        // An answer moves the case on: to "wartet auf Kommune" when the advisor asked for that,
        // otherwise a new case is now being worked.
        let next = if wait == Some(true) { CaseStatus::Waiting } else { CaseStatus::InProgress };
        let moves = match wait {
            Some(true) => matches!(status, CaseStatus::New | CaseStatus::Triage | CaseStatus::InProgress),
            Some(false) => matches!(status, CaseStatus::New | CaseStatus::Triage),
            None => false,
        };
        if moves {
            set_status(c, next, s, a.now);
            event(tx, c.id, a.now, Some(&a.user.id), "status", true, format!("Status von »{}« auf »{}« geändert (mit der Antwort).", status.label(), next.label())).await?;
        }
        notes.push(Note::Kommune { kind: notify::NotificationKind::Reply, text: format!("Neue Antwort zu Fall {} {}: {preview}", c.id, crate::ui::format::quoted(&c.subject)) });
    } else {
        event(tx, c.id, a.now, Some(&a.user.id), "message", true, "Antwort der Kommune.".into()).await?;
        if matches!(status, CaseStatus::Waiting | CaseStatus::Solved) {
            set_status(c, CaseStatus::InProgress, s, a.now);
            let text = if status == CaseStatus::Solved {
                "Fall durch Antwort der Kommune wiedereröffnet: Status »In Bearbeitung«."
            } else {
                "Antwort der Kommune: Status wieder »In Bearbeitung«."
            };
            event(tx, c.id, a.now, Some(&a.user.id), "status", true, text.into()).await?;
        }
        start_followup(c, s, a.now);
        let text = format!("Die Kommune hat auf Fall {} {} geantwortet: {preview}", c.id, crate::ui::format::quoted(&c.subject));
        if c.partner_org_id.is_some() {
            notes.push(Note::Partner { kind: notify::NotificationKind::KommuneReply, text: text.clone() });
        }
        notes.push(Note::Land { kind: notify::NotificationKind::KommuneReply, text });
    }
    touch(c, a.now, !internal);
    Ok(id)
}

/// A reply (public) or an internal note (advisors only). Returns the message id.
#[tracing::instrument(skip_all, fields(case = id))]
/// `wait`: an advisor's reply that asks the Kommune for something sets the case to "wartet auf
/// Kommune" (its clock pauses).
pub async fn add_message(db: &DatabaseConnection, a: &Actor<'_>, id: i64, body: &str, internal: bool, wait: bool) -> Result<String, AppError> {
    let c = crate::cases::service::load_for(db, a.scope, id).await?;
    if !(crate::access::policy::takes_part_in_cases(a.scope) || crate::cases::service::answers_as_land(a.scope, &c)) {
        return Err(AppError::Forbidden);
    }
    let s = sla::settings(db).await?;
    let tx = begin_write(db).await?;
    let mut c = load(&tx, id).await?;
    let expected = c.version;
    let mut notes = Vec::new();
    let mid = apply_message(&tx, a, &s, &mut c, body, internal, Some(wait && !internal), &mut notes).await?;
    let c = save(&tx, c, expected).await?;
    send_notes(&tx, a, &c, notes).await?;
    crate::cases::service::mark_read(&tx, &a.user.id, id, a.now).await?;
    tx.commit().await?;
    crate::core::webhooks::wake();
    Ok(mid)
}

/// The Kommune confirms the solution: the case closes.
#[tracing::instrument(skip_all, fields(case = id))]
pub async fn confirm(db: &DatabaseConnection, a: &Actor<'_>, id: i64) -> Result<(), AppError> {
    let c = crate::cases::service::load_for(db, a.scope, id).await?;
    crate::access::policy::require_filer(a.scope)?;
    if status_of(&c) != CaseStatus::Solved {
        return Err(AppError::Conflict("Nur ein gelöster Fall kann bestätigt werden.".into()));
    }
    let s = sla::settings(db).await?;
    let tx = begin_write(db).await?;
    let mut c = load(&tx, id).await?;
    let expected = c.version;
    set_status(&mut c, CaseStatus::Closed, &s, a.now);
    touch(&mut c, a.now, true);
    event(&tx, id, a.now, Some(&a.user.id), "status", true, "Lösung von der Kommune bestätigt: Fall geschlossen.".into()).await?;
    let c = save(&tx, c, expected).await?;
    send_notes(&tx, a, &c, vec![Note::Land { kind: notify::NotificationKind::KommuneReply, text: format!("Die Kommune hat die Lösung von Fall {} {} bestätigt.", c.id, crate::ui::format::quoted(&c.subject)) }]).await?;
    tx.commit().await?;
    crate::core::webhooks::wake();
    Ok(())
}
