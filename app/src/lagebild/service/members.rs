//! "Mitglieder im Vergleich": the members of a Spitzenverband side by side. Each member's
//! Online-Quote (its responsible OZG-Leistungen of the catalogue that are online) is read from
//! the register as the rollups count it; an association sees them per Kreis and for the Land as
//! quartiles, and as counts per band, never by name (one member is one Kommune); the Land sees
//! every member by name as well.

use crate::error::AppError;
use crate::lagebild::model::{MemberComparison, MemberGroup, MemberRow, QUARTILE_FACTOR, Quartiles};
use crate::rollups::{KOMMUNE_KINDS, stmt};
use sea_orm::ConnectionTrait;
use std::collections::BTreeMap;

/// Bands of Online-Quote: lower bound (per cent) and label.
pub const BANDS: [(f64, &str); 5] = [(0.0, "unter 10 %"), (10.0, "10 bis unter 20 %"), (20.0, "20 bis unter 30 %"), (30.0, "30 bis unter 40 %"), (40.0, "40 % und mehr")];

/// The band of an Online-Quote (index into [`BANDS`]).
pub fn band(share: f64) -> usize {
    BANDS.iter().rposition(|(lo, _)| share >= *lo).unwrap_or(0)
}

/// The quartiles of a group's values, none where fewer than `QUARTILE_FACTOR × t` members stand behind them.
pub fn group_quartiles(values: &[f64], t: i64) -> Option<Quartiles> {
    if (values.len() as i64) < QUARTILE_FACTOR * t.max(1) { None } else { Quartiles::of(values) }
}

/// The members of a group (`gem` or `lk`) in the Land `land`, with their counts.
#[tracing::instrument(skip_all)]
pub async fn members(db: &impl ConnectionTrait, land: &str, group: &str) -> Result<(Vec<MemberRow>, i64), AppError> {
    let backend = db.get_database_backend();
    let next = land.parse::<u32>().map(|n| format!("{:02}", n + 1)).unwrap_or_else(|_| format!("{land}~"));
    // Counted as the rollups count (see `rollups::Counted`): a Kommune without a record is
    // responsible and "nicht begonnen"; Reifegrad ≥ 3 in model 1.1.
    let sql = format!(
        "SELECT o.key, o.name, o.kreis_key, \
         CAST(COALESCE(SUM(CASE WHEN r.responsibility = 'other' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN r.responsibility <> 'other' AND r.stage = 'online' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN r.responsibility <> 'other' AND r.maturity_model = '1.1' AND r.maturity_level >= 3 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM organisation o LEFT JOIN (SELECT sr.organisation_id, sr.responsibility, sr.stage, sr.maturity_model, sr.maturity_level \
           FROM service_record sr JOIN ozg_service s ON s.ozg_id = sr.ozg_id WHERE s.in_catalogue = ?) r ON r.organisation_id = o.id \
         WHERE o.kind IN {KOMMUNE_KINDS} AND o.kreis_key >= ? AND o.kreis_key < ? \
         AND (CASE WHEN o.kind = 'landkreis' THEN 'lk' ELSE 'gem' END) = ? \
         GROUP BY o.key, o.name, o.kreis_key ORDER BY o.name, o.key"
    );
    let services: i64 = db
        .query_one_raw(stmt(backend, "SELECT CAST(COUNT(*) AS BIGINT) FROM ozg_service WHERE in_catalogue = ?", vec![true.into()]))
        .await?
        .map(|r| r.try_get_by_index(0))
        .transpose()?
        .unwrap_or(0);
    let rows = db.query_all_raw(stmt(backend, &sql, vec![true.into(), land.into(), next.into(), group.into()])).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let other: i64 = r.try_get_by_index(3)?;
        out.push(MemberRow {
            key: r.try_get_by_index(0)?,
            name: r.try_get_by_index(1)?,
            kreis: r.try_get_by_index(2)?,
            responsible: services - other,
            online: r.try_get_by_index(4)?,
            reifegrad_3: r.try_get_by_index(5)?,
        });
    }
    Ok((out, services))
}

