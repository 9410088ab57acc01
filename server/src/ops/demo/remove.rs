//! `server demo --remove`: takes the demo out of the database — its register records with their
//! history, its cases with everything attached to them, its accounts with everything they left
//! (sessions, views, notifications, mails, sign-in counters, audit entries) — in one
//! transaction, then computes the Lagebild's rollups, the case statistics and the trend afresh
//! from what remains. Real data stays; where it names a demo account, the name goes.

use app::core::state::AppState;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

const CASES: &str = "SELECT id FROM support_case WHERE demo";
const RECORDS: &str = "SELECT id FROM service_record WHERE demo";
const USERS: &str = "SELECT id FROM app_user WHERE is_demo";

/// What was removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed {
    pub records: u64,
    pub cases: u64,
    pub accounts: u64,
}

/// The statements, in an order the foreign keys allow.
fn statements(backend: DbBackend) -> Vec<String> {
    let mut s = vec![
        // A Selbstcheck's recommendations of demo articles and programmes, and the demo's Selbstchecks' results.
        "DELETE FROM survey_section_link WHERE article_id IN (SELECT id FROM article WHERE demo) OR programme_id IN (SELECT id FROM funding_programme WHERE demo) OR section_id IN (SELECT c.id FROM survey_section c JOIN survey s ON s.id = c.survey_id WHERE s.demo)".to_string(),
        "DELETE FROM selfcheck_score WHERE take_id IN (SELECT t.id FROM selfcheck_take t JOIN survey s ON s.id = t.survey_id WHERE s.demo)".to_string(),
        "DELETE FROM selfcheck_take WHERE survey_id IN (SELECT id FROM survey WHERE demo)".to_string(),
        format!("UPDATE selfcheck_take SET taken_by = NULL WHERE taken_by IN ({USERS})"),
        // Cases and what hangs on them.
        format!("DELETE FROM attachment_blob WHERE attachment_id IN (SELECT id FROM attachment WHERE case_id IN ({CASES}) OR uploaded_by IN ({USERS}))"),
        format!("DELETE FROM attachment WHERE case_id IN ({CASES}) OR uploaded_by IN ({USERS})"),
        format!("DELETE FROM case_message WHERE case_id IN ({CASES})"),
        format!("DELETE FROM case_rating WHERE case_id IN ({CASES})"),
        format!("DELETE FROM case_event WHERE case_id IN ({CASES})"),
        format!("DELETE FROM case_link WHERE case_id IN ({CASES}) OR other_id IN ({CASES})"),
        format!("DELETE FROM case_ozg WHERE case_id IN ({CASES})"),
        format!("DELETE FROM case_read WHERE case_id IN ({CASES}) OR user_id IN ({USERS})"),
        format!("DELETE FROM notification WHERE case_id IN ({CASES}) OR user_id IN ({USERS})"),
        format!("UPDATE support_case SET duplicate_of = NULL WHERE duplicate_of IN ({CASES}) AND NOT demo"),
    ];
    s.push(match backend {
        DbBackend::Postgres => format!("DELETE FROM case_search WHERE case_id IN ({CASES})"),
        _ => format!("DELETE FROM case_fts WHERE rowid IN (SELECT id * 2 FROM support_case WHERE demo UNION SELECT id * 2 + 1 FROM support_case WHERE demo)"),
    });
    s.push(app::core::fulltext::removal(backend, &app::knowledge::service::index::ARTICLES, "SELECT id FROM article WHERE demo"));
    s.extend([
        "DELETE FROM support_case WHERE demo".to_string(),
        // Register records with their history, and the demo advisors' annotations.
        format!("DELETE FROM service_record_history WHERE record_id IN ({RECORDS})"),
        "DELETE FROM service_record WHERE demo".to_string(),
        // The demo's usage figures and those the demo accounts entered.
        format!("DELETE FROM usage_figure WHERE demo OR entered_by IN ({USERS})"),
        // The checks of addresses that only demo records named.
        "DELETE FROM link_check WHERE url NOT IN (SELECT url FROM service_record WHERE url IS NOT NULL)".to_string(),
        format!("DELETE FROM service_annotation WHERE author_id IN ({USERS})"),
        // Real data that names a demo account forgets the name.
        format!("UPDATE support_case SET owner_id = NULL WHERE owner_id IN ({USERS})"),
        format!("UPDATE case_team SET lead_user_id = NULL WHERE lead_user_id IN ({USERS})"),
        format!("UPDATE case_message SET author_user_id = NULL WHERE author_user_id IN ({USERS})"),
        format!("UPDATE case_rating SET rated_by = NULL WHERE rated_by IN ({USERS})"),
        format!("UPDATE case_event SET actor_user_id = NULL WHERE actor_user_id IN ({USERS})"),
        format!("UPDATE service_record SET updated_by = NULL WHERE updated_by IN ({USERS})"),
        format!("UPDATE service_record_history SET user_id = NULL WHERE user_id IN ({USERS})"),
        format!("UPDATE account_link SET created_by = NULL WHERE created_by IN ({USERS})"),
        // The demo's articles, events and announcements with what hangs on them.
        "DELETE FROM article_version WHERE article_id IN (SELECT id FROM article WHERE demo)".to_string(),
        "DELETE FROM article_ozg WHERE article_id IN (SELECT id FROM article WHERE demo)".to_string(),
        "DELETE FROM article_field WHERE article_id IN (SELECT id FROM article WHERE demo)".to_string(),
        "DELETE FROM article_vote WHERE article_id IN (SELECT id FROM article WHERE demo)".to_string(),
        "DELETE FROM article_suggestion WHERE article_id IN (SELECT id FROM article WHERE demo)".to_string(),
        "DELETE FROM article_file WHERE article_id IN (SELECT id FROM article WHERE demo)".to_string(),
        "DELETE FROM article WHERE demo".to_string(),
        "DELETE FROM event_field WHERE event_id IN (SELECT id FROM event WHERE demo)".to_string(),
        "DELETE FROM event_registration WHERE event_id IN (SELECT id FROM event WHERE demo)".to_string(),
        "DELETE FROM event WHERE demo".to_string(),
        "DELETE FROM announcement_read WHERE announcement_id IN (SELECT id FROM announcement WHERE demo)".to_string(),
        "DELETE FROM announcement_target WHERE announcement_id IN (SELECT id FROM announcement WHERE demo)".to_string(),
        "DELETE FROM announcement WHERE demo".to_string(),
        // Real articles and events the demo accounts touched stay (the Land's content), without
        // the demo names; the demo accounts' answers, registrations and reads go, counts follow.
        format!("DELETE FROM event_registration WHERE user_id IN ({USERS})"),
        format!("DELETE FROM announcement_read WHERE user_id IN ({USERS})"),
        format!("UPDATE event SET created_by = NULL WHERE created_by IN ({USERS})"),
        format!("UPDATE announcement SET created_by = NULL WHERE created_by IN ({USERS})"),
        format!("UPDATE article SET author_id = NULL WHERE author_id IN ({USERS})"),
        format!("UPDATE article SET reviewed_by = NULL WHERE reviewed_by IN ({USERS})"),
        format!("UPDATE article_version SET changed_by = NULL WHERE changed_by IN ({USERS})"),
        format!("DELETE FROM article_vote WHERE user_id IN ({USERS})"),
        "UPDATE article SET helpful_yes = (SELECT COUNT(*) FROM article_vote v WHERE v.article_id = article.id AND v.helpful), \
         helpful_no = (SELECT COUNT(*) FROM article_vote v WHERE v.article_id = article.id AND NOT v.helpful)"
            .to_string(),
        format!("DELETE FROM article_suggestion WHERE substr(token, 1, 36) IN ({USERS})"),
        // The demo's roll-out and funding with what hangs on them; real data forgets the demo names.
        "DELETE FROM connection_step WHERE connection_id IN (SELECT id FROM connection WHERE demo)".to_string(),
        "DELETE FROM connection_item WHERE connection_id IN (SELECT id FROM connection WHERE demo)".to_string(),
        "DELETE FROM connection_cost WHERE connection_id IN (SELECT id FROM connection WHERE demo)".to_string(),
        "DELETE FROM connection WHERE demo".to_string(),
        "DELETE FROM funding_step WHERE application_id IN (SELECT id FROM funding_application WHERE demo)".to_string(),
        "DELETE FROM funding_application_ozg WHERE application_id IN (SELECT id FROM funding_application WHERE demo)".to_string(),
        "DELETE FROM funding_cost_item WHERE application_id IN (SELECT id FROM funding_application WHERE demo)".to_string(),
        "DELETE FROM funding_application WHERE demo".to_string(),
        // The released sums lose the removed Kommunen's part (demo money, never a real one's).
        "DELETE FROM funding_release WHERE NOT EXISTS (SELECT 1 FROM funding_application a WHERE a.programme_id = funding_release.programme_id AND a.organisation_id = funding_release.organisation_id)".to_string(),
        "DELETE FROM funding_release_member WHERE NOT EXISTS (SELECT 1 FROM funding_application a WHERE a.programme_id = funding_release_member.programme_id AND a.organisation_id = funding_release_member.organisation_id)".to_string(),
        "DELETE FROM funding_programme WHERE demo AND id NOT IN (SELECT programme_id FROM funding_application)".to_string(),
        "UPDATE funding_programme SET committed_cents = (SELECT COALESCE(SUM(CASE WHEN a.status = 'abgeschlossen' THEN a.disbursed_cents ELSE a.approved_cents END), 0) FROM funding_application a WHERE a.programme_id = funding_programme.id AND a.approved_cents IS NOT NULL), \
         disbursed_cents = (SELECT COALESCE(SUM(a.disbursed_cents), 0) FROM funding_application a WHERE a.programme_id = funding_programme.id)"
            .to_string(),
        "DELETE FROM rollout_plan WHERE demo".to_string(),
        // The demo's surveys with their sections, questions and Kommunen; real ones forget the demo names.
        "DELETE FROM survey_tally WHERE survey_id IN (SELECT id FROM survey WHERE demo)".to_string(),
        "DELETE FROM survey_file WHERE response_id IN (SELECT r.id FROM survey_response r JOIN survey s ON s.id = r.survey_id WHERE s.demo)".to_string(),
        format!("UPDATE survey_file SET uploaded_by = NULL WHERE uploaded_by IN ({USERS})"),
        "DELETE FROM survey_answer_choice WHERE response_id IN (SELECT r.id FROM survey_response r JOIN survey s ON s.id = r.survey_id WHERE s.demo)".to_string(),
        "DELETE FROM survey_answer WHERE response_id IN (SELECT r.id FROM survey_response r JOIN survey s ON s.id = r.survey_id WHERE s.demo)".to_string(),
        "DELETE FROM survey_response WHERE survey_id IN (SELECT id FROM survey WHERE demo)".to_string(),
        format!("UPDATE survey_response SET updated_by = NULL WHERE updated_by IN ({USERS})"),
        format!("UPDATE survey_response SET submitted_by = NULL WHERE submitted_by IN ({USERS})"),
        format!("UPDATE survey SET published_by = NULL WHERE published_by IN ({USERS})"),
        "DELETE FROM survey_target WHERE survey_id IN (SELECT id FROM survey WHERE demo)".to_string(),
        "DELETE FROM survey_matrix_row WHERE question_id IN (SELECT q.id FROM survey_question q JOIN survey s ON s.id = q.survey_id WHERE s.demo)".to_string(),
        "DELETE FROM survey_option WHERE question_id IN (SELECT q.id FROM survey_question q JOIN survey s ON s.id = q.survey_id WHERE s.demo)".to_string(),
        "UPDATE survey_question SET condition_question_id = NULL WHERE survey_id IN (SELECT id FROM survey WHERE demo)".to_string(),
        "DELETE FROM survey_question WHERE survey_id IN (SELECT id FROM survey WHERE demo)".to_string(),
        "DELETE FROM survey_section WHERE survey_id IN (SELECT id FROM survey WHERE demo)".to_string(),
        "UPDATE survey SET predecessor_id = NULL WHERE predecessor_id IN (SELECT id FROM survey WHERE demo) AND NOT demo".to_string(),
        "UPDATE survey SET predecessor_id = NULL WHERE demo".to_string(),
        "DELETE FROM survey WHERE demo".to_string(),
        format!("UPDATE survey SET created_by = NULL WHERE created_by IN ({USERS})"),
        // The demo's reports and the operators and states of its services; real ones forget the demo names.
        "DELETE FROM service_report_answer WHERE report_id IN (SELECT id FROM service_report WHERE demo)".to_string(),
        "DELETE FROM service_report_join WHERE report_id IN (SELECT id FROM service_report WHERE demo)".to_string(),
        "DELETE FROM service_report WHERE demo".to_string(),
        "DELETE FROM efa_service_state WHERE efa_service_id IN (SELECT id FROM efa_service WHERE demo)".to_string(),
        "DELETE FROM efa_service_operator WHERE efa_service_id IN (SELECT id FROM efa_service WHERE demo)".to_string(),
        format!("UPDATE service_report SET created_by = NULL WHERE created_by IN ({USERS})"),
        format!("UPDATE service_report_join SET user_id = NULL WHERE user_id IN ({USERS})"),
        format!("UPDATE service_report_answer SET author_id = NULL WHERE author_id IN ({USERS})"),
        format!("UPDATE efa_service_state SET set_by = NULL WHERE set_by IN ({USERS})"),
        "DELETE FROM webhook_delivery WHERE receiver_id IN (SELECT id FROM webhook_receiver WHERE demo)".to_string(),
        "DELETE FROM webhook_receiver WHERE demo".to_string(),
        format!("UPDATE webhook_receiver SET created_by = NULL WHERE created_by IN ({USERS})"),
        format!("UPDATE webhook_host SET added_by = NULL WHERE added_by IN ({USERS})"),
        "DELETE FROM efa_service WHERE demo AND id NOT IN (SELECT efa_service_id FROM connection) AND id NOT IN (SELECT efa_service_id FROM rollout_plan WHERE efa_service_id IS NOT NULL) \
         AND id NOT IN (SELECT efa_service_id FROM service_report)".to_string(),
        format!("UPDATE connection_step SET user_id = NULL WHERE user_id IN ({USERS})"),
        format!("UPDATE connection_item SET updated_by = NULL WHERE updated_by IN ({USERS})"),
        format!("UPDATE connection_cost SET created_by = NULL WHERE created_by IN ({USERS})"),
        format!("UPDATE funding_application SET created_by = NULL WHERE created_by IN ({USERS})"),
        format!("UPDATE funding_step SET user_id = NULL WHERE user_id IN ({USERS})"),
        format!("UPDATE rollout_plan SET updated_by = NULL WHERE updated_by IN ({USERS})"),
        // The demo's Gremien with their members and decisions; real ones forget the demo names.
        app::core::fulltext::removal(backend, &app::gremien::service::decisions::DECISIONS, "SELECT id FROM gremium_decision WHERE gremium_id IN (SELECT id FROM gremium WHERE demo)"),
        "DELETE FROM gremium_decision WHERE gremium_id IN (SELECT id FROM gremium WHERE demo)".to_string(),
        "DELETE FROM gremium_decision_counter WHERE gremium_id IN (SELECT id FROM gremium WHERE demo)".to_string(),
        "DELETE FROM gremium_member WHERE gremium_id IN (SELECT id FROM gremium WHERE demo)".to_string(),
        "DELETE FROM gremium_task WHERE gremium_id IN (SELECT id FROM gremium WHERE demo)".to_string(),
        "DELETE FROM minutes_comment WHERE meeting_id IN (SELECT m.id FROM gremium_meeting m JOIN gremium g ON g.id = m.gremium_id WHERE g.demo)".to_string(),
        "DELETE FROM minutes_version WHERE meeting_id IN (SELECT m.id FROM gremium_meeting m JOIN gremium g ON g.id = m.gremium_id WHERE g.demo)".to_string(),
        "DELETE FROM meeting_minutes WHERE meeting_id IN (SELECT m.id FROM gremium_meeting m JOIN gremium g ON g.id = m.gremium_id WHERE g.demo)".to_string(),
        "DELETE FROM meeting_response WHERE meeting_id IN (SELECT m.id FROM gremium_meeting m JOIN gremium g ON g.id = m.gremium_id WHERE g.demo)".to_string(),
        "DELETE FROM meeting_document WHERE meeting_id IN (SELECT m.id FROM gremium_meeting m JOIN gremium g ON g.id = m.gremium_id WHERE g.demo)".to_string(),
        "DELETE FROM meeting_item WHERE meeting_id IN (SELECT m.id FROM gremium_meeting m JOIN gremium g ON g.id = m.gremium_id WHERE g.demo)".to_string(),
        "DELETE FROM gremium_meeting WHERE gremium_id IN (SELECT id FROM gremium WHERE demo)".to_string(),
        "DELETE FROM gremium WHERE demo".to_string(),
        format!("DELETE FROM meeting_response WHERE user_id IN ({USERS})"),
        format!("UPDATE minutes_comment SET user_id = NULL WHERE user_id IN ({USERS})"),
        format!("UPDATE minutes_version SET saved_by = NULL WHERE saved_by IN ({USERS})"),
        format!("UPDATE meeting_minutes SET updated_by = NULL WHERE updated_by IN ({USERS})"),
        format!("UPDATE meeting_minutes SET approved_by = NULL WHERE approved_by IN ({USERS})"),
        format!("UPDATE meeting_document SET uploaded_by = NULL WHERE uploaded_by IN ({USERS})"),
        format!("UPDATE gremium_meeting SET created_by = NULL WHERE created_by IN ({USERS})"),
        format!("UPDATE gremium_task SET created_by = NULL WHERE created_by IN ({USERS})"),
        format!("UPDATE gremium_task SET owner_user_id = NULL WHERE owner_user_id IN ({USERS})"),
        format!("DELETE FROM gremium_member WHERE user_id IN ({USERS})"),
        format!("UPDATE gremium_member SET added_by = NULL WHERE added_by IN ({USERS})"),
        format!("UPDATE gremium_member SET ended_by = NULL WHERE ended_by IN ({USERS})"),
        format!("UPDATE gremium_decision SET created_by = NULL WHERE created_by IN ({USERS})"),
        format!("UPDATE gremium SET created_by = NULL WHERE created_by IN ({USERS})"),
        // The accounts and what they left.
        "DELETE FROM mail_outbox WHERE recipient IN (SELECT email FROM app_user WHERE is_demo)".to_string(),
        "DELETE FROM login_device WHERE email IN (SELECT email FROM app_user WHERE is_demo)".to_string(),
        "DELETE FROM throttle WHERE key IN (SELECT 'a:' || email FROM app_user WHERE is_demo)".to_string(),
        format!("DELETE FROM audit_log WHERE actor_user_id IN ({USERS}) OR object IN ({USERS})"),
    ]);
    for table in ["saved_view", "notification_pref", "session", "api_token", "login_challenge", "form_draft", "recovery_code", "account_link", "user_organisation"] {
        s.push(format!("DELETE FROM {table} WHERE user_id IN ({USERS})"));
    }
    s.push("DELETE FROM app_user WHERE is_demo".to_string());
    // The demo partner organisation, unless a real account belongs to it.
    s.push(format!(
        "DELETE FROM organisation WHERE key = '{}' AND kind = 'partner' AND id NOT IN (SELECT organisation_id FROM user_organisation)",
        super::gremien::PARTNER_KEY
    ));
    s
}

