//! Money as people in Germany write it: `1.234,56 €`, kept as a whole number of cents.

/// An amount in cents in German format: `1.234.567,89 €` with a no-break space before the sign,
/// so "€" never wraps onto a line of its own (negative amounts with a minus).
pub fn euro(cents: impl Into<Cents>) -> String {
    let cents = cents.into().0;
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (euros, rest) = (abs / 100, abs % 100);
    let digits = euros.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped},{rest:02}\u{a0}€")
}

/// An amount typed by a person (`1.234,56`, `1234,5`, `1234`, with or without `€`) in cents;
/// `None` for anything else, negative amounts, or more than a trillion euros.
pub fn parse_euro(text: &str) -> Option<i64> {
    let t: String = text.trim().trim_end_matches('€').trim().chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return None;
    }
    let (whole, frac) = match t.split_once(',') {
        Some((w, f)) => (w.to_string(), f.to_string()),
        None => (t.clone(), String::new()),
    };
    // Dots only as thousands separators, in groups of three.
    let groups: Vec<&str> = whole.split('.').collect();
    if groups.iter().enumerate().any(|(i, g)| g.is_empty() || !g.chars().all(|c| c.is_ascii_digit()) || (i > 0 && g.len() != 3)) {
        return None;
    }
    if frac.len() > 2 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let euros: i64 = groups.concat().parse().ok()?;
    if euros > 1_000_000_000_000 {
        return None;
    }
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    Some(euros * 100 + cents)
}

/// An amount of money in cents: read from what a person typed (`1.234,56`, `1234`, `€`
/// allowed), shown the German way (`1.234,56 €`), sent and stored as the number of cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Cents(pub i64);

impl Cents {
    /// The amount a person typed; `None` for anything that is not an amount of zero or more.
    pub fn parse(text: &str) -> Option<Cents> {
        parse_euro(text).map(Cents)
    }

    /// The amount a person typed when it is more than zero.
    pub fn parse_positive(text: &str) -> Option<Cents> {
        Cents::parse(text).filter(|c| c.0 > 0)
    }
}

impl std::ops::Add for Cents {
    type Output = Cents;
    fn add(self, other: Cents) -> Cents {
        Cents(self.0 + other.0)
    }
}

impl std::ops::Sub for Cents {
    type Output = Cents;
    fn sub(self, other: Cents) -> Cents {
        Cents(self.0 - other.0)
    }
}

impl std::iter::Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        Cents(iter.map(|c| c.0).sum())
    }
}

impl From<i64> for Cents {
    fn from(cents: i64) -> Cents {
        Cents(cents)
    }
}

impl std::fmt::Display for Cents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&euro(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_shown_in_german_format() {
        assert_eq!(euro(0), "0,00\u{a0}€");
        assert_eq!(euro(5), "0,05\u{a0}€");
        assert_eq!(euro(123_456_789), "1.234.567,89\u{a0}€");
        assert_eq!(euro(-100_000), "-1.000,00\u{a0}€");
    }

    #[test]
    fn typed_amounts_are_read_or_refused() {
        assert_eq!(parse_euro("1.234,56"), Some(123_456));
        assert_eq!(parse_euro("1234,5 €"), Some(123_450));
        assert_eq!(parse_euro("25000"), Some(2_500_000));
        assert_eq!(parse_euro("12.34"), None);
        assert_eq!(parse_euro("-5"), None);
        assert_eq!(parse_euro("1,234"), None);
        assert_eq!(parse_euro("zehn"), None);
        assert_eq!(parse_euro(""), None);
        assert_eq!(euro(parse_euro("7.500.000,00").unwrap_or_default()), "7.500.000,00\u{a0}€");
    }

    #[test]
    fn cents_read_german_amounts_and_show_them_so() {
        assert_eq!(Cents::parse("1.234,56 €"), Some(Cents(123_456)));
        assert_eq!(Cents::parse_positive("0"), None);
        assert_eq!(Cents(800_000).to_string(), "8.000,00\u{a0}€");
    }
}
