//! The Gremien's work as forms send it and pages show it: meetings with their agenda, the
//! minutes and the tasks; forms become checked inputs here, with German errors per field.

use serde::{Deserialize, Serialize};

pub use crate::vocabulary::gremien::{MeetingAnswer, MinutesState, TaskLink, TaskStatus};

/// A meeting in a body's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingLine {
    pub id: i64,
    pub title: String,
    /// »Dienstag, 03.03.2026, 10:00 bis 12:00 Uhr«.
    pub when: String,
    pub cancelled: bool,
    pub minutes: Option<MinutesState>,
}

/// An agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: i64,
    pub position: i32,
    pub title: String,
    pub presenter: Option<String>,
    pub minutes: Option<i32>,
    /// Its documents: (id, file name, size in words).
    pub documents: Vec<(String, String, String)>,
}

/// A member's answer and attendance, for those who run the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseView {
    pub user_id: String,
    pub name: String,
    pub organisation: String,
    pub answer: Option<MeetingAnswer>,
    pub attended: Option<bool>,
}

/// A comment on circulated minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub author: String,
    pub version: i32,
    /// `TT.MM.JJJJ HH:MM`.
    pub at: String,
    pub body: String,
}

/// A saved version of the minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionLine {
    pub version: i32,
    pub state: MinutesState,
    pub by: String,
    pub at: String,
}

/// The minutes as the caller may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesView {
    pub state: MinutesState,
    pub version: i32,
    pub rich: crate::ui::rich::RichText,
    /// The text to edit (those who run the body, while it may change).
    pub source: Option<String>,
    /// `TT.MM.JJJJ`.
    pub comments_until: Option<String>,
    pub approved: Option<String>,
    pub comments: Vec<CommentView>,
    pub versions: Vec<VersionLine>,
    /// A member may comment now (circulated, before the deadline).
    pub may_comment: bool,
}

/// A meeting's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingView {
    pub id: i64,
    pub gremium_id: i64,
    pub gremium: String,
    pub title: String,
    pub when: String,
    /// `JJJJ-MM-TTTHH:MM` in Europe/Berlin (the form's fields).
    pub starts: String,
    pub ends: String,
    pub place: Option<String>,
    pub link: Option<String>,
    pub cancelled: bool,
    pub version: i32,
    pub invited: Option<String>,
    pub items: Vec<ItemView>,
    /// Documents of the meeting as a whole: (id, file name, size in words).
    pub documents: Vec<(String, String, String)>,
    pub responses: Vec<ResponseView>,
    pub my_answer: Option<MeetingAnswer>,
    /// The caller is a member (answers the invitation).
    pub member: bool,
    /// The meeting is over: no more answers to the invitation.
    pub past: bool,
    pub runs: bool,
    pub minutes: Option<MinutesView>,
    pub tasks: Vec<TaskView>,
}

/// A task as the body's page, a meeting and the owner's start page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskView {
    pub id: i64,
    pub gremium_id: i64,
    pub gremium: String,
    pub title: String,
    pub owner: String,
    /// `TT.MM.JJJJ`.
    pub due: String,
    pub overdue: bool,
    pub status: TaskStatus,
    pub note: String,
    pub source: Option<String>,
    pub link: Option<(TaskLink, String, Option<String>)>,
    pub version: i32,
}

/// The open tasks a person owns: the first of them (overdue first, then by due date) and the
/// counts of all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnTasks {
    pub shown: Vec<TaskView>,
    pub open: u64,
    pub overdue: u64,
}

/// Tasks a start page shows; the rest are on `/gremien/massnahmen`.
pub const START_PAGE_TASKS: u64 = 5;
/// Bodies a start page lists; all are on `/gremien`.
pub const START_PAGE_BODIES: usize = 10;

/// A meeting as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingForm {
    pub title: String,
    /// `<input type="datetime-local">` in Europe/Berlin.
    pub starts: String,
    pub ends: String,
    pub place: String,
    pub link: String,
}

/// A checked meeting.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingInput {
    pub title: String,
    pub starts: chrono::DateTime<chrono::Utc>,
    pub ends: chrono::DateTime<chrono::Utc>,
    pub place: Option<String>,
    pub link: Option<String>,
}

/// An agenda item as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemForm {
    pub title: String,
    pub presenter: String,
    pub minutes: String,
}

/// A task as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskForm {
    pub title: String,
    /// An e-mail address of a person or the key of an organisation.
    pub owner: String,
    pub due: String,
    pub link_kind: String,
    pub link_value: String,
    pub meeting: String,
    pub decision: String,
}

/// A checked task.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskInput {
    pub title: String,
    pub owner: String,
    pub due: chrono::NaiveDate,
    pub link: Option<(TaskLink, String)>,
    pub meeting: Option<i64>,
    pub decision: Option<i64>,
}

#[cfg(feature = "ssr")]
use crate::gremien::form::{Errors, done, one_line, push};

