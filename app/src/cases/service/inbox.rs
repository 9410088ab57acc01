//! The inbox: predefined views, filters, full-text search (SQLite FTS5, PostgreSQL German text
//! search), sorting and pagination — always inside the caller's scope.

use crate::core::entities::support_case;
use crate::core::search::search_terms;
use crate::core::versions::{Depends, Memo, Versions};
use crate::access::scope::Scope;
use crate::core::session::CurrentUser;
use crate::cases::service::Lookups;
use crate::cases::service::directory::{self, Directory};
use crate::cases::service::matches::{self, Found, FOUND, RUNNING};
pub use crate::cases::service::matches::{DUE_SOON_MINUTES, PER_PAGE};
use crate::error::AppError;
use crate::cases::model::{CaseFilter, CasePage, CaseStatus, PresetView, Priority};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

fn berlin_midnight(d: NaiveDate) -> DateTime<Utc> {
    chrono_tz::Europe::Berlin
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default()))
}

/// Share of search documents from which on a PostgreSQL search walks the cases instead of
/// collecting its matches from the index first (measured with `server bench cases`).
const WALK_SHARE: f64 = 0.03;

/// The planner's estimate of the share of search documents a tsquery matches (from the GIN
/// statistics of `case_search`; accurate for frequent words, which are the ones that matter here).
async fn pg_match_share(db: &impl ConnectionTrait, matches: &str, visible: &str) -> Result<f64, AppError> {
    let backend = db.get_database_backend();
    let rows_of = |plan: &str| -> f64 {
        plan.split_once("rows=").and_then(|(_, r)| r.split(|c: char| !c.is_ascii_digit()).next()).and_then(|n| n.parse().ok()).unwrap_or(0.0)
    };
    let line = |sql: String| async move {
        let row = db.query_one_raw(sea_orm::Statement::from_string(backend, sql)).await?;
        Ok::<String, sea_orm::DbErr>(row.and_then(|r| r.try_get_by_index::<String>(0).ok()).unwrap_or_default())
    };
    let found = rows_of(&line(format!("EXPLAIN {matches}")).await?);
    let all = rows_of(&line(format!("EXPLAIN SELECT case_id FROM case_search WHERE true{visible}")).await?);
    Ok(if all > 0.0 { found / all } else { 0.0 })
}

/// The planner's share per search (PostgreSQL), kept while the cases stand.
static SHARES: Memo<String, f64> = Memo::new(1024);

async fn text_condition(db: &impl ConnectionTrait, versions: &Versions, q: &str, internal: bool) -> Result<Option<Condition>, AppError> {
    let backend = db.get_database_backend();
    let terms = search_terms(q);
    if terms.is_empty() {
        return Ok(None);
    }
    let mut cond = Condition::any();
    if terms.len() == 1
        && let Ok(n) = terms[0].parse::<i64>()
    {
        cond = cond.add(support_case::Column::Id.eq(n));
    }
    let expr = match backend {
        DbBackend::Sqlite => {
            // Every word as a prefix: "Förder" finds "Förderung". Row ids are case id × 2 + internal.
            let m = terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" ");
            let sql = if internal {
                "id IN (SELECT rowid / 2 FROM case_fts WHERE case_fts MATCH ?)"
            } else {
                "id IN (SELECT rowid / 2 FROM case_fts WHERE case_fts MATCH ? AND rowid % 2 = 0)"
            };
            Expr::cust_with_values(sql, [m])
        }
        _ => {
            // Only letters and digits reach the query text (see `search_terms`), so the tsquery can
            // be written into the statement: each search is planned with its own word statistics.
            let m = terms
                .iter()
                .map(|t| format!("{}:*", t.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>()))
                .collect::<Vec<_>>()
                .join(" & ");
            let visible = if internal { "" } else { " AND NOT internal" };
            let query = format!("to_tsquery('german', '{m}')");
            let matches = format!("SELECT case_id FROM case_search WHERE tsv @@ {query}{visible}");
            // The planner's estimate only changes with the cases, so it is asked once per word
            // and change of the cases.
            let share = *SHARES.get_or(matches.clone(), versions.stamp(Depends::CasesPeopleAndReference), || pg_match_share(db, &matches, visible)).await?;
            let sql = if share >= WALK_SHARE {
                // A frequent word: walking the cases newest first finds the page and the capped
                // count after a few rows each, which the planner chooses for the plain semi-join.
                format!("id IN ({matches})")
            } else {
                // A rarer word: its matches come from the GIN index first (migration m0005).
                format!("id IN (SELECT case_search_ids({query}, {internal}))")
            };
            Expr::cust(sql)
        }
    };
    Ok(Some(cond.add(expr)))
}

