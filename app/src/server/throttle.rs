//! Login throttling per account *and* client address, plus a coarser limit per address.
//! Keying the account limit on the address too means an attacker elsewhere cannot lock a
//! user out: failures from one address never delay logins from another.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures per (account, address) before delays start.
pub const FREE_FAILURES: u32 = 5;
/// First delay once the free failures are used up; it doubles with each further failure.
pub const BASE_DELAY: Duration = Duration::from_secs(30);
/// Longest delay.
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// Failures from one address (any account) within the window before it is refused.
pub const ADDRESS_LIMIT: u32 = 50;
pub const ADDRESS_WINDOW: Duration = Duration::from_secs(15 * 60);
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

/// In-memory counters. Restarting the server resets them, which is acceptable: they slow
/// guessing down, and the audit log keeps every attempt.
#[derive(Default)]
pub struct LoginThrottle {
    pairs: Mutex<HashMap<(String, String), Failures>>,
    addresses: Mutex<HashMap<String, Failures>>,
}

impl LoginThrottle {
    /// `Err(seconds)` when this attempt must wait that long.
    pub fn check(&self, account: &str, address: &str, now: Instant) -> Result<(), u64> {
        if let Ok(map) = self.addresses.lock()
            && let Some(f) = map.get(address)
            && now.duration_since(f.last) < ADDRESS_WINDOW
            && f.count >= ADDRESS_LIMIT
        {
            return Err((ADDRESS_WINDOW - now.duration_since(f.last)).as_secs().max(1));
        }
        if let Ok(map) = self.pairs.lock()
            && let Some(f) = map.get(&(account.to_string(), address.to_string()))
            && f.count >= FREE_FAILURES
        {
            let delay = delay_for(f.count);
            let waited = now.duration_since(f.last);
            if waited < delay {
                return Err((delay - waited).as_secs().max(1));
            }
        }
        Ok(())
    }

    pub fn record_failure(&self, account: &str, address: &str, now: Instant) {
        if let Ok(mut map) = self.pairs.lock() {
            prune(&mut map, now);
            let e = map.entry((account.to_string(), address.to_string())).or_insert(Failures { count: 0, last: now });
            e.count += 1;
            e.last = now;
        }
        if let Ok(mut map) = self.addresses.lock() {
            prune(&mut map, now);
            let e = map.entry(address.to_string()).or_insert(Failures { count: 0, last: now });
            if now.duration_since(e.last) >= ADDRESS_WINDOW {
                e.count = 0;
            }
            e.count += 1;
            e.last = now;
        }
    }

    pub fn record_success(&self, account: &str, address: &str) {
        if let Ok(mut map) = self.pairs.lock() {
            map.remove(&(account.to_string(), address.to_string()));
        }
    }
}

fn delay_for(count: u32) -> Duration {
    let exp = count.saturating_sub(FREE_FAILURES).min(10);
    (BASE_DELAY * 2u32.pow(exp)).min(MAX_DELAY)
}

/// Keeps memory bounded under a flood of distinct keys by forgetting entries idle for long.
fn prune<K: Clone + Eq + std::hash::Hash>(map: &mut HashMap<K, Failures>, now: Instant) {
    if map.len() >= MAX_ENTRIES {
        map.retain(|_, f| now.duration_since(f.last) < MAX_DELAY);
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_are_free_the_sixth_attempt_waits() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..FREE_FAILURES {
            assert!(t.check("a@x.de", "1.1.1.1", now).is_ok());
            t.record_failure("a@x.de", "1.1.1.1", now);
        }
        assert_eq!(t.check("a@x.de", "1.1.1.1", now), Err(30));
        assert!(t.check("a@x.de", "1.1.1.1", now + BASE_DELAY).is_ok());
    }

    #[test]
    fn delays_grow_and_are_capped() {
        assert_eq!(delay_for(5), Duration::from_secs(30));
        assert_eq!(delay_for(6), Duration::from_secs(60));
        assert_eq!(delay_for(7), Duration::from_secs(120));
        assert_eq!(delay_for(30), MAX_DELAY);
    }

    #[test]
    fn failures_from_one_address_do_not_lock_out_another() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..10 {
            t.record_failure("a@x.de", "6.6.6.6", now);
        }
        assert!(t.check("a@x.de", "6.6.6.6", now).is_err());
        assert!(t.check("a@x.de", "10.0.0.1", now).is_ok());
    }

    #[test]
    fn success_resets_the_account_counter() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..4 {
            t.record_failure("a@x.de", "1.1.1.1", now);
        }
        t.record_success("a@x.de", "1.1.1.1");
        t.record_failure("a@x.de", "1.1.1.1", now);
        assert!(t.check("a@x.de", "1.1.1.1", now).is_ok());
    }

    #[test]
    fn an_address_trying_many_accounts_is_refused() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for i in 0..ADDRESS_LIMIT {
            t.record_failure(&format!("user{i}@x.de"), "6.6.6.6", now);
        }
        assert!(t.check("new@x.de", "6.6.6.6", now).is_err());
        assert!(t.check("new@x.de", "7.7.7.7", now).is_ok());
    }
}
