//! Who is told what about a connection: the Kommune's clerks when someone else takes its step or
//! blocks or frees an item; the operator's people when a Kommune enters the preparation or the
//! test of their service, or an item is blocked or freed.

use super::operators::Side;
use crate::core::config::Config;
use crate::core::entities::{connection, efa_service, organisation};
use crate::core::notify::{NotificationKind, notify};
use crate::error::AppError;
use crate::rollout::model::ConnectionState;
use sea_orm::{ConnectionTrait, EntityTrait};

/// The names of the connection's Kommune and service.
async fn names(db: &impl ConnectionTrait, c: &connection::Model) -> Result<(String, String), AppError> {
    let kommune = organisation::Entity::find_by_id(c.organisation_id.clone()).one(db).await?.map(|o| o.name).unwrap_or_default();
    let service = efa_service::Entity::find_by_id(c.efa_service_id.clone()).one(db).await?.map(|s| s.name).unwrap_or_default();
    Ok((kommune, service))
}

async fn send(db: &impl ConnectionTrait, config: &Config, c: &connection::Model, actor: &str, to_kommune: bool, to_operator: bool, text: &str) -> Result<(), AppError> {
    let mut people = Vec::new();
    if to_kommune {
        people.extend(crate::core::notify::clerks_of(db, &c.organisation_id).await?);
    }
    if to_operator {
        people.extend(super::operators::people_of(db, &c.efa_service_id).await?);
    }
    let link = format!("/nachnutzung/anbindung/{}", c.id);
    notify(db, config, &people, Some(actor), None, Some(&link), NotificationKind::Connection, text, crate::core::time::now()).await?;
    Ok(())
}

/// A step was taken by `side`: the webhooks of the Kommune, the operators and the Land hear
/// of every step, the people as below.
pub async fn stepped(db: &impl ConnectionTrait, config: &Config, c: &connection::Model, actor: &str, side: Side, target: ConnectionState) -> Result<(), AppError> {
    let mut orgs = super::operators::org_ids_of(db, &c.efa_service_id).await?;
    orgs.push(c.organisation_id.clone());
    let kommune_key = organisation::Entity::find_by_id(c.organisation_id.clone()).one(db).await?.map(|o| o.key).unwrap_or_default();
    let data = serde_json::json!({ "connection": c.id, "kommune": kommune_key, "service": c.efa_service_id, "state": target.code(), "by": side.code() });
    crate::core::webhooks::emit(db, crate::vocabulary::webhooks::WebhookEvent::ConnectionStep, &orgs, data, crate::core::time::now()).await?;
    let to_kommune = side != Side::Kommune;
    let to_operator = side != Side::Operator && matches!(target, ConnectionState::Preparation | ConnectionState::Test);
    if !(to_kommune || to_operator) {
        return Ok(());
    }
    let (kommune, service) = names(db, c).await?;
    let who = match side {
        Side::Land => "Die Landesberatung hat",
        Side::Operator => "Der Betreiber hat",
        Side::Kommune => "Die Kommune hat",
    };
    send(db, config, c, actor, to_kommune, to_operator, &format!("{who} die Anbindung von {kommune} an »{service}« auf »{}« gesetzt.", target.label())).await
}

/// An item was blocked (`blocked`) or freed by `side`.
pub async fn item_changed(db: &impl ConnectionTrait, config: &Config, c: &connection::Model, actor: &str, side: Side, label: &str, blocked: bool) -> Result<(), AppError> {
    let (kommune, service) = names(db, c).await?;
    let what = if blocked { "blockiert" } else { "nicht mehr blockiert" };
    send(db, config, c, actor, side != Side::Kommune, side != Side::Operator, &format!("{kommune}, Anbindung an »{service}«: »{label}« ist {what}.")).await
}
