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
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::field("name", "Bitte geben Sie der Ansicht einen Namen mit höchstens 80 Zeichen."));
    }
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
