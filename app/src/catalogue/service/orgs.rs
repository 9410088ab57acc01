//! Reading organisations: by key, a user's memberships, a Verbandsgemeinde's members.

use crate::core::entities::organisation;
pub use crate::core::membership::{members_of, of_user, to_ref};
use crate::identity::OrgKind;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// The key of the Land's advisory unit and of the two Spitzenverbände.
pub const LAND: &str = "LAND";
pub const SGSA: &str = "SGSA";
pub const LKT: &str = "LKT";

pub async fn by_key(db: &impl ConnectionTrait, key: &str) -> Result<Option<organisation::Model>, DbErr> {
    organisation::Entity::find().filter(organisation::Column::Key.eq(key.trim())).one(db).await
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
    Ok(kreise_with_population(db).await?.into_iter().map(|(key, name, _)| (key, name)).collect())
}

/// The Kreise as (Kreisschlüssel, name, inhabitants), by name.
pub async fn kreise_with_population(db: &impl ConnectionTrait) -> Result<Vec<(String, String, i64)>, DbErr> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Kind.is_in([OrgKind::Landkreis.code(), OrgKind::KreisfreieStadt.code()]))
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.kreis_key.unwrap_or(o.key), o.name, o.population.unwrap_or(0)))
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
