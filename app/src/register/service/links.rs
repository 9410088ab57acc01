//! The weekly check of the online addresses in the register: each address is requested with a
//! GET (a short timeout, at most five redirects, one address after the other with a pause between
//! them), and only when it lies on the public internet: every hop is checked against server-side
//! request forgery (`core::webhooks::vet_for`), so an address or a redirect to loopback, a private
//! or a link-local network is never requested unless the administrators listed its host. An
//! address is checked once a week however many records name it; several instances claim each one
//! so it is checked once.

use crate::access::scope::Scope;
use crate::core::entities::{link_check, organisation, ozg_service, service_record};
use crate::core::webhooks::{Purpose, Refused, vet_for};
use crate::error::AppError;
use crate::register::model::{BrokenLink, BrokenLinks};
use crate::vocabulary::register::LinkOutcome;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr, OnConflict, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::{BTreeMap, HashMap};

/// Days until an address is checked again.
pub const INTERVAL_DAYS: i64 = 7;
/// Addresses checked in one run at most (the next run goes on).
const BATCH: u64 = 500;
/// Redirects followed before an address counts as broken.
const MAX_REDIRECTS: usize = 5;
/// How long one request may take.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// How long a claim holds before another instance may check the address.
const CLAIM_MINUTES: i64 = 15;
/// Broken addresses shown to the Land at most.
const LIST_MAX: u64 = 1000;

/// The key of an address: hex SHA-256.
pub fn hash(url: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(url.as_bytes()))
}

/// What one request (with its redirects) found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub outcome: LinkOutcome,
    pub status: Option<u16>,
    pub detail: String,
}

impl Finding {
    fn of(outcome: LinkOutcome, status: Option<u16>, detail: impl Into<String>) -> Self {
        let detail: String = detail.into();
        Finding { outcome, status, detail: detail.chars().take(300).collect() }
    }
}

/// Requests `url` as a citizen's browser would, following at most five redirects, each checked
/// against server-side request forgery before it is requested.
pub async fn check(db: &impl ConnectionTrait, url: &str) -> Finding {
    let mut current = url.trim().to_string();
    for _ in 0..=MAX_REDIRECTS {
        let target = match vet_for(db, &current, Purpose::LinkCheck).await {
            Ok(t) => t,
            Err(Refused::Internal(m)) => return Finding::of(LinkOutcome::Internal, None, m),
            Err(Refused::Unresolvable(m)) => return Finding::of(LinkOutcome::Unreachable, None, m),
            Err(Refused::Invalid(m)) => return Finding::of(LinkOutcome::Invalid, None, m),
        };
        let client = match reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .resolve_to_addrs(&target.host, &target.addrs)
            .user_agent("OZG-Portal-Sachsen-Anhalt-Linkpruefung/1")
            .build()
        {
            Ok(c) => c,
            Err(e) => return Finding::of(LinkOutcome::Unreachable, None, format!("Nicht geprüft: {e}")),
        };
        let res = match client.get(target.url.clone()).send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => return Finding::of(LinkOutcome::Unreachable, None, format!("keine Antwort innerhalb von {} Sekunden", TIMEOUT.as_secs())),
            Err(_) => return Finding::of(LinkOutcome::Unreachable, None, "keine Verbindung zum Server"),
        };
        let status = res.status();
        if status.is_redirection() {
            let next = res.headers().get(reqwest::header::LOCATION).and_then(|l| l.to_str().ok()).and_then(|l| target.url.join(l).ok());
            match next {
                Some(next) => {
                    current = next.to_string();
                    continue;
                }
                None => return Finding::of(LinkOutcome::ErrorAnswer, Some(status.as_u16()), "Weiterleitung ohne gültiges Ziel"),
            }
        }
        return if status.is_success() {
            Finding::of(LinkOutcome::Reachable, Some(status.as_u16()), "")
        } else {
            Finding::of(LinkOutcome::ErrorAnswer, Some(status.as_u16()), format!("HTTP {}", status.as_u16()))
        };
    }
    Finding::of(LinkOutcome::Redirects, None, format!("mehr als {MAX_REDIRECTS} Weiterleitungen"))
}

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    pub checked: usize,
    pub broken: usize,
    /// Results of addresses that no record names any more, removed.
    pub removed: u64,
}

