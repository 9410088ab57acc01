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
                        now - chrono::Duration::seconds(5),
                        StandardClaims::new(SubjectIdentifier::new(next.sub.clone()))
                            .set_email(Some(EndUserEmail::new(next.email.clone())))
                            .set_email_verified(Some(next.verified)),
                        Groups { groups: next.groups.clone() },
                    )
                    .set_nonce(Some(Nonce::new(nonce)))
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

async fn portal(fake: &Fake, required: Vec<Role>) -> TestApp {
    let oidc = OidcConfig {
        issuer: fake.url.clone(),
        client_id: "ozg-portal".into(),
        client_secret: "geheim".into(),
        email_claim: "email".into(),
        groups_claim: Some("groups".into()),
        group_roles: vec![GroupRole { group: "ozg-beratung".into(), role: Role::Advisor, org_keys: vec!["LAND".into()] }],
        mfa_values: vec!["mfa".into()],
        label: "Mit dem Landeskonto anmelden".into(),
    };
    spawn_with(app::core::config::Config { oidc: Some(oidc), mfa_required_roles: required, ..test_config() }, false).await
}

/// Starts a sign-in in browser `c`: the portal's redirect to the provider, with its parameters.
async fn start(app: &TestApp, fake: &Fake, c: &reqwest::Client) -> std::collections::HashMap<String, String> {
    let res = c.get(app.url("/anmelden/landeskonto")).send().await.expect("start");
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

#[tokio::test]
async fn an_invited_person_signs_in_by_verified_email_then_by_subject() {
    let fake = fake_provider().await;
    let app = portal(&fake, Vec::new()).await;
    let email = app.user(Role::Clerk, "15003000").await;
    fake.next.lock().expect("lock").email = email.to_uppercase();
    let c = client();
    let params = start(&app, &fake, &c).await;
    assert_eq!(params["code_challenge_method"], "S256", "PKCE");
    assert_eq!(params["client_id"], "ozg-portal");
    assert!(params["redirect_uri"].ends_with("/anmelden/landeskonto/rueckruf"));
    let res = callback(&app, &c, &params["state"]).await;
    assert_eq!(res.status(), 303, "{:?}", res.text().await);
    assert_eq!(res.headers()["location"], "/");
    assert_eq!(app.me_status(&c).await, 200);
    assert_eq!(fake.verifiers.lock().expect("lock").len(), 1, "the PKCE verifier went to the token endpoint");
    let user = app::accounts::service::users::find_by_email(&app.db, &email).await.expect("db").expect("user");
    assert_eq!(user.oidc_subject.as_deref(), Some("sub-1"), "bound to the provider's subject");
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
    fake.next.lock().expect("lock").email = email;
    let cases: Vec<(&str, Box<dyn Fn(&mut Next)>)> = vec![
        ("wrong audience", Box::new(|n: &mut Next| n.audience = Some("ein-anderer-dienst".into()))),
        ("foreign signature", Box::new(|n: &mut Next| n.foreign_key = true)),
        ("expired", Box::new(|n: &mut Next| n.expires_in = -120)),
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
    assert_eq!(app.count("audit_log WHERE action = 'oidc_refused' AND detail LIKE 'ID-Token ungültig%'").await, 3, "each refused for its token");
    // A callback in a browser that did not start the flow (login CSRF): refused, the flow stays
    // unused.
    let c = client();
    let p = start(&app, &fake, &c).await;
    let stranger = client();
    assert_eq!(callback(&app, &stranger, &p["state"]).await.status(), 409);
    assert_eq!(app.me_status(&stranger).await, 401);
    assert_eq!(callback(&app, &c, &p["state"]).await.status(), 303, "the right browser still finishes it");
    assert!(app.count("audit_log WHERE action = 'oidc_refused'").await >= 4);
}

#[tokio::test]
async fn the_providers_multi_factor_counts_where_configured_and_password_sign_in_can_be_switched_off() {
    let fake = fake_provider().await;
    let app = portal(&fake, vec![Role::Advisor]).await;
    let email = app.user(Role::Advisor, "LAND").await;
    fake.next.lock().expect("lock").email = email.clone();
    // Without amr: the portal's second factor is asked.
    let c = client();
    let p = start(&app, &fake, &c).await;
    let res = callback(&app, &c, &p["state"]).await;
    assert_eq!(res.headers()["location"], "/anmelden/zweiter-faktor");
    assert_eq!(app.me_status(&c).await, 401);
    // With amr "mfa" from the provider: signed in.
    fake.next.lock().expect("lock").amr = vec!["pwd".into(), "mfa".into()];
    let c = client();
    let p = start(&app, &fake, &c).await;
    assert_eq!(callback(&app, &c, &p["state"]).await.headers()["location"], "/");
    assert_eq!(app.me_status(&c).await, 200);
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
