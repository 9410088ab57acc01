//! The Wissensportal through the real router: the way to publication with a second advisor,
//! versions, who reads what, search, script in Markdown, drafts from solved cases, suggestions
//! while filing (cases avoided), votes and the review reminder.

use crate::common::cases::{file, message, patch, HALLE, MAGDEBURG};
use crate::common::knowledge::{input, published, seed_articles};
use crate::common::{spawn_with, test_config, TestApp};
use app::identity::Role;
use app::knowledge::service::{feedback, figures, store};
use serde_json::{json, Value};
use sea_orm::{ConnectionTrait, EntityTrait};

async fn user_id(app: &TestApp, email: &str) -> String {
    app::accounts::service::users::find_by_email(&app.db, email).await.expect("db").expect("user").id
}

/// An OZG-ID and a Themenfeld of the shipped catalogue.
async fn catalogue_entry(app: &TestApp) -> (String, String) {
    use sea_orm::{EntityTrait, QueryOrder};
    let s = app::core::entities::ozg_service::Entity::find().order_by_asc(app::core::entities::ozg_service::Column::OzgId).one(&app.db).await.expect("db").expect("catalogue");
    (s.ozg_id, s.themenfeld)
}

async fn page(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = c.get(app.url(path)).send().await.expect("page");
    (res.status().as_u16(), res.text().await.expect("html"))
}

