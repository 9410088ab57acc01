//! A survey's results from its tally: for the Land every figure, live; for an association its
//! members' answers and for the public the published results, both only once the survey has
//! closed (while it runs, each new answer would show in the change of a figure) and with the
//! suppression of `core::disclosure`: questions fewer than the threshold answered, counts that
//! would tell single answers, the extremes of numbers and dates, free text and files, and
//! questions bound to the register (the Lagebild shows the register) are never shown to them;
//! and no figure is shown where a group compared with another the reader sees would differ by
//! one or two Kommunen (`guard`).

use super::tally::{self, Tallies};
use super::{day, last_day, phase};
use crate::access::scope::Scope;
use crate::core::disclosure;
use crate::core::entities::survey;
use crate::error::AppError;
use crate::surveys::model::{QuestionKind, QuestionView, SectionView, SurveyPhase};
use crate::surveys::results::*;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;

fn withheld(reason: impl Into<String>) -> Summary {
    Summary::Withheld { reason: reason.into() }
}

fn german_day(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|_| iso.to_string())
}

/// The summary of one question or matrix row of `kind` from its tally.
fn summarise(kind: QuestionKind, q: &QuestionView, c: &BTreeMap<String, i64>, audience: Audience, t: i64) -> Summary {
    let n = c.get("a").copied().unwrap_or(0);
    let full = audience == Audience::Land;
    if !full {
        if matches!(kind, QuestionKind::ShortText | QuestionKind::LongText | QuestionKind::File) {
            return withheld("Freitext und Dateien sieht nur das Land.");
        }
        if q.binding.is_some() {
            return withheld("Der Stand im Register steht im Lagebild.");
        }
        if n < t {
            return withheld(format!("Weniger als {t} Antworten."));
        }
    }
    match kind {
        QuestionKind::YesNo | QuestionKind::Single | QuestionKind::Multiple => {
            let values: Vec<(String, i64)> = if kind == QuestionKind::YesNo {
                ["ja", "nein"].iter().zip(["Ja", "Nein"]).map(|(k, l)| (l.to_string(), c.get(*k).copied().unwrap_or(0))).collect()
            } else {
                q.options.iter().map(|o| (o.1.clone(), c.get(&format!("o{}", o.0)).copied().unwrap_or(0))).collect()
            };
            let counts: Vec<i64> = values.iter().map(|v| v.1).collect();
            let shown = if full { vec![true; counts.len()] } else { disclosure::answer_counts(n, &counts, t, kind != QuestionKind::Multiple) };
            Summary::Counts { counts: values.into_iter().zip(shown).map(|((label, k), s)| Count { label, n: s.then_some(k) }).collect() }
        }
        QuestionKind::Number => {
            let mut hist: Vec<(f64, i64)> = c.iter().filter_map(|(k, n)| Some((k.strip_prefix('n')?.parse::<f64>().ok()?, *n))).collect();
            hist.sort_by(|a, b| a.0.total_cmp(&b.0));
            let (min, max) = (hist.first().map(|h| h.0), hist.last().map(|h| h.0));
            if !full && hist.len() < 2 {
                return withheld("Alle gaben denselben Wert an; er würde jede Antwort zeigen.");
            }
            let total: i64 = hist.iter().map(|h| h.1).sum();
            // Two decimals: more would claim a precision the answers do not have.
            let mean = (total > 0).then(|| (hist.iter().map(|(v, n)| v * *n as f64).sum::<f64>() / total as f64 * 100.0).round() / 100.0);
            let mut seen = 0;
            let median = hist.iter().find(|(_, n)| {
                seen += n;
                seen * 2 >= total
            });
            Summary::Numbers { mean, median: median.map(|m| m.0), min: min.filter(|_| full), max: max.filter(|_| full), unit: q.unit.clone() }
        }
        QuestionKind::Date => {
            let hist: Vec<(String, i64)> = c.iter().filter_map(|(k, n)| Some((k.strip_prefix('d')?.to_string(), *n))).collect();
            if !full && hist.len() < 2 {
                return withheld("Alle gaben dasselbe Datum an; es würde jede Antwort zeigen.");
            }
            let median = disclosure::median(&hist).map(|d| german_day(&d));
            let earliest = hist.first().filter(|_| full).map(|d| german_day(&d.0));
            let latest = hist.last().filter(|_| full).map(|d| german_day(&d.0));
            Summary::Dates { earliest, median, latest }
        }
        QuestionKind::ShortText | QuestionKind::LongText | QuestionKind::File | QuestionKind::Matrix => Summary::Answered,
    }
}

