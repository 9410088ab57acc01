//! Who belongs to which organisation, as the session carries it: a user's organisations, a
//! Verbandsgemeinde with its member Gemeinden.

use crate::core::entities::{organisation, user_organisation};
use crate::identity::{OrgKind, OrgRef};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// An organisation as pages and the session name it.
pub fn to_ref(m: &organisation::Model) -> OrgRef {
    OrgRef {
        id: m.id.clone(),
        key: m.key.clone(),
        name: m.name.clone(),
        kind: OrgKind::from_code(&m.kind).unwrap_or(OrgKind::Einheitsgemeinde),
        members: Vec::new(),
    }
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
