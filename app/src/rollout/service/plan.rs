//! The Nachnutzungsübersicht: per OZG-Leistung how the Land implements it. Advisors keep it;
//! clerks, associations and the public read it (the public without who pays).

use super::{exec, rows};
use crate::core::entities::efa_service;
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::error::AppError;
use crate::rollout::model::{EfaInfo, Model, Phase, PlanRow};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder};
use std::collections::BTreeMap;

/// The prerequisites a new EfA row starts with (the editor shows them; the advisor adapts them).
pub const DEFAULT_CHECKLIST: [&str; 5] = [
    "LeiKa-Eintrag und Zuständigkeit im Landesredaktionssystem gepflegt",
    "Zuständigkeit im PVOG sichtbar",
    "DVDV-Eintrag mit Zertifikat",
    "Anbindung des Fachverfahrens (FIT-Connect, XÖV-Standard)",
    "Testantrag erfolgreich durchlaufen",
];

/// Rows of the overview per page.
pub const PER_PAGE: usize = 100;

/// At most this many checklist items per row.
pub const MAX_ITEMS: usize = 30;

const SELECT: &str = "SELECT s.ozg_id, s.name, s.themenfeld, s.focus, p.model, p.priority, p.phase, p.land_pays, p.checklist, p.version, \
     e.id AS efa_id, e.name AS efa_name, e.provider, e.operator, e.marketplace_url \
     FROM ozg_service s LEFT JOIN rollout_plan p ON p.ozg_id = s.ozg_id LEFT JOIN efa_service e ON e.id = p.efa_service_id";

/// A row of the overview as the query reads it (an OZG-Leistung without a row has only its own
/// columns).
#[derive(Debug, FromQueryResult)]
struct Stored {
    ozg_id: String,
    name: String,
    themenfeld: String,
    focus: bool,
    model: Option<Model>,
    priority: Option<i32>,
    phase: Option<Phase>,
    land_pays: Option<bool>,
    checklist: Option<String>,
    version: Option<i32>,
    efa_id: Option<String>,
    efa_name: Option<String>,
    provider: Option<String>,
    operator: Option<String>,
    marketplace_url: Option<String>,
}

fn row_of(r: &sea_orm::QueryResult, with_costs: bool) -> Result<PlanRow, AppError> {
    let s = Stored::from_query_result(r, "")?;
    let efa = match (s.efa_id, s.efa_name) {
        (Some(id), Some(name)) => Some(EfaInfo { id, name, provider: s.provider, operator: s.operator, marketplace_url: s.marketplace_url }),
        _ => None,
    };
    Ok(PlanRow {
        ozg_id: s.ozg_id,
        name: s.name,
        themenfeld: s.themenfeld,
        focus: s.focus,
        model: s.model.unwrap_or(Model::Open),
        efa,
        priority: s.priority.unwrap_or(3),
        phase: s.phase.unwrap_or(Phase::Planning),
        land_pays: with_costs.then(|| s.land_pays.unwrap_or(false)),
        checklist: s.checklist.map(|c| items(&c)).unwrap_or_default(),
        version: s.version.unwrap_or(0),
    })
}

