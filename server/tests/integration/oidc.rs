//! Sign-in through an identity provider: a provider on loopback (discovery, JWKS, token
//! endpoint) issuing RS256-signed ID tokens as each test wants them — the right one, a wrong
//! audience, a foreign signature, an expired token — and the portal's answers, including a
//! replayed `state` and a callback in a browser that did not start the flow.

use crate::common::{PASSWORD, TestApp, client, spawn_with, test_config};
use app::core::config::{GroupRole, OidcConfig};
use app::identity::Role;
use axum::routing::{get, post};
use openidconnect::core::{CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
use openidconnect::{
    AdditionalClaims, Audience, AuthenticationMethodReference, EndUserEmail, IdToken, IdTokenClaims, IssuerUrl, JsonWebKeyId, Nonce, PrivateSigningKey,
    StandardClaims, SubjectIdentifier,
};
use rsa::pkcs1::EncodeRsaPrivateKey;
use std::sync::{Arc, Mutex, OnceLock};

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Groups {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    upn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nbf: Option<i64>,
}
impl AdditionalClaims for Groups {}

type TestIdToken = IdToken<Groups, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

fn pem(seed_kid: &str) -> String {
    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).expect("rsa key");
    let _ = seed_kid;
    key.to_pkcs1_pem(rsa::pkcs1::LineEnding::LF).expect("pem").to_string()
}

/// The provider's key and a stranger's, generated once per test run.
fn keys() -> &'static (String, String) {
    static KEYS: OnceLock<(String, String)> = OnceLock::new();
    KEYS.get_or_init(|| (pem("provider"), pem("stranger")))
}

/// What the provider's next ID token says.
#[derive(Clone)]
struct Next {
    sub: String,
    email: String,
    verified: bool,
    audience: Option<String>,
    expires_in: i64,
    foreign_key: bool,
    groups: Vec<String>,
    amr: Vec<String>,
    /// Seconds added to `iat`; `nbf` and `azp` where set; a second address claim.
    iat_offset: i64,
    nbf_offset: Option<i64>,
    azp: Option<String>,
    upn: Option<String>,
}

struct Fake {
    url: String,
    next: Arc<Mutex<Next>>,
    nonce: Arc<Mutex<String>>,
    verifiers: Arc<Mutex<Vec<String>>>,
}

async fn fake_provider() -> Fake {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let next = Arc::new(Mutex::new(Next {
        sub: "sub-1".into(),
        email: "person@land.example".into(),
        verified: true,
        audience: None,
        expires_in: 300,
        foreign_key: false,
        groups: Vec::new(),
        amr: Vec::new(),
        iat_offset: 0,
        nbf_offset: None,
        azp: None,
        upn: None,
    }));
    let nonce = Arc::new(Mutex::new(String::new()));
    let verifiers = Arc::new(Mutex::new(Vec::new()));
    let signing = CoreRsaPrivateSigningKey::from_pem(&keys().0, Some(JsonWebKeyId::new("k1".into()))).expect("key");
    let jwks = serde_json::json!({ "keys": [signing.as_verification_key()] });
    let metadata = serde_json::json!({
        "issuer": url,
        "authorization_endpoint": format!("{url}/authorize"),
        "token_endpoint": format!("{url}/token"),
        "jwks_uri": format!("{url}/jwks"),
        "end_session_endpoint": format!("{url}/logout"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    });
    let (n2, nonce2, v2, issuer) = (next.clone(), nonce.clone(), verifiers.clone(), url.clone());
    let app = axum::Router::new()
        .route("/.well-known/openid-configuration", get(move || async move { axum::Json(metadata) }))
        .route("/jwks", get(move || async move { axum::Json(jwks) }))
        .route(
            "/token",
            post(move |body: String| {
                let (next, nonce, verifiers, issuer) = (n2.lock().expect("lock").clone(), nonce2.lock().expect("lock").clone(), v2.clone(), issuer.clone());
                async move {
                    for (k, v) in form_urlencoded::parse(body.as_bytes()) {
                        if k == "code_verifier" {
                            verifiers.lock().expect("lock").push(v.into_owned());
                        }
                    }
                    let now = chrono::Utc::now();
                    let claims = IdTokenClaims::new(
                        IssuerUrl::new(issuer).expect("issuer"),
                        vec![Audience::new(next.audience.clone().unwrap_or_else(|| "ozg-portal".into()))],
                        now + chrono::Duration::seconds(next.expires_in),
                        now - chrono::Duration::seconds(5) + chrono::Duration::seconds(next.iat_offset),
                        StandardClaims::new(SubjectIdentifier::new(next.sub.clone()))
                            .set_email(Some(EndUserEmail::new(next.email.clone())))
                            .set_email_verified(Some(next.verified)),
                        Groups { groups: next.groups.clone(), upn: next.upn.clone(), nbf: next.nbf_offset.map(|o| now.timestamp() + o) },
                    )
                    .set_nonce(Some(Nonce::new(nonce)))
                    .set_authorized_party(next.azp.clone().map(openidconnect::ClientId::new))
                    .set_auth_method_refs((!next.amr.is_empty()).then(|| next.amr.iter().map(|a| AuthenticationMethodReference::new(a.clone())).collect()));
                    let pem = if next.foreign_key { &keys().1 } else { &keys().0 };
                    let key = CoreRsaPrivateSigningKey::from_pem(pem, Some(JsonWebKeyId::new("k1".into()))).expect("key");
                    let token = TestIdToken::new(claims, &key, CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, None, None).expect("sign");
                    axum::Json(serde_json::json!({ "access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": token.to_string() }))
                }
            }),
        );
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serve");
    });
    Fake { url, next, nonce, verifiers }
}

