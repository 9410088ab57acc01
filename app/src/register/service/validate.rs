//! Validating a record's input: dates, URLs, criteria against the known list, and the change set between two versions.

use crate::core::entities::service_record;
use crate::catalogue::service::criteria::Known;
use crate::register::model::{FieldChange, MaturityModel, criteria_to_text, Responsibility, ServiceRecordInput, SolutionKind, Stage};
use crate::error::AppError;
use chrono::NaiveDate;
use std::collections::BTreeMap;

pub const MAX_NOTE: usize = 4000;
pub const MAX_SHORT: usize = 200;
pub const MAX_URL: usize = 2000;
pub const MAX_CONTACT: usize = 300;
pub const MAX_REASON: usize = 1000;


pub(super) fn add(e: &mut BTreeMap<String, Vec<String>>, field: &str, message: String) {
    e.entry(field.to_string()).or_default().push(message);
}

pub(super) fn today_berlin() -> NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Berlin).date_naive()
}

pub(super) fn parse_date(s: &str) -> Option<NaiveDate> {
    crate::core::time::parse_day(s)
}

pub(super) fn fmt_date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

pub(super) fn trimmed(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A validated, normalised input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valid {
    pub input: ServiceRecordInput,
    pub dates: BTreeMap<Stage, NaiveDate>,
    pub planned: Option<NaiveDate>,
}

/// Checks an input against every rule; all problems are reported at once, per field, in German.
pub fn validate(raw: &ServiceRecordInput, known: &Known) -> Result<Valid, AppError> {
    validate_on(raw, today_berlin(), known)
}

pub fn validate_on(raw: &ServiceRecordInput, today: NaiveDate, known: &Known) -> Result<Valid, AppError> {
    let mut e: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut input = raw.clone();
    input.responsibility_note = trimmed(&raw.responsibility_note);
    input.solution_name = trimmed(&raw.solution_name);
    input.solution_provider = trimmed(&raw.solution_provider);
    input.url = trimmed(&raw.url);
    input.contact = trimmed(&raw.contact);
    input.note = trimmed(&raw.note);
    input.planned_go_live = trimmed(&raw.planned_go_live);

    if input.responsibility == Responsibility::Other {
        if input.responsibility_note.is_none() {
            add(&mut e, "responsibility_note", "Bitte begründen Sie, warum die Kommune nicht zuständig ist (z. B. »Landkreis«).".into());
        }
        if input.offered {
            add(&mut e, "offered", "Eine Leistung, für die die Kommune nicht zuständig ist, kann sie nicht selbst anbieten.".into());
        }
    }
    if input.responsibility_note.as_ref().is_some_and(|n| n.chars().count() > MAX_REASON) {
        add(&mut e, "responsibility_note", format!("Die Begründung darf höchstens {MAX_REASON} Zeichen lang sein."));
    }

    let mut dates = BTreeMap::new();
    for (stage, text) in &raw.stage_dates {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        match parse_date(text) {
            None => add(&mut e, "stage_dates", format!("Datum für »{}«: »{text}« ist kein Datum (TT.MM.JJJJ).", stage.label())),
            Some(_) if *stage == Stage::NotStarted => {
                add(&mut e, "stage_dates", "Für »nicht begonnen« wird kein Datum erfasst.".into());
            }
            Some(d) if d > today => add(&mut e, "stage_dates", format!("Das Datum für »{}« ({}) liegt in der Zukunft.", stage.label(), fmt_date(d))),
            Some(_) if *stage > input.stage && input.stage != Stage::Discontinued => add(
                &mut e,
                "stage_dates",
                format!("Für »{}« ist ein Datum angegeben, der Stand ist aber erst »{}«.", stage.label(), input.stage.label()),
            ),
            Some(d) => {
                dates.insert(*stage, d);
            }
        }
    }
    // Stages are reached in order: a later stage cannot have an earlier date.
    let ordered: Vec<(&Stage, &NaiveDate)> = dates.iter().collect();
    for pair in ordered.windows(2) {
        let ((s1, d1), (s2, d2)) = (pair[0], pair[1]);
        if d2 < d1 {
            add(
                &mut e,
                "stage_dates",
                format!("»{}« ({}) kann nicht vor »{}« ({}) erreicht worden sein.", s2.label(), fmt_date(*d2), s1.label(), fmt_date(*d1)),
            );
        }
    }
    // The date the current stage was reached defaults to today.
    if input.stage != Stage::NotStarted && !dates.contains_key(&input.stage) && !e.contains_key("stage_dates") {
        let earlier_max = dates.values().max().copied();
        if earlier_max.is_none_or(|m| m <= today) {
            dates.insert(input.stage, today);
        }
    }
    input.stage_dates = dates.iter().map(|(s, d)| (*s, d.format("%Y-%m-%d").to_string())).collect();

    let planned = match &input.planned_go_live {
        None => None,
        Some(t) => match parse_date(t) {
            Some(d) => {
                input.planned_go_live = Some(d.format("%Y-%m-%d").to_string());
                Some(d)
            }
            None => {
                add(&mut e, "planned_go_live", format!("»{t}« ist kein Datum (TT.MM.JJJJ)."));
                None
            }
        },
    };

    check_criteria(&mut input, known, &mut e);
    match (input.maturity_model, input.maturity_level) {
        (None, None) => {}
        (Some(_), None) => add(&mut e, "maturity_level", "Bitte geben Sie zum Reifegradmodell auch den Reifegrad an.".into()),
        (None, Some(_)) => add(&mut e, "maturity_model", "Bitte geben Sie an, nach welchem Reifegradmodell (1.1 oder 2.0) bewertet wurde.".into()),
        (Some(m), Some(l)) if !(0..=m.max_level()).contains(&l) => add(
                &mut e,
            "maturity_level",
            format!("Im Reifegradmodell {} liegt der Reifegrad zwischen 0 und {}; {l} ist nicht möglich.", m.code(), m.max_level()),
        ),
        _ => {}
    }

    if input.solution_kind == Some(SolutionKind::Efa) {
        if input.solution_name.is_none() {
            add(&mut e, "solution_name", "Bitte nennen Sie die nachgenutzte EfA-Leistung.".into());
        }
        if input.solution_provider.is_none() {
            add(&mut e, "solution_provider", "Bitte nennen Sie das Land, das die EfA-Leistung bereitstellt.".into());
        }
    }
    for (field, value, max) in [
        ("solution_name", &input.solution_name, MAX_SHORT),
        ("solution_provider", &input.solution_provider, MAX_SHORT),
        ("contact", &input.contact, MAX_CONTACT),
        ("note", &input.note, MAX_NOTE),
    ] {
        if value.as_ref().is_some_and(|v| v.chars().count() > max) {
            add(&mut e, field, format!("Höchstens {max} Zeichen sind möglich."));
        }
    }
    if let Some(url) = &input.url
        && let Err(m) = check_url(url)
    {
        add(&mut e, "url", m);
    }
    if input.version < 0 {
        add(&mut e, "version", "Die Version ist ungültig.".into());
    }
    if e.is_empty() { Ok(Valid { input, dates, planned }) } else { Err(AppError::Validation(e)) }
}

/// The per-criterion assessment: known criteria of the chosen model, levels in the model's
/// range; when any criterion is rated, the lowest rated one sets the Reifegrad (filled in when
/// no level was given, refused when a different level was given).
pub(super) fn check_criteria(input: &mut ServiceRecordInput, known: &Known, e: &mut BTreeMap<String, Vec<String>>) {
    if input.maturity_criteria.is_empty() {
        return;
    }
    let Some(model) = input.maturity_model else {
        add(e, "maturity_criteria", "Eine Kriterienbewertung braucht das Reifegradmodell, nach dem bewertet wurde.".into());
        return;
    };
    let mut ok = true;
    for (code, level) in &input.maturity_criteria {
        if !known.contains(model, code) {
            add(e, "maturity_criteria", format!("Das Reifegradmodell {} kennt kein Kriterium »{code}«.", model.code()));
            ok = false;
        } else if let Some(l) = level
            && !(0..=model.max_level()).contains(l)
        {
            add(
                e,
                "maturity_criteria",
                format!("Kriterium »{code}«: im Reifegradmodell {} liegt die Stufe zwischen 0 und {}; {l} ist nicht möglich.", model.code(), model.max_level()),
            );
            ok = false;
        }
    }
    let lowest = input.maturity_criteria.values().flatten().min().copied();
    if !ok {
        return;
    }
    match (lowest, input.maturity_level) {
        (Some(l), None) => input.maturity_level = Some(l),
        (Some(l), Some(given)) if given != l => add(
            e,
            "maturity_level",
            format!("Der Reifegrad ergibt sich aus dem niedrigsten bewerteten Kriterium und ist daher {l}, nicht {given}."),
        ),
        _ => {}
    }
}

/// An absolute http(s) address without spaces or control characters.
pub fn check_url(url: &str) -> Result<(), String> {
    if url.chars().count() > MAX_URL {
        return Err(format!("Die Adresse darf höchstens {MAX_URL} Zeichen lang sein."));
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Err("Bitte geben Sie eine vollständige Adresse an, die mit https:// oder http:// beginnt.".into());
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.starts_with('.') || !host.contains('.') && !host.starts_with("localhost") {
        return Err("Die Adresse enthält keinen gültigen Servernamen.".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == '"') {
        return Err("Die Adresse darf keine Leerzeichen, Anführungszeichen oder spitzen Klammern enthalten.".into());
    }
    Ok(())
}

pub fn default_input() -> ServiceRecordInput {
    ServiceRecordInput {
        offered: false,
        responsibility: Responsibility::Own,
        responsibility_note: None,
        stage: Stage::NotStarted,
        stage_dates: BTreeMap::new(),
        planned_go_live: None,
        maturity_model: None,
        maturity_level: None,
        maturity_criteria: BTreeMap::new(),
        solution_kind: None,
        solution_name: None,
        solution_provider: None,
        url: None,
        contact: None,
        note: None,
        version: 0,
    }
}

/// The stored record as the input it would take to produce it.
pub fn input_of(m: &service_record::Model) -> ServiceRecordInput {
    ServiceRecordInput {
        offered: m.offered,
        responsibility: if m.responsibility == "other" { Responsibility::Other } else { Responsibility::Own },
        responsibility_note: m.responsibility_note.clone(),
        stage: Stage::from_code(&m.stage).unwrap_or(Stage::NotStarted),
        stage_dates: serde_json::from_str(&m.stage_dates).unwrap_or_default(),
        planned_go_live: m.planned_go_live.map(|d| d.format("%Y-%m-%d").to_string()),
        maturity_model: m.maturity_model.as_deref().and_then(MaturityModel::from_code),
        maturity_level: m.maturity_level,
        maturity_criteria: m.maturity_criteria.as_deref().and_then(|c| serde_json::from_str(c).ok()).unwrap_or_default(),
        solution_kind: m.solution_kind.as_deref().and_then(SolutionKind::from_code),
        solution_name: m.solution_name.clone(),
        solution_provider: m.solution_provider.clone(),
        url: m.url.clone(),
        contact: m.contact.clone(),
        note: m.note.clone(),
        version: m.version,
    }
}

/// Field-by-field differences between two inputs (versions ignored), as stored in the history.
pub fn diff(old: &ServiceRecordInput, new: &ServiceRecordInput) -> Vec<FieldChange> {
    fn s<T: serde::Serialize>(v: &T) -> Option<String> {
        match serde_json::to_value(v).ok()? {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s),
            other => Some(other.to_string()),
        }
    }
    let mut out = Vec::new();
    let mut push = |field: &str, a: Option<String>, b: Option<String>| {
        if a != b {
            out.push(FieldChange { field: field.to_string(), old: a, new: b });
        }
    };
    push("offered", s(&old.offered), s(&new.offered));
    push("responsibility", s(&old.responsibility), s(&new.responsibility));
    push("responsibility_note", old.responsibility_note.clone(), new.responsibility_note.clone());
    push("stage", s(&old.stage), s(&new.stage));
    push("stage_dates", s(&old.stage_dates), s(&new.stage_dates));
    push("planned_go_live", old.planned_go_live.clone(), new.planned_go_live.clone());
    push("maturity_model", s(&old.maturity_model), s(&new.maturity_model));
    push("maturity_level", s(&old.maturity_level), s(&new.maturity_level));
    let criteria = |c: &BTreeMap<String, Option<i16>>| (!c.is_empty()).then(|| criteria_to_text(c));
    push("maturity_criteria", criteria(&old.maturity_criteria), criteria(&new.maturity_criteria));
    push("solution_kind", s(&old.solution_kind), s(&new.solution_kind));
    push("solution_name", old.solution_name.clone(), new.solution_name.clone());
    push("solution_provider", old.solution_provider.clone(), new.solution_provider.clone());
    push("url", old.url.clone(), new.url.clone());
    push("contact", old.contact.clone(), new.contact.clone());
    push("note", old.note.clone(), new.note.clone());
    out
}

#[cfg(test)]
// Test code only: a failing `expect` is the test failing, with its message.
mod tests {
    use super::*;

    fn input() -> ServiceRecordInput {
        default_input()
    }

    fn day(s: &str) -> NaiveDate {
        parse_date(s).expect("date")
    }

    fn crit() -> Known {
        let mut k = Known::default();
        k.0.entry(MaturityModel::V2_0).or_default().extend(["information".to_string(), "bezahlung".to_string(), "nachweise".to_string()]);
        k
    }

    #[test]
    fn the_lowest_rated_criterion_sets_the_level() {
        let mut i = input();
        i.maturity_model = Some(MaturityModel::V2_0);
        i.maturity_criteria = [("information".to_string(), Some(5)), ("nachweise".to_string(), Some(3)), ("bezahlung".to_string(), None)].into();
        let v = validate_on(&i, day("2025-06-01"), &crit()).expect("valid assessment");
        assert_eq!(v.input.maturity_level, Some(3), "the lowest rated criterion, 'nicht erforderlich' ignored");
        i.maturity_level = Some(4);
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("level contradicts the criteria");
        assert!(e.field_messages("maturity_level")[0].contains("daher 3"));
        i.maturity_level = None;
        i.maturity_criteria.insert("unbekannt".into(), Some(2));
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("unknown criterion");
        assert!(e.field_messages("maturity_criteria")[0].contains("»unbekannt«"));
        i.maturity_criteria.remove("unbekannt");
        i.maturity_criteria.insert("information".into(), Some(8));
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("8 is outside 2.0");
        assert!(e.field_messages("maturity_criteria")[0].contains("zwischen 0 und 7"));
        i.maturity_model = None;
        assert!(validate_on(&i, day("2025-06-01"), &crit()).is_err(), "criteria need their model");
        i.maturity_model = Some(MaturityModel::V1_1);
        i.maturity_criteria = [("information".to_string(), Some(2))].into();
        assert!(validate_on(&i, day("2025-06-01"), &crit()).is_err(), "a 2.0 criterion is unknown in model 1.1");
    }

    #[test]
    fn criteria_text_round_trips() {
        let c: BTreeMap<String, Option<i16>> = [("a".to_string(), Some(3)), ("b".to_string(), None)].into();
        assert_eq!(criteria_to_text(&c), "a=3, b=ne");
        assert_eq!(crate::register::model::criteria_from_text("a=3, b=ne"), Ok(c));
        assert!(crate::register::model::criteria_from_text("a=drei").is_err());
        assert!(crate::register::model::criteria_from_text("a=1, a=2").is_err());
        assert!(crate::register::model::criteria_from_text("a").is_err());
    }

    #[test]
    fn maturity_levels_are_checked_against_their_model() {
        let mut i = input();
        i.maturity_model = Some(MaturityModel::V1_1);
        i.maturity_level = Some(5);
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("5 is outside 1.1");
        assert!(e.field_messages("maturity_level")[0].contains("zwischen 0 und 4"));
        i.maturity_model = Some(MaturityModel::V2_0);
        assert!(validate_on(&i, day("2025-06-01"), &crit()).is_ok(), "5 is fine in 2.0");
        i.maturity_model = None;
        assert!(validate_on(&i, day("2025-06-01"), &crit()).is_err(), "a level needs its model");
    }

    #[test]
    fn stage_dates_must_follow_the_order_of_stages_and_not_lie_in_the_future() {
        let mut i = input();
        i.stage = Stage::Online;
        i.stage_dates.insert(Stage::Planned, "2025-03-01".into());
        i.stage_dates.insert(Stage::Online, "2025-02-01".into());
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("online before planned");
        assert!(e.field_messages("stage_dates")[0].contains("kann nicht vor"));
        i.stage_dates.insert(Stage::Online, "2025-07-01".into());
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("future");
        assert!(e.field_messages("stage_dates")[0].contains("Zukunft"));
        i.stage = Stage::Planned;
        i.stage_dates.insert(Stage::Online, "2025-04-01".into());
        assert!(validate_on(&i, day("2025-06-01"), &crit()).is_err(), "a date for a stage not reached yet");
    }

    #[test]
    fn the_current_stage_gets_todays_date_when_none_is_given() {
        let mut i = input();
        i.stage = Stage::Planned;
        let v = validate_on(&i, day("2025-06-01"), &crit()).expect("valid");
        assert_eq!(v.input.stage_dates.get(&Stage::Planned).map(String::as_str), Some("2025-06-01"));
    }

    #[test]
    fn urls_must_be_absolute_http_addresses() {
        assert!(check_url("https://service.magdeburg.de/elterngeld").is_ok());
        assert!(check_url("javascript:alert(1)").is_err());
        assert!(check_url("JAVASCRIPT://x.de/%0Aalert(1)").is_err());
        assert!(check_url("https://").is_err());
        assert!(check_url("https://exa mple.de").is_err());
        assert!(check_url("ftp://x.de").is_err());
    }

    #[test]
    fn not_responsible_needs_a_reason_and_cannot_offer() {
        let mut i = input();
        i.responsibility = Responsibility::Other;
        i.offered = true;
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("invalid");
        assert!(!e.field_messages("responsibility_note").is_empty());
        assert!(!e.field_messages("offered").is_empty());
    }

    #[test]
    fn efa_reuse_names_service_and_providing_land() {
        let mut i = input();
        i.solution_kind = Some(SolutionKind::Efa);
        let e = validate_on(&i, day("2025-06-01"), &crit()).expect_err("invalid");
        assert!(!e.field_messages("solution_name").is_empty() && !e.field_messages("solution_provider").is_empty());
    }

    #[test]
    fn long_notes_are_refused() {
        let mut i = input();
        i.note = Some("x".repeat(MAX_NOTE + 1));
        assert!(!validate_on(&i, day("2025-06-01"), &crit()).expect_err("long").field_messages("note").is_empty());
    }

    #[test]
    fn diff_lists_changed_fields_only() {
        let a = input();
        let mut b = input();
        b.stage = Stage::Online;
        b.maturity_model = Some(MaturityModel::V1_1);
        b.maturity_level = Some(3);
        let d = diff(&a, &b);
        let fields: Vec<&str> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["stage", "maturity_model", "maturity_level"]);
        assert_eq!(d[0].old.as_deref(), Some("not_started"));
        assert_eq!(d[0].new.as_deref(), Some("online"));
        assert_eq!(d[2].new.as_deref(), Some("3"));
    }
}
