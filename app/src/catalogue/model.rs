//! The reference data as the administration pages see it.

/// An OZG-Leistung in the administrators' catalogue list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CatalogueItem {
    pub ozg_id: String,
    pub name: String,
    pub themenfeld: String,
    pub focus: bool,
    pub in_catalogue: bool,
}

/// One page of the administrators' catalogue list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CataloguePage {
    pub items: Vec<CatalogueItem>,
    /// Leistungen that match the search, and how many of them are Fokusleistungen.
    pub matching: u64,
    pub focus: u64,
    pub page: u64,
    pub pages: u64,
}

/// Rows of the catalogue list on one page.
pub const CATALOGUE_PAGE_SIZE: u64 = 50;

/// An EfA service of the Land's curated list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EfaListItem {
    pub id: String,
    pub name: String,
    pub provider: Option<String>,
    pub operator: Option<String>,
    pub marketplace_url: Option<String>,
    pub active: bool,
}

/// A criterion of a maturity model on which a service is rated; the lowest rated criterion
/// sets the Reifegrad. Administrators maintain the list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaturityCriterion {
    pub id: String,
    pub model: crate::vocabulary::register::MaturityModel,
    pub code: String,
    pub label: String,
    pub description: Option<String>,
    pub position: i32,
    pub active: bool,
}

pub use crate::ui::format::service_label;

/// OZG-Leistungen as someone typed them: OZG-IDs ("10000, 10002"), entries of the list of
/// choices ("Elterngeld (10000)") or names ("Elterngeld", or a part of one name), separated by
/// semicolons or lines. Returns the OZG-IDs in the order typed, without repeats; an entry that
/// names no Leistung of `catalogue` (OZG-ID, name) is returned as typed, so that the check of the
/// IDs names it in its message.
pub fn resolve_services(text: &str, catalogue: &[(String, String)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |v: String| {
        if !out.contains(&v) {
            out.push(v);
        }
    };
    for entry in text.split([';', '\n']).map(str::trim).filter(|e| !e.is_empty()) {
        if entry.bytes().any(|b| b.is_ascii_digit()) {
            // Every run of digits is an OZG-ID ("Elterngeld (10000)", "10000, 10002").
            for id in entry.split(|c: char| !c.is_ascii_digit()).filter(|d| !d.is_empty()) {
                push(id.to_string());
            }
            continue;
        }
        // A name with commas is one entry; otherwise commas separate names.
        let whole = find_by_name(entry, catalogue);
        let parts: Vec<&str> = if whole.is_some() { vec![entry] } else { entry.split(',').map(str::trim).filter(|p| !p.is_empty()).collect() };
        for p in parts {
            push(find_by_name(p, catalogue).unwrap_or_else(|| p.to_string()));
        }
    }
    out
}

/// The OZG-ID of a name: the same name (any case), else the one name containing it.
fn find_by_name(typed: &str, catalogue: &[(String, String)]) -> Option<String> {
    let t = typed.to_lowercase();
    if let Some((id, _)) = catalogue.iter().find(|(_, n)| n.to_lowercase() == t) {
        return Some(id.clone());
    }
    let mut containing = catalogue.iter().filter(|(_, n)| n.to_lowercase().contains(&t));
    match (containing.next(), containing.next()) {
        (Some((id, _)), None) => Some(id.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod resolve_tests {
    use super::*;

    fn catalogue() -> Vec<(String, String)> {
        [("10000", "Elterngeld"), ("10002", "Wohngeld"), ("10003", "Wohngeld, Lastenzuschuss"), ("10400", "Baugenehmigung")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn ids_entries_of_the_list_and_names_all_resolve() {
        let c = catalogue();
        assert_eq!(resolve_services("10000, 10002", &c), ["10000", "10002"]);
        assert_eq!(resolve_services("Elterngeld (10000); Baugenehmigung (10400)", &c), ["10000", "10400"]);
        assert_eq!(resolve_services("elterngeld; Baugen", &c), ["10000", "10400"], "a name in any case, a part of one name");
        assert_eq!(resolve_services("Wohngeld, Lastenzuschuss", &c), ["10003"], "a name with a comma is one entry");
        assert_eq!(resolve_services("Elterngeld, Baugenehmigung", &c), ["10000", "10400"]);
        assert_eq!(resolve_services("10000; Elterngeld (10000)", &c), ["10000"], "no repeats");
        assert!(resolve_services("  ", &c).is_empty());
    }

    #[test]
    fn what_names_no_leistung_is_kept_as_typed() {
        let c = catalogue();
        assert_eq!(resolve_services("Eltergeld", &c), ["Eltergeld"]);
        assert_eq!(resolve_services("geld", &c), ["geld"], "a part of several names is no choice");
        assert_eq!(resolve_services("99999", &c), ["99999"], "an unknown ID stays for the check of the IDs");
    }
}

/// A partner organisation in the administrators' list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartnerLine {
    pub key: String,
    pub name: String,
    /// Accounts belonging to it.
    pub people: u64,
}
