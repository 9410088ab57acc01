//! Importing reference data: Kommunen of Sachsen-Anhalt, the OZG catalogue and its LeiKa
//! services. Idempotent by key, all-or-nothing per file, with line-numbered German errors.
//! A newer catalogue updates entries in place; nothing attached to an existing key is lost,
//! and entries missing from a newer file are kept (marked as no longer in the catalogue).

use crate::core::entities::{leika_service, organisation, ozg_service};
use crate::accounts::model::OrgKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter, Set};
use std::collections::{BTreeSet, HashMap};

/// The reference files shipped with the portal (copied from the official sources, see README).
pub const SHIPPED_KOMMUNEN: &[u8] = include_bytes!("../../../../data/gemeinden_sachsen_anhalt.csv");
pub const SHIPPED_OZG: &[u8] = include_bytes!("../../../../data/ozg_leistungen.csv");
pub const SHIPPED_LEIKA: &[u8] = include_bytes!("../../../../data/ozg_leika_zuordnung.csv");
const FOCUS_DEFAULTS: &str = include_str!("../../../../data/fokusleistungen.csv");

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

#[derive(Debug, Clone, PartialEq, Eq)]
struct OrgRow {
    line: u64,
    key: String,
    kind: OrgKind,
    name: String,
    ags: Option<String>,
    ars: Option<String>,
    kreis_key: Option<String>,
    verband_key: Option<String>,
    population: Option<i64>,
    area_ha: Option<i64>,
}

/// The organisations that are not in any file: the Land's advisory unit and the associations.
fn builtin_orgs() -> Vec<OrgRow> {
    let mk = |key: &str, kind, name: &str| OrgRow {
        line: 0,
        key: key.into(),
        kind,
        name: name.into(),
        ags: None,
        ars: None,
        kreis_key: None,
        verband_key: None,
        population: None,
        area_ha: None,
    };
    vec![
        mk(crate::catalogue::service::orgs::LAND, OrgKind::LandUnit, "Beratungsstelle OZG des Landes Sachsen-Anhalt"),
        mk(crate::catalogue::service::orgs::SGSA, OrgKind::Association, "Städte- und Gemeindebund Sachsen-Anhalt"),
        mk(crate::catalogue::service::orgs::LKT, OrgKind::Association, "Landkreistag Sachsen-Anhalt"),
    ]
}

fn parse_kommune(file: &str, t: &Table, line: u64, r: &[String]) -> Result<OrgRow, ImportError> {
    let get = |c: &str| r.get(t.col(c)).map(String::as_str).unwrap_or_default();
    let err = |m: String| ImportError::at(file, Some(line), m);
    if get("land_code") != "15" {
        return Err(err(format!(
            "Feld »land_code«: »{}« – importiert werden nur Kommunen Sachsen-Anhalts (Landesschlüssel 15)",
            get("land_code")
        )));
    }
    let name = get("name").to_string();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(err("Feld »name« fehlt oder ist länger als 200 Zeichen".into()));
    }
    let population = opt_i64(file, line, "population", get("population"))?;
    let area_ha = opt_i64(file, line, "area_ha", get("area_ha"))?;
    let (ags, ars, verband_key, kreis) = (get("ags"), get("ars"), get("verband_key"), get("kreis_ags"));
    match get("level") {
        "Kreis" => {
            if !digits(ags, &[5]) {
                return Err(err(format!("Feld »ags«: »{ags}« ist kein fünfstelliger Kreisschlüssel")));
            }
            Ok(OrgRow {
                line,
                key: ags.into(),
                kind: OrgKind::Landkreis,
                name,
                ags: Some(ags.into()),
                ars: Some(ars.into()).filter(|a: &String| !a.is_empty()),
                kreis_key: Some(ags.into()),
                verband_key: None,
                population,
                area_ha,
            })
        }
        "Gemeindeverband" => {
            if !digits(verband_key, &[9]) {
                return Err(err(format!("Feld »verband_key«: »{verband_key}« ist kein neunstelliger Verbandsschlüssel")));
            }
            Ok(OrgRow {
                line,
                key: verband_key.into(),
                kind: OrgKind::Verbandsgemeinde,
                name,
                ags: None,
                ars: Some(verband_key.into()),
                kreis_key: Some(kreis.into()).filter(|k: &String| !k.is_empty()),
                verband_key: None,
                population,
                area_ha,
            })
        }
        "Gemeinde" => {
            if !digits(ags, &[8]) {
                return Err(err(format!("Feld »ags«: »{ags}« ist kein achtstelliger Amtlicher Gemeindeschlüssel")));
            }
            if !digits(ars, &[12]) {
                return Err(err(format!("Feld »ars«: »{ars}« ist kein zwölfstelliger Regionalschlüssel")));
            }
            let member = get("verband_kind") == "Verbandsgemeinde";
            let kind = if get("kind") == "kreisfreie Stadt" {
                OrgKind::KreisfreieStadt
            } else if member {
                OrgKind::Mitgliedsgemeinde
            } else {
                OrgKind::Einheitsgemeinde
            };
            if member && !digits(verband_key, &[9]) {
                return Err(err(format!("Feld »verband_key«: »{verband_key}« ist kein neunstelliger Verbandsschlüssel")));
            }
            Ok(OrgRow {
                line,
                key: ags.into(),
                kind,
                name,
                ags: Some(ags.into()),
                ars: Some(ars.into()),
                kreis_key: Some(kreis.into()).filter(|k: &String| !k.is_empty()),
                verband_key: member.then(|| verband_key.to_string()),
                population,
                area_ha,
            })
        }
        other => Err(err(format!("Feld »level«: »{other}« ist unbekannt (erwartet Kreis, Gemeindeverband oder Gemeinde)"))),
    }
}