/// The portal's provider settings for the fake provider, the address in `email_claim`.
fn oidc_config(fake: &Fake, email_claim: &str) -> OidcConfig {
    OidcConfig {
        issuer: fake.url.clone(),
        client_id: "ozg-portal".into(),
        client_secret: "geheim".into(),
        email_claim: email_claim.into(),
        groups_claim: Some("groups".into()),
        group_roles: vec![GroupRole { group: "ozg-beratung".into(), role: Role::Advisor, org_keys: vec!["LAND".into()] }],
        mfa_values: vec!["mfa".into()],
        label: "Mit dem Landeskonto anmelden".into(),
    }
}

async fn portal(fake: &Fake, required: Vec<Role>) -> TestApp {
    spawn_with(app::core::config::Config { oidc: Some(oidc_config(fake, "email")), mfa_required_roles: required, ..test_config() }, false).await
}

/// Starts a sign-in in browser `c`: the portal's redirect to the provider, with its parameters.
async fn start(app: &TestApp, fake: &Fake, c: &reqwest::Client) -> std::collections::HashMap<String, String> {
    start_with(app, fake, c, "").await
}

/// Starts a sign-in with a query (`?verbinden=1`, `?einladung=…`).
async fn start_with(app: &TestApp, fake: &Fake, c: &reqwest::Client, query: &str) -> std::collections::HashMap<String, String> {
    let res = c.get(app.url(&format!("/anmelden/landeskonto{query}"))).send().await.expect("start");
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().expect("location").to_string();
    assert!(location.starts_with(&format!("{}/authorize?", fake.url)), "{location}");
    let params: std::collections::HashMap<String, String> =
        form_urlencoded::parse(location.split_once('?').expect("query").1.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    *fake.nonce.lock().expect("lock") = params["nonce"].clone();
    params
}

async fn callback(app: &TestApp, c: &reqwest::Client, state: &str) -> reqwest::Response {
    c.get(app.url(&format!("/anmelden/landeskonto/rueckruf?code=der-code&state={state}"))).send().await.expect("callback")
}

/// Binds the provider's next identity to the account of `email` through an invitation link
/// opened in a new browser (the proof an administrator's invitation gives); returns the browser.
async fn bind_by_invitation(app: &TestApp, fake: &Fake, email: &str) -> reqwest::Client {
    let id = app::accounts::service::users::find_by_email(&app.db, email).await.expect("db").expect("user").id;
    let secret = app::accounts::service::links::create(&app.db, &id, app::accounts::service::links::LinkPurpose::Invite, None, std::time::Duration::from_secs(3600)).await.expect("link");
    let c = client();
    let p = start_with(app, fake, &c, &format!("?einladung={secret}")).await;
    let res = callback(app, &c, &p["state"]).await;
    assert_eq!(res.status(), 303, "{:?}", res.text().await);
    c
}

#[tokio::test]
async fn a_signed_in_person_binds_the_provider_then_signs_in_by_subject() {
    let fake = fake_provider().await;
    let app = portal(&fake, Vec::new()).await;
    let email = app.user(Role::Clerk, "15003000").await;
    fake.next.lock().expect("lock").email = email.to_uppercase();
    // The verified address alone binds nothing: the account exists, the way to bind is named.
    let c0 = client();
    let p0 = start(&app, &fake, &c0).await;
    let refused = callback(&app, &c0, &p0["state"]).await;
    assert_eq!(refused.status(), 409);
    assert!(refused.text().await.expect("html").contains("schon ein Konto"));
    assert_eq!(app.me_status(&c0).await, 401);
    // Signed in with the password, the person binds it from »Mein Konto«.
    let c = client();
    assert_eq!(app.login(&c, &email, PASSWORD).await.status(), 204);
    let params = start_with(&app, &fake, &c, "?verbinden=1").await;
    assert_eq!(params["code_challenge_method"], "S256", "PKCE");
    assert_eq!(params["client_id"], "ozg-portal");
    assert!(params["redirect_uri"].ends_with("/anmelden/landeskonto/rueckruf"));
    let res = callback(&app, &c, &params["state"]).await;
    assert_eq!(res.status(), 303, "{:?}", res.text().await);
    assert_eq!(res.headers()["location"], "/");
    assert_eq!(app.me_status(&c).await, 200);
    assert_eq!(fake.verifiers.lock().expect("lock").len(), 2, "the PKCE verifier went to the token endpoint");
    let user = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user");
    assert_eq!(user.oidc_subject.as_deref(), Some("sub-1"), "bound to the provider's subject");
    assert!(user.oidc_proven, "bound with proof");
    // Without a session, `verbinden` binds nothing: it sends to the sign-in.
    let anonymous = client();
    let res = anonymous.get(app.url("/anmelden/landeskonto?verbinden=1")).send().await.expect("start");
    assert_eq!(res.headers()["location"], "/anmelden");
    // Afterwards the subject counts, not the address.
    fake.next.lock().expect("lock").email = "neue-adresse@land.example".into();
    let c2 = client();
    let p2 = start(&app, &fake, &c2).await;
    assert_eq!(callback(&app, &c2, &p2["state"]).await.status(), 303);
    assert_eq!(app.me_status(&c2).await, 200);
    // Replaying the state finds nothing.
    let replay = callback(&app, &c2, &p2["state"]).await;
    assert_eq!(replay.status(), 409);
    assert!(replay.text().await.expect("html").contains("konnte nicht bestätigt werden"));
    assert_eq!(app.count("audit_log WHERE action = 'oidc_linked'").await, 1);
    // The provider's logout is offered after the portal's.
    let out = c.get(app.url("/anmelden/landeskonto/abmelden")).send().await.expect("logout");
    assert!(out.headers()["location"].to_str().expect("loc").starts_with(&format!("{}/logout?", fake.url)));
}

#[tokio::test]
async fn an_invitation_opened_in_this_browser_binds_and_a_withdrawn_one_does_not() {
    let fake = fake_provider().await;
    let app = portal(&fake, Vec::new()).await;
    let email = app.user(Role::Clerk, "15003000").await;
    fake.next.lock().expect("lock").email = "ganz-andere@land.example".into();
    let c = bind_by_invitation(&app, &fake, &email).await;
    assert_eq!(app.me_status(&c).await, 200);
    let user = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user");
    assert_eq!(user.oidc_subject.as_deref(), Some("sub-1"));
    let res = client().get(app.url("/anmelden/landeskonto?einladung=unbekannt")).send().await.expect("start");
    assert_eq!(res.status(), 404, "an unknown or used invitation starts nothing");
}

#[tokio::test]
async fn nobody_gets_an_account_because_the_provider_knows_them_unless_a_group_says_so() {
    let fake = fake_provider().await;
    let app = portal(&fake, Vec::new()).await;
    let users_before = app.count("app_user").await;
    let c = client();
    let p = start(&app, &fake, &c).await;
    let res = callback(&app, &c, &p["state"]).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.expect("html").contains("kein Konto im OZG-Portal"));
    assert_eq!(app.count("app_user").await, users_before);
    // An unverified address does not match an existing account either.
    let email = app.user(Role::Clerk, "15003000").await;
    {
        let mut n = fake.next.lock().expect("lock");
        n.email = email.clone();
        n.verified = false;
        n.sub = "sub-unverified".into();
    }
    let p = start(&app, &fake, &c).await;
    assert_eq!(callback(&app, &c, &p["state"]).await.status(), 409);
    // A configured group grants its role.
    {
        let mut n = fake.next.lock().expect("lock");
        n.email = "beraterin@land.example".into();
        n.verified = true;
        n.sub = "sub-group".into();
        n.groups = vec!["ozg-beratung".into()];
    }
    let p = start(&app, &fake, &c).await;
    assert_eq!(callback(&app, &c, &p["state"]).await.status(), 303);
    let u = app::accounts::service::users::find_by_email(&app.db, "beraterin@land.example").await.expect("db").expect("created");
    assert_eq!(u.role, "advisor");
    assert_eq!(app.count("audit_log WHERE action = 'oidc_account_created'").await, 1);
}

