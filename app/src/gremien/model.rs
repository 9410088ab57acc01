//! The Gremien as forms send them and as pages show them; forms become checked inputs here, with
//! German errors per field.

use serde::{Deserialize, Serialize};

pub use crate::vocabulary::gremien::{BodyVisibility, DecisionVisibility, GremiumKind, MemberRole};

/// A body in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GremiumLine {
    pub id: i64,
    pub name: String,
    pub kind: GremiumKind,
    pub visibility: BodyVisibility,
    pub members: u64,
    /// The caller's role in it, if a member.
    pub mine: Option<MemberRole>,
}

/// The list of bodies the caller may read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GremienDesk {
    pub lines: Vec<GremiumLine>,
    /// Advisors and administrators set up bodies.
    pub may_create: bool,
}

/// A membership as the body's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub role: MemberRole,
    /// `TT.MM.JJJJ`.
    pub since: String,
    pub until: Option<String>,
}

/// A decision as the register and the body's page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub id: i64,
    pub gremium_id: i64,
    pub gremium: String,
    pub year: i32,
    pub number: i32,
    /// »Beschluss 3/2026«.
    pub reference: String,
    pub title: String,
    /// The wording as written (Markdown).
    pub text: String,
    /// The wording as the page shows it.
    pub rich: crate::ui::rich::RichText,
    /// `JJJJ-MM-TT`.
    pub decided_on: String,
    pub votes_yes: i32,
    pub votes_no: i32,
    pub votes_abstain: i32,
    pub visibility: DecisionVisibility,
    /// The meeting it was taken in, in words (»Sitzung des Lenkungskreises am 10.07.2026«).
    pub meeting: Option<String>,
}

impl DecisionView {
    /// The vote in words: »7 dafür, 1 dagegen, 2 Enthaltungen«.
    pub fn vote(&self) -> String {
        let abstain = if self.votes_abstain == 1 { "1 Enthaltung".to_string() } else { format!("{} Enthaltungen", self.votes_abstain) };
        format!("{} dafür, {} dagegen, {abstain}", self.votes_yes, self.votes_no)
    }

    /// The date as Germans write it.
    pub fn day(&self) -> String {
        crate::ui::format::format_date(&self.decided_on)
    }
}

/// A body's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GremiumView {
    pub id: i64,
    pub name: String,
    pub purpose: String,
    pub kind: GremiumKind,
    pub visibility: BodyVisibility,
    pub version: i32,
    /// Current members (for readers who see people: everyone signed in who reads the body).
    pub members: Vec<MemberView>,
    /// Ended memberships, for those who run the body.
    pub former: Vec<MemberView>,
    /// The organisations represented, for the public (no names of people).
    pub organisations: Vec<String>,
    /// The newest decisions the caller reads (`BODY_DECISIONS`), and how many they read in all.
    pub decisions: Vec<DecisionView>,
    pub decisions_total: u64,
    /// The caller's role, if a member.
    pub mine: Option<MemberRole>,
    /// The caller runs the body (Vorsitz, Geschäftsstelle, or an administrator).
    pub runs: bool,
    /// Whether people's names are shown (not to visitors without a session).
    pub shows_people: bool,
    /// Meetings and tasks: for members and administrators only.
    pub meetings: Vec<crate::gremien::work::MeetingLine>,
    pub tasks: Vec<crate::gremien::work::TaskView>,
}

/// The register of decisions: what the caller may read, searched and filtered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRegister {
    pub items: Vec<DecisionView>,
    pub matching: u64,
    pub page: u64,
    pub pages: u64,
    /// The bodies to filter by: (id, name).
    pub bodies: Vec<(i64, String)>,
    pub years: Vec<i32>,
}

/// Decisions per page of the register.
pub const REGISTER_PAGE_SIZE: u64 = 20;
/// Decisions on a body's page (the newest; the register has them all).
pub const BODY_DECISIONS: u64 = 10;

/// A body's own fields as the form sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GremiumForm {
    pub name: String,
    pub purpose: String,
    pub kind: String,
    pub visibility: String,
}

/// A checked body.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GremiumInput {
    pub name: String,
    pub purpose: String,
    pub kind: GremiumKind,
    pub visibility: BodyVisibility,
}

/// A new member as the form sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberForm {
    pub email: String,
    pub role: String,
}

/// A checked new member.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberInput {
    pub email: String,
    pub role: MemberRole,
}

/// A decision as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionForm {
    pub title: String,
    pub text: String,
    pub decided_on: String,
    pub yes: String,
    pub no: String,
    pub abstain: String,
    pub visibility: String,
    /// The meeting's id, or empty.
    #[serde(default)]
    pub meeting: String,
}

