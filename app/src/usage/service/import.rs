//! Importing usage figures in the shape the Zentrale Statistik-Komponente reports them (CSV with
//! comma or semicolon, or XLSX): one row per month, online service and area. Every row is checked
//! before anything is written, every problem named with its line and column; then, in one
//! transaction, the months of the file replace what the ZSK reported for them before (a second
//! import of the same file changes nothing) and the rollup of those months is rebuilt.

use crate::core::entities::{leika_service, organisation, ozg_service, usage_figure};
use crate::core::sheet::{Sheet, SheetError};
use crate::identity::OrgKind;
use crate::vocabulary::usage::{UsageArea, UsageSource};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set};
use std::collections::{BTreeSet, HashMap};

/// The columns of the file, in this order in the example; `onlinedienst` and `onlinedienst_id`
/// may be missing, and of `leika_schluessel` and `ozg_id` one is enough.
pub const COLUMNS: [&str; 7] = ["monat", "onlinedienst", "onlinedienst_id", "leika_schluessel", "ozg_id", "ars", "anzahl"];
/// Rows read from one file at most.
pub const MAX_ROWS: usize = 5_000_000;
/// Problems listed at most (the file is refused with the first of them).
const MAX_PROBLEMS: usize = 50;
/// Rows written per statement.
const CHUNK: usize = 500;

/// One checked row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub month: NaiveDate,
    pub ozg_id: String,
    pub leika_key: Option<String>,
    pub online_service: String,
    pub online_service_id: String,
    pub ars: String,
    pub area: UsageArea,
    pub organisation_id: String,
    pub transactions: i64,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub rows: usize,
    /// The months of the file (`JJJJ-MM`).
    pub months: Vec<String>,
    /// Figures of those months the file replaced.
    pub replaced: u64,
}

/// Reads a month as `JJJJ-MM`, `MM.JJJJ` or a date of that month (`JJJJ-MM-TT`, `TT.MM.JJJJ`):
/// its first day.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let (y, m) = if let Some((y, m)) = s.split_once('-') {
        (y, m.split('-').next().unwrap_or_default())
    } else {
        let parts: Vec<&str> = s.split('.').collect();
        match parts.as_slice() {
            [m, y] => (*y, *m),
            [_, m, y] => (*y, *m),
            _ => return None,
        }
    };
    if y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1).filter(|d| d.format("%Y").to_string() == y)
}

/// Reads a count, with or without German thousands separators (`1.234`); `None` for anything
/// else (a decimal, a word).
pub fn parse_count(s: &str) -> Option<i64> {
    let s = s.trim();
    let (sign, digits) = s.strip_prefix('-').map(|d| (-1, d)).unwrap_or((1, s));
    let mut groups = digits.split('.');
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let well_formed = !first.is_empty()
        && first.bytes().all(|b| b.is_ascii_digit())
        && (rest.is_empty() || (first.len() <= 3 && rest.iter().all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))));
    if !well_formed {
        return None;
    }
    digits.replace('.', "").parse::<i64>().ok().map(|n| sign * n)
}

/// What the checks need from the database: the Kommunen and Kreise by Regionalschlüssel, the
/// catalogue and the LeiKa keys of its Leistungen.
pub struct Reference {
    by_ars: HashMap<String, String>,
    ozg: BTreeSet<String>,
    leika: HashMap<String, Vec<String>>,
}