#[tokio::test]
async fn wrong_audience_foreign_signature_expired_token_and_a_strange_browser_are_refused() {
    let fake = fake_provider().await;
    let app = portal(&fake, Vec::new()).await;
    let email = app.user(Role::Clerk, "15003000").await;
    bind_by_invitation(&app, &fake, &email).await;
    let cases: Vec<(&str, Box<dyn Fn(&mut Next)>)> = vec![
        ("wrong audience", Box::new(|n: &mut Next| n.audience = Some("ein-anderer-dienst".into()))),
        ("foreign signature", Box::new(|n: &mut Next| n.foreign_key = true)),
        ("expired", Box::new(|n: &mut Next| n.expires_in = -120)),
        ("issued in the future", Box::new(|n: &mut Next| n.iat_offset = 600)),
        ("not yet valid", Box::new(|n: &mut Next| n.nbf_offset = Some(600))),
        ("another authorised party", Box::new(|n: &mut Next| n.azp = Some("ein-anderer-dienst".into()))),
    ];
    for (what, change) in cases {
        let original = fake.next.lock().expect("lock").clone();
        change(&mut fake.next.lock().expect("lock"));
        let c = client();
        let p = start(&app, &fake, &c).await;
        let res = callback(&app, &c, &p["state"]).await;
        assert_eq!(res.status(), 409, "{what}");
        assert_eq!(app.me_status(&c).await, 401, "{what}: no session");
        *fake.next.lock().expect("lock") = original;
    }
    assert_eq!(app.count("audit_log WHERE action = 'oidc_refused' AND detail LIKE 'ID-Token ungültig%'").await, 6, "each refused for its token");
    // A callback in a browser that did not start the flow (login CSRF): refused, the flow stays
    // unused.
    let c = client();
    let p = start(&app, &fake, &c).await;
    let stranger = client();
    assert_eq!(callback(&app, &stranger, &p["state"]).await.status(), 409);
    assert_eq!(app.me_status(&stranger).await, 401);
    // A stranger who sets the flow cookie to the victim's `state` (the old binding) gets nothing:
    // the binding is a random value the callback URL never contains.
    let forger = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let forged = forger
        .get(app.url(&format!("/anmelden/landeskonto/rueckruf?code=der-code&state={}", p["state"])))
        .header("cookie", format!("ozg_oidc={}", p["state"]))
        .send()
        .await
        .expect("callback");
    assert_eq!(forged.status(), 409, "authorization-code injection");
    // Nor does one with a binding of its own flow.
    let own = client();
    start(&app, &fake, &own).await;
    *fake.nonce.lock().expect("lock") = p["nonce"].clone();
    assert_eq!(callback(&app, &own, &p["state"]).await.status(), 409);
    assert_eq!(app.me_status(&own).await, 401);
    assert_eq!(callback(&app, &c, &p["state"]).await.status(), 303, "the right browser still finishes it");
    assert!(app.count("audit_log WHERE action = 'oidc_refused'").await >= 6);
}

