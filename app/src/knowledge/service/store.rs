//! Writing articles: checking the input, saving a version, and the way to publication (draft →
//! review by a second advisor → published; a change of a published article waits as a pending
//! version until a second advisor approves it). Every step is one transaction with its audit entry.

use super::index;
use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::entities::{app_user, article, article_field, article_ozg, article_version, ozg_service};
use crate::error::AppError;
use crate::knowledge::model::{ArticleStatus, Audience};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set,
};
use std::collections::BTreeMap;

/// The longest article text.
pub const MAX_BODY: usize = 100_000;

/// What an advisor enters for an article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleInput {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub category: String,
    pub tags: String,
    /// `None`: the form named no audience the portal knows.
    pub audience: Option<Audience>,
    pub ozg_ids: Vec<String>,
    pub themenfelder: Vec<String>,
    /// The version the editor started from; 0 for a new article.
    pub version: i32,
}

/// The Themenfelder of the catalogue, sorted.
pub async fn themenfelder(db: &impl ConnectionTrait) -> Result<Vec<String>, AppError> {
    let mut all: Vec<String> = ozg_service::Entity::find().select_only().column(ozg_service::Column::Themenfeld).distinct().into_tuple().all(db).await?;
    all.retain(|t: &String| !t.trim().is_empty());
    all.sort();
    Ok(all)
}

/// Checks and normalises the input; every mistake is named at its field, in German.
async fn checked(db: &impl ConnectionTrait, mut i: ArticleInput) -> Result<ArticleInput, AppError> {
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut bad = |f: &str, m: String| errors.entry(f.to_string()).or_default().push(m);
    i.title = i.title.trim().to_string();
    i.summary = i.summary.trim().to_string();
    i.category = i.category.trim().to_string();
    i.body = i.body.replace("\r\n", "\n");
    i.tags = i.tags.split(',').map(str::trim).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(", ");
    let len = |s: &str| s.chars().count();
    if len(&i.title) < 3 || len(&i.title) > 200 {
        bad("title", "Der Titel muss 3 bis 200 Zeichen lang sein.".into());
    }
    if i.summary.is_empty() || len(&i.summary) > 500 {
        bad("summary", "Bitte fassen Sie den Artikel in höchstens 500 Zeichen zusammen.".into());
    }
    if i.body.trim().is_empty() {
        bad("body", "Bitte geben Sie den Text des Artikels ein.".into());
    } else if len(&i.body) > MAX_BODY {
        bad("body", "Der Text darf höchstens 100.000 Zeichen lang sein.".into());
    }
    if i.category.is_empty() || len(&i.category) > 80 {
        bad("category", "Bitte geben Sie eine Kategorie mit höchstens 80 Zeichen an.".into());
    }
    if len(&i.tags) > 500 {
        bad("tags", "Die Schlagwörter dürfen zusammen höchstens 500 Zeichen lang sein.".into());
    }
    if i.audience.is_none() {
        bad("audience", "Bitte wählen Sie, wer den Artikel lesen darf.".into());
    }
    i.ozg_ids = i.ozg_ids.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    i.ozg_ids.sort();
    i.ozg_ids.dedup();
    if i.ozg_ids.len() > 50 {
        bad("ozg_ids", "Höchstens 50 OZG-Leistungen je Artikel.".into());
    } else if !i.ozg_ids.is_empty() {
        let known: Vec<String> =
            ozg_service::Entity::find().select_only().column(ozg_service::Column::OzgId).filter(ozg_service::Column::OzgId.is_in(i.ozg_ids.clone())).into_tuple().all(db).await?;
        let unknown: Vec<&str> = i.ozg_ids.iter().filter(|o| !known.contains(o)).map(String::as_str).collect();
        if !unknown.is_empty() {
            bad("ozg_ids", format!("Keine OZG-Leistung des Katalogs: {}.", unknown.iter().map(|u| format!("»{u}«")).collect::<Vec<_>>().join(", ")));
        }
    }
    i.themenfelder.sort();
    i.themenfelder.dedup();
    if !i.themenfelder.is_empty() {
        let all = themenfelder(db).await?;
        if i.themenfelder.iter().any(|t| !all.contains(t)) {
            bad("themenfelder", "Bitte wählen Sie nur Themenfelder aus der Liste.".into());
        }
    }
    if errors.is_empty() { Ok(i) } else { Err(AppError::Validation(errors)) }
}

