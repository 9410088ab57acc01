//! Nothing acknowledged is lost: `serve` runs as a child process while concurrent clients write
//! (register saves, new cases, replies); it is killed with SIGKILL at a random moment, started
//! again, and every write that was answered with success must be in the database. Used by the
//! integration test (20 cycles) and by `server bench durability` (200 cycles, figures printed).
//!
//! The same harness drives `server bench writers`: many concurrent writers against one server.

use app::accounts::service::users::{self, NewUser};
use app::core::entities::{case_message, service_record, support_case};
use app::core::state::AppState;
use app::identity::Role;
use rand::Rng;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The Kommune whose clerk writes (Landeshauptstadt Magdeburg).
pub const KOMMUNE: &str = "15003000";
const PASSWORD: &str = "ein langes Passwort für die Dauerprobe";

/// Who writes what: the clerk, the OZG-IDs the register writers save (one per writer, so each
/// record has one writer) and a tag that marks this run's writes.
#[derive(Debug, Clone)]
pub struct Plan {
    pub email: String,
    pub ozg_ids: Vec<String>,
    pub tag: String,
}

impl Plan {
    fn ozg(&self, w: usize) -> &str {
        &self.ozg_ids[w % self.ozg_ids.len()]
    }
    fn marker(&self, w: usize, seq: u64) -> String {
        format!("dauer{}-{w}-{seq}", self.tag)
    }
    fn prefix(&self) -> String {
        format!("dauer{}-", self.tag)
    }
}

/// A write that the server answered with success.
#[derive(Debug, Clone)]
pub enum Ack {
    Case { id: i64, subject: String },
    Reply { case_id: i64, body: String },
    Register { ozg_id: String, writer: usize, n: u64 },
}

/// What the answers of a run were.
#[derive(Debug, Default, Clone)]
pub struct Answers {
    pub acknowledged: Vec<Ack>,
    /// Answers with status 5xx, with their bodies' beginnings.
    pub server_errors: Vec<String>,
    /// Other refusals (4xx), e.g. a register save on an outdated version.
    pub refused: usize,
    /// Requests without an answer (the connection broke: the server was killed).
    pub unanswered: usize,
    /// How long the acknowledged writes took.
    pub latencies: Vec<Duration>,
}

/// Makes the database ready: schema, Kommunen and catalogue, and a clerk of [`KOMMUNE`].
pub async fn prepare(db_url: &str) -> anyhow::Result<Plan> {
    let db = app::core::db::connect(db_url).await?;
    use migrations::MigratorTrait;
    migrations::Migrator::up(&db, None).await?;
    app::catalogue::service::import::import_shipped(&db, &mut |_, _, _| {}).await.map_err(|e| anyhow::anyhow!("Katalog: {e}"))?;
    let state = AppState::new(db.clone(), app::core::config::Config::default());
    let email = format!("dauerprobe-{}@magdeburg.example", uuid::Uuid::new_v4().simple());
    let user = NewUser { email: email.clone(), name: "Dauerprobe".into(), role: Role::Clerk, org_keys: vec![KOMMUNE.into()], password: PASSWORD.into(), is_demo: false };
    users::create(&db, &state.hasher, None, user).await.map_err(crate::fail)?;
    use sea_orm::{QueryOrder, QuerySelect};
    let ozg_ids: Vec<String> = app::core::entities::ozg_service::Entity::find()
        .select_only()
        .column(app::core::entities::ozg_service::Column::OzgId)
        .order_by_asc(app::core::entities::ozg_service::Column::OzgId)
        .limit(200)
        .into_tuple()
        .all(&db)
        .await?;
    anyhow::ensure!(!ozg_ids.is_empty(), "kein OZG-Katalog");
    db.close().await.ok();
    Ok(Plan { email, ozg_ids, tag: uuid::Uuid::new_v4().simple().to_string()[..8].to_string() })
}

/// A `serve` child process on a free port.
pub struct Server {
    pub child: tokio::process::Child,
    pub base: String,
}

