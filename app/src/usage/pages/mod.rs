//! Pages of the usage figures: the Lagebild page (`figures`) and a Kommune's own figures with the
//! form for its own entries (`own`).

pub mod figures;
pub mod own;

/// A count, or the sign of a withheld cell.
pub(crate) fn count(v: Option<i64>) -> String {
    v.map(crate::ui::format::format_number).unwrap_or_else(|| crate::ui::format::WITHHELD.into())
}

/// A rate per 1,000 inhabitants with one decimal, or the sign of a withheld cell.
pub(crate) fn rate(v: Option<f64>) -> String {
    v.map(crate::ui::format::decimal).unwrap_or_else(|| crate::ui::format::WITHHELD.into())
}
