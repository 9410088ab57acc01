//! The Nachnutzungsübersicht: per OZG-Leistung how the Land implements it. Advisors keep it;
//! clerks, associations and the public read it (the public without who pays).

use super::read;
use crate::core::entities::{efa_service, ozg_service, rollout_plan, rollout_plan_item};
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::error::AppError;
use crate::rollout::model::{EfaInfo, Model, Phase, PlanRow};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::{BTreeMap, HashMap};

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

const SELECT: &str = "SELECT s.ozg_id, s.name, s.themenfeld, s.focus, p.model, p.priority, p.phase, p.land_pays, p.version, \
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
    version: Option<i32>,
    efa_id: Option<String>,
    efa_name: Option<String>,
    provider: Option<String>,
    operator: Option<String>,
    marketplace_url: Option<String>,
}

fn row_of(s: Stored, with_costs: bool, checklists: &mut HashMap<String, Vec<String>>) -> PlanRow {
    let efa = match (s.efa_id, s.efa_name) {
        (Some(id), Some(name)) => Some(EfaInfo { id, name, provider: s.provider, operator: s.operator, marketplace_url: s.marketplace_url }),
        _ => None,
    };
    let checklist = checklists.remove(&s.ozg_id).unwrap_or_default();
    PlanRow {
        ozg_id: s.ozg_id,
        name: s.name,
        themenfeld: s.themenfeld,
        focus: s.focus,
        model: s.model.unwrap_or(Model::Open),
        efa,
        priority: s.priority.unwrap_or(3),
        phase: s.phase.unwrap_or(Phase::Planning),
        land_pays: with_costs.then(|| s.land_pays.unwrap_or(false)),
        checklist,
        version: s.version.unwrap_or(0),
    }
}

/// The checklists of the rows (all, or of one OZG-Leistung), each in its order.
async fn checklists(db: &impl ConnectionTrait, ozg_id: Option<&str>) -> Result<HashMap<String, Vec<String>>, AppError> {
    let mut q = rollout_plan_item::Entity::find().order_by_asc(rollout_plan_item::Column::OzgId).order_by_asc(rollout_plan_item::Column::Position);
    if let Some(id) = ozg_id {
        q = q.filter(rollout_plan_item::Column::OzgId.eq(id));
    }
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for i in q.all(db).await? {
        out.entry(i.ozg_id).or_default().push(crate::vocabulary::rollout::checklist_line(&i.label, i.operator));
    }
    Ok(out)
}