/// A checked decision.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionInput {
    pub title: String,
    pub text: String,
    pub decided_on: chrono::NaiveDate,
    pub votes: [i32; 3],
    pub visibility: DecisionVisibility,
    pub meeting: Option<i64>,
}

#[cfg(feature = "ssr")]
use crate::gremien::form::{Errors, done, one_line, push};

#[cfg(feature = "ssr")]
impl TryFrom<GremiumForm> for GremiumInput {
    type Error = crate::error::AppError;

    fn try_from(f: GremiumForm) -> Result<Self, Self::Error> {
        let mut e = Errors::new();
        let name = one_line(&f.name);
        if !(3..=200).contains(&name.chars().count()) {
            push(&mut e, "name", "Der Name muss 3 bis 200 Zeichen lang sein.");
        }
        let purpose = f.purpose.replace("\r\n", "\n").trim().to_string();
        if !(1..=5_000).contains(&purpose.chars().count()) {
            push(&mut e, "purpose", "Bitte beschreiben Sie den Zweck (höchstens 5.000 Zeichen).");
        }
        let kind = GremiumKind::from_code(f.kind.trim());
        if kind.is_none() {
            push(&mut e, "kind", "Bitte wählen Sie die Art des Gremiums.");
        }
        let visibility = BodyVisibility::from_code(f.visibility.trim());
        if visibility.is_none() {
            push(&mut e, "visibility", "Bitte wählen Sie, wer das Gremium sieht.");
        }
        done(e)?;
        Ok(GremiumInput { name, purpose, kind: kind.unwrap_or(GremiumKind::Arbeitsgruppe), visibility: visibility.unwrap_or(BodyVisibility::Members) })
    }
}

#[cfg(feature = "ssr")]
impl TryFrom<MemberForm> for MemberInput {
    type Error = crate::error::AppError;

    fn try_from(f: MemberForm) -> Result<Self, Self::Error> {
        let mut e = Errors::new();
        let email = f.email.trim().to_string();
        if email.is_empty() || !email.contains('@') || email.chars().count() > 254 {
            push(&mut e, "email", "Bitte geben Sie die E-Mail-Adresse eines Kontos im Portal an.");
        }
        let role = MemberRole::from_code(f.role.trim());
        if role.is_none() {
            push(&mut e, "role", "Bitte wählen Sie die Rolle im Gremium.");
        }
        done(e)?;
        Ok(MemberInput { email, role: role.unwrap_or(MemberRole::Member) })
    }
}

#[cfg(feature = "ssr")]
impl TryFrom<DecisionForm> for DecisionInput {
    type Error = crate::error::AppError;

    fn try_from(f: DecisionForm) -> Result<Self, Self::Error> {
        let mut e = Errors::new();
        let title = one_line(&f.title);
        if !(3..=200).contains(&title.chars().count()) {
            push(&mut e, "title", "Der Titel muss 3 bis 200 Zeichen lang sein.");
        }
        let text = f.text.replace("\r\n", "\n").trim().to_string();
        if !(1..=20_000).contains(&text.chars().count()) {
            push(&mut e, "text", "Bitte geben Sie den Wortlaut des Beschlusses an (höchstens 20.000 Zeichen).");
        }
        let decided_on = crate::core::time::parse_day(&f.decided_on);
        if decided_on.is_none() {
            push(&mut e, "decided_on", "Das Datum des Beschlusses ist ein Datum (TT.MM.JJJJ).");
        }
        let mut votes = [0; 3];
        for (i, (field, value, what)) in [("yes", &f.yes, "Zustimmungen"), ("no", &f.no, "Ablehnungen"), ("abstain", &f.abstain, "Enthaltungen")].into_iter().enumerate() {
            match value.trim() {
                "" => {}
                v => match v.parse::<i32>() {
                    Ok(n) if (0..=1000).contains(&n) => votes[i] = n,
                    _ => push(&mut e, field, &format!("Die Zahl der {what} ist eine ganze Zahl von 0 bis 1000.")),
                },
            }
        }
        let visibility = DecisionVisibility::from_code(f.visibility.trim());
        if visibility.is_none() {
            push(&mut e, "visibility", "Bitte wählen Sie, wer den Beschluss lesen darf.");
        }
        done(e)?;
        let meeting = f.meeting.trim().parse::<i64>().ok();
        Ok(DecisionInput { title, text, decided_on: decided_on.unwrap_or_default(), votes, visibility: visibility.unwrap_or(DecisionVisibility::Members), meeting })
    }
}
