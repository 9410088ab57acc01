//! The demo's operators and reports: the demo partner organisation operates the first two demo
//! EfA services (the fourth item of their checklists is the operator's, and the demo clerk's
//! connection has proposed dates); Kommunen reported a fault of the first service that others
//! joined and the operator works on, the demo clerk's Kommune a requirement, and a fault of the
//! second service is fixed; the first runs with limitations and the second has a maintenance
//! announced. All of it goes with the demo.

use super::people::People;
use app::core::state::AppState;
use app::faults::model::{Party, ReportKind, ReportStatus, Severity};
use app::rollout::model::OperatingState;
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Value};

async fn exec(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> anyhow::Result<()> {
    db.execute_raw(app::core::db::stmt(db.get_database_backend(), sql, values)).await?;
    Ok(())
}

async fn strings(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> anyhow::Result<Vec<String>> {
    Ok(db.query_all_raw(app::core::db::stmt(db.get_database_backend(), sql, values)).await?.iter().map(|r| r.try_get_by_index::<String>(0)).collect::<Result<_, _>>()?)
}

/// One report with the Kommunen that joined it and its answers as (party, status, text).
struct Report<'a> {
    service: &'a str,
    kind: ReportKind,
    title: &'a str,
    body: &'a str,
    severity: Severity,
    days_ago: i64,
    status: ReportStatus,
    reporter: &'a str,
    named: bool,
    created_by: Option<&'a str>,
    joined: &'a [String],
    answers: &'a [(Party, Option<ReportStatus>, &'a str)],
}

