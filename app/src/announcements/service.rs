//! Publishing announcements: the selection is resolved to Kommunen when published (so a later
//! change of the register does not change who got it), the clerks of those Kommunen are notified
//! (in the portal, by mail per their preferences), and each reader marks it read.

use crate::announcements::model::Target;
use crate::identity::OrgKind;
use crate::core::audit::{self, Entry};
use crate::core::config::Config;
use crate::core::entities::{announcement, announcement_read, announcement_target, organisation, service_record, user_organisation};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::announcements::model::*;
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use sea_orm::sea_query::Query;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};

/// What an advisor enters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnouncementInput {
    pub title: String,
    pub body: String,
    /// `None`: the form named no selection the portal knows.
    pub target: Option<Target>,
    /// Kreis keys, kinds, an association's key (SGSA, LKT) or an OZG-ID, comma-separated.
    pub value: Vec<String>,
    /// `JJJJ-MM-TT`: shown until the end of that day.
    pub expires: String,
}


fn day(t: DateTime<Utc>) -> String {
    t.with_timezone(&Berlin).format("%d.%m.%Y").to_string()
}

/// The Kommunen a selection reaches, and the selection in words (every room that addresses a
/// selection of Kommunen resolves it here).
/// The kinds of Kommune an association (by its key) speaks for: the Landkreistag for the
/// Landkreise, the Städte- und Gemeindebund for every other Kommune.
pub fn member_kinds(association: &str) -> Option<Vec<OrgKind>> {
    crate::identity::Membership::of_association(association).map(crate::identity::Membership::kinds)
}

pub async fn resolve(db: &impl ConnectionTrait, target: Option<Target>, value: &[String]) -> Result<(Vec<String>, String), AppError> {
    let kommunen = organisation::Entity::find().filter(organisation::Column::Kind.is_in(OrgKind::KOMMUNEN.map(OrgKind::code))).filter(organisation::Column::Active.eq(true));
    let ids = |rows: Vec<organisation::Model>| rows.into_iter().map(|o| o.id).collect::<Vec<_>>();
    let empty = || AppError::field("value", "Bitte wählen Sie aus, wen die Mitteilung erreichen soll.");
    let Some(target) = target else {
        return Err(AppError::field("target", "Bitte wählen Sie, wen die Mitteilung erreichen soll."));
    };
    Ok(match target {
        Target::All => (ids(kommunen.all(db).await?), "alle Kommunen".into()),
        Target::Kreise => {
            if value.is_empty() {
                return Err(empty());
            }
            let names: Vec<String> = organisation::Entity::find().filter(organisation::Column::Key.is_in(value.to_vec())).filter(organisation::Column::Kind.eq(OrgKind::Landkreis.code())).all(db).await?.into_iter().map(|o| o.name).collect();
            if names.len() != value.len() {
                return Err(AppError::field("value", "Bitte wählen Sie nur Landkreise aus der Liste."));
            }
            let rows = kommunen.filter(organisation::Column::KreisKey.is_in(value.to_vec())).all(db).await?;
            (ids(rows), format!("Kommunen in: {}", names.join(", ")))
        }
        Target::Kinds => {
            let kinds: Vec<OrgKind> = value.iter().filter_map(|v| OrgKind::from_code(v).filter(|k| k.is_kommune())).collect();
            if value.is_empty() || kinds.len() != value.len() {
                return Err(empty());
            }
            let labels: Vec<&str> = OrgKind::KOMMUNEN.into_iter().filter(|k| kinds.contains(k)).map(OrgKind::plural).collect();
            (ids(kommunen.filter(organisation::Column::Kind.is_in(value.to_vec())).all(db).await?), labels.join(", "))
        }
        Target::Association => match value.first().and_then(|k| member_kinds(k).map(|kinds| (k, kinds))) {
            Some((key, kinds)) => (
                ids(kommunen.filter(organisation::Column::Kind.is_in(kinds.iter().map(|k| k.code()))).all(db).await?),
                if key == crate::catalogue::service::orgs::LKT { "Mitglieder des Landkreistags" } else { "Mitglieder des Städte- und Gemeindebunds" }.into(),
            ),
            None => return Err(AppError::field("value", "Bitte wählen Sie den Städte- und Gemeindebund oder den Landkreistag.")),
        },
        Target::ServiceNotOnline => {
            let Some(ozg) = value.first() else { return Err(empty()) };
            let name = crate::core::entities::ozg_service::Entity::find_by_id(ozg.clone()).one(db).await?.map(|s| s.name).ok_or_else(|| AppError::field("value", format!("Die OZG-ID {ozg} steht nicht im Katalog.")))?;
            let online = Query::select()
                .column(service_record::Column::OrganisationId)
                .from(service_record::Entity)
                .and_where(service_record::Column::OzgId.eq(ozg.clone()))
                .and_where(service_record::Column::Stage.eq(crate::register::model::Stage::Online.code()))
                .to_owned();
            let rows = kommunen.filter(organisation::Column::Id.not_in_subquery(online)).all(db).await?;
            (ids(rows), format!("Kommunen, bei denen »{name}« ({ozg}) noch nicht online ist"))
        }
    })
}

