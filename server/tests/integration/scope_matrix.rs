//! The scope matrix: every route × anonymous / clerk of Kommune A / clerk of Kommune B /
//! advisor / association / admin / partner organisation. It grows with every feature.
//!
//! A row names the first six statuses; the partner's follows from them (see `partner_status`)
//! unless the row names it: what every signed-in role gets, the partner gets; where the roles
//! differ, the partner gets no more than an association or a foreign Kommune.

use crate::common::{TestApp, client, spawn, spawn_with, test_config};
use app::identity::Role;

/// A server function that redirects answers a JSON client with this status.
const LOGOUT: [u16; 6] = [200; 6];

const ACTORS: [&str; 7] = ["anonym", "Kommune A", "Kommune B", "Beratung", "Verband", "Admin", "Partner"];

pub(crate) struct Case {
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
    pub(crate) form: Vec<(&'static str, String)>,
    json: Option<serde_json::Value>,
    /// Expected status per actor, in the order of `ACTORS` (without the partner).
    expect: [u16; 6],
    /// The partner's status where the rule of `partner_status` does not give it.
    pub(crate) partner: Option<u16>,
}

impl Case {
    /// The row with a JSON body.
    pub(crate) fn json(mut self, body: serde_json::Value) -> Case {
        self.json = Some(body);
        self
    }

    /// The row with the partner's own expected status.
    pub(crate) fn partner(mut self, status: u16) -> Case {
        self.partner = Some(status);
        self
    }

    /// The partner's expected status: as named, or what every other signed-in role gets, or
    /// (where they differ) the refusal an association or a foreign Kommune gets, or 403.
    fn partner_status(&self) -> u16 {
        if let Some(p) = self.partner {
            return p;
        }
        let signed_in = &self.expect[1..];
        if signed_in.iter().all(|s| *s == signed_in[0]) {
            return signed_in[0];
        }
        [self.expect[4], self.expect[2]].into_iter().find(|s| *s >= 400).unwrap_or(403)
    }

    fn expected(&self, actor: usize) -> u16 {
        if actor == 6 { self.partner_status() } else { self.expect[actor] }
    }
}

/// A path built at run time (with an id), kept for the test's duration.
pub(crate) fn owned(path: String) -> &'static str {
    Box::leak(path.into_boxed_str())
}

pub(crate) fn case(method: &'static str, path: &'static str, expect: [u16; 6]) -> Case {
    Case { method, path, form: Vec::new(), json: None, expect, partner: None }
}

async fn status(app: &TestApp, c: &reqwest::Client, case: &Case) -> u16 {
    let url = app.url(case.path);
    let req = match case.method {
        "GET" => c.get(url),
        "FN" => c.post(url).header("accept", "application/json").form(&case.form),
        "PUT" => c.put(url).json(case.json.as_ref().expect("body")),
        "POST_JSON" => c.post(url).json(case.json.as_ref().expect("body")),
        "PATCH" => c.patch(url).json(case.json.as_ref().expect("body")),
        "DELETE" => c.delete(url),
        "POST" => c.post(url),
        "POST_CSV" => c.post(url).body("OZG-ID\n"),
        "POST_FORM" => c.post(url).header("content-type", "application/x-www-form-urlencoded").body("ozg=10002&stage=planned"),
        "POST_TOKEN_FORM" => c.post(url).form(&[("name", "Matrix"), ("days", "30")]),
        "POST_INVITE" => c.post(url).form(&[("name", "Matrix Person"), ("email", "matrix@magdeburg.example"), ("role", "clerk"), ("orgs", "15003000")]),
        "POST_UPLOAD" => {
            let part = reqwest::multipart::Part::bytes(b"OZG-ID\n".to_vec()).file_name("register.csv").mime_str("text/csv").expect("mime");
            c.post(url).multipart(reqwest::multipart::Form::new().part("datei", part))
        }
        other => panic!("unknown method {other}"),
    };
    req.send().await.expect("request").status().as_u16()
}

