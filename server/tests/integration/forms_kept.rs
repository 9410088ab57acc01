//! A refused plain form comes back with what was submitted beside its errors: text, choices,
//! long texts, checkboxes and radio buttons; never a password; once, and only for who sent it.

use crate::common::{TestApp, client, spawn, spawn_with, test_config};
use app::identity::Role;

const MAGDEBURG: &str = "15003000";

/// Posts a form as a browser without script does and returns where the refusal sends it.
async fn refused(app: &TestApp, c: &reqwest::Client, endpoint: &str, page: &str, form: &[(&str, &str)]) -> String {
    let res = c
        .post(app.url(&format!("/api/{endpoint}")))
        .header("accept", "text/html")
        .header("referer", app.url(page))
        .form(form)
        .send()
        .await
        .expect("post");
    assert!(res.status().is_redirection(), "{endpoint}: {}", res.status());
    let location = res.headers()["location"].to_str().expect("location").to_string();
    assert!(location.contains("__err=") && location.contains("__formular="), "{location}");
    location
}

async fn html(c: &reqwest::Client, url: &str) -> String {
    c.get(url).send().await.expect("page").text().await.expect("html")
}

#[tokio::test]
async fn the_sign_in_keeps_the_address_never_the_password_and_only_once() {
    let app = spawn().await;
    let email = app.user(Role::Clerk, MAGDEBURG).await;
    let c = client();
    let location = refused(&app, &c, "login", "/anmelden", &[("email", email.as_str()), ("password", "geheim-und-falsch")]).await;
    let stored = crate::common::db::text(&app, "SELECT fields FROM form_draft").await;
    assert!(stored.contains(&email) && !stored.contains("geheim-und-falsch"), "{stored}");
    let page = html(&c, &location).await;
    assert!(page.contains(&format!("value=\"{email}\"")), "the address is kept");
    assert!(page.contains("E-Mail-Adresse oder Passwort ist falsch"));
    assert_eq!(app.count("form_draft").await, 0, "taken when shown");
    assert!(!html(&c, &location).await.contains(&format!("value=\"{email}\"")), "shown once");
    // An empty field is named, not answered with "falsch", and nothing is counted.
    let location = refused(&app, &c, "login", "/anmelden", &[("email", email.as_str()), ("password", "")]).await;
    let page = html(&c, &location).await;
    assert!(page.contains("Bitte geben Sie Ihr Passwort ein.") && !page.contains("Passwort ist falsch"), "the empty field is named");
    assert!(page.contains(&format!("value=\"{email}\"")));
    assert_eq!(app.count("audit_log WHERE action = 'login_failure'").await, 1, "only the wrong password counted");
}

#[tokio::test]
async fn a_register_record_keeps_its_choices_dates_and_note_for_its_author_alone() {
    let app = spawn_with(test_config(), true).await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let page = format!("/kommunen/{MAGDEBURG}/leistungen/10002");
    let form = [
        ("key", MAGDEBURG),
        ("ozg_id", "10002"),
        ("version", "0"),
        ("stage", "online"),
        ("date_online", "2999-01-01"),
        ("responsibility", "other"),
        ("responsibility_note", "Zuständig ist der Landkreis"),
        ("solution_kind", "efa"),
        ("offered", "ja"),
        ("note", "Freischaltung zum Quartalsende"),
    ];
    let location = refused(&app, &clerk, "save_record", &page, &form).await;
    // Someone else with the link gets the stored form, and the draft stays for its author.
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    assert!(!html(&advisor, &location).await.contains("Freischaltung zum Quartalsende"));
    let shown = html(&clerk, &location).await;
    assert!(shown.contains("in der Zukunft"), "the error at {location}: {}", &shown[shown.find("<main").unwrap_or(0)..].chars().take(1500).collect::<String>());
    for kept in [
        "<option value=\"online\" selected",
        "value=\"2999-01-01\"",
        "<option value=\"other\" selected",
        "value=\"Zuständig ist der Landkreis\"",
        "<option value=\"efa\" selected",
        ">Freischaltung zum Quartalsende</textarea>",
    ] {
        assert!(shown.contains(kept), "{kept}");
    }
    assert!(shown.contains("name=\"offered\" value=\"ja\" checked"), "the checkbox");
    assert_eq!(app.count("service_record").await, 0, "nothing was saved");
}

#[tokio::test]
async fn a_new_case_and_an_announcement_keep_text_choices_and_radio_buttons() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let page = "/faelle/neu?schritt=2&betreff=Elterngeld&ozg=";
    let form = [
        ("idempotency_key", "0123456789abcdef0123"),
        ("subject", "Elterngeld digital"),
        ("category", "technik"),
        ("description", "Der Antrag bricht beim Hochladen ab."),
        ("ozg_ids", "99999"),
    ];
    let location = refused(&app, &clerk, "file_case", page, &form).await;
    let shown = html(&clerk, &location).await;
    assert!(shown.contains("99999"), "the error names the OZG-ID");
    for kept in ["value=\"Elterngeld digital\"", "<option value=\"technik\" selected", ">Der Antrag bricht beim Hochladen ab.</textarea>", "value=\"99999\""] {
        assert!(shown.contains(kept), "{kept}");
    }
    assert_eq!(app.count("support_case").await, 0);

    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    // The first Kreis of the list.
    let desk = html(&advisor, &app.url("/mitteilungen")).await;
    let at = desk.find("name=\"wahl[k0]\" value=\"").expect("the Kreise") + "name=\"wahl[k0]\" value=\"".len();
    let kreis = desk[at..at + 5].to_string();
    let form = [("title", ""), ("body", "Die Richtlinie gilt ab sofort."), ("target", "kreise"), ("wahl[k0]", kreis.as_str()), ("wert", ""), ("expires", "morgen")];
    let location = refused(&app, &advisor, "publish_announcement", "/mitteilungen", &form).await;
    let shown = html(&advisor, &location).await;
    assert!(shown.contains(">Die Richtlinie gilt ab sofort.</textarea>"));
    assert!(shown.contains("name=\"target\" value=\"kreise\" checked"), "the radio button");
    assert!(!shown.contains("name=\"target\" value=\"alle\" checked"), "not the stored default");
    assert!(shown.contains(&format!("value=\"{kreis}\" checked")), "the Kreis chosen");
    assert!(shown.contains("value=\"morgen\""));
    // The summary names the errors in the order of the fields (title before the date), not
    // by the fields' names.
    let message = |field: &str| {
        let start = shown.find(&format!("id=\"feld-{field}-fehler\"")).expect("the field's message");
        let text = &shown[start..][shown[start..].find('>').expect("tag") + 1..];
        text[..text.find('<').expect("end")].to_string()
    };
    let summary = &shown[shown.find("error-summary").expect("summary")..];
    let (title, expires) = (message("title"), message("expires"));
    assert!(!title.is_empty() && !expires.is_empty(), "both fields have a message");
    assert!(summary.find(&title).expect("title in the summary") < summary.find(&expires).expect("date in the summary"));
}