/// Publishes an announcement; returns its id and the number of Kommunen it reaches.
#[tracing::instrument(skip_all)]
pub async fn publish(db: &DatabaseConnection, config: &Config, actor: &str, i: AnnouncementInput, now: DateTime<Utc>) -> Result<(i64, usize), AppError> {
    let title = i.title.trim().to_string();
    let body = i.body.replace("\r\n", "\n");
    let mut errors = std::collections::BTreeMap::<String, Vec<String>>::new();
    if !(3..=200).contains(&title.chars().count()) {
        errors.entry("title".into()).or_default().push("Der Titel muss 3 bis 200 Zeichen lang sein.".into());
    }
    if body.trim().is_empty() || body.chars().count() > 10_000 {
        errors.entry("body".into()).or_default().push("Bitte geben Sie den Text ein (höchstens 10.000 Zeichen).".into());
    }
    let expires = crate::core::time::parse_day(&i.expires)
        .and_then(|d| d.succ_opt())
        .and_then(|d| Berlin.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).earliest())
        .map(|t| t.with_timezone(&Utc));
    match expires {
        None => errors.entry("expires".into()).or_default().push("Bitte geben Sie an, bis wann die Mitteilung angezeigt wird.".into()),
        Some(e) if e <= now || e > now + chrono::Duration::days(366) => {
            errors.entry("expires".into()).or_default().push("Das Ende der Anzeige liegt zwischen heute und einem Jahr.".into())
        }
        _ => {}
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (targets, label) = resolve(db, i.target, &i.value).await?;
    if targets.is_empty() {
        return Err(AppError::field("value", "Diese Auswahl erreicht keine Kommune."));
    }
    let txn = crate::core::db::begin_write(db).await?;
    let row = announcement::ActiveModel {
        title: Set(title.clone()),
        body: Set(body),
        target_kind: Set(i.target.map(Target::code).unwrap_or_default().to_string()),
        target_value: Set(i.value.join(",")),
        target_label: Set(label.chars().take(500).collect()),
        created_by: Set(Some(actor.to_string())),
        published_at: Set(now),
        expires_at: Set(expires.unwrap_or(now)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for chunk in targets.chunks(500) {
        let rows = chunk.iter().map(|o| announcement_target::ActiveModel { announcement_id: Set(row.id), organisation_id: Set(o.clone()) });
        announcement_target::Entity::insert_many(rows).exec(&txn).await?;
    }
    let clerks: Vec<String> = user_organisation::Entity::find()
        .select_only()
        .column(user_organisation::Column::UserId)
        .filter(user_organisation::Column::OrganisationId.is_in(targets.clone()))
        .distinct()
        .into_tuple()
        .all(&txn)
        .await?;
    let text = format!("Mitteilung der Landesberatung: {}", crate::ui::format::quoted(&title));
    crate::core::notify::notify(&txn, config, &clerks, Some(actor), None, Some("/"), crate::vocabulary::notify::NotificationKind::Announcement, &text, now).await?;
    let object = row.id.to_string();
    audit::record(&txn, Entry { actor: Some(actor), action: crate::vocabulary::audit::AuditAction::AnnouncementPublished, object: Some(&object), detail: Some(crate::ui::format::count_of(targets.len(), "Kommune", "Kommunen")), ..Default::default() }).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    Ok((row.id, targets.len()))
}

/// The unread, current announcements for a clerk's Kommunen, newest first.
pub async fn for_reader(db: &impl ConnectionTrait, user: &CurrentUser, now: DateTime<Utc>) -> Result<Vec<AnnouncementItem>, AppError> {
    let orgs: Vec<String> = user.organisations.iter().map(|o| o.id.clone()).collect();
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let targeted = Query::select().column(announcement_target::Column::AnnouncementId).from(announcement_target::Entity).and_where(announcement_target::Column::OrganisationId.is_in(orgs)).to_owned();
    let read = Query::select().column(announcement_read::Column::AnnouncementId).from(announcement_read::Entity).and_where(announcement_read::Column::UserId.eq(user.id.clone())).to_owned();
    let rows = announcement::Entity::find()
        .filter(announcement::Column::Id.in_subquery(targeted))
        .filter(announcement::Column::Id.not_in_subquery(read))
        .filter(announcement::Column::ExpiresAt.gt(now))
        .order_by_desc(announcement::Column::PublishedAt)
        .limit(20)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|a| AnnouncementItem { id: a.id, title: a.title, body: crate::core::markdown::parse(&a.body), published: day(a.published_at), expires: day(a.expires_at - chrono::Duration::seconds(1)) })
        .collect())
}