fn bad(e: &mut BTreeMap<String, Vec<String>>, field: &str, msg: String) {
    e.entry(field.to_string()).or_default().push(msg);
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The `since` value: new since the caller's sign-in before the current one.
pub const SINCE_LAST_SIGN_IN: &str = "last_sign_in";

/// The filter as a condition within the caller's scope.
async fn condition(db: &impl ConnectionTrait, versions: &Versions, dir: &Directory, scope: &Scope, user: &CurrentUser, f: &CaseFilter, now: DateTime<Utc>) -> Result<Condition, AppError> {
    let mut cond = Condition::all();
    match scope {
        Scope::Land | Scope::Admin => {}
        Scope::Municipal { org_ids } => cond = cond.add(support_case::Column::OrganisationId.is_in(org_ids.iter().cloned())),
        // A partner organisation's people: the cases shared with it, no other.
        Scope::Partner { org_ids } => cond = cond.add(support_case::Column::PartnerOrgId.is_in(org_ids.iter().cloned())),
        Scope::Public => return Err(AppError::Unauthorized),
        Scope::Association { .. } => return Err(AppError::Forbidden),
    }
    let internal = crate::access::policy::sees_internal(scope);
    let mut e = BTreeMap::new();
    let view = nonempty(&f.view).unwrap_or("open");
    match PresetView::from_code(view) {
        Some(PresetView::Mine) if internal => cond = cond.add(support_case::Column::OwnerId.eq(&user.id)).add(support_case::Column::Status.ne("closed")),
        Some(PresetView::Mine) => cond = cond.add(support_case::Column::CreatedBy.eq(&user.id)),
        Some(PresetView::Unassigned) if internal => cond = cond.add(support_case::Column::OwnerId.is_null()).add(support_case::Column::Status.ne("closed")),
        Some(clock @ (PresetView::Overdue | PresetView::DueSoon)) if internal => {
            let settings = &dir.settings;
            let running = support_case::Column::Status.is_in(RUNNING);
            use support_case::Column as C;
            // A deadline counts while its answer is owed (first response, follow-up) or the
            // case is unsolved (resolution, which `running` already says).
            let owed_first = || Condition::all().add(C::FirstResponseAt.is_null());
            let owed_followup = || Condition::all().add(C::FollowupDueAt.is_not_null()).add(C::FollowupAnsweredAt.is_null());
            if clock == PresetView::Overdue {
                cond = cond.add(running).add(
                    Condition::any()
                        .add(owed_first().add(C::ResponseDueAt.lt(now)))
                        .add(owed_followup().add(C::FollowupDueAt.lt(now)))
                        .add(C::ResolutionDueAt.lt(now)),
                );
            } else {
                let soon = settings.calendar.add_minutes(now, DUE_SOON_MINUTES);
                cond = cond
                    .add(running)
                    .add(C::ResolutionDueAt.gte(now))
                    .add(Condition::any().add(C::FirstResponseAt.is_not_null()).add(C::ResponseDueAt.gte(now)))
                    .add(Condition::any().add(owed_followup().not()).add(C::FollowupDueAt.gte(now)))
                    .add(
                        Condition::any()
                            .add(owed_first().add(C::ResponseDueAt.lte(soon)))
                            .add(owed_followup().add(C::FollowupDueAt.lte(soon)))
                            .add(C::ResolutionDueAt.lte(soon)),
                    );
            }
        }
        Some(PresetView::Waiting) => cond = cond.add(support_case::Column::Status.eq("waiting")),
        Some(PresetView::All) => {}
        Some(PresetView::Open) => cond = cond.add(support_case::Column::Status.ne("closed")),
        _ if internal => bad(&mut e, "view", format!("Die Ansicht »{view}« gibt es nicht.")),
        _ => cond = cond.add(support_case::Column::Status.ne("closed")),
    }
    if let Some(s) = nonempty(&f.status) {
        let mut codes = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match CaseStatus::from_code(part) {
                Some(st) => codes.push(st.code()),
                None => bad(&mut e, "status", format!("Den Status »{part}« gibt es nicht.")),
            }
        }
        cond = cond.add(support_case::Column::Status.is_in(codes));
    }
    if let Some(c) = nonempty(&f.category) {
        match dir.category_by_code(c) {
            Some(cat) => cond = cond.add(support_case::Column::CategoryId.eq(cat.id.clone())),
            None => bad(&mut e, "category", format!("Die Kategorie »{c}« gibt es nicht.")),
        }
    }
    if let Some(m) = nonempty(&f.municipality) {
        let members = Query::select()
            .column(sea_orm::sea_query::Alias::new("id"))
            .from(sea_orm::sea_query::Alias::new("organisation"))
            .cond_where(
                Condition::any().add(Expr::col(sea_orm::sea_query::Alias::new("key")).eq(m)).add(
                    Expr::col(sea_orm::sea_query::Alias::new("verband_id")).in_subquery(
                        Query::select()
                            .column(sea_orm::sea_query::Alias::new("id"))
                            .from(sea_orm::sea_query::Alias::new("organisation"))
                            .and_where(Expr::col(sea_orm::sea_query::Alias::new("key")).eq(m))
                            .to_owned(),
                    ),
                ),
            )
            .to_owned();
        cond = cond.add(support_case::Column::OrganisationId.in_subquery(members));
    }
    if let Some(k) = nonempty(&f.kreis) {
        let in_kreis = Query::select()
            .column(sea_orm::sea_query::Alias::new("id"))
            .from(sea_orm::sea_query::Alias::new("organisation"))
            .cond_where(
                Condition::any()
                    .add(Expr::col(sea_orm::sea_query::Alias::new("kreis_key")).eq(k))
                    .add(Expr::col(sea_orm::sea_query::Alias::new("key")).eq(k)),
            )
            .to_owned();
        cond = cond.add(support_case::Column::OrganisationId.in_subquery(in_kreis));
    }
    if let Some(o) = nonempty(&f.ozg_id) {
        let with = Query::select()
            .column(sea_orm::sea_query::Alias::new("case_id"))
            .from(sea_orm::sea_query::Alias::new("case_ozg"))
            .and_where(Expr::col(sea_orm::sea_query::Alias::new("ozg_id")).eq(o))
            .to_owned();
        cond = cond.add(support_case::Column::Id.in_subquery(with));
    }
    for (field, value) in [("from", &f.from), ("to", &f.to)] {
        if let Some(d) = nonempty(value) {
            match crate::core::time::parse_day(d).ok_or(()) {
                Ok(date) if field == "from" => cond = cond.add(support_case::Column::CreatedAt.gte(berlin_midnight(date))),
                Ok(date) => cond = cond.add(support_case::Column::CreatedAt.lt(berlin_midnight(date.succ_opt().unwrap_or(date)))),
                Err(_) => bad(&mut e, field, format!("»{d}« ist kein Datum (TT.MM.JJJJ).")),
            }
        }
    }
    match nonempty(&f.since) {
        None => {}
        Some(SINCE_LAST_SIGN_IN) => {
            // The sign-in before the current one; at the first, the account's creation.
            let me = crate::core::entities::app_user::Entity::find_by_id(user.id.clone()).one(db).await?;
            if let Some(since) = me.map(|u| u.previous_login_at.unwrap_or(u.created_at)) {
                cond = cond.add(support_case::Column::CreatedAt.gt(since));
            }
        }
        Some(s) => bad(&mut e, "since", format!("»{s}« ist kein bekannter Zeitraum (möglich: {SINCE_LAST_SIGN_IN}).")),
    }
    // The advisors' fields filter only in the advisors' view.
    if internal {
        if let Some(p) = nonempty(&f.priority) {
            match Priority::from_code(p) {
                Some(p) => cond = cond.add(support_case::Column::Priority.eq(p.code())),
                None => bad(&mut e, "priority", format!("Die Priorität »{p}« gibt es nicht.")),
            }
        }
        match nonempty(&f.team) {
            Some("none") => cond = cond.add(support_case::Column::TeamId.is_null()),
            Some(t) => cond = cond.add(support_case::Column::TeamId.eq(t)),
            None => {}
        }
        match nonempty(&f.owner) {
            Some("none") => cond = cond.add(support_case::Column::OwnerId.is_null()),
            Some("me") => cond = cond.add(support_case::Column::OwnerId.eq(&user.id)),
            Some(o) => cond = cond.add(support_case::Column::OwnerId.eq(o)),
            None => {}
        }
        if let Some(t) = nonempty(&f.tag) {
            let escaped = t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            cond = cond.add(Expr::col(support_case::Column::Tags).like(LikeExpr::new(format!("%,{escaped},%")).escape('\\')));
        }
    }
    if let Some(q) = nonempty(&f.q)
        && let Some(t) = text_condition(db, versions, q, internal).await?
    {
        cond = cond.add(t);
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    Ok(cond)
}

/// How a filter is read: whether it sees internal fields, searches words, holds the clock, and
/// its order.
struct Reading<'a> {
    internal: bool,
    searching: bool,
    timed: bool,
    sort: Option<&'a str>,
}

