//! The roll-out in the Lagebild: per EfA service the funnel (Kommunen per step), the median
//! days from interest to live, the Kommunen still without it, per Kreis, and the steps per
//! month; read from the rollups. For associations and the public, Kreise with fewer Kommunen
//! than the threshold are suppressed (and one more when the hidden ones would add up to fewer),
//! and a median over fewer live Kommunen than the threshold is not shown. An association's
//! figures count its members only (as the register's do), read from the connections
//! themselves (a few thousand rows; the rollups do not keep the kind of Kommune).

use super::read;
use crate::core::disclosure::{median, suppress};
use crate::error::AppError;
use crate::identity::Membership;
use crate::rollout::model::{ConnectionState, KreisFunnel, Model, MonthPoint, RolloutFigures, ServiceFunnel};
use sea_orm::{ConnectionTrait, FromQueryResult};
use std::collections::HashMap;

/// An EfA service (or a Kreis, a Kommune) by id or key, with its name.
#[derive(FromQueryResult)]
struct Named {
    id: String,
    name: String,
}

/// The Kommunen of a Kreis.
#[derive(FromQueryResult)]
struct KreisSize {
    id: String,
    n: i64,
}

/// Kommunen of an EfA service at one step in an area (`agg_rollout`).
#[derive(FromQueryResult)]
struct StepCell {
    area: String,
    state: ConnectionState,
    kommunen: i64,
}

/// Connections of a service that went live after so many days (`agg_rollout_days`).
#[derive(FromQueryResult)]
struct DaysCell {
    efa_service_id: String,
    days: i32,
    connections: i64,
}

/// Connections of a service that reached a step in a month (`agg_rollout_month`).
#[derive(FromQueryResult)]
struct MonthCell {
    month: String,
    state: ConnectionState,
    connections: i64,
}

/// The kinds of Kommunen that connect to a service themselves (Mitgliedsgemeinden are
/// administered by their Verbandsgemeinde).
pub const CONNECTING: &str = "('landkreis','kreisfreie_stadt','einheitsgemeinde','verbandsgemeinde')";

/// At most this many Kommunen without a service are named (the count is in the funnel).
pub const MAX_NAMED: usize = 500;

