//! Formatting for people: dates as `TT.MM.JJJJ`, numbers with German separators, file sizes;
//! amounts (from the vocabulary's money).

/// `JJJJ-MM-TT…` (an ISO date or timestamp) as `TT.MM.JJJJ`.
pub fn format_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.get(..10).unwrap_or(iso).split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// Percent-encodes a query value.
pub fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub use crate::vocabulary::money::{euro, parse_euro};


/// A file size in German: "1,5 MB", "820 KB", "12 Byte" (pages and server messages alike).
pub fn human_size(n: i64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0)).replace('.', ",")
    } else if n >= 1024 {
        format!("{} KB", n / 1024)
    } else {
        format!("{n} Byte")
    }
}

/// German thousands separator: 2135597 → "2.135.597".
pub fn format_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_german_grouping() {
        assert_eq!(format_number(2_135_597), "2.135.597");
        assert_eq!(format_number(999), "999");
        assert_eq!(format_number(-1000), "-1.000");
    }

    #[test]
    fn sizes_read_in_german() {
        assert_eq!(human_size(1536 * 1024), "1,5 MB");
        assert_eq!(human_size(2048), "2 KB");
    }
}
