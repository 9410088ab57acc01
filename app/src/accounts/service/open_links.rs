//! Ending a person's open links (invitations, password resets): what every way of setting a
//! password, withdrawing an invitation or creating a newer link does. It stands apart from
//! `links` so that `users` can end links without importing the module that imports it.

use crate::core::entities::account_link;
use crate::error::AppError;
use crate::vocabulary::accounts::LinkPurpose;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Ends the open links of a purpose (a newer one replaces them, or an administrator withdrew).
pub async fn withdraw_open(db: &impl ConnectionTrait, user_id: &str, purpose: LinkPurpose, now: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(account_link::Entity::update_many()
        .col_expr(account_link::Column::WithdrawnAt, Expr::value(now))
        .filter(account_link::Column::UserId.eq(user_id))
        .filter(account_link::Column::Purpose.eq(purpose))
        .filter(account_link::Column::UsedAt.is_null())
        .filter(account_link::Column::WithdrawnAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}
