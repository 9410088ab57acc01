//! An administrator's start page: accounts waiting for action, the mail outbox, and the last
//! run of each background job.

use crate::core::entities::{account_link, app_user, support_case};
use crate::core::state::AppState;
use crate::error::AppError;
use crate::start::model::{JobLine, Need};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, QueryTrait};

/// German names of the jobs (as `job_run` and the metrics name them).
pub fn job_label(name: &str) -> &str {
    match name {
        "fristen" => "Fristen der Beratungsfälle",
        "fallstatistik" => "Statistik der Beratungsfälle",
        "lagebild_verlauf" => "Verlauf des Lagebilds",
        "anmeldezaehler" => "Anmeldezähler aufräumen",
        "speicherfristen" => "Speicherfristen anwenden",
        "wissen_pruefung" => "Erinnerung an fällige Wissensartikel",
        "termin_erinnerung" => "Erinnerung an Termine",
        "abfragen" => "Benachrichtigung über Abfragen",
        "massnahmen" => "Erinnerung an Maßnahmen der Gremien",
        "mailversand" => "E-Mail-Versand",
        other => other,
    }
}

pub async fn needs(st: &AppState) -> Result<Vec<Need>, AppError> {
    let db = &st.db;
    let now = crate::core::time::now();
    let invitations = || {
        account_link::Entity::find()
            .filter(account_link::Column::Purpose.eq("invite"))
            .filter(account_link::Column::UsedAt.is_null())
            .filter(account_link::Column::WithdrawnAt.is_null())
    };
    let open = invitations().filter(account_link::Column::ExpiresAt.gt(now)).count(db).await?;
    // Expired invitations of accounts that never set a password (a newer invitation may be open).
    let never_accepted = app_user::Entity::find().select_only().column(app_user::Column::Id).filter(app_user::Column::PasswordHash.eq("")).filter(app_user::Column::OidcSubject.is_null());
    let expired = invitations()
        .filter(account_link::Column::ExpiresAt.lte(now))
        .filter(account_link::Column::UserId.in_subquery(never_accepted.into_query()))
        .filter(account_link::Column::UserId.not_in_subquery(invitations().select_only().column(account_link::Column::UserId).filter(account_link::Column::ExpiresAt.gt(now)).into_query()))
        .select_only()
        .column(account_link::Column::UserId)
        .distinct()
        .count(db)
        .await?;
    let owners_of_open = support_case::Entity::find().select_only().column(support_case::Column::OwnerId).filter(support_case::Column::Status.ne("closed")).filter(support_case::Column::OwnerId.is_not_null());
    let deactivated_with_cases = app_user::Entity::find()
        .filter(app_user::Column::Active.eq(false))
        .filter(app_user::Column::Id.in_subquery(owners_of_open.into_query()))
        .count(db)
        .await?;
    let (waiting, dead) = crate::core::outbox::counts(db).await?;
    Ok(vec![
        Need { label: "Einladungen, noch nicht angenommen".into(), count: open, href: "/verwaltung/benutzer?status=eingeladen".into() },
        Need { label: "Einladungen abgelaufen, ohne neue Einladung".into(), count: expired, href: "/verwaltung/benutzer?status=eingeladen".into() },
        Need { label: "Deaktivierte Konten mit offenen Fällen".into(), count: deactivated_with_cases, href: "/verwaltung/benutzer?status=deaktiviert".into() },
        Need { label: "E-Mails im Postausgang".into(), count: waiting, href: "/verwaltung/postausgang".into() },
        Need { label: "Unzustellbare E-Mails".into(), count: dead, href: "/verwaltung/postausgang".into() },
    ])
}

pub async fn jobs(st: &AppState) -> Result<Vec<JobLine>, AppError> {
    let berlin = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&chrono_tz::Europe::Berlin).format("%d.%m.%Y %H:%M:%S").to_string();
    Ok(crate::core::job_runs::list(&st.db)
        .await?
        .into_iter()
        .map(|r| JobLine {
            label: job_label(&r.name).to_string(),
            last_run: berlin(r.last_run_at),
            millis: r.last_millis,
            ok: r.last_ok,
            runs: r.runs,
            failures: r.failures,
            last_failure: r.last_failure_at.map(berlin).map(|at| format!("{at}: {}", r.last_error.unwrap_or_default())),
        })
        .collect())
}
