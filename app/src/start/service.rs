//! The start page's figures of the reference data, read once per change of it (see
//! `core::versions`) instead of once per request.

use crate::core::versions::{Depends, Memo, Versions};
use crate::identity::OrgKind;
use sea_orm::{ConnectionTrait, DbErr};
use std::sync::Arc;

/// Catalogue and organisation figures.
#[derive(Debug, Clone)]
pub struct Figures {
    pub ozg_services: u64,
    pub leika_services: u64,
    pub focus_services: u64,
    /// Organisations per kind.
    pub organisations: Vec<(OrgKind, u64)>,
    /// Inhabitants of the Gemeinden.
    pub population: i64,
}

static FIGURES: Memo<(), Figures> = Memo::new(2);

/// The figures as of these data versions.
pub async fn figures(db: &impl ConnectionTrait, versions: &Versions) -> Result<Arc<Figures>, DbErr> {
    FIGURES
        .get_or((), versions.stamp(Depends::Reference), || async {
            let (ozg_services, leika_services, focus_services) = crate::catalogue::service::import::catalogue_counts(db).await?;
            Ok(Figures {
                ozg_services,
                leika_services,
                focus_services,
                organisations: crate::catalogue::service::orgs::count_by_kind(db).await?,
                population: crate::catalogue::service::orgs::population(db).await?,
            })
        })
        .await
}
