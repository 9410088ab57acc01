//! Reading organisations: by key, a user's memberships, a Verbandsgemeinde's members.

use crate::core::entities::{organisation, user_organisation};
use crate::accounts::model::{OrgKind, OrgRef};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// The key of the Land's advisory unit and of the two Spitzenverbände.
pub const LAND: &str = "LAND";
pub const SGSA: &str = "SGSA";
pub const LKT: &str = "LKT";

fn to_ref(m: &organisation::Model) -> OrgRef {
    OrgRef {
        id: m.id.clone(),
        key: m.key.clone(),
        name: m.name.clone(),
        kind: OrgKind::from_code(&m.kind).unwrap_or(OrgKind::Einheitsgemeinde),
        members: Vec::new(),
    }
}

pub async fn by_key(db: &impl ConnectionTrait, key: &str) -> Result<Option<organisation::Model>, DbErr> {
    organisation::Entity::find().filter(organisation::Column::Key.eq(key.trim())).one(db).await
}

/// The member Gemeinden of a Verbandsgemeinde, by name.
pub async fn members_of(db: &impl ConnectionTrait, verband_id: &str) -> Result<Vec<OrgRef>, DbErr> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::VerbandId.eq(verband_id))
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
        .iter()
        .map(to_ref)
        .collect())
}

/// The organisations a user belongs to; a Verbandsgemeinde carries its members.
pub async fn of_user(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<OrgRef>, DbErr> {
    let links = user_organisation::Entity::find()
        .filter(user_organisation::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let ids: Vec<String> = links.into_iter().map(|l| l.organisation_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let orgs = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(orgs.len());
    for o in &orgs {
        let mut r = to_ref(o);
        if r.kind == OrgKind::Verbandsgemeinde {
            r.members = members_of(db, &o.id).await?;
        }
        out.push(r);
    }
    Ok(out)
}

/// Counts of organisations per kind, for overview pages.
pub async fn count_by_kind(db: &impl ConnectionTrait) -> Result<Vec<(OrgKind, u64)>, DbErr> {
    let all = organisation::Entity::find().all(db).await?;
    Ok(OrgKind::ALL
        .into_iter()
        .map(|k| (k, all.iter().filter(|o| o.kind == k.code()).count() as u64))
        .collect())
}
