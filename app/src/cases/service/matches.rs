//! Which cases match a filter, and how many: kept per data version (see `core::versions`), the
//! views on deadlines also for the span of time they hold for. The inbox builds the condition;
//! this keeps what it finds.

use crate::cases::model::SEARCH_COUNT_LIMIT;
use crate::cases::service::directory::Directory;
use crate::core::entities::support_case;
use crate::core::versions::{Depends, Memo, Versions};
use crate::error::AppError;
use crate::vocabulary::paging::Paging;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, TransactionSession, TransactionTrait};

/// Cases per inbox page.
pub const PER_PAGE: u32 = 50;

/// Time before a deadline at which a case counts as "bald fällig", in business minutes.
pub const DUE_SOON_MINUTES: i64 = 240;

pub(super) const RUNNING: [&str; 3] = ["new", "triage", "in_progress"];

fn ordered(q: sea_orm::Select<support_case::Entity>, sort: Option<&str>, internal: bool) -> sea_orm::Select<support_case::Entity> {
    if !internal {
        // A Kommune sorts only by what it sees: no due dates or priorities, and its own clock of
        // last change, which internal work does not move.
        return match sort {
            Some("created") => q.order_by_desc(support_case::Column::Id),
            _ => q.order_by_desc(support_case::Column::LastPublicActivityAt).order_by_desc(support_case::Column::Id),
        };
    }
    match sort {
        // Case numbers are given in filing order; sorting by them lets a search stop after one page.
        Some("created") => q.order_by_desc(support_case::Column::Id),
        Some("due") => q.order_by_asc(support_case::Column::ResolutionDueAt).order_by_asc(support_case::Column::Id),
        Some("priority") => q
            .order_by(
                Expr::cust("CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END"),
                Order::Asc,
            )
            .order_by_desc(support_case::Column::UpdatedAt)
            // Cases changed at the same instant keep one order, so no case shows on two pages.
            .order_by_desc(support_case::Column::Id),
        _ => q.order_by_desc(support_case::Column::UpdatedAt).order_by_desc(support_case::Column::Id),
    }
}

/// Which cases make up one page of a filter, and how many match.
#[derive(Debug)]
pub(super) struct Found {
    pub ids: Vec<i64>,
    pub capped: bool,
    pub paging: Paging,
}

/// Pages of filters, kept while the data they were read from stands still (see `core::versions`):
/// a view requested again before any case changes costs no count and no walk over the cases.
pub(super) static FOUND: Memo<String, Found> = Memo::new(2048);

/// The time a page of a view on deadlines holds for: from when it was read until the clock
/// passes the next deadline (a case turns overdue, or stops being "due soon"), and while the
/// "due soon" horizon has not reached the next deadline beyond it (a case turns due soon).
#[derive(Debug, Clone, Copy)]
struct Span {
    from: DateTime<Utc>,
    leave_by: Option<DateTime<Utc>>,
    enter_by: Option<DateTime<Utc>>,
}

impl Span {
    fn holds(&self, now: DateTime<Utc>, soon: DateTime<Utc>) -> bool {
        self.from <= now && self.leave_by.is_none_or(|d| now <= d) && self.enter_by.is_none_or(|d| soon < d)
    }
}

/// How many cases match a filter, kept while the set of cases stands (see `Depends`).
static COUNTS: Memo<String, u64> = Memo::new(2048);

/// The counts of the views on deadlines, with the time they hold for.
static TIMED: Memo<String, (u64, Span)> = Memo::new(256);

