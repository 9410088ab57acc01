//! Partner organisations (IT-Dienstleister, Land authorities, other public bodies): set up by
//! administrators so that their people sign in and work in the bodies they belong to.

use crate::core::audit::{self, Entry};
use crate::core::entities::{organisation, user_organisation};
use crate::error::AppError;
use crate::identity::OrgKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::HashMap;

/// A partner organisation in the administrators' list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub key: String,
    pub name: String,
    pub people: u64,
}

/// Every partner organisation by name, with the number of its people.
#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Partner>, AppError> {
    let orgs = organisation::Entity::find().filter(organisation::Column::Kind.eq(OrgKind::Partner.code())).order_by_asc(organisation::Column::Name).all(db).await?;
    let mut people: HashMap<String, u64> = HashMap::new();
    for link in user_organisation::Entity::find().filter(user_organisation::Column::OrganisationId.is_in(orgs.iter().map(|o| o.id.clone()))).all(db).await? {
        *people.entry(link.organisation_id).or_default() += 1;
    }
    Ok(orgs.into_iter().map(|o| Partner { people: people.get(&o.id).copied().unwrap_or(0), key: o.key, name: o.name }).collect())
}

/// A checked new partner: its key (2–20 capital letters, digits or hyphens, unique among all
/// organisations) and its name.
pub fn check(key: &str, name: &str) -> Result<(String, String), AppError> {
    let mut e = std::collections::BTreeMap::new();
    let key = key.trim().to_uppercase();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let key_ok = (2..=20).contains(&key.chars().count()) && key.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-') && key.chars().any(|c| c.is_ascii_uppercase());
    if !key_ok {
        e.insert("key".to_string(), vec!["Der Schlüssel hat 2 bis 20 Zeichen: Großbuchstaben, Ziffern und Bindestriche, mindestens ein Buchstabe (zum Beispiel ITDZ-LSA).".to_string()]);
    }
    if !(3..=200).contains(&name.chars().count()) {
        e.insert("name".to_string(), vec!["Der Name hat 3 bis 200 Zeichen.".to_string()]);
    }
    if e.is_empty() { Ok((key, name)) } else { Err(AppError::Validation(e)) }
}

/// Sets up a partner organisation (administrators; audited), or renames an existing one.
#[tracing::instrument(skip_all)]
pub async fn save(db: &DatabaseConnection, actor: Option<&str>, key: &str, name: &str) -> Result<(), AppError> {
    let (key, name) = check(key, name)?;
    let txn = crate::core::db::begin_write(db).await?;
    let now = crate::core::time::now();
    let existing = super::orgs::by_key(&txn, &key).await?;
    let action = match existing {
        Some(o) if o.kind != OrgKind::Partner.code() => {
            return Err(AppError::field("key", format!("Der Schlüssel {key} gehört schon zu {} ({}).", o.name, OrgKind::from_code(&o.kind).map(OrgKind::label).unwrap_or("Organisation"))));
        }
        Some(o) => {
            let mut a: organisation::ActiveModel = o.into();
            a.name = Set(name.clone());
            a.updated_at = Set(now);
            a.update(&txn).await?;
            crate::vocabulary::audit::AuditAction::PartnerChanged
        }
        None => {
            organisation::ActiveModel {
                id: Set(uuid::Uuid::new_v4().to_string()),
                key: Set(key.clone()),
                kind: Set(OrgKind::Partner.code().to_string()),
                name: Set(name.clone()),
                ags: Set(None),
                ars: Set(None),
                kreis_key: Set(None),
                verband_id: Set(None),
                population: Set(None),
                area_ha: Set(None),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
            crate::vocabulary::audit::AuditAction::PartnerCreated
        }
    };
    audit::record(&txn, Entry { actor, action, object: Some(&format!("organisation:{key}")), detail: Some(name), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}
