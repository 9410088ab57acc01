//! A roll-out to work with: an EfA service on the Land's list and a connection of Magdeburg.

use crate::common::TestApp;
use crate::common::cases::MAGDEBURG;
use crate::common::db::{scalar, user_id};
use app::access::scope::Scope;
use app::identity::Role;
use app::rollout::service::plan;

/// The ids the scope matrix and the tests need.
pub struct Seed {
    pub service: String,
    /// A connection of Magdeburg (Kommune A).
    pub connection: i64,
}

/// An EfA service on the Land's list, assigned to two OZG-Leistungen with a checklist, and a
/// connection of Magdeburg declared by its clerk.
pub async fn seed_rollout(app: &TestApp) -> Seed {
    let admin = user_id(app, &app.user(Role::Admin, "LAND").await).await;
    let advisor = user_id(app, &app.user(Role::Advisor, "LAND").await).await;
    let service = app::catalogue::service::efa::save(&app.db, &admin, None, "Wohngeld Digital", "Schleswig-Holstein", true).await.expect("efa");
    for ozg in ["10000", "10001"] {
        let input = plan::PlanInput {
            model: "efa".into(),
            efa_service_id: service.clone(),
            priority: "1".into(),
            phase: "rollout".into(),
            land_pays: true,
            checklist: "DVDV-Eintrag\nFachverfahren angebunden".into(),
            version: 0,
        };
        plan::save(&app.db, &Scope::Land, &advisor, ozg, &input).await.expect("plan");
    }
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let res = app.server_fn(&clerk, "declare_interest", &[("kommune", MAGDEBURG), ("dienst", &service)]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    let connection = scalar(app, "SELECT MAX(id) FROM connection").await;
    Seed { service, connection }
}
