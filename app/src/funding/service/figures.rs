//! Funding in the Lagebild: per programme the budget with what is granted, called and free;
//! per Kreis the applications and the sum granted; per month the applications received and
//! granted. For associations and the public no single Kommune's funding can be read: a
//! programme's sums are the released ones (`release`: each release changes at least the
//! threshold of Kommunen at once), and per Kreis they read counts only, Kreise with fewer
//! applying Kommunen suppressed (and one more where needed).

use super::rows;
use crate::error::AppError;
use crate::funding::model::{FundingFigures, FundingMonth, KreisFunding, ProgrammeFigures};
use sea_orm::ConnectionTrait;

const GRANTED: &str = "('bewilligt','abruf','nachweis','abgeschlossen')";

fn definitions() -> Vec<(String, String)> {
    [
        ("bewilligt", "Die Summe der bewilligten Beträge (nach dem Abschluss eines Vorhabens nur der abgerufene Teil)."),
        ("abgerufen", "Die Summe der Mittelabrufe."),
        ("frei", "Budget abzüglich bewilligt."),
        ("Anträge", "Alle gestellten Anträge, auch abgelehnte; »bewilligt« zählt Anträge ab der Bewilligung."),
        ("Unterdrückung", "Für Verbände und die Öffentlichkeit: Die Summen eines Programms werden nur gemeinsam für mindestens so viele Kommunen fortgeschrieben, wie die Schwelle nennt; bis dahin bleibt der zuletzt veröffentlichte Stand stehen. Je Kreis erscheinen nur Anzahlen, keine Beträge; Kreise mit weniger antragstellenden Kommunen werden nicht gezeigt."),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

/// The figures; `full`: the Land's view.
#[tracing::instrument(skip_all)]
pub async fn figures(db: &impl ConnectionTrait, full: bool, threshold: i64, months: &[(i32, u32)]) -> Result<FundingFigures, AppError> {
    let list = rows(
        db,
        &format!(
            "SELECT p.id, p.name, p.budget_cents, p.committed_cents, p.disbursed_cents, \
               (SELECT COUNT(*) FROM funding_application a WHERE a.programme_id = p.id) AS applications, \
               (SELECT COUNT(*) FROM funding_application a WHERE a.programme_id = p.id AND a.status IN {GRANTED}) AS approved \
             FROM funding_programme p WHERE p.active ORDER BY p.closes_on DESC, p.name"
        ),
        vec![],
    )
    .await?;
    let released = if full { Default::default() } else { super::release::released(db).await? };
    let mut programmes = Vec::new();
    for r in &list {
        let id: i64 = r.try_get("", "id")?;
        let (budget, mut committed, mut disbursed): (i64, i64, i64) = (r.try_get("", "budget_cents")?, r.try_get("", "committed_cents")?, r.try_get("", "disbursed_cents")?);
        if !full {
            (committed, disbursed) = released.get(&id).copied().unwrap_or_default();
        }
        programmes.push(ProgrammeFigures {
            id,
            name: r.try_get("", "name")?,
            budget_cents: budget,
            committed_cents: Some(committed),
            disbursed_cents: Some(disbursed),
            free_cents: Some(budget - committed),
            applications: r.try_get("", "applications")?,
            approved: r.try_get("", "approved")?,
        });
    }
    let kreise = rows(
        db,
        &format!(
            "SELECT COALESCE(k.kreis_key, k.key) AS key, k.name, \
               (SELECT COUNT(*) FROM funding_application a WHERE a.kreis_key = COALESCE(k.kreis_key, k.key)) AS applications, \
               (SELECT COUNT(DISTINCT a.organisation_id) FROM funding_application a WHERE a.kreis_key = COALESCE(k.kreis_key, k.key)) AS applicants, \
               (SELECT CAST(COALESCE(SUM(a.approved_cents), 0) AS BIGINT) FROM funding_application a WHERE a.kreis_key = COALESCE(k.kreis_key, k.key) AND a.status IN {GRANTED}) AS approved \
             FROM organisation k WHERE k.kind IN ('landkreis', 'kreisfreie_stadt') AND k.active ORDER BY 1"
        ),
        vec![],
    )
    .await?;
    let mut cells: Vec<(i64, bool)> = kreise.iter().map(|r| Ok((r.try_get::<i64>("", "applicants")?, true))).collect::<Result<_, AppError>>()?;
    if !full {
        crate::rollout::service::figures::suppress(&mut cells, threshold);
    }
    let mut kreis_rows = Vec::new();
    for (r, (_, shown)) in kreise.iter().zip(&cells) {
        kreis_rows.push(KreisFunding {
            kreis: r.try_get("", "key")?,
            name: r.try_get("", "name")?,
            applications: if *shown { Some(r.try_get("", "applications")?) } else { None },
            approved_cents: if *shown && full { Some(r.try_get("", "approved")?) } else { None },
        });
    }
    let received = rows(db, "SELECT created_at FROM funding_application", vec![]).await?;
    let granted = rows(db, "SELECT at FROM funding_step WHERE action = 'bewilligen'", vec![]).await?;
    let month = |t: chrono::DateTime<chrono::Utc>| crate::rollout::service::rollup::month_of(t);
    let mut per: std::collections::BTreeMap<String, (i64, i64)> = std::collections::BTreeMap::new();
    for r in &received {
        per.entry(month(r.try_get("", "created_at")?)).or_default().0 += 1;
    }
    for r in &granted {
        per.entry(month(r.try_get("", "at")?)).or_default().1 += 1;
    }
    let trend = months
        .iter()
        .map(|(y, m)| {
            let key = format!("{y:04}-{m:02}");
            let (rc, ap) = per.get(&key).copied().unwrap_or_default();
            FundingMonth { month: key, received: rc, approved: ap }
        })
        .collect();
    Ok(FundingFigures { suppressed: !full, threshold, programmes, kreise: kreis_rows, trend, definitions: definitions() })
}