/// Every question's results, section by section.
pub fn summarise_sections(sections: &[SectionView], tallies: &Tallies, audience: Audience, t: i64) -> Vec<SectionResult> {
    let empty = BTreeMap::new();
    let of = |q: i64, ozg: &str| tallies.get(&(q, ozg.to_string())).unwrap_or(&empty);
    sections
        .iter()
        .map(|s| SectionResult {
            title: s.title.clone(),
            questions: s
                .questions
                .iter()
                .map(|q| {
                    let c = of(q.id, "");
                    let summary = match (q.kind, q.cell_kind) {
                        (QuestionKind::Matrix, Some(cell)) => Summary::Matrix {
                            rows: q
                                .rows
                                .iter()
                                .map(|(ozg, name)| {
                                    let rc = of(q.id, ozg);
                                    MatrixRow { ozg_id: ozg.clone(), name: name.clone(), answered: rc.get("a").copied().unwrap_or(0), summary: Box::new(summarise(cell, q, rc, audience, t)) }
                                })
                                .collect(),
                        },
                        (kind, _) => summarise(kind, q, c, audience, t),
                    };
                    QuestionResult { id: q.id, text: q.text.clone(), kind: q.kind, answered: c.get("a").copied().unwrap_or(0), summary }
                })
                .collect(),
        })
        .collect()
}

fn frame(s: &survey::Model, audience: Audience, t: i64, now: DateTime<Utc>) -> SurveyResults {
    SurveyResults {
        id: s.id,
        title: s.title.clone(),
        audience,
        phase: phase(s, now),
        opens: day(s.opens_at),
        closes: last_day(s),
        target_label: s.target_label.clone(),
        threshold: t,
        asked: 0,
        submitted: 0,
        by_kreis: Vec::new(),
        by_kind: Vec::new(),
        published: s.published_at.map(day),
        withheld: None,
        sections: Vec::new(),
    }
}

/// The Land's results: every figure, live.
#[tracing::instrument(skip_all)]
pub async fn land(db: &impl ConnectionTrait, survey_id: i64, t: i64, now: DateTime<Utc>) -> Result<SurveyResults, AppError> {
    let s = super::build::survey_of(db, survey_id).await?;
    let mut r = frame(&s, Audience::Land, t, now);
    let (by_kreis, by_kind) = super::rates::read_rates(db, survey_id).await?;
    r.asked = by_kind.iter().map(|k| k.asked).sum();
    r.submitted = by_kind.iter().map(|k| k.submitted).sum();
    (r.by_kreis, r.by_kind) = (by_kreis, by_kind);
    r.sections = summarise_sections(&super::sections(db, survey_id).await?, &tally::of_survey(db, survey_id).await?, Audience::Land, t);
    Ok(r)
}

/// The published results, as everyone reads them; "not found" before they are published.
#[tracing::instrument(skip_all)]
pub async fn public(db: &impl ConnectionTrait, survey_id: i64, t: i64, now: DateTime<Utc>) -> Result<SurveyResults, AppError> {
    let s = super::build::survey_of(db, survey_id).await?;
    if s.published_at.is_none() || phase(&s, now) != SurveyPhase::Closed {
        return Err(AppError::NotFound);
    }
    let mut r = frame(&s, Audience::Public, t, now);
    (r.asked, r.submitted) = super::rates::totals(db, survey_id, None).await?;
    if r.submitted < t {
        r.withheld = Some(format!("Weniger als {t} Kommunen haben geantwortet."));
    } else {
        r.sections = summarise_sections(&super::sections(db, survey_id).await?, &tally::of_survey(db, survey_id).await?, Audience::Public, t);
    }
    Ok(r)
}

/// An association's view: its members' answers, once the survey has closed.
#[tracing::instrument(skip_all)]
pub async fn members(db: &impl ConnectionTrait, survey_id: i64, association: &str, t: i64, now: DateTime<Utc>) -> Result<SurveyResults, AppError> {
    let s = super::build::survey_of(db, survey_id).await?;
    let kinds = crate::announcements::service::member_kinds(association).ok_or(AppError::NotFound)?;
    let (asked, submitted) = super::rates::totals(db, survey_id, Some(&kinds)).await?;
    if asked == 0 || s.state != crate::surveys::model::SurveyState::Released {
        return Err(AppError::NotFound);
    }
    let mut r = frame(&s, Audience::Members, t, now);
    r.asked = asked;
    if r.phase != SurveyPhase::Closed {
        r.withheld = Some("Die Ergebnisse Ihrer Mitglieder stehen nach dem Ende der Frist bereit: solange die Abfrage läuft, zeigte jede Änderung einer Zahl eine einzelne Antwort.".into());
        return Ok(r);
    }
    r.submitted = submitted;
    if r.submitted < t {
        r.withheld = Some(format!("Weniger als {t} Ihrer Mitglieder haben geantwortet."));
    } else {
        let all = if s.published_at.is_some() { super::rates::totals(db, survey_id, None).await?.1 } else { submitted };
        match super::guard::members_conflict(db, &s, &kinds, submitted, all, t as usize, now).await? {
            Some(why) => r.withheld = Some(why),
            None => r.sections = summarise_sections(&super::sections(db, survey_id).await?, &tally::of_kinds(db, survey_id, Some(&kinds)).await?, Audience::Members, t),
        }
    }
    Ok(r)
}

