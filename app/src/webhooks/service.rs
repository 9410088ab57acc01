//! Registering receivers and allowed hosts (administrators only, audited), and reading what was
//! delivered.

use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::entities::{organisation, webhook_delivery, webhook_host, webhook_receiver};
use crate::error::AppError;
use crate::identity::OrgKind;
use crate::webhooks::model::{DeliveryRow, DeliveryState, ReceiverRow, WebhookEvent, WebhooksPage};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// At most this many receivers in all.
pub const MAX_RECEIVERS: u64 = 100;
/// The newest deliveries the page lists.
pub const LISTED: u64 = 30;

fn row(d: webhook_delivery::Model) -> Option<DeliveryRow> {
    let state = match (d.delivered_at, d.dead_at) {
        (Some(_), _) => DeliveryState::Delivered,
        (None, Some(_)) => DeliveryState::GivenUp,
        (None, None) => DeliveryState::Waiting,
    };
    Some(DeliveryRow {
        id: d.id,
        receiver_id: d.receiver_id,
        event: WebhookEvent::from_code(&d.event)?,
        created_at: crate::core::time::format_berlin(d.created_at),
        attempts: d.attempts,
        state,
        last_status: d.last_status,
        last_answer: d.last_answer,
    })
}

/// The organisations a receiver may belong to: partners and the Land's units.
async fn choices(db: &impl ConnectionTrait) -> Result<Vec<organisation::Model>, AppError> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Kind.is_in([OrgKind::Partner.code(), OrgKind::LandUnit.code()]))
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?)
}

#[tracing::instrument(skip_all)]
pub async fn page(db: &impl ConnectionTrait, scope: &Scope) -> Result<WebhooksPage, AppError> {
    crate::access::policy::require_admin(scope)?;
    let orgs = choices(db).await?;
    let names: HashMap<String, String> = organisation::Entity::find().all(db).await?.into_iter().map(|o| (o.id, o.name)).collect();
    let mut receivers = Vec::new();
    for r in webhook_receiver::Entity::find().order_by_asc(webhook_receiver::Column::CreatedAt).all(db).await? {
        let open = || webhook_delivery::Entity::find().filter(webhook_delivery::Column::ReceiverId.eq(r.id.clone())).filter(webhook_delivery::Column::DeliveredAt.is_null());
        let waiting = open().filter(webhook_delivery::Column::DeadAt.is_null()).count(db).await?;
        let given_up = open().filter(webhook_delivery::Column::DeadAt.is_not_null()).count(db).await?;
        let last = webhook_delivery::Entity::find().filter(webhook_delivery::Column::ReceiverId.eq(r.id.clone())).order_by_desc(webhook_delivery::Column::Id).one(db).await?.and_then(row);
        receivers.push(ReceiverRow {
            organisation: names.get(&r.organisation_id).cloned().unwrap_or_default(),
            events: r.events.split(',').filter_map(WebhookEvent::from_code).collect(),
            id: r.id,
            url: r.url,
            secret: r.secret,
            waiting,
            given_up,
            last,
        });
    }
    let hosts = webhook_host::Entity::find().order_by_asc(webhook_host::Column::Host).all(db).await?.into_iter().map(|h| h.host).collect();
    let deliveries = webhook_delivery::Entity::find().order_by_desc(webhook_delivery::Column::Id).limit(LISTED).all(db).await?.into_iter().filter_map(row).collect();
    Ok(WebhooksPage { receivers, hosts, deliveries, organisations: orgs.into_iter().map(|o| (o.key, o.name)).collect() })
}

