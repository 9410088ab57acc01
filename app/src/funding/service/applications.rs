//! Applications of the Kommunen: filed by a clerk for their Kommune within the programme's
//! period, with a cost plan whose total and the requested amount are checked against the
//! funding rate and the maximum; read by the Kommune and the Land, never by associations.

use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::entities::{app_user, funding_application as fa, funding_application_ozg as fao, funding_cost_item as fci, funding_programme as fp, funding_step, organisation, ozg_service};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::funding::model::Cents;
use crate::funding::model::{Action, ApplicationForm, ApplicationItem, ApplicationView, CostPosition, FundingPage, FundingStep, Status};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set};
use std::collections::BTreeMap;

/// At most this many positions in a cost plan, and OZG-Leistungen per application.
pub const MAX_POSITIONS: usize = 50;

/// A cost plan from its text: one position per line, `Bezeichnung; Betrag`.
pub fn parse_plan(text: &str) -> Result<Vec<CostPosition>, String> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let Some((what, amount)) = line.rsplit_once(';') else {
            return Err(format!("Position {}: bitte »Bezeichnung; Betrag« angeben.", i + 1));
        };
        rows.push((what.to_string(), amount.to_string()));
    }
    parse_rows(&rows)
}

/// The cost plan from the form's rows (Bezeichnung, Betrag), numbered as the form numbers them;
/// rows left empty are skipped.
pub fn parse_rows(rows: &[(String, String)]) -> Result<Vec<CostPosition>, String> {
    let mut out = Vec::new();
    for (i, (what, amount)) in rows.iter().enumerate() {
        let (what, amount) = (what.trim(), amount.trim());
        if what.is_empty() && amount.is_empty() {
            continue;
        }
        if what.is_empty() || what.chars().count() > 200 {
            return Err(format!("Position {}: die Bezeichnung fehlt oder ist länger als 200 Zeichen.", i + 1));
        }
        let Some(cents) = crate::ui::format::parse_euro(amount).filter(|c| *c > 0) else {
            return Err(if amount.is_empty() {
                format!("Position {}: der Betrag fehlt.", i + 1)
            } else {
                format!("Position {}: »{amount}« ist kein Euro-Betrag größer null.", i + 1)
            });
        };
        out.push(CostPosition { what: what.to_string(), cents: Cents(cents) });
    }
    if out.is_empty() {
        return Err("Bitte geben Sie mindestens eine Position des Kostenplans an.".into());
    }
    if out.len() > MAX_POSITIONS {
        return Err(format!("Der Kostenplan hat höchstens {MAX_POSITIONS} Positionen."));
    }
    Ok(out)
}

/// The most a project may get: the rate of its eligible costs, at most the maximum.
pub fn fundable(total: Cents, rate_percent: i32, max: Cents) -> Cents {
    Cents((total.0 * i64::from(rate_percent) / 100).min(max.0))
}

/// An application as submitted.
#[derive(Debug, Clone, Default)]
pub struct ApplicationInput {
    pub kommune: String,
    pub title: String,
    pub description: String,
    pub cost_plan: String,
    /// The cost plan as the form's rows (Bezeichnung, Betrag); when any is filled, `cost_plan` is not read.
    pub cost_rows: Vec<(String, String)>,
    pub requested: String,
    pub ozg_ids: Vec<String>,
    pub idempotency_key: String,
}

