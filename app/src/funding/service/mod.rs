//! Funding services: programmes (`programmes`), applications (`applications`), their workflow
//! with the budget check (`workflow`), what the Kommunen are told of it (`notices`) and the
//! figures (`figures`).

pub mod applications;
pub mod figures;
pub mod notices;
pub mod programmes;
pub mod release;
pub mod workflow;

/// Today in Europe/Berlin.
pub(crate) fn today() -> chrono::NaiveDate {
    crate::core::time::now().with_timezone(&chrono_tz::Europe::Berlin).date_naive()
}
