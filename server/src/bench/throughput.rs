//! `server bench throughput`: requests per second of the signed-in pages and API lists under
//! load (after `server import` and `server cases seed`). The portal runs as its own process
//! pinned to CPU 0; wrk (Debian's package) pinned to CPU 1 keeps 16 connections busy. Each
//! request is warmed up, set beside the same bytes served as a static file by the same portal,
//! and run once more at a constant 250 requests/s (`server bench load --rate`, also on CPU 1)
//! for p50 and p99 — unless wrk showed it cannot sustain that rate ("überlastet"). With
//! `--writes 0,10,50` the whole table is measured once per write rate, a writer
//! (`bench::write_load`) changing cases and register records beside the load. Prints the tables,
//! the writer's achieved rate and the portal's peak memory over all of it.

use app::core::state::AppState;
use app::identity::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// One measured request.
struct Target {
    label: String,
    path: String,
    cookie: String,
}

/// What wrk reported.
pub(crate) struct Wrk {
    pub rate: f64,
    pub p50: f64,
    pub p99: f64,
    pub errors: u64,
}

/// Milliseconds from a wrk latency such as `812.00us`, `3.21ms` or `1.02s`.
fn wrk_ms(v: &str) -> f64 {
    let num = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
    if let Some(x) = v.strip_suffix("us") {
        num(x) / 1000.0
    } else if let Some(x) = v.strip_suffix("ms") {
        num(x)
    } else if let Some(x) = v.strip_suffix('s') {
        num(x) * 1000.0
    } else {
        f64::NAN
    }
}

fn parse_wrk(out: &str) -> Wrk {
    let mut w = Wrk { rate: 0.0, p50: f64::NAN, p99: f64::NAN, errors: 0 };
    for line in out.lines().map(str::trim) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["Requests/sec:", r] => w.rate = r.parse().unwrap_or(0.0),
            ["50%", v] => w.p50 = wrk_ms(v),
            ["99%", v] => w.p99 = wrk_ms(v),
            ["Non-2xx", "or", "3xx", "responses:", n] => w.errors += n.parse::<u64>().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => w.errors += rest.iter().filter_map(|p| p.trim_end_matches(',').parse::<u64>().ok()).sum::<u64>(),
            _ => {}
        }
    }
    w
}

pub(crate) async fn wrk(port: u16, path: &str, cookie: Option<&str>, seconds: u64) -> anyhow::Result<Wrk> {
    let mut cmd = tokio::process::Command::new("taskset");
    cmd.args(["-c", "1", "wrk", "-t1", "-c16", &format!("-d{seconds}s"), "--latency", "-H", "Accept: text/html"]);
    if let Some(c) = cookie {
        cmd.args(["-H", &format!("Cookie: {c}")]);
    }
    let out = cmd.arg(format!("http://127.0.0.1:{port}{path}")).output().await.map_err(|e| anyhow::anyhow!("wrk lässt sich nicht starten ({e}); bitte »apt-get install wrk«"))?;
    Ok(parse_wrk(&String::from_utf8_lossy(&out.stdout)))
}

async fn paced(port: u16, path: &str, cookie: &str, seconds: u64, rate: u32) -> anyhow::Result<(f64, f64, u64)> {
    let exe = std::env::current_exe()?;
    let out = tokio::process::Command::new("taskset")
        .args(["-c", "1"])
        .arg(&exe)
        .args(["bench", "load", "--port", &port.to_string(), "--path", path, "--seconds", &seconds.to_string(), "--rate", &rate.to_string(), "--cookie", cookie])
        .output()
        .await?;
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |key: &str| text.split(key).nth(1).and_then(|r| r.split_whitespace().next()).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
    Ok((field("p50 "), field("p99 "), field("Fehler ") as u64))
}

/// A session for an existing account (the measuring accounts of `cases seed`).
async fn session_of(state: &AppState, email: &str) -> anyhow::Result<(String, String)> {
    let user = app::accounts::service::users::find_by_email(&state.db, email).await?.ok_or_else(|| anyhow::anyhow!("Messkonto {email} fehlt (»server cases seed«)"))?;
    let token = app::core::session::create(&state.db, &user.id).await?;
    Ok((user.id, format!("{}={token}", app::core::session::cookie_name(&state.config))))
}

/// A new measuring account of a role and organisation, with a session.
async fn new_session(state: &AppState, role: Role, org: &str) -> anyhow::Result<(String, String)> {
    let email = format!("bench-{}@ozg-portal.example", uuid::Uuid::now_v7().simple());
    let password = format!("Messung {}", uuid::Uuid::new_v4());
    let new = app::accounts::service::users::NewUser { email: email.clone(), name: format!("Messung {}", role.label()), role, org_keys: vec![org.into()], password, is_demo: false };
    app::accounts::service::users::create(&state.db, &state.hasher, None, new).await.map_err(crate::fail)?;
    session_of(state, &email).await
}

