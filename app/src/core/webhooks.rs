//! Webhooks: an event is queued, in the transaction of the change it reports, as one delivery for
//! each active receiver that wants it and belongs to an organisation concerned (or to the Land,
//! whose systems hear every event). Sending is the server's job (`ops::webhooks`); what both
//! sides need is here: the signature and the check of a receiver's address against server-side
//! request forgery.
//!
//! Each delivery is a POST of JSON `{ "event", "delivery", "at", "data" }` with the headers
//! `X-OZG-Event`, `X-OZG-Delivery`, `X-OZG-Timestamp` (Unix seconds) and `X-OZG-Signature:
//! sha256=<hex>`, the HMAC-SHA256 with the receiver's secret over `<timestamp>.<body>`. A receiver
//! checks the signature and refuses a timestamp older than a few minutes (no replay).

use crate::core::entities::{organisation, webhook_delivery, webhook_host, webhook_receiver};
use crate::vocabulary::webhooks::WebhookEvent;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, NotSet, QueryFilter, QuerySelect, Set};
use std::net::{IpAddr, SocketAddr};

static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Tells this instance's sender that deliveries wait (after the transaction committed).
pub fn wake() {
    WAKE.notify_one();
}

/// Waits until a delivery was queued on this instance.
pub async fn queued() {
    WAKE.notified().await;
}

/// Queues `event` for the receivers of the organisations `orgs` (ids) and of the Land.
#[tracing::instrument(skip_all, fields(event = event.code()))]
pub async fn emit(db: &impl ConnectionTrait, event: WebhookEvent, orgs: &[String], data: serde_json::Value, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let land: Vec<String> =
        organisation::Entity::find().select_only().column(organisation::Column::Id).filter(organisation::Column::Kind.eq(crate::identity::OrgKind::LandUnit.code())).into_tuple().all(db).await?;
    let mut concerned: Vec<String> = orgs.iter().cloned().chain(land).collect();
    concerned.sort();
    concerned.dedup();
    let receivers = webhook_receiver::Entity::find()
        .filter(webhook_receiver::Column::Active.eq(true))
        .filter(webhook_receiver::Column::OrganisationId.is_in(concerned))
        .all(db)
        .await?
        .into_iter()
        .filter(|r| r.events.split(',').any(|e| e == event.code()));
    let mut n = 0;
    for r in receivers {
        let delivery = uuid::Uuid::now_v7().to_string();
        let body = serde_json::json!({ "event": event.code(), "delivery": delivery, "at": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), "data": data });
        webhook_delivery::ActiveModel {
            id: NotSet,
            receiver_id: Set(r.id),
            event: Set(event.code().to_string()),
            body: Set(body.to_string()),
            created_at: Set(now),
            attempts: Set(0),
            next_attempt_at: Set(now),
            claimed_until: Set(None),
            delivered_at: Set(None),
            dead_at: Set(None),
            last_status: Set(None),
            last_answer: Set(None),
        }
        .insert(db)
        .await?;
        n += 1;
    }
    Ok(n)
}

/// A new receiver's secret: 32 random bytes, hex.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The signature of a body sent at `timestamp` (Unix seconds): hex of HMAC-SHA256 over
/// `<timestamp>.<body>` with the receiver's secret.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    // An HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) else { return String::new() };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether an address lies on the public internet: not loopback, private, link-local,
/// shared (100.64/10), unspecified, multicast, broadcast or for documentation.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_loopback() || v6.is_unspecified() || v6.is_multicast() || (s[0] & 0xfe00) == 0xfc00 || (s[0] & 0xffc0) == 0xfe80 || s[0] == 0x2001 && s[1] == 0x0db8)
        }
    }
}

/// A receiver's address, checked: where to send (the addresses resolved, so that the request
/// goes where the check looked) or the German reason why not.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: reqwest::Url,
    pub host: String,
    pub addrs: Vec<SocketAddr>,
}

/// What an outbound request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A webhook delivery: https only (plain http only to a host the administrators allowed).
    Webhook,
    /// The check of an online address of the register: http or https, as citizens follow it.
    LinkCheck,
}

/// Checks a receiver's URL: `https` (plain `http` only for a host the administrators allowed),
/// no user name or password in it, and every address its host resolves to on the public
/// internet, unless the administrators allowed the host. Asked when a receiver is registered
/// and again before every delivery (an address may change).
pub async fn vet(db: &impl ConnectionTrait, raw: &str) -> Result<Target, String> {
    vet_for(db, raw, Purpose::Webhook).await.map_err(Refused::into_message)
}

