//! The Abfragen as forms send them and as pages show them; forms become checked inputs here, with
//! German errors per field.

use serde::{Deserialize, Serialize};

pub use crate::vocabulary::announcements::Target;
pub use crate::vocabulary::surveys::{Answering, Binding, QuestionKind, ResponseState, SurveyPhase, SurveyPurpose, SurveyState};
pub use crate::surveys::views::*;

/// The survey's own fields as the form sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyForm {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// `JJJJ-MM-TT` or `TT.MM.JJJJ`: open from the start of that day (Europe/Berlin).
    pub opens: String,
    /// Open until the end of that day.
    pub closes: String,
    pub target: String,
    /// Kreis keys, kinds, an association's key or an OZG-ID, comma-separated.
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub answering: String,
    /// Days before the deadline to remind those that have not submitted (empty: 7, 0: never).
    #[serde(default)]
    pub reminder_days: String,
    /// `abfrage` (empty) or `selbstcheck`; fixed when the survey is created.
    #[serde(default)]
    pub purpose: String,
}

/// A section as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionForm {
    pub title: String,
    #[serde(default)]
    pub intro: String,
}

/// A question as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionForm {
    pub section: String,
    pub kind: String,
    pub text: String,
    #[serde(default)]
    pub hint: String,
    /// A checkbox: present when checked.
    #[serde(default)]
    pub required: Option<String>,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub min: String,
    #[serde(default)]
    pub max: String,
    /// One option per line.
    #[serde(default)]
    pub options: String,
    /// A checkbox: offer "Sonstiges" with a text.
    #[serde(default)]
    pub other: Option<String>,
    #[serde(default)]
    pub cell_kind: String,
    /// OZG-IDs, one per line or comma-separated.
    #[serde(default)]
    pub rows: String,
    /// The condition as the builder's list sends it: `frage:antwort`.
    #[serde(default)]
    pub condition: String,
    #[serde(default)]
    pub condition_question: String,
    #[serde(default)]
    pub condition_value: String,
    #[serde(default)]
    pub binding: String,
    #[serde(default)]
    pub binding_ozg_id: String,
}

/// A checked survey.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyInput {
    pub title: String,
    pub description: String,
    pub opens: chrono::NaiveDate,
    pub closes: chrono::NaiveDate,
    pub target: Target,
    pub value: Vec<String>,
    pub answering: Answering,
    pub reminder_days: i32,
    pub purpose: SurveyPurpose,
}

#[cfg(feature = "ssr")]
impl SurveyInput {
    /// A Selbstcheck is open to every Kommune for itself and reminds no one: whatever the form
    /// said of whom it asks is set so.
    pub fn fitted(mut self, purpose: SurveyPurpose) -> Self {
        self.purpose = purpose;
        if purpose == SurveyPurpose::SelfCheck {
            self.target = Target::All;
            self.value.clear();
            self.answering = Answering::Members;
            self.reminder_days = 0;
        }
        self
    }
}

/// A checked section.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionInput {
    pub title: String,
    pub intro: String,
}

/// A checked question (what needs the database, such as whether a condition's question comes
/// earlier, is checked when it is stored).
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionInput {
    pub section_id: i64,
    pub kind: QuestionKind,
    pub text: String,
    pub hint: String,
    pub required: bool,
    pub unit: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub options: Vec<String>,
    pub other: bool,
    pub cell_kind: Option<QuestionKind>,
    pub rows: Vec<String>,
    pub condition: Option<(i64, String)>,
    pub binding: Option<(Binding, String)>,
}

#[cfg(feature = "ssr")]
type Errors = std::collections::BTreeMap<String, Vec<String>>;

#[cfg(feature = "ssr")]
fn push(e: &mut Errors, field: &str, message: &str) {
    e.entry(field.to_string()).or_default().push(message.to_string());
}

#[cfg(feature = "ssr")]
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A number as Germans write it ("1.500,5", "1.500") or plainly ("1500.5").
#[cfg(feature = "ssr")]
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim().replace(' ', "");
    // Without a comma, dots between groups of three digits separate thousands ("1.500" is
    // fifteen hundred, as a German reads it); a single dot otherwise is a decimal point.
    let grouped = |t: &str| {
        let mut parts = t.trim_start_matches('-').split('.');
        parts.next().is_some_and(|p| (1..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit())) && t.contains('.') && parts.all(|p| p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
    };
    let t = if t.contains(',') || grouped(&t) { t.replace('.', "").replace(',', ".") } else { t };
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::parse_number;

    #[test]
    fn numbers_are_read_as_germans_write_them() {
        for (text, n) in [("12", 12.0), ("12,5", 12.5), ("1.500", 1500.0), ("1.500,5", 1500.5), ("-2.000.000", -2_000_000.0), ("12.5", 12.5), ("1500.25", 1500.25), (" 3 000 ", 3000.0)] {
            assert_eq!(parse_number(text), Some(n), "{text}");
        }
        for text in ["zehn", "1,2,3", "", "inf"] {
            assert_eq!(parse_number(text), None, "{text}");
        }
    }
}

