//! The demo's usage figures: fourteen months of the Fokusleistungen for every Gemeinde and
//! Verbandsgemeinde whose demo record is online, in proportion to its inhabitants with a season
//! and some noise — and a few Kommunen that offer a Leistung online without any use, so the Land
//! sees that list. Written through the importer's store (ZSK figures marked as demo).

use app::core::entities::{organisation, service_record};
use app::usage::service::import::Row;
use app::vocabulary::usage::UsageArea;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// Transactions per 1,000 inhabitants and month of each Fokusleistung (a plausible order).
fn rate(ozg: &str) -> f64 {
    match ozg {
        "10124" | "10559" => 6.0,
        "10119" | "10177" | "10169" | "10439" => 3.0,
        "10092" | "10000" | "10005" => 1.2,
        _ => 0.4,
    }
}

/// Writes the figures; returns how many.
pub async fn write(db: &impl ConnectionTrait, seed: u64) -> anyhow::Result<usize> {
    let focus: Vec<String> = app::core::entities::ozg_service::Entity::find()
        .select_only()
        .column(app::core::entities::ozg_service::Column::OzgId)
        .filter(app::core::entities::ozg_service::Column::Focus.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    let orgs: Vec<organisation::Model> =
        organisation::Entity::find().filter(organisation::Column::Key.starts_with("15")).filter(organisation::Column::Ars.is_not_null()).all(db).await?;
    let by_id: HashMap<&str, &organisation::Model> = orgs.iter().map(|o| (o.id.as_str(), o)).collect();
    let online: Vec<(String, String)> = service_record::Entity::find()
        .select_only()
        .column(service_record::Column::OrganisationId)
        .column(service_record::Column::OzgId)
        .filter(service_record::Column::Stage.eq("online"))
        .filter(service_record::Column::OzgId.is_in(focus.clone()))
        .filter(service_record::Column::Demo.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    let newest = app::usage::service::query::months_before(
        chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&chrono::Utc::now().date_naive()), chrono::Datelike::month(&chrono::Utc::now().date_naive()), 1).unwrap_or_default(),
        1,
    );
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0057_a6e5);
    let mut rows = Vec::new();
    for (org_id, ozg) in online {
        let Some(org) = by_id.get(org_id.as_str()) else { continue };
        let Some(area) = org.ars.as_deref().and_then(UsageArea::of_ars) else { continue };
        // One in twenty offers it online without use.
        if rng.gen_range(0..20) == 0 {
            continue;
        }
        let base = org.population.unwrap_or(1000) as f64 / 1000.0 * rate(&ozg);
        for back in 0..14 {
            let month = app::usage::service::query::months_before(newest, back);
            let season = 1.0 + 0.15 * ((chrono::Datelike::month(&month) as f64) / 12.0 * std::f64::consts::TAU).cos();
            let growth = 1.0 - back as f64 * 0.02;
            let n = (base * season * growth * rng.gen_range(0.8..1.2)).round().max(0.0) as i64;
            rows.push(Row {
                month,
                ozg_id: ozg.clone(),
                leika_key: None,
                online_service: format!("Online-Dienst {ozg}"),
                online_service_id: format!("demo-{ozg}"),
                ars: org.ars.clone().unwrap_or_default(),
                area,
                organisation_id: org.id.clone(),
                transactions: n,
            });
        }
    }
    let n = rows.len();
    app::usage::service::import::store(db, &rows, app::core::time::now(), true).await?;
    Ok(n)
}
