//! Importing reference data: Kommunen of Sachsen-Anhalt, the OZG catalogue and its LeiKa
//! services. Idempotent by key, all-or-nothing per file, with line-numbered German errors.
//! A newer catalogue updates entries in place; nothing attached to an existing key is lost,
//! and entries missing from a newer file are kept (marked as no longer in the catalogue).

mod kommunen;
mod ozg;
mod leika;

use kommunen::import_kommunen;
use leika::import_leika;
use ozg::import_ozg;

use crate::core::entities::{leika_service, ozg_service};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// The reference files shipped with the portal (copied from the official sources, see README).
pub const SHIPPED_KOMMUNEN: &[u8] = include_bytes!("../../../../../data/gemeinden_sachsen_anhalt.csv");
pub const SHIPPED_OZG: &[u8] = include_bytes!("../../../../../data/ozg_leistungen.csv");
pub const SHIPPED_LEIKA: &[u8] = include_bytes!("../../../../../data/ozg_leika_zuordnung.csv");
const FOCUS_DEFAULTS: &str = include_str!("../../../../../data/fokusleistungen.csv");

/// Which reference file a CSV is, recognised by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefFile {
    Kommunen,
    OzgLeistungen,
    LeikaZuordnung,
}

impl RefFile {
    pub fn label(self) -> &'static str {
        match self {
            RefFile::Kommunen => "Kommunen",
            RefFile::OzgLeistungen => "OZG-Leistungen",
            RefFile::LeikaZuordnung => "LeiKa-Zuordnung",
        }
    }

    fn required(self) -> &'static [&'static str] {
        match self {
            RefFile::Kommunen => &["ags", "name", "kind", "kreis_ags", "population", "level", "ars", "land_code", "verband_key", "verband_kind", "area_ha"],
            RefFile::OzgLeistungen => &["ozg_id", "name", "themenfeld", "lebenslage"],
            RefFile::LeikaZuordnung => &["ozg_id", "leika_key", "leika_bezeichnung", "leika_typ", "sdg1_relevanz", "sdg2_relevanz", "gesetzeskuerzel"],
        }
    }

    /// Recognises a file by its header columns.
    pub fn detect(header: &[String]) -> Option<RefFile> {
        [RefFile::LeikaZuordnung, RefFile::Kommunen, RefFile::OzgLeistungen]
            .into_iter()
            .find(|k| k.required().iter().all(|c| header.iter().any(|h| h == c)))
    }
}

/// What an import did to one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub file: String,
    pub kind: String,
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
    /// Entries in the database that the file no longer contains (kept, never deleted).
    pub missing_from_file: u64,
    /// Rows deliberately not imported (LeiKa services assigned to no OZG-Leistung).
    pub skipped: u64,
}

/// Why an import failed. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {reason}", line.map(|l| format!(", Zeile {l}")).unwrap_or_default())]
pub struct ImportError {
    pub file: String,
    pub line: Option<u64>,
    pub reason: String,
}

impl ImportError {
    fn at(file: &str, line: Option<u64>, reason: impl Into<String>) -> Self {
        ImportError { file: file.to_string(), line, reason: reason.into() }
    }
    fn db(file: &str, e: sea_orm::DbErr) -> Self {
        tracing::error!(error = %e, file, "Datenbankfehler beim Import");
        ImportError::at(file, None, "Datenbankfehler; es wurde nichts geändert (Details im Protokoll)")
    }
}

/// Progress callback: (rows done, rows total).
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

struct Table {
    header: Vec<String>,
    /// (line number in the file, fields)
    rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap_or(usize::MAX)
    }
}

fn read_table(file: &str, bytes: &[u8]) -> Result<Table, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        ImportError::at(file, Some(line), "die Datei ist nicht UTF-8-kodiert")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = crate::core::sheet::lf(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::at(file, Some(1), format!("Kopfzeile nicht lesbar: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line());
            let reason = match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                    format!("{len} Spalten statt {expected_len} wie in der Kopfzeile")
                }
                _ => "die Zeile ist kein gültiges CSV".to_string(),
            };
            ImportError::at(file, line, reason)
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        rows.push((line, rec.iter().map(|f| f.trim().to_string()).collect()));
    }
    Ok(Table { header, rows })
}