/// The comparison for a viewer: `full` (the Land) adds every member by name.
#[tracing::instrument(skip_all)]
pub async fn comparison(db: &impl ConnectionTrait, land: &str, verband: &str, group: &str, label: &str, t: i64, full: bool) -> Result<MemberComparison, AppError> {
    let (rows, services) = members(db, land, group).await?;
    let kreise: BTreeMap<String, String> = super::areas(db, &[], Some(land)).await?.into_iter().map(|a| (a.key, a.name)).collect();
    // The group's area of the Land: its name and the date of its last register change.
    let whole = super::areas(db, &[format!("{land}:{group}")], None).await?.into_iter().next();
    let land_name = whole.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| land.to_string());
    let data_date = whole.map(|a| a.updated_at).unwrap_or_default();
    let group_of = |area: String, name: String, members: &[&MemberRow]| {
        let shares: Vec<f64> = members.iter().filter_map(|m| m.share()).collect();
        let online: Vec<f64> = members.iter().map(|m| m.online as f64).collect();
        MemberGroup { area, name, members: members.len() as i64, share: group_quartiles(&shares, t), online: group_quartiles(&online, t) }
    };
    let all: Vec<&MemberRow> = rows.iter().collect();
    let mut groups = vec![group_of(land.to_string(), land_name, &all)];
    let mut by_kreis: BTreeMap<&str, Vec<&MemberRow>> = BTreeMap::new();
    for r in &rows {
        by_kreis.entry(r.kreis.as_str()).or_default().push(r);
    }
    let mut per_kreis: Vec<MemberGroup> = by_kreis.iter().map(|(k, m)| group_of(k.to_string(), kreise.get(*k).cloned().unwrap_or_else(|| k.to_string()), m)).collect();
    per_kreis.sort_by(|a, b| a.name.cmp(&b.name));
    // One member per Kreis (the Landkreistag's): the Kreise add nothing but withheld rows.
    if per_kreis.iter().any(|g| g.share.is_some()) || full {
        groups.extend(per_kreis);
    }
    let mut counts = [0i64; BANDS.len()];
    for s in rows.iter().filter_map(MemberRow::share) {
        counts[band(s)] += 1;
    }
    let bands = BANDS.iter().zip(counts).map(|((_, l), n)| (l.to_string(), n)).collect();
    let named = if full {
        rows.into_iter().map(|r| MemberRow { kreis: kreise.get(&r.kreis).cloned().unwrap_or(r.kreis), ..r }).collect()
    } else {
        Vec::new()
    };
    Ok(MemberComparison {
        verband: verband.to_string(),
        label: label.to_string(),
        services,
        groups,
        bands,
        named,
        threshold: t,
        full,
        data_date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate_between_ordered_values() {
        let q = Quartiles::of(&[40.0, 10.0, 20.0, 30.0, 0.0]).expect("values");
        assert_eq!((q.q1, q.median, q.q3), (10.0, 20.0, 30.0));
        let q = Quartiles::of(&[1.0, 2.0, 3.0, 4.0]).expect("values");
        assert_eq!((q.q1, q.median, q.q3), (1.75, 2.5, 3.25));
        assert!(Quartiles::of(&[]).is_none());
    }

    #[test]
    fn small_groups_get_no_quartiles() {
        let five = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!(group_quartiles(&five, 3).is_none(), "five members, threshold 3: fewer than six");
        assert!(group_quartiles(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 3).is_some());
    }

    #[test]
    fn bands_take_their_lower_bound() {
        assert_eq!(band(0.0), 0);
        assert_eq!(band(9.99), 0);
        assert_eq!(band(10.0), 1);
        assert_eq!(band(39.9), 3);
        assert_eq!(band(100.0), 4);
    }
}
