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

#[tokio::test]
async fn a_funding_application_keeps_its_cost_plan_rows_and_names_the_row_at_fault() {
    let app = spawn_with(test_config(), true).await;
    let programme = crate::common::funding::programme(&app, "Zeilenprogramm", "100.000,00").await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let page = format!("/foerderung/antrag/neu?programm={programme}");
    let prog = programme.to_string();
    let mut form = vec![
        ("programm", prog.as_str()),
        ("kommune", MAGDEBURG),
        ("title", "E-Akte im Bürgeramt"),
        ("description", "Einführung einer digitalen Akte im Bürgeramt."),
        ("posten[w0]", "Software"),
        ("posten[b0]", "8.000,00"),
        ("posten[w2]", "Schulung"),
        ("posten[w6]", "Beratung"),
        ("posten[b6]", "1.000,00"),
        ("requested", "5.000,00"),
        ("ozg_ids", "Elterngeld"),
        ("idempotency_key", "0123456789abcdef0123"),
    ];
    let location = refused(&app, &clerk, "apply_funding", &page, &form).await;
    let shown = html(&clerk, &location).await;
    assert!(shown.contains("Position 3: der Betrag fehlt."), "the row is named by its number");
    for kept in ["name=\"posten[w0]\" maxlength=\"200\" value=\"Software\"", "value=\"8.000,00\"", "value=\"Schulung\"", "value=\"Beratung\"", "value=\"Elterngeld\""] {
        assert!(shown.contains(kept), "{kept}");
    }
    let at = shown.find("Weitere Positionen").expect("the further rows");
    assert!(shown[..at].rsplit("<details").next().unwrap_or("").contains("open"), "the further rows open when one of them holds something: {}", &shown[at.saturating_sub(200)..at]);
    assert_eq!(app.count("funding_application").await, 0);
    // Completed, the rows are the plan, and the Leistung named is its OZG-ID.
    form.push(("posten[b2]", "2.000,00"));
    let res = app.server_fn(&clerk, "apply_funding", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
    assert_eq!(crate::common::db::scalar(&app, "SELECT total_cents FROM funding_application").await, 1_100_000);
    assert_eq!(crate::common::db::text(&app, "SELECT ozg_id FROM funding_application_ozg").await, "10000");
}

#[tokio::test]
async fn an_announcement_is_previewed_as_the_start_page_shows_it_and_nothing_is_published() {
    let app = spawn().await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let form = [("title", "Frist verlängert"), ("body", "**Wichtig:** die Frist endet\n\n- am 31.01.\n- für alle"), ("target", "alle"), ("expires", "2099-12-31"), ("vorschau", "ja")];
    let location = refused(&app, &advisor, "publish_announcement", "/mitteilungen", &form).await;
    let shown = html(&advisor, &location).await;
    let at = shown.find("id=\"vorschau\"").unwrap_or_else(|| panic!("no preview: {}", &shown[shown.find("<main").unwrap_or(0)..]));
    let section = &shown[at..at + 800.min(shown.len() - at)];
    assert!(section.contains("<strong>Wichtig:") && section.contains("<li>am 31.01."), "the Markdown as it will appear: {section}");
    assert!(!shown.contains("Es ist ein Problem aufgetreten"), "a preview is no refusal");
    for kept in ["value=\"Frist verlängert\"", "**Wichtig:** die Frist endet", "value=\"2099-12-31\""] {
        assert!(shown.contains(kept), "{kept}");
    }
    assert_eq!(app.count("announcement").await, 0, "nothing published");
}

/// Posts a plain form to a route of the server as a browser does; returns where the refusal sends it.
async fn refused_at(app: &TestApp, c: &reqwest::Client, action: &str, form: &[(&str, &str)]) -> String {
    let res = c.post(app.url(action)).header("accept", "text/html").form(form).send().await.expect("post");
    assert_eq!(res.status(), 303, "{action}");
    let location = res.headers()["location"].to_str().expect("location").to_string();
    assert!(location.contains("__err=") && location.contains("__formular="), "{location}");
    app.url(&location)
}

#[tokio::test]
async fn an_invitation_and_an_api_key_refused_come_back_to_their_form_with_what_was_typed() {
    let app = spawn().await;
    let (admin, _) = app.signed_in(Role::Admin, "LAND").await;
    let invite = [("name", "Erika Muster"), ("email", "keine-adresse"), ("role", "advisor"), ("orgs", "LAND")];
    let location = refused_at(&app, &admin, "/verwaltung/benutzer/einladen", &invite).await;
    let shown = html(&admin, &location).await;
    assert!(shown.contains("Es ist ein Problem aufgetreten"), "the messages on the form's page");
    for kept in ["value=\"Erika Muster\"", "value=\"keine-adresse\"", "<option value=\"advisor\" selected", "value=\"LAND\""] {
        assert!(shown.contains(kept), "{kept}");
    }
    assert_eq!(app.count("app_user WHERE email = 'keine-adresse'").await, 0);

    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let key = [("name", "Fachverfahren"), ("days", "999"), ("scope", "write"), ("reauth", "falsches-passwort-123")];
    let location = refused_at(&app, &clerk, "/konto/api-schluessel", &key).await;
    let stored = crate::common::db::text(&app, "SELECT fields FROM form_draft").await;
    assert!(!stored.contains("falsches-passwort-123"), "never the password: {stored}");
    let shown = html(&clerk, &location).await;
    for kept in ["value=\"Fachverfahren\"", "value=\"999\"", "<option value=\"write\" selected"] {
        assert!(shown.contains(kept), "{kept}");
    }
    assert!(!shown.contains("falsches-passwort-123"));
    // A program (no HTML asked for) still gets the refusal as it did.
    let res = clerk.post(app.url("/konto/api-schluessel")).form(&[("name", ""), ("days", "0")]).send().await.expect("post");
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn a_refused_upload_goes_back_to_the_case_with_nur_intern_still_ticked() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let id = crate::common::cases::file(&app, &clerk, "Frage mit Anhang", "Text").await;
    let form = reqwest::multipart::Form::new()
        .text("intern", "ja")
        .part("datei", reqwest::multipart::Part::bytes(b"<script>alert(1)</script>".to_vec()).file_name("skript.html").mime_str("text/html").expect("mime"));
    let res = advisor.post(app.url(&format!("/faelle/{id}/anhaenge"))).header("accept", "text/html").multipart(form).send().await.expect("upload");
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().expect("location").to_string();
    assert!(location.starts_with(&format!("/faelle/{id}?anhangfehler=")) && location.contains("__formular="), "{location}");
    let shown = html(&advisor, &app.url(&location)).await;
    assert!(shown.contains("Der Anhang wurde nicht gespeichert") && shown.contains("nicht angenommen"), "the message on the case");
    let at = shown.find("id=\"datei-intern\"").expect("the flag");
    assert!(shown[at.saturating_sub(120)..at + 120].contains("checked"), "still ticked");
    assert_eq!(app.count("attachment").await, 0);
}