/// The writer's accounts and what they write on: the measuring clerks of ten Kommunen with open
/// cases of their Kommune, open cases spread over the whole inbox, twenty OZG-Leistungen.
async fn writers(state: &AppState, advisor: &str) -> anyhow::Result<(crate::bench::write_load::Writers, Vec<String>)> {
    use app::core::entities::{ozg_service, support_case};
    use sea_orm::QuerySelect;
    let db = &state.db;
    let mut clerks = Vec::new();
    let mut ids = Vec::new();
    for i in 0..10 {
        let Ok((id, cookie)) = session_of(state, &format!("mess.kommune{i}@ozg-portal.example")).await else { continue };
        let Some(org) = app::catalogue::service::orgs::of_user(db, &id).await?.into_iter().next() else { continue };
        let cases: Vec<i64> = support_case::Entity::find()
            .select_only()
            .column(support_case::Column::Id)
            .filter(support_case::Column::OrganisationId.eq(org.id.clone()))
            .filter(support_case::Column::Status.ne("closed"))
            .limit(50)
            .into_tuple()
            .all(db)
            .await?;
        clerks.push(crate::bench::write_load::Clerk { cookie, kommune: org.key, cases });
        ids.push(id);
    }
    anyhow::ensure!(!clerks.is_empty(), "keine Messkonten der Kommunen (»server cases seed«)");
    // Every 50th open case: the notes fall all over the inbox, old cases and new.
    let open: Vec<i64> = support_case::Entity::find()
        .select_only()
        .column(support_case::Column::Id)
        .filter(support_case::Column::Status.ne("closed"))
        .order_by_asc(support_case::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let open_cases = open.into_iter().step_by(50).collect();
    let services = ozg_service::Entity::find()
        .select_only()
        .column(ozg_service::Column::OzgId)
        .filter(ozg_service::Column::InCatalogue.eq(true))
        .order_by_asc(ozg_service::Column::OzgId)
        .limit(20)
        .into_tuple()
        .all(db)
        .await?;
    Ok((crate::bench::write_load::Writers { advisor: advisor.to_string(), clerks, open_cases, services }, ids))
}

/// Runs the measurement.
pub async fn run(state: &AppState, database_url: &str, seconds: u64, rate: u32, writes: &[u32], only: Option<&str>) -> anyhow::Result<()> {
    use app::core::entities::support_case;
    let db = &state.db;
    let (advisor_id, advisor) = session_of(state, "mess.beratung0@ozg-portal.example").await?;
    let (clerk_id, clerk) = session_of(state, "mess.kommune0@ozg-portal.example").await?;
    let (association_id, association) = new_session(state, Role::Association, "SGSA").await?;
    let (admin_id, admin) = new_session(state, Role::Admin, "LAND").await?;
    let kommune = app::catalogue::service::orgs::of_user(db, &clerk_id).await?.into_iter().next().ok_or_else(|| anyhow::anyhow!("Das Messkonto der Kommune hat keine Kommune"))?;
    let case = support_case::Entity::find()
        .filter(support_case::Column::Status.ne("closed"))
        .order_by_desc(support_case::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("Die Datenbank enthält keine Beratungsfälle. Bitte zuerst »server cases seed« ausführen."))?;
    let vocabulary = crate::bench::cases_seed::Vocabulary::load(db).await?;
    let gremien = crate::bench::gremien::ensure(state, &advisor_id, "mess.kommune0@ozg-portal.example", &kommune.key).await?;
    let word: String = form_urlencoded::byte_serialize(vocabulary.rare.get(vocabulary.rare.len() / 4).map(String::as_str).unwrap_or("Antrag").as_bytes()).collect();

    let t = |label: &str, path: String, cookie: &String| Target { label: label.to_string(), path, cookie: cookie.clone() };
    let mut targets = vec![t("Posteingang »Alle offenen« (Seite)", "/faelle".into(), &advisor)];
    for (view, api) in [("mine", "mine"), ("unassigned", "unassigned"), ("overdue", "overdue"), ("due_soon", "due_soon"), ("waiting", "waiting"), ("all", "all")] {
        targets.push(t(&format!("Posteingang {view} (Seite)"), format!("/faelle?ansicht={view}"), &advisor));
        targets.push(t(&format!("Posteingang {api} (API)"), format!("/api/v1/cases?view={api}"), &advisor));
    }
    targets.extend([
        t("Posteingang open (API)", "/api/v1/cases?view=open".into(), &advisor),
        t("Gefiltert (Seite)", "/faelle?status=in_progress&kategorie=technik".into(), &advisor),
        t("Gefiltert (API)", "/api/v1/cases?view=open&status=in_progress&category=technik".into(), &advisor),
        t("Volltextsuche (Seite)", format!("/faelle?ansicht=all&suche={word}"), &advisor),
        t("Volltextsuche (API)", format!("/api/v1/cases?view=all&q={word}"), &advisor),
        t("Ein Fall (Seite)", format!("/faelle/{}", case.id), &advisor),
        t("Register einer Kommune (Seite)", format!("/kommunen/{}/leistungen", kommune.key), &clerk),
        t("Startseite Sachbearbeitung", "/".into(), &clerk),
        t("Startseite Beratung", "/".into(), &advisor),
        t("Startseite Verband", "/".into(), &association),
        t("Startseite Administration", "/".into(), &admin),
        t("Lagebild angemeldet (Beratung)", "/lagebild".into(), &advisor),
        t("Lagebild angemeldet (Verband)", "/lagebild".into(), &association),
        t("Nachnutzungsübersicht (Sachbearbeitung)", "/nachnutzung".into(), &clerk),
        t("Nachnutzungsübersicht (Beratung)", "/nachnutzung".into(), &advisor),
        t("Förderung (Beratung)", "/foerderung".into(), &advisor),
        t("Roll-out im Lagebild (Beratung)", "/lagebild/nachnutzung".into(), &advisor),
        t("Gremien (Sachbearbeitung)", "/gremien".into(), &clerk),
        t("Ein Gremium (Beratung)", format!("/gremien/{}", gremien.body), &advisor),
        t("Sitzung (Sachbearbeitung)", format!("/gremien/sitzungen/{}", gremien.meeting), &clerk),
        t("Beschlussregister (Sachbearbeitung)", "/beschluesse".into(), &clerk),
        t("Beschlussregister Suche (Beratung)", format!("/beschluesse?suche={}", gremien.word), &advisor),
    ]);
    if let Some(only) = only {
        targets.retain(|t| t.label.contains(only));
        if targets.is_empty() {
            // Refused before anything is measured: the measuring sessions end as after a run.
            for id in [&advisor_id, &clerk_id, &association_id, &admin_id] {
                app::core::session::destroy_all_for_user(db, id).await?;
            }
            anyhow::bail!("keine Anfrage enthält »{only}« in ihrer Bezeichnung");
        }
    }

    let port = 3918;
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    std::fs::create_dir_all(&site_root)?;
    let mut server = crate::bench::load::spawn_portal(database_url, port, &site_root)?;
    crate::bench::load::wait_for(port, "/readyz", None).await?;
    // This process (the writer) sits beside the load generator on CPU 1.
    let pinned = std::process::Command::new("taskset").args(["-a", "-cp", "1", &std::process::id().to_string()]).output().is_ok_and(|o| o.status.success());
    let (writers, writer_ids) = writers(state, &advisor).await?;
    let writers = std::sync::Arc::new(writers);
    println!(
        "Datenbank: {:?}; Portal auf CPU 0, wrk (16 Verbindungen, {seconds} s){} auf CPU 1; feste Rate {rate}/s je {seconds} s",
        db.get_database_backend(),
        if pinned { " und der Schreiber" } else { "" }
    );
    let mut verdicts = Vec::new();
    for &per_second in writes {
        println!();
        println!("Schreiblast: {per_second} Schreibvorgänge/s (neue Fälle, Antworten, interne Notizen, Registereinträge)");
        println!(
            "{:<36} {:>8} {:>10} {:>8} {:>8} {:>10} {:>7} {:>9} {:>9} {:>6} {:>7}",
            "ANFRAGE", "Bytes", "Anfr./s", "p50 ms", "p99 ms", "statisch/s", "Verh.", "@Rate p50", "@Rate p99", "Fehler", "RSS MiB"
        );
        let writer = crate::bench::write_load::start(port, per_second, writers.clone());
        let mut worst_rate = f64::INFINITY;
        let mut worst_p99 = 0.0_f64;
        let mut worst_ratio = f64::INFINITY;
        for (i, target) in targets.iter().enumerate() {
            let body = crate::bench::load::wait_for(port, &target.path, Some(&target.cookie)).await?;
            // Warm-up: the first seconds after a start or a heavy request read the database from
            // disk; they are not what a running portal does.
            wrk(port, &target.path, Some(&target.cookie), 2).await?;
            let live = wrk(port, &target.path, Some(&target.cookie), seconds).await?;
            // The same bytes as a static file, idle only (a file does not change with the writes).
            let reference = if per_second == 0 {
                let static_name = format!("durchsatz-{i}.html");
                let static_path = std::path::Path::new(&site_root).join(&static_name);
                std::fs::write(&static_path, &body)?;
                let reference = wrk(port, &format!("/{static_name}"), None, seconds).await?;
                let _ = std::fs::remove_file(&static_path);
                Some(reference.rate)
            } else {
                None
            };
            // At a constant rate above what the portal can answer, requests queue without end: the
            // figures would only measure the queue, and its backlog would spill into the next
            // measurement. Such a request counts as failing the p99 target.
            let (p50, p99, paced_errors) = if live.rate >= f64::from(rate) * 1.2 {
                paced(port, &target.path, &target.cookie, seconds, rate).await?
            } else {
                (f64::NAN, f64::INFINITY, 0)
            };
            worst_rate = worst_rate.min(live.rate);
            worst_p99 = worst_p99.max(p99);
            if let Some(r) = reference {
                worst_ratio = worst_ratio.min(live.rate / r.max(1.0));
            }
            let (reference_text, ratio_text) = match reference {
                Some(r) => (format!("{r:.0}"), format!("{:.2}", live.rate / r.max(1.0))),
                None => ("–".to_string(), "–".to_string()),
            };
            // The portal's resident memory after this request's measurement: where it grows.
            let (_, resident) = crate::bench::load::memory_mib(&server);
            println!(
                "{:<36} {:>8} {:>10.0} {:>8.2} {:>8.2} {:>10} {:>7} {:>9.2} {:>9.2} {:>6} {:>7}",
                target.label,
                body.len(),
                live.rate,
                live.p50,
                live.p99,
                reference_text,
                ratio_text,
                p50,
                p99,
                live.errors + paced_errors,
                resident
            );
        }
        let report = writer.stop().await;
        if per_second > 0 {
            println!(
                "Schreiber: verlangt {}/s, erreicht {:.1}/s; abgelehnt (4xx) {}, Fehler (5xx, ohne Antwort) {}, ausgelassen (32 unbeantwortet) {}",
                report.asked, report.achieved, report.refused, report.failed, report.skipped
            );
        }
        let floor = if per_second <= 10 { 500.0 } else { 250.0 };
        verdicts.push(format!(
            "{per_second:>3} Schreibvorgänge/s: kleinste Rate {worst_rate:.0}/s (Ziel ≥ {floor:.0}: {}), größtes p99 bei {rate}/s {worst_p99:.2} ms (Ziel ≤ 50: {}){}",
            if worst_rate >= floor { "erfüllt" } else { "NICHT erfüllt" },
            if worst_p99 <= 50.0 { "erfüllt" } else { "NICHT erfüllt" },
            if worst_ratio.is_finite() {
                format!(", kleinstes Verhältnis zur statischen Datei {worst_ratio:.2} (Ziel ≥ 0,15: {})", if worst_ratio >= 0.15 { "erfüllt" } else { "NICHT erfüllt" })
            } else {
                String::new()
            }
        ));
    }
    let (peak, _) = crate::bench::load::memory_mib(&server);
    let _ = server.kill().await;
    for id in [&advisor_id, &clerk_id, &association_id, &admin_id].into_iter().chain(writer_ids.iter()) {
        app::core::session::destroy_all_for_user(db, id).await?;
    }
    println!();
    println!("Speicher des Portals: höchstens {peak} MiB über alle Messungen, Aufträge eingeschlossen (Ziel ≤ 150 MiB: {}); @Rate »inf«: unter der Rate überlastet, nicht gemessen", if peak <= 150 { "erfüllt" } else { "NICHT erfüllt" });
    for v in verdicts {
        println!("Ziel bei {v}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_output_is_read_with_its_units() {
        let out = "Running 5s test @ http://127.0.0.1:3918/faelle\n  Latency Distribution\n     50%  812.00us\n     75%    2.10ms\n     90%    3.00ms\n     99%    1.02s\n  5120 requests in 5.00s, 20.00MB read\n  Non-2xx or 3xx responses: 7\nRequests/sec:   1024.50\nTransfer/sec:      4.00MB\n";
        let w = parse_wrk(out);
        assert_eq!(w.rate, 1024.5);
        assert!((w.p50 - 0.812).abs() < 1e-9);
        assert!((w.p99 - 1020.0).abs() < 1e-9);
        assert_eq!(w.errors, 7);
    }
}
