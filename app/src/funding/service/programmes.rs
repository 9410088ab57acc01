//! Funding programmes, kept by administrators: name, budget, funding rate, maximum per project,
//! application period. The budget's committed and disbursed sums are kept by the workflow.

use super::today;
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::entities::funding_programme as fp;
use crate::error::AppError;
use crate::funding::model::{Programme, ProgrammeInput};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

fn of(m: fp::Model) -> Programme {
    let t = today();
    Programme {
        id: m.id,
        name: m.name,
        description: m.description,
        budget_cents: m.budget_cents.into(),
        rate_percent: m.rate_percent,
        max_cents: m.max_cents.into(),
        opens_on: m.opens_on.format("%Y-%m-%d").to_string(),
        closes_on: m.closes_on.format("%Y-%m-%d").to_string(),
        committed_cents: m.committed_cents.into(),
        disbursed_cents: m.disbursed_cents.into(),
        sums_shown: true,
        active: m.active,
        open_now: m.active && m.opens_on <= t && t <= m.closes_on,
        version: m.version,
    }
}

/// Every programme (inactive ones for administrators and advisors only). Outside the Land the
/// granted and called sums are the released ones (`release`), never the live ones.
#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Programme>, AppError> {
    let all = matches!(scope, Scope::Land | Scope::Admin);
    let mut q = fp::Entity::find().order_by_desc(fp::Column::ClosesOn).order_by_asc(fp::Column::Name);
    if !all {
        q = q.filter(fp::Column::Active.eq(true));
    }
    let mut list: Vec<Programme> = q.all(db).await?.into_iter().map(of).collect();
    if !all {
        let released = super::release::released(db, None).await?;
        for p in &mut list {
            let (c, d) = released.get(&p.id).copied().unwrap_or_default();
            p.committed_cents = c.into();
            p.disbursed_cents = d.into();
            p.sums_shown = released.contains_key(&p.id);
        }
    }
    Ok(list)
}

/// One programme.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Programme, AppError> {
    fp::Entity::find_by_id(id).one(db).await?.map(of).ok_or(AppError::NotFound)
}

/// Creates (`id` None) or changes a programme (administrators). The budget cannot fall below
/// what is already granted. A stale version is a 409.
#[tracing::instrument(skip_all)]
pub async fn save(db: &DatabaseConnection, scope: &Scope, actor: &str, id: Option<i64>, input: &ProgrammeInput) -> Result<i64, AppError> {
    crate::access::policy::require_admin(scope)?;
    let ProgrammeInput { name, description, budget, rate, max, opens, closes, .. } = input.clone();
    let (budget, max) = (budget.0, max.0);
    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(db).await?;
    let duplicate = fp::Entity::find().filter(fp::Column::Name.eq(name.clone())).one(&txn).await?;
    if duplicate.is_some_and(|d| Some(d.id) != id) {
        txn.rollback().await?;
        return Err(AppError::field("name", "Ein Programm mit diesem Namen gibt es bereits."));
    }
    let id = match id {
        None => {
            let created = fp::ActiveModel {
                name: Set(name.clone()),
                description: Set(description),
                budget_cents: Set(budget),
                rate_percent: Set(rate),
                max_cents: Set(max),
                opens_on: Set(opens),
                closes_on: Set(closes),
                committed_cents: Set(0),
                disbursed_cents: Set(0),
                active: Set(input.active),
                demo: Set(false),
                version: Set(1),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            created.id
        }
        Some(id) => {
            let current = get(&txn, id).await?;
            if budget < current.committed_cents.0 {
                txn.rollback().await?;
                return Err(AppError::field("budget", format!("Bewilligt sind bereits {}; das Budget kann nicht kleiner sein.", crate::ui::format::euro(current.committed_cents))));
            }
            // Only the version seen, and never below what is granted meanwhile.
            let n = fp::Entity::update_many()
                .col_expr(fp::Column::Name, Expr::value(name.clone()))
                .col_expr(fp::Column::Description, Expr::value(description))
                .col_expr(fp::Column::BudgetCents, Expr::value(budget))
                .col_expr(fp::Column::RatePercent, Expr::value(rate))
                .col_expr(fp::Column::MaxCents, Expr::value(max))
                .col_expr(fp::Column::OpensOn, Expr::value(opens))
                .col_expr(fp::Column::ClosesOn, Expr::value(closes))
                .col_expr(fp::Column::Active, Expr::value(input.active))
                .col_expr(fp::Column::Version, Expr::col(fp::Column::Version).add(1))
                .col_expr(fp::Column::UpdatedAt, Expr::value(now))
                .filter(fp::Column::Id.eq(id))
                .filter(fp::Column::Version.eq(input.version))
                .filter(fp::Column::CommittedCents.lte(budget))
                .exec(&txn)
                .await?
                .rows_affected;
            if n != 1 {
                txn.rollback().await?;
                return Err(AppError::Conflict("Das Programm wurde inzwischen geändert; Ihre Änderung wurde nicht gespeichert. Bitte laden Sie die Seite neu.".into()));
            }
            id
        }
    };
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::FundingProgrammeSaved, object: Some(&id.to_string()), detail: Some(name), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(id)
}
