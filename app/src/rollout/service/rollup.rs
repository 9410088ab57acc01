//! The roll-out's rollups, kept in the transaction of every step: Kommunen per service × Kreis ×
//! state, the days from interest to live per service, and the steps reached per month. A
//! rebuild recomputes them from the connections and their steps.

use super::exec;
use crate::error::AppError;
use crate::rollout::model::ConnectionState;
use sea_orm::ConnectionTrait;

/// The area key of the totals over every Kreis.
pub const LAND: &str = "*";

/// The month (`JJJJ-MM`, Europe/Berlin) of an instant.
pub fn month_of(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Berlin).format("%Y-%m").to_string()
}

/// Whole days from interest to live of a connection (`live_at`, `interest_at`).
pub fn days_expr(backend: sea_orm::DbBackend) -> &'static str {
    match backend {
        sea_orm::DbBackend::Postgres => "GREATEST(0, FLOOR(EXTRACT(EPOCH FROM (live_at - interest_at)) / 86400))::int",
        _ => "MAX(0, CAST(julianday(live_at) - julianday(interest_at) AS INTEGER))",
    }
}

/// The last twelve months up to this one (Europe/Berlin), oldest first: the figures' trend.
pub fn recent_months() -> Vec<(i32, u32)> {
    let today = crate::core::time::now().with_timezone(&chrono_tz::Europe::Berlin).date_naive();
    crate::register::service::progress::month_list(today, 12)
}

async fn add_state(db: &impl ConnectionTrait, service: &str, kreis: &str, state: ConnectionState, n: i64) -> Result<(), AppError> {
    exec(
        db,
        "INSERT INTO agg_rollout (efa_service_id, kreis_key, state, kommunen) VALUES (?, ?, ?, ?) \
         ON CONFLICT (efa_service_id, kreis_key, state) DO UPDATE SET kommunen = agg_rollout.kommunen + excluded.kommunen",
        vec![service.into(), kreis.into(), state.into(), n.into()],
    )
    .await?;
    Ok(())
}

/// Records one step: the connection leaves `from` (none when it is new) and reaches `to`;
/// `days` from interest to live when it goes live.
pub async fn step(db: &impl ConnectionTrait, service: &str, kreis: &str, from: Option<ConnectionState>, to: ConnectionState, at: chrono::DateTime<chrono::Utc>, days: Option<i32>) -> Result<(), AppError> {
    // Each Kreis, and the whole under `LAND`.
    for area in [kreis, LAND] {
        if let Some(f) = from {
            add_state(db, service, area, f, -1).await?;
        }
        add_state(db, service, area, to, 1).await?;
    }
    exec(
        db,
        "INSERT INTO agg_rollout_month (month, efa_service_id, state, connections) VALUES (?, ?, ?, 1) \
         ON CONFLICT (month, efa_service_id, state) DO UPDATE SET connections = agg_rollout_month.connections + 1",
        vec![month_of(at).into(), service.into(), to.into()],
    )
    .await?;
    if let Some(d) = days {
        exec(
            db,
            "INSERT INTO agg_rollout_days (efa_service_id, days, connections) VALUES (?, ?, 1) \
             ON CONFLICT (efa_service_id, days) DO UPDATE SET connections = agg_rollout_days.connections + 1",
            vec![service.into(), d.into()],
        )
        .await?;
    }
    Ok(())
}

/// Recomputes every rollup of the roll-out from the connections and their steps (in the
/// caller's transaction): after removing the demo, or by `server rollup rebuild`.
#[tracing::instrument(skip_all)]
pub async fn rebuild(db: &impl ConnectionTrait) -> Result<(), AppError> {
    for t in ["agg_rollout", "agg_rollout_days", "agg_rollout_month"] {
        exec(db, &format!("DELETE FROM {t}"), vec![]).await?;
    }
    exec(
        db,
        "INSERT INTO agg_rollout (efa_service_id, kreis_key, state, kommunen) SELECT efa_service_id, kreis_key, state, COUNT(*) FROM connection GROUP BY efa_service_id, kreis_key, state",
        vec![],
    )
    .await?;
    exec(
        db,
        "INSERT INTO agg_rollout (efa_service_id, kreis_key, state, kommunen) SELECT efa_service_id, ?, state, COUNT(*) FROM connection GROUP BY efa_service_id, state",
        vec![LAND.into()],
    )
    .await?;
    // Days from interest to the (last) live step, as whole days.
    let days = days_expr(db.get_database_backend());
    exec(
        db,
        &format!("INSERT INTO agg_rollout_days (efa_service_id, days, connections) SELECT efa_service_id, {days}, COUNT(*) FROM connection WHERE live_at IS NOT NULL GROUP BY efa_service_id, {days}"),
        vec![],
    )
    .await?;
    /// A step of a connection to a service, when it was taken.
    #[derive(sea_orm::FromQueryResult)]
    struct Step {
        efa_service_id: String,
        state: String,
        at: chrono::DateTime<chrono::Utc>,
    }
    let steps: Vec<Step> = super::read(db, "SELECT c.efa_service_id, s.state, s.at FROM connection_step s JOIN connection c ON c.id = s.connection_id", vec![]).await?;
    let mut months: std::collections::BTreeMap<(String, String, String), i64> = std::collections::BTreeMap::new();
    for s in steps {
        *months.entry((month_of(s.at), s.efa_service_id, s.state)).or_default() += 1;
    }
    for ((m, s, st), n) in months {
        exec(db, "INSERT INTO agg_rollout_month (month, efa_service_id, state, connections) VALUES (?, ?, ?, ?)", vec![m.into(), s.into(), st.into(), n.into()]).await?;
    }
    Ok(())
}
