//! PostgreSQL over TLS (rustls): the test cluster runs with `ssl=on` and a certificate signed by
//! a certificate authority the test script made (`TEST_PG_CA_FILE`). `verify-full` with that CA
//! connects encrypted, the server binary works over it, and a CA that did not sign the server's
//! certificate is refused. Runs in the PostgreSQL pass of the suite.

use crate::common::{fresh_db, postgres_admin_url};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// The PostgreSQL server and the CA of its certificate, when the suite runs against one.
fn cluster() -> Option<(String, String)> {
    let admin = postgres_admin_url()?;
    match std::env::var("TEST_PG_CA_FILE") {
        Ok(ca) => Some((admin, ca)),
        Err(_) => {
            eprintln!("PostgreSQL ohne TEST_PG_CA_FILE: TLS-Test übersprungen (scripts/test.sh setzt es für seinen Wegwerf-Cluster)");
            None
        }
    }
}

fn with_params(url: &str, params: &str) -> String {
    format!("{url}{}{params}", if url.contains('?') { '&' } else { '?' })
}

async fn encrypted(db: &sea_orm::DatabaseConnection) -> bool {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
        .await
        .expect("query")
        .expect("a row");
    row.try_get::<bool>("", "ssl").expect("ssl column")
}

#[tokio::test]
async fn verify_full_with_the_right_ca_connects_encrypted_and_the_server_runs_over_it() {
    let Some((_, ca)) = cluster() else { return };
    let t = fresh_db().await;
    for mode in ["verify-full", "verify-ca"] {
        let url = with_params(&t.url, &format!("sslmode={mode}&sslrootcert={ca}"));
        let db = app::core::db::connect(&url).await.unwrap_or_else(|e| panic!("{mode}: {e}"));
        assert!(encrypted(&db).await, "{mode}: the connection is encrypted");
        db.close().await.ok();
    }
    let plain = app::core::db::connect(&with_params(&t.url, "sslmode=disable")).await.expect("unencrypted allowed by this cluster");
    assert!(!encrypted(&plain).await, "the check can tell an unencrypted connection");
    plain.close().await.ok();

    // The server binary itself over verify-full: migrate, import nothing, list users.
    let url = with_params(&t.url, &format!("sslmode=verify-full&sslrootcert={ca}"));
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_server")).args(["user", "list"]).env("DATABASE_URL", url).output().expect("run")
    })
    .await
    .expect("join");
    assert!(out.status.success(), "server over verify-full: {}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn a_certificate_authority_that_did_not_sign_the_server_certificate_is_refused() {
    let Some(_) = cluster() else { return };
    let t = fresh_db().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let key = rcgen::KeyPair::generate().expect("key");
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.distinguished_name.push(rcgen::DnType::CommonName, "Fremde CA");
    let wrong = dir.path().join("fremde-ca.pem");
    std::fs::write(&wrong, params.self_signed(&key).expect("cert").pem()).expect("write");
    for mode in ["verify-full", "verify-ca"] {
        let url = with_params(&t.url, &format!("sslmode={mode}&sslrootcert={}", wrong.display()));
        let err = app::core::db::connect(&url).await.err().unwrap_or_else(|| panic!("{mode} with a foreign CA must be refused"));
        let text = err.to_string();
        assert!(text.to_lowercase().contains("certificate") || text.contains("UnknownIssuer"), "{mode}: {text}");
    }
    // `require` encrypts without checking the certificate (as libpq does).
    let db = app::core::db::connect(&with_params(&t.url, "sslmode=require")).await.expect("require");
    assert!(encrypted(&db).await);
}