/// Marks an announcement read for the caller (only one addressed to one of their Kommunen).
pub async fn mark_read(db: &DatabaseConnection, user: &CurrentUser, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    let orgs: Vec<String> = user.organisations.iter().map(|o| o.id.clone()).collect();
    let addressed = announcement_target::Entity::find().filter(announcement_target::Column::AnnouncementId.eq(id)).filter(announcement_target::Column::OrganisationId.is_in(orgs)).count(db).await? > 0;
    if !addressed {
        return Err(AppError::NotFound);
    }
    let row = announcement_read::ActiveModel { announcement_id: Set(id), user_id: Set(user.id.clone()), read_at: Set(now) };
    announcement_read::Entity::insert(row)
        .on_conflict(sea_orm::sea_query::OnConflict::columns([announcement_read::Column::UserId, announcement_read::Column::AnnouncementId]).do_nothing().to_owned())
        .try_insert()
        .exec(db)
        .await?;
    Ok(())
}

/// The advisors' page: every announcement of the last year with its reach.
pub async fn desk(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<AnnouncementDesk, AppError> {
    let rows = announcement::Entity::find().filter(announcement::Column::PublishedAt.gte(now - chrono::Duration::days(365))).order_by_desc(announcement::Column::PublishedAt).limit(200).all(db).await?;
    let mut lines = Vec::with_capacity(rows.len());
    for a in rows {
        let kommunen = announcement_target::Entity::find().filter(announcement_target::Column::AnnouncementId.eq(a.id)).count(db).await?;
        let read_by = announcement_read::Entity::find().filter(announcement_read::Column::AnnouncementId.eq(a.id)).count(db).await?;
        lines.push(AnnouncementLine {
            id: a.id,
            title: a.title,
            target: a.target_label,
            published: day(a.published_at),
            expires: day(a.expires_at - chrono::Duration::seconds(1)),
            kommunen,
            read_by,
            expired: a.expires_at <= now,
        });
    }
    let kreise = organisation::Entity::find().filter(organisation::Column::Kind.eq("landkreis")).order_by_asc(organisation::Column::Name).all(db).await?.into_iter().map(|o| (o.key, o.name)).collect();
    let default_expiry = (now + chrono::Duration::days(28)).with_timezone(&Berlin).format("%Y-%m-%d").to_string();
    Ok(AnnouncementDesk { lines, kreise, default_expiry, preview: None })
}