/// The checklist's items from its stored text (one per line).
pub fn items(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// Whether the caller sees who pays (everyone signed in, not the public).
fn sees_costs(scope: &Scope) -> bool {
    !matches!(scope, Scope::Public)
}

/// Overviews kept per view (with or without who pays) while the reference data stands still.
static KEPT: crate::core::versions::Memo<bool, Vec<PlanRow>> = crate::core::versions::Memo::new(4);

/// The overview as kept under the data versions of the request (the catalogue, the EfA list and
/// the overview are reference data: any change on any instance is seen on the next request).
pub async fn overview_kept(db: &impl ConnectionTrait, versions: &crate::core::versions::Versions, scope: &Scope) -> Result<std::sync::Arc<Vec<PlanRow>>, AppError> {
    let stamp = versions.stamp(crate::core::versions::Depends::Reference);
    KEPT.get_or(sees_costs(scope), stamp, || overview(db, scope)).await
}

/// Every OZG-Leistung of the catalogue with its row (unrecorded ones as version 0).
#[tracing::instrument(skip_all)]
pub async fn overview(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<PlanRow>, AppError> {
    let list = rows(db, &format!("{SELECT} WHERE s.in_catalogue ORDER BY s.ozg_id"), vec![]).await?;
    list.iter().map(|r| row_of(r, sees_costs(scope))).collect()
}

/// One row.
#[tracing::instrument(skip_all)]
pub async fn row(db: &impl ConnectionTrait, scope: &Scope, ozg_id: &str) -> Result<PlanRow, AppError> {
    let list = rows(db, &format!("{SELECT} WHERE s.ozg_id = ?"), vec![ozg_id.into()]).await?;
    let first = list.first().ok_or(AppError::NotFound)?;
    row_of(first, sees_costs(scope))
}

/// The Land's list of EfA services (active ones).
#[tracing::instrument(skip_all)]
pub async fn services(db: &impl ConnectionTrait) -> Result<Vec<EfaInfo>, AppError> {
    let list = efa_service::Entity::find().filter(efa_service::Column::Active.eq(true)).order_by_asc(efa_service::Column::NameKey).all(db).await?;
    Ok(list.into_iter().map(EfaInfo::from).collect())
}

/// A row as submitted.
#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    pub model: String,
    pub efa_service_id: String,
    pub priority: String,
    pub phase: String,
    pub land_pays: bool,
    pub checklist: String,
    pub version: i32,
}

/// A checked row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPlan {
    pub model: Model,
    pub efa_service_id: Option<String>,
    pub priority: i32,
    pub phase: Phase,
    pub land_pays: bool,
    pub checklist: Vec<String>,
}

/// Checks a row; `known_services` are the ids of the active EfA services.
pub fn validate(input: &PlanInput, known_services: &[String]) -> Result<ValidPlan, AppError> {
    let mut e: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut err = |f: &str, m: &str| e.entry(f.to_string()).or_default().push(m.to_string());
    let model = Model::from_code(input.model.trim());
    if model.is_none() {
        err("model", "Bitte wählen Sie ein Umsetzungsmodell.");
    }
    let efa = Some(input.efa_service_id.trim().to_string()).filter(|s| !s.is_empty());
    match (&efa, model) {
        (None, Some(Model::Efa)) => err("efa_service_id", "Bitte wählen Sie den EfA-Dienst aus der Liste des Landes."),
        (Some(id), _) if !known_services.contains(id) => err("efa_service_id", "Diesen EfA-Dienst gibt es in der Liste des Landes nicht (mehr)."),
        (Some(_), Some(m)) if m != Model::Efa => err("efa_service_id", "Ein EfA-Dienst gehört nur zum Umsetzungsmodell »EfA-Nachnutzung«."),
        _ => {}
    }
    let priority = input.priority.trim().parse::<i32>().ok().filter(|p| (1..=4).contains(p));
    if priority.is_none() {
        err("priority", "Die Priorität ist 1 (hoch), 2, 3 oder 4 (kein Bedarf).");
    }
    let phase = Phase::from_code(input.phase.trim());
    if phase.is_none() {
        err("phase", "Bitte wählen Sie eine Phase.");
    }
    let checklist = items(&input.checklist);
    if checklist.len() > MAX_ITEMS {
        err("checklist", &format!("Die Checkliste hat höchstens {MAX_ITEMS} Punkte."));
    }
    if checklist.iter().any(|i| i.chars().count() > 300) {
        err("checklist", "Ein Punkt der Checkliste hat höchstens 300 Zeichen.");
    }
    match (e.is_empty(), model, phase) {
        (true, Some(model), Some(phase)) => Ok(ValidPlan { model, efa_service_id: efa, priority: priority.unwrap_or(3), phase, land_pays: input.land_pays, checklist }),
        _ => Err(AppError::Validation(e)),
    }
}