/// Files an application (a clerk for their Kommune). A repeated submit with the same key
/// returns the first application.
#[tracing::instrument(skip_all, fields(programme = programme_id))]
pub async fn create(db: &DatabaseConnection, scope: &Scope, user: &CurrentUser, programme_id: i64, input: &ApplicationInput) -> Result<i64, AppError> {
    crate::access::policy::require_filer(scope)?;
    let key: String = input.idempotency_key.trim().chars().take(64).collect();
    if key.len() < 16 {
        return Err(AppError::field("idempotency_key", "Das Formular ist unvollständig; bitte laden Sie es neu."));
    }
    let earlier: Option<(i64, Option<String>)> =
        fa::Entity::find().select_only().columns([fa::Column::Id, fa::Column::CreatedBy]).filter(fa::Column::IdempotencyKey.eq(key.clone())).into_tuple().one(db).await?;
    if let Some((id, by)) = earlier {
        if by.as_deref() == Some(user.id.as_str()) {
            return Ok(id);
        }
        return Err(AppError::field("idempotency_key", "Das Formular ist abgelaufen; bitte laden Sie es neu."));
    }
    let programme = super::programmes::get(db, programme_id).await?;
    let org = crate::register::service::kommune(db, input.kommune.trim()).await.map_err(|_| AppError::field("kommune", "Bitte wählen Sie Ihre Kommune."))?;
    if !scope.may_act_for(&org.id) {
        return Err(AppError::Forbidden);
    }
    let mut e: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut err = |f: &str, m: String| e.entry(f.to_string()).or_default().push(m);
    if !programme.open_now {
        err("programm", format!("Für »{}« werden zurzeit keine Anträge angenommen (Antragsfrist {} bis {}).", programme.name, crate::ui::format::format_date(&programme.opens_on), crate::ui::format::format_date(&programme.closes_on)));
    }
    let title = input.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.chars().count() < 3 || title.chars().count() > 200 {
        err("title", "Bitte geben Sie dem Vorhaben einen Titel (3 bis 200 Zeichen).".into());
    }
    let description = input.description.trim().to_string();
    if description.chars().count() < 10 || description.chars().count() > 20_000 {
        err("description", "Bitte beschreiben Sie das Vorhaben (10 bis 20.000 Zeichen).".into());
    }
    let rows_given = input.cost_rows.iter().any(|(w, a)| !w.trim().is_empty() || !a.trim().is_empty());
    let plan = if rows_given { parse_rows(&input.cost_rows) } else { parse_plan(&input.cost_plan) }.map_err(|m| err("cost_plan", m)).ok();
    let total: Cents = plan.as_ref().map(|p| p.iter().map(|c| c.cents).sum()).unwrap_or_default();
    let requested = crate::ui::format::parse_euro(&input.requested).filter(|r| *r > 0);
    match requested {
        None => err("requested", "Die beantragte Summe ist ein Euro-Betrag größer null.".into()),
        Some(r) if plan.is_some() && r > fundable(total, programme.rate_percent, programme.max_cents).0 => err(
            "requested",
            format!(
                "Höchstens {} sind möglich: {}\u{a0}% der Kosten von {}, höchstens {} je Vorhaben.",
                crate::ui::format::euro(fundable(total, programme.rate_percent, programme.max_cents)),
                programme.rate_percent,
                crate::ui::format::euro(total),
                crate::ui::format::euro(programme.max_cents)
            ),
        ),
        _ => {}
    }
    let mut ozg: Vec<String> = input.ozg_ids.iter().flat_map(|s| s.split([',', ' ', ';'])).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
    ozg.sort();
    ozg.dedup();
    if ozg.len() > MAX_POSITIONS {
        err("ozg_ids", format!("Höchstens {MAX_POSITIONS} OZG-Leistungen."));
    }
    let known: Vec<String> = ozg_service::Entity::find().select_only().column(ozg_service::Column::OzgId).filter(ozg_service::Column::OzgId.is_in(ozg.clone())).into_tuple().all(db).await?;
    for o in ozg.iter().filter(|o| !known.contains(o)) {
        err("ozg_ids", format!("Die OZG-ID »{o}« ist nicht im Katalog."));
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(db).await?;
    let created = fa::ActiveModel {
        programme_id: Set(programme_id),
        organisation_id: Set(org.id.clone()),
        kreis_key: Set(org.kreis_key.clone().unwrap_or_else(|| org.key.clone())),
        title: Set(title.clone()),
        description: Set(description),
        total_cents: Set(total.0),
        requested_cents: Set(requested.unwrap_or_default()),
        approved_cents: Set(None),
        disbursed_cents: Set(0),
        status: Set(Status::Received),
        reason: Set(None),
        report: Set(None),
        idempotency_key: Set(key),
        version: Set(1),
        demo: Set(user.is_demo),
        created_by: Set(Some(user.id.clone())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let id = created.id;
    let positions = plan.unwrap_or_default().into_iter().enumerate().map(|(i, p)| fci::ActiveModel { application_id: Set(id), position: Set(i as i32 + 1), what: Set(p.what), cents: Set(p.cents.0) });
    fci::Entity::insert_many(positions).exec(&txn).await?;
    if !ozg.is_empty() {
        fao::Entity::insert_many(ozg.iter().map(|o| fao::ActiveModel { application_id: Set(id), ozg_id: Set(o.clone()) })).exec(&txn).await?;
    }
    funding_step::ActiveModel {
        application_id: Set(id),
        action: Set(Action::File),
        status: Set(Status::Received),
        amount_cents: Set(requested),
        note: Set(None),
        at: Set(now),
        user_id: Set(Some(user.id.clone())),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::FundingApplied, object: Some(&id.to_string()), detail: Some(format!("{} – {title}", org.name)), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(id)
}

/// An application as its lists show it.
#[derive(Debug, FromQueryResult)]
struct ItemRow {
    id: i64,
    title: String,
    status: Status,
    requested_cents: i64,
    approved_cents: Option<i64>,
    created_at: chrono::DateTime<chrono::Utc>,
    kommune: String,
    programme: String,
}

impl From<ItemRow> for ApplicationItem {
    fn from(r: ItemRow) -> Self {
        ApplicationItem {
            id: r.id,
            title: r.title,
            kommune: r.kommune,
            programme: r.programme,
            status: r.status,
            requested_cents: r.requested_cents.into(),
            approved_cents: r.approved_cents.map(Cents),
            received: crate::core::time::berlin_date(r.created_at),
        }
    }
}

/// Applications with their Kommune's and programme's names.
fn items() -> sea_orm::Select<fa::Entity> {
    fa::Entity::find()
        .select_only()
        .columns([fa::Column::Id, fa::Column::Title, fa::Column::Status, fa::Column::RequestedCents, fa::Column::ApprovedCents, fa::Column::CreatedAt])
        .column_as(organisation::Column::Name, "kommune")
        .column_as(fp::Column::Name, "programme")
        .join(JoinType::InnerJoin, fa::Relation::Organisation.def())
        .join(JoinType::InnerJoin, fa::Relation::Programme.def())
}

/// The programmes and the applications the caller may see (the Land all, optionally by status;
/// a clerk their Kommunen's).
#[tracing::instrument(skip_all)]
pub async fn page(db: &impl ConnectionTrait, scope: &Scope, status: Option<Status>) -> Result<FundingPage, AppError> {
    let programmes = super::programmes::list(db, scope).await?;
    let mut q = items();
    let sees = match scope {
        Scope::Land | Scope::Admin => true,
        Scope::Municipal { org_ids } if !org_ids.is_empty() => {
            q = q.filter(fa::Column::OrganisationId.is_in(org_ids.iter().cloned()));
            true
        }
        _ => false,
    };
    let applications = if sees {
        if let Some(s) = status {
            q = q.filter(fa::Column::Status.eq(s));
        }
        q.order_by_desc(fa::Column::CreatedAt).limit(2000).into_model::<ItemRow>().all(db).await?.into_iter().map(ApplicationItem::from).collect()
    } else {
        Vec::new()
    };
    Ok(FundingPage {
        may_apply: crate::access::policy::files_cases(scope) && programmes.iter().any(|p| p.open_now),
        may_edit_programmes: scope.is_admin(),
        sees_applications: sees,
        programmes,
        applications,
    })
}

/// A step as the application's page lists it.
#[derive(Debug, FromQueryResult)]
struct StepRow {
    action: Action,
    status: Status,
    amount_cents: Option<i64>,
    note: Option<String>,
    at: chrono::DateTime<chrono::Utc>,
    who: Option<String>,
}

/// One application with its steps and the caller's possible actions.
#[tracing::instrument(skip_all, fields(id = id))]
pub async fn view(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<ApplicationView, AppError> {
    let org = super::workflow::readable(db, scope, id).await?;
    let item: ApplicationItem = items().filter(fa::Column::Id.eq(id)).into_model::<ItemRow>().one(db).await?.ok_or(AppError::NotFound)?.into();
    let a = fa::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let cost_plan = fci::Entity::find()
        .filter(fci::Column::ApplicationId.eq(id))
        .order_by_asc(fci::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|c| CostPosition { what: c.what, cents: c.cents.into() })
        .collect();
    let leistungen: Vec<(String, String)> = fao::Entity::find()
        .select_only()
        .column(ozg_service::Column::OzgId)
        .column(ozg_service::Column::Name)
        .join(JoinType::InnerJoin, fao::Relation::Service.def())
        .filter(fao::Column::ApplicationId.eq(id))
        .order_by_asc(ozg_service::Column::OzgId)
        .into_tuple()
        .all(db)
        .await?;
    let steps = funding_step::Entity::find()
        .select_only()
        .columns([funding_step::Column::Action, funding_step::Column::Status, funding_step::Column::AmountCents, funding_step::Column::Note, funding_step::Column::At])
        .column_as(app_user::Column::Name, "who")
        .join(JoinType::LeftJoin, funding_step::Relation::User.def())
        .filter(funding_step::Column::ApplicationId.eq(id))
        .order_by_asc(funding_step::Column::Id)
        .into_model::<StepRow>()
        .all(db)
        .await?
        .into_iter()
        .map(|r| FundingStep { action: r.action, status: r.status, amount_cents: r.amount_cents.map(Cents), note: r.note, at: crate::core::time::format_berlin(r.at), by: r.who.unwrap_or_else(|| "–".into()) })
        .collect();
    let actions = Action::allowed(item.status, crate::access::policy::is_advisor(scope), scope.may_act_for(&org));
    Ok(ApplicationView {
        item,
        programme_id: a.programme_id,
        description: a.description,
        cost_plan,
        total_cents: a.total_cents.into(),
        disbursed_cents: a.disbursed_cents.into(),
        reason: a.reason,
        report: a.report,
        proof_due_on: a.proof_due_on.map(|d| d.format("%d.%m.%Y").to_string()),
        leistungen,
        steps,
        actions,
        version: a.version,
    })
}

/// The applications a person filed and the steps they took, for the Auskunft (Art. 15 DSGVO):
/// (application, title, status, filed at) and (application, step, at).
pub async fn of_person(db: &impl ConnectionTrait, user_id: &str) -> Result<(Vec<(i64, String, Status, chrono::DateTime<chrono::Utc>)>, Vec<(i64, Action, chrono::DateTime<chrono::Utc>)>), AppError> {
    let filed = fa::Entity::find()
        .select_only()
        .columns([fa::Column::Id, fa::Column::Title, fa::Column::Status, fa::Column::CreatedAt])
        .filter(fa::Column::CreatedBy.eq(user_id))
        .order_by_asc(fa::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let steps = funding_step::Entity::find()
        .select_only()
        .columns([funding_step::Column::ApplicationId, funding_step::Column::Action, funding_step::Column::At])
        .filter(funding_step::Column::UserId.eq(user_id))
        .order_by_asc(funding_step::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    Ok((filed, steps))
}

/// The form for a new application (clerks), with a fresh idempotency key.
pub async fn form(db: &impl ConnectionTrait, scope: &Scope, programme_id: i64) -> Result<ApplicationForm, AppError> {
    crate::access::policy::require_filer(scope)?;
    let programme = super::programmes::get(db, programme_id).await?;
    if !programme.active {
        return Err(AppError::NotFound);
    }
    let Scope::Municipal { org_ids } = scope else { return Err(AppError::Forbidden) };
    // A Mitgliedsgemeinde applies through its Verbandsgemeinde.
    let kommunen: Vec<(String, String)> = organisation::Entity::find()
        .select_only()
        .columns([organisation::Column::Key, organisation::Column::Name])
        .filter(organisation::Column::Id.is_in(org_ids.iter().cloned()))
        .filter(organisation::Column::Kind.ne("mitgliedsgemeinde"))
        .order_by_asc(organisation::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    Ok(ApplicationForm { programme, kommunen, idempotency_key: uuid::Uuid::new_v4().simple().to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fundable_amount_is_the_rate_capped_by_the_maximum() {
        assert_eq!(fundable(Cents(100_000_00), 80, Cents(50_000_00)), Cents(50_000_00));
        assert_eq!(fundable(Cents(10_000_00), 90, Cents(50_000_00)), Cents(9_000_00));
    }

    #[test]
    fn a_cost_plan_is_read_line_by_line() {
        let plan = parse_plan("Software; 8.000,00\n\nSchulung;2000").expect("plan");
        assert_eq!(plan, vec![CostPosition { what: "Software".into(), cents: Cents(800_000) }, CostPosition { what: "Schulung".into(), cents: Cents(200_000) }]);
        assert!(parse_plan("Software").is_err());
        assert!(parse_plan("").is_err());
    }

    #[test]
    fn the_forms_rows_keep_their_numbers() {
        let row = |w: &str, a: &str| (w.to_string(), a.to_string());
        let plan = parse_rows(&[row("Software", "8.000,00"), row("", ""), row("Schulung", "2000")]).expect("plan");
        assert_eq!(plan.len(), 2);
        assert_eq!(parse_rows(&[row("Software", "8.000,00"), row("", ""), row("Schulung", "")]), Err("Position 3: der Betrag fehlt.".to_string()));
        assert_eq!(parse_rows(&[row("", "100")]), Err("Position 1: die Bezeichnung fehlt oder ist länger als 200 Zeichen.".to_string()));
        assert!(parse_rows(&[row("", "")]).is_err(), "no position at all");
    }
}