/// Why the portal does not send to an address, with the German reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not an address the portal requests (scheme, credentials, no host).
    Invalid(String),
    /// Its host does not resolve.
    Unresolvable(String),
    /// Its host resolves to loopback, a private or a link-local address.
    Internal(String),
}

impl Refused {
    pub fn into_message(self) -> String {
        match self {
            Refused::Invalid(m) | Refused::Unresolvable(m) | Refused::Internal(m) => m,
        }
    }
}

/// Checks an address the portal is about to request (for `purpose`) against server-side request
/// forgery; the hosts the administrators listed (`webhook_host`) may be internal.
pub async fn vet_for(db: &impl ConnectionTrait, raw: &str, purpose: Purpose) -> Result<Target, Refused> {
    let url = reqwest::Url::parse(raw.trim()).map_err(|_| Refused::Invalid("Bitte geben Sie eine vollständige Adresse an (https://…).".into()))?;
    let host = url.host_str().map(|h| h.trim_matches(['[', ']']).to_ascii_lowercase()).ok_or_else(|| Refused::Invalid("Die Adresse nennt keinen Host.".into()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refused::Invalid(
            match purpose {
                Purpose::Webhook => "Zugangsdaten gehören nicht in die Adresse; die Zustellung wird signiert.",
                Purpose::LinkCheck => "Die Adresse enthält Zugangsdaten.",
            }
            .into(),
        ));
    }
    let allowed = webhook_host::Entity::find_by_id(host.clone()).one(db).await.map_err(|_| Refused::Invalid("Die zugelassenen Hosts konnten nicht gelesen werden.".into()))?.is_some();
    match (purpose, url.scheme()) {
        (_, "https") | (Purpose::LinkCheck, "http") => {}
        (Purpose::Webhook, "http") if allowed => {}
        (Purpose::Webhook, "http") => return Err(Refused::Invalid("Webhooks gehen nur über https (http nur an einen zugelassenen internen Host).".into())),
        (Purpose::Webhook, _) => return Err(Refused::Invalid("Nur https-Adressen sind möglich.".into())),
        (Purpose::LinkCheck, _) => return Err(Refused::Invalid("Nur http- und https-Adressen werden geprüft.".into())),
    }
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port)).await.map_err(|_| Refused::Unresolvable(format!("Der Host »{host}« ist nicht auflösbar.")))?.collect();
    if addrs.is_empty() {
        return Err(Refused::Unresolvable(format!("Der Host »{host}« ist nicht auflösbar.")));
    }
    if !allowed
        && let Some(internal) = addrs.iter().find(|a| !is_public(a.ip()))
    {
        return Err(Refused::Internal(format!(
            "»{host}« zeigt auf die interne Adresse {} (Loopback, privat oder link-local). Dorthin sendet das Portal nur, wenn die Administration den Host zugelassen hat.",
            internal.ip()
        )));
    }
    Ok(Target { url, host, addrs })
}

/// Deliveries waiting to be sent and given up: two counts for the metrics and the administrators.
pub async fn counts(db: &impl ConnectionTrait) -> Result<(u64, u64), DbErr> {
    use sea_orm::PaginatorTrait;
    let open = || webhook_delivery::Entity::find().filter(webhook_delivery::Column::DeliveredAt.is_null());
    Ok((open().filter(webhook_delivery::Column::DeadAt.is_null()).count(db).await?, open().filter(webhook_delivery::Column::DeadAt.is_not_null()).count(db).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_not_public() {
        for internal in ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1"] {
            assert!(!is_public(internal.parse().expect("ip")), "{internal}");
        }
        for public in ["195.37.23.1", "8.8.8.8", "2a01:4f8::1"] {
            assert!(is_public(public.parse().expect("ip")), "{public}");
        }
    }

    #[test]
    fn the_signature_is_the_hmac_over_timestamp_and_body() {
        // Computed independently (Python's hmac module) over `1765000000.{"event":"case.status"}`.
        assert_eq!(sign("geheim", 1_765_000_000, r#"{"event":"case.status"}"#), "283cd3cd2914a8a0d5557c1014db6d1e5589b570a9eb49727e4278c4fddf311e");
        assert_ne!(sign("geheim", 1, "{}"), sign("geheim", 2, "{}"), "the timestamp is signed");
    }
}
