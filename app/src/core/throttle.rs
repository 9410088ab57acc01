//! Throttling of password checks (login and "Passwort ändern"), kept in the database so that
//! every instance sees the same counters.
//!
//! OWASP's device-cookie scheme: a browser that signed in to an account before carries a device
//! cookie and is throttled on its own (`d:` key), so failures of others — from the same shared
//! egress address of a Landesnetz, or against the same account from anywhere — never keep it
//! out. Every other client is throttled per account across all addresses (`a:`) and per client
//! address (`i:`). The password check of "Passwort ändern" has its own key per account (`p:`)
//! and runs at most once at a time per account, so a stolen session cannot fill the hashing pool.

use crate::core::db::begin_write;
use crate::core::entities::{login_device, throttle};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QuerySelect, Set,
};
use sha2::{Digest, Sha256};

/// Failures of one key before delays start.
pub const FREE_FAILURES: i32 = 5;
/// First delay once the free failures are used up; it doubles with each further failure.
pub const BASE_DELAY_SECS: i64 = 30;
/// Longest delay.
pub const MAX_DELAY_SECS: i64 = 15 * 60;
/// A key's failures are forgotten after this long without a failure.
pub const FORGET_AFTER_SECS: i64 = 60 * 60;
/// Failures of unknown clients from one address (any account) within the window before that
/// address is refused (known devices are not).
pub const ADDRESS_LIMIT: i32 = 50;
pub const ADDRESS_WINDOW_SECS: i64 = 15 * 60;
/// Repeated refusals of one key are audited once per this window.
pub const AUDIT_WINDOW_SECS: i64 = 15 * 60;
/// A device cookie is honoured this long after its last successful sign-in.
pub const DEVICE_DAYS: i64 = 180;
/// Name of the device cookie.
pub const DEVICE_COOKIE: &str = "ozg_device";

/// How a key counts failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Policy {
    /// Five free failures, then a delay that doubles with each failure (accounts, devices).
    Delay,
    /// A fixed number of failures per window (client addresses).
    Window,
}

/// A key to throttle with its policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub key: String,
    policy: Policy,
}

impl Key {
    /// Unknown clients guessing one account, from any address.
    pub fn account(email: &str) -> Key {
        Key { key: format!("a:{email}"), policy: Policy::Delay }
    }
    /// Unknown clients from one address, whatever the account.
    pub fn address(ip: &str) -> Key {
        Key { key: format!("i:{ip}"), policy: Policy::Window }
    }
    /// One known browser signing in to one account.
    pub fn device(device_hash: &str, email: &str) -> Key {
        Key { key: format!("d:{}", hex::encode(Sha256::digest(format!("{device_hash}\n{email}").as_bytes()))), policy: Policy::Delay }
    }
    /// Codes of the second factor (TOTP or recovery codes) for one account.
    pub fn second_factor(user_id: &str) -> Key {
        Key { key: format!("m:{user_id}"), policy: Policy::Delay }
    }
    /// "Passwort vergessen" for one address, whether or not it has an account.
    pub fn reset_account(email: &str) -> Key {
        Key { key: format!("r:{email}"), policy: Policy::Delay }
    }
    /// "Passwort vergessen" from one client address.
    pub fn reset_address(ip: &str) -> Key {
        Key { key: format!("ri:{ip}"), policy: Policy::Window }
    }
    /// The current-password check of "Passwort ändern" for one account.
    pub fn password_check(user_id: &str) -> Key {
        Key { key: format!("p:{user_id}"), policy: Policy::Delay }
    }
}

fn delay_for(failures: i32) -> Duration {
    let exp = (failures - FREE_FAILURES).clamp(0, 10) as u32;
    Duration::seconds((BASE_DELAY_SECS * 2i64.pow(exp)).min(MAX_DELAY_SECS))
}