async fn import_kommunen(db: &DatabaseConnection, file: &str, t: &Table, progress: Progress<'_>) -> Result<Summary, ImportError> {
    let mut rows = builtin_orgs();
    let mut seen = BTreeSet::new();
    for (line, r) in &t.rows {
        let row = parse_kommune(file, t, *line, r)?;
        if !seen.insert(row.key.clone()) {
            return Err(ImportError::at(file, Some(*line), format!("Schlüssel »{}« kommt mehrfach vor", row.key)));
        }
        rows.push(row);
    }
    for r in &rows {
        if let Some(vk) = &r.verband_key
            && !rows.iter().any(|o| &o.key == vk && o.kind == OrgKind::Verbandsgemeinde)
        {
            return Err(ImportError::at(file, Some(r.line), format!("die Verbandsgemeinde »{vk}« fehlt in der Datei")));
        }
    }
    // Verbandsgemeinden first, so members can point at them.
    rows.sort_by_key(|r| (r.verband_key.is_some(), r.line));
    let total = rows.len() as u64;
    let txn = crate::core::db::begin_write(db).await.map_err(|e| ImportError::db(file, e))?;
    let existing: HashMap<String, organisation::Model> = organisation::Entity::find()
        .all(&txn)
        .await
        .map_err(|e| ImportError::db(file, e))?
        .into_iter()
        .map(|o| (o.key.clone(), o))
        .collect();
    let mut ids: HashMap<String, String> = existing.iter().map(|(k, o)| (k.clone(), o.id.clone())).collect();
    let mut s = Summary::default();
    let now = crate::core::time::now();
    for (i, r) in rows.iter().enumerate() {
        let verband_id = r.verband_key.as_ref().and_then(|k| ids.get(k).cloned());
        match existing.get(&r.key) {
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                organisation::ActiveModel {
                    id: Set(id.clone()),
                    key: Set(r.key.clone()),
                    kind: Set(r.kind.code().into()),
                    name: Set(r.name.clone()),
                    ags: Set(r.ags.clone()),
                    ars: Set(r.ars.clone()),
                    kreis_key: Set(r.kreis_key.clone()),
                    verband_id: Set(verband_id),
                    population: Set(r.population),
                    area_ha: Set(r.area_ha),
                    active: Set(true),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await
                .map_err(|e| ImportError::db(file, e))?;
                ids.insert(r.key.clone(), id);
                s.added += 1;
            }
            Some(o) => {
                let same = o.kind == r.kind.code()
                    && o.name == r.name
                    && o.ags == r.ags
                    && o.ars == r.ars
                    && o.kreis_key == r.kreis_key
                    && o.verband_id == verband_id
                    && o.population == r.population
                    && o.area_ha == r.area_ha;
                if same {
                    s.unchanged += 1;
                } else {
                    let mut a: organisation::ActiveModel = o.clone().into();
                    a.kind = Set(r.kind.code().into());
                    a.name = Set(r.name.clone());
                    a.ags = Set(r.ags.clone());
                    a.ars = Set(r.ars.clone());
                    a.kreis_key = Set(r.kreis_key.clone());
                    a.verband_id = Set(verband_id);
                    a.population = Set(r.population);
                    a.area_ha = Set(r.area_ha);
                    a.updated_at = Set(now);
                    a.update(&txn).await.map_err(|e| ImportError::db(file, e))?;
                    s.changed += 1;
                }
            }
        }
        progress(i as u64 + 1, total);
    }
    let keys: BTreeSet<&String> = rows.iter().map(|r| &r.key).collect();
    s.missing_from_file = existing.keys().filter(|k| !keys.contains(k)).count() as u64;
    // Areas, their Kommunen and inhabitants follow the directory: the rollups change with it.
    if let Err(e) = crate::lagebild::service::rollup::rebuild_in(&txn).await {
        tracing::error!(error = ?e, file, "Lagebild-Kennzahlen konnten nicht neu berechnet werden");
        return Err(ImportError::at(file, None, "Die Kennzahlen des Lagebilds konnten nicht neu berechnet werden; es wurde nichts geändert (Details im Protokoll)"));
    }
    txn.commit().await.map_err(|e| ImportError::db(file, e))?;
    Ok(s)
}

