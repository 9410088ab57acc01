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

const MONTHS: [&str; 12] = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];
const MONTHS_ABBR: [&str; 12] = ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."];

fn month_index(m: &str) -> Option<(usize, &str)> {
    let (y, mo) = m.split_once('-')?;
    let i = mo.get(..2).unwrap_or(mo).parse::<usize>().ok()?.checked_sub(1)?;
    (i < 12).then_some((i, y))
}

/// A month (`JJJJ-MM`) as the portal writes it everywhere: "Januar 2026".
pub fn month(m: &str) -> String {
    month_index(m).map(|(i, y)| format!("{} {y}", MONTHS[i])).unwrap_or_else(|| m.to_string())
}

/// A month's abbreviation for a chart's axis ("Jan.", "März"); the year stands beside it.
pub fn month_abbr(m: &str) -> String {
    month_index(m).map(|(i, _)| MONTHS_ABBR[i].to_string()).unwrap_or_else(|| m.to_string())
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

/// A percentage in German form with one decimal and a no-break space: "12,5 %".
pub fn percent(v: f64) -> String {
    format!("{v:.1}\u{a0}%").replace('.', ",")
}

/// A count with its noun in the right number and German digit groups: "1 Kommune",
/// "1.234 Kommunen", "0 Fälle".
pub fn count_of(n: impl TryInto<i64>, one: &str, many: &str) -> String {
    let n: i64 = n.try_into().unwrap_or(i64::MAX);
    format!("{} {}", format_number(n), if n == 1 { one } else { many })
}

/// The mark of a value that is not shown because fewer Kommunen than the threshold stand behind
/// it (the same mark in every figure of the portal).
pub const WITHHELD: &str = "•";

/// What the mark means, for the note beside every table or figure that may carry it.
pub fn withheld_note(threshold: i64) -> String {
    format!("{WITHHELD} = nicht ausgewiesen: weniger als {threshold} Kommunen stehen hinter dem Wert, damit keine einzelne Kommune erkennbar ist.")
}


/// How the portal writes an OZG-Leistung for people, and how its lists of choices offer it:
/// "Elterngeld (10000)".
pub fn service_label(ozg_id: &str, name: &str) -> String {
    format!("{name} ({ozg_id})")
}

/// A text people wrote, quoted the German way: »…«, with quotes inside it as ›…‹ (so a subject
/// that is itself quoted does not end in »…««).
pub fn quoted(s: &str) -> String {
    format!("»{}«", s.trim().replace('»', "›").replace('«', "‹"))
}

/// At most `max` characters, cut after a whole word with "…" (a single over-long word is cut).
pub fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max.saturating_sub(1)).collect();
    let cut = match head.rfind(char::is_whitespace) {
        Some(i) if i > 0 => head[..i].trim_end_matches([',', ';', ':', '.', '–', '-', ' ']).to_string(),
        _ => head,
    };
    format!("{cut}…")
}

/// A file size in German: "1,5 MB", "820 KB", "12 Byte" (pages and server messages alike).
pub fn human_size(n: i64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1}\u{a0}MB", n as f64 / (1024.0 * 1024.0)).replace('.', ",")
    } else if n >= 1024 {
        format!("{}\u{a0}KB", n / 1024)
    } else {
        format!("{n}\u{a0}Byte")
    }
}

/// German thousands separator: 2135597 → "2.135.597".
/// A number as a German reads it: whole numbers with digit groups ("1.500"), others with a
/// decimal comma ("12,5").
pub fn decimal(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format_number(n as i64) } else { format!("{n}").replace('.', ",") }
}

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
    fn quotes_inside_quotes_become_single_guillemets() {
        assert_eq!(quoted("»Baulastenverzeichnis« digital"), "»›Baulastenverzeichnis‹ digital«");
        assert_eq!(quoted(" Elterngeld "), "»Elterngeld«");
    }

    #[test]
    fn texts_are_cut_after_a_whole_word() {
        assert_eq!(shorten("Bitte prüfen Sie die Unterlagen", 18), "Bitte prüfen Sie…");
        assert_eq!(shorten("kurz", 18), "kurz");
        assert_eq!(shorten("Donaudampfschifffahrt", 10), "Donaudamp…", "one long word is cut");
        assert!(shorten(&"Wort ".repeat(200), 500).chars().count() <= 500);
    }

    #[test]
    fn numbers_use_german_grouping() {
        assert_eq!(format_number(2_135_597), "2.135.597");
        assert_eq!(format_number(999), "999");
        assert_eq!(format_number(-1000), "-1.000");
    }

    #[test]
    fn counts_take_the_singular_for_one() {
        assert_eq!(count_of(1, "Kommune", "Kommunen"), "1 Kommune");
        assert_eq!(count_of(0u64, "Fall", "Fälle"), "0 Fälle");
        assert_eq!(count_of(1234usize, "Eintrag", "Einträge"), "1.234 Einträge");
    }

    #[test]
    fn months_read_one_way() {
        assert_eq!(month("2026-01"), "Januar 2026");
        assert_eq!(month("2025-12"), "Dezember 2025");
        assert_eq!(month_abbr("2026-09"), "Sept.");
        assert_eq!(month("2026-13"), "2026-13");
    }

    #[test]
    fn sizes_read_in_german() {
        assert_eq!(human_size(1536 * 1024), "1,5\u{a0}MB");
        assert_eq!(human_size(2048), "2\u{a0}KB");
    }
}
