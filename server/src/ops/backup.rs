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
