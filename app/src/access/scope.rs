//! The authorisation choke point: what the caller may see and do, derived from the session
//! alone. Never from an id in the request.

use crate::identity::{OrgKind, Role};
use std::collections::BTreeSet;

use crate::core::session::CurrentUser;

/// What a caller may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Not signed in: public pages and open data only.
    Public,
    /// A Kommune's clerk: their own Kommune(s) and, for a Verbandsgemeinde, its members.
    Municipal { org_ids: BTreeSet<String> },
    /// A Land advisor: every Kommune.
    Land,
    /// A Spitzenverband: aggregates over its members only.
    Association { org_keys: BTreeSet<String> },
    /// An administrator: accounts, organisations and reference data; reads Land-wide.
    Admin,
    /// A partner organisation's person: the bodies of these organisations' members and what is
    /// public; nothing of a single Kommune, no figure beyond the public ones.
    Partner { org_ids: BTreeSet<String> },
}

impl Scope {
    pub fn of(user: Option<&CurrentUser>) -> Scope {
        let Some(u) = user else { return Scope::Public };
        match u.role {
            Role::Clerk => {
                let mut ids = BTreeSet::new();
                for o in &u.organisations {
                    if o.kind.is_kommune() {
                        ids.insert(o.id.clone());
                    }
                    if o.kind == OrgKind::Verbandsgemeinde {
                        ids.extend(o.members.iter().map(|m| m.id.clone()));
                    }
                }
                Scope::Municipal { org_ids: ids }
            }
            Role::Advisor => Scope::Land,
            Role::Association => Scope::Association {
                org_keys: u.organisations.iter().filter(|o| o.kind == OrgKind::Association).map(|o| o.key.clone()).collect(),
            },
            Role::Admin => Scope::Admin,
            Role::Partner => Scope::Partner {
                org_ids: u.organisations.iter().filter(|o| o.kind == OrgKind::Partner).map(|o| o.id.clone()).collect(),
            },
        }
    }

    /// Whether the caller may act for (write on behalf of) the given Kommune.
    pub fn may_act_for(&self, org_id: &str) -> bool {
        matches!(self, Scope::Municipal { org_ids } if org_ids.contains(org_id))
    }

    /// Whether the caller may read a single Kommune's records.
    pub fn may_read_kommune(&self, org_id: &str) -> bool {
        match self {
            Scope::Land | Scope::Admin => true,
            Scope::Municipal { org_ids } => org_ids.contains(org_id),
            Scope::Association { .. } | Scope::Partner { .. } | Scope::Public => false,
        }
    }

    pub fn is_admin(&self) -> bool {
        matches!(self, Scope::Admin)
    }

    /// The members an association's figures count (`None` for everyone else).
    pub fn membership(&self) -> Option<crate::identity::Membership> {
        match self {
            Scope::Association { org_keys } => org_keys.iter().find_map(|k| crate::identity::Membership::of_association(k)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::OrgRef;

    fn org(id: &str, kind: OrgKind, members: Vec<OrgRef>) -> OrgRef {
        OrgRef { id: id.into(), key: id.into(), name: id.into(), kind, members }
    }

    fn user(role: Role, orgs: Vec<OrgRef>) -> CurrentUser {
        CurrentUser {
            id: "u".into(),
            name: "n".into(),
            email: "e@x.de".into(),
            role,
            is_demo: false,
            manages_clerks: false,
            organisations: orgs,
            session_hash: "h".into(),
            via_token: false,
            read_only: false,
            versions: None,
        }
    }

    #[test]
    fn verbandsgemeinde_clerk_acts_for_members_but_not_for_others() {
        let vg = org("vg", OrgKind::Verbandsgemeinde, vec![org("m1", OrgKind::Mitgliedsgemeinde, vec![])]);
        let s = Scope::of(Some(&user(Role::Clerk, vec![vg])));
        assert!(s.may_act_for("vg"));
        assert!(s.may_act_for("m1"));
        assert!(!s.may_act_for("other"));
    }

    #[test]
    fn associations_and_public_read_no_single_kommune() {
        let a = Scope::of(Some(&user(Role::Association, vec![org("sgsa", OrgKind::Association, vec![])])));
        assert!(!a.may_read_kommune("x"));
        assert!(!Scope::Public.may_read_kommune("x"));
        assert!(!Scope::Land.may_act_for("x"));
        assert!(Scope::Land.may_read_kommune("x"));
    }
}