fn reading<'a>(scope: &Scope, f: &'a CaseFilter) -> Reading<'a> {
    let internal = crate::access::policy::sees_internal(scope);
    let searching = nonempty(&f.q).is_some_and(|q| !search_terms(q).is_empty());
    let sort = nonempty(&f.sort).or(if searching { Some("created") } else { None });
    // Views whose condition holds the clock (overdue, due soon) also change without any write:
    // when the clock passes a deadline. They are kept with the span of time they hold for.
    let timed = internal && nonempty(&f.view).and_then(PresetView::from_code).is_some_and(PresetView::holds_the_clock);
    Reading { internal, searching, timed, sort }
}

/// What a view on deadlines is kept under: its viewer (the view "mine" and the sign-in filter
/// read them) and the filter; the start pages' lines and the inbox share it.
fn timed_key(user: &CurrentUser, scope: &Scope, f: &CaseFilter) -> String {
    format!("{}|{scope:?}|{f:?}", user.id)
}

/// How many cases match a filter (the inbox's count, kept as the inbox keeps it), without
/// reading a page: for the start pages' lines, whose counts then hold while notes and replies
/// leave the set of cases as it was.
#[tracing::instrument(skip_all)]
pub async fn total(db: &(impl ConnectionTrait + TransactionTrait), scope: &Scope, user: &CurrentUser, f: &CaseFilter, now: DateTime<Utc>) -> Result<u64, AppError> {
    let versions = user.data_versions(db).await?;
    let dir = directory::get(db, &versions).await?;
    let r = reading(scope, f);
    if r.searching {
        return Ok(found(db, &versions, &dir, scope, user, f, now).await?.paging.total);
    }
    let cond = condition(db, &versions, &dir, scope, user, f, now).await?;
    if r.timed {
        Ok(matches::timed_count(db, &versions, &dir, &timed_key(user, scope, f), &cond, now).await?.0)
    } else {
        matches::count(db, &versions, r.internal, &cond).await
    }
}

