//! The workflow of an application, enforced here, every step audited:
//! eingegangen → (prüfen) in Prüfung → (bewilligen, with an amount) bewilligt or (ablehnen,
//! with a reason) abgelehnt; bewilligt → (abrufen, repeatedly) Mittel abgerufen →
//! (nachweisen) Verwendungsnachweis → (abschließen) abgeschlossen.
//! The programme's budget cannot be over-committed: the approval adds to the committed sum
//! only where the sum stays within the budget, in one conditional statement, so two approvals
//! at once cannot both pass (PostgreSQL re-checks the condition on the locked row; SQLite has
//! one writer).

use super::{exec, rows};
use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::funding::model::{label, ACTIONS, STATUSES};
use crate::ui::format::euro;
use sea_orm::DatabaseConnection;

/// Reads an application's Kommune and checks the caller may read it.
pub(crate) async fn readable(db: &impl sea_orm::ConnectionTrait, scope: &Scope, id: i64) -> Result<String, AppError> {
    let list = rows(db, "SELECT organisation_id FROM funding_application WHERE id = ?", vec![id.into()]).await?;
    let org: String = list.first().ok_or(AppError::NotFound)?.try_get("", "organisation_id")?;
    crate::access::policy::kommune_read(scope, &org)?;
    Ok(org)
}

/// (action, from statuses, to status, advisors only).
const MOVES: [(&str, &[&str], &str, bool); 6] = [
    ("pruefen", &["eingegangen"], "pruefung", true),
    ("bewilligen", &["pruefung"], "bewilligt", true),
    ("ablehnen", &["eingegangen", "pruefung"], "abgelehnt", true),
    ("abrufen", &["bewilligt", "abruf"], "abruf", false),
    ("nachweisen", &["abruf"], "nachweis", false),
    ("abschliessen", &["nachweis"], "abgeschlossen", true),
];

/// The actions possible from `status` for an advisor, or for a clerk of the Kommune (`own`).
pub fn allowed(status: &str, advisor: bool, own: bool) -> Vec<&'static str> {
    MOVES.iter().filter(|(_, from, _, land_only)| from.contains(&status) && (advisor || (own && !land_only))).map(|(a, ..)| *a).collect()
}

