//! What case pages look up besides the cases: categories, teams, working hours and targets, the
//! names of organisations and people. Read once per change of the people or the reference data
//! (see `core::versions`) instead of once per request.

use crate::cases::service::sla::{self, SlaSettings};
use crate::core::entities::{app_user, case_category, case_team, organisation};
use crate::core::versions::{Depends, Memo, Versions};
use crate::identity::OrgKind;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// All categories, by position.
    pub categories: Vec<case_category::Model>,
    /// All teams, by name.
    pub teams: Vec<case_team::Model>,
    pub settings: SlaSettings,
    /// Organisation id → (key, name).
    pub orgs: HashMap<String, (String, String)>,
    /// User id → name.
    pub users: HashMap<String, String>,
    /// Active advisors as (id, name), by name.
    pub advisors: Vec<(String, String)>,
    /// Landkreise and kreisfreie Städte as (Kreisschlüssel, name), by name.
    pub kreise: Vec<(String, String)>,
    /// OZG-ID → name of the Leistung.
    pub services: HashMap<String, String>,
}

impl Directory {
    /// Category id → (code, label).
    pub fn category(&self, id: &str) -> Option<&case_category::Model> {
        self.categories.iter().find(|c| c.id == id)
    }

    pub fn category_by_code(&self, code: &str) -> Option<&case_category::Model> {
        self.categories.iter().find(|c| c.code == code)
    }

    pub fn team_name(&self, id: &str) -> Option<&String> {
        self.teams.iter().find(|t| t.id == id).map(|t| &t.name)
    }

    /// The names of these users (unknown ids are left out).
    pub fn user_names<'a>(&self, ids: impl IntoIterator<Item = &'a String>) -> HashMap<String, String> {
        ids.into_iter().filter_map(|id| self.users.get(id).map(|n| (id.clone(), n.clone()))).collect()
    }
}

static DIRECTORY: Memo<(), Directory> = Memo::new(4);

/// The directory as of these data versions.
pub async fn get(db: &impl ConnectionTrait, versions: &Versions) -> Result<Arc<Directory>, DbErr> {
    DIRECTORY.get_or((), versions.stamp(Depends::PeopleAndReference), || read(db)).await
}

async fn read(db: &impl ConnectionTrait) -> Result<Directory, DbErr> {
    let categories = case_category::Entity::find().order_by_asc(case_category::Column::Position).all(db).await?;
    let teams = case_team::Entity::find().order_by_asc(case_team::Column::Name).all(db).await?;
    let settings = sla::settings(db).await?;
    let orgs_all = organisation::Entity::find().order_by_asc(organisation::Column::Name).all(db).await?;
    let kreise = orgs_all
        .iter()
        .filter(|o| o.kind == OrgKind::Landkreis.code() || o.kind == OrgKind::KreisfreieStadt.code())
        .map(|o| (o.kreis_key.clone().unwrap_or_else(|| o.key.clone()), o.name.clone()))
        .collect();
    let orgs = orgs_all.into_iter().map(|o| (o.id, (o.key, o.name))).collect();
    let people = app_user::Entity::find().order_by_asc(app_user::Column::Name).all(db).await?;
    let advisors = people.iter().filter(|u| u.role == "advisor" && u.active).map(|u| (u.id.clone(), u.name.clone())).collect();
    let users = people.into_iter().map(|u| (u.id, u.name)).collect();
    let services = crate::core::entities::ozg_service::Entity::find().all(db).await?.into_iter().map(|s| (s.ozg_id, s.name)).collect();
    Ok(Directory { categories, teams, settings, orgs, users, advisors, kreise, services })
}
