//! `server bench writers`: many concurrent writers (new cases, replies, register saves, each
//! client with its own session) against one `serve` process for a while. Prints the writes per
//! second, their latencies, and counts every 5xx answer and every "database is locked" in the
//! answers and the server's log; any of those, or a lost write, fails the benchmark.

use crate::bench::durability::{self, Answers, Kind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub async fn bench(clients: usize, seconds: u64, postgres: Option<String>) -> anyhow::Result<()> {
    anyhow::ensure!(clients >= 3, "mindestens 3 Schreiber");
    let exe = std::env::current_exe()?;
    let dir = tempfile::tempdir()?;
    let db_url = postgres.unwrap_or_else(|| format!("sqlite://{}/schreiber.sqlite", dir.path().display()));
    let backend = if db_url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" };
    let plan = durability::prepare(&db_url).await?;
    let log = dir.path().join("server.log");
    // Server on CPU 0, the writers (this process) on CPU 1, as the throughput benchmarks do.
    let pinned = std::thread::available_parallelism().map(|n| n.get() >= 2).unwrap_or(false)
        && std::process::Command::new("taskset").args(["-a", "-cp", "1", &std::process::id().to_string()]).output().is_ok_and(|o| o.status.success());
    let server = durability::start(&exe, &db_url, Some(&log), pinned.then_some(0)).await?;
    let mut sessions = Vec::with_capacity(clients);
    for _ in 0..clients {
        sessions.push(durability::sign_in(&server.base, &plan.email).await?);
    }
    let mut reply_cases = Vec::new();
    for i in 0..clients.div_ceil(3) {
        let res = sessions[i]
            .post(format!("{}/api/v1/cases", server.base))
            .json(&serde_json::json!({ "subject": format!("dauer{}-gespraech-{i}", plan.tag), "category": "technik", "description": "Schreiberprobe" }))
            .send()
            .await?;
        anyhow::ensure!(res.status().as_u16() == 201, "Fall zum Antworten nicht angelegt: {}", res.status());
        reply_cases.push(res.json::<serde_json::Value>().await?["id"].as_i64().unwrap_or_default());
    }
    let kinds: Vec<Kind> = (0..clients)
        .map(|i| match i % 3 {
            0 => Kind::NewCase,
            1 => Kind::Reply(reply_cases[i / 3]),
            _ => Kind::Register(i),
        })
        .collect();
    println!(
        "{clients} gleichzeitige Schreiber auf {backend} für {seconds} s (je eine Sitzung; neue Fälle, Antworten, Registereinträge){}",
        if pinned { "; Server auf CPU 0, Schreiber auf CPU 1" } else { "" }
    );
    let stop = Arc::new(AtomicBool::new(false));
    let answers = Arc::new(Mutex::new(Answers::default()));
    let started = Instant::now();
    let handles = durability::spawn_writers(&plan, &sessions, &server.base, &kinds, stop.clone(), answers.clone(), Arc::new(AtomicU64::new(0)));
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        let _ = h.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let alive = reqwest::get(format!("{}/readyz", server.base)).await.is_ok_and(|r| r.status().is_success());
    server.kill().await;
    let a = answers.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let db = app::core::db::connect(&db_url).await?;
    let lost = durability::missing(&plan, &db, &a.acknowledged).await?;
    db.close().await.ok();
    let log_text = std::fs::read_to_string(&log).unwrap_or_default();
    let locked = log_text.matches("database is locked").count() + a.server_errors.iter().filter(|e| e.contains("database is locked")).count();
    let mut lat = a.latencies.clone();
    lat.sort();
    let count = |f: fn(&durability::Ack) -> bool| a.acknowledged.iter().filter(|x| f(x)).count();
    println!("bestätigte Schreibvorgänge:  {} ({:.0} je Sekunde)", a.acknowledged.len(), a.acknowledged.len() as f64 / elapsed);
    println!("  neue Fälle:                {}", count(|x| matches!(x, durability::Ack::Case { .. })));
    println!("  Antworten:                 {}", count(|x| matches!(x, durability::Ack::Reply { .. })));
    println!("  Registereinträge:          {}", count(|x| matches!(x, durability::Ack::Register { .. })));
    println!("Dauer je Schreibvorgang:     p50 {} ms, p95 {} ms, p99 {} ms, max {} ms",
        crate::bench::ms(crate::bench::percentile(&lat, 50.0)),
        crate::bench::ms(crate::bench::percentile(&lat, 95.0)),
        crate::bench::ms(crate::bench::percentile(&lat, 99.0)),
        crate::bench::ms(lat.last().copied().unwrap_or_default()));
    println!("abgelehnt (4xx, veraltete Version): {}", a.refused);
    println!("Serverfehler (5xx):          {}", a.server_errors.len());
    println!("»database is locked«:        {locked}");
    println!("ohne Antwort:                {}", a.unanswered);
    println!("verloren:                    {}", lost.len());
    for e in a.server_errors.iter().take(10) {
        println!("  5xx: {e}");
    }
    anyhow::ensure!(alive, "der Server antwortete am Ende nicht mehr");
    anyhow::ensure!(a.server_errors.is_empty() && locked == 0 && a.unanswered == 0 && lost.is_empty(), "Schreiberprobe nicht bestanden");
    Ok(())
}
