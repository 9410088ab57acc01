//! An advisor's own saved inbox views (a name and the inbox's query string).

use crate::core::entities::saved_view;
use crate::error::AppError;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};

/// The most views one person may keep.
pub const MAX_VIEWS: u64 = 30;

/// The person's views as (id, name, query), by name.
#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(String, String, String)>, AppError> {
    Ok(saved_view::Entity::find()
        .filter(saved_view::Column::UserId.eq(user_id))
        .order_by_asc(saved_view::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name, v.query))
        .collect())
}

/// Saves a view; `query` must already be reduced to the inbox's own parameters.
#[tracing::instrument(skip_all)]
pub async fn save(db: &impl ConnectionTrait, user_id: &str, name: &str, query: &str) -> Result<(), AppError> {
    let name = view_name(name)?;
    let count = saved_view::Entity::find().filter(saved_view::Column::UserId.eq(user_id)).count(db).await?;
    if count >= MAX_VIEWS {
        return Err(AppError::field("name", "Sie haben bereits 30 eigene Ansichten; bitte löschen Sie zuerst eine."));
    }
    saved_view::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        user_id: Set(user_id.to_string()),
        name: Set(name.to_string()),
        query: Set(query.to_string()),
        created_at: Set(crate::core::time::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A view's name: trimmed, 1 to 80 characters.
fn view_name(name: &str) -> Result<&str, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::field("name", "Bitte geben Sie der Ansicht einen Namen mit höchstens 80 Zeichen."));
    }
    Ok(name)
}

/// Renames one of the person's own views (another person's view is "not found").
#[tracing::instrument(skip_all)]
pub async fn rename(db: &impl ConnectionTrait, user_id: &str, id: &str, name: &str) -> Result<(), AppError> {
    let name = view_name(name)?;
    let res = saved_view::Entity::update_many()
        .col_expr(saved_view::Column::Name, sea_orm::sea_query::Expr::value(name))
        .filter(saved_view::Column::Id.eq(id.trim()))
        .filter(saved_view::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if res.rows_affected == 0 { Err(AppError::NotFound) } else { Ok(()) }
}

/// Deletes one of the person's own views (another person's view is "not found").
#[tracing::instrument(skip_all)]
pub async fn delete(db: &impl ConnectionTrait, user_id: &str, id: &str) -> Result<(), AppError> {
    let res = saved_view::Entity::delete_many()
        .filter(saved_view::Column::Id.eq(id.trim()))
        .filter(saved_view::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if res.rows_affected == 0 { Err(AppError::NotFound) } else { Ok(()) }
}

/// Takes out of a filter what refers to a team or category that no longer exists (a saved view
/// may outlive them) and says so in German; the rest of the filter still applies.
pub fn drop_missing(dir: &crate::cases::service::directory::Directory, f: &mut crate::cases::model::CaseFilter) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(team) = f.team.as_deref().map(str::trim).filter(|t| !t.is_empty() && *t != "none")
        && dir.team_name(team).is_none()
    {
        notes.push("Das Team dieser Ansicht gibt es nicht mehr; der Filter »Team« wurde weggelassen. Bitte speichern Sie die Ansicht neu.".to_string());
        f.team = None;
    }
    if let Some(code) = f.category.as_deref().map(str::trim).filter(|c| !c.is_empty())
        && dir.category_by_code(code).is_none()
    {
        notes.push(format!("Die Kategorie »{code}« dieser Ansicht gibt es nicht mehr; der Filter »Kategorie« wurde weggelassen. Bitte speichern Sie die Ansicht neu."));
        f.category = None;
    }
    notes
}
