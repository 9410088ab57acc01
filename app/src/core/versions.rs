//! The data versions (migration m0014): counters that every committed change to the cases, the
//! register, the people or the reference data moves forward. A request reads them once, with its
//! session; what an instance computed from those tables is kept under the counters it was
//! computed at and used again while they stand still. A change on any instance is seen by every
//! instance on its next request, so nothing here has to be told about writes, and nothing kept
//! can outlive them.
//!
//! The counters are read before the data they label: a result computed while another transaction
//! commits may be newer than its label (and is recomputed on the next request), never older.

use sea_orm::{ConnectionTrait, DbErr, Statement};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// The counters as one request found them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Versions {
    /// Tells databases apart (a process may talk to several, as the tests do).
    pub epoch: Arc<str>,
    pub cases: i64,
    pub register: i64,
    pub people: i64,
    pub reference: i64,
    /// Moves with the cases, but only when a case comes or goes or a column changes that an
    /// inbox filter reads (migration m0030): not with a note or reply that leaves them alone.
    pub case_set: i64,
}

/// The counters a kept result depends on; the others are left at zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Depends {
    Reference,
    PeopleAndReference,
    RegisterAndReference,
    /// The cases with the people and reference data they name (the inbox): not the register.
    CasesPeopleAndReference,
    /// Which cases match a filter (not their order): the inbox's counts.
    CaseSetPeopleAndReference,
}

/// The label of a kept result: the epoch and the counters it depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stamp(Arc<str>, [i64; 5]);

impl Versions {
    pub fn stamp(&self, on: Depends) -> Stamp {
        let counters = match on {
            Depends::Reference => [0, 0, 0, self.reference, 0],
            Depends::PeopleAndReference => [0, 0, self.people, self.reference, 0],
            Depends::RegisterAndReference => [0, self.register, 0, self.reference, 0],
            Depends::CasesPeopleAndReference => [self.cases, 0, self.people, self.reference, 0],
            Depends::CaseSetPeopleAndReference => [0, 0, self.people, self.reference, self.case_set],
        };
        Stamp(self.epoch.clone(), counters)
    }
}

/// The columns to select, in `Versions` order, for joining them to another query.
pub const COLUMNS: &str = "data_version.epoch, data_version.cases, data_version.register, data_version.people, data_version.reference, data_version.case_set";

/// Reads the counters from six columns of a row, from `first` on (see `COLUMNS`).
pub fn from_row(row: &sea_orm::QueryResult, first: usize) -> Result<Versions, DbErr> {
    Ok(Versions {
        epoch: Arc::from(row.try_get_by_index::<String>(first)?),
        cases: row.try_get_by_index(first + 1)?,
        register: row.try_get_by_index(first + 2)?,
        people: row.try_get_by_index(first + 3)?,
        reference: row.try_get_by_index(first + 4)?,
        case_set: row.try_get_by_index(first + 5)?,
    })
}

/// The counters now (for work outside a request: jobs, command line).
pub async fn current(db: &impl ConnectionTrait) -> Result<Versions, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), format!("SELECT {COLUMNS} FROM data_version WHERE id = 1")))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("data_version".into()))?;
    from_row(&row, 0)
}

/// Results kept under their stamp, at most `capacity` of them. When full, results of older
/// stamps go first, then everything (a cache is not a store: the next request recomputes).
/// Requests that miss the same key at once compute it once: the others wait for that result
/// instead of all running the same expensive query side by side.
pub struct Memo<K, V, S = Stamp> {
    capacity: usize,
    entries: Mutex<Option<HashMap<K, (S, Arc<V>)>>>,
    flights: Mutex<Option<HashMap<K, Arc<tokio::sync::Mutex<()>>>>>,
}

impl<K: Hash + Eq + Clone, V, S: PartialEq + Clone> Memo<K, V, S> {
    pub const fn new(capacity: usize) -> Self {
        Memo { capacity, entries: Mutex::new(None), flights: Mutex::new(None) }
    }

    /// The result kept for `key` under exactly this stamp.
    pub fn get(&self, key: &K, stamp: &S) -> Option<Arc<V>> {
        let entries = self.entries.lock().ok()?;
        entries.as_ref()?.get(key).filter(|(s, _)| s == stamp).map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: K, stamp: S, value: Arc<V>) {
        let Ok(mut entries) = self.entries.lock() else { return };
        let map = entries.get_or_insert_with(HashMap::new);
        if map.len() >= self.capacity && !map.contains_key(&key) {
            map.retain(|_, (s, _)| *s == stamp);
            if map.len() >= self.capacity {
                map.clear();
            }
        }
        map.insert(key, (stamp, value));
    }