/// Takes one action. `amount` for bewilligen and abrufen, `note` the reason (ablehnen), the
/// report (nachweisen) or a remark. `version`: what the caller saw (stale: 409). `threshold`:
/// the suppression threshold, for the release of the public sums in the same transaction.
#[tracing::instrument(skip_all, fields(id = id, action = %action))]
pub async fn act(db: &DatabaseConnection, scope: &Scope, user: &CurrentUser, id: i64, action: &str, amount: &str, note: &str, version: Option<i32>, threshold: i64) -> Result<String, AppError> {
    let org = readable(db, scope, id).await?;
    let advisor = crate::access::policy::is_advisor(scope);
    let own = scope.may_act_for(&org);
    // Administrators read applications; only the Land's advisors and the Kommune act.
    if !(advisor || own) {
        return Err(AppError::Forbidden);
    }
    let Some((_, from, to, land_only)) = MOVES.iter().find(|(a, ..)| *a == action) else {
        return Err(AppError::field("aktion", "Diesen Schritt gibt es nicht."));
    };
    if *land_only && !advisor {
        return Err(AppError::Forbidden);
    }
    let list = rows(db, "SELECT programme_id, status, requested_cents, approved_cents, disbursed_cents, version FROM funding_application WHERE id = ?", vec![id.into()]).await?;
    let a = list.first().ok_or(AppError::NotFound)?;
    let status: String = a.try_get("", "status")?;
    let current_version: i32 = a.try_get("", "version")?;
    let programme: i64 = a.try_get("", "programme_id")?;
    let requested: i64 = a.try_get("", "requested_cents")?;
    let approved: Option<i64> = a.try_get("", "approved_cents")?;
    let disbursed: i64 = a.try_get("", "disbursed_cents")?;
    if version.is_some_and(|v| v != current_version) {
        return Err(AppError::Conflict("Der Antrag wurde inzwischen bearbeitet. Bitte laden Sie die Seite neu.".into()));
    }
    if !from.contains(&status.as_str()) {
        return Err(AppError::field(
            "aktion",
            format!("Im Stand »{}« ist »{}« nicht möglich.", label(&STATUSES, &status), label(&ACTIONS, action)),
        ));
    }
    let note = note.trim();
    if note.chars().count() > 20_000 {
        return Err(AppError::field("note", "Der Text hat höchstens 20.000 Zeichen."));
    }
    let parsed = crate::ui::format::parse_euro(amount).filter(|a| *a > 0);
    let amount_cents = match action {
        "bewilligen" => match parsed {
            Some(a) if a <= requested => Some(a),
            Some(_) => return Err(AppError::field("amount", format!("Bewilligt werden höchstens die beantragten {}.", euro(requested)))),
            None => return Err(AppError::field("amount", "Bitte geben Sie den bewilligten Betrag an.")),
        },
        "abrufen" => {
            let open = approved.unwrap_or(0) - disbursed;
            match parsed {
                Some(a) if a <= open => Some(a),
                Some(_) => return Err(AppError::field("amount", format!("Abrufbar sind noch {}.", euro(open)))),
                None => return Err(AppError::field("amount", "Bitte geben Sie den abzurufenden Betrag an.")),
            }
        }
        _ => None,
    };
    if action == "ablehnen" && note.chars().count() < 3 {
        return Err(AppError::field("note", "Bitte begründen Sie die Ablehnung."));
    }
    if action == "nachweisen" && note.chars().count() < 10 {
        return Err(AppError::field("note", "Bitte beschreiben Sie im Verwendungsnachweis, wofür die Mittel verwendet wurden."));
    }
    let now = crate::core::time::now();
    let txn = crate::core::db::begin_write(db).await?;
    // The application moves only from the status read (a concurrent action makes this a 409).
    let n = exec(
        &txn,
        "UPDATE funding_application SET status = ?, \
           approved_cents = CASE WHEN ? = 'bewilligen' THEN ? ELSE approved_cents END, \
           disbursed_cents = disbursed_cents + CASE WHEN ? = 'abrufen' THEN ? ELSE 0 END, \
           reason = CASE WHEN ? = 'ablehnen' THEN ? ELSE reason END, \
           report = CASE WHEN ? = 'nachweisen' THEN ? ELSE report END, \
           version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND status = ?",
        vec![
            (*to).into(),
            action.into(),
            amount_cents.into(),
            action.into(),
            amount_cents.unwrap_or(0).into(),
            action.into(),
            note.into(),
            action.into(),
            note.into(),
            now.into(),
            id.into(),
            current_version.into(),
            status.clone().into(),
        ],
    )
    .await?;
    if n != 1 {
        txn.rollback().await?;
        return Err(AppError::Conflict("Der Antrag wurde inzwischen bearbeitet. Bitte laden Sie die Seite neu.".into()));
    }
    match action {
        "bewilligen" => {
            let cents = amount_cents.unwrap_or(0);
            let n = exec(
                &txn,
                "UPDATE funding_programme SET committed_cents = committed_cents + ?, version = version + 1 WHERE id = ? AND committed_cents + ? <= budget_cents",
                vec![cents.into(), programme.into(), cents.into()],
            )
            .await?;
            if n != 1 {
                txn.rollback().await?;
                let p = super::programmes::get(db, programme).await?;
                return Err(AppError::Conflict(format!(
                    "Das Budget des Programms reicht nicht: frei sind noch {}, beantragt zur Bewilligung {}. Es wurde nichts bewilligt.",
                    euro(p.budget_cents - p.committed_cents),
                    euro(cents)
                )));
            }
        }
        "abrufen" => {
            exec(&txn, "UPDATE funding_programme SET disbursed_cents = disbursed_cents + ? WHERE id = ?", vec![amount_cents.unwrap_or(0).into(), programme.into()]).await?;
        }
        "abschliessen" => {
            // What was granted but not called is free again.
            let rest = approved.unwrap_or(0) - disbursed;
            if rest > 0 {
                exec(&txn, "UPDATE funding_programme SET committed_cents = committed_cents - ? WHERE id = ?", vec![rest.into(), programme.into()]).await?;
            }
        }
        _ => {}
    }
    if matches!(action, "bewilligen" | "abrufen" | "abschliessen") {
        super::release::release(&txn, programme, threshold).await?;
    }
    exec(
        &txn,
        "INSERT INTO funding_step (application_id, action, status, amount_cents, note, at, user_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        vec![id.into(), action.into(), (*to).into(), amount_cents.into(), Some(note.to_string()).filter(|n| !n.is_empty()).into(), now.into(), user.id.clone().into()],
    )
    .await?;
    audit::record(
        &txn,
        Entry { actor: Some(&user.id), action: "funding_step", object: Some(&id.to_string()), detail: Some(format!("{action}{}", amount_cents.map(|c| format!(" {}", euro(c))).unwrap_or_default())), ..Default::default() },
    )
    .await?;
    txn.commit().await?;
    Ok((*to).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clerks_call_funds_and_report_and_the_land_decides() {
        assert_eq!(allowed("eingegangen", true, false), vec!["pruefen", "ablehnen"]);
        assert!(allowed("eingegangen", false, true).is_empty());
        assert_eq!(allowed("bewilligt", false, true), vec!["abrufen"]);
        assert_eq!(allowed("abruf", false, true), vec!["abrufen", "nachweisen"]);
        assert!(allowed("abruf", false, false).is_empty());
        assert_eq!(allowed("nachweis", true, false), vec!["abschliessen"]);
        assert!(allowed("abgeschlossen", true, true).is_empty());
    }
}
