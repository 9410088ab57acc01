//! The `server` binary's subcommands, run as an operator would.

use crate::common::cli::server;
use crate::common::{PASSWORD, fresh_db};
use std::process::{Command, Stdio};

#[tokio::test]
async fn import_user_and_demo_commands_work_from_the_command_line() {
    let t = fresh_db().await;
    let url = t.url.clone();
    tokio::task::spawn_blocking(move || {
        let (ok, out, err) = server(&url, &["import"], None);
        assert!(ok, "{out}{err}");
        assert!(out.contains("gemeinden_sachsen_anhalt.csv") && out.contains("NEU"), "{out}");
        let (ok, out, _) = server(&url, &["import"], None);
        assert!(ok);
        let line = out.lines().find(|l| l.starts_with("ozg_leistungen.csv")).expect("summary line").to_string();
        let numbers: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(&numbers[numbers.len() - 5..], ["0", "0", "557", "0", "0"], "second import unchanged: {line}");

        let (ok, out, err) = server(
            &url,
            &["user", "create", "--email", "Erika@Example.org", "--name", "Erika Muster", "--role", "clerk", "--org", "15003000", "--password-stdin"],
            Some(&format!("{PASSWORD}\n")),
        );
        assert!(ok, "{out}{err}");
        assert!(!out.contains(PASSWORD), "a given password is never echoed");
        // Same address in other case: refused.
        let (ok, _, err) = server(&url, &["user", "create", "--email", "erika@example.org", "--name", "X", "--role", "clerk", "--org", "15003000"], None);
        assert!(!ok && err.contains("bereits ein Konto"), "{err}");
        // Unknown organisation and role mismatch: refused with a German reason.
        let (ok, _, err) = server(&url, &["user", "create", "--email", "x@example.org", "--name", "X", "--role", "advisor", "--org", "15003000"], None);
        assert!(!ok && err.contains("passt nicht"), "{err}");
        let (ok, out, _) = server(&url, &["user", "create", "--email", "gen@example.org", "--name", "Gen", "--role", "association", "--org", "LKT"], None);
        assert!(ok && out.contains("Passwort (wird nur jetzt angezeigt)"), "{out}");

        let (ok, out, _) = server(&url, &["user", "list"], None);
        assert!(ok && out.contains("erika@example.org") && out.contains("aktiv"), "{out}");
        let (ok, _, _) = server(&url, &["user", "set-password", "--email", "erika@example.org", "--password-stdin"], Some("kurz"));
        assert!(!ok, "policy applies to the CLI too");
        let (ok, _, _) = server(&url, &["user", "deactivate", "--email", "erika@example.org"], None);
        assert!(ok);
        let (_, out, _) = server(&url, &["user", "list"], None);
        assert!(out.lines().any(|l| l.contains("erika@example.org") && l.contains("inaktiv")), "{out}");
        let (ok, out, err) = server(&url, &["user", "reactivate", "--email", "erika@example.org"], None);
        assert!(ok && out.contains("wieder aktiviert"), "{out}{err}");
        let (ok, _, err) = server(&url, &["user", "reactivate", "--email", "erika@example.org"], None);
        assert!(!ok && err.contains("bereits aktiv"), "{err}");
        let (ok, out, err) = server(&url, &["user", "reset-mfa", "--email", "erika@example.org"], None);
        assert!(ok && out.contains("Zweiter Faktor"), "{out}{err}");
        let (ok, _, _) = server(&url, &["user", "deactivate", "--email", "erika@example.org"], None);
        assert!(ok);

        // Real accounts exist: the demo's data is refused, and nothing of the demo is written.
        let (ok, out, err) = server(&url, &["demo"], None);
        assert!(!ok && err.contains("keine Demo-Daten") && err.contains("2 Konten"), "{out}{err}");
        let (_, out, _) = server(&url, &["user", "list"], None);
        assert!(!out.contains("demo."), "no demo account was created: {out}");
        let (ok, out, _) = server(&url, &["demo", "--accounts-only"], None);
        assert!(ok && out.matches("Passwort: ").count() == server::ops::demo::ACCOUNTS.len() && !out.contains("Demo-Daten"), "{out}");
        let (ok, out, _) = server(&url, &["demo", "--accounts-only"], None);
        assert!(ok && out.matches("Passwort: ").count() == 0 && out.contains("besteht bereits"), "{out}");

        let (ok, out, _) = server(&url, &["migrate", "status"], None);
        assert!(ok && out.contains("m0001_foundation"), "{out}");
    })
    .await
    .expect("cli test");
}

#[tokio::test]
async fn bad_configuration_stops_the_command_with_the_setting_named() {
    let (ok, _, err) = tokio::task::spawn_blocking(|| server("mysql://irgendwo/db", &["user", "list"], None)).await.expect("join");
    assert!(!ok && err.contains("DATABASE_URL"), "{err}");
    let t = fresh_db().await;
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["serve"])
            .env("DATABASE_URL", &t.url)
            .env("PORTAL_COOKIE_SECURE", "vielleicht")
            .output()
            .expect("run")
    })
    .await
    .expect("join");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PORTAL_COOKIE_SECURE"));
}

