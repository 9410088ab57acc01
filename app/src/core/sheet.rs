//! An uploaded table, read once: a CSV file (UTF-8, comma or semicolon, as the header line
//! shows) or the first sheet of an XLSX workbook, as rows of text with their line numbers, so
//! every import can name the line and column of each problem.

use std::fmt;

/// The rows of a table below its header, each with its line (CSV) or row (XLSX) number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
}

/// A problem of a table: where (line, column) and what, in German.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError {
    pub line: Option<u64>,
    pub column: Option<String>,
    pub reason: String,
}

impl SheetError {
    pub fn at(line: u64, column: &str, reason: impl Into<String>) -> Self {
        SheetError { line: Some(line), column: Some(column.to_string()), reason: reason.into() }
    }
    pub fn line(line: u64, reason: impl Into<String>) -> Self {
        SheetError { line: Some(line), column: None, reason: reason.into() }
    }
    pub fn file(reason: impl Into<String>) -> Self {
        SheetError { line: None, column: None, reason: reason.into() }
    }
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.line, &self.column) {
            (Some(l), Some(c)) => write!(f, "Zeile {l}, Spalte »{c}«: {}", self.reason),
            (Some(l), None) => write!(f, "Zeile {l}: {}", self.reason),
            _ => write!(f, "{}", self.reason),
        }
    }
}

impl Sheet {
    /// The index of a column by its name in the header.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The indexes of columns that must be there, or the German error naming the missing ones
    /// and the header that was found.
    pub fn require(&self, names: &[&str]) -> Result<Vec<usize>, SheetError> {
        let missing: Vec<&str> = names.iter().copied().filter(|n| self.col(n).is_none()).collect();
        if missing.is_empty() {
            return Ok(names.iter().filter_map(|n| self.col(n)).collect());
        }
        Err(SheetError::line(
            1,
            format!(
                "die Kopfzeile passt nicht: es fehlen die Spalten {}; gefunden wurden {}",
                missing.iter().map(|m| format!("»{m}«")).collect::<Vec<_>>().join(", "),
                if self.header.is_empty() { "keine".to_string() } else { self.header.iter().map(|h| format!("»{h}«")).collect::<Vec<_>>().join(", ") }
            ),
        ))
    }
}

/// A CSV text with Windows line ends (`\r\n`) made `\n`: the csv reader counts a record after
/// `\r\n` on the line before, so every line number it names would be one too small.
pub fn lf(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("\r\n") { std::borrow::Cow::Owned(text.replace("\r\n", "\n")) } else { std::borrow::Cow::Borrowed(text) }
}

/// Whether the bytes are an XLSX workbook (a ZIP archive).
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Reads a CSV or XLSX table with at most `max_rows` rows below its header.
pub fn read(bytes: &[u8], max_rows: usize) -> Result<Sheet, SheetError> {
    let sheet = if is_xlsx(bytes) { read_xlsx(bytes)? } else { read_csv(bytes)? };
    if sheet.header.iter().all(String::is_empty) {
        return Err(SheetError::line(1, "die Datei hat keine Kopfzeile"));
    }
    if sheet.rows.len() > max_rows {
        return Err(SheetError::file(format!("die Datei hat {} Zeilen; in einem Durchgang werden höchstens {max_rows} eingelesen", sheet.rows.len())));
    }
    Ok(sheet)
}

fn read_csv(bytes: &[u8]) -> Result<Sheet, SheetError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        SheetError::line(line, "die Datei ist nicht UTF-8-kodiert (bitte als »CSV UTF-8« speichern)")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = lf(text);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).delimiter(delimiter).from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().map_err(|_| SheetError::line(1, "die Kopfzeile ist nicht lesbar"))?.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => SheetError::line(line, format!("{len} Spalten statt {expected_len} wie in der Kopfzeile")),
                _ => SheetError::line(line, "die Zeile ist kein gültiges CSV"),
            }
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        rows.push((line, rec.iter().map(|f| f.trim().to_string()).collect()));
    }
    Ok(Sheet { header, rows })
}