/// Claims an address for a check: its first check, or one that is due and not claimed by another
/// instance.
async fn claim(db: &impl ConnectionTrait, url: &str, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let key = hash(url);
    let until = now + chrono::Duration::minutes(CLAIM_MINUTES);
    let fresh = link_check::ActiveModel {
        url_hash: Set(key.clone()),
        url: Set(url.to_string()),
        checked_at: Set(None),
        next_check_at: Set(now),
        claimed_until: Set(Some(until)),
        outcome: Set(None),
        http_status: Set(None),
        detail: Set(None),
        broken_since: Set(None),
    };
    let inserted = link_check::Entity::insert(fresh).on_conflict(OnConflict::column(link_check::Column::UrlHash).do_nothing().to_owned()).exec_without_returning(db).await?;
    if inserted == 1 {
        return Ok(true);
    }
    let res = link_check::Entity::update_many()
        .col_expr(link_check::Column::ClaimedUntil, Expr::value(until))
        .filter(link_check::Column::UrlHash.eq(key))
        .filter(link_check::Column::NextCheckAt.lte(now))
        .filter(Condition::any().add(link_check::Column::ClaimedUntil.is_null()).add(link_check::Column::ClaimedUntil.lte(now)))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Keeps what a check found; an address stays broken since the first failed check.
async fn store(db: &impl ConnectionTrait, url: &str, now: DateTime<Utc>, f: &Finding) -> Result<(), DbErr> {
    let Some(row) = link_check::Entity::find_by_id(hash(url)).one(db).await? else { return Ok(()) };
    let since = row.broken_since;
    let mut am = row.into_active_model();
    am.checked_at = Set(Some(now));
    am.next_check_at = Set(now + chrono::Duration::days(INTERVAL_DAYS));
    am.claimed_until = Set(None);
    am.outcome = Set(Some(f.outcome));
    am.http_status = Set(f.status.map(i32::from));
    am.detail = Set((!f.detail.is_empty()).then(|| f.detail.clone()));
    am.broken_since = Set(if f.outcome.is_broken() { Some(since.unwrap_or(now)) } else { None });
    am.update(db).await?;
    Ok(())
}

/// Checks the addresses that are due (at most `BATCH`), with `pause` between two requests, and
/// forgets the results of addresses no record names any more.
#[tracing::instrument(skip_all)]
pub async fn run(db: &impl ConnectionTrait, now: DateTime<Utc>, pause: std::time::Duration) -> Result<Checked, DbErr> {
    let named = Query::select().distinct().column(service_record::Column::Url).from(service_record::Entity).and_where(service_record::Column::Url.is_not_null()).to_owned();
    let removed = link_check::Entity::delete_many().filter(link_check::Column::Url.not_in_subquery(named)).exec(db).await?.rows_affected;
    let recent = Query::select()
        .column(link_check::Column::Url)
        .from(link_check::Entity)
        .cond_where(Condition::any().add(link_check::Column::NextCheckAt.gt(now)).add(link_check::Column::ClaimedUntil.gt(now)))
        .to_owned();
    let due: Vec<String> = service_record::Entity::find()
        .select_only()
        .column(service_record::Column::Url)
        .distinct()
        .filter(service_record::Column::Url.is_not_null())
        .filter(service_record::Column::Url.ne(""))
        .filter(service_record::Column::Url.not_in_subquery(recent))
        .order_by_asc(service_record::Column::Url)
        .limit(BATCH)
        .into_tuple()
        .all(db)
        .await?;
    let mut out = Checked { removed, ..Default::default() };
    for url in due {
        if !claim(db, &url, now).await? {
            continue;
        }
        if out.checked > 0 && !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
        let finding = check(db, &url).await;
        store(db, &url, now, &finding).await?;
        out.checked += 1;
        if finding.outcome.is_broken() {
            out.broken += 1;
        }
    }
    Ok(out)
}

/// The records of one Kommune with a broken address, by service name.
pub async fn broken_of_kommune(db: &impl ConnectionTrait, org_id: &str) -> Result<Vec<(String, String, link_check::Model)>, DbErr> {
    let named: Vec<(String, String)> = service_record::Entity::find()
        .select_only()
        .column(service_record::Column::OzgId)
        .column(service_record::Column::Url)
        .filter(service_record::Column::OrganisationId.eq(org_id))
        .filter(service_record::Column::Url.is_not_null())
        .into_tuple::<(String, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(ozg, url)| Some((ozg, url?)))
        .collect();
    let broken: HashMap<String, link_check::Model> = link_check::Entity::find()
        .filter(link_check::Column::UrlHash.is_in(named.iter().map(|(_, u)| hash(u))))
        .filter(link_check::Column::BrokenSince.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.url.clone(), r))
        .collect();
    Ok(named.into_iter().filter_map(|(ozg, url)| broken.get(&url).map(|r| (ozg, url, r.clone()))).collect())
}

