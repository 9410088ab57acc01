//! A sign-in whose first step (password or identity provider) succeeded and that waits for the
//! second factor. The browser holds the secret in a cookie; only its hash is stored.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_challenge")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub user_id: String,
    /// `password` or `oidc`.
    pub via: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// Codes tried so far (each claimed before it is checked).
    pub attempts: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