async fn import_ozg(db: &DatabaseConnection, file: &str, t: &Table, progress: Progress<'_>) -> Result<Summary, ImportError> {
    let (c_id, c_name, c_tf, c_ll) = (t.col("ozg_id"), t.col("name"), t.col("themenfeld"), t.col("lebenslage"));
    let mut rows = Vec::with_capacity(t.rows.len());
    let mut seen = BTreeSet::new();
    for (line, r) in &t.rows {
        let f = |i: usize| r.get(i).cloned().unwrap_or_default();
        let (id, name, tf, ll) = (f(c_id), f(c_name), f(c_tf), f(c_ll));
        let err = |m: String| ImportError::at(file, Some(*line), m);
        if !digits(&id, &[5]) {
            return Err(err(format!("Feld »ozg_id«: »{id}« ist keine fünfstellige OZG-ID")));
        }
        if name.is_empty() || name.chars().count() > 300 {
            return Err(err("Feld »name« fehlt oder ist länger als 300 Zeichen".into()));
        }
        if tf.is_empty() || tf.chars().count() > 100 {
            return Err(err("Feld »themenfeld« fehlt oder ist länger als 100 Zeichen".into()));
        }
        if ll.chars().count() > 150 {
            return Err(err("Feld »lebenslage« ist länger als 150 Zeichen".into()));
        }
        if !seen.insert(id.clone()) {
            return Err(err(format!("OZG-ID »{id}« kommt mehrfach vor")));
        }
        rows.push((id, name, tf, ll));
    }
    let focus: BTreeSet<&str> = FOCUS_DEFAULTS.lines().skip(1).filter_map(|l| l.split(',').next()).collect();
    let total = rows.len() as u64;
    let txn = crate::core::db::begin_write(db).await.map_err(|e| ImportError::db(file, e))?;
    let existing: HashMap<String, ozg_service::Model> = ozg_service::Entity::find()
        .all(&txn)
        .await
        .map_err(|e| ImportError::db(file, e))?
        .into_iter()
        .map(|o| (o.ozg_id.clone(), o))
        .collect();
    let now = crate::core::time::now();
    let mut s = Summary::default();
    for (i, (id, name, tf, ll)) in rows.iter().enumerate() {
        match existing.get(id) {
            None => {
                ozg_service::ActiveModel {
                    ozg_id: Set(id.clone()),
                    name: Set(name.clone()),
                    themenfeld: Set(tf.clone()),
                    lebenslage: Set(ll.clone()),
                    // Initial Fokusleistung marking only; afterwards the flag belongs to the admins.
                    focus: Set(focus.contains(id.as_str())),
                    in_catalogue: Set(true),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await
                .map_err(|e| ImportError::db(file, e))?;
                s.added += 1;
            }
            Some(o) if &o.name == name && &o.themenfeld == tf && &o.lebenslage == ll && o.in_catalogue => s.unchanged += 1,
            Some(o) => {
                let mut a: ozg_service::ActiveModel = o.clone().into();
                a.name = Set(name.clone());
                a.themenfeld = Set(tf.clone());
                a.lebenslage = Set(ll.clone());
                a.in_catalogue = Set(true);
                a.updated_at = Set(now);
                a.update(&txn).await.map_err(|e| ImportError::db(file, e))?;
                s.changed += 1;
            }
        }
        progress(i as u64 + 1, total);
    }
    // Entries a newer catalogue no longer lists stay (with everything attached), marked as such.
    for (id, o) in &existing {
        if !seen.contains(id) {
            s.missing_from_file += 1;
            if o.in_catalogue {
                let mut a: ozg_service::ActiveModel = o.clone().into();
                a.in_catalogue = Set(false);
                a.updated_at = Set(now);
                a.update(&txn).await.map_err(|e| ImportError::db(file, e))?;
            }
        }
    }
    txn.commit().await.map_err(|e| ImportError::db(file, e))?;
    Ok(s)
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct LeikaRow {
    ozg_id: String,
    natural_key: String,
    leika_key: Option<String>,
    name: String,
    typ: String,
    sdg1: bool,
    sdg2: bool,
    law: String,
}

fn flag(file: &str, line: u64, field: &str, v: &str) -> Result<bool, ImportError> {
    match v {
        "1" => Ok(true),
        "0" | "" => Ok(false),
        _ => Err(ImportError::at(file, Some(line), format!("Feld »{field}«: »{v}« ist weder 0 noch 1"))),
    }
}

async fn import_leika(db: &DatabaseConnection, file: &str, t: &Table, progress: Progress<'_>) -> Result<Summary, ImportError> {
    let known: BTreeSet<String> = ozg_service::Entity::find()
        .all(db)
        .await
        .map_err(|e| ImportError::db(file, e))?
        .into_iter()
        .map(|o| o.ozg_id)
        .collect();
    let mut rows: Vec<LeikaRow> = Vec::with_capacity(t.rows.len());
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut skipped = 0;
    for (line, r) in &t.rows {
        let get = |c: &str| r.get(t.col(c)).cloned().unwrap_or_default();
        let err = |m: String| ImportError::at(file, Some(*line), m);
        let ozg_id = get("ozg_id");
        if ozg_id.is_empty() && get("ozg_name").is_empty() {
            // The source lists a few LeiKa services that belong to no OZG-Leistung; the portal
            // records services per OZG-Leistung, so they have no place here.
            skipped += 1;
            continue;
        }
        if !digits(&ozg_id, &[5]) {
            return Err(err(format!("Feld »ozg_id«: »{ozg_id}« ist keine fünfstellige OZG-ID")));
        }
        if !known.contains(&ozg_id) {
            return Err(err(format!("OZG-ID »{ozg_id}« ist nicht im OZG-Katalog; bitte zuerst den Katalog importieren")));
        }
        let key = get("leika_key");
        let name = get("leika_bezeichnung");
        if name.is_empty() {
            return Err(err("Feld »leika_bezeichnung« fehlt".into()));
        }
        let leika_key = if key == "nicht im LeiKa" || key.is_empty() {
            None
        } else if digits(&key, &[14]) {
            Some(key.clone())
        } else {
            return Err(err(format!("Feld »leika_key«: »{key}« ist weder ein 14-stelliger LeiKa-Schlüssel noch »nicht im LeiKa«")));
        };
        let natural_key = match &leika_key {
            Some(k) => k.clone(),
            None => format!("X:{}", name.chars().take(300).collect::<String>()),
        };
        let row = LeikaRow {
            ozg_id: ozg_id.clone(),
            natural_key: natural_key.clone(),
            leika_key,
            name,
            typ: get("leika_typ").chars().take(16).collect(),
            sdg1: flag(file, *line, "sdg1_relevanz", &get("sdg1_relevanz"))?,
            sdg2: flag(file, *line, "sdg2_relevanz", &get("sdg2_relevanz"))?,
            law: get("gesetzeskuerzel").chars().take(200).collect(),
        };
        // The source lists a few services twice under the same key; they are merged, with SDG
        // relevance if any listing has it.
        match index.get(&(ozg_id.clone(), natural_key.clone())) {
            Some(&i) => {
                rows[i].sdg1 |= row.sdg1;
                rows[i].sdg2 |= row.sdg2;
            }
            None => {
                index.insert((ozg_id, natural_key), rows.len());
                rows.push(row);
            }
        }
    }
    let total = rows.len() as u64;
    let txn = crate::core::db::begin_write(db).await.map_err(|e| ImportError::db(file, e))?;
    let existing: HashMap<(String, String), leika_service::Model> = leika_service::Entity::find()
        .all(&txn)
        .await
        .map_err(|e| ImportError::db(file, e))?
        .into_iter()
        .map(|l| ((l.ozg_id.clone(), l.natural_key.clone()), l))
        .collect();
    let now = crate::core::time::now();
    let mut s = Summary { skipped, ..Summary::default() };
    for (i, r) in rows.iter().enumerate() {
        match existing.get(&(r.ozg_id.clone(), r.natural_key.clone())) {
            None => {
                leika_service::ActiveModel {
                    id: NotSet,
                    ozg_id: Set(r.ozg_id.clone()),
                    natural_key: Set(r.natural_key.clone()),
                    leika_key: Set(r.leika_key.clone()),
                    name: Set(r.name.clone()),
                    leika_typ: Set(r.typ.clone()),
                    sdg1: Set(r.sdg1),
                    sdg2: Set(r.sdg2),
                    law: Set(r.law.clone()),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await
                .map_err(|e| ImportError::db(file, e))?;
                s.added += 1;
            }
            Some(l) if l.name == r.name && l.leika_typ == r.typ && l.sdg1 == r.sdg1 && l.sdg2 == r.sdg2 && l.law == r.law => {
                s.unchanged += 1
            }
            Some(l) => {
                let mut a: leika_service::ActiveModel = l.clone().into();
                a.name = Set(r.name.clone());
                a.leika_typ = Set(r.typ.clone());
                a.sdg1 = Set(r.sdg1);
                a.sdg2 = Set(r.sdg2);
                a.law = Set(r.law.clone());
                a.updated_at = Set(now);
                a.update(&txn).await.map_err(|e| ImportError::db(file, e))?;
                s.changed += 1;
            }
        }
        progress(i as u64 + 1, total);
    }
    s.missing_from_file = existing.len() as u64 - existing.keys().filter(|k| index.contains_key(*k)).count() as u64;
    txn.commit().await.map_err(|e| ImportError::db(file, e))?;
    Ok(s)
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

    #[test]
    fn shipped_kommunen_parse_into_the_expected_kinds() {
        let t = read_table("k", SHIPPED_KOMMUNEN).expect("readable");
        let rows: Vec<OrgRow> = t.rows.iter().map(|(l, r)| parse_kommune("k", &t, *l, r).expect("valid")).collect();
        let count = |k| rows.iter().filter(|r| r.kind == k).count();
        assert_eq!(count(OrgKind::Landkreis), 11);
        assert_eq!(count(OrgKind::KreisfreieStadt), 3);
        assert_eq!(count(OrgKind::Einheitsgemeinde), 101);
        assert_eq!(count(OrgKind::Verbandsgemeinde), 18);
        assert_eq!(count(OrgKind::Mitgliedsgemeinde), 114);
    }
}
