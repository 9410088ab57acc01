//! The test harness: a spawned server on a fresh database and a cookie-keeping client.

#![allow(dead_code, reason = "each test module uses a different part of the harness")]

pub mod cases;
pub mod cli;
pub mod db;
pub mod events;
pub mod funding;
pub mod knowledge;
pub mod rollout;
pub mod rollups;

use app::identity::Role;
use app::core::config::Config;
use app::core::state::AppState;
use app::accounts::service::users;
use app::accounts::service::users::NewUser;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty database: a temp SQLite file, or a new database on the PostgreSQL server
/// named by `TEST_DATABASE_URL`.
pub struct TestDb {
    pub url: String,
    pub backend: &'static str,
    _dir: Option<tempfile::TempDir>,
}

pub fn postgres_admin_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres"))
}

/// Creates a database on the PostgreSQL server of `admin` (a copy of `template` if given);
/// returns its URL.
async fn create_pg_database(admin: &str, name: &str, template: Option<&str>) -> String {
    let conn = Database::connect(admin).await.expect("PostgreSQL erreichbar");
    let from = template.map(|t| format!(" TEMPLATE \"{t}\"")).unwrap_or_default();
    conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\"{from}")).await.expect("create database");
    conn.close().await.ok();
    let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).expect("URL mit Datenbank");
    format!("{base}/{name}")
}

