//! The Gremien on the server: who reads and runs a body (from the memberships as they stand at
//! this moment, never kept: an ended membership ends access with the next request), the bodies
//! themselves, their members and their decisions.

pub mod bodies;
pub mod decisions;
pub mod documents;
pub mod meetings;
pub mod members;
pub mod minutes;
pub mod tasks;

use crate::access::scope::Scope;
use crate::core::entities::{app_user, gremium, gremium_meeting, gremium_member, organisation, user_organisation};
use std::collections::HashMap;
use crate::error::AppError;
use crate::vocabulary::gremien::MemberRole;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Who is asking: the scope and, when signed in, the person (memberships are a person's).
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    pub scope: &'a Scope,
    pub user_id: Option<&'a str>,
}

/// The caller's current role in a body, if they are a member today.
pub async fn role_in(db: &impl ConnectionTrait, gremium_id: i64, user_id: Option<&str>) -> Result<Option<MemberRole>, AppError> {
    let Some(user_id) = user_id else { return Ok(None) };
    Ok(gremium_member::Entity::find()
        .filter(gremium_member::Column::GremiumId.eq(gremium_id))
        .filter(gremium_member::Column::UserId.eq(user_id))
        .filter(gremium_member::Column::Until.is_null())
        .one(db)
        .await?
        .map(|m| m.role))
}

/// The bodies the person belongs to today, with their role.
pub async fn memberships_of(db: &impl ConnectionTrait, user_id: Option<&str>) -> Result<Vec<(i64, MemberRole)>, AppError> {
    let Some(user_id) = user_id else { return Ok(Vec::new()) };
    Ok(gremium_member::Entity::find()
        .filter(gremium_member::Column::UserId.eq(user_id))
        .filter(gremium_member::Column::Until.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.gremium_id, m.role))
        .collect())
}

/// A body the caller may read, with the caller's role in it.
pub async fn readable(db: &impl ConnectionTrait, who: Reader<'_>, id: i64) -> Result<(gremium::Model, Option<MemberRole>), AppError> {
    let body = gremium::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let role = role_in(db, id, who.user_id).await?;
    crate::access::policy::body_read(who.scope, body.visibility, role)?;
    Ok((body, role))
}

/// A body the caller runs (Vorsitz, Geschäftsstelle, administrators).
pub async fn runnable(db: &impl ConnectionTrait, who: Reader<'_>, id: i64) -> Result<(gremium::Model, Option<MemberRole>), AppError> {
    let (body, role) = readable(db, who, id).await?;
    crate::access::policy::body_run(who.scope, role)?;
    Ok((body, role))
}

/// A body whose inner work (meetings, minutes, tasks) the caller reads: its members and
/// administrators. For everyone else it is not found, whatever the body's visibility.
pub async fn inner(db: &impl ConnectionTrait, who: Reader<'_>, id: i64) -> Result<(gremium::Model, Option<MemberRole>), AppError> {
    let (body, role) = readable(db, who, id).await.map_err(|_| AppError::NotFound)?;
    if role.is_none() && !who.scope.is_admin() {
        return Err(AppError::NotFound);
    }
    Ok((body, role))
}

/// The people of a body today: (user id, role).
pub async fn current_members(db: &impl ConnectionTrait, gremium_id: i64) -> Result<Vec<(String, MemberRole)>, AppError> {
    Ok(gremium_member::Entity::find()
        .filter(gremium_member::Column::GremiumId.eq(gremium_id))
        .filter(gremium_member::Column::Until.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.user_id, m.role))
        .collect())
}

/// People by id as the Gremien show them: (name, their organisations).
pub async fn people(db: &impl ConnectionTrait, ids: Vec<String>) -> Result<HashMap<String, (String, String)>, AppError> {
    let names: HashMap<String, String> = app_user::Entity::find().filter(app_user::Column::Id.is_in(ids.clone())).all(db).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let links = user_organisation::Entity::find().filter(user_organisation::Column::UserId.is_in(ids.clone())).all(db).await?;
    let orgs: HashMap<String, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(links.iter().map(|l| l.organisation_id.clone())))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut org_of: HashMap<String, Vec<String>> = HashMap::new();
    for l in links {
        if let Some(name) = orgs.get(&l.organisation_id) {
            org_of.entry(l.user_id).or_default().push(name.clone());
        }
    }
    Ok(ids
        .into_iter()
        .map(|id| {
            let name = names.get(&id).cloned().unwrap_or_else(|| "(gelöschtes Konto)".into());
            let org = org_of.get(&id).map(|o| o.join(", ")).unwrap_or_default();
            (id, (name, org))
        })
        .collect())
}

/// A meeting with its body, the caller reading its inside.
pub async fn readable_meeting(db: &impl ConnectionTrait, who: Reader<'_>, id: i64) -> Result<(gremium_meeting::Model, gremium::Model, Option<crate::vocabulary::gremien::MemberRole>), AppError> {
    let m = gremium_meeting::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let (body, role) = inner(db, who, m.gremium_id).await?;
    Ok((m, body, role))
}

/// A meeting the caller runs (its body's Vorsitz or Geschäftsstelle, administrators).
pub async fn runnable_meeting(db: &impl ConnectionTrait, who: Reader<'_>, id: i64) -> Result<(gremium_meeting::Model, gremium::Model), AppError> {
    let (m, body, role) = readable_meeting(db, who, id).await?;
    crate::access::policy::body_run(who.scope, role)?;
    Ok((m, body))
}


/// The active account of an e-mail address (as the address is compared everywhere: normalised).
pub async fn active_account(db: &impl ConnectionTrait, email: &str) -> Result<Option<app_user::Model>, AppError> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Email.eq(crate::core::address::normalise_email(email)))
        .filter(app_user::Column::Active.eq(true))
        .one(db)
        .await?)
}
