//! How a Selbstcheck scores an answer, 0 to 100: a Ja counts full, a Nein nothing; a single
//! choice by its place among the options (the first nothing, the last full: the Land writes the
//! options from the weakest to the strongest); a multiple choice by the share of options chosen;
//! a number by its place in the question's range. »Sonstiges«, texts, dates, files and numbers
//! without a range are not scored; a matrix scores as the mean of its cells. A section scores
//! as the mean of its answered scored questions, the whole as the sections' mean weighted by
//! the Land's weights.

use crate::surveys::answers::{cell_field, field, option_field};
use crate::surveys::model::{QuestionKind, QuestionView, SectionView, parse_number};
use std::collections::BTreeMap;

type Values = BTreeMap<String, String>;

/// The options that count, in order (without »Sonstiges«).
fn ranked(q: &QuestionView) -> Vec<i64> {
    q.options.iter().filter(|o| !o.2).map(|o| o.0).collect()
}

/// A value of `kind` under `base`, 0 to 1.
fn one(kind: QuestionKind, q: &QuestionView, base: &str, values: &Values) -> Option<f64> {
    let raw = values.get(base).map(|v| v.trim()).filter(|v| !v.is_empty());
    match kind {
        QuestionKind::YesNo => match raw? {
            "ja" => Some(1.0),
            "nein" => Some(0.0),
            _ => None,
        },
        QuestionKind::Single => {
            let chosen: i64 = raw?.parse().ok()?;
            let ranked = ranked(q);
            let place = ranked.iter().position(|o| *o == chosen)?;
            Some(place as f64 / (ranked.len().max(2) - 1) as f64)
        }
        QuestionKind::Multiple => {
            let ranked = ranked(q);
            let chosen = ranked.iter().filter(|o| values.get(&option_field(base, **o)).is_some_and(|v| !v.is_empty())).count();
            let any = chosen > 0 || q.options.iter().any(|o| values.get(&option_field(base, o.0)).is_some_and(|v| !v.is_empty()));
            (any && !ranked.is_empty()).then(|| chosen as f64 / ranked.len() as f64)
        }
        QuestionKind::Number => {
            let (min, max) = (q.min?, q.max?);
            let n = parse_number(raw?)?;
            (max > min).then(|| ((n - min) / (max - min)).clamp(0.0, 1.0))
        }
        _ => None,
    }
}

/// Whether a question can score at all.
pub fn scored(q: &QuestionView) -> bool {
    let kind = if q.kind == QuestionKind::Matrix { q.cell_kind } else { Some(q.kind) };
    match kind {
        Some(QuestionKind::YesNo | QuestionKind::Single | QuestionKind::Multiple) => true,
        Some(QuestionKind::Number) => q.min.zip(q.max).is_some_and(|(a, b)| b > a),
        _ => false,
    }
}

/// A question's score, 0 to 1 (none where it is not scored or not answered).
pub fn question(q: &QuestionView, values: &Values) -> Option<f64> {
    if q.kind == QuestionKind::Matrix {
        let cells: Vec<f64> = q.rows.iter().filter_map(|(ozg, _)| one(q.cell_kind?, q, &cell_field(q.id, ozg), values)).collect();
        return (!cells.is_empty()).then(|| cells.iter().sum::<f64>() / cells.len() as f64);
    }
    one(q.kind, q, &field(q.id), values)
}

/// A section's score, 0 to 100: the mean of its shown, answered, scored questions.
pub fn section(sec: &SectionView, values: &Values) -> Option<f64> {
    let scores: Vec<f64> = sec.questions.iter().filter(|q| crate::surveys::service::values::shown(q, values)).filter_map(|q| question(q, values)).collect();
    (!scores.is_empty()).then(|| 100.0 * scores.iter().sum::<f64>() / scores.len() as f64)
}

/// The total, 0 to 100: the scored sections' mean weighted by (weight, score).
pub fn total(sections: &[(i32, Option<f64>)]) -> Option<f64> {
    let counted: Vec<(f64, f64)> = sections.iter().filter(|(w, _)| *w > 0).filter_map(|(w, s)| s.map(|s| (f64::from(*w), s))).collect();
    let weight: f64 = counted.iter().map(|(w, _)| w).sum();
    (weight > 0.0).then(|| counted.iter().map(|(w, s)| w * s).sum::<f64>() / weight)
}