#[cfg(feature = "ssr")]
fn optional(text: &str) -> Option<String> {
    Some(one_line(text)).filter(|t| !t.is_empty())
}

#[cfg(feature = "ssr")]
impl TryFrom<MeetingForm> for MeetingInput {
    type Error = crate::error::AppError;

    fn try_from(f: MeetingForm) -> Result<Self, Self::Error> {
        let mut e = Errors::new();
        let title = one_line(&f.title);
        if !(3..=200).contains(&title.chars().count()) {
            push(&mut e, "title", "Der Titel muss 3 bis 200 Zeichen lang sein.");
        }
        let starts = crate::core::time::berlin_to_utc(&f.starts);
        let ends = crate::core::time::berlin_to_utc(&f.ends);
        if starts.is_none() {
            push(&mut e, "starts", "Der Beginn ist ein Datum mit Uhrzeit.");
        }
        match (starts, ends) {
            (_, None) => push(&mut e, "ends", "Das Ende ist ein Datum mit Uhrzeit."),
            (Some(s), Some(t)) if t <= s => push(&mut e, "ends", "Das Ende liegt nach dem Beginn."),
            (Some(s), Some(t)) if t - s > chrono::Duration::days(3) => push(&mut e, "ends", "Eine Sitzung dauert höchstens drei Tage."),
            _ => {}
        }
        let place = optional(&f.place);
        let link = optional(&f.link);
        if place.as_ref().is_some_and(|p| p.chars().count() > 300) {
            push(&mut e, "place", "Der Ort hat höchstens 300 Zeichen.");
        }
        if link.as_ref().is_some_and(|l| !l.starts_with("https://") || l.chars().count() > 500 || l.contains(char::is_whitespace)) {
            push(&mut e, "link", "Der Link zur Videokonferenz beginnt mit https:// (höchstens 500 Zeichen).");
        }
        if place.is_none() && link.is_none() {
            push(&mut e, "place", "Bitte geben Sie einen Ort oder einen Link zur Videokonferenz an.");
        }
        done(e)?;
        Ok(MeetingInput { title, starts: starts.unwrap_or_default(), ends: ends.unwrap_or_default(), place, link })
    }
}

/// A checked agenda item: (title, presenter, minutes).
#[cfg(feature = "ssr")]
pub fn check_item(f: ItemForm) -> Result<(String, Option<String>, Option<i32>), crate::error::AppError> {
    let mut e = Errors::new();
    let title = one_line(&f.title);
    if !(2..=200).contains(&title.chars().count()) {
        push(&mut e, "item_title", "Der Tagesordnungspunkt braucht einen Titel (2 bis 200 Zeichen).");
    }
    let presenter = optional(&f.presenter);
    if presenter.as_ref().is_some_and(|p| p.chars().count() > 200) {
        push(&mut e, "presenter", "Der Name hat höchstens 200 Zeichen.");
    }
    let minutes = match f.minutes.trim() {
        "" => None,
        m => match m.parse::<i32>() {
            Ok(n) if (1..=600).contains(&n) => Some(n),
            _ => {
                push(&mut e, "minutes", "Die Dauer ist eine Zahl von Minuten (1 bis 600).");
                None
            }
        },
    };
    done(e)?;
    Ok((title, presenter, minutes))
}

#[cfg(feature = "ssr")]
impl TryFrom<TaskForm> for TaskInput {
    type Error = crate::error::AppError;

    fn try_from(f: TaskForm) -> Result<Self, Self::Error> {
        let mut e = Errors::new();
        let title = one_line(&f.title);
        if !(3..=200).contains(&title.chars().count()) {
            push(&mut e, "title", "Die Maßnahme braucht einen Titel (3 bis 200 Zeichen).");
        }
        let owner = f.owner.trim().to_string();
        if owner.is_empty() {
            push(&mut e, "owner", "Bitte geben Sie an, wer verantwortlich ist: die E-Mail-Adresse einer Person oder den Schlüssel einer Organisation.");
        }
        let due = crate::core::time::parse_day(&f.due);
        if due.is_none() {
            push(&mut e, "due", "Die Frist ist ein Datum (TT.MM.JJJJ).");
        }
        let link = match (f.link_kind.trim(), f.link_value.trim()) {
            ("", _) => None,
            (kind, value) => match TaskLink::from_code(kind) {
                Some(k) if !value.is_empty() && value.len() <= 40 => Some((k, value.to_string())),
                Some(_) => {
                    push(&mut e, "link_value", "Bitte geben Sie an, worauf die Maßnahme verweist (Nummer, OZG-ID oder Kennung).");
                    None
                }
                None => {
                    push(&mut e, "link_kind", "Diese Art von Verweis gibt es nicht.");
                    None
                }
            },
        };
        let number = |v: &str| v.trim().parse::<i64>().ok();
        done(e)?;
        Ok(TaskInput { title, owner, due: due.unwrap_or_default(), link, meeting: number(&f.meeting), decision: number(&f.decision) })
    }
}
