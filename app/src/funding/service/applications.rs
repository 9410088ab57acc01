//! Applications of the Kommunen: filed by a clerk for their Kommune within the programme's
//! period, with a cost plan whose total and the requested amount are checked against the
//! funding rate and the maximum; read by the Kommune and the Land, never by associations.

use super::{exec, opt, rows};
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::funding::model::{ApplicationForm, ApplicationItem, ApplicationView, FundingPage, FundingStep};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::collections::BTreeMap;

/// At most this many positions in a cost plan, and OZG-Leistungen per application.
pub const MAX_POSITIONS: usize = 50;

/// A cost plan from its text: one position per line, `Bezeichnung; Betrag`.
pub fn parse_plan(text: &str) -> Result<Vec<(String, i64)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let Some((what, amount)) = line.rsplit_once(';') else {
            return Err(format!("Position {}: bitte »Bezeichnung; Betrag« angeben.", i + 1));
        };
        let what = what.trim();
        if what.is_empty() || what.chars().count() > 200 {
            return Err(format!("Position {}: die Bezeichnung fehlt oder ist länger als 200 Zeichen.", i + 1));
        }
        let Some(cents) = crate::ui::format::parse_euro(amount).filter(|c| *c > 0) else {
            return Err(format!("Position {}: »{}« ist kein Euro-Betrag größer null.", i + 1, amount.trim()));
        };
        out.push((what.to_string(), cents));
    }
    if out.is_empty() {
        return Err("Bitte geben Sie mindestens eine Position des Kostenplans an.".into());
    }
    if out.len() > MAX_POSITIONS {
        return Err(format!("Der Kostenplan hat höchstens {MAX_POSITIONS} Positionen."));
    }
    Ok(out)
}

/// The cost plan as stored.
fn plan_text(plan: &[(String, i64)]) -> String {
    plan.iter().map(|(w, c)| format!("{w}; {}", crate::ui::format::euro(*c).trim_end_matches(" €"))).collect::<Vec<_>>().join("\n")
}

/// The most a project may get: the rate of its eligible costs, at most the maximum.
pub fn fundable(total_cents: i64, rate_percent: i32, max_cents: i64) -> i64 {
    (total_cents * rate_percent as i64 / 100).min(max_cents)
}

