//! Reading organisations: by key, a user's memberships, a Verbandsgemeinde's members.

use crate::core::entities::{organisation, user_organisation};
use crate::identity::{OrgKind, OrgRef};
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

/// The Kreise (Landkreise and kreisfreie Städte) as (Kreisschlüssel, name), by name.
#[tracing::instrument(skip_all)]
pub async fn kreise(db: &impl ConnectionTrait) -> Result<Vec<(String, String)>, DbErr> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Kind.is_in([OrgKind::Landkreis.code(), OrgKind::KreisfreieStadt.code()]))
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.kreis_key.unwrap_or(o.key), o.name))
        .collect())
}

/// The Kommunen of a Kreis (by Kreisschlüssel) or of a Verbandsgemeinde (by its key, itself
/// included) as (key, name), by name. `None` when the Verbandsgemeinde is unknown.
#[tracing::instrument(skip_all)]
pub async fn kommunen_within(db: &impl ConnectionTrait, key: &str, verband: bool) -> Result<Option<Vec<(String, String)>>, DbErr> {
    use sea_orm::Condition;
    let within = if verband {
        let Some(vg) = by_key(db, key).await? else { return Ok(None) };
        Condition::any().add(organisation::Column::VerbandId.eq(vg.id.clone())).add(organisation::Column::Id.eq(vg.id))
    } else {
        Condition::all().add(organisation::Column::KreisKey.eq(key))
    };
    Ok(Some(
        organisation::Entity::find()
            .filter(within)
            .order_by_asc(organisation::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .filter(|o| OrgKind::from_code(&o.kind).is_some_and(OrgKind::is_kommune))
            .map(|o| (o.key, o.name))
            .collect(),
    ))
}

/// Every organisation, by name.
#[tracing::instrument(skip_all)]
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<organisation::Model>, DbErr> {
    organisation::Entity::find().order_by_asc(organisation::Column::Name).all(db).await
}

/// The inhabitants of the Land: Gemeinden carry the population; Kreise and
/// Verbandsgemeinden only sum them.
#[tracing::instrument(skip_all)]
pub async fn population(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let gemeinden = organisation::Entity::find()
        .filter(organisation::Column::Kind.is_in([OrgKind::KreisfreieStadt.code(), OrgKind::Einheitsgemeinde.code(), OrgKind::Mitgliedsgemeinde.code()]))
        .all(db)
        .await?;
    Ok(gemeinden.iter().filter_map(|g| g.population).sum())
}
