//! Server-side sessions: a 256-bit random token in an `HttpOnly` cookie, only its SHA-256
//! stored; idle and absolute timeouts enforced on every lookup.

use crate::core::config::Config;
use crate::core::entities::{app_user, session};
use crate::core::versions::{self, Depends, Memo, Versions};
use crate::identity::{Me, OrgRef, Role};
use base64::Engine;
use chrono::Duration as ChronoDuration;
use rand::RngCore;
use sea_orm::prelude::DateTimeUtc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use std::sync::Arc;
use sha2::{Digest, Sha256};

/// The signed-in user of a request, resolved from the session cookie by the middleware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub is_demo: bool,
    /// A clerk who manages the accounts of its Kommune's clerks (Ansprechperson).
    pub manages_clerks: bool,
    pub organisations: Vec<OrgRef>,
    /// Hash of the session this request came with (to end exactly this session at logout);
    /// empty for a request authenticated by an API token.
    pub session_hash: String,
    /// Authenticated by an API token, not a browser session.
    pub via_token: bool,
    /// Authenticated by a read-only API token: only GET and HEAD requests.
    pub read_only: bool,
    /// The data versions as this request found them (read with the session or token); `None`
    /// outside a request, where they are read when needed.
    pub versions: Option<Versions>,
}

impl CurrentUser {
    /// The data versions this request works with: those read with its session, or the current.
    pub async fn data_versions(&self, db: &impl ConnectionTrait) -> Result<Versions, DbErr> {
        match &self.versions {
            Some(v) => Ok(v.clone()),
            None => versions::current(db).await,
        }
    }

    pub fn to_me(&self, config: &Config) -> Me {
        Me {
            id: self.id.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            role: self.role,
            organisations: self.organisations.clone(),
            is_demo: self.is_demo,
            manages_clerks: self.manages_clerks,
            idle_timeout_secs: config.session_idle.as_secs(),
            unread_notifications: 0,
        }
    }
}

/// Name of the session cookie. With `Secure`, the `__Host-` prefix pins it to this host and path.
pub fn cookie_name(config: &Config) -> &'static str {
    if config.cookie_secure { "__Host-ozg_session" } else { "ozg_session" }
}

/// The `Set-Cookie` value that stores a session token (a browser-session cookie).
pub fn set_cookie(config: &Config, token: &str) -> String {
    let secure = if config.cookie_secure { "; Secure" } else { "" };
    format!("{}={token}; Path=/; HttpOnly; SameSite=Lax{secure}", cookie_name(config))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(config: &Config) -> String {
    let secure = if config.cookie_secure { "; Secure" } else { "" };
    format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}", cookie_name(config))
}