impl Reference {
    pub async fn load(db: &impl ConnectionTrait) -> Result<Reference, DbErr> {
        let mut by_ars = HashMap::new();
        let orgs: Vec<(String, String, String, Option<String>, Option<String>)> = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .column(organisation::Column::Key)
            .column(organisation::Column::Kind)
            .column(organisation::Column::Ars)
            .column(organisation::Column::KreisKey)
            .into_tuple()
            .all(db)
            .await?;
        for (id, key, kind, ars, kreis) in orgs {
            match OrgKind::from_code(&kind) {
                Some(OrgKind::Landkreis) => {
                    by_ars.insert(key, id);
                }
                Some(OrgKind::Verbandsgemeinde) => {
                    by_ars.insert(key, id);
                }
                Some(OrgKind::KreisfreieStadt) => {
                    // Counted at Kreis level, a kreisfreie Stadt is named by its five digits.
                    if let Some(k) = kreis {
                        by_ars.insert(k, id.clone());
                    }
                    if let Some(a) = ars {
                        by_ars.insert(a, id);
                    }
                }
                Some(k) if k.is_kommune() => {
                    if let Some(a) = ars {
                        by_ars.insert(a, id);
                    }
                }
                _ => {}
            }
        }
        let ozg = ozg_service::Entity::find().select_only().column(ozg_service::Column::OzgId).into_tuple::<String>().all(db).await?.into_iter().collect();
        let mut leika: HashMap<String, Vec<String>> = HashMap::new();
        let pairs: Vec<(Option<String>, String)> =
            leika_service::Entity::find().select_only().column(leika_service::Column::LeikaKey).column(leika_service::Column::OzgId).into_tuple().all(db).await?;
        for (key, ozg_id) in pairs {
            if let Some(key) = key {
                let list = leika.entry(key).or_default();
                if !list.contains(&ozg_id) {
                    list.push(ozg_id);
                }
            }
        }
        Ok(Reference { by_ars, ozg, leika })
    }
}

/// Checks every row; all problems (the first fifty) or the rows.
pub fn check(sheet: &Sheet, reference: &Reference) -> Result<Vec<Row>, Vec<SheetError>> {
    let required = sheet.require(&["monat", "ars", "anzahl"]).map_err(|e| vec![e])?;
    let (c_month, c_ars, c_count) = (required[0], required[1], required[2]);
    let (c_ozg, c_leika) = (sheet.col("ozg_id"), sheet.col("leika_schluessel"));
    if c_ozg.is_none() && c_leika.is_none() {
        return Err(vec![SheetError::line(1, "die Kopfzeile braucht die Spalte »ozg_id« oder »leika_schluessel« (oder beide)")]);
    }
    let (c_name, c_id) = (sheet.col("onlinedienst"), sheet.col("onlinedienst_id"));
    let get = |fields: &[String], c: Option<usize>| c.and_then(|c| fields.get(c)).map(String::as_str).unwrap_or("").trim().to_string();
    let mut problems = Vec::new();
    let mut rows = Vec::with_capacity(sheet.rows.len());
    let mut seen: HashMap<(NaiveDate, String, String, String), u64> = HashMap::new();
    for (line, fields) in &sheet.rows {
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        let line = *line;
        let mut bad = |column: &str, reason: String| problems.push(SheetError::at(line, column, reason));
        let month_text = get(fields, Some(c_month));
        let month = parse_month(&month_text);
        if month.is_none() {
            bad("monat", format!("»{month_text}« ist kein Monat (JJJJ-MM oder MM.JJJJ)"));
        }
        let ars = get(fields, Some(c_ars));
        let area = UsageArea::of_ars(&ars);
        let org = reference.by_ars.get(&ars);
        if area.is_none() {
            bad("ars", format!("»{ars}« ist kein Regionalschlüssel (12 Ziffern für eine Gemeinde, 9 für eine Verbandsgemeinde, 5 für einen Kreis; in Excel als Text formatieren)"));
        } else if org.is_none() {
            bad("ars", format!("den Regionalschlüssel »{ars}« kennt das Portal nicht"));
        }
        let count_text = get(fields, Some(c_count));
        let count = parse_count(&count_text);
        match count {
            Some(n) if n < 0 => bad("anzahl", format!("»{count_text}« ist negativ; gezählt werden Vorgänge")),
            Some(_) => {}
            None => bad("anzahl", format!("»{count_text}« ist keine ganze Zahl")),
        }
        let ozg_text = get(fields, c_ozg);
        let leika_text = get(fields, c_leika);
        let ozg_id = if !ozg_text.is_empty() {
            if !reference.ozg.contains(&ozg_text) {
                bad("ozg_id", format!("die OZG-ID »{ozg_text}« steht nicht im Katalog"));
            }
            Some(ozg_text.clone())
        } else if !leika_text.is_empty() {
            match reference.leika.get(&leika_text).map(Vec::as_slice) {
                Some([one]) => Some(one.clone()),
                Some(many) if many.len() > 1 => {
                    bad(
                        "leika_schluessel",
                        format!("der LeiKa-Schlüssel »{leika_text}« gehört zu mehreren OZG-Leistungen ({}); bitte die Spalte »ozg_id« füllen", many.join(", ")),
                    );
                    None
                }
                _ => {
                    bad("leika_schluessel", format!("den LeiKa-Schlüssel »{leika_text}« kennt der Katalog nicht"));
                    None
                }
            }
        } else {
            bad("ozg_id", "weder OZG-ID noch LeiKa-Schlüssel angegeben".to_string());
            None
        };
        let name = get(fields, c_name);
        let service_id = get(fields, c_id);
        if name.chars().count() > 300 || service_id.chars().count() > 100 {
            bad("onlinedienst", "Name (höchstens 300 Zeichen) oder Kennung (höchstens 100 Zeichen) des Onlinedienstes ist zu lang".to_string());
        }
        let (Some(month), Some(area), Some(org), Some(count), Some(ozg_id)) = (month, area, org, count, ozg_id) else { continue };
        if count < 0 || !reference.ozg.contains(&ozg_id) {
            continue;
        }
        let key = (month, ars.clone(), ozg_id.clone(), if service_id.is_empty() { name.clone() } else { service_id.clone() });
        if let Some(first) = seen.insert(key, line) {
            problems.push(SheetError::line(line, format!("dieselbe Zahl (Monat, Regionalschlüssel, Leistung und Onlinedienst) stand schon in Zeile {first}")));
            continue;
        }
        rows.push(Row {
            month,
            ozg_id,
            leika_key: (!leika_text.is_empty()).then_some(leika_text),
            online_service: name.clone(),
            online_service_id: if service_id.is_empty() { name } else { service_id },
            ars,
            area,
            organisation_id: org.clone(),
            transactions: count.max(0),
        });
    }
    if problems.is_empty() { Ok(rows) } else { Err(problems) }
}