#[tokio::test]
async fn serve_answers_ready_and_exits_cleanly_on_sigterm() {
    let t = fresh_db().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["serve"])
        .env("DATABASE_URL", &t.url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let url = format!("http://127.0.0.1:{port}/readyz");
    let mut ready = false;
    for _ in 0..150 {
        if reqwest::get(&url).await.is_ok_and(|r| r.status() == 200) {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(ready, "serve became ready");
    let pid = child.id().expect("pid").to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
    assert!(killed.success());
    let status = tokio::time::timeout(std::time::Duration::from_secs(10), child.wait()).await.expect("exits in time").expect("wait");
    assert!(status.success(), "clean exit after SIGTERM: {status:?}");
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_every_account_record_case_and_attachment() {
    use app::identity::Role;
    let app = crate::common::spawn_with(crate::common::test_config(), true).await;
    for _ in 0..2 {
        app.user(Role::Clerk, "15003000").await;
    }
    let (clerk, _) = app.signed_in(Role::Clerk, "15003000").await;
    let saved = clerk
        .put(app.url("/api/v1/municipalities/15003000/services/10000"))
        .json(&serde_json::json!({ "offered": true, "responsibility": "own", "stage": "planned", "version": 0 }))
        .send()
        .await
        .expect("save");
    assert_eq!(saved.status(), 200);
    let filed = clerk
        .post(app.url("/api/v1/cases"))
        .json(&serde_json::json!({ "subject": "Sicherung", "category": "technik", "description": "x" }))
        .send()
        .await
        .expect("file");
    assert_eq!(filed.status(), 201);
    let id = filed.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id");
    let part = reqwest::multipart::Part::bytes(b"Name;Wert\n".to_vec()).file_name("liste.csv");
    let up = clerk.post(app.url(&format!("/faelle/{id}/anhaenge"))).multipart(reqwest::multipart::Form::new().part("datei", part)).send().await.expect("upload");
    assert_eq!(up.status(), 303);
    let dir = tempfile::tempdir().expect("tmp");
    let postgres = app.test_db.backend == "postgres";
    let file = dir.path().join(if postgres { "sicherung.dump" } else { "sicherung.sqlite" });
    let (url, target) = (app.test_db.url.clone(), file.to_str().expect("utf8").to_string());
    let (ok, out, err) = tokio::task::spawn_blocking(move || server(&url, &["backup", &target], None)).await.expect("join");
    assert!(ok, "{out}{err}");
    let (url, target) = (app.test_db.url.clone(), file.to_str().expect("utf8").to_string());
    let (ok, _, err) = tokio::task::spawn_blocking(move || server(&url, &["backup", &target], None)).await.expect("join");
    assert!(!ok && err.contains("besteht bereits"), "an existing file is never overwritten: {err}");
    // `server restore` into an empty database of the same kind.
    let fresh = fresh_db().await;
    let restore = |url: String, extra: &'static [&'static str]| {
        let source = file.to_str().expect("utf8").to_string();
        tokio::task::spawn_blocking(move || {
            let mut args = vec!["restore", source.as_str()];
            args.extend_from_slice(extra);
            server(&url, &args, None)
        })
    };
    let (ok, out, err) = restore(fresh.url.clone(), &[]).await.expect("join");
    assert!(ok, "{out}{err}");
    assert!(out.contains("3 Konten, 1 Registereinträge, 1 Beratungsfälle, 1 Anhänge"), "{out}");
    let restored = app::core::db::connect(&fresh.url).await.expect("open restored");
    assert_eq!(app::accounts::service::roster::list(&restored).await.expect("users").len(), 3);
    use sea_orm::FromQueryResult;
    let row = NameRow::find_by_statement(sea_orm::Statement::from_string(
        restored.get_database_backend(),
        "SELECT attachment.filename AS name, CAST(LENGTH(attachment_blob.data) AS BIGINT) AS size FROM attachment JOIN attachment_blob ON attachment_blob.attachment_id = attachment.id",
    ))
    .one(&restored)
    .await
    .expect("query")
    .expect("the attachment and its bytes are there");
    assert_eq!((row.name.as_str(), row.size), ("liste.csv", 10));
    restored.close().await.ok();
    // A database with content is not replaced without --force.
    let (ok, _, err) = restore(fresh.url.clone(), &[]).await.expect("join");
    assert!(!ok && err.contains("nicht leer"), "{err}");
    let (ok, out, err) = restore(fresh.url.clone(), &["--force"]).await.expect("join");
    assert!(ok && out.contains("3 Konten"), "{out}{err}");
    // A file that is no backup changes nothing.
    let junk = dir.path().join("kaputt.bin");
    std::fs::write(&junk, b"keine Sicherung").expect("write");
    let (url, junk) = (fresh.url.clone(), junk.to_str().expect("utf8").to_string());
    let (ok, _, err) = tokio::task::spawn_blocking(move || server(&url, &["restore", &junk, "--force"], None)).await.expect("join");
    assert!(!ok, "{err}");
    let again = app::core::db::connect(&fresh.url).await.expect("open");
    assert_eq!(app::accounts::service::roster::list(&again).await.expect("users").len(), 3, "a refused file replaced nothing");
}

#[derive(sea_orm::FromQueryResult)]
struct NameRow {
    name: String,
    size: i64,
}
