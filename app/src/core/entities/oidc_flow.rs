//! A sign-in at the identity provider under way: the hash of its `state`, its nonce and PKCE
//! verifier, the hash of the browser's binding. Taken (deleted) when the provider sends the browser back, so a `state` works once.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oidc_flow")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub state_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// The hash of the random value in the browser's flow cookie: the callback URL never
    /// contains it, so a leaked callback cannot be redeemed in another browser.
    pub browser_hash: String,
    /// The portal account this sign-in is to be bound to, with proof: the signed-in account
    /// that asked for it, or the account of the invitation opened in this browser.
    pub link_user_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
