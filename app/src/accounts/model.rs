//! The accounts as the administrators' pages see them.

use crate::identity::Role;
use serde::{Deserialize, Serialize};

/// A row of the administrators' user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserListItem {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub organisations: Vec<String>,
    /// The organisations' keys (AGS, Verbandsschlüssel, LAND, SGSA, LKT).
    pub org_keys: Vec<String>,
    pub active: bool,
    pub is_demo: bool,
    /// Last login, formatted `TT.MM.JJJJ HH:MM` in Europe/Berlin.
    pub last_login: Option<String>,
}
