//! The Gremien's forms as they are checked on the server: field errors collected per field.

pub(crate) type Errors = std::collections::BTreeMap<String, Vec<String>>;

pub(crate) fn push(e: &mut Errors, field: &str, message: &str) {
    e.entry(field.to_string()).or_default().push(message.to_string());
}

pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn done(e: Errors) -> Result<(), crate::error::AppError> {
    if e.is_empty() { Ok(()) } else { Err(crate::error::AppError::Validation(e)) }
}