#[cfg(feature = "ssr")]
impl TryFrom<SurveyForm> for SurveyInput {
    type Error = crate::error::AppError;

    fn try_from(f: SurveyForm) -> Result<Self, Self::Error> {
        let mut e = Errors::new();
        let title = one_line(&f.title);
        if !(3..=200).contains(&title.chars().count()) {
            push(&mut e, "title", "Der Titel muss 3 bis 200 Zeichen lang sein.");
        }
        let description = f.description.replace("\r\n", "\n");
        if description.chars().count() > 10_000 {
            push(&mut e, "description", "Die Einleitung hat höchstens 10.000 Zeichen.");
        }
        let opens = crate::core::time::parse_day(&f.opens);
        let closes = crate::core::time::parse_day(&f.closes);
        if opens.is_none() {
            push(&mut e, "opens", "Der Beginn ist ein Datum (TT.MM.JJJJ).");
        }
        match (opens, closes) {
            (_, None) => push(&mut e, "closes", "Die Frist ist ein Datum (TT.MM.JJJJ)."),
            (Some(o), Some(c)) if c < o => push(&mut e, "closes", "Die Frist liegt nicht vor dem Beginn."),
            _ => {}
        }
        let purpose = match f.purpose.trim() {
            "" => Some(SurveyPurpose::Survey),
            code => SurveyPurpose::from_code(code),
        };
        if purpose.is_none() {
            push(&mut e, "purpose", "Bitte wählen Sie zwischen Abfrage und Selbstcheck.");
        }
        let target = Target::from_code(f.target.trim());
        // A Selbstcheck is open to every Kommune: it needs no selection.
        if target.is_none() && purpose != Some(SurveyPurpose::SelfCheck) {
            push(&mut e, "target", "Bitte wählen Sie, welche Kommunen gefragt werden.");
        }
        let answering = match f.answering.trim() {
            "" => Some(Answering::Verband),
            code => Answering::from_code(code),
        };
        if answering.is_none() {
            push(&mut e, "answering", "Bitte wählen Sie, wer für eine Verbandsgemeinde antwortet.");
        }
        let reminder_days = match f.reminder_days.trim() {
            "" => Some(7),
            n => n.parse::<i32>().ok().filter(|n| (0..=60).contains(n)),
        };
        if reminder_days.is_none() {
            push(&mut e, "reminder_days", "Die Erinnerung kommt 0 bis 60 Tage vor der Frist (0: keine Erinnerung).");
        }
        if !e.is_empty() {
            return Err(crate::error::AppError::Validation(e));
        }
        let value = f.value.split(',').map(str::trim).filter(|v| !v.is_empty()).map(String::from).collect();
        Ok(SurveyInput {
            title,
            description,
            opens: opens.unwrap_or_default(),
            closes: closes.unwrap_or_default(),
            target: target.unwrap_or(Target::All),
            value,
            answering: answering.unwrap_or(Answering::Verband),
            reminder_days: reminder_days.unwrap_or(7),
            purpose: SurveyPurpose::Survey,
        }
        .fitted(purpose.unwrap_or(SurveyPurpose::Survey)))
    }
}

#[cfg(feature = "ssr")]
impl TryFrom<SectionForm> for SectionInput {
    type Error = crate::error::AppError;

    fn try_from(f: SectionForm) -> Result<Self, Self::Error> {
        let title = one_line(&f.title);
        if !(2..=200).contains(&title.chars().count()) {
            return Err(crate::error::AppError::field("title", "Der Titel des Abschnitts muss 2 bis 200 Zeichen lang sein."));
        }
        let intro = f.intro.replace("\r\n", "\n");
        if intro.chars().count() > 5_000 {
            return Err(crate::error::AppError::field("intro", "Die Einleitung des Abschnitts hat höchstens 5.000 Zeichen."));
        }
        Ok(SectionInput { title, intro })
    }
}

#[cfg(feature = "ssr")]
impl TryFrom<QuestionForm> for QuestionInput {
    type Error = crate::error::AppError;

