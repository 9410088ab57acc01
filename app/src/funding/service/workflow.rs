//! The workflow of an application, enforced here, every step audited:
//! eingegangen → (prüfen) in Prüfung → (bewilligen, with an amount) bewilligt or (ablehnen,
//! with a reason) abgelehnt; bewilligt → (abrufen, repeatedly) Mittel abgerufen →
//! (nachweisen) Verwendungsnachweis → (abschließen) abgeschlossen.
//! The programme's budget cannot be over-committed: the approval adds to the committed sum
//! only where the sum stays within the budget, in one conditional statement, so two approvals
//! at once cannot both pass (PostgreSQL re-checks the condition on the locked row; SQLite has
//! one writer).

use crate::access::scope::Scope;
use crate::core::audit::{self, Entry};
use crate::core::entities::{funding_application as fa, funding_programme as fp, funding_step};
use crate::core::session::CurrentUser;
use crate::error::AppError;
use crate::funding::model::{Action, Status};
use crate::ui::format::euro;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set};

/// Reads an application's Kommune and checks the caller may read it.
pub(crate) async fn readable(db: &impl sea_orm::ConnectionTrait, scope: &Scope, id: i64) -> Result<String, AppError> {
    let org: String = fa::Entity::find_by_id(id).select_only().column(fa::Column::OrganisationId).into_tuple().one(db).await?.ok_or(AppError::NotFound)?;
    crate::access::policy::kommune_read(scope, &org)?;
    Ok(org)
}

const STALE: &str = "Der Antrag wurde inzwischen bearbeitet. Bitte laden Sie die Seite neu.";