/// Every route and server function × actor with the expected status. `case_id` is a case of
/// Kommune A; `victim_id` a clerk of Kommune B whom only an administrator may deactivate (last,
/// since it succeeds).
fn matrix(case_id: i64, victim_id: String, articles: [i64; 3], events: [i64; 2], rollout: &crate::scope_matrix_rollout::Ids, gremien: &crate::scope_matrix_gremien::Ids) -> Vec<Case> {
    let all_ok = [200; 6];
    let signed_in = [401, 200, 200, 200, 200, 200];
    let admin_only = [401, 403, 403, 403, 403, 200];
    let mut cases = vec![
        case("GET", "/", all_ok),
        case("GET", "/anmelden", all_ok),
        case("GET", "/impressum", all_ok),
        case("GET", "/datenschutz", all_ok),
        case("GET", "/barrierefreiheit", all_ok),
        case("GET", "/leichte-sprache", all_ok),
        case("GET", "/gebaerdensprache", all_ok),
        case("GET", "/livez", all_ok),
        case("GET", "/readyz", all_ok),
        // Metrics are off unless a token or a separate address is configured; a session never opens them.
        case("GET", "/metrics", [404; 6]),
        case("GET", "/konto", signed_in),
        case("GET", "/verwaltung/benutzer", admin_only),
        case("GET", "/api/v1/me", signed_in),
        case("FN", "/api/me", all_ok),
        // Visitors get `null` (the public start page asks too); figures only when signed in.
        case("FN", "/api/overview", all_ok),
        case("FN", "/api/extend_session", signed_in),
        case("FN", "/api/admin_users", admin_only),
    ];
    // Leistungsregister of Kommune A (Magdeburg): its clerks write, advisors and admins read.
    let register_read = [401, 200, 403, 200, 403, 200];
    cases.push(case("GET", "/api/v1/municipalities/15003000/services", register_read));
    cases.push(case("GET", "/api/v1/municipalities/15003000/services/10000", register_read));
    cases.push(case("GET", "/api/v1/municipalities/15003000/services/10000/history", register_read));
    let mut write = case("PUT", "/api/v1/municipalities/15003000/services/10000", [401, 200, 403, 403, 403, 403]);
    write.json = Some(serde_json::json!({ "offered": false, "responsibility": "own", "stage": "planned", "version": 0 }));
    cases.push(write);
    // The catalogue's Fokusleistung flag: administrators only.
    cases.push(case("GET", "/verwaltung/katalog", admin_only));
    cases.push(case("FN", "/api/admin_catalogue", admin_only));
    // The catalogue's names for the lists of choices: anyone signed in.
    cases.push(case("FN", "/api/service_choices", [401, 200, 200, 200, 200, 200]));
    let mut focus = case("FN", "/api/admin_set_focus", admin_only);
    focus.form = vec![("ozg_id", "10001".into()), ("focus", "ja".into())];
    cases.push(focus);
    cases.push(case("GET", "/api/v1/municipalities/15003000/services.csv", register_read));
    // A CSV with a wrong header: the Kommune's clerk gets 422, everyone else no further than 401/403.
    cases.push(case("POST_CSV", "/api/v1/municipalities/15003000/services.csv", [401, 422, 403, 403, 403, 403]));
    let mut bulk = case("PUT", "/api/v1/municipalities/15003000/services/bulk", [401, 200, 403, 403, 403, 403]);
    bulk.method = "POST_JSON";
    bulk.json = Some(serde_json::json!({ "ozg_ids": ["10003"], "stage": "planned" }));
    cases.push(bulk);
    // The bulk form redirects (303) only for the Kommune's clerks; anonymous visitors go to the login.
    cases.push(case("POST_FORM", "/kommunen/15003000/leistungen/sammelaenderung", [303, 303, 403, 403, 403, 403]));
    cases.push(case("GET", "/api/v1/municipalities/15003000/services/10000/annotations", register_read));
    let mut note = case("POST_JSON", "/api/v1/municipalities/15003000/services/10000/annotations", [401, 403, 403, 201, 403, 403]);
    note.json = Some(serde_json::json!({ "body": "Anmerkung" }));
    cases.push(note);
    let mut note_fn = case("FN", "/api/annotate_record", [401, 403, 403, 200, 403, 403]);
    note_fn.form = vec![("key", "15003000".into()), ("ozg_id", "10000".into()), ("body", "Anmerkung".into())];
    cases.push(note_fn);
    // Register pages and their server functions.
    cases.push(case("GET", "/kommunen", [401, 200, 200, 200, 403, 200]));
    cases.push(case("FN", "/api/kommunen", [401, 200, 200, 200, 403, 200]));
    // Broken online addresses: a clerk reads those of their Kommunen, the Land every Kommune's.
    cases.push(case("GET", "/kommunen/links", [401, 200, 200, 200, 403, 200]));
    cases.push(case("FN", "/api/broken_links", [401, 200, 200, 200, 403, 200]));
    cases.push(case("GET", "/kommunen/15003000/leistungen", register_read));
    cases.push(case("GET", "/kommunen/15003000/leistungen/10000", register_read));
    let mut page_fn = case("FN", "/api/register_page", register_read);
    page_fn.form = vec![("key", "15003000".into())];
    cases.push(page_fn);
    let mut record_fn = case("FN", "/api/record_page", register_read);
    record_fn.form = vec![("key", "15003000".into()), ("ozg_id", "10000".into())];
    cases.push(record_fn);
    let mut save = case("FN", "/api/save_record", [401, 200, 403, 403, 403, 403]);
    save.form = vec![
        ("key", "15003000".into()),
        ("ozg_id", "10000".into()),
        ("version", "1".into()),
        ("stage", "in_progress".into()),
        ("responsibility", "own".into()),
    ];
    cases.push(save);
    let mut change = case("FN", "/api/change_password", [401, 422, 422, 422, 422, 422]);
    change.form = vec![
        ("current", "nicht das Passwort".into()),
        ("new_password", "ein ganz neues Passwort 9".into()),
        ("confirm", "ein ganz neues Passwort 9".into()),
    ];
    cases.push(change);
    // Maturity criteria: administrators only (one of them is created, by the administrator).
    cases.push(case("GET", "/verwaltung/reifegradkriterien", admin_only));
    cases.push(case("FN", "/api/admin_criteria", admin_only));
    let mut criterion = case("FN", "/api/admin_save_criterion", admin_only);
    criterion.form = vec![("model", "2.0".into()), ("code", "matrix_test".into()), ("label", "Test".into()), ("position", "50".into()), ("active", "ja".into())];
    cases.push(criterion);
    // Progress over time reads like the register.
    cases.push(case("GET", "/api/v1/municipalities/15003000/progress", register_read));
    // The CSV upload form: anonymous visitors go to the login; a bad file gets 422 for the
    // Kommune's clerk only.
    cases.push(case("POST_UPLOAD", "/kommunen/15003000/leistungen/import", [303, 422, 403, 403, 403, 403]));
    // API tokens: each signed-in user manages their own.
    cases.push(case("GET", "/api/v1/tokens", signed_in));
    cases.push(case("FN", "/api/my_tokens", signed_in));
    cases.push(case("POST_TOKEN_FORM", "/konto/api-schluessel", [303, 200, 200, 200, 200, 200]));
    cases.push(case("GET", "/api/v1/openapi.json", all_ok));
    // Beratungsfälle.
    let p = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let case_read = [401, 200, 403, 200, 403, 200];
    let inbox = [401, 200, 200, 200, 403, 200];
    let kommune_only = [401, 200, 200, 403, 403, 403];
    // A partner lists the cases shared with it (none here).
    cases.push(case("GET", "/faelle", inbox).partner(200));
    cases.push(case("GET", "/faelle/neu", kommune_only));
    cases.push(case("GET", p(format!("/faelle/{case_id}")), case_read));
    cases.push(case("GET", "/benachrichtigungen", signed_in));
    cases.push(case("GET", "/api/v1/cases", inbox).partner(200));
    cases.push(case("GET", p(format!("/api/v1/cases/{case_id}")), case_read));
    cases.push(case("GET", p(format!("/api/v1/cases/{case_id}/messages")), case_read));
    cases.push(case("GET", p(format!("/api/v1/cases/{case_id}/attachments")), case_read));
    cases.push(case("GET", p(format!("/faelle/{case_id}/anhaenge/unbekannt")), [303, 404, 403, 404, 403, 404]));
    cases.push(case("GET", "/api/v1/case-teams", [401, 403, 403, 200, 403, 200]));
    cases.push(case("GET", "/api/v1/case-categories", signed_in));
    cases.push(case("GET", "/api/v1/notifications", signed_in));
    let mut new_case = case("POST_JSON", "/api/v1/cases", [401, 201, 201, 403, 403, 403]);
    new_case.json = Some(serde_json::json!({ "subject": "Neu", "category": "recht", "description": "x" }));
    cases.push(new_case);
    let mut reply = case("POST_JSON", p(format!("/api/v1/cases/{case_id}/messages")), [401, 201, 403, 201, 403, 403]);
    reply.json = Some(serde_json::json!({ "body": "Antwort" }));
    cases.push(reply);
    let mut note = case("POST_JSON", p(format!("/api/v1/cases/{case_id}/messages")), [401, 403, 403, 201, 403, 403]);
    note.json = Some(serde_json::json!({ "body": "Notiz", "internal": true }));
    cases.push(note);
    // A stale version: whoever gets past the scope check meets the conflict.
    let mut stale = case("PATCH", p(format!("/api/v1/cases/{case_id}")), [401, 403, 403, 409, 403, 403]);
    stale.json = Some(serde_json::json!({ "version": 999, "priority": "high" }));
    cases.push(stale);
    let mut bulk_cases = case("POST_JSON", "/api/v1/cases/bulk", [401, 403, 403, 200, 403, 403]);
    bulk_cases.json = Some(serde_json::json!({ "ids": [case_id], "add_tag": "Matrix" }));
    cases.push(bulk_cases);
    let mut link = case("POST_JSON", p(format!("/api/v1/cases/{case_id}/links")), [401, 403, 403, 422, 403, 403]);
    link.json = Some(serde_json::json!({ "other": case_id }));
    cases.push(link);
    cases.push(case("POST", p(format!("/api/v1/cases/{case_id}/confirm")), [401, 409, 403, 403, 403, 403]));
    cases.push(case("POST_FORM", "/faelle/sammelaktion", [303, 403, 403, 422, 403, 403]));
    cases.push(case("POST_UPLOAD", p(format!("/faelle/{case_id}/anhaenge")), [303, 303, 403, 303, 403, 403]));
    cases.push(case("FN", "/api/inbox_page", inbox).partner(200));
    // Ratings: the Kommune rates its own solved case (this one is new: a conflict); the Land reads.
    let mut rate = case("FN", "/api/rate_case", [401, 409, 403, 403, 403, 403]);
    rate.form = vec![("id", case_id.to_string()), ("sterne", "4".into())];
    cases.push(rate);
    cases.push(case("GET", "/faelle/bewertungen", [401, 403, 403, 200, 403, 200]));
    cases.push(case("FN", "/api/case_ratings_page", [401, 403, 403, 200, 403, 200]));
    cases.push(case("GET", "/verwaltung/beratung", admin_only));
    cases.push(case("FN", "/api/admin_case_settings", admin_only));
    let mut sla_fn = case("FN", "/api/admin_save_sla", admin_only);
    sla_fn.form = vec![("priority", "low".into()), ("first_hours", "40".into()), ("followup_hours", "16".into()), ("resolution_hours", "160".into())];
    cases.push(sla_fn);
    let mut load = case("FN", "/api/load_case", case_read);
    load.form = vec![("id", case_id.to_string())];
    cases.push(load);
    let mut reply_fn = case("FN", "/api/reply_case", [401, 200, 403, 200, 403, 403]);
    reply_fn.form = vec![("id", case_id.to_string()), ("body", "Antwort".into())];
    cases.push(reply_fn);
    let mut change_fn = case("FN", "/api/change_case", [401, 403, 403, 409, 403, 403]);
    change_fn.form = vec![("id", case_id.to_string()), ("version", "999".into()), ("priority", "high".into())];
    cases.push(change_fn);
    // Lagebild: public figures for everyone; the association endpoints for associations and the
    // Land; no single Kommune's register for associations (see the register rows above).
    cases.push(case("GET", "/lagebild", all_ok));
    cases.push(case("GET", "/lagebild?gebiet=15083", all_ok));
    cases.push(case("FN", "/api/lagebild", all_ok));
    // Members side by side: the associations and the Land, never a Kommune or the public.
    cases.push(case("GET", "/lagebild/mitglieder", [401, 403, 403, 200, 200, 200]));
    cases.push(case("GET", "/lagebild/mitglieder?verband=lkt", [401, 403, 403, 200, 200, 200]));
    cases.push(case("FN", "/api/members", [401, 403, 403, 200, 200, 200]));
    cases.push(case("GET", "/api/v1/public/lagebild", all_ok));
    cases.push(case("GET", "/api/v1/public/lagebild?format=csv", all_ok));
    cases.push(case("GET", "/api/v1/public/areas/15083/services", all_ok));
    cases.push(case("GET", "/api/v1/public/services/10000", all_ok));
    let aggregates = [401, 403, 403, 200, 200, 200];
    cases.push(case("GET", "/api/v1/aggregates/lagebild", aggregates));
    cases.push(case("GET", "/api/v1/aggregates/areas/15/services", aggregates));
    cases.push(case("GET", "/api/v1/municipalities/15002000/services", [401, 403, 200, 200, 403, 200]));
    let mut file_fn = case("FN", "/api/file_case", kommune_only);
    file_fn.form = vec![("subject", "Über das Formular".into()), ("category", "sonstiges".into()), ("description", "x".into())];
    cases.push(file_fn);
    // Case administration, saved views, notifications (each checks its caller on the server).
    let mut category = case("FN", "/api/admin_save_category", admin_only);
    category.form = vec![("code", "matrix".into()), ("label", "Matrix".into()), ("position", "90".into()), ("active", "ja".into())];
    cases.push(category);
    let mut team = case("FN", "/api/admin_save_team", admin_only);
    team.form = vec![("name", "Matrixteam".into()), ("active", "ja".into())];
    cases.push(team);
    let mut hours = case("FN", "/api/admin_save_hours", admin_only);
    hours.form = vec![("start", "08:00".into()), ("end", "16:00".into()), ("d1", "ja".into()), ("d2", "ja".into()), ("d3", "ja".into()), ("d4", "ja".into()), ("d5", "ja".into())];
    cases.push(hours);
    let mut assign = case("FN", "/api/admin_save_assignment", admin_only);
    assign.form = vec![("uebernehmen", "ja".into())];
    cases.push(assign);
    let mut confirm_fn = case("FN", "/api/confirm_case", [401, 409, 403, 403, 403, 403]);
    confirm_fn.form = vec![("id", case_id.to_string())];
    cases.push(confirm_fn);
    let mut relate_fn = case("FN", "/api/relate_case", [401, 403, 403, 422, 403, 403]);
    relate_fn.form = vec![("id", case_id.to_string()), ("other", case_id.to_string()), ("kind", "related".into())];
    cases.push(relate_fn);
    let mut filing = case("FN", "/api/filing_form", kommune_only);
    filing.form = vec![("subject", "Frage zur Anbindung".into())];
    cases.push(filing);
    let mut save_view = case("FN", "/api/save_view", [401, 403, 403, 200, 403, 403]);
    save_view.form = vec![("name", "Matrixansicht".into()), ("query", "status=new".into())];
    cases.push(save_view);
    // Saved views are personal: another's (or none) reads as not found, for everyone.
    let mut delete_view = case("FN", "/api/delete_view", [401, 404, 404, 404, 404, 404]);
    delete_view.form = vec![("id", "unbekannt".into())];
    cases.push(delete_view);
    let mut rename_view = case("FN", "/api/rename_view", [401, 404, 404, 404, 404, 404]);
    rename_view.form = vec![("id", "unbekannt".into()), ("name", "Neu".into())];
    cases.push(rename_view);
    cases.push(case("FN", "/api/notifications_page", signed_in));
    cases.push(case("FN", "/api/read_notifications", signed_in));
    cases.push(case("POST", "/api/v1/notifications/read", [401, 204, 204, 204, 204, 204]));
    let mut prefs = case("FN", "/api/save_notification_prefs", signed_in);
    prefs.form = vec![("reply", "ja".into())];
    cases.push(prefs);
    // Attachments through the REST API: the Kommune's clerks and the Land's advisors only.
    cases.push(case("POST_UPLOAD", p(format!("/api/v1/cases/{case_id}/attachments")), [401, 201, 403, 201, 403, 403]));
    cases.push(case("GET", p(format!("/api/v1/cases/{case_id}/attachments/unbekannt")), [401, 404, 403, 404, 403, 404]));
    let mut duplicate = case("POST_JSON", p(format!("/api/v1/cases/{case_id}/duplicate")), [401, 403, 403, 422, 403, 403]);
    duplicate.json = Some(serde_json::json!({ "of": case_id, "version": 1 }));
    cases.push(duplicate);
    // Tokens: each signed-in user their own (a session is needed to create one).
    let mut token_json = case("POST_JSON", "/api/v1/tokens", [401, 201, 201, 201, 201, 201]);
    token_json.json = Some(serde_json::json!({ "name": "Matrix REST" }));
    cases.push(token_json);
    cases.push(case("DELETE", "/api/v1/tokens/unbekannt", [401, 404, 404, 404, 404, 404]));
    let mut revoke_fn = case("FN", "/api/revoke_token", [401, 404, 404, 404, 404, 404]);
    revoke_fn.form = vec![("id", "unbekannt".into())];
    cases.push(revoke_fn);
    cases.push(case("GET", "/api/v1/public/leika/99041006000000", all_ok));
    // Signing in with nothing: the same answer for everyone, nothing counted.
    let mut login_fn = case("FN", "/api/login", [422; 6]);
    login_fn.form = vec![("email", String::new()), ("password", String::new())];
    cases.push(login_fn);
    let mut login_rest = case("POST_JSON", "/api/v1/session", [422; 6]);
    login_rest.json = Some(serde_json::json!({ "email": "", "password": "" }));
    cases.push(login_rest);
    // The EfA list and a person's role and organisations: administrators only.
    cases.push(case("FN", "/api/admin_efa_services", admin_only));
    let mut efa = case("FN", "/api/admin_save_efa_service", admin_only);
    efa.form = vec![("name", "Matrix-Dienst".into()), ("provider", "Sachsen-Anhalt".into())];
    cases.push(efa);
    let mut access = case("FN", "/api/admin_change_user_access", admin_only);
    access.form = vec![("user_id", victim_id.clone()), ("role", "clerk".into()), ("orgs", "15002000".into())];
    cases.push(access);
    // Accounts and sign-in: links and the second factor answer alike for everyone without a
    // valid link or waiting sign-in; account management is for administrators (and a Kommune's
    // Ansprechperson, of which there is none here).
    cases.push(case("GET", "/passwort-vergessen", all_ok));
    // Without an identity provider configured its routes answer 404 for everyone.
    for path in ["/anmelden/landeskonto", "/anmelden/landeskonto/rueckruf", "/anmelden/landeskonto/abmelden"] {
        cases.push(case("GET", path, [404; 6]));
    }
    cases.push(case("FN", "/api/login_options", all_ok));
    // Reporting a barrier: anyone, five times an hour from one address (the sixth actor and the
    // partner after it are refused).
    cases.push(case("GET", "/barriere-melden", all_ok));
    let mut report = case("FN", "/api/report_barrier", [200, 200, 200, 200, 200, 429]).partner(429);
    report.form = vec![("seite", "/lagebild".into()), ("beschreibung", "Die Tabelle ist mit dem Screenreader nicht lesbar.".into())];
    cases.push(report);
    cases.push(case("GET", "/verwaltung/barrieren", admin_only));
    // Legal texts: everyone reads them; only administrators edit.
    let mut legal = case("FN", "/api/legal_page", all_ok);
    legal.form = vec![("page", "impressum".into())];
    cases.push(legal);
    cases.push(case("GET", "/verwaltung/rechtstexte", admin_only));
    cases.push(case("GET", "/verwaltung/rechtstexte/impressum", admin_only));
    let mut editor = case("FN", "/api/admin_legal_editor", admin_only);
    editor.form = vec![("page", "datenschutz".into())];
    cases.push(editor);
    let mut save_text = case("FN", "/api/admin_save_legal_text", admin_only);
    save_text.form = vec![("page", "barrierefreiheit".into()), ("text", "## Stand\n\nGeprüft.".into())];
    cases.push(save_text);
    cases.push(case("FN", "/api/admin_barrier_reports", admin_only));
    let mut status = case("FN", "/api/admin_set_barrier_status", [401, 403, 403, 403, 403, 404]);
    status.form = vec![("id", "unbekannt".into()), ("status", "erledigt".into())];
    cases.push(status);
    // Dead letters: administrators only (none here, so sending again or discarding finds nothing).
    cases.push(case("GET", "/verwaltung/postausgang", admin_only));
    cases.push(case("FN", "/api/admin_dead_letters", admin_only));
    for endpoint in ["/api/admin_retry_mail", "/api/admin_discard_mail"] {
        let mut c = case("FN", endpoint, [401, 403, 403, 403, 403, 404]);
        c.form = vec![("id", "999999".into())];
        cases.push(c);
    }
    // Without a valid link or waiting sign-in these pages say so, with 409.
    for page in ["/anmelden/zweiter-faktor", "/passwort-zuruecksetzen", "/einladung"] {
        cases.push(case("GET", page, [409; 6]));
    }
    cases.push(case("GET", "/konto/zweiter-faktor", signed_in));
    cases.push(case("GET", "/verwaltung", admin_only));
    cases.push(case("GET", "/verwaltung/protokoll", admin_only));
    cases.push(case("FN", "/api/admin_audit_log", admin_only));
    cases.push(case("GET", "/verwaltung/protokoll.csv", admin_only));
    let mut link = case("FN", "/api/link_person", [409; 6]);
    link.form = vec![("kind", "einladung".into()), ("key", "falsch".into())];
    cases.push(link);
    let mut redeem = case("FN", "/api/redeem_link", [409; 6]);
    redeem.form = vec![("kind", "zuruecksetzen".into()), ("key", "falsch".into()), ("password", "x".into()), ("confirm", "x".into())];
    cases.push(redeem);
    // One address asked for six times within the hour: the sixth request is refused.
    let mut reset = case("FN", "/api/request_password_reset", [200, 200, 200, 200, 200, 429]).partner(429);
    reset.form = vec![("email", "niemand@matrix.example".into())];
    cases.push(reset);
    cases.push(case("FN", "/api/second_factor_state", [409; 6]));
    let mut second = case("FN", "/api/submit_second_factor", [409; 6]);
    second.form = vec![("code", "123456".into())];
    cases.push(second);
    // The page above began setting up a key for each signed-in actor: a wrong first code is 422.
    let mut confirm = case("FN", "/api/confirm_my_mfa", [401, 422, 422, 422, 422, 422]);
    confirm.form = vec![("code", "123456".into())];
    cases.push(confirm);
    cases.push(case("FN", "/api/my_enrolment", signed_in));
    cases.push(case("FN", "/api/my_mfa_status", signed_in));
    let mut disable = case("FN", "/api/disable_my_mfa", [401, 409, 409, 409, 409, 409]);
    disable.form = vec![("code", "123456".into())];
    cases.push(disable);
    cases.push(case("POST_INVITE", "/verwaltung/benutzer/einladen", [303, 403, 403, 403, 403, 200]));
    cases.push(case("POST_UPLOAD", "/verwaltung/benutzer/import", [303, 403, 403, 403, 403, 422]));
    cases.push(case("GET", "/konto/auskunft.json", [303, 200, 200, 200, 200, 200]));
    cases.push(case("GET", owned(format!("/verwaltung/benutzer/{victim_id}/auskunft.json")), [303, 403, 403, 403, 403, 200]));
    cases.push(case("POST", owned(format!("/verwaltung/benutzer/{victim_id}/einladung")), [303, 403, 403, 403, 403, 409]));
    for (endpoint, admin_status) in [("admin_reactivate_user", 409), ("admin_withdraw_invitation", 409), ("admin_reset_mfa", 200)] {
        let mut c = case("FN", owned(format!("/api/{endpoint}")), [401, 403, 403, 403, 403, admin_status]);
        c.form = vec![("user_id", victim_id.clone())];
        cases.push(c);
    }
    // Erasing a person: only administrators (the unknown id: 404 for them).
    let mut erase = case("FN", "/api/admin_erase_user", [401, 403, 403, 403, 403, 404]);
    erase.form = vec![("user_id", "unbekannt".into())];
    cases.push(erase);
    let mut manager = case("FN", "/api/admin_set_manager", admin_only);
    manager.form = vec![("user_id", victim_id.clone()), ("on", "nein".into())];
    cases.push(manager);
    // Deactivating another Kommune's clerk: only an administrator (last, since it succeeds).
    let mut deactivate = case("FN", "/api/admin_deactivate_user", admin_only);
    deactivate.form = vec![("user_id", victim_id.clone())];
    cases.push(deactivate);
    // Wissensportal: a public article, one for the Kommunen, and a draft (not disclosed to others).
    let [public, kommunen, draft] = articles;
    let advisor_only = [401, 403, 403, 200, 403, 403];
    let draft_seen = [404, 404, 404, 200, 404, 404];
    cases.push(case("GET", "/wissen", all_ok));
    cases.push(case("GET", owned(format!("/wissen/{public}")), all_ok));
    // What is written for the Kommunen is for Land, Kommunen and associations: a partner
    // organisation reads the public articles and events only.
    cases.push(case("GET", owned(format!("/wissen/{kommunen}")), signed_in).partner(403));
    cases.push(case("GET", owned(format!("/wissen/{draft}")), draft_seen));
    cases.push(case("GET", "/wissen/neu", advisor_only));
    cases.push(case("GET", owned(format!("/wissen/{draft}/bearbeiten")), advisor_only));
    cases.push(case("GET", "/wissen/auswertung", advisor_only));
    cases.push(case("GET", "/api/v1/articles", all_ok));
    cases.push(case("GET", owned(format!("/api/v1/articles/{public}")), all_ok));
    cases.push(case("GET", owned(format!("/api/v1/articles/{kommunen}")), signed_in).partner(403));
    cases.push(case("GET", owned(format!("/api/v1/articles/{draft}")), draft_seen));
    cases.push(case("FN", "/api/search_articles", all_ok));
    let mut read = case("FN", "/api/knowledge_article", signed_in).partner(403);
    read.form = vec![("id", kommunen.to_string())];
    cases.push(read);
    let mut hidden = case("FN", "/api/knowledge_article", draft_seen);
    hidden.form = vec![("id", draft.to_string())];
    cases.push(hidden);
    let mut editor = case("FN", "/api/knowledge_editor", advisor_only);
    editor.form = vec![("id", draft.to_string())];
    cases.push(editor);
    cases.push(case("FN", "/api/knowledge_report", advisor_only));
    // An article too short: the advisor gets 422, nobody else further than 401/403.
    let mut save = case("FN", "/api/save_article", [401, 403, 403, 422, 403, 403]);
    save.form = vec![("title", "x".into())];
    cases.push(save);
    let mut step = case("FN", "/api/article_step", advisor_only);
    step.form = vec![("id", draft.to_string()), ("schritt", "pruefen".into())];
    cases.push(step);
    // Files: advisors add them (a multipart form; the others get no further than 403 or the
    // sign-in); an unknown file is not found for anyone.
    cases.push(case("POST_UPLOAD", owned(format!("/wissen/{public}/dateien")), [303, 403, 403, 303, 403, 403]));
    cases.push(case("GET", owned(format!("/wissen/{public}/dateien/unbekannt")), [404; 6]));
    let mut remove = case("FN", "/api/remove_article_file", [401, 403, 403, 404, 403, 403]);
    remove.form = vec![("id", public.to_string()), ("datei", "unbekannt".into())];
    cases.push(remove);
    let mut vote = case("FN", "/api/vote_article", signed_in);
    vote.form = vec![("id", public.to_string()), ("hilfreich", "ja".into())];
    cases.push(vote);
    // Events: a public one and one for the Kommunen; clerks and associations register.
    let [open_event, kommunen_event] = events;
    cases.push(case("GET", "/termine", all_ok));
    cases.push(case("GET", owned(format!("/termine/{open_event}")), all_ok));
    cases.push(case("GET", owned(format!("/termine/{kommunen_event}")), signed_in).partner(403));
    cases.push(case("GET", "/termine/neu", advisor_only));
    cases.push(case("GET", owned(format!("/termine/{open_event}/bearbeiten")), advisor_only));
    cases.push(case("GET", "/termine.ics", all_ok));
    cases.push(case("GET", "/api/v1/events", all_ok));
    cases.push(case("GET", owned(format!("/api/v1/events/{open_event}")), all_ok));
    cases.push(case("GET", owned(format!("/api/v1/events/{kommunen_event}")), signed_in).partner(403));
    cases.push(case("FN", "/api/list_events", all_ok));
    let mut load = case("FN", "/api/load_event", signed_in).partner(403);
    load.form = vec![("id", kommunen_event.to_string())];
    cases.push(load);
    let mut editor = case("FN", "/api/event_editor", advisor_only);
    editor.form = vec![("id", open_event.to_string())];
    cases.push(editor);
    let mut save = case("FN", "/api/save_event", [401, 403, 403, 422, 403, 403]);
    save.form = vec![("title", "x".into())];
    cases.push(save);
    let mut register = case("FN", "/api/register_event", [401, 200, 200, 403, 200, 403]);
    register.form = vec![("id", open_event.to_string())];
    cases.push(register);
    // Nobody who may not register is registered: nothing to withdraw.
    let mut unregister = case("FN", "/api/unregister_event", [401, 200, 200, 409, 200, 409]).partner(409);
    unregister.form = vec![("id", open_event.to_string())];
    cases.push(unregister);
    let mut materials = case("FN", "/api/save_event_materials", advisor_only);
    materials.form = vec![("id", open_event.to_string()), ("materials", "Folien".into())];
    cases.push(materials);
    let mut cancel = case("FN", "/api/cancel_event", [401, 403, 403, 200, 403, 403]);
    cancel.form = vec![("id", kommunen_event.to_string())];
    cases.push(cancel);
    // Announcements: advisors publish; a clerk marks read only what reached their Kommune.
    cases.push(case("GET", "/mitteilungen", advisor_only));
    cases.push(case("FN", "/api/load_announcements", advisor_only));
    let mut publish = case("FN", "/api/publish_announcement", [401, 403, 403, 422, 403, 403]);
    publish.form = vec![("title", "x".into())];
    cases.push(publish);
    let mut read = case("FN", "/api/read_announcement", [401, 404, 404, 404, 404, 404]);
    read.form = vec![("id", "999999".into())];
    cases.push(read);
    // Abfragen: advisors build, release and copy; no one else reads a survey in the making.
    let advisor_404 = [401, 403, 403, 404, 403, 403];
    cases.push(case("GET", "/abfragen", advisor_only));
    cases.push(case("GET", "/abfragen/999999", advisor_404));
    cases.push(case("FN", "/api/load_surveys", advisor_only));
    let mut load = case("FN", "/api/load_survey", advisor_404);
    load.form = vec![("id", "999999".into())];
    cases.push(load);
    let mut create = case("FN", "/api/create_survey", [401, 403, 403, 422, 403, 403]);
    create.form = vec![("title", "x".into())];
    cases.push(create);
    let missing = |path: &'static str, form: Vec<(&'static str, String)>| {
        let mut c = case("FN", path, advisor_404);
        c.form = form;
        c
    };
    cases.push(missing("/api/add_survey_section", vec![("survey", "999999".into()), ("title", "Teil".into())]));
    cases.push(missing("/api/add_survey_question", vec![("survey", "999999".into()), ("section", "1".into()), ("kind", "ja_nein".into()), ("text", "Frage?".into())]));
    cases.push(missing("/api/remove_survey_question", vec![("survey", "999999".into()), ("question", "1".into())]));
    cases.push(missing("/api/release_survey", vec![("survey", "999999".into()), ("version", "1".into())]));
    cases.push(missing("/api/copy_survey", vec![("survey", "999999".into())]));
    cases.push(missing("/api/remind_survey", vec![("survey", "999999".into())]));
    cases.push(missing("/api/set_selfcheck_section", vec![("survey", "999999".into()), ("section", "1".into()), ("weight", "1".into())]));
    cases.push(case("GET", "/abfragen/999999/antworten.csv", advisor_404));
    cases.push(case("GET", "/abfragen/999999/antworten.xlsx", advisor_404));
    // Answers: only clerks of an asked Kommune; a survey that asks none of theirs is not found.
    let clerk_404 = [401, 404, 404, 403, 403, 403];
    // The Land's advisors read every answer (an unknown survey is not found for them either).
    cases.push(case("GET", "/abfragen/999999/antwort", [401, 404, 404, 404, 403, 403]));
    let mut sheet = case("FN", "/api/survey_sheet", [401, 404, 404, 404, 403, 403]);
    sheet.form = vec![("id", "999999".into())];
    cases.push(sheet);
    let mut save = case("FN", "/api/save_survey_section", clerk_404);
    save.form = vec![("survey", "999999".into()), ("kommune", "15003000".into()), ("section", "1".into()), ("version", "0".into())];
    cases.push(save);
    let mut submit = case("FN", "/api/submit_survey_answer", clerk_404);
    submit.form = vec![("survey", "999999".into()), ("kommune", "15003000".into()), ("version", "0".into())];
    cases.push(submit);
    cases.push(case("GET", "/abfragen/999999/dateien/keine", [404; 6]));
    cases.push(case("POST_UPLOAD", "/abfragen/999999/antwort/15003000/datei/1", [303, 404, 404, 403, 403, 403]));
    cases.push(case("POST", "/abfragen/999999/antwort/15003000/datei/1/entfernen", [303, 404, 404, 403, 403, 403]));
    let mut take = case("FN", "/api/take_over_survey_answer", clerk_404);
    take.form = vec![("survey", "999999".into()), ("kommune", "15003000".into()), ("question", "1".into())];
    cases.push(take);
    // A Selbstcheck's profile: only the clerks of a Kommune it is open to.
    cases.push(case("GET", "/abfragen/999999/profil", [401, 404, 404, 403, 403, 403]));
    let mut profile = case("FN", "/api/selfcheck_profile", clerk_404);
    profile.form = vec![("id", "999999".into())];
    cases.push(profile);
    let mut reopen = case("FN", "/api/reopen_survey_answer", clerk_404);
    reopen.form = vec![("survey", "999999".into()), ("kommune", "15003000".into())];
    cases.push(reopen);
    // Results: the Land reads every figure, an association its members', everyone published
    // results; an unknown survey is not found for anyone, publishing is the advisors'.
    cases.push(case("GET", "/abfragen/999999/auswertung", [404; 6]));
    cases.push(case("GET", "/abfrage-ergebnisse", [200; 6]));
    let mut results = case("FN", "/api/survey_results", [404; 6]);
    results.form = vec![("id", "999999".into())];
    cases.push(results);
    cases.push(case("FN", "/api/survey_result_list", [200; 6]));
    cases.push(missing("/api/publish_survey", vec![("survey", "999999".into())]));
    cases.push(case("GET", "/api/v1/public/surveys", [200; 6]));
    cases.push(case("GET", "/api/v1/public/surveys/999999/results", [404; 6]));
    cases.push(case("GET", "/api/v1/surveys/999999/results", [401, 404, 404, 404, 404, 404]));
    crate::scope_matrix_rollout::extend(&mut cases, rollout);
    crate::scope_matrix_gremien::extend(&mut cases, gremien);
    // Signing out ends each actor's session: after everything else.
    cases.push(case("FN", "/api/logout", LOGOUT));
    cases.push(case("DELETE", "/api/v1/session", [204; 6]));

    cases
}