/// The state of a key after one more failure at `now` (pure, so it can be tested directly).
fn after_failure(row: &throttle::Model, policy: Policy, now: DateTime<Utc>) -> throttle::Model {
    let mut r = row.clone();
    match policy {
        Policy::Delay => {
            if r.last_failure_at.is_none_or(|l| now - l >= Duration::seconds(FORGET_AFTER_SECS)) {
                r.failures = 0;
                r.window_start = now;
            }
            r.failures += 1;
            r.blocked_until = (r.failures >= FREE_FAILURES).then(|| now + delay_for(r.failures));
        }
        Policy::Window => {
            if now - r.window_start >= Duration::seconds(ADDRESS_WINDOW_SECS) {
                r.failures = 0;
                r.window_start = now;
            }
            r.failures += 1;
            r.blocked_until = (r.failures >= ADDRESS_LIMIT).then(|| r.window_start + Duration::seconds(ADDRESS_WINDOW_SECS));
        }
    }
    r.last_failure_at = Some(now);
    r
}

/// A refusal: the key that refused and how many seconds are left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub key: String,
    pub wait_secs: i64,
    /// This refusal is the first of its key within the audit window: write it to the audit log.
    pub audit: bool,
}

impl Refused {
    /// The German message for the person.
    pub fn message(&self) -> String {
        let minutes = (self.wait_secs.max(1) as u64).div_ceil(60);
        format!(
            "Zu viele fehlgeschlagene Versuche. Bitte warten Sie {} {} und versuchen Sie es dann erneut.",
            minutes,
            if minutes == 1 { "Minute" } else { "Minuten" }
        )
    }

    /// What kind of key refused, for the audit detail (never the key itself: it may hold an address).
    pub fn kind(&self) -> &'static str {
        match self.key.split(':').next() {
            Some("a") => "Konto",
            Some("i") => "Adresse",
            Some("d") => "Gerät",
            Some("p") => "Passwortprüfung",
            Some("m") => "zweiter Faktor",
            Some("r") | Some("ri") => "Passwort vergessen",
            _ => "unbekannt",
        }
    }
}

/// Whether any of `keys` is blocked now. A refusal is marked for the audit log once per key
/// and audit window, however often it is repeated (across instances: the mark is one
/// conditional update).
pub async fn check(db: &DatabaseConnection, keys: &[Key], now: DateTime<Utc>) -> Result<Option<Refused>, DbErr> {
    let names: Vec<String> = keys.iter().map(|k| k.key.clone()).collect();
    let rows = throttle::Entity::find().filter(throttle::Column::Key.is_in(names)).all(db).await?;
    let Some(blocking) = rows.into_iter().filter(|r| r.blocked_until.is_some_and(|b| b > now)).max_by_key(|r| r.blocked_until) else {
        return Ok(None);
    };
    let wait_secs = blocking.blocked_until.map(|b| (b - now).num_seconds().max(1)).unwrap_or(1);
    let audit_before = now - Duration::seconds(AUDIT_WINDOW_SECS);
    let marked = throttle::Entity::update_many()
        .col_expr(throttle::Column::AuditedAt, sea_orm::sea_query::Expr::value(now))
        .filter(throttle::Column::Key.eq(blocking.key.clone()))
        .filter(sea_orm::Condition::any().add(throttle::Column::AuditedAt.is_null()).add(throttle::Column::AuditedAt.lt(audit_before)))
        .exec(db)
        .await?;
    Ok(Some(Refused { key: blocking.key, wait_secs, audit: marked.rows_affected > 0 }))
}

async fn ensure_row(db: &impl ConnectionTrait, key: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    let fresh = throttle::ActiveModel {
        key: Set(key.to_string()),
        failures: Set(0),
        window_start: Set(now),
        last_failure_at: Set(None),
        blocked_until: Set(None),
        busy_until: Set(None),
        audited_at: Set(None),
    };
    throttle::Entity::insert(fresh).on_conflict(OnConflict::column(throttle::Column::Key).do_nothing().to_owned()).try_insert().exec(db).await?;
    Ok(())
}

/// Writes the key's state after one more failure (its row locked by the caller's transaction).
async fn store_failure(txn: &impl ConnectionTrait, row: &throttle::Model, policy: Policy, now: DateTime<Utc>) -> Result<(), DbErr> {
    let next = after_failure(row, policy, now);
    throttle::ActiveModel {
        key: sea_orm::Unchanged(next.key),
        failures: Set(next.failures),
        window_start: Set(next.window_start),
        last_failure_at: Set(next.last_failure_at),
        blocked_until: Set(next.blocked_until),
        busy_until: sea_orm::NotSet,
        audited_at: sea_orm::NotSet,
    }
    .update(txn)
    .await?;
    Ok(())
}