fn digits(s: &str, lens: &[usize]) -> bool {
    lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

fn opt_i64(file: &str, line: u64, field: &str, v: &str) -> Result<Option<i64>, ImportError> {
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<i64>()
        .map(Some)
        .map_err(|_| ImportError::at(file, Some(line), format!("Feld »{field}«: »{v}« ist keine ganze Zahl")))
}

/// Imports one file, detected by its header. `file` names it in messages.
#[tracing::instrument(skip_all)]
pub async fn import_bytes(db: &DatabaseConnection, file: &str, bytes: &[u8], progress: Progress<'_>) -> Result<Summary, ImportError> {
    let table = read_table(file, bytes)?;
    let kind = RefFile::detect(&table.header).ok_or_else(|| {
        ImportError::at(
            file,
            Some(1),
            "unbekanntes Dateiformat: die Kopfzeile passt weder zum Kommunenverzeichnis noch zum OZG-Katalog noch zur LeiKa-Zuordnung",
        )
    })?;
    let mut summary = match kind {
        RefFile::Kommunen => import_kommunen(db, file, &table, progress).await?,
        RefFile::OzgLeistungen => import_ozg(db, file, &table, progress).await?,
        RefFile::LeikaZuordnung => import_leika(db, file, &table, progress).await?,
    };
    summary.file = file.to_string();
    summary.kind = kind.label().to_string();
    Ok(summary)
}

/// Imports the reference data shipped with the portal, in dependency order.
#[tracing::instrument(skip_all)]
pub async fn import_shipped(db: &DatabaseConnection, progress: &mut dyn FnMut(&str, u64, u64)) -> Result<Vec<Summary>, ImportError> {
    let mut out = Vec::new();
    for (name, bytes) in [
        ("gemeinden_sachsen_anhalt.csv", SHIPPED_KOMMUNEN),
        ("ozg_leistungen.csv", SHIPPED_OZG),
        ("ozg_leika_zuordnung.csv", SHIPPED_LEIKA),
    ] {
        let mut p = |d, t| progress(name, d, t);
        out.push(import_bytes(db, name, bytes, &mut p).await?);
    }
    Ok(out)
}

/// Counts for overview pages: organisations, OZG-Leistungen, LeiKa services, Fokusleistungen.
#[tracing::instrument(skip_all)]
pub async fn catalogue_counts(db: &impl ConnectionTrait) -> Result<(u64, u64, u64), sea_orm::DbErr> {
    use sea_orm::PaginatorTrait;
    let ozg = ozg_service::Entity::find().filter(ozg_service::Column::InCatalogue.eq(true)).count(db).await?;
    let leika = leika_service::Entity::find().count(db).await?;
    let focus = ozg_service::Entity::find().filter(ozg_service::Column::Focus.eq(true)).count(db).await?;
    Ok((ozg, leika, focus))
}

#[cfg(test)]
// Test code only: a failing `expect` is the test failing, with its message.
mod tests {
    use super::*;

    fn header(cols: &str) -> Vec<String> {
        cols.split(',').map(str::to_string).collect()
    }

    #[test]
    fn files_are_recognised_by_their_header() {
        let shipped = |b: &[u8]| {
            let t = read_table("x", b).expect("readable");
            RefFile::detect(&t.header)
        };
        assert_eq!(shipped(SHIPPED_KOMMUNEN), Some(RefFile::Kommunen));
        assert_eq!(shipped(SHIPPED_OZG), Some(RefFile::OzgLeistungen));
        assert_eq!(shipped(SHIPPED_LEIKA), Some(RefFile::LeikaZuordnung));
        assert_eq!(RefFile::detect(&header("a,b,c")), None);
    }

    #[test]
    fn ragged_rows_name_their_line() {
        let err = read_table("f.csv", b"a,b\n1,2\n3\n").err().expect("error");
        assert_eq!(err.line, Some(3));
        assert!(err.to_string().starts_with("f.csv, Zeile 3:"), "{err}");
    }

    #[test]
    fn non_utf8_input_is_refused_with_its_line() {
        let err = read_table("f.csv", b"a,b\n1,2\n\xff,3\n").err().expect("error");
        assert_eq!(err.line, Some(3));
    }
}