/// The results as the caller may read them: the Land's advisors every figure, an association
/// its members' (or, where those are not theirs to see, the published ones), everyone else the
/// published results.
pub async fn read(db: &impl ConnectionTrait, scope: &Scope, survey_id: i64, verband: Option<&str>, t: i64, now: DateTime<Utc>) -> Result<SurveyResults, AppError> {
    match scope {
        Scope::Land => land(db, survey_id, t, now).await,
        Scope::Association { org_keys } => {
            let key = verband.filter(|v| org_keys.contains(*v)).or_else(|| org_keys.iter().next().map(String::as_str));
            match key {
                Some(k) => match members(db, survey_id, k, t, now).await {
                    Err(AppError::NotFound) => public(db, survey_id, t, now).await,
                    r => r,
                },
                None => public(db, survey_id, t, now).await,
            }
        }
        _ => public(db, survey_id, t, now).await,
    }
}

/// The surveys whose results the caller may read, newest first.
pub async fn list(db: &impl ConnectionTrait, scope: &Scope, now: DateTime<Utc>) -> Result<Vec<ResultLine>, AppError> {
    let released = survey::Entity::find().filter(survey::Column::State.eq(crate::surveys::model::SurveyState::Released.code())).order_by_desc(survey::Column::ClosesAt).all(db).await?;
    let public = |s: &survey::Model| s.published_at.is_some() && phase(s, now) == SurveyPhase::Closed;
    // The kinds of Kommune the caller's associations speak for.
    let kinds: Vec<crate::identity::OrgKind> = match scope {
        Scope::Association { org_keys } => org_keys.iter().filter_map(|k| crate::announcements::service::member_kinds(k)).flatten().collect(),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for s in released {
        let readable = match scope {
            Scope::Land => true,
            Scope::Association { .. } => public(&s) || super::rates::totals(db, s.id, Some(&kinds)).await?.0 > 0,
            _ => public(&s),
        };
        if readable {
            out.push(ResultLine { id: s.id, phase: phase(&s, now), closes: last_day(&s), published: s.published_at.map(day), title: s.title });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::surveys::Binding;

    fn question(id: i64, binding: Option<(Binding, String, String)>) -> QuestionView {
        QuestionView {
            id,
            kind: QuestionKind::Single,
            text: "Wie weit ist die Leistung?".into(),
            hint: String::new(),
            required: false,
            unit: None,
            min: None,
            max: None,
            options: vec![(1, "geplant".into(), false), (2, "online".into(), false)],
            cell_kind: None,
            rows: Vec::new(),
            condition: None,
            condition_on: None,
            binding,
            added_after_release: false,
        }
    }

    /// A question bound to the register repeats what the Lagebild shows of the same Kommunen:
    /// beside it, a published count would tell single Kommunen's answers, so only the Land sees it.
    #[test]
    fn a_question_bound_to_the_register_is_shown_to_the_land_only() {
        let bound = question(1, Some((Binding::Stage, "Elterngeld".into(), "10000".into())));
        let plain = question(2, None);
        let section = SectionView { id: 1, title: "Teil".into(), intro: String::new(), questions: vec![bound, plain], weight: 1 };
        let counts: BTreeMap<String, i64> = [("a".to_string(), 10), ("o1".to_string(), 5), ("o2".to_string(), 5)].into();
        let tallies: Tallies = [((1, String::new()), counts.clone()), ((2, String::new()), counts)].into();
        let summary = |audience: Audience, id: i64| summarise_sections(std::slice::from_ref(&section), &tallies, audience, 3)[0].questions.iter().find(|q| q.id == id).map(|q| q.summary.clone());
        for audience in [Audience::Public, Audience::Members] {
            assert!(matches!(summary(audience, 1), Some(Summary::Withheld { reason }) if reason.contains("Lagebild")), "{audience:?}");
            assert!(matches!(summary(audience, 2), Some(Summary::Counts { .. })), "the same counts unbound are shown: {audience:?}");
        }
        assert!(matches!(summary(Audience::Land, 1), Some(Summary::Counts { .. })));
    }
}