/// The earliest deadline of a running case from `at` on (or after it, when `strictly`): a
/// first-response or follow-up deadline not yet met, or a resolution deadline.
async fn next_deadline(db: &impl ConnectionTrait, at: DateTime<Utc>, strictly: bool) -> Result<Option<DateTime<Utc>>, AppError> {
    use support_case::Column as C;
    let mut next: Option<DateTime<Utc>> = None;
    for (column, unanswered) in [(C::ResolutionDueAt, None), (C::ResponseDueAt, Some(C::FirstResponseAt)), (C::FollowupDueAt, Some(C::FollowupAnsweredAt))] {
        let mut q = support_case::Entity::find()
            .select_only()
            .column_as(column.min(), "next")
            .filter(support_case::Column::Status.is_in(RUNNING))
            .filter(if strictly { column.gt(at) } else { column.gte(at) });
        if let Some(answer) = unanswered {
            q = q.filter(answer.is_null());
        }
        if let Some(d) = q.into_tuple::<Option<DateTime<Utc>>>().one(db).await?.flatten() {
            next = Some(next.map_or(d, |n| std::cmp::min(n, d)));
        }
    }
    Ok(next)
}


/// Counts the matches of a condition and finds the ids on the requested page.
pub(super) async fn find<C: ConnectionTrait + TransactionTrait>(db: &C, cond: Condition, sort: Option<&str>, searching: bool, internal: bool, requested: Option<u32>) -> Result<Found, AppError> {
    let page_of = |total: u64| Paging::of(u64::from(requested.unwrap_or(1)), u64::from(PER_PAGE), total);
    let ids_of = |q: sea_orm::Select<support_case::Entity>, paging: Paging| {
        q.select_only().column(support_case::Column::Id).limit(paging.per_page).offset(paging.offset()).into_tuple::<i64>()
    };
    if searching {
        // A search counts up to the limit only: a word in nearly every case would otherwise make
        // every request join all of them. In the default order (newest first) the counted ids
        // already hold the page, so the search runs once.
        let newest_first = sort == Some("created");
        let counted = support_case::Entity::find().select_only().column(support_case::Column::Id).filter(cond.clone()).limit(SEARCH_COUNT_LIMIT + 1);
        let counted = if newest_first { counted.order_by_desc(support_case::Column::Id) } else { counted };
        let all: Vec<i64> = counted.into_tuple().all(db).await?;
        let n = all.len() as u64;
        let total = std::cmp::min(n, SEARCH_COUNT_LIMIT);
        let paging = page_of(total);
        let ids = if newest_first {
            all.iter().take(total as usize).skip(paging.offset() as usize).take(PER_PAGE as usize).copied().collect()
        } else {
            ids_of(ordered(support_case::Entity::find().filter(cond), sort, internal), paging).all(db).await?
        };
        Ok(Found { ids, capped: n > SEARCH_COUNT_LIMIT, paging })
    } else {
        let total = support_case::Entity::find().filter(cond.clone()).count(db).await?;
        page(db, cond, sort, internal, requested, total).await
    }
}