/// Registers a receiver: the organisation (a partner or a unit of the Land, by key), its
/// address (checked against server-side request forgery) and at least one event. Returns its id.
#[tracing::instrument(skip_all)]
pub async fn add(db: &DatabaseConnection, scope: &Scope, admin: &str, org_key: &str, url: &str, events: &[String]) -> Result<String, AppError> {
    crate::access::policy::require_admin(scope)?;
    let mut e = std::collections::BTreeMap::new();
    let org = choices(db).await?.into_iter().find(|o| o.key == org_key.trim());
    if org.is_none() {
        e.insert("organisation".to_string(), vec!["Bitte wählen Sie eine Partnerorganisation oder eine Stelle des Landes.".to_string()]);
    }
    let mut chosen: Vec<WebhookEvent> = events.iter().filter_map(|c| WebhookEvent::from_code(c.trim())).collect();
    chosen.sort();
    chosen.dedup();
    if chosen.is_empty() || chosen.len() != events.len() {
        e.insert("ereignisse".to_string(), vec!["Bitte wählen Sie mindestens ein Ereignis aus der Liste.".to_string()]);
    }
    if url.trim().chars().count() > 500 {
        e.insert("url".to_string(), vec!["Die Adresse hat höchstens 500 Zeichen.".to_string()]);
    } else if let Err(reason) = crate::core::webhooks::vet(db, url).await {
        e.insert("url".to_string(), vec![reason]);
    }
    if webhook_receiver::Entity::find().count(db).await? >= MAX_RECEIVERS {
        e.insert("url".to_string(), vec![format!("Es sind schon {MAX_RECEIVERS} Empfänger eingetragen.")]);
    }
    let Some(org) = org.filter(|_| e.is_empty()) else { return Err(AppError::Validation(e)) };
    let id = uuid::Uuid::now_v7().to_string();
    let secret = crate::core::webhooks::new_secret();
    let txn = crate::core::db::begin_write(db).await?;
    webhook_receiver::ActiveModel {
        id: Set(id.clone()),
        organisation_id: Set(org.id.clone()),
        url: Set(url.trim().to_string()),
        secret: Set(secret),
        events: Set(chosen.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")),
        active: Set(true),
        demo: Set(false),
        created_by: Set(Some(admin.to_string())),
        created_at: Set(crate::core::time::now()),
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, Entry { actor: Some(admin), action: crate::vocabulary::audit::AuditAction::WebhookAdded, object: Some(&id), detail: Some(format!("{} → {}", org.name, url.trim())), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(id)
}

/// Removes a receiver with its deliveries.
pub async fn remove(db: &DatabaseConnection, scope: &Scope, admin: &str, id: &str) -> Result<(), AppError> {
    crate::access::policy::require_admin(scope)?;
    let r = webhook_receiver::Entity::find_by_id(id.to_string()).one(db).await?.ok_or(AppError::NotFound)?;
    let txn = crate::core::db::begin_write(db).await?;
    webhook_delivery::Entity::delete_many().filter(webhook_delivery::Column::ReceiverId.eq(r.id.clone())).exec(&txn).await?;
    webhook_receiver::Entity::delete_by_id(r.id.clone()).exec(&txn).await?;
    audit::record(&txn, Entry { actor: Some(admin), action: crate::vocabulary::audit::AuditAction::WebhookRemoved, object: Some(&r.id), detail: Some(r.url), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Whether a text is a host name or an IP address.
fn is_host(h: &str) -> bool {
    h.parse::<std::net::IpAddr>().is_ok()
        || (!h.is_empty() && h.len() <= 253 && h.split('.').all(|l| !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && !l.starts_with('-')))
}

/// Allows a host although it resolves to an internal address (the Land's own systems).
pub async fn allow_host(db: &DatabaseConnection, scope: &Scope, admin: &str, host: &str) -> Result<(), AppError> {
    crate::access::policy::require_admin(scope)?;
    let host = host.trim().trim_matches(['[', ']']).to_ascii_lowercase();
    if !is_host(&host) {
        return Err(AppError::field("host", "Bitte geben Sie einen Hostnamen oder eine IP-Adresse an (ohne https:// und ohne Pfad)."));
    }
    if webhook_host::Entity::find_by_id(host.clone()).one(db).await?.is_some() {
        return Ok(());
    }
    let txn = crate::core::db::begin_write(db).await?;
    webhook_host::ActiveModel { host: Set(host.clone()), added_by: Set(Some(admin.to_string())), added_at: Set(crate::core::time::now()) }.insert(&txn).await?;
    audit::record(&txn, Entry { actor: Some(admin), action: crate::vocabulary::audit::AuditAction::WebhookHostAllowed, object: Some(&host), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Withdraws an allowed host: deliveries to it are refused from then on.
pub async fn remove_host(db: &DatabaseConnection, scope: &Scope, admin: &str, host: &str) -> Result<(), AppError> {
    crate::access::policy::require_admin(scope)?;
    let host = host.trim().to_ascii_lowercase();
    let txn = crate::core::db::begin_write(db).await?;
    let n = webhook_host::Entity::delete_by_id(host.clone()).exec(&txn).await?.rows_affected;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(&txn, Entry { actor: Some(admin), action: crate::vocabulary::audit::AuditAction::WebhookHostRemoved, object: Some(&host), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn hosts_are_names_or_addresses_without_scheme_or_path() {
        for ok in ["localhost", "127.0.0.1", "ticket.itdz.sachsen-anhalt.de", "::1"] {
            assert!(super::is_host(ok), "{ok}");
        }
        for bad in ["https://x.de", "x.de/pfad", "", "-x.de", "a..b"] {
            assert!(!super::is_host(bad), "{bad}");
        }
    }
}