/// Counts one failure for each key (one transaction; rows locked on PostgreSQL).
pub async fn record_failure(db: &DatabaseConnection, keys: &[Key], now: DateTime<Utc>) -> Result<(), DbErr> {
    let txn = begin_write(db).await?;
    for k in keys {
        ensure_row(&txn, &k.key, now).await?;
        let Some(row) = throttle::Entity::find_by_id(k.key.clone()).lock_exclusive().one(&txn).await? else { continue };
        store_failure(&txn, &row, k.policy, now).await?;
    }
    txn.commit().await
}

/// Claims one attempt for `key` before it is evaluated: in one locked step the key is checked
/// and, when it is not blocked, counted as failed (a success clears it afterwards). So many
/// parallel attempts are counted one by one and at most the free ones are evaluated; check
/// and record in two steps would let them all pass the check first. `Some` when refused.
pub async fn take(db: &DatabaseConnection, key: &Key, now: DateTime<Utc>) -> Result<Option<Refused>, DbErr> {
    let txn = begin_write(db).await?;
    ensure_row(&txn, &key.key, now).await?;
    let Some(row) = throttle::Entity::find_by_id(key.key.clone()).lock_exclusive().one(&txn).await? else {
        txn.rollback().await?;
        return Ok(None);
    };
    if row.blocked_until.is_some_and(|b| b > now) {
        txn.rollback().await?;
        return check(db, std::slice::from_ref(key), now).await;
    }
    store_failure(&txn, &row, key.policy, now).await?;
    txn.commit().await?;
    Ok(None)
}

/// Forgets the failures of `keys` (after a successful check).
pub async fn clear(db: &impl ConnectionTrait, keys: &[Key]) -> Result<(), DbErr> {
    let names: Vec<String> = keys.iter().map(|k| k.key.clone()).collect();
    throttle::Entity::delete_many().filter(throttle::Column::Key.is_in(names)).exec(db).await?;
    Ok(())
}

/// Claims the right to run one password check for `key` for at most `secs` seconds: `false`
/// when another check of the same key is running (on any instance).
pub async fn claim(db: &DatabaseConnection, key: &Key, now: DateTime<Utc>, secs: i64) -> Result<bool, DbErr> {
    ensure_row(db, &key.key, now).await?;
    let res = throttle::Entity::update_many()
        .col_expr(throttle::Column::BusyUntil, sea_orm::sea_query::Expr::value(now + Duration::seconds(secs)))
        .filter(throttle::Column::Key.eq(key.key.clone()))
        .filter(sea_orm::Condition::any().add(throttle::Column::BusyUntil.is_null()).add(throttle::Column::BusyUntil.lte(now)))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// Releases a claim taken with [`claim`].
pub async fn release(db: &impl ConnectionTrait, key: &Key) -> Result<(), DbErr> {
    throttle::Entity::update_many()
        .col_expr(throttle::Column::BusyUntil, sea_orm::sea_query::Expr::value(Option::<DateTime<Utc>>::None))
        .filter(throttle::Column::Key.eq(key.key.clone()))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes counters nobody has failed for a day (the background job calls it).
pub async fn prune(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let old = now - Duration::days(1);
    let a = throttle::Entity::delete_many()
        .filter(throttle::Column::LastFailureAt.lt(old))
        .filter(sea_orm::Condition::any().add(throttle::Column::BusyUntil.is_null()).add(throttle::Column::BusyUntil.lt(now)))
        .exec(db)
        .await?
        .rows_affected;
    let b = login_device::Entity::delete_many()
        .filter(login_device::Column::LastUsedAt.lt(now - Duration::days(DEVICE_DAYS)))
        .exec(db)
        .await?
        .rows_affected;
    Ok(a + b)
}

/// The hash of a device cookie's value, if it has the right shape.
pub fn device_hash(cookie_value: &str) -> Option<String> {
    (cookie_value.len() == 43 && cookie_value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| crate::core::session::hash_token(cookie_value))
}

/// Whether this browser (its device cookie's hash) signed in to `email` before.
pub async fn is_known_device(db: &impl ConnectionTrait, device_hash: &str, email: &str, now: DateTime<Utc>) -> Result<bool, DbErr> {
    Ok(login_device::Entity::find_by_id((device_hash.to_string(), email.to_string()))
        .one(db)
        .await?
        .is_some_and(|d| now - d.last_used_at < Duration::days(DEVICE_DAYS)))
}

/// Remembers that this browser signed in to `email`.
pub async fn remember_device(db: &impl ConnectionTrait, device_hash: &str, email: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    let row = login_device::ActiveModel {
        token_hash: Set(device_hash.to_string()),
        email: Set(email.to_string()),
        created_at: Set(now),
        last_used_at: Set(now),
    };
    login_device::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([login_device::Column::TokenHash, login_device::Column::Email])
                .update_column(login_device::Column::LastUsedAt)
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// The `Set-Cookie` value of a device cookie (half a year; `HttpOnly`, `SameSite=Lax`).
pub fn device_cookie(secure: bool, value: &str) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{DEVICE_COOKIE}={value}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}", DEVICE_DAYS * 24 * 3600)
}

/// Reads the device cookie from a `Cookie` header.
pub fn device_from_cookie_header(header: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == DEVICE_COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| device_hash(v).is_some())
}

