//! The Land's key figures (for advisors and administrators: all Kommunen; for an association:
//! its members), with the change over the last month from the Lagebild's trend.

use crate::core::session::CurrentUser;
use crate::core::state::AppState;
use crate::core::versions::{Depends, Memo, Versions};
use crate::error::AppError;
use crate::start::model::{percent_text, share, AreaStart, KeyFigure};
use std::sync::Arc;

static FIGURES: Memo<String, AreaStart> = Memo::new(8);

fn points(v: Option<f64>, before: Option<f64>) -> Option<String> {
    let d = v? - before?;
    Some(format!("{}{:.1} Prozentpunkte", if d >= 0.0 { "+" } else { "−" }, d.abs()).replace('.', ","))
}

/// The key figures of the Land as the user may see them, kept while the register stands.
pub async fn figures(st: &AppState, versions: &Versions, user: &CurrentUser) -> Result<Arc<AreaStart>, AppError> {
    let viewer = crate::lagebild::service::viewer(Some(user));
    let key = crate::lagebild::service::area_for(&viewer, crate::start::model::LAND_AREA).ok_or(AppError::NotFound)?;
    let t = st.config.suppression_threshold;
    FIGURES
        .get_or(format!("{key}|{}", viewer.full), versions.stamp(Depends::RegisterAndReference), || async {
            let db = &st.db;
            let l = crate::lagebild::service::lagebild(db, &crate::lagebild::service::cache(&st), &key, &Default::default(), t, viewer.full).await?;
            let a = &l.area;
            let area = crate::lagebild::service::areas(db, &[key.clone()], None).await?.into_iter().next().ok_or(AppError::NotFound)?;
            let services = crate::lagebild::service::slice_services(db, &Default::default()).await?;
            let trend = crate::lagebild::service::trend::points(db, &crate::lagebild::service::cache(&st), &area, &services, viewer.full, t).await?;
            // The change over about a month: against the last month of the trend that ended at
            // least four weeks ago (on the 1st of a month, the month before last; the month just
            // ended would compare with yesterday).
            let before = trend.as_ref().and_then(|(_, p)| month_ago(p, crate::core::time::now()));
            let online = share(a.online, a.responsible);
            let compliant = share(a.reifegrad_3, a.responsible);
            let online_before = before.as_ref().and_then(|b| share(b.online, b.responsible));
            let compliant_before = before.as_ref().and_then(|b| share(b.reifegrad_3, b.responsible));
            let figures = vec![
                KeyFigure { label: "Online-Quote".into(), value: percent_text(online), change: points(online, online_before) },
                KeyFigure { label: "OZG-konform (Reifegrad ≥ 3)".into(), value: percent_text(compliant), change: points(compliant, compliant_before) },
                KeyFigure {
                    label: "Flächendeckend online".into(),
                    value: a.flaechendeckend.map(|n| crate::ui::format::count_of(n, "Leistung", "Leistungen")).unwrap_or_else(|| "–".into()),
                    change: match (a.flaechendeckend, before.as_ref().and_then(|b| b.flaechendeckend)) {
                        (Some(n), Some(b)) => Some(format!("{:+}", n - b)),
                        _ => None,
                    },
                },
                KeyFigure {
                    label: "Kommunen mit Meldelücken (90 Tage ohne Änderung)".into(),
                    value: a.stale_kommunen.map(|n| format!("{n} von {}", a.kommunen)).unwrap_or_else(|| "–".into()),
                    change: None,
                },
            ];
            Ok::<_, AppError>(AreaStart {
                name: a.name.clone(),
                whose: viewer.label.to_string(),
                figures,
                compared_with: before.map(|b| b.month),
                href: "/lagebild?gebiet=15".into(),
            })
        })
        .await
}

/// The last point of a monthly trend whose month ended at least 28 days before `now` (Europe/Berlin).
fn month_ago(points: &[crate::lagebild::model::TrendPoint], now: chrono::DateTime<chrono::Utc>) -> Option<crate::lagebild::model::TrendPoint> {
    let cutoff = now.with_timezone(&chrono_tz::Europe::Berlin).date_naive() - chrono::Duration::days(28);
    let end_of = |month: &str| {
        let first = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
        first.checked_add_months(chrono::Months::new(1))?.pred_opt()
    };
    points.iter().rev().find(|p| end_of(&p.month).is_some_and(|end| end <= cutoff)).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(month: &str) -> crate::lagebild::model::TrendPoint {
        serde_json::from_value(serde_json::json!({ "month": month, "suppressed": false, "responsible": null, "online": null, "flaechendeckend": null,
            "mindestens_eine": null, "reifegrad_2": null, "reifegrad_3": null, "efa": null }))
        .expect("point")
    }

    #[test]
    fn the_change_is_taken_over_about_a_month_also_on_the_first_of_a_month() {
        let points: Vec<_> = ["2026-09", "2026-10", "2026-11", "2026-12"].into_iter().map(point).collect();
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&chrono::Utc);
        // 1 December (Berlin): November just ended, so the comparison is with the end of October.
        assert_eq!(month_ago(&points, at("2026-11-30T23:30:00Z")).map(|p| p.month), Some("2026-10".into()));
        // 29 December: November ended 29 days ago.
        assert_eq!(month_ago(&points, at("2026-12-29T12:00:00Z")).map(|p| p.month), Some("2026-11".into()));
        assert_eq!(month_ago(&points[..1], at("2026-10-05T12:00:00Z")), None);
    }
}