/// The matching ids of the requested page and their count, kept per data version (and, for the
/// views that hold the clock, for the span of time they hold for).
async fn found(db: &(impl ConnectionTrait + TransactionTrait), versions: &Versions, dir: &Arc<Directory>, scope: &Scope, user: &CurrentUser, f: &CaseFilter, now: DateTime<Utc>) -> Result<Arc<Found>, AppError> {
    let cond = condition(db, versions, dir, scope, user, f, now).await?;
    let Reading { internal, searching, timed, sort } = reading(scope, f);
    let found = if timed && !searching {
        // Which cases are overdue or due soon moves with the set of cases and with the clock
        // (kept for the span it holds); their order moves with every change (a note included).
        let key = timed_key(user, scope, f);
        let (total, from) = matches::timed_count(db, versions, dir, &key, &cond, now).await?;
        // Within one span the same cases match, whenever the page is read.
        let page_key = format!("timed|{key}|{total}|{from}|{sort:?}|{:?}", f.page);
        FOUND.get_or(page_key, versions.stamp(Depends::CasesPeopleAndReference), || matches::page(db, cond, sort, internal, f.page, total)).await?
    } else if timed {
        // A search in a view on deadlines: its words change with every message, its cases with
        // the clock; rare enough to be read afresh.
        Arc::new(matches::find(db, cond, sort, searching, internal, f.page).await?)
    } else {
        let condition = matches::key_of(&cond);
        if searching {
            // The words of a search live in the messages, which every note changes.
            let key = format!("{internal}|{searching}|{sort:?}|{:?}|{condition}", f.page);
            FOUND.get_or(key, versions.stamp(Depends::CasesPeopleAndReference), || matches::find(db, cond, sort, searching, internal, f.page)).await?
        } else {
            // The count holds while the set of cases stands; the page's order moves with every
            // change, a note included.
            let total = matches::count(db, versions, internal, &cond).await?;
            let key = format!("{internal}|{sort:?}|{:?}|{total}|{condition}", f.page);
            FOUND.get_or(key, versions.stamp(Depends::CasesPeopleAndReference), || matches::page(db, cond, sort, internal, f.page, total)).await?
        }
    };
    Ok(found)
}

