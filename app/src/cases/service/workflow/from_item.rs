//! A Beratungsfall from a blocked item of a connection's checklist, in one step: filed for the
//! Kommune with the service's OZG-Leistungen and the item in subject and description, and linked
//! to the item. A second request for the same item returns the same case. The Kommune may give
//! it to the service's operator instead of the Land: the case is then shared with the operator,
//! who answers in it (the Land still reads it).

use super::Actor;
use crate::error::AppError;
use crate::rollout::service::checklist::{self, ForCase};
use sea_orm::DatabaseConnection;

/// Opens (or finds) the case of the blocked item `position` of connection `id`.
#[tracing::instrument(skip_all, fields(id = id, position = position))]
pub async fn from_blocked_item(db: &DatabaseConnection, actor: &Actor<'_>, id: i64, position: i32, to_operator: bool) -> Result<i64, AppError> {
    let (service, label, note, kommune_key, ozg_ids, operator) = match checklist::for_case(db, actor.scope, id, position).await? {
        ForCase::Opened(case_id) => return Ok(case_id),
        ForCase::New { service, label, note, kommune_key, ozg_ids, operator } => (service, label, note, kommune_key, ozg_ids, operator),
    };
    let partner = match (&operator, to_operator) {
        (_, false) => None,
        (Some((org_id, name)), true) => Some(super::SharedWith { org_id, name }),
        (None, true) => return Err(AppError::field("an", "Dieser Dienst hat keinen Betreiber im Portal. Bitte geben Sie den Fall an die Landesberatung.")),
    };
    let input = crate::cases::model::NewCase {
        subject: format!("Anbindung {service}: {label}").chars().take(200).collect(),
        category: "technik".into(),
        description: format!("Bei der Anbindung an den EfA-Dienst »{service}« ist dieser Punkt der Checkliste blockiert: {label}\n\n{}", note.unwrap_or_default()),
        ozg_ids,
        municipality: Some(kommune_key),
        desired_date: None,
        idempotency_key: Some(format!("anbindung-{id}-{position}")),
    };
    let case_id = super::create_shared(db, actor, &input, partner).await?;
    checklist::link_case(db, id, position, case_id).await?;
    crate::core::outbox::wake();
    Ok(case_id)
}
