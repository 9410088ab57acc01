//! Request rates per client address shared by every instance on one database (open data, the
//! public Lagebild for visitors without a session).
//!
//! Each instance answers from its own token bucket per address (no database round trip per
//! request) and, once a second, writes how many requests it let through per address and second
//! (`rate_usage`) and takes off its buckets what the other instances let through. An address
//! first seen by an instance starts from what the others let through recently. So several
//! instances together grant an address the configured rate, give or take the last three
//! seconds of the others' traffic; the database sees at most one write transaction per second
//! and instance, whatever the load.

use crate::core::db::stmt;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// Keys written per synchronisation at most (the busiest first): bounds the write under a
/// flood of distinct addresses.
const MAX_KEYS_PER_SYNC: usize = 2000;
/// Buckets kept in memory at most; idle ones are forgotten first.
const MAX_BUCKETS: usize = 100_000;
/// Seconds that may still receive counts from other instances when read (their flushes lag).
const SETTLE_SECS: i64 = 2;

struct Bucket {
    tokens: f64,
    at: Instant,
    /// Requests let through since the last synchronisation.
    pending: u32,
    /// Other instances' counts of seconds from this one on are still to be taken off.
    remote_from: i64,
}

struct Inner {
    buckets: HashMap<String, Bucket>,
    /// Other instances' counts are applied for the seconds before this one.
    applied_upto: i64,
}

/// A rate limit per key (client address), shared through the database.
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    instance: String,
    inner: Mutex<Inner>,
}

fn unix_now() -> i64 {
    crate::core::time::now().timestamp()
}

impl RateLimiter {
    /// `rate` requests per second with bursts of ten times as many; 0 switches it off.
    pub fn new(rate: u32) -> Arc<RateLimiter> {
        Arc::new(RateLimiter {
            rate: f64::from(rate),
            burst: f64::from(rate) * 10.0,
            instance: uuid::Uuid::new_v4().to_string(),
            inner: Mutex::new(Inner { buckets: HashMap::new(), applied_upto: unix_now() - SETTLE_SECS }),
        })
    }

    /// Seconds of traffic a full bucket stands for.
    fn window_secs(&self) -> i64 {
        (self.burst / self.rate.max(1.0)).ceil() as i64
    }

    /// Starts the once-a-second synchronisation (stops when the limiter is dropped).
    pub fn spawn_sync(self: &Arc<Self>, db: DatabaseConnection) {
        if self.rate <= 0.0 {
            return;
        }
        let Ok(handle) = tokio::runtime::Handle::try_current() else { return };
        let weak: Weak<RateLimiter> = Arc::downgrade(self);
        handle.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(limiter) = weak.upgrade() else { break };
                if let Err(e) = limiter.sync(&db).await {
                    tracing::warn!(error = %e, "Anfrageraten konnten nicht abgeglichen werden");
                }
            }
        });
    }

    /// Lets a request of `key` through (`Ok`) or says how many seconds to wait.
    pub async fn check(&self, db: &DatabaseConnection, key: &str) -> Result<(), u64> {
        if self.rate <= 0.0 {
            return Ok(());
        }
        let known = self.inner.lock().map(|i| i.buckets.contains_key(key)).unwrap_or(true);
        let first_second = unix_now() + 1;
        let remote = if known { 0.0 } else { self.recent_remote(db, key, first_second).await.unwrap_or(0.0) };
        let Ok(mut inner) = self.inner.lock() else { return Ok(()) };
        let now = Instant::now();
        if inner.buckets.len() >= MAX_BUCKETS {
            inner.buckets.retain(|_, b| now.duration_since(b.at) < Duration::from_secs(60));
            if inner.buckets.len() >= MAX_BUCKETS {
                inner.buckets.clear();
            }
        }
        let burst = self.burst;
        let b = inner.buckets.entry(key.to_string()).or_insert(Bucket { tokens: (burst - remote).max(0.0), at: now, pending: 0, remote_from: first_second });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * self.rate).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            b.pending += 1;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / self.rate).ceil().max(1.0) as u64)
        }
    }

    /// What the other instances let `key` through within the last bucket's worth of seconds
    /// (the seconds before `until`).
    async fn recent_remote(&self, db: &DatabaseConnection, key: &str, until: i64) -> Result<f64, DbErr> {
        let row = db
            .query_one_raw(stmt(
                db.get_database_backend(),
                "SELECT CAST(COALESCE(SUM(requests), 0) AS BIGINT) FROM rate_usage WHERE key = ? AND instance <> ? AND second >= ? AND second < ?",
                vec![key.into(), self.instance.clone().into(), (until - 1 - self.window_secs()).into(), until.into()],
            ))
            .await?;
        Ok(row.and_then(|r| r.try_get_by_index::<i64>(0).ok()).unwrap_or(0) as f64)
    }

    /// Writes this instance's counts and takes the other instances' counts off the buckets.
    pub async fn sync(&self, db: &DatabaseConnection) -> Result<(), DbErr> {
        let now_sec = unix_now();
        let (mut pending, from) = {
            let Ok(mut inner) = self.inner.lock() else { return Ok(()) };
            let pending: Vec<(String, u32)> = inner
                .buckets
                .iter_mut()
                .filter(|(_, b)| b.pending > 0)
                .map(|(k, b)| (k.clone(), std::mem::take(&mut b.pending)))
                .collect();
            (pending, inner.applied_upto)
        };
        let backend = db.get_database_backend();
        if !pending.is_empty() {
            pending.sort_by(|a, b| b.1.cmp(&a.1));
            pending.truncate(MAX_KEYS_PER_SYNC);
            let txn = crate::core::db::begin_write(db).await?;
            for chunk in pending.chunks(200) {
                let marks = vec!["(?, ?, ?, ?)"; chunk.len()].join(", ");
                let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 4);
                for (k, n) in chunk {
                    values.extend([k.clone().into(), self.instance.clone().into(), now_sec.into(), (*n as i32).into()]);
                }
                let sql = format!(
                    "INSERT INTO rate_usage (key, instance, second, requests) VALUES {marks} \
                     ON CONFLICT (key, instance, second) DO UPDATE SET requests = rate_usage.requests + excluded.requests"
                );
                txn.execute_raw(stmt(backend, &sql, values)).await?;
            }
            if now_sec % 30 == 0 {
                txn.execute_raw(stmt(backend, "DELETE FROM rate_usage WHERE second < ?", vec![(now_sec - 120).into()])).await?;
            }
            txn.commit().await?;
        }
        let upto = now_sec - SETTLE_SECS;
        if upto <= from {
            return Ok(());
        }
        let rows = db
            .query_all_raw(stmt(
                backend,
                "SELECT key, second, CAST(SUM(requests) AS BIGINT) FROM rate_usage WHERE instance <> ? AND second >= ? AND second < ? GROUP BY key, second",
                vec![self.instance.clone().into(), from.into(), upto.into()],
            ))
            .await?;
        let Ok(mut inner) = self.inner.lock() else { return Ok(()) };
        for r in rows {
            let (Ok(k), Ok(second), Ok(n)) = (r.try_get_by_index::<String>(0), r.try_get_by_index::<i64>(1), r.try_get_by_index::<i64>(2)) else { continue };
            if let Some(b) = inner.buckets.get_mut(&k)
                && second >= b.remote_from
            {
                b.tokens = (b.tokens - n as f64).max(-self.burst);
            }
        }
        inner.applied_upto = upto;
        Ok(())
    }
}