/// An application as submitted.
#[derive(Debug, Clone, Default)]
pub struct ApplicationInput {
    pub kommune: String,
    pub title: String,
    pub description: String,
    pub cost_plan: String,
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
    if let Some(r) = rows(db, "SELECT id, created_by FROM funding_application WHERE idempotency_key = ?", vec![key.clone().into()]).await?.first() {
        if opt(r, "created_by")?.as_deref() == Some(user.id.as_str()) {
            return Ok(r.try_get("", "id")?);
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
    let plan = parse_plan(&input.cost_plan).map_err(|m| err("cost_plan", m)).ok();
    let total: i64 = plan.as_ref().map(|p| p.iter().map(|(_, c)| c).sum()).unwrap_or(0);
    let requested = crate::ui::format::parse_euro(&input.requested).filter(|r| *r > 0);
    match requested {
        None => err("requested", "Die beantragte Summe ist ein Euro-Betrag größer null.".into()),
        Some(r) if plan.is_some() && r > fundable(total, programme.rate_percent, programme.max_cents) => err(
            "requested",
            format!(
                "Höchstens {} sind möglich: {} % der Kosten von {}, höchstens {} je Vorhaben.",
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
    for o in &ozg {
        if rows(db, "SELECT ozg_id FROM ozg_service WHERE ozg_id = ?", vec![o.clone().into()]).await?.is_empty() {
            err("ozg_ids", format!("Die OZG-ID »{o}« ist nicht im Katalog."));
        }
    }
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(db).await?;
    let r = rows(
        &txn,
        "INSERT INTO funding_application (programme_id, organisation_id, kreis_key, title, description, cost_plan, total_cents, requested_cents, disbursed_cents, status, idempotency_key, version, demo, created_by, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 'eingegangen', ?, 1, ?, ?, ?, ?) RETURNING id",
        vec![
            programme_id.into(),
            org.id.clone().into(),
            org.kreis_key.clone().unwrap_or_else(|| org.key.clone()).into(),
            title.clone().into(),
            description.into(),
            plan_text(plan.as_deref().unwrap_or_default()).into(),
            total.into(),
            requested.unwrap_or_default().into(),
            key.into(),
            user.is_demo.into(),
            user.id.clone().into(),
            now.into(),
            now.into(),
        ],
    )
    .await?;
    let id: i64 = r.first().ok_or(AppError::Internal)?.try_get_by_index(0)?;
    for o in &ozg {
        exec(&txn, "INSERT INTO funding_application_ozg (application_id, ozg_id) VALUES (?, ?)", vec![id.into(), o.clone().into()]).await?;
    }
    exec(&txn, "INSERT INTO funding_step (application_id, action, status, amount_cents, at, user_id) VALUES (?, 'stellen', 'eingegangen', ?, ?, ?)", vec![id.into(), requested.into(), now.into(), user.id.clone().into()]).await?;
    audit::record(&txn, Entry { actor: Some(&user.id), action: "funding_applied", object: Some(&id.to_string()), detail: Some(format!("{} – {title}", org.name)), ..Default::default() }).await?;
    txn.commit().await?;
    Ok(id)
}

const LIST: &str = "SELECT a.id, a.title, a.status, a.requested_cents, a.approved_cents, a.created_at, o.name AS kommune, p.name AS programme \
     FROM funding_application a JOIN organisation o ON o.id = a.organisation_id JOIN funding_programme p ON p.id = a.programme_id";

fn item(r: &sea_orm::QueryResult) -> Result<ApplicationItem, AppError> {
    Ok(ApplicationItem {
        id: r.try_get("", "id")?,
        title: r.try_get("", "title")?,
        kommune: r.try_get("", "kommune")?,
        programme: r.try_get("", "programme")?,
        status: r.try_get("", "status")?,
        requested_cents: r.try_get("", "requested_cents")?,
        approved_cents: r.try_get("", "approved_cents")?,
        received: crate::core::time::berlin_date(r.try_get("", "created_at")?),
    })
}

/// The programmes and the applications the caller may see (the Land all, optionally by status;
/// a clerk their Kommunen's).
#[tracing::instrument(skip_all)]
pub async fn page(db: &impl ConnectionTrait, scope: &Scope, status: &str) -> Result<FundingPage, AppError> {
    let programmes = super::programmes::list(db, scope).await?;
    let mut sql = String::from(LIST);
    let mut values: Vec<sea_orm::Value> = Vec::new();
    let sees = match scope {
        Scope::Land | Scope::Admin => {
            sql.push_str(" WHERE 1 = 1");
            true
        }
        Scope::Municipal { org_ids } if !org_ids.is_empty() => {
            sql.push_str(&format!(" WHERE a.organisation_id IN ({})", vec!["?"; org_ids.len()].join(", ")));
            values.extend(org_ids.iter().map(|o| sea_orm::Value::from(o.clone())));
            true
        }
        _ => false,
    };
    let applications = if sees {
        if crate::funding::model::STATUSES.iter().any(|(s, _)| *s == status) {
            sql.push_str(" AND a.status = ?");
            values.push(status.into());
        }
        sql.push_str(" ORDER BY a.created_at DESC LIMIT 2000");
        rows(db, &sql, values).await?.iter().map(item).collect::<Result<_, _>>()?
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

/// One application with its steps and the caller's possible actions.
#[tracing::instrument(skip_all, fields(id = id))]
pub async fn view(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<ApplicationView, AppError> {
    let org = super::workflow::readable(db, scope, id).await?;
    let list = rows(db, &format!("{LIST} WHERE a.id = ?"), vec![id.into()]).await?;
    let item = item(list.first().ok_or(AppError::NotFound)?)?;
    let more = rows(db, "SELECT programme_id, description, cost_plan, total_cents, disbursed_cents, reason, report, version FROM funding_application WHERE id = ?", vec![id.into()]).await?;
    let m = more.first().ok_or(AppError::NotFound)?;
    let cost_plan = parse_plan(&m.try_get::<String>("", "cost_plan")?).unwrap_or_default();
    let leistungen = rows(db, "SELECT s.ozg_id, s.name FROM funding_application_ozg f JOIN ozg_service s ON s.ozg_id = f.ozg_id WHERE f.application_id = ? ORDER BY s.ozg_id", vec![id.into()])
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "ozg_id")?, r.try_get("", "name")?)))
        .collect::<Result<Vec<_>, AppError>>()?;
    let steps = rows(db, "SELECT s.action, s.status, s.amount_cents, s.note, s.at, u.name AS who FROM funding_step s LEFT JOIN app_user u ON u.id = s.user_id WHERE s.application_id = ? ORDER BY s.id", vec![id.into()])
        .await?
        .iter()
        .map(|r| {
            Ok(FundingStep {
                action: r.try_get("", "action")?,
                status: r.try_get("", "status")?,
                amount_cents: r.try_get("", "amount_cents")?,
                note: opt(r, "note")?,
                at: crate::core::time::format_berlin(r.try_get("", "at")?),
                by: opt(r, "who")?.unwrap_or_else(|| "–".into()),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let actions = super::workflow::allowed(&item.status, crate::access::policy::is_advisor(scope), scope.may_act_for(&org)).into_iter().map(str::to_string).collect();
    Ok(ApplicationView {
        item,
        programme_id: m.try_get("", "programme_id")?,
        description: m.try_get("", "description")?,
        cost_plan,
        total_cents: m.try_get("", "total_cents")?,
        disbursed_cents: m.try_get("", "disbursed_cents")?,
        reason: opt(m, "reason")?,
        report: opt(m, "report")?,
        leistungen,
        steps,
        actions,
        version: m.try_get("", "version")?,
    })
}

/// The applications a person filed and the steps they took, for the Auskunft (Art. 15 DSGVO):
/// (application, title, status, filed at) and (application, action, at).
pub async fn of_person(db: &impl ConnectionTrait, user_id: &str) -> Result<(Vec<(i64, String, String, chrono::DateTime<chrono::Utc>)>, Vec<(i64, String, chrono::DateTime<chrono::Utc>)>), AppError> {
    let filed = rows(db, "SELECT id, title, status, created_at FROM funding_application WHERE created_by = ? ORDER BY id", vec![user_id.into()])
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "title")?, r.try_get("", "status")?, r.try_get("", "created_at")?)))
        .collect::<Result<Vec<_>, AppError>>()?;
    let steps = rows(db, "SELECT application_id, action, at FROM funding_step WHERE user_id = ? ORDER BY id", vec![user_id.into()])
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "application_id")?, r.try_get("", "action")?, r.try_get("", "at")?)))
        .collect::<Result<Vec<_>, AppError>>()?;
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
    let sql = format!("SELECT key, name FROM organisation WHERE id IN ({}) AND kind <> 'mitgliedsgemeinde' ORDER BY name", vec!["?"; org_ids.len().max(1)].join(", "));
    let mut values: Vec<sea_orm::Value> = org_ids.iter().map(|o| sea_orm::Value::from(o.clone())).collect();
    if values.is_empty() {
        values.push("".into());
    }
    let kommunen = rows(db, &sql, values).await?.iter().map(|r| Ok((r.try_get("", "key")?, r.try_get("", "name")?))).collect::<Result<Vec<_>, AppError>>()?;
    Ok(ApplicationForm { programme, kommunen, idempotency_key: uuid::Uuid::new_v4().simple().to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fundable_amount_is_the_rate_capped_by_the_maximum() {
        assert_eq!(fundable(100_000_00, 80, 50_000_00), 50_000_00);
        assert_eq!(fundable(10_000_00, 90, 50_000_00), 9_000_00);
    }

    #[test]
    fn a_cost_plan_is_read_line_by_line_and_stored_the_same() {
        let plan = parse_plan("Software; 8.000,00\n\nSchulung;2000").expect("plan");
        assert_eq!(plan, vec![("Software".to_string(), 800_000), ("Schulung".to_string(), 200_000)]);
        assert_eq!(parse_plan(&plan_text(&plan)).expect("again"), plan);
        assert!(parse_plan("Software").is_err());
        assert!(parse_plan("").is_err());
    }
}
