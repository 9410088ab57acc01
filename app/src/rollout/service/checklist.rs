//! The connection checklist, item by item (offen / erledigt / nicht nötig / blockiert with a
//! note), and a Beratungsfall from a blocked item in one step.

use super::{exec, rows};
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::rollout::model::ItemState;
use sea_orm::DatabaseConnection;

/// Sets one item (advisors, clerks of the Kommune). A blocked item needs a note.
#[tracing::instrument(skip_all, fields(id = id, position = position))]
pub async fn set(db: &DatabaseConnection, scope: &Scope, user: &CurrentUser, id: i64, position: i32, status: Option<ItemState>, note: &str) -> Result<(), AppError> {
    let c = super::lifecycle::current(db, id).await?;
    super::lifecycle::may_work(scope, &c)?;
    let Some(status) = status else {
        return Err(AppError::field("status", "Bitte wählen Sie einen Stand für den Punkt."));
    };
    let note = note.trim();
    if status == ItemState::Blocked && note.chars().count() < 3 {
        return Err(AppError::field("note", "Bitte beschreiben Sie, was die Anbindung blockiert."));
    }
    if note.chars().count() > 2000 {
        return Err(AppError::field("note", "Die Notiz hat höchstens 2000 Zeichen."));
    }
    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(db).await?;
    let n = exec(
        &txn,
        "UPDATE connection_item SET status = ?, note = ?, updated_by = ?, updated_at = ? WHERE connection_id = ? AND position = ?",
        vec![status.into(), Some(note.to_string()).filter(|n| !n.is_empty()).into(), user.id.clone().into(), now.into(), id.into(), position.into()],
    )
    .await?;
    if n != 1 {
        txn.rollback().await?;
        return Err(AppError::NotFound);
    }
    audit::record(&txn, Entry { actor: Some(&user.id), action: "connection_item", object: Some(&format!("{id}/{position}")), detail: Some(status.code().to_string()), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Opens a Beratungsfall from a blocked item (a clerk of the Kommune): filed for the Kommune,
/// with the service's OZG-Leistungen and the item in subject and description, and linked to the
/// item. A second request for the same item returns the same case.
#[tracing::instrument(skip_all, fields(id = id, position = position))]
pub async fn open_case(db: &DatabaseConnection, scope: &Scope, config: &Config, user: &CurrentUser, id: i64, position: i32) -> Result<i64, AppError> {
    let c = super::lifecycle::current(db, id).await?;
    super::lifecycle::may_work(scope, &c)?;
    crate::access::policy::require_filer(scope)?;
    let item = rows(db, "SELECT label, status, note, case_id FROM connection_item WHERE connection_id = ? AND position = ?", vec![id.into(), position.into()]).await?;
    let item = item.first().ok_or(AppError::NotFound)?;
    if let Some(case_id) = item.try_get::<Option<i64>>("", "case_id")? {
        return Ok(case_id);
    }
    let status: ItemState = item.try_get("", "status")?;
    if status != ItemState::Blocked {
        return Err(AppError::field("status", "Ein Beratungsfall wird aus einem blockierten Punkt eröffnet."));
    }
    let label: String = item.try_get("", "label")?;
    let note: Option<String> = item.try_get("", "note")?;
    let service = rows(db, "SELECT name FROM efa_service WHERE id = ?", vec![c.efa_service_id.clone().into()]).await?;
    let service: String = service.first().ok_or(AppError::NotFound)?.try_get("", "name")?;
    let org = rows(db, "SELECT key FROM organisation WHERE id = ?", vec![c.organisation_id.clone().into()]).await?;
    let org_key: String = org.first().ok_or(AppError::NotFound)?.try_get("", "key")?;
    let leistungen = super::plan::leistungen_of(db, &c.efa_service_id).await?;
    let subject: String = format!("Anbindung {service}: {label}").chars().take(200).collect();
    let input = crate::cases::model::NewCase {
        subject,
        category: "technik".into(),
        description: format!(
            "Bei der Anbindung an den EfA-Dienst »{service}« ist dieser Punkt der Checkliste blockiert: {label}\n\n{}",
            note.unwrap_or_default()
        ),
        ozg_ids: leistungen.into_iter().map(|(o, _)| o).take(20).collect(),
        municipality: Some(org_key),
        desired_date: None,
        idempotency_key: Some(format!("anbindung-{id}-{position}")),
    };
    let actor = crate::cases::service::workflow::Actor::new(user, scope, config);
    let case_id = crate::cases::service::workflow::create(db, &actor, &input).await?;
    let txn = crate::core::db::begin_write(db).await?;
    exec(&txn, "UPDATE connection_item SET case_id = ? WHERE connection_id = ? AND position = ? AND case_id IS NULL", vec![case_id.into(), id.into(), position.into()]).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(case_id)
}