#[tokio::test]
async fn an_article_is_published_only_after_a_second_advisors_review_and_keeps_every_version() {
    let app = spawn_with(test_config(), true).await;
    let (ozg, field) = catalogue_entry(&app).await;
    let (a, _) = app.signed_in(Role::Advisor, "LAND").await;
    let (b, _) = app.signed_in(Role::Advisor, "LAND").await;
    let anonymous = crate::common::client();
    let form = |title: &str, body: &str, id: &str, version: &str| -> Vec<(String, String)> {
        vec![
            ("id".into(), id.into()),
            ("title".into(), title.into()),
            ("summary".into(), "Wie die Anbindung gelingt.".into()),
            ("body".into(), body.into()),
            ("category".into(), "Technik".into()),
            ("tags".into(), "ePayment, Gebühren".into()),
            ("audience".into(), "oeffentlich".into()),
            ("ozg_ids".into(), ozg.clone()),
            ("tf[0]".into(), field.clone()),
            ("version".into(), version.into()),
        ]
    };
    let post = |c: &reqwest::Client, endpoint: &str, f: Vec<(String, String)>| {
        let c = c.clone();
        let url = app.url(&format!("/api/{endpoint}"));
        async move { c.post(url).header("accept", "application/json").form(&f).send().await.expect("request") }
    };
    // Bad input: German messages per field, nothing stored.
    let res = post(&a, "save_article", form("x", "", "", "0")).await;
    assert_eq!(res.status(), 422);
    let v: Value = res.json().await.expect("json");
    assert!(v.to_string().contains("Der Titel muss 3 bis 200 Zeichen lang sein") && v.to_string().contains("Text des Artikels"), "{v}");
    let mut unknown = form("Zahlungsverkehr anbinden", "Text", "", "0");
    unknown[7].1 = "99999999".into();
    assert!(post(&a, "save_article", unknown).await.text().await.expect("text").contains("Keine OZG-Leistung des Katalogs: »99999999«"));
    assert_eq!(app.count("article").await, 0);

    assert_eq!(post(&a, "save_article", form("Zahlungsverkehr anbinden", "## Schritte\n\n1. Vertrag\n2. Anbindung", "", "0")).await.status(), 200);
    let id: i64 = {
        use sea_orm::EntityTrait;
        app::core::entities::article::Entity::find().one(&app.db).await.expect("db").expect("article").id
    };
    // A draft is not disclosed: not found for the public, not listed.
    assert_eq!(page(&anonymous, &app, &format!("/wissen/{id}")).await.0, 404);
    let step = |c: &reqwest::Client, s: &str| post(c, "article_step", vec![("id".into(), id.to_string()), ("schritt".into(), s.into()), ("version".into(), "1".into())]);
    let step_v2 = |c: &reqwest::Client, s: &str| post(c, "article_step", vec![("id".into(), id.to_string()), ("schritt".into(), s.into()), ("version".into(), "2".into())]);
    assert_eq!(step(&a, "veroeffentlichen").await.status(), 409, "a draft is first given to review");
    assert_eq!(step(&a, "pruefen").await.status(), 200);
    let refused = step(&a, "veroeffentlichen").await;
    assert_eq!(refused.status(), 409, "the author cannot approve their own text");
    assert!(refused.text().await.expect("text").contains("zweite Person"));
    assert_eq!(step(&b, "veroeffentlichen").await.status(), 200);
    let (status, html) = page(&anonymous, &app, &format!("/wissen/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Zahlungsverkehr anbinden") && html.contains("<h2>Schritte</h2>") && html.contains("<ol>") && html.contains("geprüft am"), "{html}");
    assert!(!html.contains("Für die Landesberatung"), "the workings stay with the advisors");

    // A change of the published article waits for the second advisor; readers keep the old text.
    assert_eq!(post(&a, "save_article", form("Zahlungsverkehr anbinden", "## Schritte\n\nNeuer Ablauf mit Girocard", &id.to_string(), "1")).await.status(), 200);
    let stale = post(&b, "save_article", form("Zahlungsverkehr anbinden", "Alt", &id.to_string(), "1")).await;
    assert_eq!(stale.status(), 409, "a save from an older version is refused");
    let (_, html) = page(&anonymous, &app, &format!("/wissen/{id}")).await;
    assert!(html.contains("1. Vertrag") || html.contains("Vertrag"), "the published text stays until the review");
    assert!(!html.contains("Girocard"));
    assert_eq!(step_v2(&a, "veroeffentlichen").await.status(), 409);
    assert_eq!(step_v2(&b, "veroeffentlichen").await.status(), 200);
    let (_, html) = page(&anonymous, &app, &format!("/wissen/{id}")).await;
    assert!(html.contains("Girocard"), "the reviewed change is live");
    // Every version is kept with who changed it; the advisors see them.
    assert_eq!(app.count(&format!("article_version WHERE article_id = {id}")).await, 2);
    let (_, desk) = page(&b, &app, &format!("/wissen/{id}")).await;
    assert!(desk.contains("Fassung 1") && desk.contains("Fassung 2") && desk.contains("Änderung zur Prüfung gespeichert"), "{desk}");
    let (_, old) = page(&b, &app, &format!("/wissen/{id}?fassung=1")).await;
    assert!(old.contains("Vertrag") && !old.contains("Girocard"));
    assert!(app.count("audit_log WHERE action = 'article_published'").await == 2 && app.count("audit_log WHERE action = 'article_saved'").await == 1);
    // Readers find it by a word's beginning, by Themenfeld and by OZG-Leistung; the register's
    // record page lists it.
    for q in ["q=girocar", &format!("themenfeld={}", app::ui::format::urlencode(&field)), &format!("leistung={ozg}")] {
        let found: Value = anonymous.get(app.url(&format!("/api/v1/articles?{q}"))).send().await.expect("search").json().await.expect("json");
        assert_eq!(found["total"], 1, "{q}: {found}");
        assert_eq!(found["articles"][0]["id"], id);
    }
    let doc: Value = anonymous.get(app.url(&format!("/api/v1/articles/{id}"))).send().await.expect("read").json().await.expect("json");
    assert!(doc["markdown"].as_str().expect("md").contains("Girocard") && doc["services"][0]["ozg_id"] == json!(ozg), "{doc}");
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let record = app.server_fn(&clerk, "record_page", &[("key", MAGDEBURG), ("ozg_id", &ozg)]).await.json::<Value>().await.expect("json");
    assert_eq!(record["articles"][0]["id"], id, "{record}");
}