fn read_xlsx(bytes: &[u8]) -> Result<Sheet, SheetError> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|_| SheetError::file("die Excel-Datei ist nicht lesbar"))?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        _ => return Err(SheetError::file("die Excel-Datei hat kein lesbares erstes Tabellenblatt")),
    };
    let mut lines = range.rows();
    let header: Vec<String> = lines.next().map(|r| r.iter().map(|c| c.to_string().trim().to_lowercase()).collect()).unwrap_or_default();
    let mut rows = Vec::new();
    for (i, row) in lines.enumerate() {
        let line = i as u64 + 2;
        let mut fields = Vec::with_capacity(header.len());
        for (j, cell) in row.iter().enumerate().take(header.len()) {
            let text = match cell {
                Data::Empty => String::new(),
                Data::String(s) => s.trim().to_string(),
                Data::Int(n) => n.to_string(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::Float(f) => f.to_string(),
                Data::Bool(b) => if *b { "ja" } else { "nein" }.to_string(),
                // Excel counts days from 30 December 1899.
                Data::DateTime(d) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                    .and_then(|start| start.checked_add_signed(chrono::Duration::days(d.as_f64().floor() as i64)))
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Error(_) => return Err(SheetError::at(line, header.get(j).map(String::as_str).unwrap_or("?"), "die Zelle enthält einen Excel-Fehlerwert")),
            };
            fields.push(text);
        }
        if fields.iter().all(String::is_empty) {
            continue;
        }
        fields.resize(header.len(), String::new());
        rows.push((line, fields));
    }
    Ok(Sheet { header, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_semicolon_file_is_read_like_a_comma_file_and_bad_lines_are_named() {
        let comma = read(b"monat,ars,anzahl\n2026-10,150030000000,12\n", 10);
        let semi = read("\u{feff}Monat;ARS;Anzahl\r\n2026-10;150030000000;12\r\n".as_bytes(), 10);
        assert_eq!(comma, semi);
        assert!(comma.is_ok_and(|s| s.rows == vec![(2, vec!["2026-10".to_string(), "150030000000".into(), "12".into()])]));
        let short = read(b"monat,ars,anzahl\n2026-10,1\n", 10);
        assert_eq!(short.err().map(|e| e.to_string()), Some("Zeile 2: 2 Spalten statt 3 wie in der Kopfzeile".to_string()));
        let latin1 = read(b"monat,ars,anzahl\n2026-10,Gemeinde \xe4,1\n", 10);
        assert_eq!(latin1.err().and_then(|e| e.line), Some(2));
        assert!(read(b"monat,ars\n1,2\n3,4\n", 1).is_err(), "too many rows");
    }

    #[test]
    fn a_windows_file_names_the_same_lines_as_a_unix_file() {
        let windows = read(b"monat;ars;anzahl\r\n2026-10;1;2\r\n2026-10;1\r\n", 10);
        assert_eq!(windows.err().map(|e| e.to_string()), Some("Zeile 3: 2 Spalten statt 3 wie in der Kopfzeile".to_string()));
        // What the other importers read through `lf`: the csv reader's own count is one short.
        let line = |text: &str| csv::ReaderBuilder::new().from_reader(text.as_bytes()).records().next().and_then(Result::ok).and_then(|r| r.position().map(|p| p.line()));
        assert_eq!(line("a\r\n1\r\n"), Some(1));
        assert_eq!(line(&lf("a\r\n1\r\n")), Some(2));
    }

    #[test]
    fn a_missing_column_names_what_is_missing_and_what_was_found() {
        let Ok(sheet) = read(b"monat,anzahl\n2026-10,1\n", 10) else { panic!("readable") };
        let e = sheet.require(&["monat", "ars", "anzahl"]).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("»ars«") && e.contains("gefunden wurden »monat«, »anzahl«"), "{e}");
    }
}
