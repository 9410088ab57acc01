//! The maturity criteria per model, maintained by administrators. A record's per-criterion
//! assessment refers to criteria by code; deactivating a criterion hides it from new
//! assessments but keeps it readable in existing ones.

use crate::core::entities::maturity_criterion;
use crate::error::AppError;
use crate::catalogue::model::MaturityCriterion;
use crate::vocabulary::register::MaturityModel;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::{BTreeMap, BTreeSet};

pub const MAX_LABEL: usize = 200;
pub const MAX_DESCRIPTION: usize = 2000;

/// The criterion codes known per model (active or not), for validating assessments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known(pub BTreeMap<MaturityModel, BTreeSet<String>>);

impl Known {
    pub fn contains(&self, model: MaturityModel, code: &str) -> bool {
        self.0.get(&model).is_some_and(|s| s.contains(code))
    }
}

fn to_dto(m: maturity_criterion::Model) -> Option<MaturityCriterion> {
    Some(MaturityCriterion {
        model: MaturityModel::from_code(&m.model)?,
        id: m.id,
        code: m.code,
        label: m.label,
        description: m.description,
        position: m.position,
        active: m.active,
    })
}

/// All criteria, by model and position.
#[tracing::instrument(skip_all)]
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<MaturityCriterion>, AppError> {
    Ok(maturity_criterion::Entity::find()
        .order_by_asc(maturity_criterion::Column::Model)
        .order_by_asc(maturity_criterion::Column::Position)
        .order_by_asc(maturity_criterion::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .filter_map(to_dto)
        .collect())
}

#[tracing::instrument(skip_all)]
pub async fn known(db: &impl ConnectionTrait) -> Result<Known, AppError> {
    let mut k = Known::default();
    for c in list(db).await? {
        k.0.entry(c.model).or_default().insert(c.code);
    }
    Ok(k)
}

/// What an administrator submits to add or change a criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionInput {
    /// `None`: a new criterion.
    pub id: Option<String>,
    pub model: String,
    pub code: String,
    pub label: String,
    pub description: Option<String>,
    pub position: String,
    pub active: bool,
}

fn valid_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= 40 && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Adds or changes a criterion (administrators only; the caller checks the role), audited.
/// The code of an existing criterion cannot change: assessments refer to it.
#[tracing::instrument(skip_all)]
pub async fn save(db: &sea_orm::DatabaseConnection, admin_id: &str, ip: &str, input: CriterionInput) -> Result<MaturityCriterion, AppError> {
    let mut e: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let model = MaturityModel::from_code(input.model.trim());
    if model.is_none() {
        e.entry("model".into()).or_default().push("Bitte wählen Sie das Reifegradmodell 1.1 oder 2.0.".into());
    }
    let code = input.code.trim().to_string();
    if input.id.is_none() && !valid_code(&code) {
        e.entry("code".into())
            .or_default()
            .push("Der Kurzname besteht aus 1 bis 40 Kleinbuchstaben (ohne Umlaute), Ziffern oder Unterstrichen.".into());
    }
    let label = input.label.trim().to_string();
    if label.is_empty() || label.chars().count() > MAX_LABEL {
        e.entry("label".into()).or_default().push(format!("Bitte geben Sie eine Bezeichnung mit höchstens {MAX_LABEL} Zeichen an."));
    }
    let description = input.description.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
    if description.as_ref().is_some_and(|d| d.chars().count() > MAX_DESCRIPTION) {
        e.entry("description".into()).or_default().push(format!("Die Beschreibung darf höchstens {MAX_DESCRIPTION} Zeichen lang sein."));
    }
    let position = input.position.trim().parse::<i32>().ok().filter(|p| (1..=999).contains(p));
    if position.is_none() {
        e.entry("position".into()).or_default().push("Die Reihenfolge ist eine Zahl von 1 bis 999.".into());
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let (Some(model), Some(position)) = (model, position) else { return Err(AppError::Internal) };
    let txn = crate::core::db::begin_write(db).await?;
    let now = crate::core::time::now();
    let (saved, action) = match &input.id {
        Some(id) => {
            let current = maturity_criterion::Entity::find_by_id(id.clone()).one(&txn).await?.ok_or(AppError::NotFound)?;
            if current.model != model.code() {
                return Err(AppError::field("model", "Das Modell eines Kriteriums kann nicht geändert werden; legen Sie ein neues an."));
            }
            let mut a: maturity_criterion::ActiveModel = current.into();
            a.label = Set(label);
            a.description = Set(description);
            a.position = Set(position);
            a.active = Set(input.active);
            a.updated_at = Set(now);
            (a.update(&txn).await?, crate::vocabulary::audit::AuditAction::CriterionUpdated)
        }
        None => {
            let exists = maturity_criterion::Entity::find()
                .filter(maturity_criterion::Column::Model.eq(model.code()))
                .filter(maturity_criterion::Column::Code.eq(code.clone()))
                .one(&txn)
                .await?
                .is_some();
            if exists {
                return Err(AppError::field("code", format!("Im Modell {} gibt es das Kriterium »{code}« bereits.", model.code())));
            }
            let m = maturity_criterion::ActiveModel {
                id: Set(uuid::Uuid::now_v7().to_string()),
                model: Set(model.code().to_string()),
                code: Set(code),
                label: Set(label),
                description: Set(description),
                position: Set(position),
                active: Set(input.active),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
            (m, crate::vocabulary::audit::AuditAction::CriterionCreated)
        }
    };
    let object = format!("{}:{}", saved.model, saved.code);
    crate::core::audit::record(
        &txn,
        crate::core::audit::Entry { actor: Some(admin_id), action, object: Some(&object), ip: Some(ip), detail: Some(format!("aktiv={}", saved.active)) },
    )
    .await?;
    txn.commit().await?;
    to_dto(saved).ok_or(AppError::Internal)
}
