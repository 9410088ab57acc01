//! A person with an account.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Always stored in lower case, so uniqueness is case-insensitive.
    #[sea_orm(unique)]
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub active: bool,
    pub is_demo: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub password_changed_at: DateTimeUtc,
    pub last_login_at: Option<DateTimeUtc>,
    /// The sign-in before the last one: what is new since then is new to the person (m0019).
    pub previous_login_at: Option<DateTimeUtc>,
    /// A clerk who manages the accounts of the clerks of its own Kommune(s) (the Kommune's
    /// Ansprechperson); granted by an administrator.
    pub manages_clerks: bool,
    /// The identity provider's subject, bound at the first sign-in through it.
    pub oidc_subject: Option<String>,
    /// The provider identity was bound with proof (a sign-in to this account or its invitation
    /// in the same browser) or the provider created the account: only then does the provider's
    /// multi-factor claim count.
    pub oidc_proven: bool,
    /// The TOTP key (Base32) once the second factor is set up.
    pub totp_secret: Option<String>,
    /// The last TOTP time step accepted: a code is accepted once.
    pub totp_last_step: Option<i64>,
    /// A key being set up, with its recovery codes, until the first code confirms it.
    pub totp_pending_secret: Option<String>,
    pub totp_pending_codes: Option<String>,
    pub mfa_enabled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
