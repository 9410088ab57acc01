//! The usage figures room (Nutzungszahlen): importing the ZSK's monthly figures, a Kommune's own
//! entries, the rollup, and reading the figures for the Lagebild, the open data and the start page.

pub mod import;
pub mod own;
pub mod query;
pub mod rollup;

use crate::access::scope::Scope;
use crate::core::session::CurrentUser;
use crate::error::AppError;
use chrono::{DateTime, Utc};

/// Why a file was refused: each problem with its line and column; nothing was stored.
#[derive(Debug)]
pub enum Refused {
    Problems(Vec<crate::core::sheet::SheetError>),
    Other(AppError),
}

impl From<AppError> for Refused {
    fn from(e: AppError) -> Self {
        Refused::Other(e)
    }
}

impl From<sea_orm::DbErr> for Refused {
    fn from(e: sea_orm::DbErr) -> Self {
        Refused::Other(e.into())
    }
}

/// Imports a file of usage figures (CSV or XLSX) for the Land: all rows or none.
#[tracing::instrument(skip_all)]
pub async fn import_file(db: &sea_orm::DatabaseConnection, scope: &Scope, user: Option<&CurrentUser>, bytes: &[u8], now: DateTime<Utc>) -> Result<import::Imported, Refused> {
    if !crate::access::policy::sees_internal(scope) {
        return Err(Refused::Other(AppError::Forbidden));
    }
    let sheet = crate::core::sheet::read(bytes, import::MAX_ROWS).map_err(|e| Refused::Problems(vec![e]))?;
    let reference = import::Reference::load(db).await?;
    let rows = import::check(&sheet, &reference).map_err(Refused::Problems)?;
    if rows.is_empty() {
        return Err(Refused::Problems(vec![crate::core::sheet::SheetError::file("die Datei enthält keine Zahlen")]));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let done = import::store(&txn, &rows, now, false).await?;
    crate::core::audit::record(
        &txn,
        crate::core::audit::Entry {
            actor: user.map(|u| u.id.as_str()),
            action: crate::vocabulary::audit::AuditAction::UsageImported,
            detail: Some(format!("{} Zahlen für {}; {} ersetzt", done.rows, done.months.join(", "), done.replaced)),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(done)
}

/// The figures as CSV (`;`, German headers, formulas neutralised): one row per Leistung, then
/// for the chosen Leistung one per Kreis.
pub fn csv(f: &crate::usage::model::UsageFigures) -> Result<Vec<u8>, AppError> {
    let num = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let dec = |v: Option<f64>| v.map(|n| format!("{n:.1}").replace('.', ",")).unwrap_or_default();
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "CSV der Nutzungszahlen nicht geschrieben");
        AppError::Internal
    };
    let mut w = crate::core::csv_out::Writer::new(false);
    w.write_record(["Bereich", "OZG-ID", "Leistung", "Zeitraum", "Vorgänge", "je 1.000 Einwohner", "Veränderung zum Vorjahr (%)", "Kommunen online"]).map_err(|e| failed(&e))?;
    let period = format!("{} bis {}", f.months.first().cloned().unwrap_or_default(), f.months.last().cloned().unwrap_or_default());
    for s in &f.services {
        w.write_record(["Sachsen-Anhalt", &s.ozg_id, &s.name, &period, &num(s.transactions), &dec(s.per_1000), &dec(s.change_percent), &s.online.to_string()])
            .map_err(|e| failed(&e))?;
    }
    for k in &f.kreise {
        w.write_record([k.name.as_str(), f.selected.as_deref().unwrap_or_default(), &f.selected_name, &period, &num(k.transactions), &dec(k.per_1000), "", ""])
            .map_err(|e| failed(&e))?;
    }
    w.into_inner().map_err(|e| failed(&e))
}