/// The device cookie of a request.
pub fn device_from_headers(headers: &http::HeaderMap) -> Option<String> {
    headers.get_all(http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(device_from_cookie_header)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, now: DateTime<Utc>) -> throttle::Model {
        throttle::Model { key: key.into(), failures: 0, window_start: now, last_failure_at: None, blocked_until: None, busy_until: None, audited_at: None }
    }

    #[test]
    fn five_failures_are_free_the_fifth_blocks_for_thirty_seconds() {
        let now = Utc::now();
        let mut r = row("a:x", now);
        for _ in 0..FREE_FAILURES - 1 {
            r = after_failure(&r, Policy::Delay, now);
            assert!(r.blocked_until.is_none());
        }
        r = after_failure(&r, Policy::Delay, now);
        assert_eq!(r.blocked_until, Some(now + Duration::seconds(30)));
    }

    #[test]
    fn delays_grow_and_are_capped() {
        assert_eq!(delay_for(5), Duration::seconds(30));
        assert_eq!(delay_for(6), Duration::seconds(60));
        assert_eq!(delay_for(7), Duration::seconds(120));
        assert_eq!(delay_for(30), Duration::seconds(MAX_DELAY_SECS));
    }

    #[test]
    fn failures_are_forgotten_after_an_hour_without_one() {
        let now = Utc::now();
        let mut r = row("a:x", now);
        for _ in 0..7 {
            r = after_failure(&r, Policy::Delay, now);
        }
        let later = now + Duration::seconds(FORGET_AFTER_SECS);
        let r = after_failure(&r, Policy::Delay, later);
        assert_eq!(r.failures, 1);
        assert!(r.blocked_until.is_none());
    }

    #[test]
    fn an_address_is_refused_for_the_rest_of_its_window_after_fifty_failures() {
        let now = Utc::now();
        let mut r = row("i:1.2.3.4", now);
        for _ in 0..ADDRESS_LIMIT - 1 {
            r = after_failure(&r, Policy::Window, now);
        }
        assert!(r.blocked_until.is_none());
        r = after_failure(&r, Policy::Window, now + Duration::seconds(60));
        assert_eq!(r.blocked_until, Some(now + Duration::seconds(ADDRESS_WINDOW_SECS)));
        let next_window = after_failure(&r, Policy::Window, now + Duration::seconds(ADDRESS_WINDOW_SECS));
        assert_eq!(next_window.failures, 1);
    }

    #[test]
    fn device_keys_hide_the_address_and_differ_per_account() {
        let a = Key::device("abc", "a@x.de");
        let b = Key::device("abc", "b@x.de");
        assert_ne!(a, b);
        assert!(!a.key.contains("a@x.de"));
        assert!(device_from_cookie_header("x=1; ozg_device=kurz").is_none());
        let t = super::super::session::new_token();
        assert_eq!(device_from_cookie_header(&format!("a=b; {DEVICE_COOKIE}={t}")), Some(t));
    }
}