#[tokio::test]
async fn articles_for_the_kommunen_and_drafts_stay_hidden_from_those_who_may_not_read_them() {
    let app = spawn_with(test_config(), true).await;
    let [public, kommunen, draft] = seed_articles(&app).await;
    let anonymous = crate::common::client();
    let (clerk, _) = app.signed_in(Role::Clerk, HALLE).await;
    let titles = |v: &Value| v["articles"].as_array().expect("list").iter().map(|a| a["id"].as_i64().expect("id")).collect::<Vec<_>>();
    let anon: Value = anonymous.get(app.url("/api/v1/articles")).send().await.expect("list").json().await.expect("json");
    assert_eq!(titles(&anon), vec![public]);
    let signed: Value = clerk.get(app.url("/api/v1/articles")).send().await.expect("list").json().await.expect("json");
    let mut seen = titles(&signed);
    seen.sort();
    assert_eq!(seen, vec![public, kommunen]);
    // A clerk asking for drafts gets the published ones: the status filter is the advisors'.
    let asked: Value = clerk.get(app.url("/api/v1/articles?status=entwurf")).send().await.expect("list").json().await.expect("json");
    assert!(!titles(&asked).contains(&draft));
    assert_eq!(anonymous.get(app.url(&format!("/api/v1/articles/{kommunen}"))).send().await.expect("read").status(), 401);
    assert_eq!(clerk.get(app.url(&format!("/api/v1/articles/{draft}"))).send().await.expect("read").status(), 404);
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let drafts: Value = advisor.get(app.url("/api/v1/articles?status=entwurf")).send().await.expect("list").json().await.expect("json");
    assert_eq!(titles(&drafts), vec![draft]);
}

#[tokio::test]
async fn script_in_markdown_is_shown_as_text_and_unsafe_links_lose_their_target() {
    let app = spawn_with(test_config(), true).await;
    let a = user_id(&app, &app.user(Role::Advisor, "LAND").await).await;
    let b = user_id(&app, &app.user(Role::Advisor, "LAND").await).await;
    let body = "Vorsicht <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[klick](javascript:alert(3)) [daten](data:text/html;base64,PHNjcmlwdD4=) \
                <a href=\"https://example.org\" onclick=\"alert(4)\">a</a>\n\n<svg onload=alert(5)><circle/></svg>\n\n![bild](javascript:alert(6))";
    let id = published(&app, &a, &b, input("Sicherheit beim Einbetten", body, "oeffentlich", &[], &[])).await;
    let (status, html) = page(&crate::common::client(), &app, &format!("/wissen/{id}")).await;
    assert_eq!(status, 200);
    // The article's text: its `div` up to its end (this text makes no table, the only inner `div`).
    let article = html.split("article-text").nth(1).expect("the article's text").split("</div>").next().expect("end");
    // Every real tag of the text (escaped ones are `&lt;…`): only harmless elements, no event
    // attributes, no script or data targets.
    // (Leptos's own markers are comments, `<!…>`; they carry nothing of the text.)
    for tag in article.split('<').skip(1).map(|t| t.split('>').next().unwrap_or_default().to_lowercase()).filter(|t| !t.starts_with('!')) {
        let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or_default().to_string();
        assert!(["p", "a", "div", "h2", "h3", "ul", "ol", "li", "em", "strong", "code", "pre"].contains(&name.as_str()), "element {tag} reached the page");
        assert!(!tag.contains(" on") && !tag.contains("javascript:") && !tag.contains("data:"), "attribute in {tag}");
    }
    assert!(article.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "raw HTML is visible as text: {article}");
    assert!(article.contains("&lt;svg onload=alert(5)&gt;"), "{article}");
}