/// The checklist's items from a text (one per line, as the editor and the CSV send them).
pub fn items(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// Whether the caller sees who pays (Land, Kommunen and associations; not the public, not a
/// partner unless the Land shares it).
fn sees_costs(scope: &Scope) -> bool {
    crate::access::policy::reads_for_kommunen(scope)
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
    let list: Vec<Stored> = read(db, &format!("{SELECT} WHERE s.in_catalogue ORDER BY s.ozg_id"), vec![]).await?;
    let mut lists = checklists(db, None).await?;
    Ok(list.into_iter().map(|s| row_of(s, sees_costs(scope), &mut lists)).collect())
}

/// One row.
#[tracing::instrument(skip_all)]
pub async fn row(db: &impl ConnectionTrait, scope: &Scope, ozg_id: &str) -> Result<PlanRow, AppError> {
    let list: Vec<Stored> = read(db, &format!("{SELECT} WHERE s.ozg_id = ?"), vec![ozg_id.into()]).await?;
    let first = list.into_iter().next().ok_or(AppError::NotFound)?;
    Ok(row_of(first, sees_costs(scope), &mut checklists(db, Some(ozg_id)).await?))
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
    if checklist.iter().any(|i| crate::vocabulary::rollout::checklist_item(i).0.is_empty()) {
        err("checklist", "Nach »Betreiber:« folgt, was der Betreiber erledigt.");
    }
    match (e.is_empty(), model, phase) {
        (true, Some(model), Some(phase)) => Ok(ValidPlan { model, efa_service_id: efa, priority: priority.unwrap_or(3), phase, land_pays: input.land_pays, checklist }),
        _ => Err(AppError::Validation(e)),
    }
}

/// Writes one row and its checklist inside the caller's transaction when `version` is the
/// stored one (0: none stored). `Ok(false)`: someone else saved in between.
pub(super) async fn write(txn: &impl ConnectionTrait, actor: &str, ozg_id: &str, v: &ValidPlan, version: i32) -> Result<bool, AppError> {
    let now = crate::core::time::now();
    if version == 0 {
        if rollout_plan::Entity::find_by_id(ozg_id).one(txn).await?.is_some() {
            return Ok(false);
        }
        rollout_plan::ActiveModel {
            ozg_id: Set(ozg_id.to_string()),
            model: Set(v.model),
            efa_service_id: Set(v.efa_service_id.clone()),
            priority: Set(v.priority),
            phase: Set(v.phase),
            land_pays: Set(v.land_pays),
            demo: Set(false),
            version: Set(1),
            updated_by: Set(Some(actor.to_string())),
            updated_at: Set(now),
        }
        .insert(txn)
        .await?;
    } else {
        let n = rollout_plan::Entity::update_many()
            .col_expr(rollout_plan::Column::Model, Expr::value(v.model))
            .col_expr(rollout_plan::Column::EfaServiceId, Expr::value(v.efa_service_id.clone()))
            .col_expr(rollout_plan::Column::Priority, Expr::value(v.priority))
            .col_expr(rollout_plan::Column::Phase, Expr::value(v.phase))
            .col_expr(rollout_plan::Column::LandPays, Expr::value(v.land_pays))
            .col_expr(rollout_plan::Column::Version, Expr::col(rollout_plan::Column::Version).add(1))
            .col_expr(rollout_plan::Column::UpdatedBy, Expr::value(actor))
            .col_expr(rollout_plan::Column::UpdatedAt, Expr::value(now))
            .filter(rollout_plan::Column::OzgId.eq(ozg_id))
            .filter(rollout_plan::Column::Version.eq(version))
            .exec(txn)
            .await?
            .rows_affected;
        if n != 1 {
            return Ok(false);
        }
        rollout_plan_item::Entity::delete_many().filter(rollout_plan_item::Column::OzgId.eq(ozg_id)).exec(txn).await?;
    }
    if !v.checklist.is_empty() {
        rollout_plan_item::Entity::insert_many(v.checklist.iter().enumerate().map(|(i, line)| {
            let (label, operator) = crate::vocabulary::rollout::checklist_item(line);
            rollout_plan_item::ActiveModel { ozg_id: Set(ozg_id.to_string()), position: Set(i as i32 + 1), label: Set(label), operator: Set(operator) }
        }))
        .exec(txn)
        .await?;
    }
    Ok(true)
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
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::RolloutPlanSaved, object: Some(ozg_id), detail: Some(v.model.code().to_string()), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// The OZG-IDs of the rows that implement a Leistung by re-using the EfA service.
fn rows_of_service(efa_service_id: &str) -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(rollout_plan::Column::OzgId)
        .from(rollout_plan::Entity)
        .and_where(rollout_plan::Column::EfaServiceId.eq(efa_service_id))
        .and_where(rollout_plan::Column::Model.eq(Model::Efa))
        .to_owned()
}

/// The OZG-Leistungen the overview assigns to an EfA service: (OZG-ID, name).
pub async fn leistungen_of(db: &impl ConnectionTrait, efa_service_id: &str) -> Result<Vec<(String, String)>, AppError> {
    Ok(ozg_service::Entity::find()
        .select_only()
        .column(ozg_service::Column::OzgId)
        .column(ozg_service::Column::Name)
        .filter(ozg_service::Column::OzgId.in_subquery(rows_of_service(efa_service_id)))
        .order_by_asc(ozg_service::Column::OzgId)
        .into_tuple()
        .all(db)
        .await?)
}

/// The EfA services the overview re-uses for these OZG-Leistungen.
pub async fn services_of_leistungen(db: &impl ConnectionTrait, ozg_ids: &[String]) -> Result<Vec<String>, AppError> {
    let ids: Vec<Option<String>> = rollout_plan::Entity::find()
        .select_only()
        .column(rollout_plan::Column::EfaServiceId)
        .filter(rollout_plan::Column::OzgId.is_in(ozg_ids.iter().cloned()))
        .filter(rollout_plan::Column::Model.eq(Model::Efa))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().flatten().collect())
}

/// The checklist a new connection to the service starts with: the items of its rows, each once,
/// as (label, whether the operator does it).
pub async fn template_of(db: &impl ConnectionTrait, efa_service_id: &str) -> Result<Vec<(String, bool)>, AppError> {
    let items: Vec<(String, bool)> = rollout_plan_item::Entity::find()
        .select_only()
        .column(rollout_plan_item::Column::Label)
        .column(rollout_plan_item::Column::Operator)
        .filter(rollout_plan_item::Column::OzgId.in_subquery(rows_of_service(efa_service_id)))
        .order_by_asc(rollout_plan_item::Column::OzgId)
        .order_by_asc(rollout_plan_item::Column::Position)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: Vec<(String, bool)> = Vec::new();
    for item in items {
        if !out.iter().any(|(l, _)| *l == item.0) {
            out.push(item);
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
