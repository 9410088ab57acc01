//! Password hashing (Argon2id, OWASP parameters) off the async runtime through a bounded pool,
//! and the password policy (length, common passwords).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;
use tokio::sync::{OnceCell, Semaphore};

/// Minimum length in characters (QUALITY: at least 12, no composition rules).
pub const MIN_LEN: usize = 12;
/// Maximum length in characters; long passphrases are welcome, unbounded input is not.
pub const MAX_LEN: usize = 256;

const COMMON: &str = include_str!("../../../data/common-passwords.txt");

/// Why hashing did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashError {
    /// Every worker and waiting slot is taken: refuse quickly instead of queueing.
    Busy,
    /// The hasher failed (should not happen; logged).
    Failed,
}

/// The result of checking a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub ok: bool,
    /// The stored hash uses weaker parameters than today's: store a fresh hash.
    pub needs_rehash: bool,
}

/// Runs Argon2 on the blocking thread pool, at most `workers` at a time, with a short queue.
#[derive(Clone)]
pub struct PasswordHasherPool {
    workers: Arc<Semaphore>,
    admission: Arc<Semaphore>,
    dummy: Arc<OnceCell<String>>,
}

fn argon() -> Argon2<'static> {
    // Argon2id v19, m = 19456 KiB, t = 2, p = 1: OWASP's recommendation and the crate default.
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

impl PasswordHasherPool {
    /// `workers` hashes run at once; up to `waiting` more may wait, the rest are refused.
    pub fn new(workers: usize, waiting: usize) -> Self {
        PasswordHasherPool {
            workers: Arc::new(Semaphore::new(workers)),
            admission: Arc::new(Semaphore::new(workers + waiting)),
            dummy: Arc::new(OnceCell::new()),
        }
    }

    async fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Result<T, HashError> {
        let _admitted = self.admission.clone().try_acquire_owned().map_err(|_| HashError::Busy)?;
        let _worker = self.workers.clone().acquire_owned().await.map_err(|_| HashError::Failed)?;
        tokio::task::spawn_blocking(job).await.map_err(|_| HashError::Failed)
    }

    /// Hashes a password into a PHC string.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.run(move || hash_blocking(&password)).await?
    }

    /// Checks a password against a stored hash. With `None` (unknown user) a dummy hash is
    /// checked instead, so the answer takes as long as for a known user.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<Verified, HashError> {
        let known = stored.is_some();
        let hash = match stored {
            Some(h) => h,
            None => self.dummy_hash().await?,
        };
        let verified = self.run(move || verify_blocking(&password, &hash)).await?;
        Ok(Verified { ok: known && verified.ok, needs_rehash: known && verified.needs_rehash })
    }

    async fn dummy_hash(&self) -> Result<String, HashError> {
        let this = self.clone();
        self.dummy
            .get_or_try_init(|| async move { this.hash("kein-benutzer-dummy-passwort".to_string()).await })
            .await
            .cloned()
    }
}

fn hash_blocking(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| HashError::Failed)
}

fn verify_blocking(password: &str, stored: &str) -> Verified {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verified { ok: false, needs_rehash: false };
    };
    let ok = argon().verify_password(password.as_bytes(), &parsed).is_ok();
    let current = Params::default();
    let params = Params::try_from(&parsed).ok();
    let weaker = match params {
        Some(p) => p.m_cost() < current.m_cost() || p.t_cost() < current.t_cost() || p.p_cost() != current.p_cost(),
        None => true,
    };
    let needs_rehash = ok && (parsed.algorithm.as_str() != "argon2id" || weaker);
    Verified { ok, needs_rehash }
}

/// Checks a new password against the policy. Returns a German message when it is refused.
pub fn check_policy(password: &str, email: &str) -> Result<(), String> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(format!("Das Passwort muss mindestens {MIN_LEN} Zeichen lang sein."));
    }
    if len > MAX_LEN {
        return Err(format!("Das Passwort darf höchstens {MAX_LEN} Zeichen lang sein."));
    }
    let lower = password.to_lowercase();
    if is_common(&lower) {
        return Err("Dieses Passwort ist zu verbreitet und leicht zu erraten. Bitte wählen Sie ein anderes.".into());
    }
    let mut chars = lower.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return Err("Das Passwort darf nicht aus einem einzigen wiederholten Zeichen bestehen.".into());
    }
    let email = crate::core::address::normalise_email(email);
    let local = email.split('@').next().unwrap_or_default();
    if !email.is_empty() && (lower == email || (local.len() >= 4 && lower.contains(local))) {
        return Err("Das Passwort darf Ihre E-Mail-Adresse nicht enthalten.".into());
    }
    Ok(())
}

fn is_common(lower: &str) -> bool {
    COMMON.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).any(|c| c == lower)
}

/// A random password for generated accounts: 20 characters from an unambiguous alphabet.
pub fn generate() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..20).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
// Test code only: a failing `expect` is the test failing, with its message.
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_policy("kurz", "a@b.de").is_err());
        assert!(check_policy("elf-zeichen", "a@b.de").is_err());
        assert!(check_policy("zwölf-zeiche", "a@b.de").is_ok());
    }

    #[test]
    fn common_passwords_are_refused_case_insensitively() {
        assert!(check_policy("PasswortPasswort", "a@b.de").is_err());
        assert!(check_policy("123456789012", "a@b.de").is_err());
    }

    #[test]
    fn passwords_containing_the_email_are_refused() {
        assert!(check_policy("erika.musterfrau-2025", "erika.musterfrau@example.org").is_err());
    }

    #[test]
    fn long_passphrases_with_spaces_and_umlauts_are_allowed() {
        assert!(check_policy("Über sieben Brücken musst du gehn", "a@b.de").is_ok());
        assert!(check_policy(&"x".repeat(300), "a@b.de").is_err());
    }

    #[test]
    fn generated_passwords_pass_the_policy() {
        for _ in 0..20 {
            let p = generate();
            assert_eq!(p.chars().count(), 20);
            assert!(check_policy(&p, "a@b.de").is_ok());
        }
    }

    #[tokio::test]
    async fn hash_and_verify_round_trip_with_owasp_parameters() {
        let pool = PasswordHasherPool::new(1, 1);
        let hash = pool.hash("ein sicheres Passwort".into()).await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        let ok = pool.verify("ein sicheres Passwort".into(), Some(hash.clone())).await.expect("verify");
        assert!(ok.ok && !ok.needs_rehash);
        let bad = pool.verify("falsch".into(), Some(hash)).await.expect("verify");
        assert!(!bad.ok);
        let unknown = pool.verify("egal".into(), None).await.expect("verify");
        assert!(!unknown.ok);
    }

    #[tokio::test]
    async fn weaker_hashes_are_flagged_for_rehash() {
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8192, 1, 1, None).expect("params"));
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let hash = weak.hash_password(b"altes passwort 1", &salt).expect("hash").to_string();
        let pool = PasswordHasherPool::new(1, 1);
        let v = pool.verify("altes passwort 1".into(), Some(hash)).await.expect("verify");
        assert!(v.ok && v.needs_rehash);
    }

    #[tokio::test]
    async fn excess_requests_are_refused_not_queued() {
        let pool = PasswordHasherPool::new(1, 0);
        // Occupy the only admission slot as a running hash would.
        let held = pool.admission.clone().try_acquire_owned().expect("free slot");
        assert_eq!(pool.hash("zweites passwort".into()).await, Err(HashError::Busy));
        drop(held);
        assert!(pool.hash("drittes passwort".into()).await.is_ok());
    }
}
