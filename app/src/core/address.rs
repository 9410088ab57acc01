//! What is the same e-mail address, decided once for sign-in, invitations, password reset,
//! account creation and the identity provider alike.

use unicode_normalization::UnicodeNormalization;

/// Characters that show as nothing and are trimmed like spaces (zero-width space, joiners,
/// byte-order mark, word joiner).
fn invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// The address as stored and compared: Unicode NFKC (so a KELVIN SIGN is a `K`, a full-width
/// letter its ordinary one), every kind of space trimmed at both ends, in lower case.
pub fn normalise_email(email: &str) -> String {
    let nfkc: String = email.nfkc().collect();
    nfkc.trim_matches(invisible).to_lowercase()
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
        && !email.chars().any(|c| invisible(c) || c.is_control())
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
        assert!(!valid_email("erika\u{200B}@x.de"));
        assert_eq!(normalise_email(" Erika@Magdeburg.DE "), "erika@magdeburg.de");
    }

    #[test]
    fn look_alike_forms_of_one_address_are_the_same_address() {
        let plain = normalise_email("kai@magdeburg.de");
        for variant in ["\u{212A}ai@magdeburg.de", "kai@magdeburg.de\u{00A0}", "\u{FEFF}KAI@MAGDEBURG.DE\u{2003}", "ｋａｉ@magdeburg.de"] {
            assert_eq!(normalise_email(variant), plain, "{variant:?}");
        }
    }
}
