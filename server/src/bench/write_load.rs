//! The writer beside `server bench throughput --writes N`: at a constant N writes per second it
//! files new cases and writes replies as clerks of ten Kommunen, adds internal notes as an
//! advisor to open cases all over the inbox, and saves register records of those Kommunen, in
//! turn, through the REST API as people do. The bench process that runs it sits on CPU 1 beside
//! the load generator, so the portal on CPU 0 pays only for the writes themselves.
//!
//! A write that is due while 32 are still unanswered is skipped and counted: the achieved rate
//! is printed beside the asked one, so an overloaded portal cannot pass for a measured one.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A clerk's session, their Kommune and open cases of that Kommune (for replies).
pub struct Clerk {
    pub cookie: String,
    pub kommune: String,
    pub cases: Vec<i64>,
}

/// Who writes, and on what.
pub struct Writers {
    pub advisor: String,
    pub clerks: Vec<Clerk>,
    /// Open cases of all Kommunen, for internal notes.
    pub open_cases: Vec<i64>,
    /// OZG-IDs whose records the clerks save.
    pub services: Vec<String>,
}

#[derive(Default)]
struct Counts {
    ok: AtomicU64,
    refused: AtomicU64,
    failed: AtomicU64,
    skipped: AtomicU64,
}

/// What the writer achieved.
pub struct Report {
    pub asked: u32,
    pub achieved: f64,
    pub refused: u64,
    pub failed: u64,
    pub skipped: u64,
}

/// A running writer; `stop` ends it and reports.
pub struct Running {
    asked: u32,
    stop: Arc<AtomicBool>,
    counts: Arc<Counts>,
    started: Instant,
    handle: Option<tokio::task::JoinHandle<()>>,
    permits: Arc<tokio::sync::Semaphore>,
}

const IN_FLIGHT: u32 = 32;

/// Starts writing at `rate` per second against the portal on `port` (0: no writer).
pub fn start(port: u16, rate: u32, writers: Arc<Writers>) -> Running {
    let stop = Arc::new(AtomicBool::new(false));
    let counts = Arc::new(Counts::default());
    let permits = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT as usize));
    let handle = (rate > 0).then(|| {
        let (stop, counts, permits) = (stop.clone(), counts.clone(), permits.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap_or_default();
            let base = format!("http://127.0.0.1:{port}");
            let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate)));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
            let mut rng = StdRng::seed_from_u64(u64::from(port) * 7919 + u64::from(rate));
            let mut n: u64 = 0;
            while !stop.load(Ordering::Relaxed) {
                tick.tick().await;
                n += 1;
                let Ok(permit) = permits.clone().try_acquire_owned() else {
                    counts.skipped.fetch_add(1, Ordering::Relaxed);
                    continue;
                };
                let write = next_write(&writers, n, &mut rng);
                let (client, base, counts, writers) = (client.clone(), base.clone(), counts.clone(), writers.clone());
                tokio::spawn(async move {
                    let outcome = send(&client, &base, &writers, write).await;
                    match outcome {
                        Outcome::Ok => counts.ok.fetch_add(1, Ordering::Relaxed),
                        Outcome::Refused => counts.refused.fetch_add(1, Ordering::Relaxed),
                        Outcome::Failed => counts.failed.fetch_add(1, Ordering::Relaxed),
                    };
                    drop(permit);
                });
            }
        })
    });
    Running { asked: rate, stop, counts, started: Instant::now(), handle, permits }
}

impl Running {
    pub async fn stop(mut self) -> Report {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.await;
        }
        // Every write still under way is answered before the figures are read.
        let _all = self.permits.acquire_many(IN_FLIGHT).await;
        let elapsed = self.started.elapsed().as_secs_f64().max(0.001);
        Report {
            asked: self.asked,
            achieved: self.counts.ok.load(Ordering::Relaxed) as f64 / elapsed,
            refused: self.counts.refused.load(Ordering::Relaxed),
            failed: self.counts.failed.load(Ordering::Relaxed),
            skipped: self.counts.skipped.load(Ordering::Relaxed),
        }
    }
}

/// One write, chosen in turn: a new case, a reply, an internal note, a register save.
enum Write {
    NewCase { clerk: usize, n: u64 },
    Reply { clerk: usize, case: i64, n: u64 },
    Note { case: i64, n: u64 },
    Register { clerk: usize, service: String, n: u64 },
}

fn next_write(w: &Writers, n: u64, rng: &mut StdRng) -> Write {
    let clerk = rng.gen_range(0..w.clerks.len().max(1));
    match n % 4 {
        0 => Write::NewCase { clerk, n },
        1 => match w.clerks.get(clerk).and_then(|c| c.cases.choose(rng)) {
            Some(&case) => Write::Reply { clerk, case, n },
            None => Write::NewCase { clerk, n },
        },
        2 => match w.open_cases.choose(rng) {
            Some(&case) => Write::Note { case, n },
            None => Write::NewCase { clerk, n },
        },
        _ => match w.services.choose(rng) {
            Some(s) => Write::Register { clerk, service: s.clone(), n },
            None => Write::NewCase { clerk, n },
        },
    }
}

enum Outcome {
    Ok,
    Refused,
    Failed,
}

fn outcome(res: Result<reqwest::Response, reqwest::Error>) -> Outcome {
    match res {
        Ok(r) if r.status().is_success() => Outcome::Ok,
        Ok(r) if r.status().is_client_error() => Outcome::Refused,
        _ => Outcome::Failed,
    }
}

async fn send(c: &reqwest::Client, base: &str, w: &Writers, write: Write) -> Outcome {
    let cookie_of = |i: usize| w.clerks.get(i).map(|c| c.cookie.as_str()).unwrap_or_default();
    match write {
        Write::NewCase { clerk, n } => outcome(
            c.post(format!("{base}/api/v1/cases"))
                .header("cookie", cookie_of(clerk))
                .json(&serde_json::json!({ "subject": format!("Messung Schreiblast {n}"), "category": "technik", "description": "Neuer Fall neben der Durchsatzmessung" }))
                .send()
                .await,
        ),
        Write::Reply { clerk, case, n } => outcome(
            c.post(format!("{base}/api/v1/cases/{case}/messages"))
                .header("cookie", cookie_of(clerk))
                .json(&serde_json::json!({ "body": format!("Antwort der Kommune {n}") }))
                .send()
                .await,
        ),
        Write::Note { case, n } => outcome(
            c.post(format!("{base}/api/v1/cases/{case}/messages"))
                .header("cookie", &w.advisor)
                .json(&serde_json::json!({ "body": format!("Interne Notiz {n}"), "internal": true }))
                .send()
                .await,
        ),
        Write::Register { clerk, service, n } => {
            let Some(k) = w.clerks.get(clerk) else { return Outcome::Failed };
            let url = format!("{base}/api/v1/municipalities/{}/services/{service}", k.kommune);
            // The record's version as the form would hold it (a save without it is refused).
            let version = match c.get(&url).header("cookie", &k.cookie).send().await {
                Ok(r) if r.status().is_success() => r.json::<serde_json::Value>().await.ok().and_then(|v| v["version"].as_i64()).unwrap_or(0),
                Ok(r) if r.status().as_u16() == 404 => 0,
                _ => return Outcome::Failed,
            };
            let stage = if n % 2 == 0 { "planned" } else { "in_progress" };
            outcome(
                c.put(&url)
                    .header("cookie", &k.cookie)
                    .json(&serde_json::json!({ "offered": false, "responsibility": "own", "stage": stage, "note": format!("Messung {n}"), "version": version }))
                    .send()
                    .await,
            )
        }
    }
}