    /// The kept result, or `compute`'s, which is then kept.
    pub async fn get_or<E, F, Fut>(&self, key: K, stamp: S, compute: F) -> Result<Arc<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<V, E>>,
    {
        self.get_or_while(key, stamp, |_| true, compute).await
    }

    /// The kept result while `holds` says it still holds (a result that also depends on the
    /// clock), or `compute`'s, which is then kept. Requests that find none at once compute it
    /// once, as `get_or` does.
    pub async fn get_or_while<E, H, F, Fut>(&self, key: K, stamp: S, holds: H, compute: F) -> Result<Arc<V>, E>
    where
        H: Fn(&V) -> bool,
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<V, E>>,
    {
        let kept = |memo: &Self| memo.get(&key, &stamp).filter(|v| holds(v));
        if let Some(v) = kept(self) {
            return Ok(v);
        }
        let Some(flight) = self.flights.lock().ok().map(|mut f| f.get_or_insert_with(HashMap::new).entry(key.clone()).or_default().clone()) else {
            let v = Arc::new(compute().await?);
            self.put(key, stamp, v.clone());
            return Ok(v);
        };
        let result = {
            let _turn = flight.lock().await;
            match kept(self) {
                Some(v) => Ok(v),
                None => match compute().await {
                    Ok(v) => {
                        let v = Arc::new(v);
                        self.put(key.clone(), stamp, v.clone());
                        Ok(v)
                    }
                    Err(e) => Err(e),
                },
            }
        };
        // The last one out takes the key's turn away (the map and this request hold it then).
        if let Ok(mut f) = self.flights.lock()
            && let Some(map) = f.as_mut()
            && map.get(&key).is_some_and(|t| Arc::strong_count(t) <= 2)
        {
            map.remove(&key);
        }
        result
    }

