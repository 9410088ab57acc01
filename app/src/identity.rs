//! Who the caller is: roles, organisations as seen by the browser, the signed-in user's
//! profile and their API tokens. Wasm-safe; every feature and the foundations use these.

use serde::{Deserialize, Serialize};

/// What a user may do in the portal. A user has exactly one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sachbearbeitung of a Kommune.
    Clerk,
    /// Beratung of the Land.
    Advisor,
    /// A Kommunaler Spitzenverband: aggregates only.
    Association,
    /// Administration of accounts, organisations and reference data.
    Admin,
    /// A partner organisation's person (IT-Dienstleister, a Land authority, another public
    /// body): the bodies it belongs to and what is public, nothing of a single Kommune.
    Partner,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Clerk, Role::Advisor, Role::Association, Role::Admin, Role::Partner];

    /// The code stored in the database and used in the API and CLI.
    pub fn code(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Advisor => "advisor",
            Role::Association => "association",
            Role::Admin => "admin",
            Role::Partner => "partner",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The German name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Clerk => "Sachbearbeitung Kommune",
            Role::Advisor => "Beratung Land",
            Role::Association => "Kommunaler Spitzenverband",
            Role::Admin => "Administration",
            Role::Partner => "Partnerorganisation",
        }
    }
}

/// The kinds of organisation the portal knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    LandUnit,
    Association,
    Landkreis,
    KreisfreieStadt,
    Einheitsgemeinde,
    Verbandsgemeinde,
    Mitgliedsgemeinde,
    /// A partner of the collaboration: IT-Dienstleister, a Land authority, another public body.
    Partner,
}

impl OrgKind {
    pub const ALL: [OrgKind; 8] = [
        OrgKind::LandUnit,
        OrgKind::Association,
        OrgKind::Landkreis,
        OrgKind::KreisfreieStadt,
        OrgKind::Einheitsgemeinde,
        OrgKind::Verbandsgemeinde,
        OrgKind::Mitgliedsgemeinde,
        OrgKind::Partner,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrgKind::LandUnit => "land_unit",
            OrgKind::Association => "association",
            OrgKind::Landkreis => "landkreis",
            OrgKind::KreisfreieStadt => "kreisfreie_stadt",
            OrgKind::Einheitsgemeinde => "einheitsgemeinde",
            OrgKind::Verbandsgemeinde => "verbandsgemeinde",
            OrgKind::Mitgliedsgemeinde => "mitgliedsgemeinde",
            OrgKind::Partner => "partner",
        }
    }

    pub fn from_code(code: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            OrgKind::LandUnit => "Beratungsstelle des Landes",
            OrgKind::Association => "Kommunaler Spitzenverband",
            OrgKind::Landkreis => "Landkreis",
            OrgKind::KreisfreieStadt => "Kreisfreie Stadt",
            OrgKind::Einheitsgemeinde => "Einheitsgemeinde",
            OrgKind::Verbandsgemeinde => "Verbandsgemeinde",
            OrgKind::Mitgliedsgemeinde => "Mitgliedsgemeinde",
            OrgKind::Partner => "Partnerorganisation",
        }
    }

    /// The kinds of Kommune, in the order of the Land's structure.
    pub const KOMMUNEN: [OrgKind; 5] = [OrgKind::Landkreis, OrgKind::KreisfreieStadt, OrgKind::Einheitsgemeinde, OrgKind::Verbandsgemeinde, OrgKind::Mitgliedsgemeinde];

    /// The German plural, as a choice of kinds names them.
    pub fn plural(self) -> &'static str {
        match self {
            OrgKind::LandUnit => "Beratungsstellen des Landes",
            OrgKind::Association => "Kommunale Spitzenverbände",
            OrgKind::Landkreis => "Landkreise",
            OrgKind::KreisfreieStadt => "kreisfreie Städte",
            OrgKind::Einheitsgemeinde => "Einheitsgemeinden",
            OrgKind::Verbandsgemeinde => "Verbandsgemeinden",
            OrgKind::Mitgliedsgemeinde => "Mitgliedsgemeinden",
            OrgKind::Partner => "Partnerorganisationen",
        }
    }

    /// Whether this is a Kommune (a municipal body whose clerks register services).
    pub fn is_kommune(self) -> bool {
        Self::KOMMUNEN.contains(&self)
    }
}

/// The members a Kommunaler Spitzenverband speaks for: the Landkreistag for the Landkreise, the
/// Städte- und Gemeindebund for every other Kommune. Their figures count these only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Membership {
    Gemeinden,
    Landkreise,
}

impl Membership {
    pub const ALL: [Membership; 2] = [Membership::Gemeinden, Membership::Landkreise];

    /// The suffix of the rollups' areas of these members (`gem`, `lk`).
    pub fn code(self) -> &'static str {
        match self {
            Membership::Gemeinden => "gem",
            Membership::Landkreise => "lk",
        }
    }

    pub fn from_code(code: &str) -> Option<Membership> {
        Membership::ALL.into_iter().find(|m| m.code() == code)
    }

    /// Whose figures these are, in German.
    pub fn label(self) -> &'static str {
        match self {
            Membership::Gemeinden => "Städte, Gemeinden und Verbandsgemeinden (Mitglieder des Städte- und Gemeindebunds)",
            Membership::Landkreise => "die Landkreise (Mitglieder des Landkreistags)",
        }
    }

    /// The association's members (by the association's organisation key).
    pub fn of_association(key: &str) -> Option<Membership> {
        match key {
            "LKT" => Some(Membership::Landkreise),
            "SGSA" => Some(Membership::Gemeinden),
            _ => None,
        }
    }

    /// The kinds of Kommune among the members.
    pub fn kinds(self) -> Vec<OrgKind> {
        OrgKind::KOMMUNEN.into_iter().filter(|k| (*k == OrgKind::Landkreis) == (self == Membership::Landkreise)).collect()
    }

    /// The members' kinds as an SQL list (`('landkreis')`), for the figures' queries.
    pub fn sql_kinds(self) -> String {
        format!("({})", self.kinds().iter().map(|k| format!("'{}'", k.code())).collect::<Vec<_>>().join(","))
    }
}

/// An organisation as shown to a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrgRef {
    pub id: String,
    /// AGS, Verbandsschlüssel, or `LAND`/`SGSA`/`LKT`.
    pub key: String,
    pub name: String,
    pub kind: OrgKind,
    /// Member Gemeinden a Verbandsgemeinde's clerks act for (empty otherwise).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub members: Vec<OrgRef>,
}

/// The signed-in user (`GET /api/v1/me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub organisations: Vec<OrgRef>,
    pub is_demo: bool,
    /// A Kommune's Ansprechperson: manages the accounts of its Kommune's clerks.
    #[serde(default)]
    pub manages_clerks: bool,
    /// Seconds of inactivity after which the session ends.
    pub idle_timeout_secs: u64,
    /// Unread in-app notifications (filled by the page's `me` call).
    #[serde(default)]
    pub unread_notifications: u64,
}

/// A token as its owner sees it in the list (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    /// The first characters of the secret, to recognise it.
    pub prefix: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked: bool,
    /// `read` (only GET requests) or `write`.
    pub scope: String,
}

impl TokenInfo {
    /// The scope in German, for the token list.
    pub fn scope_label(&self) -> &'static str {
        if self.scope == "write" { "lesen und schreiben" } else { "nur lesen" }
    }
}

