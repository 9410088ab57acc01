//! The map of Sachsen-Anhalt's 14 Kreise as SVG paths, projected once from the shipped
//! boundary data (BKG VG5000, dl-de/by-2-0; see data/geo/SOURCES.md).

use crate::lagebild::model::{MAP_WIDTH, MapShape};
use std::sync::OnceLock;

const KREISE: &str = include_str!("../../../../data/geo/kreise_sachsen_anhalt.geojson");

/// The Kreise as `(shapes, height)`: one closed SVG path per Kreis (all rings, even-odd fill so
/// that Halle stays a hole in the Saalekreis).
pub fn kreise() -> &'static (Vec<MapShape>, f64) {
    static MAP: OnceLock<(Vec<MapShape>, f64)> = OnceLock::new();
    MAP.get_or_init(|| project(KREISE))
}

fn rings(geometry: &serde_json::Value) -> Vec<Vec<(f64, f64)>> {
    let polygon = |p: &serde_json::Value| -> Vec<Vec<(f64, f64)>> {
        p.as_array()
            .map(|rings| {
                rings
                    .iter()
                    .filter_map(|r| r.as_array())
                    .map(|r| r.iter().filter_map(|pt| Some((pt.get(0)?.as_f64()?, pt.get(1)?.as_f64()?))).collect())
                    .collect()
            })
            .unwrap_or_default()
    };
    match geometry.get("type").and_then(|t| t.as_str()) {
        Some("Polygon") => geometry.get("coordinates").map(polygon).unwrap_or_default(),
        Some("MultiPolygon") => geometry.get("coordinates").and_then(|c| c.as_array()).map(|ps| ps.iter().flat_map(polygon).collect()).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn project(geojson: &str) -> (Vec<MapShape>, f64) {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(geojson) else { return (Vec::new(), 0.0) };
    let features: Vec<(String, String, Vec<Vec<(f64, f64)>>)> = doc
        .get("features")
        .and_then(|f| f.as_array())
        .map(|fs| {
            fs.iter()
                .filter_map(|f| {
                    let p = f.get("properties")?;
                    Some((p.get("ags")?.as_str()?.to_string(), p.get("name")?.as_str()?.to_string(), rings(f.get("geometry")?)))
                })
                .collect()
        })
        .unwrap_or_default();
    let pts = features.iter().flat_map(|f| f.2.iter().flatten());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(lon, lat) in pts {
        x0 = x0.min(lon);
        x1 = x1.max(lon);
        y0 = y0.min(lat);
        y1 = y1.max(lat);
    }
    if x1 <= x0 || y1 <= y0 {
        return (Vec::new(), 0.0);
    }
    // Equirectangular with the middle latitude's scale: true to shape at this size.
    let k = ((y0 + y1) / 2.0).to_radians().cos();
    let scale = MAP_WIDTH / ((x1 - x0) * k);
    let height = (y1 - y0) * scale;
    let shapes = features
        .into_iter()
        .map(|(ags, name, rings)| {
            let mut d = String::new();
            let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
            for ring in &rings {
                for (i, &(lon, lat)) in ring.iter().enumerate() {
                    let (x, y) = ((lon - x0) * k * scale, (y1 - lat) * scale);
                    d.push_str(&format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }));
                    sx += x;
                    sy += y;
                    n += 1.0;
                }
                d.push('Z');
            }
            let (cx, cy) = if n > 0.0 { (sx / n, sy / n) } else { (0.0, 0.0) };
            MapShape { area: ags, name, path: d, label_x: cx, label_y: cy }
        })
        .collect();
    (shapes, height)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_map_has_the_fourteen_kreise_inside_its_frame() {
        let (shapes, height) = super::kreise();
        assert_eq!(shapes.len(), 14);
        assert!(*height > 300.0 && *height < 1200.0, "{height}");
        assert!(shapes.iter().any(|s| s.area == "15003" && s.name.starts_with("Magdeburg")));
        for s in shapes {
            assert!(s.label_x >= 0.0 && s.label_x <= crate::lagebild::model::MAP_WIDTH && s.label_y >= 0.0 && s.label_y <= *height, "{}", s.name);
            assert!(s.path.starts_with('M') && s.path.ends_with('Z'));
        }
    }
}
