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
