//! E-mail addresses as accounts use them: compared in lower case, checked for plausibility.

/// The address as stored and compared: trimmed, in lower case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A plausible e-mail address: one `@`, a dot in the domain, no spaces, at most 254 characters.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_validation_accepts_ordinary_addresses_only() {
        assert!(valid_email("erika@magdeburg.de"));
        assert!(!valid_email("erika"));
        assert!(!valid_email("erika@localhost"));
        assert!(!valid_email("er ika@x.de"));
        assert!(!valid_email("a@b@c.de"));
        assert_eq!(normalise_email(" Erika@Magdeburg.DE "), "erika@magdeburg.de");
    }
}