#[tokio::test]
async fn every_route_checks_the_callers_scope() {
    let app = spawn_with(test_config(), true).await;
    // Magdeburg and Halle (Saale): two Kommunen whose clerks must not reach each other.
    let mut clients = vec![client()];
    for (role, org) in [
        (Role::Clerk, "15003000"),
        (Role::Clerk, "15002000"),
        (Role::Advisor, "LAND"),
        (Role::Association, "SGSA"),
        (Role::Admin, "LAND"),
    ] {
        clients.push(app.signed_in(role, org).await.0);
    }
    let (partner_client, partner_email) = crate::scope_matrix_gremien::partner(&app).await;
    clients.push(partner_client);
    let victim = app.user(Role::Clerk, "15002000").await;
    let victim_id = app::accounts::service::users::find_by_email(&app.db, &victim).await.expect("db").expect("victim").id;

    // A case of Kommune A (Magdeburg), filed by its clerk.
    let filed = clients[1]
        .post(app.url("/api/v1/cases"))
        .json(&serde_json::json!({ "subject": "Matrixfall", "category": "technik", "description": "x" }))
        .send()
        .await
        .expect("file");
    assert_eq!(filed.status(), 201);
    let case_id = filed.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id");
    let articles = crate::common::knowledge::seed_articles(&app).await;
    let events = crate::common::events::seed_events(&app).await;
    let rollout = crate::scope_matrix_rollout::seed(&app).await;
    let gremien = crate::scope_matrix_gremien::seed(&app, &partner_email).await;
    let cases = matrix(case_id, victim_id.clone(), articles, events, &rollout, &gremien);
    let mut failures = Vec::new();
    for case in &cases {
        for (i, c) in clients.iter().enumerate() {
            let got = status(&app, c, case).await;
            if got != case.expected(i) {
                failures.push(format!("{} {} as {}: expected {}, got {got}", case.method, case.path, ACTORS[i], case.expected(i)));
            }
        }
    }
    assert!(failures.is_empty(), "scope violations:\n{}", failures.join("\n"));
    let anonymous: serde_json::Value =
        clients[0].post(app.url("/api/overview")).header("accept", "application/json").send().await.expect("overview").json().await.expect("json");
    assert!(anonymous.is_null(), "no figures for visitors: {anonymous}");
    assert!(app.count("audit_log WHERE action = 'access_denied'").await >= 8, "denials are logged");
    assert_eq!(app.count("service_record_history").await, 4, "exactly the four permitted writes");
    assert_eq!(app.count("audit_log WHERE action = 'focus_set'").await, 1, "only the administrator marked a Fokusleistung");
    assert_eq!(app.count("audit_log WHERE action = 'criterion_created'").await, 1, "only the administrator added a criterion");
    assert_eq!(app.count("api_token").await, 12, "two tokens per signed-in user (form and REST)");
    assert_eq!(app.count("support_case").await, 5, "the matrix case and four permitted filings");
    crate::scope_matrix_rollout::nothing_changed(&app, &rollout).await;
    crate::scope_matrix_gremien::nothing_changed(&app).await;
    assert_eq!(app.count("case_message WHERE internal = true").await, 1, "only the advisor wrote an internal note");
    assert_eq!(app.count("article_vote").await, 6, "one answer per signed-in actor");
    assert_eq!(app.count("article WHERE status = 'pruefung'").await, 1, "only the advisor gave the draft to review");
    assert_eq!(app.count("article").await, 3, "no article was saved by the matrix");
    let victim_row = app::accounts::service::users::find_by_email(&app.db, &victim).await.expect("db").expect("victim");
    assert!(!victim_row.active, "the administrator's call took effect");
}