/// Reads the session token from a `Cookie` header.
pub fn token_from_cookie_header(config: &Config, header: &str) -> Option<String> {
    let name = cookie_name(config);
    header
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == 43 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Creates a session for a user and returns its token (the only time it exists in clear).
pub async fn create(db: &impl ConnectionTrait, user_id: &str) -> Result<String, DbErr> {
    let token = new_token();
    let now = crate::core::time::now();
    session::ActiveModel {
        id_hash: Set(hash_token(&token)),
        user_id: Set(user_id.to_string()),
        created_at: Set(now),
        last_seen_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Ends one session.
pub async fn destroy(db: &impl ConnectionTrait, id_hash: &str) -> Result<(), DbErr> {
    session::Entity::delete_by_id(id_hash.to_string()).exec(db).await.map(|_| ())
}

/// Ends every session of a user (password change, deactivation).
pub async fn destroy_all_for_user(db: &impl ConnectionTrait, user_id: &str) -> Result<u64, DbErr> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// A person as sessions and API tokens see them: the account (without its password hash, which
/// is not kept in memory) and its organisations.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub active: bool,
    pub is_demo: bool,
    pub manages_clerks: bool,
    pub organisations: Vec<OrgRef>,
}

/// People by id, kept while the people and the reference data stand still.
static PEOPLE: Memo<String, Option<Person>> = Memo::new(4096);

/// The person with this id as of the given data versions (`None` when there is no such account).
pub async fn person(db: &impl ConnectionTrait, versions: &Versions, user_id: &str) -> Result<Arc<Option<Person>>, DbErr> {
    PEOPLE
        .get_or(user_id.to_string(), versions.stamp(Depends::PeopleAndReference), || async {
            let Some(u) = app_user::Entity::find_by_id(user_id.to_string()).one(db).await? else { return Ok(None) };
            let organisations = crate::core::membership::of_user(db, &u.id).await?;
            Ok(Some(Person { id: u.id, name: u.name, email: u.email, role: u.role, active: u.active, is_demo: u.is_demo, manages_clerks: u.manages_clerks, organisations }))
        })
        .await
}

/// Resolves a token to its user, enforcing the timeouts. Expired sessions are deleted.
/// Activity is recorded at most once a minute to spare the database a write per request.
/// The session is read together with the data versions the rest of the request works with.
pub async fn resolve(db: &impl ConnectionTrait, config: &Config, token: &str) -> Result<Option<CurrentUser>, DbErr> {
    let id_hash = hash_token(token);
    let sql = format!(
        "SELECT session.user_id, session.created_at, session.last_seen_at, {} FROM session CROSS JOIN data_version \
         WHERE session.id_hash = ? AND data_version.id = 1",
        versions::COLUMNS
    );
    let Some(row) = db.query_one_raw(crate::core::db::stmt(db.get_database_backend(), &sql, vec![id_hash.clone().into()])).await? else {
        return Ok(None);
    };
    let user_id: String = row.try_get_by_index(0)?;
    let created_at: DateTimeUtc = row.try_get_by_index(1)?;
    let last_seen_at: DateTimeUtc = row.try_get_by_index(2)?;
    let versions = versions::from_row(&row, 3)?;
    let now = crate::core::time::now();
    let idle = ChronoDuration::from_std(config.session_idle).unwrap_or(ChronoDuration::minutes(30));
    let absolute = ChronoDuration::from_std(config.session_absolute).unwrap_or(ChronoDuration::hours(8));
    if now - last_seen_at >= idle || now - created_at >= absolute {
        destroy(db, &id_hash).await?;
        return Ok(None);
    }
    let person = person(db, &versions, &user_id).await?;
    let Some(user) = person.as_ref().clone().filter(|p| p.active) else {
        destroy(db, &id_hash).await?;
        return Ok(None);
    };
    if now - last_seen_at >= ChronoDuration::seconds(60).min(idle / 4) {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, sea_orm::sea_query::Expr::value(now))
            .filter(session::Column::IdHash.eq(&id_hash))
            .exec(db)
            .await?;
    }
    let Some(role) = Role::from_code(&user.role) else {
        tracing::error!(user_id = %user.id, "Unbekannte Rolle in der Datenbank");
        return Ok(None);
    };
    Ok(Some(CurrentUser {
        organisations: user.organisations,
        id: user.id,
        name: user.name,
        email: user.email,
        role,
        is_demo: user.is_demo,
        manages_clerks: user.manages_clerks,
        session_hash: id_hash,
        via_token: false,
        read_only: false,
        versions: Some(versions),
    }))
}

/// An active person as a background job acts for them (the weekly digest reads what they may
/// read): no session, no token.
pub async fn person_for_job(db: &impl ConnectionTrait, user_id: &str) -> Result<Option<CurrentUser>, DbErr> {
    let Some(u) = app_user::Entity::find_by_id(user_id.to_string()).one(db).await?.filter(|u| u.active) else { return Ok(None) };
    let Some(role) = Role::from_code(&u.role) else { return Ok(None) };
    Ok(Some(CurrentUser {
        organisations: crate::core::membership::of_user(db, &u.id).await?,
        id: u.id,
        name: u.name,
        email: u.email,
        role,
        is_demo: u.is_demo,
        manages_clerks: u.manages_clerks,
        session_hash: String::new(),
        via_token: false,
        read_only: true,
        versions: None,
    }))
}

/// Marks the session as active now (the "Sitzung verlängern" button).
pub async fn touch(db: &impl ConnectionTrait, id_hash: &str) -> Result<(), DbErr> {
    if let Some(s) = session::Entity::find_by_id(id_hash.to_string()).one(db).await? {
        let mut active: session::ActiveModel = s.into();
        active.last_seen_at = Set(crate::core::time::now());
        active.update(db).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_bits_and_are_parsed_back_from_the_cookie_header() {
        let c = Config::default();
        let t = new_token();
        assert_eq!(t.len(), 43);
        let header = format!("other=1; {}={t}; x=y", cookie_name(&c));
        assert_eq!(token_from_cookie_header(&c, &header), Some(t));
        assert_eq!(token_from_cookie_header(&c, "__Host-ozg_session=kurz"), None);
    }

    #[test]
    fn cookie_is_http_only_lax_and_secure_by_default() {
        let c = Config::default();
        let v = set_cookie(&c, "abc");
        assert!(v.starts_with("__Host-ozg_session=abc"));
        assert!(v.contains("HttpOnly") && v.contains("SameSite=Lax") && v.contains("Secure"));
        let local = Config { cookie_secure: false, ..Config::default() };
        assert!(!set_cookie(&local, "abc").contains("Secure"));
    }
}
