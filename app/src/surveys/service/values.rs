//! The values of an answer between the form's fields and the stored rows: reading what a form
//! sent (with a German error per field for what does not fit its question) and writing stored
//! rows back under the fields' names.

use crate::core::entities::{survey_answer, survey_answer_choice};
use crate::surveys::answers::{cell_field, field, option_field, other_field};
use crate::surveys::model::{QuestionKind, QuestionView, parse_number};
use std::collections::BTreeMap;

/// A value read from the form, before it is stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Value {
    pub ozg_id: String,
    pub text: Option<String>,
    pub number: Option<f64>,
    pub yes: Option<bool>,
    pub other: Option<String>,
    pub chosen: Vec<i64>,
}

impl Value {
    fn is_empty(&self) -> bool {
        self.text.is_none() && self.number.is_none() && self.yes.is_none() && self.other.is_none() && self.chosen.is_empty()
    }
}

pub type Errors = BTreeMap<String, Vec<String>>;

fn push(e: &mut Errors, field: &str, message: String) {
    e.entry(field.to_string()).or_default().push(message);
}

/// Reads one value of `kind` under `base` (a question's field or a matrix cell's).
fn read_one(kind: QuestionKind, q: &QuestionView, base: &str, form: &BTreeMap<String, String>, e: &mut Errors) -> Value {
    let raw = form.get(base).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let mut v = Value::default();
    match kind {
        QuestionKind::YesNo => match raw.as_deref() {
            None => {}
            Some("ja") => v.yes = Some(true),
            Some("nein") => v.yes = Some(false),
            Some(_) => push(e, base, "Bitte wählen Sie Ja oder Nein.".into()),
        },
        QuestionKind::Single => {
            if let Some(r) = raw {
                match r.parse::<i64>().ok().filter(|id| q.options.iter().any(|o| o.0 == *id)) {
                    Some(id) => v.chosen.push(id),
                    None => push(e, base, "Diese Möglichkeit gibt es bei der Frage nicht.".into()),
                }
            }
        }
        QuestionKind::Multiple => {
            let prefix = format!("{base}_o");
            for (name, value) in form.range(prefix.clone()..) {
                let Some(id) = name.strip_prefix(&prefix) else { break };
                if value.trim().is_empty() {
                    continue;
                }
                match id.parse::<i64>().ok().filter(|id| q.options.iter().any(|o| o.0 == *id)) {
                    Some(id) => v.chosen.push(id),
                    None => push(e, base, "Diese Möglichkeit gibt es bei der Frage nicht.".into()),
                }
            }
        }
        QuestionKind::Number => {
            if let Some(r) = raw {
                let unit = q.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
                match parse_number(&r) {
                    None => push(e, base, "Bitte geben Sie eine Zahl an, etwa 12 oder 1.500,5.".into()),
                    Some(n) if q.min.is_some_and(|m| n < m) || q.max.is_some_and(|m| n > m) => {
                        let range = match (q.min, q.max) {
                            (Some(a), Some(b)) => format!("von {} bis {}{unit}", crate::ui::format::decimal(a), crate::ui::format::decimal(b)),
                            (Some(a), None) => format!("ab {}{unit}", crate::ui::format::decimal(a)),
                            (_, Some(b)) => format!("bis {}{unit}", crate::ui::format::decimal(b)),
                            _ => String::new(),
                        };
                        push(e, base, format!("Bitte geben Sie eine Zahl {range} an."));
                    }
                    Some(n) => v.number = Some(n),
                }
            }
        }
        QuestionKind::Date => {
            if let Some(r) = raw {
                match crate::core::time::parse_day(&r) {
                    Some(d) => v.text = Some(d.format("%Y-%m-%d").to_string()),
                    None => push(e, base, "Bitte geben Sie ein Datum an (TT.MM.JJJJ).".into()),
                }
            }
        }
        QuestionKind::ShortText | QuestionKind::LongText => {
            if let Some(r) = raw {
                let limit = if kind == QuestionKind::ShortText { 500 } else { 10_000 };
                if r.chars().count() > limit {
                    push(e, base, format!("Die Antwort hat höchstens {} Zeichen.", crate::ui::format::format_number(limit as i64)));
                } else {
                    v.text = Some(r.replace("\r\n", "\n"));
                }
            }
        }
        QuestionKind::File | QuestionKind::Matrix => {}
    }
    v
}

