//! What a refused form held, until the page shows the form again (see `core::drafts`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "form_draft")]
pub struct Model {
    /// SHA-256 of the random token in the redirect's URL.
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    /// Who submitted it; `None` for a form without a session (the sign-in).
    pub user_id: Option<String>,
    /// The submitted pairs as JSON (`[["name", "value"], …]`), secrets left out.
    pub fields: String,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
