//! A clerk's start page, per Kommune they act for: its progress, what needs them (each with a
//! link to where it is done) and a comparison with its Kreis and the Land (from the rollups).

use crate::core::entities::{notification, organisation, service_annotation, support_case};
use crate::core::session::CurrentUser;
use crate::core::state::AppState;
use crate::core::versions::{Depends, Memo, Versions};
use crate::error::AppError;
use crate::register::model::{MaturityModel, Responsibility, Stage};
use crate::start::model::{share, Comparison, KommuneStart, Need, NewReply, Note};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::sync::Arc;

/// Days an advisors' annotation counts as new.
pub const NEW_ANNOTATION_DAYS: i64 = 30;

/// (online, responsible, Reifegrad ≥ 3) of an area of the Lagebild, as the public sees it.
type AreaShares = (Option<i64>, Option<i64>, Option<i64>, String);

static AREAS: Memo<String, Option<AreaShares>> = Memo::new(64);

/// The Lagebild figures of an area (Kreis or Land), kept while the register stands.
async fn area_shares(st: &AppState, versions: &Versions, key: &str) -> Result<Arc<Option<AreaShares>>, AppError> {
    AREAS
        .get_or(key.to_string(), versions.stamp(Depends::RegisterAndReference), || async {
            match crate::lagebild::service::lagebild(&st.db, &crate::lagebild::service::cache(&st), key, &Default::default(), st.config.suppression_threshold, false).await {
                Ok(l) if !l.area.suppressed => Ok(Some((l.area.online, l.area.responsible, l.area.reifegrad_3, l.area.name))),
                Ok(_) | Err(AppError::NotFound) => Ok(None),
                Err(e) => Err(e),
            }
        })
        .await
}

/// The cases of a Kommune that the Land answered publicly since a day, with that answer's time,
/// newest first (at most 200).
static ANSWERS: Memo<String, Vec<(i64, chrono::DateTime<chrono::Utc>)>> = Memo::new(256);

async fn land_answers(db: &impl sea_orm::ConnectionTrait, org_id: &str, since: chrono::DateTime<chrono::Utc>) -> Result<Vec<(i64, chrono::DateTime<chrono::Utc>)>, AppError> {
    // The newest public answer of the Land per case is kept on the case (m0042): one range of
    // the index by Kommune and that time.
    let rows: Vec<(i64, Option<chrono::DateTime<chrono::Utc>>)> = support_case::Entity::find()
        .select_only()
        .column(support_case::Column::Id)
        .column(support_case::Column::LandAnsweredAt)
        .filter(support_case::Column::OrganisationId.eq(org_id))
        .filter(support_case::Column::LandAnsweredAt.gte(since))
        .order_by_desc(support_case::Column::LandAnsweredAt)
        .limit(200)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(id, at)| Some((id, at?))).collect())
}