/// The terms of these figures.
pub fn definitions() -> Vec<(String, String)> {
    [
        ("Kommunen", "Landkreise, kreisfreie Städte, Einheits- und Verbandsgemeinden: wer sich an einen EfA-Dienst anbindet. Mitgliedsgemeinden werden über ihre Verbandsgemeinde angebunden."),
        ("Schritt", "Der aktuelle Schritt der Anbindung einer Kommune: Interesse bekundet, Nutzungsvereinbarung unterzeichnet, Anbindung in Vorbereitung, Test, Live oder Zurückgestellt."),
        ("ohne den Dienst", "Kommunen, deren Anbindung nicht »Live« ist (auch solche ohne Anbindung)."),
        ("Median Tage bis Live", "Der mittlere Wert der Tage von der Interessenbekundung bis zum ersten »Live«; bei weniger Kommunen als der Schwelle nicht gezeigt."),
        ("Unterdrückung", "Für Verbände und die Öffentlichkeit werden Kreise mit weniger Kommunen als der Schwelle nicht gezeigt, und ein weiterer, wenn sich die verborgenen sonst errechnen ließen."),
        ("Verlauf", "Je Monat (Ende des Monats) die Zahl der bis dahin bekundeten Interessen und der erreichten »Live«-Schritte."),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

/// A step of a connection to the selected service, when it was taken.
#[derive(FromQueryResult)]
struct StepAt {
    state: ConnectionState,
    at: chrono::DateTime<chrono::Utc>,
}

/// The figures; `full`: the Land's view (nothing suppressed, the Kommunen without it named);
/// `members`: an association's, counting its members only.
#[tracing::instrument(skip_all)]
pub async fn figures(db: &impl ConnectionTrait, full: bool, threshold: i64, members: Option<Membership>, selected: Option<&str>, months: &[(i32, u32)]) -> Result<RolloutFigures, AppError> {
    let full = full && members.is_none();
    // Which Kommunen count: those that connect, or only the association's members among them.
    let kinds = members.map_or_else(|| CONNECTING.to_string(), |m| format!("{} AND kind IN {}", CONNECTING, m.sql_kinds()));
    let of_members = members.map(|m| format!("organisation_id IN (SELECT id FROM organisation WHERE kind IN {})", m.sql_kinds()));
    let steps: Vec<ConnectionState> = ConnectionState::ALL.to_vec();
    let services: Vec<Named> = read(db, "SELECT id, name FROM efa_service WHERE active AND id IN (SELECT DISTINCT efa_service_id FROM agg_rollout UNION SELECT efa_service_id FROM rollout_plan WHERE model = ?) ORDER BY name_key", vec![Model::Efa.into()]).await?;
    // Kommunen per Kreis, and the Kreise's names (read apart: a join on the Kreis key's
    // expression would compare every Kommune with every organisation).
    let counts: Vec<KreisSize> = read(db, &format!("SELECT kreis_key AS id, COUNT(*) AS n FROM organisation WHERE kind IN {kinds} AND active AND kreis_key IS NOT NULL GROUP BY kreis_key ORDER BY kreis_key"), vec![]).await?;
    let names: HashMap<String, String> = read::<Named>(db, "SELECT COALESCE(kreis_key, key) AS id, name FROM organisation WHERE kind IN ('landkreis', 'kreisfreie_stadt')", vec![])
        .await?
        .into_iter()
        .map(|k| (k.id, k.name))
        .collect();
    let kreise: Vec<(String, String, i64)> = counts.into_iter().map(|k| (k.id.clone(), names.get(&k.id).cloned().unwrap_or_default(), k.n)).collect();
    let kommunen: i64 = kreise.iter().map(|k| k.2).sum();
    // service → state → count, over the Land.
    let totals: Vec<StepCell> = match &of_members {
        None => read(db, "SELECT efa_service_id AS area, state, kommunen FROM agg_rollout WHERE kreis_key = ?", vec![super::rollup::LAND.into()]).await?,
        Some(m) => read(db, &format!("SELECT efa_service_id AS area, state, COUNT(*) AS kommunen FROM connection WHERE {m} GROUP BY efa_service_id, state"), vec![]).await?,
    };
    let mut by: HashMap<String, HashMap<ConnectionState, i64>> = HashMap::new();
    for c in totals {
        *by.entry(c.area).or_default().entry(c.state).or_default() += c.kommunen;
    }
    let days: Vec<DaysCell> = match &of_members {
        None => read(db, "SELECT efa_service_id, days, connections FROM agg_rollout_days", vec![]).await?,
        Some(m) => {
            let d = super::rollup::days_expr(db.get_database_backend());
            read(db, &format!("SELECT efa_service_id, {d} AS days, COUNT(*) AS connections FROM connection WHERE live_at IS NOT NULL AND {m} GROUP BY efa_service_id, {d}"), vec![]).await?
        }
    };
    let mut hist: HashMap<String, Vec<(i64, i64)>> = HashMap::new();
    for d in days {
        hist.entry(d.efa_service_id).or_default().push((i64::from(d.days), d.connections));
    }
    let mut funnels = Vec::new();
    for s in services {
        let id = s.id;
        let counts: Vec<i64> = steps.iter().map(|st| by.get(&id).and_then(|m| m.get(st)).copied().unwrap_or(0)).collect();
        let live = by.get(&id).and_then(|m| m.get(&ConnectionState::Live)).copied().unwrap_or(0);
        let h = hist.get(&id).cloned().unwrap_or_default();
        let live_ever: i64 = h.iter().map(|(_, n)| n).sum();
        funnels.push(ServiceFunnel {
            name: s.name,
            counts,
            kommunen,
            without: (kommunen - live).max(0),
            median_days: if full || live_ever >= threshold { median(&h) } else { None },
            id,
        });
    }
    let selected = selected.filter(|s| funnels.iter().any(|f| f.id == *s)).map(str::to_string).or_else(|| funnels.first().map(|f| f.id.clone()));
    let mut kreis_rows = Vec::new();
    let mut trend = Vec::new();
    let mut without = None;
    if let Some(sel) = &selected {
        let cells: Vec<StepCell> = match &of_members {
            None => read(db, "SELECT kreis_key AS area, state, kommunen FROM agg_rollout WHERE efa_service_id = ? AND kreis_key <> ?", vec![sel.clone().into(), super::rollup::LAND.into()]).await?,
            Some(m) => read(db, &format!("SELECT kreis_key AS area, state, COUNT(*) AS kommunen FROM connection WHERE efa_service_id = ? AND {m} GROUP BY kreis_key, state"), vec![sel.clone().into()]).await?,
        };
        let mut per_kreis: HashMap<String, HashMap<ConnectionState, i64>> = HashMap::new();
        for c in cells {
            *per_kreis.entry(c.area).or_default().entry(c.state).or_default() += c.kommunen;
        }
        let mut shown: Vec<(i64, bool)> = kreise.iter().map(|k| (k.2, true)).collect();
        if !full {
            suppress(&mut shown, threshold);
        }
        for (k, (kreis, name, n)) in kreise.iter().enumerate() {
            let counts: Vec<i64> = steps.iter().map(|st| per_kreis.get(kreis).and_then(|m| m.get(st)).copied().unwrap_or(0)).collect();
            kreis_rows.push(KreisFunnel { kreis: kreis.clone(), name: if name.is_empty() { kreis.clone() } else { name.clone() }, kommunen: *n, counts: shown[k].1.then_some(counts) });
        }
        let list: Vec<MonthCell> = match &of_members {
            None => read(db, "SELECT month, state, connections FROM agg_rollout_month WHERE efa_service_id = ? AND state IN (?, ?)", vec![sel.clone().into(), ConnectionState::Interest.into(), ConnectionState::Live.into()]).await?,
            Some(m) => {
                let steps: Vec<StepAt> = read(
                    db,
                    &format!("SELECT s.state, s.at FROM connection_step s JOIN connection c ON c.id = s.connection_id WHERE c.efa_service_id = ? AND s.state IN (?, ?) AND c.{m}"),
                    vec![sel.clone().into(), ConnectionState::Interest.into(), ConnectionState::Live.into()],
                )
                .await?;
                let mut per: std::collections::BTreeMap<(String, ConnectionState), i64> = std::collections::BTreeMap::new();
                for s in steps {
                    *per.entry((super::rollup::month_of(s.at), s.state)).or_default() += 1;
                }
                per.into_iter().map(|((month, state), connections)| MonthCell { month, state, connections }).collect()
            }
        };
        let mut steps_in: Vec<(String, ConnectionState, i64)> = list.into_iter().map(|c| (c.month, c.state, c.connections)).collect();
        steps_in.sort();
        for (y, m) in months {
            let key = format!("{y:04}-{m:02}");
            let upto = |state: ConnectionState| steps_in.iter().filter(|(mm, s, _)| *mm <= key && *s == state).map(|(_, _, n)| n).sum::<i64>();
            trend.push(MonthPoint { month: key.clone(), interest: upto(ConnectionState::Interest), live: upto(ConnectionState::Live) });
        }
        if full {
            let list: Vec<Named> = read(
                db,
                &format!("SELECT o.id, o.name FROM organisation o WHERE o.kind IN {CONNECTING} AND o.active AND NOT EXISTS (SELECT 1 FROM connection c WHERE c.organisation_id = o.id AND c.efa_service_id = ? AND c.state = ?) ORDER BY o.name LIMIT {MAX_NAMED}"),
                vec![sel.clone().into(), ConnectionState::Live.into()],
            )
            .await?;
            without = Some(list.into_iter().map(|k| k.name).collect());
        }
    }
    Ok(RolloutFigures { suppressed: !full, threshold, counted: members.map(|m| m.label().to_string()), steps, services: funnels, selected, kreise: kreis_rows, trend, without, definitions: definitions() })
}
