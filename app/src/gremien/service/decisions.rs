//! Decisions: numbered per body and year without gap or twin (the year's counter row is taken
//! in the deciding transaction), read by whom their visibility and their body's name, searched
//! in one register, and published as open data and a feed where both body and decision are
//! public.

use super::{Reader, memberships_of, runnable};
use crate::core::audit::{self, Entry};
use crate::core::fulltext::Index;
use crate::core::entities::{gremium, gremium_decision, gremium_decision_counter, gremium_meeting};
use crate::error::AppError;
use crate::gremien::model::{BODY_DECISIONS, DecisionInput, DecisionRegister, DecisionView, REGISTER_PAGE_SIZE};
use crate::vocabulary::audit::AuditAction;
use crate::vocabulary::gremien::{BodyVisibility, DecisionVisibility, MemberRole};
use chrono::{DateTime, Datelike, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// The decisions' full-text index (m0045): title and text as a reader sees them.
pub const DECISIONS: Index = Index { fts: "decision_fts", table: "decision_search", key: "decision_id", ids: "decision_search_ids", outer: "gremium_decision.id" };

/// The meetings decisions were taken in, in words, by meeting id.
async fn meetings(db: &impl ConnectionTrait, rows: &[gremium_decision::Model]) -> Result<HashMap<i64, String>, AppError> {
    let ids: Vec<i64> = rows.iter().filter_map(|d| d.meeting_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(gremium_meeting::Entity::find()
        .filter(gremium_meeting::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, format!("{} am {}", m.title, crate::core::time::berlin_date(m.starts_at))))
        .collect())
}

/// The decision as pages show it; `rich`: with its text formatted (a list shows no text).
fn view_of(d: gremium_decision::Model, body: &str, meetings: &HashMap<i64, String>, rich: bool) -> DecisionView {
    DecisionView {
        meeting: d.meeting_id.and_then(|m| meetings.get(&m).cloned()),
        id: d.id,
        gremium_id: d.gremium_id,
        gremium: body.to_string(),
        year: d.year,
        number: d.number,
        reference: format!("Beschluss {}/{}", d.number, d.year),
        title: d.title,
        rich: if rich { crate::core::markdown::parse(&d.text) } else { Default::default() },
        text: d.text,
        decided_on: d.decided_on.format("%Y-%m-%d").to_string(),
        votes_yes: d.votes_yes,
        votes_no: d.votes_no,
        votes_abstain: d.votes_abstain,
        visibility: d.visibility,
    }
}

/// Records a decision of the body under the next number of its year. Returns its id.
#[tracing::instrument(skip_all)]
pub async fn record(db: &DatabaseConnection, who: Reader<'_>, gremium_id: i64, i: DecisionInput, now: DateTime<Utc>) -> Result<i64, AppError> {
    let (body, _) = runnable(db, who, gremium_id).await?;
    if !i.visibility.fits(body.visibility) {
        return Err(AppError::field(
            "visibility",
            format!("Das Gremium ist »{}« sichtbar; ein Beschluss kann nicht weiter reichen als das Gremium selbst.", body.visibility.label()),
        ));
    }
    if let Some(m) = i.meeting {
        gremium_meeting::Entity::find_by_id(m).filter(gremium_meeting::Column::GremiumId.eq(gremium_id)).one(db).await?.ok_or_else(|| AppError::field("meeting", "Diese Sitzung gehört nicht zu diesem Gremium."))?;
    }
    let year = i.decided_on.year();
    let txn = crate::core::db::begin_write(db).await?;
    // The year's counter: created once (a second creator waits for the first and does nothing),
    // then moved by one. The moved row stays taken until this transaction ends, so a parallel
    // decision of the same body waits and takes the next number; a failed one gives its back.
    gremium_decision_counter::Entity::insert(gremium_decision_counter::ActiveModel { gremium_id: Set(gremium_id), year: Set(year), last: Set(0) })
        .on_conflict(OnConflict::columns([gremium_decision_counter::Column::GremiumId, gremium_decision_counter::Column::Year]).do_nothing().to_owned())
        .exec_without_returning(&txn)
        .await?;
    gremium_decision_counter::Entity::update_many()
        .col_expr(gremium_decision_counter::Column::Last, Expr::col(gremium_decision_counter::Column::Last).add(1))
        .filter(gremium_decision_counter::Column::GremiumId.eq(gremium_id))
        .filter(gremium_decision_counter::Column::Year.eq(year))
        .exec(&txn)
        .await?;
    let number = gremium_decision_counter::Entity::find_by_id((gremium_id, year)).one(&txn).await?.ok_or(AppError::Internal)?.last;
    let row = gremium_decision::ActiveModel {
        gremium_id: Set(gremium_id),
        year: Set(year),
        number: Set(number),
        title: Set(i.title),
        text: Set(i.text),
        decided_on: Set(i.decided_on),
        meeting_id: Set(i.meeting),
        votes_yes: Set(i.votes[0]),
        votes_no: Set(i.votes[1]),
        votes_abstain: Set(i.votes[2]),
        visibility: Set(i.visibility),
        created_by: Set(who.user_id.map(str::to_string)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::core::fulltext::write(&txn, &DECISIONS, row.id, &format!("{}\n{}", row.title, crate::core::markdown::parse(&row.text).plain())).await?;
    let object = format!("gremium:{gremium_id}");
    audit::record(&txn, Entry { actor: who.user_id, action: AuditAction::DecisionRecorded, object: Some(&object), detail: Some(format!("Beschluss {number}/{year}")), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// What of a body's decisions the caller reads: every one for members and administrators,
/// otherwise the visibilities their scope reaches.
fn allowed(who: Reader<'_>, role: Option<MemberRole>) -> Vec<DecisionVisibility> {
    DecisionVisibility::ALL.iter().copied().filter(|v| crate::access::policy::decision_readable(who.scope, *v, role)).collect()
}

/// The newest of a body's decisions the caller reads (the caller reads the body), with how many
/// they read in all; the register lists every one.
pub async fn of_body(db: &impl ConnectionTrait, who: Reader<'_>, body: &gremium::Model, role: Option<MemberRole>) -> Result<(Vec<DecisionView>, u64), AppError> {
    let readable = Condition::all().add(gremium_decision::Column::GremiumId.eq(body.id)).add(gremium_decision::Column::Visibility.is_in(allowed(who, role)));
    let rows = gremium_decision::Entity::find()
        .filter(readable.clone())
        .order_by_desc(gremium_decision::Column::Year)
        .order_by_desc(gremium_decision::Column::Number)
        .limit(BODY_DECISIONS)
        .all(db)
        .await?;
    let total = if (rows.len() as u64) < BODY_DECISIONS { rows.len() as u64 } else { gremium_decision::Entity::find().filter(readable).count(db).await? };
    let m = meetings(db, &rows).await?;
    Ok((rows.into_iter().map(|d| view_of(d, &body.name, &m, false)).collect(), total))
}

/// The bodies the caller reads, with the condition on decisions they may read in them: one
/// `body IN (…) AND visibility IN (…)` per set of readable visibilities (at most one per role in
/// a body and one for non-members), which the database answers from its indexes, rather than
/// one alternative per body.
async fn reach(db: &impl ConnectionTrait, who: Reader<'_>) -> Result<(HashMap<i64, String>, Condition), AppError> {
    let mine: HashMap<i64, MemberRole> = memberships_of(db, who.user_id).await?.into_iter().collect();
    let mut names = HashMap::new();
    let mut groups: Vec<(Vec<DecisionVisibility>, Vec<i64>)> = Vec::new();
    for b in gremium::Entity::find().all(db).await? {
        let role = mine.get(&b.id).copied();
        if crate::access::policy::body_read(who.scope, b.visibility, role).is_err() {
            continue;
        }
        let allowed = allowed(who, role);
        if !allowed.is_empty() {
            match groups.iter_mut().find(|(v, _)| *v == allowed) {
                Some((_, ids)) => ids.push(b.id),
                None => groups.push((allowed, vec![b.id])),
            }
        }
        names.insert(b.id, b.name);
    }
    let mut cond = Condition::any();
    for (allowed, ids) in groups {
        cond = cond.add(Condition::all().add(gremium_decision::Column::GremiumId.is_in(ids)).add(gremium_decision::Column::Visibility.is_in(allowed)));
    }
    // With no decision in reach, nothing matches.
    if cond.is_empty() {
        cond = cond.add(gremium_decision::Column::Id.eq(-1));
    }
    Ok((names, cond))
}

/// The register's filter as the page sends it.
#[derive(Debug, Clone, Default)]
pub struct RegisterFilter {
    pub search: String,
    pub gremium: Option<i64>,
    pub year: Option<i32>,
    pub page: u64,
}

/// The decisions the caller may read, searched and filtered, newest first.
#[tracing::instrument(skip_all)]
pub async fn register(db: &impl ConnectionTrait, who: Reader<'_>, f: &RegisterFilter) -> Result<DecisionRegister, AppError> {
    let (names, reach) = reach(db, who).await?;
    let mut cond = Condition::all().add(reach.clone());
    if let Some(g) = f.gremium {
        cond = cond.add(gremium_decision::Column::GremiumId.eq(g));
    }
    if let Some(y) = f.year {
        cond = cond.add(gremium_decision::Column::Year.eq(y));
    }
    if let Some(words) = crate::core::fulltext::condition(db.get_database_backend(), &DECISIONS, &f.search) {
        cond = cond.add(words);
    }
    let matching = gremium_decision::Entity::find().filter(cond.clone()).count(db).await?;
    let paging = crate::vocabulary::paging::Paging::of(Ord::max(f.page, 1), REGISTER_PAGE_SIZE, matching);
    let rows = gremium_decision::Entity::find()
        .filter(cond)
        .order_by_desc(gremium_decision::Column::DecidedOn)
        .order_by_desc(gremium_decision::Column::Id)
        .offset(paging.offset())
        .limit(REGISTER_PAGE_SIZE)
        .all(db)
        .await?;
    let mut years: Vec<i32> = gremium_decision::Entity::find().filter(reach).select_only().column(gremium_decision::Column::Year).distinct().into_tuple::<i32>().all(db).await?;
    years.sort_unstable_by(|a, b| b.cmp(a));
    let m = meetings(db, &rows).await?;
    let mut bodies: Vec<(i64, String)> = names.iter().map(|(id, n)| (*id, n.clone())).collect();
    bodies.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(DecisionRegister {
        items: rows.into_iter().map(|d| { let n = names.get(&d.gremium_id).cloned().unwrap_or_default(); view_of(d, &n, &m, false) }).collect(),
        matching,
        page: paging.page,
        pages: paging.pages,
        bodies,
        years,
    })
}

/// One decision the caller may read.
pub async fn one(db: &impl ConnectionTrait, who: Reader<'_>, id: i64) -> Result<DecisionView, AppError> {
    let d = gremium_decision::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let (body, role) = super::readable(db, who, d.gremium_id).await?;
    if !crate::access::policy::decision_readable(who.scope, d.visibility, role) {
        // Not disclosed: a decision one may not read is not found.
        return Err(AppError::NotFound);
    }
    let m = meetings(db, std::slice::from_ref(&d)).await?;
    Ok(view_of(d, &body.name, &m, true))
}

/// Every public decision of a public body, newest first (open data, the feed).
#[tracing::instrument(skip_all)]
pub async fn public(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<DecisionView>, AppError> {
    let bodies: HashMap<i64, String> = gremium::Entity::find().filter(gremium::Column::Visibility.eq(BodyVisibility::Public)).all(db).await?.into_iter().map(|b| (b.id, b.name)).collect();
    let rows = gremium_decision::Entity::find()
        .filter(gremium_decision::Column::Visibility.eq(DecisionVisibility::Public))
        .filter(gremium_decision::Column::GremiumId.is_in(bodies.keys().copied()))
        .order_by_desc(gremium_decision::Column::DecidedOn)
        .order_by_desc(gremium_decision::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let m = meetings(db, &rows).await?;
    Ok(rows.into_iter().map(|d| { let n = bodies.get(&d.gremium_id).cloned().unwrap_or_default(); view_of(d, &n, &m, false) }).collect())
}
