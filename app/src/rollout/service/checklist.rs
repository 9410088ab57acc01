//! The connection checklist, item by item (offen / erledigt / nicht nötig / blockiert with a
//! note), and what a Beratungsfall from a blocked item needs (the cases file it in one step).

use crate::core::entities::{connection_item, efa_service, organisation};
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::rollout::model::ItemState;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// Sets one item: the Land any, the Kommune its own, the service's operator those marked for
/// the operator. A blocked item needs a note.
#[tracing::instrument(skip_all, fields(id = id, position = position))]
pub async fn set(db: &DatabaseConnection, scope: &Scope, config: &Config, user: &CurrentUser, id: i64, position: i32, status: Option<ItemState>, note: &str) -> Result<(), AppError> {
    let c = super::lifecycle::current(db, id).await?;
    let side = super::operators::side(db, scope, &c).await?;
    let item = connection_item::Entity::find_by_id((id, position)).one(db).await?.ok_or(AppError::NotFound)?;
    if !side.works_item(item.operator) {
        return Err(AppError::field(
            "status",
            if item.operator { "Diesen Punkt erledigt der Betreiber des Dienstes." } else { "Diesen Punkt erledigt die Kommune; als Betreiber bearbeiten Sie die für den Betreiber markierten Punkte." },
        ));
    }
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
    let n = connection_item::Entity::update_many()
        .col_expr(connection_item::Column::Status, Expr::value(status))
        .col_expr(connection_item::Column::Note, Expr::value(Some(note.to_string()).filter(|n| !n.is_empty())))
        .col_expr(connection_item::Column::UpdatedBy, Expr::value(Some(user.id.clone())))
        .col_expr(connection_item::Column::UpdatedAt, Expr::value(Some(now)))
        .filter(connection_item::Column::ConnectionId.eq(id))
        .filter(connection_item::Column::Position.eq(position))
        .exec(&txn)
        .await?
        .rows_affected;
    if n != 1 {
        txn.rollback().await?;
        return Err(AppError::NotFound);
    }
    audit::record(&txn, Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::ConnectionItem, object: Some(&format!("{id}/{position}")), detail: Some(status.code().to_string()), ..Default::default() }).await?;
    if (status == ItemState::Blocked) != (item.status == ItemState::Blocked) {
        super::notices::item_changed(&txn, config, &c, &user.id, side, &item.label, status == ItemState::Blocked).await?;
    }
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok(())
}

/// A blocked item as a Beratungsfall needs it: the case it has already, or what the new case
/// says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForCase {
    Opened(i64),
    New { service: String, label: String, note: Option<String>, kommune_key: String, ozg_ids: Vec<String>, operator: Option<(String, String)> },
}

/// The blocked item a clerk of its Kommune opens a Beratungsfall from (`cases` files it and
/// links it back with [`link_case`]); anyone else is refused, as is an item not blocked.
#[tracing::instrument(skip_all, fields(id = id, position = position))]
pub async fn for_case(db: &impl ConnectionTrait, scope: &Scope, id: i64, position: i32) -> Result<ForCase, AppError> {
    let c = super::lifecycle::current(db, id).await?;
    if super::operators::side(db, scope, &c).await? != super::operators::Side::Kommune {
        return Err(AppError::Forbidden);
    }
    crate::access::policy::require_filer(scope)?;
    let item = connection_item::Entity::find_by_id((id, position)).one(db).await?.ok_or(AppError::NotFound)?;
    if let Some(case_id) = item.case_id {
        return Ok(ForCase::Opened(case_id));
    }
    if item.status != ItemState::Blocked {
        return Err(AppError::field("status", "Ein Beratungsfall wird aus einem blockierten Punkt eröffnet."));
    }
    let service = efa_service::Entity::find_by_id(c.efa_service_id.clone()).one(db).await?.ok_or(AppError::NotFound)?.name;
    let kommune_key = organisation::Entity::find_by_id(c.organisation_id.clone()).one(db).await?.ok_or(AppError::NotFound)?.key;
    let ozg_ids = super::plan::leistungen_of(db, &c.efa_service_id).await?.into_iter().map(|(o, _)| o).take(20).collect();
    let operator = super::operators::first_of_service(db, &c.efa_service_id).await?;
    Ok(ForCase::New { service, label: item.label, note: item.note, kommune_key, ozg_ids, operator })
}

/// Links the Beratungsfall opened from an item to it (the first one stays).
pub async fn link_case(db: &DatabaseConnection, id: i64, position: i32, case_id: i64) -> Result<(), AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    connection_item::Entity::update_many()
        .col_expr(connection_item::Column::CaseId, Expr::value(Some(case_id)))
        .filter(connection_item::Column::ConnectionId.eq(id))
        .filter(connection_item::Column::Position.eq(position))
        .filter(connection_item::Column::CaseId.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