/// The ids of the requested page of a condition whose matches were counted.
pub(super) async fn page<C: ConnectionTrait + TransactionTrait>(db: &C, cond: Condition, sort: Option<&str>, internal: bool, requested: Option<u32>, total: u64) -> Result<Found, AppError> {
    let paging = Paging::of(u64::from(requested.unwrap_or(1)), u64::from(PER_PAGE), total);
    let backend = db.get_database_backend();
    // The page's size and offset are written into the statement (two numbers): as parameters,
    // PostgreSQL's plan guesses a tenth of the matches instead of 50.
    let window = format!(" LIMIT {} OFFSET {}", paging.per_page, paging.offset());
    let rows = if backend == DbBackend::Postgres {
        // PostgreSQL takes the filters as independent and misjudges the views on deadlines by
        // a factor of a hundred either way: it walked the whole order's index for 11 cases due
        // soon (190 ms) and, with a plan made once for all values, sorted 11,000 (20-30 ms)
        // where the walk took 1 ms. The count is known, so the page chooses: walking the order
        // reads about (offset + 50) × cases / matches rows, collecting the matches reads them
        // all; it walks where that is fewer, and its plan is made for the values at hand.
        let cases: f64 = db
            .query_one_raw(sea_orm::Statement::from_string(backend, "SELECT reltuples::float8 FROM pg_class WHERE oid = 'support_case'::regclass"))
            .await?
            .and_then(|r| r.try_get_by_index::<f64>(0).ok())
            .unwrap_or(0.0)
            .max(total as f64);
        let walk = (paging.offset() + paging.per_page) as f64 * cases / (total.max(1) as f64);
        let statement = if walk <= total as f64 {
            let mut s = ordered(support_case::Entity::find().filter(cond), sort, internal).select_only().column(support_case::Column::Id).build(backend);
            s.sql.push_str(&window);
            s
        } else {
            // The matches with what orders them, then the page of them (the name of the table
            // stands for the collected rows in the outer statement, so the order reads the same).
            let collect = support_case::Entity::find()
                .select_only()
                .columns([support_case::Column::Id, support_case::Column::UpdatedAt, support_case::Column::ResolutionDueAt, support_case::Column::Priority, support_case::Column::LastPublicActivityAt])
                .filter(cond)
                .build(backend);
            let order = ordered(support_case::Entity::find(), sort, internal).select_only().column(support_case::Column::Id).build(backend);
            sea_orm::Statement::from_sql_and_values(backend, format!("WITH \"support_case\" AS MATERIALIZED ({}) {}{window}", collect.sql, order.sql), collect.values.map(|v| v.0).unwrap_or_default())
        };
        let txn = db.begin().await?;
        txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan").await?;
        let rows = txn.query_all_raw(statement).await?;
        txn.commit().await?;
        rows
    } else {
        let mut statement = ordered(support_case::Entity::find().filter(cond), sort, internal).select_only().column(support_case::Column::Id).build(backend);
        statement.sql.push_str(&window);
        db.query_all_raw(statement).await?
    };
    let ids = rows.iter().map(|r| r.try_get_by_index::<i64>(0)).collect::<Result<Vec<_>, _>>()?;
    Ok(Found { ids, capped: false, paging })
}


/// What a condition is kept under: its structure with every value (cheaper than writing it as
/// SQL, which would build a statement of every column first).
pub(super) fn key_of(cond: &Condition) -> String {
    format!("{cond:?}")
}

/// How many cases match a condition that does not hold the clock, kept while the set of cases
/// stands: it moves only when a case is filed or deleted or a filtered column changes, not with
/// a note or a reply that leaves the filtered columns as they were.
pub(super) async fn count(db: &impl ConnectionTrait, versions: &Versions, internal: bool, cond: &Condition) -> Result<u64, AppError> {
    Ok(*COUNTS
        .get_or(format!("{internal}|{}", key_of(cond)), versions.stamp(Depends::CaseSetPeopleAndReference), || async {
            Ok::<u64, AppError>(support_case::Entity::find().filter(cond.clone()).count(db).await?)
        })
        .await?)
}

/// How many cases a view on deadlines holds (overdue, due soon), and since when that count
/// holds: kept while the set of cases stands and the clock has passed no deadline that would
/// move a case into the view or out of it. `key` names the viewer and the filter.
pub(super) async fn timed_count(db: &impl ConnectionTrait, versions: &Versions, dir: &Directory, key: &str, cond: &Condition, now: DateTime<Utc>) -> Result<(u64, DateTime<Utc>), AppError> {
    let stamp = versions.stamp(Depends::CaseSetPeopleAndReference);
    let soon = |t: DateTime<Utc>| dir.settings.calendar.add_minutes(t, DUE_SOON_MINUTES);
    // Requests that find no count holding at once count once: after a change of the set of
    // cases every request in flight would otherwise count the same view side by side.
    let kept = TIMED
        .get_or_while(key.to_string(), stamp, |kept| kept.1.holds(now, soon(now)), || async {
            let total = support_case::Entity::find().filter(cond.clone()).count(db).await?;
            let span = Span { from: now, leave_by: next_deadline(db, now, false).await?, enter_by: next_deadline(db, soon(now), true).await? };
            Ok::<_, AppError>((total, span))
        })
        .await?;
    Ok((kept.0, kept.1.from))
}
