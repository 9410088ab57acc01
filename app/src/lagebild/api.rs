//! The Lagebild page's server function: figures for the caller's view (public, association,
//! Land), with the map of the Kreise on the Land's page.

use crate::error::AppError;
use crate::lagebild::model::LagebildView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::lagebild::model::Slice;
#[cfg(feature = "ssr")]
use crate::core::ctx;

/// Lagebilder by viewer group, area and slice, kept while their stand holds; at most 64 (each is
/// some 100 KB).
#[cfg(feature = "ssr")]
static VIEWS: crate::core::versions::Memo<String, LagebildView, crate::lagebild::service::stand::Stand> = crate::core::versions::Memo::new(64);

/// Figures of an area (`gebiet`: Land "15" or a Kreis key) for a slice of the catalogue.
#[server(endpoint = "lagebild")]
pub async fn load_lagebild(gebiet: Option<String>, themenfeld: Option<String>, lage: Option<String>, fokus: Option<bool>, ozg_id: Option<String>) -> Result<LagebildView, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::current_user();
        let viewer = crate::lagebild::service::viewer(user.as_ref());
        let requested = gebiet.as_deref().map(str::trim).filter(|g| !g.is_empty()).unwrap_or("15");
        let Some(area) = crate::lagebild::service::area_for(&viewer, requested) else {
            let mut e = std::collections::BTreeMap::new();
            e.insert("gebiet".to_string(), vec![format!("»{requested}« ist kein Schlüssel eines Landes (2 Ziffern) oder Kreises (5 Ziffern) – Verbandsgemeinden (9 Ziffern) nur für die Beratung des Landes.")]);
            return Err(AppError::Validation(e));
        };
        let clean = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let ozg_id = clean(ozg_id);
        if let Some(o) = &ozg_id
            && (o.len() > 8 || !o.bytes().all(|b| b.is_ascii_digit()))
        {
            let mut e = std::collections::BTreeMap::new();
            e.insert("ozg_id".to_string(), vec![format!("»{o}« ist keine OZG-ID (fünf Ziffern).")]);
            return Err(AppError::Validation(e));
        }
        let slice = Slice { themenfeld: clean(themenfeld), lage: clean(lage), focus: fokus.unwrap_or(false), ozg_id };
        // The same viewer group asking for the same area and slice gets the same Lagebild while
        // its stand holds (see `lagebild::service::stand`).
        let key = format!("{}|{:?}|{requested}|{slice:?}", viewer.full, viewer.group);
        let stand = crate::lagebild::service::stand::stand(&st.db).await?;
        let view = VIEWS
            .get_or(key, stand, || async {
                let lagebild = crate::lagebild::service::lagebild(&st.db, &crate::lagebild::service::cache(&st), &area, &slice, st.config.suppression_threshold, viewer.full).await?;
                let (map, map_height) = if lagebild.area.level == "land" && requested == "15" {
                    let (shapes, h) = crate::lagebild::service::geo::kreise();
                    (shapes.clone(), *h)
                } else {
                    (Vec::new(), 0.0)
                };
                // Land only: the Kommunen of a Kreis, to drill down to their registers.
                let kommunen = if viewer.full && (lagebild.area.level == "kreis" || lagebild.area.level == "vg") {
                    crate::catalogue::service::orgs::kommunen_within(&st.db, &requested, lagebild.area.level == "vg").await?.ok_or(AppError::NotFound)?
                } else {
                    Vec::new()
                };
                let (cases, trend, services, mut efa) = crate::lagebild::service::extras::extras(&st.db, &crate::lagebild::service::cache(&st), &area, &lagebild, &viewer, &st.config).await?;
                // The page lists the most reused for the whole catalogue; the download has them all.
                let efa_total = efa.len();
                if lagebild.slice == Slice::default() {
                    efa.truncate(crate::lagebild::model::EFA_ON_PAGE);
                }
                Ok::<_, AppError>(LagebildView { lagebild, map, map_height, scope_label: viewer.label.to_string(), full: viewer.full, public: viewer.group.is_none() && !viewer.full, kommunen, cases, trend, services, efa, efa_total })
            })
            .await?;
        Ok(view.as_ref().clone())
    }
    .await)
    .await
}

#[cfg(feature = "ssr")]
static MEMBERS: crate::core::versions::Memo<String, crate::lagebild::model::MemberComparison, crate::lagebild::service::stand::Stand> = crate::core::versions::Memo::new(8);

/// "Mitglieder im Vergleich": an association's members (quartiles and bands), or for the Land
/// either association's (`verband`: `sgsa` or `lkt`) with every member by name.
#[server(endpoint = "members")]
pub async fn load_members(verband: Option<String>) -> Result<crate::lagebild::model::MemberComparison, AppError> {
    ctx::finish(async {
        let st = ctx::state()?;
        let user = ctx::require_user()?;
        crate::access::policy::require_aggregate_reader(&crate::access::scope())?;
        let viewer = crate::lagebild::service::viewer(Some(&user));
        let lkt = crate::lagebild::service::viewer_of_group(crate::rollups::LANDKREISE);
        let (verband, viewer) = match (viewer.full, verband.as_deref().map(str::trim)) {
            (false, _) if viewer.group == Some(crate::rollups::LANDKREISE) => ("lkt", viewer),
            (false, _) => ("sgsa", viewer),
            (true, Some("lkt")) => ("lkt", crate::lagebild::service::Viewer { full: true, ..lkt }),
            (true, None | Some("") | Some("sgsa")) => ("sgsa", crate::lagebild::service::Viewer { full: true, ..crate::lagebild::service::viewer_of_group(crate::rollups::GEMEINDEN) }),
            (true, Some(other)) => {
                let mut e = std::collections::BTreeMap::new();
                e.insert("verband".to_string(), vec![format!("»{other}« ist kein Spitzenverband: »sgsa« (Städte- und Gemeindebund) oder »lkt« (Landkreistag).")]);
                return Err(AppError::Validation(e));
            }
        };
        let group = viewer.group.unwrap_or(crate::rollups::GEMEINDEN);
        let key = format!("{}|{verband}", viewer.full);
        let stand = crate::lagebild::service::stand::stand(&st.db).await?;
        let view = MEMBERS
            .get_or(key, stand, || async {
                crate::lagebild::service::members::comparison(&st.db, "15", verband, group, viewer.label, st.config.suppression_threshold.max(1), viewer.full).await
            })
            .await?;
        Ok(view.as_ref().clone())
    }
    .await)
    .await
}