/// Reads a question's values (one; for a matrix one per row).
pub fn read(q: &QuestionView, form: &BTreeMap<String, String>, e: &mut Errors) -> Vec<Value> {
    if q.kind == QuestionKind::Matrix {
        let Some(cell) = q.cell_kind else { return Vec::new() };
        return q
            .rows
            .iter()
            .filter_map(|(ozg, _)| {
                let v = read_one(cell, q, &cell_field(q.id, ozg), form, e);
                (!v.is_empty()).then(|| Value { ozg_id: ozg.clone(), ..v })
            })
            .collect();
    }
    let mut v = read_one(q.kind, q, &field(q.id), form, e);
    if q.options.iter().any(|o| o.2) {
        let other = form.get(&other_field(q.id)).map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        match other {
            Some(t) if t.chars().count() > 500 => push(e, &other_field(q.id), "»Sonstiges« hat höchstens 500 Zeichen.".into()),
            Some(t) => {
                // A text for »Sonstiges« chooses it.
                if let Some(o) = q.options.iter().find(|o| o.2)
                    && !v.chosen.contains(&o.0)
                {
                    if q.kind == QuestionKind::Single && !v.chosen.is_empty() {
                        push(e, &other_field(q.id), "Bei einer Einfachauswahl gilt entweder eine Möglichkeit oder »Sonstiges«.".into());
                    } else {
                        v.chosen.push(o.0);
                    }
                }
                v.other = Some(t);
            }
            None => {}
        }
    }
    if v.is_empty() { Vec::new() } else { vec![v] }
}

/// Whether a question holds an answer in `values` (a matrix: every row).
pub fn answered(q: &QuestionView, values: &BTreeMap<String, String>) -> bool {
    let has = |base: &str| values.get(base).is_some_and(|v| !v.trim().is_empty()) || values.range(format!("{base}_o")..).take_while(|(k, _)| k.starts_with(&format!("{base}_o"))).any(|(_, v)| !v.is_empty());
    match q.kind {
        QuestionKind::Matrix => !q.rows.is_empty() && q.rows.iter().all(|(ozg, _)| has(&cell_field(q.id, ozg))),
        _ => has(&field(q.id)) || values.get(&other_field(q.id)).is_some_and(|v| !v.is_empty()),
    }
}

/// Whether a question is shown: it has no condition, or the answer it waits for is given.
pub fn shown(q: &QuestionView, values: &BTreeMap<String, String>) -> bool {
    match &q.condition_on {
        None => true,
        Some((on, answer)) => values.get(&field(*on)).is_some_and(|v| v == answer) || values.get(&option_field(&field(*on), answer.parse().unwrap_or(-1))).is_some_and(|v| !v.is_empty()),
    }
}

/// Stored rows under the form's field names.
pub fn to_fields(questions: &[&QuestionView], answers: &[survey_answer::Model], choices: &[survey_answer_choice::Model]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for q in questions {
        let kind_of = |ozg: &str| if ozg.is_empty() { q.kind } else { q.cell_kind.unwrap_or(q.kind) };
        let base_of = |ozg: &str| if ozg.is_empty() { field(q.id) } else { cell_field(q.id, ozg) };
        for a in answers.iter().filter(|a| a.question_id == q.id) {
            let base = base_of(&a.ozg_id);
            if let Some(b) = a.value_bool {
                out.insert(base.clone(), if b { "ja" } else { "nein" }.to_string());
            }
            if let Some(n) = a.value_number {
                out.insert(base.clone(), crate::ui::format::decimal(n));
            }
            if let Some(t) = &a.value_text {
                out.insert(base.clone(), t.clone());
            }
            if let Some(t) = &a.other_text {
                out.insert(other_field(q.id), t.clone());
            }
        }
        for c in choices.iter().filter(|c| c.question_id == q.id) {
            let base = base_of(&c.ozg_id);
            match kind_of(&c.ozg_id) {
                QuestionKind::Multiple => {
                    out.insert(option_field(&base, c.option_id), "on".into());
                }
                _ => {
                    // »Sonstiges« of a single choice is its text.
                    if !q.options.iter().any(|o| o.0 == c.option_id && o.2) {
                        out.insert(base, c.option_id.to_string());
                    }
                }
            }
        }
    }
    out
}