/// Writes one row inside the caller's transaction when `version` is the stored one (0: none
/// stored). `Ok(false)`: someone else saved in between.
pub(super) async fn write(txn: &impl ConnectionTrait, actor: &str, ozg_id: &str, v: &ValidPlan, version: i32) -> Result<bool, AppError> {
    let now = crate::core::time::now();
    let checklist = v.checklist.join("\n");
    if version == 0 {
        let existing = rows(txn, "SELECT version FROM rollout_plan WHERE ozg_id = ?", vec![ozg_id.into()]).await?;
        if !existing.is_empty() {
            return Ok(false);
        }
        exec(
            txn,
            "INSERT INTO rollout_plan (ozg_id, model, efa_service_id, priority, phase, land_pays, checklist, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            vec![ozg_id.into(), v.model.into(), v.efa_service_id.clone().into(), v.priority.into(), v.phase.into(), v.land_pays.into(), checklist.into(), actor.into(), now.into()],
        )
        .await?;
        return Ok(true);
    }
    let n = exec(
        txn,
        "UPDATE rollout_plan SET model = ?, efa_service_id = ?, priority = ?, phase = ?, land_pays = ?, checklist = ?, version = version + 1, updated_by = ?, updated_at = ? \
         WHERE ozg_id = ? AND version = ?",
        vec![v.model.into(), v.efa_service_id.clone().into(), v.priority.into(), v.phase.into(), v.land_pays.into(), checklist.into(), actor.into(), now.into(), ozg_id.into(), version.into()],
    )
    .await?;
    Ok(n == 1)
}

/// Saves one row (advisors); audited; a stale version is a 409.
#[tracing::instrument(skip_all, fields(ozg_id = %ozg_id))]
pub async fn save(db: &DatabaseConnection, scope: &Scope, actor: &str, ozg_id: &str, input: &PlanInput) -> Result<(), AppError> {
    crate::access::policy::require_advisor(scope)?;
    let current = row(db, scope, ozg_id).await?;
    let known: Vec<String> = services(db).await?.into_iter().map(|s| s.id).collect();
    let v = validate(input, &known)?;
    let txn = crate::core::db::begin_write(db).await?;
    if !write(&txn, actor, ozg_id, &v, input.version).await? {
        txn.rollback().await?;
        return Err(AppError::Conflict(format!(
            "Die Zeile zu {} wurde inzwischen geändert; Ihre Änderung wurde nicht gespeichert. Bitte laden Sie die Seite neu.",
            current.name
        )));
    }
    audit::record(&txn, Entry { actor: Some(actor), action: "rollout_plan_saved", object: Some(ozg_id), detail: Some(v.model.code().to_string()), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// The OZG-Leistungen the overview assigns to an EfA service: (OZG-ID, name).
pub async fn leistungen_of(db: &impl ConnectionTrait, efa_service_id: &str) -> Result<Vec<(String, String)>, AppError> {
    let list = rows(
        db,
        "SELECT s.ozg_id, s.name FROM rollout_plan p JOIN ozg_service s ON s.ozg_id = p.ozg_id WHERE p.efa_service_id = ? AND p.model = ? ORDER BY s.ozg_id",
        vec![efa_service_id.into(), Model::Efa.into()],
    )
    .await?;
    list.iter().map(|r| Ok((r.try_get("", "ozg_id")?, r.try_get("", "name")?))).collect()
}

/// The checklist a new connection to the service starts with: the items of its rows, each once.
pub async fn template_of(db: &impl ConnectionTrait, efa_service_id: &str) -> Result<Vec<String>, AppError> {
    let list = rows(db, "SELECT checklist FROM rollout_plan WHERE efa_service_id = ? AND model = ? ORDER BY ozg_id", vec![efa_service_id.into(), Model::Efa.into()]).await?;
    let mut out: Vec<String> = Vec::new();
    for r in &list {
        for item in items(&r.try_get::<String>("", "checklist")?) {
            if !out.contains(&item) {
                out.push(item);
            }
        }
    }
    out.truncate(MAX_ITEMS);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(model: &str, efa: &str) -> PlanInput {
        PlanInput { model: model.into(), efa_service_id: efa.into(), priority: "1".into(), phase: "rollout".into(), land_pays: true, checklist: "a\n\n b \n".into(), version: 0 }
    }

    #[test]
    fn an_efa_row_names_a_known_service() {
        let known = vec!["s1".to_string()];
        assert!(validate(&input("efa", ""), &known).is_err());
        assert!(validate(&input("efa", "s2"), &known).is_err());
        assert!(validate(&input("eigen", "s1"), &known).is_err());
        let v = validate(&input("efa", "s1"), &known).expect("valid");
        assert_eq!(v.checklist, vec!["a", "b"]);
        assert_eq!(v.priority, 1);
    }

    #[test]
    fn priority_and_phase_come_from_their_lists() {
        let mut i = input("offen", "");
        i.priority = "5".into();
        i.phase = "irgendwann".into();
        let Err(AppError::Validation(e)) = validate(&i, &[]) else { panic!("invalid") };
        assert!(e.contains_key("priority") && e.contains_key("phase"));
    }
}
