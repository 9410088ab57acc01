//! Usage figures through the real router: the Land imports the ZSK's monthly figures (CSV with
//! semicolons or commas, or XLSX), all rows or none with line and column named, a second import
//! of a month replacing the first; the public reads them with small cells withheld (and a second
//! cell where a total would give the first away), the Land every cell and the Kommunen online
//! without use; a Kommune enters its own figure for a Leistung the ZSK does not count.

use crate::common::TestApp;
use crate::common::cases::{HALLE, MAGDEBURG};
use app::identity::Role;
use serde_json::Value;

const EXAMPLE: &str = include_str!("../../../data/beispiel-nutzungszahlen.csv");
const HEADER: &str = "monat;onlinedienst;onlinedienst_id;leika_schluessel;ozg_id;ars;anzahl\n";

async fn upload(app: &TestApp, c: &reqwest::Client, name: &str, body: Vec<u8>) -> (u16, String, String) {
    let part = reqwest::multipart::Part::bytes(body).file_name(name.to_string()).mime_str("application/octet-stream").expect("mime");
    let res = c.post(app.url("/lagebild/nutzung/import")).multipart(reqwest::multipart::Form::new().part("datei", part)).send().await.expect("upload");
    let status = res.status().as_u16();
    let location = res.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
    (status, location, res.text().await.unwrap_or_default())
}

/// The ARS of `n` Gemeinden of a Kreis.
async fn gemeinden(app: &TestApp, kreis: &str, n: usize) -> Vec<String> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    app::core::entities::organisation::Entity::find()
        .select_only()
        .column(app::core::entities::organisation::Column::Ars)
        .filter(app::core::entities::organisation::Column::KreisKey.eq(kreis))
        .filter(app::core::entities::organisation::Column::Kind.is_in(["einheitsgemeinde", "mitgliedsgemeinde"]))
        .order_by_asc(app::core::entities::organisation::Column::Key)
        .limit(n as u64)
        .into_tuple::<Option<String>>()
        .all(&app.db)
        .await
        .expect("db")
        .into_iter()
        .flatten()
        .collect()
}