/// The weakest sections, at most `n`: the lowest scores below full, the heavier first among equals.
pub fn weakest(sections: &[(i64, i32, Option<f64>)], n: usize) -> Vec<i64> {
    let mut low: Vec<&(i64, i32, Option<f64>)> = sections.iter().filter(|(_, w, s)| *w > 0 && s.is_some_and(|s| s < 100.0)).collect();
    low.sort_by(|a, b| a.2.partial_cmp(&b.2).unwrap_or(std::cmp::Ordering::Equal).then(b.1.cmp(&a.1)));
    low.into_iter().take(n).map(|s| s.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::model::QuestionView;

    fn q(id: i64, kind: QuestionKind) -> QuestionView {
        QuestionView { id, kind, text: String::new(), hint: String::new(), required: false, unit: None, min: None, max: None, options: Vec::new(), cell_kind: None, rows: Vec::new(), condition: None, condition_on: None, binding: None, added_after_release: false }
    }

    fn values(pairs: &[(String, &str)]) -> Values {
        pairs.iter().map(|(k, v)| (k.clone(), v.to_string())).collect()
    }

    #[test]
    fn each_kind_scores_by_its_rule() {
        let yes = q(1, QuestionKind::YesNo);
        assert_eq!(question(&yes, &values(&[(field(1), "ja")])), Some(1.0));
        assert_eq!(question(&yes, &values(&[(field(1), "nein")])), Some(0.0));
        assert_eq!(question(&yes, &Values::new()), None);
        let single = QuestionView { options: vec![(10, "nein".into(), false), (11, "teils".into(), false), (12, "ganz".into(), false), (13, "Sonstiges".into(), true)], ..q(2, QuestionKind::Single) };
        assert_eq!(question(&single, &values(&[(field(2), "10")])), Some(0.0));
        assert_eq!(question(&single, &values(&[(field(2), "11")])), Some(0.5));
        assert_eq!(question(&single, &values(&[(field(2), "12")])), Some(1.0));
        assert_eq!(question(&single, &values(&[(field(2), "13")])), None, "»Sonstiges« is not scored");
        let multiple = QuestionView { options: vec![(20, "a".into(), false), (21, "b".into(), false), (22, "c".into(), false), (23, "d".into(), false), (24, "Sonstiges".into(), true)], ..q(3, QuestionKind::Multiple) };
        assert_eq!(question(&multiple, &values(&[(option_field(&field(3), 20), "on"), (option_field(&field(3), 22), "on")])), Some(0.5));
        assert_eq!(question(&multiple, &values(&[(option_field(&field(3), 24), "on")])), Some(0.0), "only »Sonstiges« chosen: none of the options");
        let number = QuestionView { min: Some(0.0), max: Some(40.0), ..q(4, QuestionKind::Number) };
        assert_eq!(question(&number, &values(&[(field(4), "10")])), Some(0.25));
        assert_eq!(question(&number, &values(&[(field(4), "1.500")])), Some(1.0), "above the range counts full");
        assert!(!scored(&q(5, QuestionKind::Number)), "a number without a range is not scored");
        assert!(!scored(&q(6, QuestionKind::LongText)));
        let matrix = QuestionView { cell_kind: Some(QuestionKind::YesNo), rows: vec![("A".into(), "a".into()), ("B".into(), "b".into())], ..q(7, QuestionKind::Matrix) };
        assert_eq!(question(&matrix, &values(&[(cell_field(7, "A"), "ja"), (cell_field(7, "B"), "nein")])), Some(0.5));
    }

    #[test]
    fn a_section_means_its_answered_questions_and_the_total_weighs_sections() {
        let sec = SectionView { id: 1, title: String::new(), intro: String::new(), weight: 2, questions: vec![q(1, QuestionKind::YesNo), q(2, QuestionKind::YesNo), q(3, QuestionKind::LongText)] };
        assert_eq!(section(&sec, &values(&[(field(1), "ja"), (field(2), "nein"), (field(3), "viel Text")])), Some(50.0));
        assert_eq!(section(&sec, &values(&[(field(1), "ja")])), Some(100.0), "an unanswered question does not count");
        assert_eq!(section(&sec, &Values::new()), None);
        assert_eq!(total(&[(2, Some(50.0)), (1, Some(80.0)), (0, Some(0.0)), (3, None)]), Some(60.0));
        assert_eq!(total(&[(0, Some(10.0))]), None);
        assert_eq!(weakest(&[(1, 1, Some(80.0)), (2, 1, Some(20.0)), (3, 2, Some(20.0)), (4, 1, Some(100.0)), (5, 0, Some(0.0)), (6, 1, None)], 2), vec![3, 2]);
    }
}
