//! A Kommune's digitalisation stage over time, replayed from the register's history: for each
//! month, the state of every record at the end of that month (Europe/Berlin).

use crate::core::entities::{ozg_service, service_record_history};
use crate::access::scope::Scope;
use crate::error::AppError;
use crate::register::model::{FieldChange, MonthFigure, Progress};
use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{HashMap, HashSet};

pub const MAX_MONTHS: usize = 60;

/// The first instant of the month after `(year, month)` in Berlin, in UTC.
pub fn month_end(year: i32, month: u32) -> chrono::DateTime<Utc> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    let first = NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default();
    Berlin.from_local_datetime(&first).earliest().map(|t| t.with_timezone(&Utc)).unwrap_or_else(|| Utc.from_utc_datetime(&first))
}

/// The last `months` months up to and including the one containing `today`, oldest first.
pub fn month_list(today: NaiveDate, months: usize) -> Vec<(i32, u32)> {
    let mut out = Vec::with_capacity(months);
    let (mut y, mut m) = (today.year(), today.month());
    for _ in 0..months {
        out.push((y, m));
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    out.reverse();
    out
}

#[derive(Clone, Default)]
struct State {
    online: bool,
    model: Option<String>,
    level: Option<i16>,
}

impl State {
    fn compliant(&self) -> bool {
        self.model.as_deref() == Some("1.1") && self.level.is_some_and(|l| l >= 3)
    }
}

/// Replays `(ozg_id, changed_at, changes)` (ordered by time) into month-end counts.
pub fn replay(entries: &[(String, chrono::DateTime<Utc>, Vec<FieldChange>)], in_catalogue: &HashSet<String>, months: &[(i32, u32)]) -> Vec<MonthFigure> {
    let mut state: HashMap<&str, State> = HashMap::new();
    let mut i = 0;
    let mut out = Vec::with_capacity(months.len());
    for &(y, m) in months {
        let end = month_end(y, m);
        while i < entries.len() && entries[i].1 < end {
            let (ozg, _, changes) = &entries[i];
            let s = state.entry(ozg.as_str()).or_default();
            for c in changes {
                match c.field.as_str() {
                    "stage" => s.online = c.new.as_deref() == Some("online"),
                    "maturity_model" => s.model = c.new.clone(),
                    "maturity_level" => s.level = c.new.as_deref().and_then(|l| l.parse().ok()),
                    _ => {}
                }
            }
            i += 1;
        }
        let counted = state.iter().filter(|(k, _)| in_catalogue.contains(**k));
        let (mut online, mut compliant) = (0, 0);
        for (_, s) in counted {
            online += usize::from(s.online);
            compliant += usize::from(s.compliant());
        }
        out.push(MonthFigure { month: format!("{y:04}-{m:02}"), online, compliant });
    }
    out
}

/// The progress of one Kommune over the last `months` months (1–60).
#[tracing::instrument(skip_all)]
pub async fn of_kommune(db: &impl ConnectionTrait, scope: &Scope, key: &str, months: usize) -> Result<Progress, AppError> {
    let org = crate::register::service::kommune(db, key).await?;
    crate::access::policy::kommune_read(scope, &org.id)?;
    // Read before the data they label (see `core::versions`).
    let versions = crate::core::versions::current(db).await?;
    let in_catalogue: HashSet<String> = ozg_service::Entity::find()
        .select_only()
        .column(ozg_service::Column::OzgId)
        .filter(ozg_service::Column::InCatalogue.eq(true))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    for_org(db, &versions, &org.id, &in_catalogue, months).await
}

/// The progress of the organisation `org_id` (access already checked) for the OZG-Leistungen
/// `in_catalogue`.
#[tracing::instrument(skip_all)]
pub async fn for_org(db: &impl ConnectionTrait, versions: &crate::core::versions::Versions, org_id: &str, in_catalogue: &HashSet<String>, months: usize) -> Result<Progress, AppError> {
    let months = months.clamp(1, MAX_MONTHS);
    let today = Utc::now().with_timezone(&Berlin).date_naive();
    // Kept per Kommune, day and catalogue while the register stands (the catalogue's ids are part
    // of the key through their number: the reference counter moves when they change).
    let key = (org_id.to_string(), months, today);
    let progress = PROGRESS
        .get_or(key, versions.stamp(crate::core::versions::Depends::RegisterAndReference), || async {
            let rows: Vec<(String, chrono::DateTime<Utc>, String)> = service_record_history::Entity::find()
                .select_only()
                .column(service_record_history::Column::OzgId)
                .column(service_record_history::Column::ChangedAt)
                .column(service_record_history::Column::Changes)
                .filter(service_record_history::Column::OrganisationId.eq(org_id))
                .order_by_asc(service_record_history::Column::ChangedAt)
                .order_by_asc(service_record_history::Column::Id)
                .into_tuple()
                .all(db)
                .await?;
            let entries: Vec<_> = rows
                .into_iter()
                .map(|(ozg, at, changes)| (ozg, at, serde_json::from_str::<Vec<FieldChange>>(&changes).unwrap_or_default()))
                .collect();
            Ok::<_, AppError>(Progress { catalogue: in_catalogue.len(), months: replay(&entries, in_catalogue, &month_list(today, months)) })
        })
        .await?;
    Ok(progress.as_ref().clone())
}

/// Progress by (Kommune, months, day).
static PROGRESS: crate::core::versions::Memo<(String, usize, chrono::NaiveDate), Progress> = crate::core::versions::Memo::new(512);

#[cfg(test)]
// Test code only: a failing `expect` is the test failing, with its message.
mod tests {
    use super::*;

    fn change(field: &str, new: &str) -> FieldChange {
        FieldChange { field: field.into(), old: None, new: Some(new.into()) }
    }

    #[test]
    fn months_run_back_across_the_year() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 10).expect("date");
        assert_eq!(month_list(d, 3), vec![(2025, 12), (2026, 1), (2026, 2)]);
    }

    #[test]
    fn replay_counts_the_state_at_each_month_end_in_berlin_time() {
        let catalogue: HashSet<String> = ["10000".to_string(), "10001".to_string()].into();
        // 31.01.2026 23:30 Berlin is 22:30 UTC: still January.
        let jan_late = Utc.with_ymd_and_hms(2026, 1, 31, 22, 30, 0).single().expect("time");
        // 31.01.2026 23:30 UTC is 01.02. 00:30 in Berlin: February.
        let feb_early = Utc.with_ymd_and_hms(2026, 1, 31, 23, 30, 0).single().expect("time");
        let march = Utc.with_ymd_and_hms(2026, 3, 5, 9, 0, 0).single().expect("time");
        let entries = vec![
            ("10000".to_string(), jan_late, vec![change("stage", "online"), change("maturity_model", "1.1"), change("maturity_level", "3")]),
            ("10001".to_string(), feb_early, vec![change("stage", "online"), change("maturity_model", "2.0"), change("maturity_level", "5")]),
            ("99999".to_string(), feb_early, vec![change("stage", "online")]),
            ("10000".to_string(), march, vec![change("stage", "discontinued")]),
        ];
        let f = replay(&entries, &catalogue, &[(2025, 12), (2026, 1), (2026, 2), (2026, 3)]);
        let got: Vec<(usize, usize)> = f.iter().map(|m| (m.online, m.compliant)).collect();
        // A 2.0 rating is not counted as compliant in model 1.1 terms; a service no longer in
        // the catalogue is not counted at all.
        assert_eq!(got, vec![(0, 0), (1, 1), (2, 1), (1, 1)]);
        assert_eq!(f[1].month, "2026-01");
    }
}