/// Takes one step (`None`: a step the form named that does not exist). `amount` for the steps that name one, `note` the reason (ablehnen), the
/// report (nachweisen) or a remark. `version`: what the caller saw (stale: 409). `threshold`:
/// the suppression threshold, for the release of the public sums in the same transaction.
#[tracing::instrument(skip_all, fields(id = id))]
/// `due`: with a grant, the day the Verwendungsnachweis is due (empty: a year after the grant).
/// The Kommune's clerks are told of every step the Land takes.
pub async fn act(db: &DatabaseConnection, scope: &Scope, user: &CurrentUser, id: i64, action: Option<Action>, amount: &str, note: &str, due: &str, version: Option<i32>, config: &crate::core::config::Config) -> Result<Status, AppError> {
    let threshold = config.suppression_threshold;
    let org = readable(db, scope, id).await?;
    let advisor = crate::access::policy::is_advisor(scope);
    let own = scope.may_act_for(&org);
    // Administrators read applications; only the Land's advisors and the Kommune act.
    if !(advisor || own) {
        return Err(AppError::Forbidden);
    }
    // Known steps only, and filing is the form's (checked after the caller's right to act).
    let Some(action) = action.filter(|a| *a != Action::File) else {
        return Err(AppError::field("aktion", "Diesen Schritt gibt es nicht."));
    };
    if action.advisors_only() && !advisor {
        return Err(AppError::Forbidden);
    }
    let a = fa::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if version.is_some_and(|v| v != a.version) {
        return Err(AppError::Conflict(STALE.into()));
    }
    if !action.from().contains(&a.status) {
        return Err(AppError::field("aktion", format!("Im Stand »{}« ist »{}« nicht möglich.", a.status.label(), action.label())));
    }
    let note = note.trim();
    if note.chars().count() > 20_000 {
        return Err(AppError::field("note", "Der Text hat höchstens 20.000 Zeichen."));
    }
    if let Some((least, ask)) = action.needs_note() {
        if note.chars().count() < least {
            return Err(AppError::field("note", ask));
        }
    }
    let parsed = crate::ui::format::parse_euro(amount).filter(|a| *a > 0);
    let amount_cents = match action {
        Action::Grant => match parsed {
            Some(c) if c <= a.requested_cents => Some(c),
            Some(_) => return Err(AppError::field("amount", format!("Bewilligt werden höchstens die beantragten {}.", euro(a.requested_cents)))),
            None => return Err(AppError::field("amount", "Bitte geben Sie den bewilligten Betrag an.")),
        },
        Action::Call => {
            let open = a.approved_cents.unwrap_or(0) - a.disbursed_cents;
            match parsed {
                Some(c) if c <= open => Some(c),
                Some(_) => return Err(AppError::field("amount", format!("Abrufbar sind noch {}.", euro(open)))),
                None => return Err(AppError::field("amount", "Bitte geben Sie den abzurufenden Betrag an.")),
            }
        }
        _ => None,
    };
    let now = crate::core::time::now();
    let proof_due = match action {
        Action::Grant => Some(super::notices::proof_due(due, now)?),
        _ => None,
    };
    let to = action.to();
    let txn = crate::core::db::begin_write(db).await?;
    // The application moves only from the status and version read (a concurrent step: 409).
    let mut update = fa::Entity::update_many()
        .col_expr(fa::Column::Status, Expr::value(to))
        .col_expr(fa::Column::Version, Expr::col(fa::Column::Version).add(1))
        .col_expr(fa::Column::UpdatedAt, Expr::value(now));
    update = match action {
        Action::Grant => update.col_expr(fa::Column::ApprovedCents, Expr::value(amount_cents)).col_expr(fa::Column::ProofDueOn, Expr::value(proof_due)),
        Action::Call => update.col_expr(fa::Column::DisbursedCents, Expr::col(fa::Column::DisbursedCents).add(amount_cents.unwrap_or(0))),
        Action::Reject => update.col_expr(fa::Column::Reason, Expr::value(note)),
        Action::Report => update.col_expr(fa::Column::Report, Expr::value(note)),
        _ => update,
    };
    let n = update.filter(fa::Column::Id.eq(id)).filter(fa::Column::Version.eq(a.version)).filter(fa::Column::Status.eq(a.status)).exec(&txn).await?.rows_affected;
    if n != 1 {
        txn.rollback().await?;
        return Err(AppError::Conflict(STALE.into()));
    }
    match action {
        Action::Grant => {
            let cents = amount_cents.unwrap_or(0);
            let n = fp::Entity::update_many()
                .col_expr(fp::Column::CommittedCents, Expr::col(fp::Column::CommittedCents).add(cents))
                .col_expr(fp::Column::Version, Expr::col(fp::Column::Version).add(1))
                .filter(fp::Column::Id.eq(a.programme_id))
                .filter(Expr::col(fp::Column::CommittedCents).add(cents).lte(Expr::col(fp::Column::BudgetCents)))
                .exec(&txn)
                .await?
                .rows_affected;
            if n != 1 {
                txn.rollback().await?;
                let p = super::programmes::get(db, a.programme_id).await?;
                return Err(AppError::Conflict(format!(
                    "Das Budget des Programms reicht nicht: frei sind noch {}, beantragt zur Bewilligung {}. Es wurde nichts bewilligt.",
                    euro(p.budget_cents - p.committed_cents),
                    euro(cents)
                )));
            }
        }
        Action::Call => {
            fp::Entity::update_many()
                .col_expr(fp::Column::DisbursedCents, Expr::col(fp::Column::DisbursedCents).add(amount_cents.unwrap_or(0)))
                .filter(fp::Column::Id.eq(a.programme_id))
                .exec(&txn)
                .await?;
        }
        Action::Close => {
            // What was granted but not called is free again.
            let rest = a.approved_cents.unwrap_or(0) - a.disbursed_cents;
            if rest > 0 {
                fp::Entity::update_many().col_expr(fp::Column::CommittedCents, Expr::col(fp::Column::CommittedCents).sub(rest)).filter(fp::Column::Id.eq(a.programme_id)).exec(&txn).await?;
            }
        }
        _ => {}
    }
    if action.moves_money() {
        super::release::release(&txn, a.programme_id, threshold).await?;
    }
    funding_step::ActiveModel {
        application_id: Set(id),
        action: Set(action),
        status: Set(to),
        amount_cents: Set(amount_cents),
        note: Set(Some(note.to_string()).filter(|n| !n.is_empty())),
        at: Set(now),
        user_id: Set(Some(user.id.clone())),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Entry { actor: Some(&user.id), action: crate::vocabulary::audit::AuditAction::FundingStep, object: Some(&id.to_string()), detail: Some(format!("{}{}", action.code(), amount_cents.map(|c| format!(" {}", euro(c))).unwrap_or_default())), ..Default::default() },
    )
    .await?;
    super::notices::stepped(&txn, config, &a, action, amount_cents, note, proof_due, &user.id, now).await?;
    txn.commit().await?;
    crate::core::outbox::wake();
    crate::core::webhooks::wake();
    Ok(to)
}