/// Starts `exe serve` on the database (pinned to one CPU with `taskset` when `cpu` is given)
/// and waits until it answers `/readyz`.
pub async fn start(exe: &Path, db_url: &str, log: Option<&Path>, cpu: Option<usize>) -> anyhow::Result<Server> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let stderr = match log {
        Some(p) => std::process::Stdio::from(std::fs::OpenOptions::new().create(true).append(true).open(p)?),
        None => std::process::Stdio::null(),
    };
    let mut cmd = match cpu {
        Some(n) => {
            let mut c = tokio::process::Command::new("taskset");
            c.arg("-c").arg(n.to_string()).arg(exe);
            c
        }
        None => tokio::process::Command::new(exe),
    };
    let child = cmd
        .arg("serve")
        .env("DATABASE_URL", db_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("PORTAL_COOKIE_SECURE", "false")
        .env("PORTAL_MFA_REQUIRED_ROLES", "none")
        .env("RUST_LOG", "warn")
        .env_remove("PORTAL_SMTP_HOST")
        .stdout(std::process::Stdio::null())
        .stderr(stderr)
        .kill_on_drop(true)
        .spawn()?;
    let base = format!("http://127.0.0.1:{port}");
    let probe = reqwest::Client::new();
    for _ in 0..600 {
        if probe.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return Ok(Server { child, base });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    anyhow::bail!("serve auf {base} wurde nicht bereit")
}

impl Server {
    /// SIGKILL: no shutdown, no flush, no goodbye.
    pub async fn kill(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

/// A client signed in as the clerk (the session lives in the database, so it outlives restarts).
pub async fn sign_in(base: &str, email: &str) -> anyhow::Result<reqwest::Client> {
    let c = reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(60)).build()?;
    let res = c.post(format!("{base}/api/v1/session")).json(&serde_json::json!({ "email": email, "password": PASSWORD })).send().await?;
    anyhow::ensure!(res.status().as_u16() == 204, "Anmeldung fehlgeschlagen: {}", res.status());
    Ok(c)
}

/// What one writer does, again and again until told to stop.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    NewCase,
    Reply(i64),
    Register(usize),
}

/// One write; `Ok(Some(ack))` when answered with success, `Ok(None)` when refused (4xx),
/// `Err(text)` for a 5xx; a broken connection counts as unanswered.
async fn write_once(plan: &Plan, c: &reqwest::Client, base: &str, kind: Kind, seq: u64, version: &mut i64) -> Result<Result<Option<Ack>, String>, ()> {
    let marker = plan.marker(0, seq);
    let req = match kind {
        Kind::NewCase => c.post(format!("{base}/api/v1/cases")).json(&serde_json::json!({ "subject": marker, "category": "technik", "description": "Dauerprobe" })),
        Kind::Reply(id) => c.post(format!("{base}/api/v1/cases/{id}/messages")).json(&serde_json::json!({ "body": marker })),
        Kind::Register(w) => c.put(format!("{base}/api/v1/municipalities/{KOMMUNE}/services/{}", plan.ozg(w))).json(&serde_json::json!({
            "offered": false, "responsibility": "own", "stage": "planned", "note": plan.marker(w, seq), "version": *version
        })),
    };
    let res = req.send().await.map_err(|_| ())?;
    let status = res.status();
    let body: serde_json::Value = match res.bytes().await {
        Ok(b) => serde_json::from_slice(&b).unwrap_or(serde_json::Value::String(String::from_utf8_lossy(&b).chars().take(200).collect())),
        Err(_) => return Err(()),
    };
    if status.is_server_error() {
        return Ok(Err(format!("{status}: {body}")));
    }
    if !status.is_success() {
        return Ok(Ok(None));
    }
    Ok(Ok(Some(match kind {
        Kind::NewCase => Ack::Case { id: body["id"].as_i64().unwrap_or_default(), subject: marker },
        Kind::Reply(case_id) => Ack::Reply { case_id, body: marker },
        Kind::Register(w) => {
            *version = body["version"].as_i64().unwrap_or(*version);
            Ack::Register { ozg_id: plan.ozg(w).into(), writer: w, n: seq }
        }
    })))
}

/// The current version of a register record (0 when there is none yet).
async fn register_version(plan: &Plan, c: &reqwest::Client, base: &str, w: usize) -> i64 {
    let url = format!("{base}/api/v1/municipalities/{KOMMUNE}/services/{}", plan.ozg(w));
    match c.get(url).send().await {
        Ok(r) if r.status().is_success() => r.json::<serde_json::Value>().await.ok().and_then(|v| v["version"].as_i64()).unwrap_or(0),
        _ => 0,
    }
}

/// Runs the writers until `stop`; each answer is recorded in `answers`.
pub fn spawn_writers(
    plan: &Plan,
    clients: &[reqwest::Client],
    base: &str,
    kinds: &[Kind],
    stop: Arc<AtomicBool>,
    answers: Arc<Mutex<Answers>>,
    seq: Arc<std::sync::atomic::AtomicU64>,
) -> Vec<tokio::task::JoinHandle<()>> {
    kinds
        .iter()
        .enumerate()
        .map(|(i, &kind)| {
            let (plan, c, base, stop, answers, seq) = (plan.clone(), clients[i % clients.len()].clone(), base.to_string(), stop.clone(), answers.clone(), seq.clone());
            tokio::spawn(async move {
                let mut version = if let Kind::Register(w) = kind { register_version(&plan, &c, &base, w).await } else { 0 };
                while !stop.load(Ordering::Relaxed) {
                    let n = seq.fetch_add(1, Ordering::Relaxed);
                    let started = std::time::Instant::now();
                    let outcome = write_once(&plan, &c, &base, kind, n, &mut version).await;
                    let took = started.elapsed();
                    // Record the answer; the lock is released before anything is awaited.
                    let (reread, gone) = {
                        let mut a = answers.lock().unwrap_or_else(|e| e.into_inner());
                        match outcome {
                            Ok(Ok(Some(ack))) => {
                                a.acknowledged.push(ack);
                                a.latencies.push(took);
                                (false, false)
                            }
                            Ok(Ok(None)) => {
                                a.refused += 1;
                                (true, false)
                            }
                            Ok(Err(e)) => {
                                a.server_errors.push(e);
                                (false, false)
                            }
                            Err(()) => {
                                a.unanswered += 1;
                                (false, true)
                            }
                        }
                    };
                    if gone {
                        // The server is gone; the next cycle starts new writers.
                        break;
                    }
                    // A register save on an outdated version: read the current one.
                    if let (true, Kind::Register(w)) = (reread, kind) {
                        version = register_version(&plan, &c, &base, w).await;
                    }
                }
            })
        })
        .collect()
}

/// Every acknowledged write that is not in the database, described.
pub async fn missing(plan: &Plan, db: &DatabaseConnection, acks: &[Ack]) -> anyhow::Result<Vec<String>> {
    let mut lost = Vec::new();
    let prefix = plan.prefix();
    let cases: HashMap<i64, String> = support_case::Entity::find().filter(support_case::Column::Subject.starts_with(&prefix)).all(db).await?.into_iter().map(|c| (c.id, c.subject)).collect();
    let replies: std::collections::HashSet<(i64, String)> =
        case_message::Entity::find().filter(case_message::Column::Body.starts_with(&prefix)).all(db).await?.into_iter().map(|m| (m.case_id, m.body)).collect();
    let mut register: HashMap<usize, u64> = HashMap::new();
    for r in service_record::Entity::find().filter(service_record::Column::Note.starts_with(&prefix)).all(db).await? {
        let note = r.note.unwrap_or_default();
        let mut parts = note.trim_start_matches(prefix.as_str()).splitn(2, '-');
        if let (Some(Ok(w)), Some(Ok(n))) = (parts.next().map(str::parse::<usize>), parts.next().map(str::parse::<u64>)) {
            register.insert(w, n);
        }
    }
    let mut last_acked: HashMap<usize, u64> = HashMap::new();
    for ack in acks {
        match ack {
            Ack::Case { id, subject } if cases.get(id) != Some(subject) => lost.push(format!("Fall {id} »{subject}«")),
            Ack::Reply { case_id, body } if !replies.contains(&(*case_id, body.clone())) => lost.push(format!("Antwort »{body}« in Fall {case_id}")),
            Ack::Register { writer, n, .. } => {
                let e = last_acked.entry(*writer).or_default();
                *e = (*e).max(*n);
            }
            _ => {}
        }
    }
    for (w, n) in last_acked {
        // The record holds the last acknowledged save, or a later one whose answer was lost.
        match register.get(&w) {
            Some(&stored) if stored >= n => {}
            other => lost.push(format!("Registereintrag {} (Schreiber {w}): bestätigt Stand {n}, gespeichert {other:?}", plan.ozg(w))),
        }
    }
    Ok(lost)
}

/// The result of the kill-and-restart cycles.
#[derive(Debug, Default)]
pub struct Report {
    pub cycles: usize,
    pub acknowledged: usize,
    pub unanswered: usize,
    pub server_errors: Vec<String>,
    pub lost: Vec<String>,
}

/// `cycles` times: start `serve`, write with `writers` clients of each kind until at least a few
/// writes were acknowledged and a random moment has come, SIGKILL. Then check every
/// acknowledged write against the database.
pub async fn cycles(exe: &Path, db_url: &str, plan: &Plan, cycles: usize, writers: usize, mut progress: impl FnMut(usize, &Report)) -> anyhow::Result<Report> {
    let answers = Arc::new(Mutex::new(Answers::default()));
    let seq = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut report = Report::default();
    let mut client: Option<reqwest::Client> = None;
    let mut reply_cases: Vec<i64> = Vec::new();
    for cycle in 0..cycles {
        let server = start(exe, db_url, None, None).await?;
        let c = match &client {
            Some(c) => c.clone(),
            None => {
                let c = sign_in(&server.base, &plan.email).await?;
                client = Some(c.clone());
                c
            }
        };
        if reply_cases.is_empty() {
            for _ in 0..writers {
                let res = c.post(format!("{}/api/v1/cases", server.base)).json(&serde_json::json!({ "subject": plan.marker(9999, 0), "category": "technik", "description": "Dauerprobe" })).send().await?;
                anyhow::ensure!(res.status().as_u16() == 201, "Fall zum Antworten nicht angelegt: {}", res.status());
                reply_cases.push(res.json::<serde_json::Value>().await?["id"].as_i64().unwrap_or_default());
            }
        }
        let mut kinds = Vec::new();
        for w in 0..writers {
            kinds.extend([Kind::NewCase, Kind::Reply(reply_cases[w]), Kind::Register(w)]);
        }
        let stop = Arc::new(AtomicBool::new(false));
        let before = answers.lock().unwrap_or_else(|e| e.into_inner()).acknowledged.len();
        let handles = spawn_writers(plan, std::slice::from_ref(&c), &server.base, &kinds, stop.clone(), answers.clone(), seq.clone());
        // Kill only once the writers are in full flow (a state), then at a random moment.
        for _ in 0..2000 {
            if answers.lock().unwrap_or_else(|e| e.into_inner()).acknowledged.len() >= before + kinds.len() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let extra = rand::thread_rng().gen_range(0..400);
        tokio::time::sleep(Duration::from_millis(extra)).await;
        server.kill().await;
        stop.store(true, Ordering::Relaxed);
        for h in handles {
            let _ = h.await;
        }
        report.cycles = cycle + 1;
        let a = answers.lock().unwrap_or_else(|e| e.into_inner());
        report.acknowledged = a.acknowledged.len();
        report.unanswered = a.unanswered;
        report.server_errors = a.server_errors.clone();
        drop(a);
        progress(cycle + 1, &report);
    }
    // One more start: the server recovers the database (SQLite's WAL, PostgreSQL's log) and runs.
    let server = start(exe, db_url, None, None).await?;
    anyhow::ensure!(client.is_some(), "kein Zyklus gelaufen");
    server.kill().await;
    let db = app::core::db::connect(db_url).await?;
    let acks = answers.lock().unwrap_or_else(|e| e.into_inner()).acknowledged.clone();
    report.lost = missing(plan, &db, &acks).await?;
    db.close().await.ok();
    Ok(report)
}

/// `server bench durability`: on a new SQLite file (default) or an empty PostgreSQL database.
pub async fn bench(postgres: Option<String>, cycles_wanted: usize, writers: usize) -> anyhow::Result<()> {
    let exe: PathBuf = std::env::current_exe()?;
    let dir = tempfile::tempdir()?;
    let db_url = match postgres {
        Some(url) => url,
        None => format!("sqlite://{}/dauerprobe.sqlite", dir.path().display()),
    };
    let backend = if db_url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" };
    let plan = prepare(&db_url).await?;
    println!("Dauerprobe auf {backend}: {cycles_wanted} Zyklen, je {} Schreiber (Fälle, Antworten, Registereinträge), SIGKILL mitten im Schreiben", writers * 3);
    let started = std::time::Instant::now();
    let report = cycles(&exe, &db_url, &plan, cycles_wanted, writers, |n, r| {
        if n % 20 == 0 {
            println!("  {n} Zyklen, {} bestätigte Schreibvorgänge", r.acknowledged);
        }
    })
    .await?;
    println!("Zyklen:                       {}", report.cycles);
    println!("bestätigte Schreibvorgänge:   {}", report.acknowledged);
    println!("ohne Antwort (beim Abbruch):  {}", report.unanswered);
    println!("Serverfehler (5xx):           {}", report.server_errors.len());
    println!("verlorene Schreibvorgänge:    {}", report.lost.len());
    println!("Dauer:                        {:.0} s", started.elapsed().as_secs_f64());
    for l in report.lost.iter().take(20) {
        println!("  VERLOREN: {l}");
    }
    for e in report.server_errors.iter().take(10) {
        println!("  5xx: {e}");
    }
    anyhow::ensure!(report.lost.is_empty(), "{} bestätigte Schreibvorgänge fehlen", report.lost.len());
    Ok(())
}
