//! The Land publishes a closed survey's results (aggregates only, suppressed) or takes the
//! publication back; publishing is refused where the results, side by side with results
//! already public, would tell single answers.

use crate::core::audit::{self, Entry};
use crate::core::entities::survey;
use crate::error::AppError;
use crate::surveys::model::SurveyPhase;
use crate::vocabulary::audit::AuditAction;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter};

/// The key of the lock that serialises publications on PostgreSQL.
const PUBLISHING: i64 = 0x5355_5256_4559;

/// Publishes (`true`) or withdraws (`false`) a survey's results.
#[tracing::instrument(skip_all)]
pub async fn set(db: &DatabaseConnection, actor: &str, id: i64, publish: bool, t: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = crate::core::db::begin_write(db).await?;
    // Whether a publication is safe depends on every other one: two at the same instant must
    // not both pass their check. SQLite writes one at a time; PostgreSQL takes a lock held to
    // the end of the transaction, on every instance alike.
    if txn.get_database_backend() == DbBackend::Postgres {
        crate::core::db::exec(&txn, "SELECT pg_advisory_xact_lock(?)", vec![PUBLISHING.into()]).await?;
    }
    let s = super::build::survey_of(&txn, id).await?;
    if publish {
        if super::phase(&s, now) != SurveyPhase::Closed {
            return Err(AppError::field("publish", "Ergebnisse lassen sich erst nach dem Ende der Frist veröffentlichen: bis dahin ändern sie sich mit jeder Antwort."));
        }
        if s.published_at.is_some() {
            return Err(AppError::Conflict("Die Ergebnisse sind bereits veröffentlicht.".into()));
        }
        if let Some(why) = super::guard::publish_conflict(&txn, &s, t as usize, now).await? {
            return Err(AppError::field("publish", why));
        }
    } else if s.published_at.is_none() {
        return Err(AppError::Conflict("Die Ergebnisse sind nicht veröffentlicht.".into()));
    }
    survey::Entity::update_many()
        .col_expr(survey::Column::PublishedAt, publish.then_some(now).into())
        .col_expr(survey::Column::PublishedBy, publish.then(|| actor.to_string()).into())
        .col_expr(survey::Column::UpdatedAt, now.into())
        .filter(survey::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let object = id.to_string();
    let action = if publish { AuditAction::SurveyPublished } else { AuditAction::SurveyUnpublished };
    audit::record(&txn, Entry { actor: Some(actor), action, object: Some(&object), detail: Some(s.title.clone()), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}