/// The rows of an inbox page, in the page's order, with the OZG-Leistungen they name. Kept under
/// the counter that every change of a case or of its OZG-Leistungen moves (a trigger on both
/// tables), so everyone reading the same page shares one read of its rows; what differs by viewer
/// (the read markers, the clock's deadlines) is added per request.
static ROWS: Memo<Vec<i64>, PageRows> = Memo::new(64);

struct PageRows {
    rows: Vec<support_case::Model>,
    ozg: Arc<HashMap<i64, Vec<String>>>,
}

async fn page_rows(db: &impl ConnectionTrait, ids: &[i64]) -> Result<PageRows, AppError> {
    let mut rows = support_case::Entity::find().filter(support_case::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    let position: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|r| position.get(&r.id).copied().unwrap_or(usize::MAX));
    let ozg = Arc::new(crate::cases::service::ozg_of(db, ids).await?);
    Ok(PageRows { rows, ozg })
}

/// One page of the inbox.
#[tracing::instrument(skip_all)]
pub async fn list(db: &(impl ConnectionTrait + TransactionTrait), scope: &Scope, user: &CurrentUser, f: &CaseFilter, now: DateTime<Utc>) -> Result<CasePage, AppError> {
    let versions = user.data_versions(db).await?;
    let dir = directory::get(db, &versions).await?;
    let found = found(db, &versions, &dir, scope, user, f, now).await?;
    let internal = crate::access::policy::sees_internal(scope);
    let kept = ROWS.get_or(found.ids.clone(), versions.stamp(Depends::CasesPeopleAndReference), || page_rows(db, &found.ids)).await?;
    let lookups = Lookups::with_ozg(db, dir, kept.ozg.clone(), &found.ids, Some(&user.id)).await?;
    Ok(CasePage {
        cases: kept.rows.iter().map(|r| lookups.case(r, internal, now)).collect(),
        total: found.paging.total,
        total_capped: found.capped,
        page: found.paging.page as u32,
        pages: found.paging.pages as u32,
        per_page: PER_PAGE,
    })
}

/// The ids of the cases matching a filter, at most `limit` (for bulk actions on all results).
#[tracing::instrument(skip_all)]
pub async fn matching_ids(db: &impl ConnectionTrait, scope: &Scope, user: &CurrentUser, f: &CaseFilter, now: DateTime<Utc>, limit: u64) -> Result<Vec<i64>, AppError> {
    // Current versions, not the request's: a bulk action acts on what matches now.
    let versions = crate::core::versions::current(db).await?;
    let dir = directory::get(db, &versions).await?;
    let cond = condition(db, &versions, &dir, scope, user, f, now).await?;
    Ok(support_case::Entity::find()
        .select_only()
        .column(support_case::Column::Id)
        .filter(cond)
        .order_by_asc(support_case::Column::Id)
        .limit(limit)
        .into_tuple::<i64>()
        .all(db)
        .await?)
}