/// The page of broken addresses: the Land chooses a Kreis (a key it does not know is refused),
/// a clerk reads those of their Kommunen.
#[tracing::instrument(skip_all)]
pub async fn page(db: &impl ConnectionTrait, scope: &Scope, kreis: &str) -> Result<BrokenLinks, AppError> {
    crate::access::policy::require_kommune_list(scope)?;
    let all = broken(db, scope).await?;
    if matches!(scope, Scope::Municipal { .. }) {
        return Ok(BrokenLinks { links: all, kreise: Vec::new(), kreis: String::new() });
    }
    let mut kreise: Vec<(String, String, usize)> = crate::catalogue::service::orgs::kreise(db)
        .await?
        .into_iter()
        .map(|(key, name)| {
            let n = all.iter().filter(|l| l.kreis_key == key).count();
            (key, name, n)
        })
        .collect();
    kreise.retain(|k| k.2 > 0 || k.0 == kreis);
    let kreis = kreis.trim();
    if !kreis.is_empty() && !kreise.iter().any(|k| k.0 == kreis) {
        return Err(AppError::field("kreis", "Diesen Kreis gibt es in Sachsen-Anhalt nicht."));
    }
    let links = all.into_iter().filter(|l| kreis.is_empty() || l.kreis_key == kreis).collect();
    Ok(BrokenLinks { links, kreise, kreis: kreis.to_string() })
}

/// The broken addresses the caller may read: a clerk those of their Kommunen, the Land and the
/// administrators every Kommune's; by Kreis, Kommune and service.
async fn broken(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<BrokenLink>, AppError> {
    crate::access::policy::require_kommune_list(scope)?;
    let rows = link_check::Entity::find().filter(link_check::Column::BrokenSince.is_not_null()).order_by_asc(link_check::Column::BrokenSince).limit(LIST_MAX).all(db).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let by_url: HashMap<&str, &link_check::Model> = rows.iter().map(|r| (r.url.as_str(), r)).collect();
    let mut records = service_record::Entity::find()
        .select_only()
        .column(service_record::Column::OrganisationId)
        .column(service_record::Column::OzgId)
        .column(service_record::Column::Url)
        .filter(service_record::Column::Url.is_in(rows.iter().map(|r| r.url.clone())));
    if let Scope::Municipal { org_ids } = scope {
        records = records.filter(service_record::Column::OrganisationId.is_in(org_ids.iter().cloned()));
    }
    let records: Vec<(String, String, Option<String>)> = records.into_tuple().all(db).await?;
    let orgs: HashMap<String, organisation::Model> =
        organisation::Entity::find().filter(organisation::Column::Id.is_in(records.iter().map(|r| r.0.clone()))).all(db).await?.into_iter().map(|o| (o.id.clone(), o)).collect();
    let kreise: HashMap<String, String> = crate::catalogue::service::orgs::kreise(db).await?.into_iter().collect();
    let names: HashMap<String, String> =
        ozg_service::Entity::find().filter(ozg_service::Column::OzgId.is_in(records.iter().map(|r| r.1.clone()))).all(db).await?.into_iter().map(|s| (s.ozg_id, s.name)).collect();
    let date = |t: DateTime<Utc>| t.with_timezone(&chrono_tz::Europe::Berlin).format("%d.%m.%Y").to_string();
    let mut out: BTreeMap<(String, String, String, String), BrokenLink> = BTreeMap::new();
    for (org_id, ozg_id, url) in records {
        let (Some(url), Some(org)) = (url, orgs.get(&org_id)) else { continue };
        let Some(check) = by_url.get(url.as_str()) else { continue };
        let kreis_key = org.kreis_key.clone().unwrap_or_else(|| org.key.clone());
        let kreis_name = kreise.get(&kreis_key).cloned().unwrap_or_default();
        let service = names.get(&ozg_id).cloned().unwrap_or_else(|| ozg_id.clone());
        out.insert(
            (kreis_name.clone(), org.name.clone(), org.key.clone(), service.clone()),
            BrokenLink {
                kommune_key: org.key.clone(),
                kommune: org.name.clone(),
                kreis: kreis_name,
                kreis_key,
                ozg_id,
                service,
                url,
                outcome: check.outcome.unwrap_or(LinkOutcome::Unreachable),
                detail: check.detail.clone().unwrap_or_default(),
                since: check.broken_since.map(date).unwrap_or_default(),
                checked: check.checked_at.map(date).unwrap_or_default(),
            },
        );
    }
    Ok(out.into_values().collect())
}

