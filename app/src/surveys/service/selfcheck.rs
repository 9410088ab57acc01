//! The Selbstcheck on the server: each submit keeps the Kommune's scores (in the submit's
//! transaction), the profile compares the latest with the latest of the other Kommunen of the
//! same kind and size class, and the Land sets each section's weight and what it recommends.

use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::db::read;
use crate::core::entities::{article, funding_programme, organisation, selfcheck_score, selfcheck_take, survey, survey_section, survey_section_link};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::identity::OrgKind;
use crate::surveys::model::{SectionView, SurveyPhase, SurveyPurpose};
use crate::surveys::selfcheck::{Advice, Profile, SectionScore, SectionSettings, SectionSettingsInput, Settings};
use crate::vocabulary::audit::AuditAction;
use crate::vocabulary::knowledge::ArticleStatus;
use crate::vocabulary::surveys::SizeClass;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::Berlin;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::{BTreeMap, HashMap};

/// How many of the weakest sections get recommendations.
const WEAKEST: usize = 2;

/// A score shown as a whole number.
fn whole(score: Option<f64>) -> Option<i64> {
    score.map(|s| s.round() as i64)
}

/// Keeps the scores of a Kommune's submitted Selbstcheck as its latest (inside the submit's
/// transaction); the group it compares with is its kind and size class now.
pub async fn record(txn: &impl ConnectionTrait, s: &survey::Model, org: &organisation::Model, sections: &[SectionView], values: &BTreeMap<String, String>, user: &CurrentUser, now: DateTime<Utc>) -> Result<(), AppError> {
    if s.purpose != SurveyPurpose::SelfCheck {
        return Ok(());
    }
    let scores: Vec<(i64, i32, Option<f64>)> = sections.iter().map(|sec| (sec.id, sec.weight, crate::surveys::score::section(sec, values))).collect();
    let total = crate::surveys::score::total(&scores.iter().map(|(_, w, s)| (*w, *s)).collect::<Vec<_>>());
    selfcheck_take::Entity::update_many()
        .col_expr(selfcheck_take::Column::Latest, false.into())
        .filter(selfcheck_take::Column::SurveyId.eq(s.id))
        .filter(selfcheck_take::Column::OrganisationId.eq(org.id.clone()))
        .filter(selfcheck_take::Column::Latest.eq(true))
        .exec(txn)
        .await?;
    let take = selfcheck_take::ActiveModel {
        survey_id: Set(s.id),
        organisation_id: Set(org.id.clone()),
        kind: Set(org.kind.clone()),
        size_class: Set(SizeClass::of(org.population.unwrap_or(0))),
        score: Set(total),
        latest: Set(true),
        taken_by: Set(Some(user.id.clone())),
        taken_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let rows = scores.into_iter().map(|(section_id, _, score)| selfcheck_score::ActiveModel { take_id: Set(take.id), section_id: Set(section_id), score: Set(score) });
    selfcheck_score::Entity::insert_many(rows).exec(txn).await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct PeerSection {
    section_id: i64,
    mean: Option<f64>,
    n: i64,
}

#[derive(FromQueryResult)]
struct PeerTotal {
    mean: Option<f64>,
    n: i64,
}

/// The mean of the other Kommunen's latest results in a group, per section and in total, each
/// with how many scored it.
async fn peers(db: &impl ConnectionTrait, survey_id: i64, kind: &str, size: SizeClass, org_id: &str) -> Result<(HashMap<i64, (Option<f64>, i64)>, (Option<f64>, i64)), AppError> {
    let group = || -> Vec<sea_orm::Value> { vec![survey_id.into(), true.into(), kind.into(), size.code().into(), org_id.into()] };
    let where_ = "t.survey_id = ? AND t.latest = ? AND t.kind = ? AND t.size_class = ? AND t.organisation_id <> ?";
    let sections: Vec<PeerSection> = read(db, &format!("SELECT sc.section_id, AVG(sc.score) AS mean, COUNT(sc.score) AS n FROM selfcheck_score sc JOIN selfcheck_take t ON t.id = sc.take_id WHERE {where_} GROUP BY sc.section_id"), group()).await?;
    let total: Vec<PeerTotal> = read(db, &format!("SELECT AVG(t.score) AS mean, COUNT(*) AS n FROM selfcheck_take t WHERE {where_}"), group()).await?;
    let total = total.into_iter().next().map(|t| (t.mean, t.n)).unwrap_or((None, 0));
    Ok((sections.into_iter().map(|p| (p.section_id, (p.mean, p.n))).collect(), total))
}

/// The caller's Kommune's profile in a Selbstcheck (by key, or the caller's first Kommune).
#[tracing::instrument(skip_all)]
pub async fn profile(db: &DatabaseConnection, scope: &Scope, survey_id: i64, key: Option<&str>, threshold: i64, now: DateTime<Utc>) -> Result<Profile, AppError> {
    // The profile is the Kommune's own.
    let (s, org, kommunen) = super::response::context(db, scope, survey_id, key).await?;
    if s.purpose != SurveyPurpose::SelfCheck {
        return Err(AppError::NotFound);
    }
    crate::access::policy::kommune_read(scope, &org.id)?;
    let sections = survey_section::Entity::find().filter(survey_section::Column::SurveyId.eq(survey_id)).order_by_asc(survey_section::Column::Position).all(db).await?;
    let takes = selfcheck_take::Entity::find()
        .filter(selfcheck_take::Column::SurveyId.eq(survey_id))
        .filter(selfcheck_take::Column::OrganisationId.eq(org.id.clone()))
        .order_by_desc(selfcheck_take::Column::TakenAt)
        .order_by_desc(selfcheck_take::Column::Id)
        .limit(12)
        .all(db)
        .await?;
    let latest = takes.first();
    let mine: HashMap<i64, Option<f64>> = match latest {
        Some(t) => selfcheck_score::Entity::find().filter(selfcheck_score::Column::TakeId.eq(t.id)).all(db).await?.into_iter().map(|s| (s.section_id, s.score)).collect(),
        None => HashMap::new(),
    };
    // The group of the result shown; before the first result, the Kommune's group now.
    let (kind, size) = latest.map(|t| (t.kind.clone(), t.size_class)).unwrap_or_else(|| (org.kind.clone(), SizeClass::of(org.population.unwrap_or(0))));
    let (by_section, (peers_total, peers)) = peers(db, survey_id, &kind, size, &org.id).await?;
    let enough = |n: i64| n >= threshold;
    let scores: Vec<SectionScore> = sections
        .iter()
        .map(|sec| SectionScore {
            id: sec.id,
            title: sec.title.clone(),
            weight: sec.weight,
            score: whole(mine.get(&sec.id).copied().flatten()),
            peers: by_section.get(&sec.id).filter(|(_, n)| enough(*n)).and_then(|(m, _)| whole(*m)),
        })
        .collect();
    let weak = crate::surveys::score::weakest(&sections.iter().map(|sec| (sec.id, sec.weight, mine.get(&sec.id).copied().flatten())).collect::<Vec<_>>(), WEAKEST);
    let advice = advice(db, &sections, &weak, now).await?;
    let stamp = |t: DateTime<Utc>| t.with_timezone(&Berlin).format("%d.%m.%Y %H:%M").to_string();
    Ok(Profile {
        survey_id,
        title: s.title.clone(),
        kommune_key: org.key.clone(),
        kommune: org.name.clone(),
        kommunen: kommunen.iter().map(|k| (k.key.clone(), k.name.clone())).collect(),
        kind: OrgKind::from_code(&kind).map(|k| k.label().to_string()).unwrap_or(kind),
        size_class: size,
        peers: peers as u64,
        threshold,
        taken: latest.map(|t| stamp(t.taken_at)),
        total: whole(latest.and_then(|t| t.score)),
        peers_total: if enough(peers) { whole(peers_total) } else { None },
        sections: scores,
        advice,
        history: takes.iter().skip(1).map(|t| (stamp(t.taken_at), whole(t.score))).collect(),
        open: super::phase(&s, now) == SurveyPhase::Open,
    })
}

/// What the weakest sections recommend: published articles (a Kommune reads them) and funding
/// programmes open for applications today.
async fn advice(db: &impl ConnectionTrait, sections: &[survey_section::Model], weak: &[i64], now: DateTime<Utc>) -> Result<Vec<Advice>, AppError> {
    if weak.is_empty() {
        return Ok(Vec::new());
    }
    let links = survey_section_link::Entity::find().filter(survey_section_link::Column::SectionId.is_in(weak.iter().copied())).order_by_asc(survey_section_link::Column::Id).all(db).await?;
    let articles: HashMap<i64, String> = article::Entity::find()
        .filter(article::Column::Id.is_in(links.iter().filter_map(|l| l.article_id)))
        .filter(article::Column::Status.eq(ArticleStatus::Published.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.title))
        .collect();
    let today = now.with_timezone(&Berlin).date_naive();
    let programmes: HashMap<i64, String> = funding_programme::Entity::find()
        .filter(funding_programme::Column::Id.is_in(links.iter().filter_map(|l| l.programme_id)))
        .filter(funding_programme::Column::Active.eq(true))
        .filter(funding_programme::Column::OpensOn.lte(today))
        .filter(funding_programme::Column::ClosesOn.gte(today))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    Ok(weak
        .iter()
        .filter_map(|id| sections.iter().find(|s| s.id == *id))
        .map(|sec| {
            let of = links.iter().filter(|l| l.section_id == sec.id);
            Advice {
                section: sec.title.clone(),
                articles: of.clone().filter_map(|l| l.article_id.and_then(|a| articles.get(&a).map(|t| (a, t.clone())))).collect(),
                programmes: of.filter_map(|l| l.programme_id.and_then(|p| programmes.get(&p).map(|n| (p, n.clone())))).collect(),
            }
        })
        .collect())
}

/// The builder's settings of a Selbstcheck's sections, with what may be recommended.
#[tracing::instrument(skip_all)]
pub async fn settings(db: &impl ConnectionTrait, survey_id: i64) -> Result<Settings, AppError> {
    let sections = survey_section::Entity::find().filter(survey_section::Column::SurveyId.eq(survey_id)).order_by_asc(survey_section::Column::Position).all(db).await?;
    let links = survey_section_link::Entity::find().filter(survey_section_link::Column::SectionId.is_in(sections.iter().map(|s| s.id))).order_by_asc(survey_section_link::Column::Id).all(db).await?;
    let articles = article::Entity::find().select_only().column(article::Column::Id).column(article::Column::Title).filter(article::Column::Status.eq(ArticleStatus::Published.code())).order_by_asc(article::Column::Title).into_tuple().all(db).await?;
    let programmes = funding_programme::Entity::find().select_only().column(funding_programme::Column::Id).column(funding_programme::Column::Name).order_by_asc(funding_programme::Column::Name).into_tuple().all(db).await?;
    Ok(Settings {
        sections: sections
            .into_iter()
            .map(|s| SectionSettings {
                id: s.id,
                weight: s.weight,
                articles: links.iter().filter(|l| l.section_id == s.id).filter_map(|l| l.article_id).collect(),
                programmes: links.iter().filter(|l| l.section_id == s.id).filter_map(|l| l.programme_id).collect(),
                title: s.title,
            })
            .collect(),
        articles,
        programmes,
    })
}

/// Sets a Selbstcheck section's weight and recommendations (also after release: they change no
/// answer; results already kept keep the total they had).
#[tracing::instrument(skip_all)]
pub async fn set_section(db: &DatabaseConnection, actor: &str, survey_id: i64, section_id: i64, i: SectionSettingsInput) -> Result<(), AppError> {
    let s = super::build::survey_of(db, survey_id).await?;
    if s.purpose != SurveyPurpose::SelfCheck {
        return Err(AppError::field("weight", "Gewichte und Empfehlungen gibt es nur bei einem Selbstcheck."));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let section = survey_section::Entity::find_by_id(section_id).one(&txn).await?.filter(|x| x.survey_id == survey_id).ok_or(AppError::NotFound)?;
    let known_articles = article::Entity::find().filter(article::Column::Id.is_in(i.articles.clone())).filter(article::Column::Status.eq(ArticleStatus::Published.code())).all(&txn).await?.len();
    if known_articles != i.articles.len() {
        return Err(AppError::field("articles", "Empfohlen werden nur veröffentlichte Wissensartikel aus der Liste."));
    }
    let known_programmes = funding_programme::Entity::find().filter(funding_programme::Column::Id.is_in(i.programmes.clone())).all(&txn).await?.len();
    if known_programmes != i.programmes.len() {
        return Err(AppError::field("programmes", "Bitte wählen Sie Förderprogramme aus der Liste."));
    }
    super::build::touch(&txn, &s).await?;
    let mut a: survey_section::ActiveModel = section.into();
    a.weight = Set(i.weight);
    a.update(&txn).await?;
    survey_section_link::Entity::delete_many().filter(survey_section_link::Column::SectionId.eq(section_id)).exec(&txn).await?;
    let links: Vec<survey_section_link::ActiveModel> = i
        .articles
        .iter()
        .map(|a| (Some(*a), None))
        .chain(i.programmes.iter().map(|p| (None, Some(*p))))
        .map(|(article_id, programme_id)| survey_section_link::ActiveModel { section_id: Set(section_id), article_id: Set(article_id), programme_id: Set(programme_id), ..Default::default() })
        .collect();
    if !links.is_empty() {
        survey_section_link::Entity::insert_many(links).exec(&txn).await?;
    }
    let object = survey_id.to_string();
    let detail = format!("Abschnitt {section_id}: Gewicht {}, {} Artikel, {} Förderprogramme", i.weight, i.articles.len(), i.programmes.len());
    audit::record(&txn, Entry { actor: Some(actor), action: AuditAction::SurveyChanged, object: Some(&object), detail: Some(detail), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(())
}

/// Copies a section's recommendations to its copy.
pub async fn copy_links(txn: &impl ConnectionTrait, from: i64, to: i64) -> Result<(), AppError> {
    let links = survey_section_link::Entity::find().filter(survey_section_link::Column::SectionId.eq(from)).order_by_asc(survey_section_link::Column::Id).all(txn).await?;
    if !links.is_empty() {
        let copies = links.into_iter().map(|l| survey_section_link::ActiveModel { section_id: Set(to), article_id: Set(l.article_id), programme_id: Set(l.programme_id), ..Default::default() });
        survey_section_link::Entity::insert_many(copies).exec(txn).await?;
    }
    Ok(())
}

/// The Selbstchecks a person submitted (for the Auskunft): (survey, title, Kommune, when, total).
pub async fn of_person(db: &impl ConnectionTrait, user_id: &str) -> Result<Vec<(i64, String, String, DateTime<Utc>, Option<f64>)>, AppError> {
    let takes = selfcheck_take::Entity::find().filter(selfcheck_take::Column::TakenBy.eq(user_id)).order_by_asc(selfcheck_take::Column::TakenAt).all(db).await?;
    let titles: HashMap<i64, String> = survey::Entity::find().filter(survey::Column::Id.is_in(takes.iter().map(|t| t.survey_id))).all(db).await?.into_iter().map(|s| (s.id, s.title)).collect();
    let names: HashMap<String, String> = organisation::Entity::find().filter(organisation::Column::Id.is_in(takes.iter().map(|t| t.organisation_id.clone()))).all(db).await?.into_iter().map(|o| (o.id, o.name)).collect();
    Ok(takes.into_iter().map(|t| (t.survey_id, titles.get(&t.survey_id).cloned().unwrap_or_default(), names.get(&t.organisation_id).cloned().unwrap_or_default(), t.taken_at, t.score)).collect())
}