async fn count(db: &impl ConnectionTrait, sql: &str) -> anyhow::Result<u64> {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), format!("SELECT CAST(COUNT(*) AS BIGINT) FROM ({sql}) AS t"))).await?;
    Ok(row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0) as u64)
}

/// Removes the demo; returns what it removed.
#[tracing::instrument(skip_all)]
pub async fn remove(state: &AppState) -> anyhow::Result<Removed> {
    let db = &state.db;
    let backend = db.get_database_backend();
    let txn = app::core::db::begin_write(db).await?;
    let removed = Removed { records: count(&txn, RECORDS).await?, cases: count(&txn, CASES).await?, accounts: count(&txn, USERS).await? };
    for sql in statements(backend) {
        txn.execute_unprepared(&sql).await.map_err(|e| anyhow::anyhow!("{sql}: {e}"))?;
    }
    app::core::audit::record(
        &txn,
        app::core::audit::Entry {
            action: app::vocabulary::audit::AuditAction::DemoRemoved,
            detail: Some(format!("{} Registereinträge, {} Beratungsfälle, {} Konten", removed.records, removed.cases, removed.accounts)),
            ..Default::default()
        },
    )
    .await?;
    // The rollups follow in the same transaction: no reader sees counters of removed records.
    app::rollups::rebuild_in(&txn).await.map_err(crate::fail)?;
    app::rollout::service::rollup::rebuild(&txn).await.map_err(crate::fail)?;
    app::usage::service::rollup::rebuild_all(&txn).await?;
    txn.commit().await?;
    super::fill::derived(state).await?;
    Ok(removed)
}
