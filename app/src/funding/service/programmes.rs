//! Funding programmes, kept by administrators: name, budget, funding rate, maximum per project,
//! application period. The budget's committed and disbursed sums are kept by the workflow.

use super::{exec, rows, today};
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::error::AppError;
use crate::funding::model::Programme;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::collections::BTreeMap;

const SELECT: &str = "SELECT id, name, description, budget_cents, rate_percent, max_cents, opens_on, closes_on, committed_cents, disbursed_cents, active, version FROM funding_programme";

fn of(r: &sea_orm::QueryResult) -> Result<Programme, AppError> {
    let opens: NaiveDate = r.try_get("", "opens_on")?;
    let closes: NaiveDate = r.try_get("", "closes_on")?;
    let active: bool = r.try_get("", "active")?;
    let t = today();
    Ok(Programme {
        id: r.try_get("", "id")?,
        name: r.try_get("", "name")?,
        description: r.try_get("", "description")?,
        budget_cents: r.try_get("", "budget_cents")?,
        rate_percent: r.try_get("", "rate_percent")?,
        max_cents: r.try_get("", "max_cents")?,
        opens_on: opens.format("%Y-%m-%d").to_string(),
        closes_on: closes.format("%Y-%m-%d").to_string(),
        committed_cents: r.try_get("", "committed_cents")?,
        disbursed_cents: r.try_get("", "disbursed_cents")?,
        active,
        open_now: active && opens <= t && t <= closes,
        version: r.try_get("", "version")?,
    })
}

/// Every programme (inactive ones for administrators and advisors only). Outside the Land the
/// granted and called sums are the released ones (`release`), never the live ones.
#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Programme>, AppError> {
    let all = matches!(scope, Scope::Land | Scope::Admin);
    let sql = format!("{SELECT}{} ORDER BY closes_on DESC, name", if all { "" } else { " WHERE active" });
    let mut list: Vec<Programme> = rows(db, &sql, vec![]).await?.iter().map(of).collect::<Result<_, _>>()?;
    if !all {
        let released = super::release::released(db).await?;
        for p in &mut list {
            let (c, d) = released.get(&p.id).copied().unwrap_or_default();
            p.committed_cents = c;
            p.disbursed_cents = d;
        }
    }
    Ok(list)
}

/// One programme.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Programme, AppError> {
    let list = rows(db, &format!("{SELECT} WHERE id = ?"), vec![id.into()]).await?;
    of(list.first().ok_or(AppError::NotFound)?)
}

/// A programme as submitted.
#[derive(Debug, Clone, Default)]
pub struct ProgrammeInput {
    pub name: String,
    pub description: String,
    pub budget: String,
    pub rate: String,
    pub max: String,
    pub opens_on: String,
    pub closes_on: String,
    pub active: bool,
    pub version: i32,
}

/// A checked programme: (name, description, budget, rate, max, opens, closes).
type Valid = (String, String, i64, i32, i64, NaiveDate, NaiveDate);