#[tokio::test]
async fn usage_figures_are_imported_all_or_nothing_named_by_line_and_column_and_a_month_is_replaced() {
    let app = crate::common::spawn_with(crate::common::test_config(), true).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (status, location, _) = upload(&app, &advisor, "zsk.csv", EXAMPLE.as_bytes().to_vec()).await;
    assert_eq!((status, location.as_str()), (303, "/lagebild/nutzung?importiert=8"));
    assert_eq!(app.count("usage_figure").await, 8);
    // Wohngeld by its LeiKa key; Harz counted as a Kreis.
    assert_eq!(app.count("usage_figure WHERE ozg_id = '10092' AND leika_key = '99107023017000'").await, 2);
    assert_eq!(app.count("usage_figure WHERE area = 'kreis' AND transactions = 1012").await, 1);
    assert_eq!(
        crate::common::db::scalar(&app, "SELECT CAST(transactions AS BIGINT) FROM usage_rollup WHERE area_key = '15' AND ozg_id = '10124' AND month = '2026-10-01'").await,
        2391
    );

    // The same file again, and the same with commas: nothing changes.
    assert_eq!(upload(&app, &advisor, "zsk.csv", EXAMPLE.as_bytes().to_vec()).await.0, 303);
    let commas = EXAMPLE.replace(";", ",").replace("1.287", "1287").replace("1.104", "1104").replace("1.302", "1302").replace("1.090", "1090").replace("1.012", "1012");
    assert_eq!(upload(&app, &advisor, "zsk.csv", commas.into_bytes()).await.0, 303);
    assert_eq!(app.count("usage_figure").await, 8);
    assert_eq!(app.count("audit_log WHERE action = 'usage_imported'").await, 3);
    // A file with November only replaces November.
    let november: String = HEADER.to_string() + "2026-11;Wohnsitz anmelden;wohnsitz-anmeldung;;10124;150030000000;1400\n";
    assert_eq!(upload(&app, &advisor, "nov.csv", november.into_bytes()).await.0, 303);
    assert_eq!(app.count("usage_figure WHERE month = '2026-10-01'").await, 4);
    assert_eq!(app.count("usage_figure WHERE month = '2026-11-01'").await, 1);

    // Bad files: each refused with its line and column; nothing changes.
    let before = app.count("usage_figure").await;
    let bad: Vec<(&str, Vec<u8>, &str)> = vec![
        ("Kopfzeile", b"Monat;Gemeinde;Zahl\n2026-10;Magdeburg;3\n".to_vec(), "es fehlen die Spalten »ars«, »anzahl«"),
        (
            "Kodierung",
            [HEADER.as_bytes(), "2026-10;Wohnsitz;w;;10124;150030000000;3\n2026-10;Gebühr für Kfz ".as_bytes(), b"\xe4;w;;10439;15085;4\n"].concat(),
            "Zeile 3: die Datei ist nicht UTF-8-kodiert",
        ),
        ("Spalten", (HEADER.to_string() + "2026-10,Wohnsitz,w,,10124,150030000000,3\n").into_bytes(), "Zeile 2: 1 Spalten statt 7"),
        (
            "ARS",
            (HEADER.to_string() + "2026-10;Wohnsitz;w;;10124;150030000000;3\n2026-10;Wohnsitz;w;;10124;159990000000;3\n").into_bytes(),
            "Zeile 3, Spalte »ars«: den Regionalschlüssel »159990000000« kennt das Portal nicht",
        ),
        ("LeiKa", (HEADER.to_string() + "2026-10;Wohngeld;w;99999999999999;;150030000000;3\n").into_bytes(), "Zeile 2, Spalte »leika_schluessel«"),
        ("negativ", (HEADER.to_string() + "2026-10;Wohnsitz;w;;10124;150030000000;-3\n").into_bytes(), "Zeile 2, Spalte »anzahl«: »-3« ist negativ"),
        ("Monat", (HEADER.to_string() + "Oktober;Wohnsitz;w;;10124;150030000000;3\n").into_bytes(), "Zeile 2, Spalte »monat«"),
        ("doppelt", (HEADER.to_string() + "2026-10;Wohnsitz;w;;10124;150030000000;3\n2026-10;Wohnsitz;w;;10124;150030000000;4\n").into_bytes(), "Zeile 3: dieselbe Zahl"),
    ];
    for (what, body, expected) in bad {
        let (status, _, page) = upload(&app, &advisor, "falsch.csv", body).await;
        assert_eq!(status, 422, "{what}");
        assert!(page.contains(expected), "{what}: {page}");
    }
    // 100,000 rows whose last is bad: refused with its line, nothing written.
    let mut big = String::from(HEADER);
    for i in 0..99_999 {
        big.push_str(&format!("2026-09;Wohnsitz;w{i};;10124;150030000000;{}\n", i % 50));
    }
    big.push_str("2026-09;Wohnsitz;letzter;;10124;150030000000;viele\n");
    let (status, _, page) = upload(&app, &advisor, "gross.csv", big.into_bytes()).await;
    assert_eq!(status, 422);
    assert!(page.contains("Zeile 100001, Spalte »anzahl«"), "{}", &page[..page.len().min(2000)]);
    assert_eq!(app.count("usage_figure").await, before);

    // An Excel file of the same shape.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (j, h) in ["monat", "onlinedienst", "onlinedienst_id", "leika_schluessel", "ozg_id", "ars", "anzahl"].iter().enumerate() {
        sheet.write_string(0, j as u16, *h).expect("cell");
    }
    for (j, v) in ["2026-08", "Wohnsitz anmelden", "wohnsitz-anmeldung", "", "10124", "150020000000"].iter().enumerate() {
        sheet.write_string(1, j as u16, *v).expect("cell");
    }
    sheet.write_number(1, 6, 777.0).expect("cell");
    let (status, location, page) = upload(&app, &advisor, "zsk.xlsx", book.save_to_buffer().expect("xlsx")).await;
    assert_eq!((status, location.as_str()), (303, "/lagebild/nutzung?importiert=1"), "{page}");
    assert_eq!(app.count("usage_figure WHERE month = '2026-08-01' AND transactions = 777").await, 1);

    // Only the Land imports.
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    assert_eq!(upload(&app, &clerk, "zsk.csv", EXAMPLE.as_bytes().to_vec()).await.0, 403);
    let (status, location, _) = upload(&app, &crate::common::client(), "zsk.csv", EXAMPLE.as_bytes().to_vec()).await;
    assert_eq!((status, location.as_str()), (303, "/anmelden"));
}