#[tokio::test]
async fn an_unverified_address_in_another_claim_or_a_look_alike_address_takes_over_no_account() {
    let fake = fake_provider().await;
    let app = spawn_with(app::core::config::Config { oidc: Some(oidc_config(&fake, "upn")), ..test_config() }, false).await;
    let victim = app.user(Role::Admin, "LAND").await;
    {
        let mut n = fake.next.lock().expect("lock");
        n.sub = "sub-attacker".into();
        n.verified = false;
        n.upn = Some(victim.clone());
        n.groups = vec!["ozg-beratung".into()];
    }
    let c = client();
    let p = start(&app, &fake, &c).await;
    assert_eq!(callback(&app, &c, &p["state"]).await.status(), 409, "unverified, whichever claim carries it");
    assert_eq!(app.me_status(&c).await, 401);
    // Verified, but made with a KELVIN SIGN and a trailing no-break space: the same address, so
    // the existing account is named and not taken.
    let kelvin = "kai.kern@kommune.example".to_string();
    app::accounts::service::users::create(
        &app.db,
        &app.state.hasher,
        None,
        app::accounts::service::users::NewUser { email: kelvin.clone(), name: "Kai Kern".into(), role: Role::Admin, org_keys: vec!["LAND".into()], password: PASSWORD.into(), is_demo: false },
    )
    .await
    .expect("account");
    let look_alike = format!("{}\u{00A0}", kelvin.replace('k', "\u{212A}"));
    {
        let mut n = fake.next.lock().expect("lock");
        n.verified = true;
        n.upn = Some(look_alike.clone());
    }
    let c = client();
    let p = start(&app, &fake, &c).await;
    let res = callback(&app, &c, &p["state"]).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.expect("html").contains("schon ein Konto"));
    for e in [&victim, &kelvin] {
        let u = app::accounts::service::users::find_by_email(&app.db, e).await.expect("db").expect("user");
        assert!(u.oidc_subject.is_none(), "{e} stays unbound");
    }
    // Every other way in treats the look-alike as the same address.
    assert!(app::accounts::service::users::find_by_email(&app.db, &look_alike).await.expect("db").is_some(), "sign-in and reset find the account");
    let twin = app::accounts::service::users::create(
        &app.db,
        &app.state.hasher,
        None,
        app::accounts::service::users::NewUser { email: look_alike.clone(), name: "Doppelgänger".into(), role: Role::Clerk, org_keys: vec!["15003000".into()], password: PASSWORD.into(), is_demo: false },
    )
    .await;
    assert!(twin.is_err(), "no second account under a look-alike address");
}

