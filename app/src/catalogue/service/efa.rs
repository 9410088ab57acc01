//! The Land's curated list of EfA services. Public and association figures name an EfA service
//! only when it is on this list (a register entry's free-text name is matched to it, ignoring
//! case and surrounding spaces); the Land's own view shows the names as entered.

use crate::core::audit;
use crate::core::audit::Entry;
use crate::core::entities::efa_service;
use crate::error::AppError;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set, SqlErr};
use std::collections::HashMap;

/// An entry of the list, for the administrators' page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EfaEntry {
    pub id: String,
    pub name: String,
    pub provider: Option<String>,
    pub operator: Option<String>,
    pub marketplace_url: Option<String>,
    pub active: bool,
}

/// The operator and the offer on the Marktplatz für EfA-Leistungen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EfaDetails {
    pub operator: String,
    pub marketplace_url: String,
}

/// How a register entry's name is matched to the list.
pub fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The active names by their key (key → the list's spelling).
#[tracing::instrument(skip_all)]
pub async fn curated(db: &impl ConnectionTrait) -> Result<HashMap<String, String>, AppError> {
    Ok(efa_service::Entity::find()
        .filter(efa_service::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.name_key, e.name))
        .collect())
}

/// The whole list, by name.
#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<EfaEntry>, AppError> {
    Ok(efa_service::Entity::find()
        .order_by_asc(efa_service::Column::NameKey)
        .all(db)
        .await?
        .into_iter()
        .map(|e| EfaEntry { id: e.id, name: e.name, provider: e.provider, operator: e.operator, marketplace_url: e.marketplace_url, active: e.active })
        .collect())
}

/// Adds a name to the list, or (with `id`) renames, changes the providing Land or (de)activates
/// an entry. Audited.
#[tracing::instrument(skip_all)]
pub async fn save(db: &DatabaseConnection, actor: &str, id: Option<&str>, name: &str, provider: &str, active: bool) -> Result<String, AppError> {
    save_full(db, actor, id, name, provider, None, active).await
}

/// As [`save`]; `details` (when given) also sets the operator and the marketplace link.
#[tracing::instrument(skip_all)]
pub async fn save_full(db: &DatabaseConnection, actor: &str, id: Option<&str>, name: &str, provider: &str, details: Option<&EfaDetails>, active: bool) -> Result<String, AppError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let provider = provider.trim();
    let mut e = std::collections::BTreeMap::new();
    if name.is_empty() || name.chars().count() > 200 {
        e.insert("name".to_string(), vec!["Bitte geben Sie den Namen des EfA-Dienstes an (höchstens 200 Zeichen).".to_string()]);
    }
    if provider.chars().count() > 100 {
        e.insert("provider".to_string(), vec!["Das bereitstellende Land hat höchstens 100 Zeichen.".to_string()]);
    }
    let details = details.map(|d| (Some(d.operator.trim().to_string()).filter(|o| !o.is_empty()), Some(d.marketplace_url.trim().to_string()).filter(|u| !u.is_empty())));
    if let Some((operator, url)) = &details {
        if operator.as_ref().is_some_and(|o| o.chars().count() > 200) {
            e.insert("operator".to_string(), vec!["Der Betreiber hat höchstens 200 Zeichen.".to_string()]);
        }
        if let Some(u) = url
            && (u.chars().count() > 500 || !(u.starts_with("https://") || u.starts_with("http://")))
        {
            e.insert("marketplace_url".to_string(), vec!["Der Link zum Marktplatz beginnt mit https:// (höchstens 500 Zeichen).".to_string()]);
        }
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(db).await?;
    let id = match id.filter(|i| !i.is_empty()) {
        Some(id) => {
            let row = efa_service::Entity::find_by_id(id.to_string()).one(&txn).await?.ok_or(AppError::NotFound)?;
            let mut am: efa_service::ActiveModel = row.into();
            am.name = Set(name.clone());
            am.name_key = Set(name_key(&name));
            am.provider = Set(Some(provider.to_string()).filter(|p| !p.is_empty()));
            am.active = Set(active);
            if let Some((operator, url)) = &details {
                am.operator = Set(operator.clone());
                am.marketplace_url = Set(url.clone());
            }
            am.updated_at = Set(now);
            am.update(&txn).await.map_err(conflict)?;
            id.to_string()
        }
        None => {
            let id = uuid::Uuid::now_v7().to_string();
            efa_service::ActiveModel {
                id: Set(id.clone()),
                name: Set(name.clone()),
                name_key: Set(name_key(&name)),
                provider: Set(Some(provider.to_string()).filter(|p| !p.is_empty())),
                active: Set(active),
                operator: Set(details.as_ref().and_then(|d| d.0.clone())),
                marketplace_url: Set(details.as_ref().and_then(|d| d.1.clone())),
                demo: Set(false),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await
            .map_err(conflict)?;
            id
        }
    };
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::EfaServiceSaved, object: Some(&id), detail: Some(format!("{name} ({})", if active { "aktiv" } else { "inaktiv" })), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(id)
}

fn conflict(e: sea_orm::DbErr) -> AppError {
    if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        AppError::field("name", "Dieser EfA-Dienst steht bereits in der Liste.")
    } else {
        e.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_regardless_of_case_and_spaces() {
        assert_eq!(name_key("  Wohngeld-Plus  Digital "), "wohngeld-plus digital");
        assert_eq!(name_key("ELSTER"), name_key("elster"));
    }
}