#[tokio::test]
async fn the_public_reads_usage_with_small_cells_withheld_and_the_land_reads_every_cell() {
    let app = crate::common::spawn_with(crate::common::test_config(), true).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    // Wohnsitzmeldungen: Magdeburg and Halle alone in their Kreise, four Gemeinden of the Harz,
    // three of the Altmarkkreis Salzwedel.
    let mut file = String::from(HEADER);
    file.push_str("2026-10;W;w;;10124;150030000000;1000\n2026-10;W;w;;10124;150020000000;900\n");
    let harz = gemeinden(&app, "15085", 4).await;
    let altmark = gemeinden(&app, "15081", 3).await;
    assert_eq!((harz.len(), altmark.len()), (4, 3));
    for ars in &harz {
        file.push_str(&format!("2026-10;W;w;;10124;{ars};50\n"));
    }
    for ars in &altmark {
        file.push_str(&format!("2026-10;W;w;;10124;{ars};10\n"));
    }
    assert_eq!(upload(&app, &advisor, "zsk.csv", file.into_bytes()).await.0, 303);

    let public: Value = reqwest::get(app.url("/api/v1/public/usage?leistung=10124")).await.expect("get").json().await.expect("json");
    assert_eq!(public["services"][0]["transactions"], 2130, "{public}");
    let kreis = |doc: &Value, key: &str| doc["kreise"].as_array().and_then(|k| k.iter().find(|k| k["key"] == key).cloned()).unwrap_or_default();
    assert_eq!(kreis(&public, "15085")["transactions"], 200);
    // Magdeburg and Halle are one Kommune each: withheld; together two, fewer than three, so the
    // smallest other Kreis goes too, or the Land minus the rest would show their sum.
    assert!(kreis(&public, "15003")["transactions"].is_null(), "{public}");
    assert!(kreis(&public, "15002")["transactions"].is_null(), "{public}");
    assert!(kreis(&public, "15081")["transactions"].is_null(), "{public}");
    assert_eq!(kreis(&public, "15089")["transactions"], 0, "a Kreis without figures reads 0");
    assert!(public["unused"].is_null(), "the public sees no single Kommune");
    assert!(!public.to_string().contains("Magdeburg, Landeshauptstadt\",\"population\":244329,\"transactions\":1000"));
    let csv = reqwest::get(app.url("/api/v1/public/usage?leistung=10124&format=csv")).await.expect("get").text().await.expect("csv");
    assert!(csv.starts_with('\u{feff}') && csv.contains("Sachsen-Anhalt;10124;") && !csv.contains(";1000;"), "{csv}");
    assert_eq!(reqwest::get(app.url("/api/v1/public/usage?kreis=99999")).await.expect("get").status(), 422);

    // The Land reads every cell and who offers Wohnsitzmeldungen online without use.
    let land: Value = app.server_fn(&advisor, "usage_figures", &[("leistung", "10124")]).await.json().await.expect("json");
    assert_eq!(kreis(&land, "15003")["transactions"], 1000);
    assert_eq!(kreis(&land, "15002")["transactions"], 900);
    assert_eq!(kreis(&land, "15081")["transactions"], 30);
    assert_eq!(land["unused"], serde_json::json!([]));
    let (halle, _) = app.signed_in(Role::Clerk, HALLE).await;
    let record = halle
        .put(app.url(&format!("/api/v1/municipalities/{}/services/10124", "15002000")))
        .json(&serde_json::json!({ "offered": true, "responsibility": "own", "stage": "online", "version": 0 }))
        .send()
        .await
        .expect("record");
    assert!(record.status().is_success());
    let (magdeburg, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    for ozg in ["10124", "10000"] {
        let r = magdeburg
            .put(app.url(&format!("/api/v1/municipalities/{MAGDEBURG}/services/{ozg}")))
            .json(&serde_json::json!({ "offered": true, "responsibility": "own", "stage": "online", "version": 0 }))
            .send()
            .await
            .expect("record");
        assert!(r.status().is_success());
    }
    let (dessau, _) = app.signed_in(Role::Clerk, "15001000").await;
    let r = dessau
        .put(app.url("/api/v1/municipalities/15001000/services/10124"))
        .json(&serde_json::json!({ "offered": true, "responsibility": "own", "stage": "online", "version": 0 }))
        .send()
        .await
        .expect("record");
    assert!(r.status().is_success());
    let land: Value = app.server_fn(&advisor, "usage_figures", &[("leistung", "10124")]).await.json().await.expect("json");
    assert_eq!(land["unused"], serde_json::json!(["Dessau-Roßlau, Stadt"]), "Halle and Magdeburg have figures, Dessau none");

    // The clerk's start page shows Magdeburg's figures beside the Land (the Kreis is withheld).
    let overview: Value = app.server_fn(&magdeburg, "overview", &[]).await.json().await.expect("json");
    let text = overview.to_string();
    assert!(text.contains("\"own\":1000"), "{text}");
    assert!(text.contains("\"kreis_per_1000\":null"), "{text}");
}

#[tokio::test]
async fn a_kommune_enters_its_own_figure_only_where_the_zsk_does_not_count() {
    let app = crate::common::spawn_with(crate::common::test_config(), true).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    assert_eq!(upload(&app, &advisor, "zsk.csv", EXAMPLE.as_bytes().to_vec()).await.0, 303);
    let (clerk, clerk_email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let enter = |form: Vec<(&'static str, &'static str)>| {
        let (app, clerk) = (&app, &clerk);
        async move { app.server_fn(clerk, "enter_usage", &form).await.status().as_u16() }
    };
    let good = vec![("kommune", MAGDEBURG), ("leistung", "10000"), ("monat", "2026-10"), ("anzahl", "37")];
    assert_eq!(enter(good.clone()).await, 200);
    assert_eq!(enter(vec![("kommune", MAGDEBURG), ("leistung", "10000"), ("monat", "2026-10"), ("anzahl", "41")]).await, 200, "a second entry replaces the first");
    assert_eq!(app.count("usage_figure WHERE source = 'kommune'").await, 1);
    assert_eq!(app.count("usage_figure WHERE source = 'kommune' AND transactions = 41").await, 1);
    assert_eq!(
        crate::common::db::scalar(&app, "SELECT CAST(transactions AS BIGINT) FROM usage_rollup WHERE area_key = '15003' AND ozg_id = '10000' AND month = '2026-10-01'").await,
        41
    );
    // Refused: what the ZSK counts, a bad month, a negative count, a future month, another Kommune.
    for (form, status) in [
        (vec![("kommune", MAGDEBURG), ("leistung", "10124"), ("monat", "2026-10"), ("anzahl", "5")], 422),
        (vec![("kommune", MAGDEBURG), ("leistung", "10000"), ("monat", "Oktober"), ("anzahl", "5")], 422),
        (vec![("kommune", MAGDEBURG), ("leistung", "10000"), ("monat", "2026-10"), ("anzahl", "-5")], 422),
        (vec![("kommune", MAGDEBURG), ("leistung", "10000"), ("monat", "2099-01"), ("anzahl", "5")], 422),
        (vec![("kommune", HALLE), ("leistung", "10000"), ("monat", "2026-10"), ("anzahl", "5")], 403),
    ] {
        assert_eq!(enter(form.clone()).await, status, "{form:?}");
    }
    assert_eq!(app.count("usage_figure WHERE source = 'kommune'").await, 1, "nothing changed");
    let (advisor2, _) = app.signed_in(Role::Advisor, "LAND").await;
    assert_eq!(app.server_fn(&advisor2, "enter_usage", &good).await.status(), 403, "the Land reads, the Kommune enters");
    // Its page shows both sources; the Auskunft names the entry.
    let page: Value = app.server_fn(&clerk, "own_usage", &[("key", MAGDEBURG)]).await.json().await.expect("json");
    let sources: Vec<&str> = page["rows"].as_array().expect("rows").iter().filter_map(|r| r["source"].as_str()).collect();
    assert!(sources.contains(&"zsk") && sources.contains(&"kommune"), "{page}");
    assert_eq!(app.server_fn(&clerk, "own_usage", &[("key", HALLE)]).await.status(), 403);
    let user = crate::common::db::user_id(&app, &clerk_email).await;
    let auskunft = app::accounts::service::disclosure::export(&app.db, "test", &user).await.expect("auskunft");
    assert_eq!(auskunft["eigene_nutzungszahlen"][0]["vorgaenge"], 41, "{auskunft}");
}