/// The start section of one Kommune.
pub async fn kommune(st: &AppState, versions: &Versions, user: &CurrentUser, org: &organisation::Model) -> Result<KommuneStart, AppError> {
    let scope = crate::access::scope::Scope::of(Some(user));
    let db = &st.db;
    let items = crate::register::service::list_all(db, versions, &scope, &org.key).await?;
    let today = crate::core::time::now().with_timezone(&chrono_tz::Europe::Berlin).format("%Y-%m-%d").to_string();
    let own: Vec<_> = items.iter().filter(|i| i.responsibility == Responsibility::Own).collect();
    let online_own = own.iter().filter(|i| i.stage == Stage::Online).count();
    let compliant_own = own.iter().filter(|i| i.maturity_model == Some(MaturityModel::V1_1) && i.maturity_level.is_some_and(|l| l >= 3)).count();
    let stale = items.iter().filter(|i| i.is_stale(&today)).count();
    let overdue = items.iter().filter(|i| i.is_overdue(&today)).count();
    let in_catalogue: std::collections::HashSet<String> = items.iter().map(|i| i.ozg_id.clone()).collect();
    let progress = crate::register::service::progress::for_org(db, versions, &org.id, &in_catalogue, 12).await?;

    // Counted as the inbox behind each link counts (and keeps) them: the same for every clerk of
    // the Kommune, and holding while notes and answers leave the cases' status as it was.
    let now = crate::core::time::now();
    let of_status = |status: &str| crate::cases::model::CaseFilter { status: Some(status.into()), municipality: Some(org.key.clone()), ..Default::default() };
    let waiting = crate::cases::service::inbox::total(db, &scope, user, &of_status("waiting"), now).await?;
    let solved = crate::cases::service::inbox::total(db, &scope, user, &of_status("solved"), now).await?;
    let case_ids = support_case::Entity::find().select_only().column(support_case::Column::Id).filter(support_case::Column::OrganisationId.eq(org.id.clone()));
    let unread = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user.id.clone()))
        .filter(notification::Column::ReadAt.is_null())
        .filter(notification::Column::CaseId.in_subquery(sea_orm::QueryTrait::into_query(case_ids)))
        .count(db)
        .await?;
    let new_replies = new_replies(db, versions, user, &org.id).await?;
    let since = crate::core::time::now() - chrono::Duration::days(NEW_ANNOTATION_DAYS);
    let annotations = service_annotation::Entity::find()
        .filter(service_annotation::Column::OrganisationId.eq(org.id.clone()))
        .filter(service_annotation::Column::CreatedAt.gte(since))
        .order_by_desc(service_annotation::Column::CreatedAt)
        .limit(5)
        .all(db)
        .await?;
    let broken_links = crate::register::service::links::broken_of_kommune(db, &org.id).await?.len();
    let names: std::collections::HashMap<&str, &str> = items.iter().map(|i| (i.ozg_id.as_str(), i.name.as_str())).collect();
    let key = &org.key;
    let needs = vec![
        Need { label: "Fälle, die auf Ihre Antwort warten".into(), count: waiting, href: format!("/faelle?status=waiting&kommune={key}") },
        Need { label: "Gelöste Fälle, die Sie bestätigen können".into(), count: solved, href: format!("/faelle?status=solved&kommune={key}") },
        Need { label: "Ungelesene Benachrichtigungen zu Fällen".into(), count: unread, href: "/benachrichtigungen".into() },
        Need { label: "Leistungen seit 90 Tagen unverändert".into(), count: stale as u64, href: format!("/kommunen/{key}/leistungen?pflege=veraltet") },
        Need { label: "Leistungen mit überschrittenem geplanten Start".into(), count: overdue as u64, href: format!("/kommunen/{key}/leistungen?pflege=ueberfaellig") },
        Need { label: "Online-Adressen, die nicht erreichbar sind".into(), count: broken_links as u64, href: "/kommunen/links".into() },
    ];
    let notes = annotations
        .into_iter()
        .map(|a| Note {
            href: format!("/kommunen/{key}/leistungen/{}", a.ozg_id),
            service: names.get(a.ozg_id.as_str()).map(|n| n.to_string()).unwrap_or_else(|| a.ozg_id.clone()),
            body: a.body.chars().take(200).collect(),
            date: a.created_at.with_timezone(&chrono_tz::Europe::Berlin).format("%d.%m.%Y").to_string(),
        })
        .collect();

    let mut comparison = vec![Comparison {
        name: org.name.clone(),
        online_share: share(Some(online_own as i64), Some(own.len() as i64)),
        compliant_share: share(Some(compliant_own as i64), Some(own.len() as i64)),
    }];
    // A kreisfreie Stadt is its own Kreis: compared with the Land only.
    let kreis = org.kreis_key.clone().filter(|_| org.kind != crate::identity::OrgKind::KreisfreieStadt.code());
    for area in kreis.into_iter().chain(std::iter::once(crate::start::model::LAND_AREA.to_string())) {
        if let Some((online, responsible, r3, name)) = area_shares(st, versions, &area).await?.as_ref().clone() {
            comparison.push(Comparison { name, online_share: share(online, responsible), compliant_share: share(r3, responsible) });
        }
    }
    Ok(KommuneStart {
        key: org.key.clone(),
        name: org.name.clone(),
        catalogue: items.len(),
        online: items.iter().filter(|i| i.stage == Stage::Online).count(),
        compliant: items.iter().filter(|i| i.maturity_model == Some(MaturityModel::V1_1) && i.maturity_level.is_some_and(|l| l >= 3)).count(),
        focus: items.iter().filter(|i| i.focus).count(),
        focus_online: items.iter().filter(|i| i.focus && i.stage == Stage::Online).count(),
        progress,
        needs,
        notes,
        new_replies,
        comparison,
        usage: crate::usage::service::own::start(db, org, st.config.suppression_threshold).await?,
    })
}

/// The cases of a Kommune with an answer of the Land newer than the person's last look at the
/// case (answers of the last 60 days), newest first, at most five.
async fn new_replies(db: &impl sea_orm::ConnectionTrait, versions: &Versions, user: &CurrentUser, org_id: &str) -> Result<Vec<NewReply>, AppError> {
    use crate::core::entities::case_read;
    let since = crate::core::time::now() - chrono::Duration::days(60);
    // The newest answers of the Land in the Kommune's cases are the same for each of its clerks
    // and change only with the cases (an answer is written with its case): kept under the cases
    // counter.
    let answers = ANSWERS.get_or(org_id.to_string(), versions.stamp(Depends::CasesPeopleAndReference), || land_answers(db, org_id, since)).await?;
    // One row per case (its newest answer); kept since an earlier day, so cut at today's.
    let mut latest: Vec<(i64, chrono::DateTime<chrono::Utc>)> = answers.iter().filter(|(_, at)| *at >= since).copied().collect();
    let read: std::collections::HashMap<i64, chrono::DateTime<chrono::Utc>> = case_read::Entity::find()
        .filter(case_read::Column::UserId.eq(user.id.clone()))
        .filter(case_read::Column::CaseId.is_in(latest.iter().map(|(id, _)| *id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.case_id, r.read_at))
        .collect();
    latest.retain(|(id, at)| read.get(id).is_none_or(|r| r < at));
    latest.truncate(5);
    let subjects: std::collections::HashMap<i64, String> = support_case::Entity::find()
        .select_only()
        .column(support_case::Column::Id)
        .column(support_case::Column::Subject)
        .filter(support_case::Column::Id.is_in(latest.iter().map(|(id, _)| *id)))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(latest
        .into_iter()
        .filter_map(|(id, at)| Some(NewReply { case_id: id, subject: subjects.get(&id)?.clone(), at: crate::core::time::format_berlin(at) }))
        .collect())
}
