//! Server functions of the Gremien's work: meetings with their agenda, invitations and answers,
//! attendance, minutes, and tasks.

use crate::error::AppError;
use crate::gremien::work::{MeetingView, TaskView};
#[cfg(feature = "ssr")]
use crate::gremien::work::{ItemForm, MeetingForm, TaskForm};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::core::ctx;

/// A task with what the caller may do on its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskPage {
    pub task: TaskView,
    /// The owners and those who run the body set the status.
    pub may_set: bool,
    /// Those who run the body also set a new due date.
    pub runs: bool,
}

#[cfg(feature = "ssr")]
fn caller() -> Result<(crate::access::scope::Scope, Option<String>), AppError> {
    let user = ctx::require_user()?;
    Ok((crate::access::scope(), Some(user.id)))
}

#[cfg(feature = "ssr")]
fn reader<'a>(c: &'a (crate::access::scope::Scope, Option<String>)) -> crate::gremien::service::Reader<'a> {
    crate::gremien::service::Reader { scope: &c.0, user_id: c.1.as_deref() }
}

/// Plans a meeting of a body (those who run it) and opens it.
#[server(endpoint = "plan_meeting")]
pub async fn plan_meeting(gremium: i64, #[server(default)] title: String, #[server(default)] starts: String, #[server(default)] ends: String, #[server(default)] place: String, #[server(default)] link: String) -> Result<(), AppError> {
    ctx::finish(async {
        let c = caller()?;
        let input = MeetingForm { title, starts, ends, place, link }.try_into()?;
        let id = crate::gremien::service::meetings::create(&ctx::state()?.db, reader(&c), gremium, input, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/gremien/sitzungen/{id}?gespeichert=geplant"));
        Ok(())
    }
    .await)
    .await
}

/// A meeting as the caller may see it (members, administrators).
#[server(endpoint = "load_meeting")]
pub async fn load_meeting(id: i64) -> Result<MeetingView, AppError> {
    ctx::finish(async {
        let c = caller()?;
        crate::gremien::service::meetings::view(&ctx::state()?.db, reader(&c), id, crate::core::time::now()).await
    }
    .await)
    .await
}

/// Adds an agenda item (those who run the body).
#[server(endpoint = "add_meeting_item")]
pub async fn add_meeting_item(meeting: i64, #[server(default)] item_title: String, #[server(default)] presenter: String, #[server(default)] minutes: String) -> Result<(), AppError> {
    ctx::finish(async {
        let c = caller()?;
        let item = crate::gremien::work::check_item(ItemForm { title: item_title, presenter, minutes })?;
        crate::gremien::service::meetings::add_item(&ctx::state()?.db, reader(&c), meeting, item).await?;
        leptos_axum::redirect(&format!("/gremien/sitzungen/{meeting}?gespeichert=punkt#tagesordnung"));
        Ok(())
    }
    .await)
    .await
}

/// Invites the members by mail with the calendar entry (those who run the body).
#[server(endpoint = "invite_meeting")]
pub async fn invite_meeting(meeting: i64) -> Result<(), AppError> {
    ctx::finish(async {
        let c = caller()?;
        let st = ctx::state()?;
        let n = crate::gremien::service::meetings::invite(&st.db, &st.config, reader(&c), meeting, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/gremien/sitzungen/{meeting}?eingeladen={n}"));
        Ok(())
    }
    .await)
    .await
}

/// A member's Zusage or Absage.
#[server(endpoint = "answer_meeting")]
pub async fn answer_meeting(meeting: i64, #[server(default)] answer: String) -> Result<(), AppError> {
    ctx::finish(async {
        let c = caller()?;
        let answer = crate::gremien::work::MeetingAnswer::from_code(answer.trim()).ok_or_else(|| AppError::field("answer", "Bitte sagen Sie zu oder ab."))?;
        crate::gremien::service::meetings::respond(&ctx::state()?.db, reader(&c), meeting, answer, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/gremien/sitzungen/{meeting}?gespeichert=antwort"));
        Ok(())
    }
    .await)
    .await
}

/// Records who attended (those who run the body): one checkbox per member, `da[…]`.
#[server(endpoint = "record_attendance")]
pub async fn record_attendance(meeting: i64, #[server(default)] da: std::collections::BTreeMap<String, String>) -> Result<(), AppError> {
    ctx::finish(async {
        let c = caller()?;
        let present: Vec<String> = da.into_values().collect();
        crate::gremien::service::meetings::attendance(&ctx::state()?.db, reader(&c), meeting, &present).await?;
        leptos_axum::redirect(&format!("/gremien/sitzungen/{meeting}?gespeichert=anwesenheit#anwesenheit"));
        Ok(())
    }
    .await)
    .await
}

/// Saves, circulates (`schritt=umlauf`, with `until`) or approves (`schritt=genehmigen`) the
/// minutes, based on the version the form showed (those who run the body).
#[server(endpoint = "save_minutes")]
pub async fn save_minutes(meeting: i64, version: i32, #[server(default)] body: String, #[server(default)] until: String, #[server(default)] schritt: String) -> Result<(), AppError> {
    ctx::finish(async {
        let c = caller()?;
        let st = ctx::state()?;
        let now = crate::core::time::now();
        let done = match schritt.as_str() {
            "umlauf" => {
                crate::gremien::service::minutes::circulate(&st.db, &st.config, reader(&c), meeting, version, &body, crate::core::time::parse_day(&until), now).await?;
                "umlauf"
            }
            "genehmigen" => {
                crate::gremien::service::minutes::approve(&st.db, reader(&c), meeting, version, now).await?;
                "genehmigt"
            }
            _ => {
                crate::gremien::service::minutes::save(&st.db, reader(&c), meeting, version, &body, now).await?;
                "protokoll"
            }
        };
        leptos_axum::redirect(&format!("/gremien/sitzungen/{meeting}?gespeichert={done}#protokoll"));
        Ok(())
    }
    .await)
    .await
}

/// A member's comment on the circulated minutes (on the version they read).
#[server(endpoint = "comment_minutes")]
pub async fn comment_minutes(meeting: i64, version: i32, #[server(default)] comment: String) -> Result<(), AppError> {
    ctx::finish(async {
        let c = caller()?;
        crate::gremien::service::minutes::comment(&ctx::state()?.db, reader(&c), meeting, version, &comment, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/gremien/sitzungen/{meeting}?gespeichert=kommentar#protokoll"));
        Ok(())
    }
    .await)
    .await
}

/// Records a task of a body (those who run it).
#[server(endpoint = "create_task")]
pub async fn create_task(
    gremium: i64,
    #[server(default)] title: String,
    #[server(default)] owner: String,
    #[server(default)] due: String,
    #[server(default)] link_kind: String,
    #[server(default)] link_value: String,
    #[server(default)] meeting: String,
    #[server(default)] decision: String,
) -> Result<(), AppError> {
    ctx::finish(async {
        let c = caller()?;
        let input = TaskForm { title, owner, due, link_kind, link_value, meeting, decision }.try_into()?;
        let id = crate::gremien::service::tasks::create(&ctx::state()?.db, reader(&c), gremium, input, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/gremien/massnahmen/{id}?gespeichert=angelegt"));
        Ok(())
    }
    .await)
    .await
}

/// One task (its body's members, administrators and its owners).
#[server(endpoint = "load_task")]
pub async fn load_task(id: i64) -> Result<TaskPage, AppError> {
    ctx::finish(async {
        let c = caller()?;
        let (task, may_set, runs) = crate::gremien::service::tasks::one(&ctx::state()?.db, reader(&c), id, crate::core::time::now()).await?;
        Ok(TaskPage { task, may_set, runs })
    }
    .await)
    .await
}

/// Sets a task's status with a note (its owners, those who run the body; they also its due date).
#[server(endpoint = "set_task_status")]
pub async fn set_task_status(task: i64, version: i32, #[server(default)] status: String, #[server(default)] note: String, #[server(default)] due: String) -> Result<(), AppError> {
    ctx::finish(async {
        let c = caller()?;
        let status = crate::gremien::work::TaskStatus::from_code(status.trim()).ok_or_else(|| AppError::field("status", "Bitte wählen Sie den Stand der Maßnahme."))?;
        let due = match due.trim() {
            "" => None,
            d => Some(crate::core::time::parse_day(d).ok_or_else(|| AppError::field("due", "Die Frist ist ein Datum (TT.MM.JJJJ)."))?),
        };
        crate::gremien::service::tasks::set_status(&ctx::state()?.db, reader(&c), task, version, status, &note, due, crate::core::time::now()).await?;
        leptos_axum::redirect(&format!("/gremien/massnahmen/{task}?gespeichert=stand"));
        Ok(())
    }
    .await)
    .await
}

/// Every open task the caller owns (themselves or through an organisation).
#[server(endpoint = "load_own_tasks")]
pub async fn load_own_tasks() -> Result<crate::gremien::work::OwnTasks, AppError> {
    ctx::finish(async {
        let user = ctx::require_user()?;
        crate::gremien::service::tasks::open_for(&ctx::state()?.db, &user, crate::core::time::now(), None).await
    }
    .await)
    .await
}