#[tokio::test]
async fn the_providers_multi_factor_counts_where_configured_and_password_sign_in_can_be_switched_off() {
    let fake = fake_provider().await;
    let app = portal(&fake, vec![Role::Advisor]).await;
    let email = app.user(Role::Advisor, "LAND").await;
    fake.next.lock().expect("lock").email = email.clone();
    // Without amr: the portal's second factor is asked (also while binding).
    let id = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user").id;
    let secret = app::accounts::service::links::create(&app.db, &id, app::accounts::service::links::LinkPurpose::Invite, None, std::time::Duration::from_secs(3600)).await.expect("link");
    let c = client();
    let p = start_with(&app, &fake, &c, &format!("?einladung={secret}")).await;
    let res = callback(&app, &c, &p["state"]).await;
    assert_eq!(res.headers()["location"], "/anmelden/zweiter-faktor");
    assert_eq!(app.me_status(&c).await, 401);
    // With amr "mfa" from the provider: signed in.
    fake.next.lock().expect("lock").amr = vec!["pwd".into(), "mfa".into()];
    let c = client();
    let p = start(&app, &fake, &c).await;
    assert_eq!(callback(&app, &c, &p["state"]).await.headers()["location"], "/");
    assert_eq!(app.me_status(&c).await, 200);
    // An identity bound before by the address alone (no proof): the provider's claim does not
    // count; the portal asks its own second factor.
    let legacy = app.user(Role::Advisor, "LAND").await;
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared(&format!("UPDATE app_user SET oidc_subject = 'sub-legacy', oidc_proven = false WHERE email = '{legacy}'"))
        .await
        .expect("legacy binding");
    fake.next.lock().expect("lock").sub = "sub-legacy".into();
    let c = client();
    let p = start(&app, &fake, &c).await;
    assert_eq!(callback(&app, &c, &p["state"]).await.headers()["location"], "/anmelden/zweiter-faktor");
    // Password sign-in switched off for advisors.
    let oidc = app.state.config.oidc.clone();
    let no_password = spawn_with(app::core::config::Config { oidc, password_login_disabled_roles: vec![Role::Advisor], ..test_config() }, false).await;
    let advisor = no_password.user(Role::Advisor, "LAND").await;
    let res = no_password.login(&client(), &advisor, PASSWORD).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.expect("body").contains("Identitätsanbieter"));
    let clerk = no_password.user(Role::Clerk, "15003000").await;
    assert_eq!(no_password.login(&client(), &clerk, PASSWORD).await.status(), 204, "other roles keep their password");
}

#[tokio::test]
async fn starting_provider_sign_ins_is_limited_like_other_anonymous_writes() {
    let fake = fake_provider().await;
    let mut config = app::core::config::Config { open_data_rate: 1, ..test_config() };
    config.oidc = Some(oidc_config(&fake, "email"));
    let app = spawn_with(config, false).await;
    let c = client();
    let mut refused = false;
    for _ in 0..200 {
        if c.get(app.url("/anmelden/landeskonto")).send().await.expect("start").status() == 429 {
            refused = true;
            break;
        }
    }
    assert!(refused, "a flood of starts is refused");
    assert!(app.count("oidc_flow").await < 200, "not a row per request");
}