#[tokio::test]
async fn pages_for_admins_show_no_user_data_to_others() {
    let app = spawn().await;
    let (clerk, _) = app.signed_in(Role::Clerk, "15003000").await;
    let admin_email = app.user(Role::Admin, "LAND").await;
    let html = clerk.get(app.url("/verwaltung/benutzer")).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Kein Zugriff"));
    assert!(!html.contains(&admin_email));
}

/// Whether a concrete path matches a route template (`{param}` or `:param` segments).
fn matches_template(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(a, b)| a.starts_with('{') || a.starts_with(':') || a == b)
}

/// The HTTP method a matrix case sends.
fn method_of(kind: &str) -> &'static str {
    match kind {
        "GET" => "GET",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        _ => "POST",
    }
}

/// Every `.route("…", get(…).post(…))` written in the server's source, with its methods:
/// read from the source so that a route added anywhere is seen here.
fn routes_in_source() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("source folder").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    for f in files {
        let text = std::fs::read_to_string(&f).expect("source");
        // The REST modules' routes (src/rest/) are nested under /api/v1.
        let prefix = if f.components().any(|c| c.as_os_str() == "rest") { "/api/v1" } else { "" };
        for (i, _) in text.match_indices(".route(\"") {
            let rest = &text[i + 8..];
            let Some(end) = rest.find('"') else { continue };
            let path = &rest[..end];
            // The arguments up to the closing parenthesis of `.route(`.
            let mut depth = 1;
            let mut args = String::new();
            for ch in rest[end..].chars() {
                match ch {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                args.push(ch);
            }
            for (method, marker) in [("GET", "get("), ("POST", "post("), ("PUT", "put("), ("PATCH", "patch("), ("DELETE", "delete(")] {
                let found = args.match_indices(marker).any(|(j, _)| j == 0 || !args.as_bytes()[j - 1].is_ascii_alphanumeric() && args.as_bytes()[j - 1] != b'_');
                if found {
                    out.push((method.to_string(), format!("{prefix}{path}")));
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn every_route_and_server_function_has_a_matrix_entry() {
    let cases = matrix(1, "x".into(), [1, 2, 3], [1, 2], &crate::scope_matrix_rollout::Ids::placeholder(), &crate::scope_matrix_gremien::Ids::placeholder());
    let covered = |method: &str, template: &str| cases.iter().any(|c| method_of(c.method) == method && matches_template(template, c.path));
    let mut missing = Vec::new();
    // Server functions, as the framework registered them.
    let mut fns: Vec<String> = server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect();
    fns.sort();
    assert!(fns.len() > 40, "the server functions are registered: {fns:?}");
    for path in &fns {
        if !cases.iter().any(|c| c.method == "FN" && c.path == path) {
            missing.push(format!("Serverfunktion {path}"));
        }
    }
    // Pages of the route table.
    for path in server::http::router::page_paths() {
        if !covered("GET", &path) {
            missing.push(format!("Seite GET {path}"));
        }
    }
    // REST, form and health routes written in the source (the catch-all for unknown server
    // functions is no route of its own).
    let routes = routes_in_source();
    assert!(routes.len() > 30, "routes found in the source: {routes:?}");
    for (method, path) in routes {
        if path.contains("{*") {
            continue;
        }
        if !covered(&method, &path) {
            missing.push(format!("Route {method} {path}"));
        }
    }
    assert!(missing.is_empty(), "without an entry in the scope matrix:\n{}", missing.join("\n"));
}
