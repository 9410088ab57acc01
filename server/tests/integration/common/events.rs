//! Events to work with: held by an advisor, public or for the Kommunen.

use crate::common::TestApp;
use crate::common::db::user_id;
use app::events::service::store;
use app::identity::Role;

pub fn local(t: chrono::DateTime<chrono::Utc>) -> String {
    store::utc_to_local_input(t)
}

pub async fn event(app: &TestApp, title: &str, audience: &str, capacity: &str, in_days: i64) -> i64 {
    let advisor = user_id(app, &app.user(Role::Advisor, "LAND").await).await;
    let now = app::core::time::now();
    let starts = now + chrono::Duration::days(in_days);
    let input = app::events::model::EventForm {
        title: title.into(),
        description: "Fragen und Antworten zur **OZG-Umsetzung**.".into(),
        starts: local(starts),
        ends: local(starts + chrono::Duration::hours(1)),
        online_url: "https://konferenz.sachsen-anhalt.example/sprechstunde".into(),
        capacity: capacity.into(),
        audience: audience.into(),
        ..Default::default()
    };
    let input = app::events::model::EventInput::try_from(input).expect("a valid event");
    store::create(&app.db, &advisor, input, now).await.expect("event")
}

/// A public event and one for the Kommunen, both ahead (for the scope matrix).
pub async fn seed_events(app: &TestApp) -> [i64; 2] {
    [event(app, "Offene Sprechstunde", "oeffentlich", "", 7).await, event(app, "Sprechstunde für Kommunen", "kommunen", "", 8).await]
}
