//! The demo's checked addresses: two of the demo clerk's online entries name an address, one of
//! which the weekly check found missing (HTTP 404) ten days ago, so the start page and the list
//! of broken addresses show what a Kommune sees. The addresses are of the reserved `.example`
//! domain; their next check is days away. They go with the demo records.

use super::people::People;
use app::core::entities::{link_check, service_record};
use app::vocabulary::register::LinkOutcome;
use chrono::Duration;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

/// Writes the addresses and their checks; returns how many entries name one.
pub async fn write(db: &impl ConnectionTrait, people: &People) -> anyhow::Result<usize> {
    let Some((org_id, _)) = people.clerk_orgs.first() else { return Ok(0) };
    let online: Vec<String> = service_record::Entity::find()
        .select_only()
        .column(service_record::Column::OzgId)
        .filter(service_record::Column::OrganisationId.eq(org_id.clone()))
        .filter(service_record::Column::Stage.eq("online"))
        .filter(service_record::Column::Demo.eq(true))
        .order_by_asc(service_record::Column::OzgId)
        .limit(2)
        .into_tuple()
        .all(db)
        .await?;
    let now = app::core::time::now();
    for (i, ozg) in online.iter().enumerate() {
        let url = format!("https://www.magdeburg.example/dienste/{ozg}");
        service_record::Entity::update_many()
            .col_expr(service_record::Column::Url, Expr::value(Some(url.clone())))
            .filter(service_record::Column::OrganisationId.eq(org_id.clone()))
            .filter(service_record::Column::OzgId.eq(ozg.clone()))
            .exec(db)
            .await?;
        let broken = i == 0;
        link_check::Entity::insert(link_check::ActiveModel {
            url_hash: Set(app::register::service::links::hash(&url)),
            url: Set(url),
            checked_at: Set(Some(now - Duration::days(2))),
            next_check_at: Set(now + Duration::days(5)),
            claimed_until: Set(None),
            outcome: Set(Some(if broken { LinkOutcome::ErrorAnswer } else { LinkOutcome::Reachable })),
            http_status: Set(Some(if broken { 404 } else { 200 })),
            detail: Set(broken.then(|| "HTTP 404".to_string())),
            broken_since: Set(broken.then(|| now - Duration::days(10))),
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(online.len())
}
