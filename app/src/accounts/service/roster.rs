//! The list of accounts with their organisations, sign-in method and invitation state.

use crate::accounts::model::UserListItem;
use crate::core::entities::{app_user, organisation, user_organisation};
use crate::error::AppError;
use crate::identity::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;

/// Every account with its organisations and sign-in state, by name.
#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<UserListItem>, AppError> {
    let now = crate::core::time::now();
    let users = app_user::Entity::find().order_by_asc(app_user::Column::Name).all(db).await?;
    let links = user_organisation::Entity::find().all(db).await?;
    let invitations = super::links::invitation_states(db, now).await?;
    let org_ids: Vec<String> = links.iter().map(|l| l.organisation_id.clone()).collect();
    let orgs: BTreeMap<String, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    Ok(users
        .into_iter()
        .map(|u| {
            let invitation = invitations.get(&u.id);
            let sign_in = if u.oidc_subject.is_some() {
                "oidc"
            } else if u.password_hash.is_empty() {
                "invited"
            } else {
                "password"
            };
            UserListItem {
                org_keys: links.iter().filter(|l| l.user_id == u.id).filter_map(|l| orgs.get(&l.organisation_id)).map(|o| o.key.clone()).collect(),
                organisations: links
                    .iter()
                    .filter(|l| l.user_id == u.id)
                    .filter_map(|l| orgs.get(&l.organisation_id))
                    .map(|o| format!("{} ({})", o.name, o.key))
                    .collect(),
                role: Role::from_code(&u.role).unwrap_or(Role::Clerk),
                last_login: u.last_login_at.map(crate::core::time::format_berlin),
                manages_clerks: u.manages_clerks,
                mfa: u.totp_secret.is_some(),
                sign_in: sign_in.into(),
                invitation_open: sign_in == "invited" && !matches!(invitation, Some(super::links::InvitationState::Accepted)),
                invitation: invitation.map(|i| match i {
                    super::links::InvitationState::Open { until } => format!("offen bis {}", crate::core::time::format_berlin(*until)),
                    super::links::InvitationState::Expired => "abgelaufen".into(),
                    super::links::InvitationState::Withdrawn => "zurückgezogen".into(),
                    super::links::InvitationState::Accepted => "angenommen".into(),
                }),
                id: u.id,
                name: u.name,
                email: u.email,
                active: u.active,
                is_demo: u.is_demo,
            }
        })
        .collect())
}