fn test_db_name() -> String {
    format!("t_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst))
}

pub async fn fresh_db() -> TestDb {
    match postgres_admin_url() {
        Some(admin) => TestDb { url: create_pg_database(&admin, &test_db_name(), None).await, backend: "postgres", _dir: None },
        None => {
            let dir = tempfile::tempdir().expect("tempdir");
            let url = format!("sqlite://{}/portal.sqlite", dir.path().display());
            TestDb { url, backend: "sqlite", _dir: Some(dir) }
        }
    }
}

/// A migrated database with the reference data imported, made once per test process and copied
/// for each test: migrating anew for every test cost half a second on SQLite and a quarter on
/// PostgreSQL, for 180 tests. A copy gets an epoch of its own (see `core::versions`), so no kept
/// result of one test's database is taken for another's.
struct Template {
    /// SQLite: the template file; PostgreSQL: the template database's name.
    source: String,
}

static TEMPLATE_KOMMUNEN: tokio::sync::OnceCell<Template> = tokio::sync::OnceCell::const_new();
static TEMPLATE_CATALOGUE: tokio::sync::OnceCell<Template> = tokio::sync::OnceCell::const_new();

async fn import_reference(db: &DatabaseConnection, catalogue: bool) {
    if catalogue {
        app::catalogue::service::import::import_shipped(db, &mut |_, _, _| {}).await.expect("import");
    } else {
        app::catalogue::service::import::import_bytes(db, "kommunen", app::catalogue::service::import::SHIPPED_KOMMUNEN, &mut |_, _| {})
            .await
            .expect("import");
    }
}

async fn make_template(catalogue: bool) -> Template {
    let suffix = if catalogue { "katalog" } else { "kommunen" };
    match postgres_admin_url() {
        Some(admin) => {
            let name = format!("vorlage_{}_{suffix}", std::process::id());
            let db = app::core::db::connect(&create_pg_database(&admin, &name, None).await).await.expect("connect");
            Migrator::up(&db, None).await.expect("migrate");
            import_reference(&db, catalogue).await;
            // A template may have no connection while it is copied.
            db.close().await.ok();
            Template { source: name }
        }
        None => {
            let dir = std::env::temp_dir().join(format!("ozg-vorlagen-{}", std::process::id()));
            remove_stale_templates();
            std::fs::create_dir_all(&dir).expect("template dir");
            let file = dir.join(format!("{suffix}.sqlite"));
            let db = app::core::db::connect(&format!("sqlite://{}", file.display())).await.expect("connect");
            Migrator::up(&db, None).await.expect("migrate");
            import_reference(&db, catalogue).await;
            // Everything into the file itself, so that the file alone is the database.
            db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await.expect("checkpoint");
            db.close().await.ok();
            Template { source: file.display().to_string() }
        }
    }
}

/// Template folders of test processes that have ended.
fn remove_stale_templates() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(pid) = name.strip_prefix("ozg-vorlagen-")
            && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A database as `spawn_with` needs it: a copy of the template (`spawn_with` gives it an epoch
/// of its own).
async fn templated_db(catalogue: bool) -> TestDb {
    let cell = if catalogue { &TEMPLATE_CATALOGUE } else { &TEMPLATE_KOMMUNEN };
    let template = cell.get_or_init(|| make_template(catalogue)).await;
    match postgres_admin_url() {
        Some(admin) => TestDb { url: create_pg_database(&admin, &test_db_name(), Some(&template.source)).await, backend: "postgres", _dir: None },
        None => {
            let dir = tempfile::tempdir().expect("tempdir");
            let file = dir.path().join("portal.sqlite");
            std::fs::copy(&template.source, &file).expect("copy template");
            TestDb { url: format!("sqlite://{}", file.display()), backend: "sqlite", _dir: Some(dir) }
        }
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub state: AppState,
    pub db: DatabaseConnection,
    pub test_db: TestDb,
}

/// Settings for tests: plain http, and no second factor required (the tests of the second
/// factor switch it on).
pub fn test_config() -> Config {
    Config { cookie_secure: false, mfa_required_roles: Vec::new(), mfa_contact_persons: false, ..Config::default() }
}

/// Spawns the portal with the Kommunen imported (not the catalogue: most tests need no catalogue).
pub async fn spawn() -> TestApp {
    spawn_with(test_config(), false).await
}

pub async fn spawn_with(config: Config, catalogue: bool) -> TestApp {
    let test_db = templated_db(catalogue).await;
    let db = app::core::db::connect(&test_db.url).await.expect("connect");
    db.execute_unprepared(&format!("UPDATE data_version SET epoch = '{}' WHERE id = 1", uuid::Uuid::new_v4().simple())).await.expect("epoch");
    let state = AppState::new(db.clone(), config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = server::http::router::build(state.clone(), server::http::router::leptos_options("target/site", addr));
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.expect("serve");
    });
    TestApp { addr, base: format!("http://{addr}"), state, db, test_db }
}

/// Waits until a `serve` process at `base` answers `/readyz` (a state, up to 30 s).
pub async fn wait_ready(base: &str) {
    for _ in 0..300 {
        if reqwest::get(format!("{base}/readyz")).await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("serve on {base} did not become ready");
}

/// A client that keeps cookies and does not follow redirects.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("client")
}

pub const PASSWORD: &str = "ein langes Testpasswort 2025";

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Creates an account; returns its e-mail address.
    pub async fn user(&self, role: Role, org: &str) -> String {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let email = format!("{}-{n}@test.example", role.code());
        users::create(
            &self.db,
            &self.state.hasher,
            None,
            NewUser {
                email: email.clone(),
                name: format!("Test {} {n}", role.label()),
                role,
                org_keys: vec![org.to_string()],
                password: PASSWORD.into(),
                is_demo: false,
            },
        )
        .await
        .expect("user created");
        email
    }

    /// A new client signed in as a new user of that role and organisation.
    pub async fn signed_in(&self, role: Role, org: &str) -> (reqwest::Client, String) {
        let email = self.user(role, org).await;
        let c = client();
        let res = self.login(&c, &email, PASSWORD).await;
        assert_eq!(res.status(), 204, "login of {email}");
        (c, email)
    }

    /// A second instance of the portal on the same database (as behind a load balancer);
    /// returns its base URL.
    pub async fn peer(&self, config: Config) -> String {
        let db = app::core::db::connect(&self.test_db.url).await.expect("connect");
        let state = AppState::new(db, config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let router = server::http::router::build(state, server::http::router::leptos_options("target/site", addr));
        tokio::spawn(async move {
            axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.expect("serve");
        });
        format!("http://{addr}")
    }

    pub async fn login(&self, c: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
        c.post(self.url("/api/v1/session"))
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("request")
    }

    /// REST sign-in with the second factor's code.
    pub async fn login_with_code(&self, c: &reqwest::Client, email: &str, code: &str) -> reqwest::Response {
        c.post(self.url("/api/v1/session"))
            .json(&serde_json::json!({ "email": email, "password": PASSWORD, "code": code }))
            .send()
            .await
            .expect("request")
    }

    /// Calls a server function as the browser's client does (URL-encoded body, JSON answer).
    pub async fn server_fn(&self, c: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        c.post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request")
    }

    pub async fn me_status(&self, c: &reqwest::Client) -> u16 {
        c.get(self.url("/api/v1/me")).send().await.expect("request").status().as_u16()
    }

    pub async fn count(&self, table: &str) -> i64 {
        use sea_orm::{FromQueryResult, Statement};
        #[derive(FromQueryResult)]
        struct N {
            n: i64,
        }
        let backend = self.db.get_database_backend();
        N::find_by_statement(Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM {table}")))
            .one(&self.db)
            .await
            .expect("count")
            .expect("row")
            .n
    }
}

/// Extracts `name=value` of the session cookie from a response's `Set-Cookie` headers.
pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("ozg_session=") || v.starts_with("__Host-ozg_session="))
        .map(str::to_string)
}

/// An SMTP sink on loopback that records each message's DATA.
pub struct Sink {
    pub received: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

pub async fn start_sink(listener: tokio::net::TcpListener) -> Sink {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut in_data = false;
                let mut data = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            store.lock().expect("lock").push(std::mem::take(&mut data));
                            let _ = write.write_all(b"250 2.0.0 queued\r\n").await;
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let reply: &[u8] = match line.split(' ').next().unwrap_or_default().to_uppercase().as_str() {
                        "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                        "MAIL" | "RCPT" => b"250 2.1.0 OK\r\n",
                        "DATA" => {
                            in_data = true;
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"500 unknown\r\n",
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    Sink { received }
}

impl Sink {
    /// The decoded text bodies of the mails to `to` received so far.
    pub fn bodies_to(&self, to: &str) -> Vec<String> {
        use base64::Engine;
        self.received
            .lock()
            .expect("lock")
            .iter()
            .filter(|m| m.lines().take_while(|l| !l.is_empty()).any(|l| l.strip_prefix("To: ").is_some_and(|v| v.trim_matches(['<', '>']) == to)))
            .map(|m| {
                let body: String = m.split_once("\n\n").map(|(_, b)| b).unwrap_or_default().lines().collect();
                String::from_utf8(base64::engine::general_purpose::STANDARD.decode(body.trim()).expect("base64 body")).expect("utf-8 body")
            })
            .collect()
    }
}