/// Writes checked rows: the months they cover replace what the ZSK reported for them before,
/// and those months' rollup is rebuilt. Run inside the caller's transaction.
pub async fn store(db: &impl ConnectionTrait, rows: &[Row], now: DateTime<Utc>, demo: bool) -> Result<Imported, DbErr> {
    let months: BTreeSet<NaiveDate> = rows.iter().map(|r| r.month).collect();
    let replaced = usage_figure::Entity::delete_many()
        .filter(usage_figure::Column::Source.eq(UsageSource::Zsk))
        .filter(usage_figure::Column::Month.is_in(months.iter().copied()))
        .exec(db)
        .await?
        .rows_affected;
    for chunk in rows.chunks(CHUNK) {
        let models = chunk.iter().map(|r| usage_figure::ActiveModel {
            id: sea_orm::NotSet,
            month: Set(r.month),
            ozg_id: Set(r.ozg_id.clone()),
            leika_key: Set(r.leika_key.clone()),
            online_service: Set(r.online_service.clone()),
            online_service_id: Set(r.online_service_id.clone()),
            ars: Set(r.ars.clone()),
            area: Set(r.area),
            organisation_id: Set(r.organisation_id.clone()),
            transactions: Set(r.transactions),
            source: Set(UsageSource::Zsk),
            entered_by: Set(None),
            created_at: Set(now),
            demo: Set(demo),
        });
        usage_figure::Entity::insert_many(models).exec_without_returning(db).await?;
    }
    super::rollup::rebuild(db, &months).await?;
    Ok(Imported { rows: rows.len(), months: months.iter().map(|m| m.format("%Y-%m").to_string()).collect(), replaced })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_whole_numbers_with_or_without_thousands_separators() {
        assert_eq!(parse_count("1.234"), Some(1234));
        assert_eq!(parse_count("12"), Some(12));
        assert_eq!(parse_count("-3"), Some(-3));
        for s in ["12.5", "1,5", "zwölf", "", "1.23", "1234.567"] {
            assert_eq!(parse_count(s), None, "{s}");
        }
    }

    #[test]
    fn months_are_read_in_the_forms_the_authorities_write() {
        let oct = NaiveDate::from_ymd_opt(2026, 10, 1);
        for s in ["2026-10", "10.2026", "2026-10-15", "15.10.2026", " 2026-10 "] {
            assert_eq!(parse_month(s), oct, "{s}");
        }
        for s in ["2026-13", "10/2026", "26-10", "Oktober 2026", "", "2026"] {
            assert_eq!(parse_month(s), None, "{s}");
        }
    }
}