async fn report(db: &impl ConnectionTrait, r: &Report<'_>, operator: Option<&str>, advisor: &str) -> anyhow::Result<()> {
    let now = Utc::now();
    let since = (now - Duration::days(r.days_ago)).date_naive();
    let row = db
        .query_one_raw(app::core::db::stmt(
            db.get_database_backend(),
            "INSERT INTO service_report (efa_service_id, kind, title, body, severity, since, status, reason, organisation_id, named, created_by, created_at, updated_at, version, joined, demo) \
             VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, 1, ?, true) RETURNING id",
            vec![
                r.service.into(),
                r.kind.into(),
                r.title.into(),
                r.body.into(),
                r.severity.into(),
                since.into(),
                r.status.into(),
                r.reporter.into(),
                r.named.into(),
                r.created_by.map(str::to_string).into(),
                (now - Duration::days(r.days_ago)).into(),
                now.into(),
                (r.joined.len() as i32 + 1).into(),
            ],
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("keine Nummer"))?;
    let id: i64 = row.try_get_by_index(0)?;
    for (i, org) in std::iter::once(&r.reporter.to_string()).chain(r.joined.iter()).enumerate() {
        exec(db, "INSERT INTO service_report_join (report_id, organisation_id, user_id, at) VALUES (?, ?, ?, ?)", vec![id.into(), org.clone().into(), (if i == 0 { r.created_by.map(str::to_string) } else { None }).into(), (now - Duration::days(r.days_ago) + Duration::hours(i as i64 * 5)).into()]).await?;
    }
    for (i, (party, status, text)) in r.answers.iter().enumerate() {
        let author = match party {
            Party::Operator => operator.map(str::to_string),
            Party::Land => Some(advisor.to_string()),
        };
        let at = now - Duration::days(r.days_ago) + Duration::days(i as i64 + 1);
        exec(db, "INSERT INTO service_report_answer (report_id, author_id, party, body, status, at) VALUES (?, ?, ?, ?, ?, ?)", vec![id.into(), author.into(), (*party).into(), (*text).into(), (*status).into(), at.min(now).into()]).await?;
    }
    Ok(())
}

/// Writes the demo's operators, reports and operating states; returns the number of reports.
pub async fn write(state: &AppState, people: &People) -> anyhow::Result<usize> {
    let db = &state.db;
    let services = strings(db, "SELECT id FROM efa_service WHERE demo ORDER BY name", vec![]).await?;
    let (Some(a), Some(b)) = (services.first(), services.get(1)) else { return Ok(0) };
    let partner = strings(db, "SELECT id FROM organisation WHERE key = ? AND kind = 'partner'", vec![super::gremien::PARTNER_KEY.into()]).await?;
    let operator = strings(db, "SELECT id FROM app_user WHERE email = ?", vec![super::PARTNER_EMAIL.into()]).await?.into_iter().next();
    let own = people.clerk_orgs.first().map(|(id, _)| id.clone()).unwrap_or_default();
    let advisor = people.advisor.id.clone();
    let now = Utc::now();
    let txn = app::core::db::begin_write(db).await?;
    if let Some(partner) = partner.first() {
        for service in [a, b] {
            exec(&txn, "INSERT INTO efa_service_operator (efa_service_id, organisation_id) VALUES (?, ?)", vec![service.clone().into(), partner.clone().into()]).await?;
        }
    }
    for table in ["rollout_plan_item", "connection_item"] {
        let parent = if table == "rollout_plan_item" { "ozg_id IN (SELECT ozg_id FROM rollout_plan WHERE demo AND efa_service_id IN (?, ?))" } else { "connection_id IN (SELECT id FROM connection WHERE demo AND efa_service_id IN (?, ?))" };
        exec(&txn, &format!("UPDATE {table} SET operator = true WHERE position = 4 AND {parent}"), vec![a.clone().into(), b.clone().into()]).await?;
    }
    let today = now.date_naive();
    exec(
        &txn,
        "UPDATE connection SET planned_test = ?, planned_live = ? WHERE demo AND organisation_id = ? AND efa_service_id = ?",
        vec![(today + Duration::days(14)).into(), (today + Duration::days(45)).into(), own.clone().into(), a.clone().into()],
    )
    .await?;
    let connected = |service: &str| strings(&txn, "SELECT organisation_id FROM connection WHERE efa_service_id = ? AND organisation_id <> ? ORDER BY organisation_id", vec![service.into(), own.clone().into()]);
    let others_a = connected(a).await?;
    let others_b = connected(b).await?;
    let clerk = Some(people.clerk.id.as_str());
    let mut n = 0;
    if let Some((reporter, rest)) = others_a.split_first() {
        let mut joined: Vec<String> = rest.iter().take(2).cloned().collect();
        joined.push(own.clone());
        report(&txn, &Report {
            service: a,
            kind: ReportKind::Fault,
            title: "Anträge kommen ohne Anlagen im Fachverfahren an",
            body: "Seit dem letzten Update fehlen bei über FIT-Connect übermittelten Anträgen die hochgeladenen Nachweise. Der Antrag selbst kommt an.",
            severity: Severity::High,
            days_ago: 6,
            status: ReportStatus::InProgress,
            reporter,
            named: true,
            created_by: None,
            joined: &joined,
            answers: &[
                (Party::Land, Some(ReportStatus::Confirmed), "Wir können den Fehler bestätigen und haben den Betreiber eingebunden."),
                (Party::Operator, Some(ReportStatus::InProgress), "Die Ursache liegt in der Größenprüfung der Anlagen. Eine Korrektur ist in Arbeit; bis dahin bitte Nachweise unter 10 MB anfordern."),
            ],
        }, operator.as_deref(), &advisor)
        .await?;
        n += 1;
    }
    report(&txn, &Report {
        service: a,
        kind: ReportKind::Requirement,
        title: "Sammelabruf der Anträge als PDF",
        body: "Für die Aktenablage wünschen wir einen Abruf aller Anträge eines Tages als ein PDF-Dokument.",
        severity: Severity::Low,
        days_ago: 12,
        status: ReportStatus::New,
        reporter: &own,
        named: false,
        created_by: clerk,
        joined: &[],
        answers: &[],
    }, operator.as_deref(), &advisor)
    .await?;
    n += 1;
    report(&txn, &Report {
        service: b,
        kind: ReportKind::Fault,
        title: "Bescheide werden ohne Siegel erzeugt",
        body: "Die erzeugten Bescheide tragen kein elektronisches Siegel.",
        severity: Severity::Medium,
        days_ago: 30,
        status: ReportStatus::Fixed,
        reporter: &own,
        named: true,
        created_by: clerk,
        joined: &others_b.iter().take(1).cloned().collect::<Vec<_>>(),
        answers: &[(Party::Operator, Some(ReportStatus::Fixed), "Das Zertifikat des Siegels war abgelaufen und ist erneuert.")],
    }, operator.as_deref(), &advisor)
    .await?;
    n += 1;
    // Next Tuesday evening: the maintenance window.
    let days = (9 - i64::from(today.format("%u").to_string().parse::<u8>().unwrap_or(1))) % 7 + 1;
    let from = now + Duration::days(days);
    for (service, state, note, window) in [
        (a, OperatingState::Limited, "Anlagen über 10 MB werden derzeit nicht übermittelt.", None),
        (b, OperatingState::Maintenance, "Update des Fachverfahrens; Anträge werden danach zugestellt.", Some((from, from + Duration::hours(4)))),
    ] {
        exec(
            &txn,
            "INSERT INTO efa_service_state (efa_service_id, state, note, window_from, window_to, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            vec![service.clone().into(), state.into(), note.into(), window.map(|w| w.0).into(), window.map(|w| w.1).into(), operator.clone().into(), now.into()],
        )
        .await?;
    }
    if let Some(partner) = partner.first() {
        // The partner's ticket system hears of its services' steps and reports (an address of
        // the reserved domain `example`: the deliveries show their retries and last answer).
        exec(
            &txn,
            "INSERT INTO webhook_receiver (id, organisation_id, url, secret, events, active, demo, created_by, created_at) VALUES (?, ?, ?, ?, ?, true, true, NULL, ?)",
            vec![uuid::Uuid::now_v7().to_string().into(), partner.clone().into(), "https://tickets.itdl-demo.example/ozg-portal".into(), app::core::webhooks::new_secret().into(), "connection.step,report.status".into(), now.into()],
        )
        .await?;
    }
    txn.commit().await?;
    Ok(n)
}
