//! Related cases and duplicates.

use crate::core::notify;
use crate::core::db::begin_write;
use crate::core::entities::{case_link, support_case};
use crate::cases::service::sla;
use crate::cases::service::{load, status_of};
use crate::error::AppError;
use crate::cases::model::CaseStatus;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, EntityTrait, Set,
};
use super::*;

/// Links two cases as related (advisors only).
#[tracing::instrument(skip_all)]
pub async fn link(db: &DatabaseConnection, a: &Actor<'_>, id: i64, other: i64) -> Result<(), AppError> {
    crate::access::policy::require_advisor(a.scope)?;
    if id == other {
        return Err(AppError::field("other", "Ein Fall kann nicht mit sich selbst verknüpft werden."));
    }
    load(db, id).await?;
    if support_case::Entity::find_by_id(other).one(db).await?.is_none() {
        return Err(AppError::field("other", format!("Fall {other} gibt es nicht.")));
    }
    let tx = begin_write(db).await?;
    let exists = case_link::Entity::find_by_id((id, other)).one(&tx).await?.is_some();
    if !exists {
        for (x, y) in [(id, other), (other, id)] {
            case_link::ActiveModel { case_id: Set(x), other_id: Set(y), created_at: Set(a.now) }.insert(&tx).await?;
            event(&tx, x, a.now, Some(&a.user.id), "link", false, format!("Verknüpft mit Fall {y}.")).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Marks a case as duplicate of another case of the same Kommune and closes it; the Kommune
/// sees where it continues.
#[tracing::instrument(skip_all, fields(case = id))]
pub async fn mark_duplicate(db: &DatabaseConnection, a: &Actor<'_>, id: i64, of: i64, version: i32) -> Result<(), AppError> {
    crate::access::policy::require_advisor(a.scope)?;
    let c = load(db, id).await?;
    if id == of {
        return Err(AppError::field("other", "Ein Fall kann kein Duplikat von sich selbst sein."));
    }
    let Some(target) = support_case::Entity::find_by_id(of).one(db).await? else {
        return Err(AppError::field("other", format!("Fall {of} gibt es nicht.")));
    };
    if target.organisation_id != c.organisation_id {
        return Err(AppError::field("other", "Ein Duplikat muss zu einem Fall derselben Kommune gehören, damit die Kommune ihn weiter verfolgen kann."));
    }
    if target.duplicate_of.is_some() || status_of(&target) == CaseStatus::Closed {
        return Err(AppError::field("other", format!("Fall {of} ist selbst geschlossen; bitte wählen Sie den Fall, in dem es weitergeht.")));
    }
    if status_of(&c) == CaseStatus::Closed {
        return Err(AppError::Conflict(format!("Fall {id} ist bereits geschlossen.")));
    }
    let s = sla::settings(db).await?;
    let tx = begin_write(db).await?;
    let mut c = load(&tx, id).await?;
    if c.version != version {
        return Err(stale());
    }
    c.duplicate_of = Some(of);
    set_status(&mut c, CaseStatus::Closed, &s, a.now);
    touch(&mut c, a.now, true);
    event(&tx, id, a.now, Some(&a.user.id), "duplicate", true, format!("Als Duplikat geschlossen: weiter in Fall {of} {}.", crate::ui::format::quoted(&target.subject))).await?;
    event(&tx, of, a.now, Some(&a.user.id), "duplicate", false, format!("Fall {id} wurde als Duplikat dieses Falls geschlossen.")).await?;
    let c = save(&tx, c, version).await?;
    send_notes(&tx, a, &c, vec![Note::Kommune { kind: notify::NotificationKind::Status, text: format!("Fall {id} {} wird in Fall {of} weitergeführt.", crate::ui::format::quoted(&c.subject)) }]).await?;
    tx.commit().await?;
    Ok(())
}