    pub fn len(&self) -> usize {
        self.entries.lock().ok().and_then(|e| e.as_ref().map(HashMap::len)).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(cases: i64, people: i64, reference: i64) -> Versions {
        Versions { epoch: Arc::from("e"), cases, register: 0, people, reference, case_set: 0 }
    }

    #[test]
    fn a_kept_result_serves_only_its_own_stamp() {
        let memo: Memo<&str, u32> = Memo::new(4);
        memo.put("k", v(1, 1, 1).stamp(Depends::CasesPeopleAndReference), Arc::new(7));
        assert_eq!(memo.get(&"k", &v(1, 1, 1).stamp(Depends::CasesPeopleAndReference)).as_deref(), Some(&7));
        assert!(memo.get(&"k", &v(2, 1, 1).stamp(Depends::CasesPeopleAndReference)).is_none());
        let other_db = Versions { epoch: Arc::from("f"), ..v(1, 1, 1) };
        assert!(memo.get(&"k", &other_db.stamp(Depends::CasesPeopleAndReference)).is_none());
    }

    #[test]
    fn a_stamp_ignores_the_counters_a_result_does_not_depend_on() {
        assert_eq!(v(1, 2, 3).stamp(Depends::Reference), v(9, 9, 3).stamp(Depends::Reference));
        assert_ne!(v(1, 2, 3).stamp(Depends::PeopleAndReference), v(1, 9, 3).stamp(Depends::PeopleAndReference));
        assert_ne!(v(1, 2, 3).stamp(Depends::CasesPeopleAndReference), v(9, 2, 3).stamp(Depends::CasesPeopleAndReference));
        let register = |n| Versions { register: n, ..v(1, 2, 3) };
        assert_ne!(register(1).stamp(Depends::RegisterAndReference), register(2).stamp(Depends::RegisterAndReference));
        assert_eq!(register(1).stamp(Depends::PeopleAndReference), register(2).stamp(Depends::PeopleAndReference));
        assert_eq!(register(1).stamp(Depends::CasesPeopleAndReference), register(2).stamp(Depends::CasesPeopleAndReference), "the inbox outlives register saves");
        assert_ne!(v(1, 2, 3).stamp(Depends::CasesPeopleAndReference), v(2, 2, 3).stamp(Depends::CasesPeopleAndReference));
        assert_ne!(v(1, 2, 3).stamp(Depends::CasesPeopleAndReference), v(1, 3, 3).stamp(Depends::CasesPeopleAndReference));
        assert_ne!(v(1, 2, 3).stamp(Depends::CasesPeopleAndReference), v(1, 2, 4).stamp(Depends::CasesPeopleAndReference));
        // A note moves the cases but not the set of cases: the counts stay, the order does not.
        let noted = Versions { cases: 2, ..v(1, 2, 3) };
        assert_eq!(v(1, 2, 3).stamp(Depends::CaseSetPeopleAndReference), noted.stamp(Depends::CaseSetPeopleAndReference));
        assert_ne!(v(1, 2, 3).stamp(Depends::CasesPeopleAndReference), noted.stamp(Depends::CasesPeopleAndReference));
        let moved = Versions { case_set: 1, ..v(1, 2, 3) };
        assert_ne!(v(1, 2, 3).stamp(Depends::CaseSetPeopleAndReference), moved.stamp(Depends::CaseSetPeopleAndReference));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn requests_that_miss_the_same_key_at_once_compute_it_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static MEMO: Memo<u32, u32> = Memo::new(8);
        static COMPUTED: AtomicUsize = AtomicUsize::new(0);
        let stamp = v(1, 0, 0).stamp(Depends::CasesPeopleAndReference);
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let stamp = stamp.clone();
                tokio::spawn(async move {
                    MEMO.get_or(7, stamp, || async {
                        COMPUTED.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        Ok::<_, ()>(42)
                    })
                    .await
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.expect("task").as_deref(), Ok(&42));
        }
        assert_eq!(COMPUTED.load(Ordering::SeqCst), 1);
        assert!(MEMO.flights.lock().expect("lock").as_ref().is_none_or(HashMap::is_empty), "no turn is left behind");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_result_that_holds_for_a_while_is_computed_once_and_again_when_it_no_longer_holds() {
        use std::sync::atomic::{AtomicU32, Ordering};
        static MEMO: Memo<u32, u32> = Memo::new(8);
        static COMPUTED: AtomicU32 = AtomicU32::new(0);
        let stamp = v(1, 0, 0).stamp(Depends::CaseSetPeopleAndReference);
        // The value holds while the "clock" (here: the caller's number) has not passed 10.
        let read = |clock: u32, stamp: Stamp| async move {
            MEMO.get_or_while(7, stamp, |until| clock <= *until, || async {
                COMPUTED.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
                Ok::<_, ()>(clock + 10)
            })
            .await
        };
        let tasks: Vec<_> = (0..16).map(|_| tokio::spawn(read(0, stamp.clone()))).collect();
        for t in tasks {
            assert_eq!(t.await.expect("task").as_deref(), Ok(&10));
        }
        assert_eq!(COMPUTED.load(Ordering::SeqCst), 1, "requests that miss at once count once");
        assert_eq!(read(10, stamp.clone()).await.as_deref(), Ok(&10), "still holds");
        assert_eq!(read(11, stamp.clone()).await.as_deref(), Ok(&21), "no longer holds: computed again");
        assert_eq!(COMPUTED.load(Ordering::SeqCst), 2);
        let moved = v(1, 0, 0);
        let moved = Versions { case_set: 1, ..moved }.stamp(Depends::CaseSetPeopleAndReference);
        assert_eq!(read(12, moved).await.as_deref(), Ok(&22), "another stamp: computed again");
        assert!(MEMO.flights.lock().expect("lock").as_ref().is_none_or(HashMap::is_empty), "no turn is left behind");
    }

    #[test]
    fn a_full_memo_drops_older_stamps_first_and_never_grows_past_its_capacity() {
        let memo: Memo<u32, u32> = Memo::new(3);
        let old = v(1, 0, 0).stamp(Depends::CasesPeopleAndReference);
        let new = v(2, 0, 0).stamp(Depends::CasesPeopleAndReference);
        memo.put(1, old.clone(), Arc::new(1));
        memo.put(2, old, Arc::new(2));
        memo.put(3, new.clone(), Arc::new(3));
        memo.put(4, new.clone(), Arc::new(4));
        assert_eq!(memo.len(), 2, "the two results of the old stamp went");
        memo.put(5, new.clone(), Arc::new(5));
        memo.put(6, new.clone(), Arc::new(6));
        assert!(memo.len() <= 3);
        assert_eq!(memo.get(&6, &new).as_deref(), Some(&6));
    }
}