    fn try_from(f: QuestionForm) -> Result<Self, Self::Error> {
        let mut e = Errors::new();
        let section_id = f.section.trim().parse::<i64>().ok();
        if section_id.is_none() {
            push(&mut e, "section", "Bitte wählen Sie den Abschnitt.");
        }
        let kind = QuestionKind::from_code(f.kind.trim());
        if kind.is_none() {
            push(&mut e, "kind", "Bitte wählen Sie die Art der Frage.");
        }
        let text = one_line(&f.text);
        if !(3..=500).contains(&text.chars().count()) {
            push(&mut e, "text", "Die Frage muss 3 bis 500 Zeichen lang sein.");
        }
        let hint = one_line(&f.hint);
        if hint.chars().count() > 1_000 {
            push(&mut e, "hint", "Der Hinweis hat höchstens 1.000 Zeichen.");
        }
        let cell_kind = match f.cell_kind.trim() {
            "" => None,
            code => QuestionKind::from_code(code),
        };
        // A matrix asks its cells' kind; what follows checks the kind of the value asked.
        let asked = if kind == Some(QuestionKind::Matrix) { cell_kind } else { kind };
        if kind == Some(QuestionKind::Matrix) && !cell_kind.is_some_and(QuestionKind::fits_a_cell) {
            push(&mut e, "cell_kind", "Bitte wählen Sie, was je OZG-Leistung gefragt wird (keine Datei und keine Matrix).");
        }
        let mut options: Vec<String> = f.options.lines().map(one_line).filter(|o| !o.is_empty()).collect();
        let other = f.other.is_some() && asked.is_some_and(QuestionKind::has_options);
        let binding = match f.binding.trim() {
            "" => None,
            code => match Binding::from_code(code) {
                None => {
                    push(&mut e, "binding", "Diese Verbindung zum Register gibt es nicht.");
                    None
                }
                Some(b) => {
                    let ozg = f.binding_ozg_id.trim().to_uppercase();
                    if ozg.is_empty() {
                        push(&mut e, "binding_ozg_id", "Bitte nennen Sie die OZG-ID der Leistung, deren Stand gefragt wird.");
                    }
                    if kind != Some(QuestionKind::Single) {
                        push(&mut e, "binding", "Der Stand einer Leistung wird als Einfachauswahl gefragt.");
                    }
                    Some((b, ozg))
                }
            },
        };
        if binding.is_some() {
            // The options are the register's stages, in its order.
            options = crate::register::model::Stage::ALL.iter().map(|s| s.label().to_string()).collect();
        } else if asked.is_some_and(QuestionKind::has_options) {
            let mut seen = std::collections::HashSet::new();
            if options.len() < 2 || options.len() > 50 {
                push(&mut e, "options", "Eine Auswahl hat 2 bis 50 Möglichkeiten, eine je Zeile.");
            } else if options.iter().any(|o| o.chars().count() > 200) {
                push(&mut e, "options", "Eine Möglichkeit hat höchstens 200 Zeichen.");
            } else if !options.iter().all(|o| seen.insert(o.to_lowercase())) {
                push(&mut e, "options", "Jede Möglichkeit steht nur einmal in der Liste.");
            }
        } else {
            options.clear();
        }
        let (mut min, mut max, mut unit) = (None, None, None);
        if asked == Some(QuestionKind::Number) {
            for (field, text, slot) in [("min", &f.min, &mut min), ("max", &f.max, &mut max)] {
                if !text.trim().is_empty() {
                    match parse_number(text) {
                        Some(n) => *slot = Some(n),
                        None => push(&mut e, field, "Bitte geben Sie eine Zahl an, etwa 0 oder 1.500,5."),
                    }
                }
            }
            if let (Some(a), Some(b)) = (min, max)
                && a > b
            {
                push(&mut e, "max", "Der größte Wert liegt nicht unter dem kleinsten.");
            }
            let u = one_line(&f.unit);
            if u.chars().count() > 30 {
                push(&mut e, "unit", "Die Einheit hat höchstens 30 Zeichen.");
            }
            unit = Some(u).filter(|u| !u.is_empty());
        }
        let rows: Vec<String> = if kind == Some(QuestionKind::Matrix) {
            let rows: Vec<String> = f.rows.split(|c: char| c == ',' || c == '\n' || c.is_whitespace()).map(|r| r.trim().to_uppercase()).filter(|r| !r.is_empty()).collect();
            let mut seen = std::collections::HashSet::new();
            if rows.is_empty() || rows.len() > 100 {
                push(&mut e, "rows", "Eine Matrix hat 1 bis 100 OZG-Leistungen als Zeilen (OZG-IDs).");
            } else if !rows.iter().all(|r| seen.insert(r.clone())) {
                push(&mut e, "rows", "Jede OZG-Leistung steht nur einmal in der Matrix.");
            }
            rows
        } else {
            Vec::new()
        };
        let (on, answer) = f.condition.trim().split_once(':').map(|(q, a)| (q.to_string(), a.to_string())).unwrap_or((f.condition_question, f.condition_value));
        let condition = match (on.trim(), answer.trim()) {
            ("", _) => None,
            (q, v) => match q.parse::<i64>() {
                Ok(q) if !v.is_empty() => Some((q, v.to_string())),
                Ok(_) => {
                    push(&mut e, "condition_value", "Bitte wählen Sie die Antwort, nach der die Frage gezeigt wird.");
                    None
                }
                Err(_) => {
                    push(&mut e, "condition_question", "Bitte wählen Sie eine Frage aus der Liste.");
                    None
                }
            },
        };
        if !e.is_empty() {
            return Err(crate::error::AppError::Validation(e));
        }
        Ok(QuestionInput {
            section_id: section_id.unwrap_or_default(),
            kind: kind.unwrap_or(QuestionKind::ShortText),
            text,
            hint,
            required: f.required.is_some(),
            unit,
            min,
            max,
            options,
            other,
            cell_kind: if kind == Some(QuestionKind::Matrix) { cell_kind } else { None },
            rows,
            condition,
            binding,
        })
    }
}
