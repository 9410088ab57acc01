//! Every CSV the portal writes goes through this writer: `;`-separated, and each cell that a
//! spreadsheet would run as a formula is neutralised (OWASP "CSV Injection"): a cell starting
//! with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, which
//! spreadsheets show as text. Plain numbers (also negative ones, `-1,5`) stay as they are.
//! A cell that itself starts with an apostrophe gets one more, so that [`restore`] gives back
//! exactly what was written (the register's re-import relies on it).

use std::borrow::Cow;

/// Whether a cell would be run as a formula.
pub fn dangerous(cell: &str) -> bool {
    let Some(first) = cell.chars().next() else { return false };
    if first == '\'' {
        return true;
    }
    if !matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r') {
        return false;
    }
    // A plain number such as -3 or -1,5 is not a formula.
    let rest = &cell[first.len_utf8()..];
    !(first == '-' && !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.'))
}

/// The cell as written: neutralised when a spreadsheet would run it.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if dangerous(cell) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// The value of a cell as it was before [`neutralise`] (one leading apostrophe removed).
pub fn restore(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// A CSV writer into memory that neutralises every cell.
pub struct Writer {
    inner: csv::Writer<Vec<u8>>,
}

impl Writer {
    /// `flexible`: rows may have different lengths (several tables in one file).
    pub fn new(flexible: bool) -> Writer {
        Writer { inner: csv::WriterBuilder::new().delimiter(b';').flexible(flexible).from_writer(Vec::new()) }
    }

    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.inner.write_record(record.into_iter().map(|c| neutralise(c.as_ref()).into_owned()))
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }

    pub fn into_inner(self) -> Result<Vec<u8>, csv::IntoInnerError<csv::Writer<Vec<u8>>>> {
        self.inner.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_restored() {
        for cell in ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'schon"] {
            let out = neutralise(cell);
            assert!(out.starts_with('\''), "{cell}");
            assert_eq!(restore(&out), cell);
        }
    }

    #[test]
    fn ordinary_cells_and_numbers_stay() {
        for cell in ["Elterngeld", "-3", "-1,5", "0,0", "", "15003000", "a=b"] {
            assert_eq!(neutralise(cell), cell);
            assert_eq!(restore(cell), cell);
        }
    }

    #[test]
    fn the_writer_neutralises_every_cell() {
        let mut w = Writer::new(false);
        w.write_record(["=1+1", "ok"]).expect("write");
        let text = String::from_utf8(w.into_inner().expect("bytes")).expect("utf8");
        assert_eq!(text, "'=1+1;ok\n");
    }
}
