//! The words of a full-text search (cases, Wissensportal): each database's query syntax is
//! dropped, so what someone types is always a list of plain words.

/// The words of a search, reduced to letters and digits (no query syntax gets through).
pub fn search_terms(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| w.chars().take(40).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_drop_query_syntax() {
        assert_eq!(search_terms("Förder\"mittel* OR x"), vec!["Förder", "mittel", "OR", "x"]);
        assert!(search_terms("\"*()").is_empty());
    }
}
