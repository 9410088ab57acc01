//! The response rate of a survey per Kreis and kind of Kommune (`survey_rate`): counted when
//! the survey is released, moved by each submit and reopen in their transaction, so the Land's
//! results never count the asked Kommunen afresh.

use crate::core::db::{exec, read};
use crate::core::entities::organisation;
use crate::error::AppError;
use crate::identity::OrgKind;
use crate::surveys::model::ResponseState;
use crate::surveys::results::RateRow;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter};
use std::collections::{BTreeMap, HashMap};

/// Counts the rate afresh from whom the survey asks and who submitted.
pub async fn rebuild(db: &impl ConnectionTrait, survey_id: i64) -> Result<(), AppError> {
    exec(db, "DELETE FROM survey_rate WHERE survey_id = ?", vec![survey_id.into()]).await?;
    exec(
        db,
        "INSERT INTO survey_rate (survey_id, kreis_key, kind, asked, submitted) \
         SELECT t.survey_id, COALESCE(o.kreis_key, o.key), o.kind, COUNT(*), SUM(CASE WHEN r.state = ? THEN 1 ELSE 0 END) \
         FROM survey_target t JOIN organisation o ON o.id = t.organisation_id \
         LEFT JOIN survey_response r ON r.survey_id = t.survey_id AND r.organisation_id = t.organisation_id \
         WHERE t.survey_id = ? GROUP BY t.survey_id, COALESCE(o.kreis_key, o.key), o.kind",
        vec![ResponseState::Submitted.code().into(), survey_id.into()],
    )
    .await?;
    Ok(())
}

/// One Kommune's answer was submitted (`delta` 1) or reopened (-1).
pub async fn step(txn: &impl ConnectionTrait, survey_id: i64, org: &organisation::Model, delta: i64) -> Result<(), AppError> {
    let kreis = org.kreis_key.clone().unwrap_or_else(|| org.key.clone());
    exec(txn, "UPDATE survey_rate SET submitted = submitted + ? WHERE survey_id = ? AND kreis_key = ? AND kind = ?", vec![delta.into(), survey_id.into(), kreis.into(), org.kind.clone().into()]).await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct Cell {
    kreis_key: String,
    kind: String,
    asked: i64,
    submitted: i64,
}

/// The rate per Kreis (by name) and per kind of Kommune.
pub async fn read_rates(db: &impl ConnectionTrait, survey_id: i64) -> Result<(Vec<RateRow>, Vec<RateRow>), AppError> {
    let cells: Vec<Cell> = read(db, "SELECT kreis_key, kind, asked, submitted FROM survey_rate WHERE survey_id = ?", vec![survey_id.into()]).await?;
    let mut kreise: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut kinds: BTreeMap<usize, (i64, i64)> = BTreeMap::new();
    for c in &cells {
        let k = kreise.entry(c.kreis_key.clone()).or_default();
        k.0 += c.asked;
        k.1 += c.submitted;
        let k = kinds.entry(OrgKind::ALL.iter().position(|k| k.code() == c.kind).unwrap_or(0)).or_default();
        k.0 += c.asked;
        k.1 += c.submitted;
    }
    let keys: Vec<String> = kreise.keys().cloned().collect();
    let mut names: HashMap<String, String> = HashMap::new();
    for chunk in keys.chunks(500) {
        names.extend(organisation::Entity::find().filter(organisation::Column::Key.is_in(chunk.to_vec())).all(db).await?.into_iter().map(|o| (o.key, o.name)));
        // A kreisfreie Stadt is its own Kreis: its row bears its name.
        let cities = organisation::Entity::find().filter(organisation::Column::Kind.eq(OrgKind::KreisfreieStadt.code())).filter(organisation::Column::KreisKey.is_in(chunk.to_vec())).all(db).await?;
        names.extend(cities.into_iter().filter_map(|o| Some((o.kreis_key?, o.name))));
    }
    let mut by_kreis: Vec<RateRow> = kreise.into_iter().map(|(k, (asked, submitted))| RateRow { label: names.get(&k).cloned().unwrap_or(k), asked, submitted }).collect();
    by_kreis.sort_by(|a, b| a.label.cmp(&b.label));
    let by_kind = kinds.into_iter().map(|(k, (asked, submitted))| RateRow { label: OrgKind::ALL[k].plural().to_string(), asked, submitted }).collect();
    Ok((by_kreis, by_kind))
}

#[derive(FromQueryResult)]
struct Totals {
    asked: Option<i64>,
    submitted: Option<i64>,
}

/// (asked, submitted) over Kommunen of some kinds (`None`: all).
pub async fn totals(db: &impl ConnectionTrait, survey_id: i64, kinds: Option<&[OrgKind]>) -> Result<(i64, i64), AppError> {
    let mut values: Vec<sea_orm::Value> = vec![survey_id.into()];
    let mut sql = "SELECT CAST(SUM(asked) AS BIGINT) AS asked, CAST(SUM(submitted) AS BIGINT) AS submitted FROM survey_rate WHERE survey_id = ?".to_string();
    if let Some(k) = kinds {
        sql.push_str(&format!(" AND kind IN ({})", vec!["?"; k.len().max(1)].join(", ")));
        values.extend(k.iter().map(|k| k.code().into()));
        if k.is_empty() {
            values.push("".into());
        }
    }
    let t: Vec<Totals> = read(db, &sql, values).await?;
    Ok(t.first().map(|t| (t.asked.unwrap_or(0), t.submitted.unwrap_or(0))).unwrap_or((0, 0)))
}
