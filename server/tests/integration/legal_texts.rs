//! The operator's legal texts: shown from the template until an administrator saves one; every
//! version kept; script in a text neutralised on the page; only administrators edit.

use crate::common::{client, spawn};
use app::identity::Role;

#[tokio::test]
async fn administrators_edit_the_legal_texts_and_the_pages_show_them_without_script() {
    let app = spawn().await;
    let html = client().get(app.url("/impressum")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("§ 18 Abs. 2 MStV") && html.contains("Vorlage"), "the template until the operator saves a text");
    assert!(html.contains("Datenquellen"), "the attribution stays");
    let html = client().get(app.url("/barrierefreiheit")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("href=\"/barriere-melden\"") && html.contains("Schlichtungsverfahren"), "the statement names the feedback channel and the route to arbitration");

    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    let text = "## Anbieter\n\nStadtverwaltung Musterstadt\n\n<script>alert(1)</script>\n\n[Kontakt](javascript:alert(2)) [Web](https://musterstadt.example)";
    let res = app.server_fn(&admin, "admin_save_legal_text", &[("page", "impressum"), ("text", text)]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    let html = client().get(app.url("/impressum")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Stadtverwaltung Musterstadt") && html.contains("Stand: "), "the operator's text with its date");
    assert!(!html.contains("<script>alert(1)") && html.contains("&lt;script&gt;alert(1)"), "script shown as text");
    assert!(!html.contains("javascript:alert"), "no script link");
    assert!(html.contains("href=\"https://musterstadt.example\""));

    // A second version; the first stays in the history.
    let res = app.server_fn(&admin, "admin_save_legal_text", &[("page", "impressum"), ("text", "## Anbieter\n\nStadt Musterstadt, Markt 1")]).await;
    assert_eq!(res.status(), 200);
    let editor: serde_json::Value = app.server_fn(&admin, "admin_legal_editor", &[("page", "impressum")]).await.json().await.expect("editor");
    assert_eq!(editor["versions"].as_array().expect("versions").len(), 2);
    assert_eq!(editor["shown"], 2);
    assert!(editor["markdown"].as_str().expect("text").contains("Markt 1"));
    let first: serde_json::Value = app.server_fn(&admin, "admin_legal_editor", &[("page", "impressum"), ("version", "1")]).await.json().await.expect("editor");
    assert!(first["markdown"].as_str().expect("text").contains("Stadtverwaltung Musterstadt"));
    let html = client().get(app.url("/impressum")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Markt 1") && !html.contains("Stadtverwaltung Musterstadt"), "the page shows the newest version");
    assert_eq!(app.count("audit_log WHERE action = 'legal_text_saved'").await, 2);

    // Bad input changes nothing; others may not edit.
    let res = app.server_fn(&admin, "admin_save_legal_text", &[("page", "impressum"), ("text", "   ")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("darf nicht leer sein"));
    assert_eq!(app.server_fn(&admin, "admin_save_legal_text", &[("page", "agb"), ("text", "x")]).await.status(), 404);
    let (clerk, _) = app.signed_in(Role::Clerk, "15003000").await;
    assert_eq!(app.server_fn(&clerk, "admin_save_legal_text", &[("page", "impressum"), ("text", "gekapert")]).await.status(), 403);
    assert_eq!(app.count("legal_text").await, 2);
}
