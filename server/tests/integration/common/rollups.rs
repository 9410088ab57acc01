//! The Lagebild's rollups checked against the live count they replace.

use app::rollups;

pub(crate) async fn assert_rollups_equal_live(db: &sea_orm::DatabaseConnection, context: &str) {
    let areas = rollups::area_keys(db).await.expect("areas");
    assert!(areas.iter().any(|a| a == "15"), "the Land is an area");
    assert!(areas.iter().any(|a| a.len() == 5) && areas.iter().any(|a| a.len() == 9), "Kreise and Verbandsgemeinden are areas");
    for area in &areas {
        let live = rollups::live(db, area).await.expect("live");
        let stored = rollups::stored(db, area).await.expect("stored");
        assert_eq!(stored, live, "{context}: area {area}");
        let efa_live = rollups::efa_live(db, area).await.expect("efa live");
        assert_eq!(rollups::efa_stored(db, area).await.expect("efa stored"), efa_live, "{context}: EfA in {area}");
    }
}
