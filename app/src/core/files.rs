//! Uploaded files, wherever they are attached (cases, Wissensportal articles): an allow-list of
//! types recognised by content (not by the name or the browser's claim) and clean names.

/// The kinds of file accepted, with the extensions each may carry.
const KINDS: &[(&str, &[&str])] = &[
    ("application/pdf", &["pdf"]),
    ("image/png", &["png"]),
    ("image/jpeg", &["jpg", "jpeg"]),
    ("image/gif", &["gif"]),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", &["docx"]),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &["xlsx"]),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", &["pptx"]),
    ("application/vnd.oasis.opendocument.text", &["odt"]),
    ("application/vnd.oasis.opendocument.spreadsheet", &["ods"]),
    ("application/vnd.oasis.opendocument.presentation", &["odp"]),
    ("application/msword", &["doc"]),
    ("application/vnd.ms-excel", &["xls"]),
    ("application/vnd.ms-powerpoint", &["ppt"]),
    ("text/plain; charset=utf-8", &["txt"]),
    ("text/csv; charset=utf-8", &["csv"]),
];

/// The German list of accepted types, for hints and messages.
pub use crate::vocabulary::files::ACCEPTED;

/// Cleans a file name: no path, no control characters, at most 120 characters.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':')).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.chars().count() > 120 {
        let ext = cleaned.rsplit_once('.').map(|(_, e)| e.to_string()).unwrap_or_default();
        let stem: String = cleaned.chars().take(110).collect();
        return if ext.is_empty() { stem } else { format!("{stem}.{ext}") };
    }
    cleaned
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The content type of the bytes, when they are one of the accepted kinds and the name's
/// extension fits; otherwise a German reason.
pub fn detect(name: &str, data: &[u8]) -> Result<&'static str, String> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    let kind: Option<&'static str> = if data.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if data.starts_with(b"PK\x03\x04") {
        // Office Open XML names its parts; OpenDocument starts with its stored mimetype.
        if contains(&data[..data.len().min(2048)], b"mimetypeapplication/vnd.oasis.opendocument.") {
            match ext.as_str() {
                "odt" => Some("application/vnd.oasis.opendocument.text"),
                "ods" => Some("application/vnd.oasis.opendocument.spreadsheet"),
                "odp" => Some("application/vnd.oasis.opendocument.presentation"),
                _ => None,
            }
        } else if contains(data, b"[Content_Types].xml") {
            match ext.as_str() {
                "docx" if contains(data, b"word/") => Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                "xlsx" if contains(data, b"xl/") => Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                "pptx" if contains(data, b"ppt/") => Some("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
                _ => None,
            }
        } else {
            None
        }
    } else if data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        match ext.as_str() {
            "doc" => Some("application/msword"),
            "xls" => Some("application/vnd.ms-excel"),
            "ppt" => Some("application/vnd.ms-powerpoint"),
            _ => None,
        }
    } else if !data.contains(&0) && std::str::from_utf8(data).is_ok() {
        match ext.as_str() {
            "txt" => Some("text/plain; charset=utf-8"),
            "csv" => Some("text/csv; charset=utf-8"),
            _ => None,
        }
    } else {
        None
    };
    let Some(kind) = kind else {
        return Err(format!("»{name}«: diese Art von Datei wird nicht angenommen. Erlaubt sind {ACCEPTED}."));
    };
    let allowed = KINDS.iter().find(|(k, _)| *k == kind).map(|(_, e)| *e).unwrap_or(&[]);
    if !allowed.contains(&ext.as_str()) {
        return Err(format!("»{name}«: die Dateiendung passt nicht zum Inhalt der Datei."));
    }
    Ok(kind)
}

/// A file as every upload checks it (the cases' attachments, answers of the kind Datei, the
/// documents of meetings): a name, not empty, within `max_bytes`, a type recognised by its
/// content. Returns the cleaned name and the content type, or the German reason for `datei`.
pub fn checked(name: &str, data: &[u8], max_bytes: usize) -> Result<(String, &'static str), crate::error::AppError> {
    use crate::error::AppError;
    use crate::ui::format::human_size;
    let name = clean_name(name);
    if name.is_empty() {
        return Err(AppError::field("datei", "Bitte wählen Sie eine Datei."));
    }
    if data.is_empty() {
        return Err(AppError::field("datei", format!("»{name}« ist leer.")));
    }
    if data.len() > max_bytes {
        return Err(AppError::field("datei", format!("»{name}« ist zu groß ({}); erlaubt sind höchstens {}.", human_size(data.len() as i64), human_size(max_bytes as i64))));
    }
    let kind = detect(&name, data).map_err(|m| AppError::field("datei", m))?;
    Ok((name, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_content_not_by_name() {
        assert_eq!(detect("a.pdf", b"%PDF-1.7 ..."), Ok("application/pdf"));
        assert!(detect("a.pdf", b"MZ\x90\x00 not a pdf").is_err(), "an executable named .pdf");
        assert!(detect("bild.png", b"%PDF-1.7").unwrap_err().contains("Dateiendung"));
        assert_eq!(detect("liste.csv", "Name;Wert\nÄ;1\n".as_bytes()), Ok("text/csv; charset=utf-8"));
        assert!(detect("seite.html", b"<html><script>alert(1)</script>").is_err());
        assert!(detect("x.svg", b"<svg onload=alert(1)>").is_err());
        assert!(detect("a.txt", b"bin\x00ary").is_err());
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_name("C:\\Users\\x\\Antrag.pdf"), "Antrag.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\n.pdf"), "ab.pdf");
        assert_eq!(clean_name(".htaccess"), "htaccess");
    }
}