#[tokio::test]
async fn a_solved_case_becomes_a_draft_without_the_names_of_the_kommune_or_its_people() {
    let app = spawn_with(test_config(), true).await;
    let (clerk, clerk_email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let clerk_name = {
        let u = app::accounts::service::users::find_by_email(&app.db, &clerk_email).await.expect("db").expect("user");
        u.name
    };
    let id = file(&app, &clerk, "ePayment in Magdeburg anbinden", &format!("Wir in Magdeburg fragen: wie binden wir ePayment an? Gruß, {clerk_name}")).await;
    assert_eq!(message(&app, &advisor, id, "Nutzen Sie den Landesbasisdienst ePayment.", false).await.status(), 201);
    assert_eq!(message(&app, &advisor, id, "Intern: Rückruf bei Frau X", true).await.status(), 201);
    // Not yet solved: no draft.
    let early = app.server_fn(&advisor, "knowledge_editor", &[("fall", &id.to_string())]).await;
    assert_eq!(early.status(), 409);
    // The answer took the new case into work; from there it is solved.
    assert_eq!(patch(&app, &advisor, id, json!({ "status": "solved" })).await.status(), 200);
    assert_eq!(app.server_fn(&clerk, "knowledge_editor", &[("fall", &id.to_string())]).await.status(), 403, "clerks write no articles");
    let draft: Value = app.server_fn(&advisor, "knowledge_editor", &[("fall", &id.to_string())]).await.json().await.expect("json");
    let text = draft.to_string();
    assert!(text.contains("wie binden wir ePayment an") && text.contains("Landesbasisdienst ePayment"), "{text}");
    assert!(!text.contains("Magdeburg") && !text.contains(&clerk_name) && !text.contains(&clerk_email), "names are left out: {text}");
    assert!(!text.contains("Rückruf"), "internal notes stay out: {text}");
    assert_eq!(draft["source_case"], id);
    assert_eq!(app.count("article").await, 0, "nothing is stored until the advisor saves");
    let form = [
        ("title", draft["title"].as_str().expect("title")),
        ("summary", draft["summary"].as_str().expect("summary")),
        ("body", draft["body"].as_str().expect("body")),
        ("category", draft["category"].as_str().expect("category")),
        ("audience", "kommunen"),
        ("fall", &id.to_string()),
    ];
    assert_eq!(app.server_fn(&advisor, "save_article", &form).await.status(), 200);
    assert_eq!(app.count(&format!("article WHERE source_case = {id} AND status = 'entwurf'")).await, 1);
}

#[tokio::test]
async fn articles_shown_while_filing_are_counted_and_a_day_without_a_case_counts_as_avoided() {
    let app = spawn_with(test_config(), true).await;
    let (ozg, _) = catalogue_entry(&app).await;
    let a = user_id(&app, &app.user(Role::Advisor, "LAND").await).await;
    let b = user_id(&app, &app.user(Role::Advisor, "LAND").await).await;
    let id = published(&app, &a, &b, input("Gebührenbescheide elektronisch zustellen", "Text", "kommunen", &[&ozg], &[])).await;
    let (clerk, clerk_email) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    // By a word of the subject, and by the OZG-Leistung alone.
    for (subject, ids) in [("Frage zu Gebührenbescheiden", ""), ("Etwas anderes", ozg.as_str())] {
        let form: Value = app.server_fn(&clerk, "filing_form", &[("subject", subject), ("ozg_ids", ids)]).await.json().await.expect("json");
        assert_eq!(form["suggestions"][0]["id"], id, "{subject}: {form}");
    }
    let none: Value = app.server_fn(&clerk, "filing_form", &[("subject", "Ganz und gar unverwandt")]).await.json().await.expect("json");
    assert_eq!(none["suggestions"], json!([]));
    assert_eq!(app.count("article_suggestion").await, 1, "shown again the same day counts once");
    // An article of the chosen Leistung comes before one that only shares words with the subject,
    // however often that one helped; the Leistung may be named instead of its OZG-ID.
    let other = published(&app, &a, &b, input("Elterngeld und ePayment: Gebühren online einnehmen", "Text", "kommunen", &[], &[])).await;
    app.db.execute_unprepared(&format!("UPDATE article SET helpful_yes = 50 WHERE id = {other}")).await.expect("votes");
    let name = app::core::entities::ozg_service::Entity::find_by_id(ozg.clone()).one(&app.db).await.expect("db").expect("service").name;
    for chosen in [ozg.clone(), name.clone(), app::catalogue::model::service_label(&ozg, &name)] {
        let form: Value = app.server_fn(&clerk, "filing_form", &[("subject", "Elterngeld online, Gebühren per ePayment?"), ("ozg_ids", &chosen)]).await.json().await.expect("json");
        let ids: Vec<i64> = form["suggestions"].as_array().expect("suggestions").iter().map(|s| s["id"].as_i64().expect("id")).collect();
        assert_eq!(ids, [id, other], "{chosen}: the Leistung's article first");
        assert_eq!(form["chosen"], app::catalogue::model::service_label(&ozg, &name));
    }
    // The first step is checked: a subject, and Leistungen of the catalogue.
    for (subject, ids, field, says) in [("", "", "betreff", "Bitte geben Sie einen Betreff ein"), ("Frage", "Eltergeldantrag", "ozg", "»Eltergeldantrag« ist keine OZG-Leistung des Katalogs")] {
        let res = app.server_fn(&clerk, "filing_form", &[("subject", subject), ("ozg_ids", ids)]).await;
        assert_eq!(res.status(), 422, "{field}");
        assert!(res.text().await.expect("body").contains(says), "{field}");
    }
    // This clerk files after all: not avoided.
    file(&app, &clerk, "Trotzdem eine Frage", "Text").await;
    assert_eq!(app.count("article_suggestion WHERE filed").await, 2, "both articles shown to this clerk today");
    // Another clerk saw it yesterday and filed nothing: one case avoided.
    let other = user_id(&app, &app.user(Role::Clerk, HALLE).await).await;
    let yesterday = app::core::time::now() - chrono::Duration::days(1);
    feedback::shown(&app.db, &feedback::filing_token(&other, yesterday), &[id], yesterday).await.expect("shown");
    let f = figures::figures(&app.db, 365, app::core::time::now()).await.expect("figures");
    assert_eq!((f.shown_on_filing, f.avoided, f.published), (3, 1, 2));
    let _ = clerk_email;
}

#[tokio::test]
async fn one_answer_per_account_counts_and_a_comment_reaches_only_the_author() {
    let app = spawn_with(test_config(), true).await;
    let author_email = app.user(Role::Advisor, "LAND").await;
    let a = user_id(&app, &author_email).await;
    let b = user_id(&app, &app.user(Role::Advisor, "LAND").await).await;
    let id = published(&app, &a, &b, input("Hilft das?", "Text", "oeffentlich", &[], &[])).await;
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    let sid = id.to_string();
    let vote = |h: &'static str, k: &'static str| {
        let form = [("id".to_string(), sid.clone()), ("hilfreich".to_string(), h.to_string()), ("kommentar".to_string(), k.to_string())];
        let req = clerk.post(app.url("/api/vote_article")).header("accept", "application/json").form(&form);
        async move { req.send().await.expect("vote") }
    };
    assert_eq!(vote("vielleicht", "").await.status(), 422);
    assert_eq!(vote("ja", "").await.status(), 200);
    assert_eq!(vote("ja", "").await.status(), 200);
    assert_eq!(vote("nein", "Es fehlt das Formular für Vereine.").await.status(), 200);
    assert_eq!(app.count(&format!("article WHERE id = {id} AND helpful_yes = 0 AND helpful_no = 1")).await, 1, "one answer per account");
    assert_eq!(app.count(&format!("notification WHERE user_id = '{a}' AND kind = 'article_feedback' AND text LIKE '%Vereine%'")).await, 1);
    assert_eq!(app.count("notification WHERE kind = 'article_feedback'").await, 1, "only the author");
    let (_, html) = page(&crate::common::client(), &app, &format!("/wissen/{id}")).await;
    assert!(!html.contains("Vereine"), "comments are not public");
    assert_eq!(crate::common::client().post(app.url("/api/vote_article")).header("accept", "application/json").form(&[("id", id.to_string()), ("hilfreich", "ja".into())]).send().await.expect("vote").status(), 401);
}

#[tokio::test]
async fn the_author_is_reminded_once_when_an_article_is_due_for_review() {
    let app = spawn_with(test_config(), true).await;
    let a = user_id(&app, &app.user(Role::Advisor, "LAND").await).await;
    let b = user_id(&app, &app.user(Role::Advisor, "LAND").await).await;
    let id = published(&app, &a, &b, input("Alt", "Text", "oeffentlich", &[], &[])).await;
    let now = app::core::time::now();
    assert_eq!(figures::remind(&app.db, &app.state.config, now).await.expect("remind"), 0, "not yet due");
    let later = now + chrono::Duration::days(400);
    assert_eq!(figures::remind(&app.db, &app.state.config, later).await.expect("remind"), 1);
    assert_eq!(figures::remind(&app.db, &app.state.config, later).await.expect("remind"), 0, "once");
    assert_eq!(app.count(&format!("notification WHERE user_id = '{a}' AND kind = 'article_due'")).await, 1);
    assert_eq!(figures::figures(&app.db, 365, later).await.expect("figures").due.len(), 1);
    // Confirming the content resets "geprüft am".
    store::step(&app.db, &app.state.config, &b, id, store::Step::Confirm, None, later).await.expect("confirm");
    assert!(figures::figures(&app.db, 365, later).await.expect("figures").due.is_empty());
}

#[tokio::test]
async fn files_of_an_article_follow_the_attachment_rules_and_the_articles_readers() {
    let app = spawn_with(test_config(), true).await;
    let [public, kommunen, _] = seed_articles(&app).await;
    let (advisor, _) = app.signed_in(Role::Advisor, "LAND").await;
    let upload = |id: i64, name: &'static str, mime: &'static str, data: &'static [u8]| {
        let part = reqwest::multipart::Part::bytes(data.to_vec()).file_name(name).mime_str(mime).expect("mime");
        advisor.post(app.url(&format!("/wissen/{id}/dateien"))).multipart(reqwest::multipart::Form::new().part("datei", part)).send()
    };
    // A script disguised as a PDF, and an HTML page: refused in German, nothing stored.
    let res = upload(public, "formular.pdf", "application/pdf", b"<script>alert(1)</script>").await.expect("upload");
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("html").contains("nicht angenommen"));
    assert_eq!(upload(public, "seite.html", "text/html", b"<html></html>").await.expect("upload").status(), 422);
    assert_eq!(app.count("article_file").await, 0);
    assert_eq!(upload(public, "Antrag.pdf", "application/pdf", b"%PDF-1.7 Formular").await.expect("upload").status(), 303);
    assert_eq!(upload(kommunen, "Liste.csv", "text/csv", b"OZG-ID;Name\n10000;Elterngeld\n").await.expect("upload").status(), 303);
    let file_of = |id: i64| {
        let db = app.db.clone();
        async move {
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            app::core::entities::article_file::Entity::find().filter(app::core::entities::article_file::Column::ArticleId.eq(id)).one(&db).await.expect("db").expect("file").id
        }
    };
    let (pdf, csv) = (file_of(public).await, file_of(kommunen).await);
    // A file above the forms' 2 MB is held to the attachment limit, not the forms'.
    let mut large = b"%PDF-1.7 Handbuch ".to_vec();
    large.resize(3 * 1024 * 1024, b'x');
    let part = reqwest::multipart::Part::bytes(large).file_name("Handbuch.pdf").mime_str("application/pdf").expect("mime");
    let res = advisor.post(app.url(&format!("/wissen/{kommunen}/dateien"))).multipart(reqwest::multipart::Form::new().part("datei", part)).send().await.expect("upload");
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("article_file").await, 3);
    let anonymous = crate::common::client();
    let res = anonymous.get(app.url(&format!("/wissen/{public}/dateien/{pdf}"))).send().await.expect("download");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().expect("header").starts_with("attachment"));
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(anonymous.get(app.url(&format!("/wissen/{kommunen}/dateien/{csv}"))).send().await.expect("download").status(), 401, "the Kommunen's file needs a sign-in");
    assert_eq!(anonymous.get(app.url(&format!("/wissen/{public}/dateien/{csv}"))).send().await.expect("download").status(), 404, "a file only under its own article");
    let (clerk, _) = app.signed_in(Role::Clerk, MAGDEBURG).await;
    assert_eq!(clerk.get(app.url(&format!("/wissen/{kommunen}/dateien/{csv}"))).send().await.expect("download").status(), 200);
    let (_, html) = page(&anonymous, &app, &format!("/wissen/{public}")).await;
    assert!(html.contains("Antrag.pdf") && !html.contains("Hochladen"), "readers see the file, not the upload");
    assert_eq!(app.server_fn(&clerk, "remove_article_file", &[("id", &public.to_string()), ("datei", &pdf)]).await.status(), 403);
    assert_eq!(app.server_fn(&advisor, "remove_article_file", &[("id", &public.to_string()), ("datei", &pdf)]).await.status(), 200);
    assert_eq!(app.count("article_file").await, 2);
    assert_eq!(app.count("audit_log WHERE action IN ('article_file_added', 'article_file_removed')").await, 4);
}

#[tokio::test]
async fn reading_an_article_writes_nothing_and_the_job_adds_the_reads() {
    let app = spawn_with(test_config(), true).await;
    let [public, _, _] = seed_articles(&app).await;
    let anonymous = crate::common::client();
    for _ in 0..2 {
        assert_eq!(page(&anonymous, &app, &format!("/wissen/{public}")).await.0, 200);
    }
    assert_eq!(app.count(&format!("article WHERE id = {public} AND views = 0")).await, 1, "a read is not a write");
    app::knowledge::service::query::flush_views(&app.db).await.expect("flush");
    // Other tests of this process may count reads too; these two are among the added ones.
    assert_eq!(app.count(&format!("article WHERE id = {public} AND views >= 2")).await, 1);
}