pub fn validate(i: &ProgrammeInput) -> Result<Valid, AppError> {
    let mut e: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut err = |f: &str, m: &str| e.entry(f.to_string()).or_default().push(m.to_string());
    let name = i.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 200 {
        err("name", "Bitte geben Sie den Namen des Programms an (höchstens 200 Zeichen).");
    }
    if i.description.chars().count() > 20_000 {
        err("description", "Die Beschreibung hat höchstens 20.000 Zeichen.");
    }
    let budget = crate::ui::format::parse_euro(&i.budget).filter(|b| *b > 0);
    if budget.is_none() {
        err("budget", "Das Budget ist ein Euro-Betrag größer null wie 7.500.000,00.");
    }
    let rate = i.rate.trim().trim_end_matches('%').trim().parse::<i32>().ok().filter(|r| (1..=100).contains(r));
    if rate.is_none() {
        err("rate", "Die Förderquote ist eine ganze Zahl von 1 bis 100 (Prozent).");
    }
    let max = crate::ui::format::parse_euro(&i.max).filter(|m| *m > 0);
    if max.is_none() {
        err("max", "Der Höchstbetrag je Vorhaben ist ein Euro-Betrag größer null.");
    }
    let opens = NaiveDate::parse_from_str(i.opens_on.trim(), "%Y-%m-%d").ok();
    let closes = NaiveDate::parse_from_str(i.closes_on.trim(), "%Y-%m-%d").ok();
    if opens.is_none() {
        err("opens_on", "Der Beginn der Antragsfrist ist ein Datum der Form JJJJ-MM-TT.");
    }
    match (opens, closes) {
        (_, None) => err("closes_on", "Das Ende der Antragsfrist ist ein Datum der Form JJJJ-MM-TT."),
        (Some(o), Some(c)) if c < o => err("closes_on", "Das Ende der Antragsfrist liegt vor ihrem Beginn."),
        _ => {}
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    Ok((name, i.description.trim().to_string(), budget.unwrap_or_default(), rate.unwrap_or_default(), max.unwrap_or_default(), opens.unwrap_or_default(), closes.unwrap_or_default()))
}

/// Creates (`id` None) or changes a programme (administrators). The budget cannot fall below
/// what is already granted. A stale version is a 409.
#[tracing::instrument(skip_all)]
pub async fn save(db: &DatabaseConnection, scope: &Scope, actor: &str, id: Option<i64>, input: &ProgrammeInput) -> Result<i64, AppError> {
    crate::access::policy::require_admin(scope)?;
    let (name, description, budget, rate, max, opens, closes) = validate(input)?;
    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(db).await?;
    let duplicate = rows(&txn, "SELECT id FROM funding_programme WHERE name = ?", vec![name.clone().into()]).await?;
    if duplicate.iter().any(|r| r.try_get::<i64>("", "id").ok() != id) {
        txn.rollback().await?;
        return Err(AppError::field("name", "Ein Programm mit diesem Namen gibt es bereits."));
    }
    let id = match id {
        None => {
            let r = rows(
                &txn,
                "INSERT INTO funding_programme (name, description, budget_cents, rate_percent, max_cents, opens_on, closes_on, committed_cents, disbursed_cents, active, demo, version, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, false, 1, ?) RETURNING id",
                vec![name.clone().into(), description.into(), budget.into(), rate.into(), max.into(), opens.into(), closes.into(), input.active.into(), now.into()],
            )
            .await?;
            r.first().ok_or(AppError::Internal)?.try_get_by_index::<i64>(0)?
        }
        Some(id) => {
            let current = get(&txn, id).await?;
            if budget < current.committed_cents {
                txn.rollback().await?;
                return Err(AppError::field("budget", format!("Bewilligt sind bereits {}; das Budget kann nicht kleiner sein.", crate::ui::format::euro(current.committed_cents))));
            }
            let n = exec(
                &txn,
                "UPDATE funding_programme SET name = ?, description = ?, budget_cents = ?, rate_percent = ?, max_cents = ?, opens_on = ?, closes_on = ?, active = ?, version = version + 1, updated_at = ? \
                 WHERE id = ? AND version = ? AND committed_cents <= ?",
                vec![name.clone().into(), description.into(), budget.into(), rate.into(), max.into(), opens.into(), closes.into(), input.active.into(), now.into(), id.into(), input.version.into(), budget.into()],
            )
            .await?;
            if n != 1 {
                txn.rollback().await?;
                return Err(AppError::Conflict("Das Programm wurde inzwischen geändert; Ihre Änderung wurde nicht gespeichert. Bitte laden Sie die Seite neu.".into()));
            }
            id
        }
    };
    audit::record(&txn, Entry { actor: Some(actor), action: "funding_programme_saved", object: Some(&id.to_string()), detail: Some(name), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(id)
}
