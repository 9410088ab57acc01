//! `server backup FILE`: a consistent copy of the running database. SQLite: `VACUUM INTO`
//! (a transactionally consistent snapshot while the portal keeps serving). PostgreSQL:
//! `pg_dump --format=custom` (restore with `pg_restore`).

use sea_orm::{ConnectionTrait, DbBackend};
use std::path::Path;

#[tracing::instrument(skip_all)]
pub async fn run(database_url: &str, target: &Path) -> anyhow::Result<()> {
    if target.exists() {
        anyhow::bail!("{} besteht bereits; eine Sicherung überschreibt nichts", target.display());
    }
    if database_url.starts_with("postgres") {
        let status = tokio::process::Command::new("pg_dump")
            .arg("--format=custom")
            .arg("--file")
            .arg(target)
            .arg("--dbname")
            .arg(database_url)
            .status()
            .await
            .map_err(|e| anyhow::anyhow!("pg_dump konnte nicht gestartet werden (PostgreSQL-Clientprogramme installiert?): {e}"))?;
        if !status.success() {
            anyhow::bail!("pg_dump ist fehlgeschlagen ({status})");
        }
    } else {
        let db = app::core::db::connect(database_url).await?;
        if db.get_database_backend() != DbBackend::Sqlite {
            anyhow::bail!("DATABASE_URL: Sicherung wird für SQLite und PostgreSQL unterstützt");
        }
        let path = target.to_str().ok_or_else(|| anyhow::anyhow!("Der Zielpfad ist kein gültiges UTF-8"))?;
        db.execute_unprepared(&format!("VACUUM INTO '{}'", path.replace('\'', "''"))).await?;
        db.close().await.ok();
    }
    println!("Sicherung geschrieben: {}", target.display());
    Ok(())
}

/// What a restored database holds, for the operator's check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restored {
    pub accounts: i64,
    pub records: i64,
    pub cases: i64,
    pub attachments: i64,
}

async fn count(db: &sea_orm::DatabaseConnection, table: &str) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), format!("SELECT COUNT(*) AS n FROM {table}")))
        .await?
        .ok_or_else(|| anyhow::anyhow!("keine Antwort beim Zählen von {table}"))?;
    Ok(row.try_get::<i64>("", "n")?)
}

/// The SQLite file a URL names.
fn sqlite_path(database_url: &str) -> anyhow::Result<std::path::PathBuf> {
    let rest = database_url.strip_prefix("sqlite:").ok_or_else(|| anyhow::anyhow!("DATABASE_URL: weder SQLite noch PostgreSQL"))?;
    let path = rest.trim_start_matches("//").split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        anyhow::bail!("DATABASE_URL: eine SQLite-Datei wird benötigt");
    }
    Ok(std::path::PathBuf::from(path))
}

/// `server restore FILE [--force]`: a backup of `server backup` into the database of
/// `DATABASE_URL`. Refuses a database that holds tables unless `force`; every instance must be
/// stopped meanwhile. Pending migrations are applied by the next `serve`.
#[tracing::instrument(skip_all)]
pub async fn restore(database_url: &str, source: &Path, force: bool) -> anyhow::Result<Restored> {
    if !source.is_file() {
        anyhow::bail!("{} gibt es nicht oder ist keine Datei", source.display());
    }
    if database_url.starts_with("postgres") {
        let listed = tokio::process::Command::new("pg_restore")
            .arg("--list")
            .arg(source)
            .output()
            .await
            .map_err(|e| anyhow::anyhow!("pg_restore konnte nicht gestartet werden (PostgreSQL-Clientprogramme installiert?): {e}"))?;
        if !listed.status.success() {
            anyhow::bail!("{} ist keine Sicherung im Custom-Format von pg_dump", source.display());
        }
        let db = app::core::db::connect(database_url).await?;
        let tables = count(&db, "information_schema.tables WHERE table_schema = 'public'").await?;
        if tables > 0 {
            if !force {
                anyhow::bail!("Die Zieldatenbank ist nicht leer ({tables} Tabellen); mit --force wird ihr Inhalt ersetzt");
            }
            db.execute_unprepared("DROP SCHEMA public CASCADE; CREATE SCHEMA public").await?;
        }
        db.close().await.ok();
        let status = tokio::process::Command::new("pg_restore")
            .args(["--no-owner", "--no-privileges", "--exit-on-error", "--dbname", database_url])
            .arg(source)
            .status()
            .await?;
        if !status.success() {
            anyhow::bail!("pg_restore ist fehlgeschlagen ({status})");
        }
    } else {
        let target = sqlite_path(database_url)?;
        // The backup must be a readable portal database before anything is replaced.
        let probe = app::core::db::connect(&format!("sqlite://{}", source.display())).await?;
        let check = probe.query_one_raw(sea_orm::Statement::from_string(sea_orm::DbBackend::Sqlite, "PRAGMA integrity_check")).await?;
        let ok = check.and_then(|r| r.try_get_by_index::<String>(0).ok()).is_some_and(|s| s == "ok");
        count(&probe, "app_user").await.map_err(|_| anyhow::anyhow!("{} enthält keine Datenbank des Portals", source.display()))?;
        probe.close().await.ok();
        if !ok {
            anyhow::bail!("{} ist beschädigt (integrity_check)", source.display());
        }
        if target.exists() && std::fs::metadata(&target)?.len() > 0 {
            let db = app::core::db::connect(database_url).await?;
            let tables = count(&db, "sqlite_master WHERE type = 'table'").await?;
            db.close().await.ok();
            if tables > 0 && !force {
                anyhow::bail!("Die Zieldatenbank {} ist nicht leer ({tables} Tabellen); mit --force wird sie ersetzt", target.display());
            }
        }
        // Copy next to the target, then rename over it: the target is either old or restored.
        let partial = target.with_extension("wiederherstellung");
        std::fs::copy(source, &partial)?;
        std::fs::File::open(&partial)?.sync_all()?;
        for suffix in ["-wal", "-shm"] {
            let side = std::path::PathBuf::from(format!("{}{suffix}", target.display()));
            if side.exists() {
                std::fs::remove_file(side)?;
            }
        }
        std::fs::rename(&partial, &target)?;
    }
    let db = app::core::db::connect(database_url).await?;
    let restored = Restored {
        accounts: count(&db, "app_user").await?,
        records: count(&db, "service_record").await?,
        cases: count(&db, "support_case").await?,
        attachments: count(&db, "attachment").await?,
    };
    db.close().await.ok();
    Ok(restored)
}

/// `server restore`: restores and prints what the database now holds.
pub async fn restore_and_report(database_url: &str, source: &Path, force: bool) -> anyhow::Result<()> {
    let r = restore(database_url, source, force).await?;
    println!(
        "Wiederhergestellt aus {}: {} Konten, {} Registereinträge, {} Beratungsfälle, {} Anhänge. Beim nächsten Start wendet serve ausstehende Migrationen an.",
        source.display(),
        r.accounts,
        r.records,
        r.cases,
        r.attachments
    );
    Ok(())
}