async fn version_row(db: &impl ConnectionTrait, id: i64, version: i32, i: &ArticleInput, change: &str, actor: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    article_version::ActiveModel {
        article_id: Set(id),
        version: Set(version),
        title: Set(i.title.clone()),
        summary: Set(i.summary.clone()),
        body: Set(i.body.clone()),
        category: Set(i.category.clone()),
        tags: Set(i.tags.clone()),
        audience: Set(i.audience.unwrap_or_default()),
        ozg_ids: Set(i.ozg_ids.join(",")),
        themenfelder: Set(i.themenfelder.join("|")),
        change: Set(change.to_string()),
        changed_at: Set(now),
        changed_by: Set(Some(actor.to_string())),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Makes the article's row, links and search document show this content.
async fn apply(db: &impl ConnectionTrait, mut row: article::ActiveModel, id: i64, i: &ArticleInput) -> Result<article::Model, AppError> {
    row.title = Set(i.title.clone());
    row.summary = Set(i.summary.clone());
    row.body = Set(i.body.clone());
    row.category = Set(i.category.clone());
    row.tags = Set(i.tags.clone());
    row.audience = Set(i.audience.unwrap_or_default());
    let saved = row.update(db).await?;
    article_ozg::Entity::delete_many().filter(article_ozg::Column::ArticleId.eq(id)).exec(db).await?;
    article_field::Entity::delete_many().filter(article_field::Column::ArticleId.eq(id)).exec(db).await?;
    for o in &i.ozg_ids {
        article_ozg::ActiveModel { article_id: Set(id), ozg_id: Set(o.clone()) }.insert(db).await?;
    }
    for t in &i.themenfelder {
        article_field::ActiveModel { article_id: Set(id), themenfeld: Set(t.clone()) }.insert(db).await?;
    }
    index::write(db, id, &index::document(&i.title, &i.summary, &i.tags, &i.themenfelder, &i.body)).await?;
    Ok(saved)
}

/// The content of a saved version, as input.
pub fn input_of(v: &article_version::Model) -> ArticleInput {
    ArticleInput {
        title: v.title.clone(),
        summary: v.summary.clone(),
        body: v.body.clone(),
        category: v.category.clone(),
        tags: v.tags.clone(),
        audience: Some(v.audience),
        ozg_ids: v.ozg_ids.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        themenfelder: v.themenfelder.split('|').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        version: v.version,
    }
}

/// Tells the other advisors that an article waits for their review.
async fn ask_for_review(db: &impl ConnectionTrait, config: &Config, actor: &str, a: &article::Model, now: DateTime<Utc>) -> Result<(), AppError> {
    let advisors: Vec<String> = app_user::Entity::find()
        .select_only()
        .column(app_user::Column::Id)
        .filter(app_user::Column::Role.eq("advisor"))
        .filter(app_user::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    let text = format!("Der Artikel {} wartet auf die Prüfung durch eine zweite Person.", crate::ui::format::quoted(&a.title));
    let link = format!("/wissen/{}", a.id);
    crate::core::notify::notify(db, config, &advisors, Some(actor), None, Some(&link), crate::vocabulary::notify::NotificationKind::ArticleReview, &text, now).await?;
    Ok(())
}

/// Creates a draft; returns its id.
#[tracing::instrument(skip_all)]
pub async fn create(db: &DatabaseConnection, actor: &str, input: ArticleInput, source_case: Option<i64>, now: DateTime<Utc>) -> Result<i64, AppError> {
    let i = checked(db, input).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let row = article::ActiveModel {
        title: Set(i.title.clone()),
        summary: Set(i.summary.clone()),
        body: Set(i.body.clone()),
        category: Set(i.category.clone()),
        tags: Set(i.tags.clone()),
        audience: Set(i.audience.unwrap_or_default()),
        status: Set(ArticleStatus::Draft),
        version: Set(1),
        author_id: Set(Some(actor.to_string())),
        source_case: Set(source_case),
        pending_version: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        published_at: Set(None),
        review_reminded_at: Set(None),
        views: Set(0),
        helpful_yes: Set(0),
        helpful_no: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    apply(&txn, row.clone().into_active_model(), row.id, &i).await?;
    let change = if source_case.is_some() { "Entwurf aus einem Fall angelegt" } else { "Entwurf angelegt" };
    version_row(&txn, row.id, 1, &i, change, actor, now).await?;
    let object = row.id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::ArticleCreated, object: Some(&object), detail: source_case.map(|c| format!("aus Fall {c}")), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(row.id)
}

async fn load(db: &impl ConnectionTrait, id: i64) -> Result<article::Model, AppError> {
    article::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)
}

/// Saves a change. A draft changes at once; a published article changes at once only without
/// the second review, otherwise the change waits as a pending version.
#[tracing::instrument(skip_all)]
pub async fn update(db: &DatabaseConnection, config: &Config, actor: &str, id: i64, input: ArticleInput, now: DateTime<Utc>) -> Result<(), AppError> {
    let second_review = config.knowledge_second_review;
    let i = checked(db, input).await?;
    let txn = crate::core::db::begin_write(db).await?;
    let a = load(&txn, id).await?;
    if a.version != i.version {
        return Err(AppError::Conflict("Der Artikel wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu und übernehmen Sie Ihre Änderungen.".into()));
    }
    let version = a.version + 1;
    let published = a.status == ArticleStatus::Published;
    let pending = published && second_review;
    let change = if pending { "Änderung zur Prüfung gespeichert" } else if published { "Veröffentlichte Fassung geändert" } else { "Entwurf gespeichert" };
    version_row(&txn, id, version, &i, change, actor, now).await?;
    let mut row = a.into_active_model();
    row.version = Set(version);
    row.updated_at = Set(now);
    if pending {
        row.pending_version = Set(Some(version));
        let saved = row.update(&txn).await?;
        ask_for_review(&txn, config, actor, &saved, now).await?;
    } else {
        row.pending_version = Set(None);
        apply(&txn, row, id, &i).await?;
    }
    let object = id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::ArticleSaved, object: Some(&object), detail: Some(format!("Version {version}: {change}")), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// A step on the way to publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Draft → in review.
    Submit,
    /// In review (or a pending change) → published; without the second review also a draft.
    Publish,
    /// "Inhalt geprüft": a published article stays valid; "geprüft am" becomes today.
    Confirm,
    /// Published → draft (with a pending change as its content).
    Withdraw,
}

impl Step {
    pub fn parse(s: &str) -> Option<Step> {
        match s {
            "pruefen" => Some(Step::Submit),
            "veroeffentlichen" => Some(Step::Publish),
            "bestaetigen" => Some(Step::Confirm),
            "zurueckziehen" => Some(Step::Withdraw),
            _ => None,
        }
    }
}

/// Whether `actor` may approve what waits in the article: without the second review anyone;
/// with it, nobody who changed it since its last publication (`changers`), so a reviewer's
/// small edit makes neither the reviewer nor the author a permitted reviewer.
pub fn may_approve(actor: &str, changers: &[String], second_review: bool) -> bool {
    !second_review || !changers.iter().any(|c| c == actor)
}

/// Who saved a version of the article since the version last published.
pub async fn changers_since_publication(db: &impl ConnectionTrait, a: &article::Model) -> Result<Vec<String>, AppError> {
    let rows: Vec<Option<String>> = article_version::Entity::find()
        .select_only()
        .column(article_version::Column::ChangedBy)
        .filter(article_version::Column::ArticleId.eq(a.id))
        .filter(article_version::Column::Version.gt(a.published_version.unwrap_or(0)))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().flatten().collect())
}

/// Takes a step; a step that does not fit the article's state is refused and changes nothing.
/// Publishing names the version the approver saw (`seen`): when a newer one was saved in
/// between, it is refused with 409 (four eyes see what they approve).
#[tracing::instrument(skip_all)]
pub async fn step(db: &DatabaseConnection, config: &Config, actor: &str, id: i64, step: Step, seen: Option<i32>, now: DateTime<Utc>) -> Result<(), AppError> {
    let second_review = config.knowledge_second_review;
    let txn = crate::core::db::begin_write(db).await?;
    let a = load(&txn, id).await?;
    let wrong = || AppError::Conflict("Dieser Schritt passt nicht zum Stand des Artikels. Bitte laden Sie die Seite neu.".into());
    let under_review = article_version::Entity::find_by_id((id, a.pending_version.unwrap_or(a.version))).one(&txn).await?.ok_or(AppError::NotFound)?;
    let (status, action) = (a.status, match step {
        Step::Submit => crate::vocabulary::audit::AuditAction::ArticleSubmitted,
        Step::Publish => crate::vocabulary::audit::AuditAction::ArticlePublished,
        Step::Confirm => crate::vocabulary::audit::AuditAction::ArticleConfirmed,
        Step::Withdraw => crate::vocabulary::audit::AuditAction::ArticleWithdrawn,
    });
    let mut row = a.clone().into_active_model();
    row.updated_at = Set(now);
    match step {
        Step::Submit if status == ArticleStatus::Draft => {
            row.status = Set(ArticleStatus::Review);
            let saved = row.update(&txn).await?;
            ask_for_review(&txn, config, actor, &saved, now).await?;
        }
        Step::Publish if status == ArticleStatus::Review || (status == ArticleStatus::Draft && !second_review) || (status == ArticleStatus::Published && a.pending_version.is_some()) => {
            if seen != Some(under_review.version) {
                return Err(AppError::Conflict(format!(
                    "Inzwischen wurde eine neuere Fassung (Version {}) gespeichert. Bitte lesen Sie sie, bevor Sie sie freigeben.",
                    under_review.version
                )));
            }
            if !may_approve(actor, &changers_since_publication(&txn, &a).await?, second_review) {
                return Err(AppError::Conflict("Eine zweite Person der Landesberatung muss den Artikel prüfen und freigeben, nicht eine Person, die ihn seit der letzten Veröffentlichung geändert hat.".into()));
            }
            row.published_version = Set(Some(under_review.version));
            row.status = Set(ArticleStatus::Published);
            row.reviewed_at = Set(Some(now));
            row.reviewed_by = Set(Some(actor.to_string()));
            row.review_reminded_at = Set(None);
            if a.published_at.is_none() {
                row.published_at = Set(Some(now));
            }
            row.pending_version = Set(None);
            apply(&txn, row, id, &input_of(&under_review)).await?;
        }
        Step::Confirm if status == ArticleStatus::Published => {
            row.reviewed_at = Set(Some(now));
            row.reviewed_by = Set(Some(actor.to_string()));
            row.review_reminded_at = Set(None);
            row.update(&txn).await?;
        }
        Step::Withdraw if status == ArticleStatus::Published => {
            row.status = Set(ArticleStatus::Draft);
            row.pending_version = Set(None);
            apply(&txn, row, id, &input_of(&under_review)).await?;
        }
        _ => return Err(wrong()),
    }
    let object = id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action, object: Some(&object), detail: Some(format!("Version {}", under_review.version)), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}
