//! Every authorisation rule of the portal in one place. Services call these with the caller's
//! `Scope` (derived from the session, never from the request); a denial is `Unauthorized` for
//! the public and `Forbidden` for everyone else, and the caller's service or adapter logs it.

use super::scope::Scope;
use crate::error::AppError;
use crate::vocabulary::knowledge::{ArticleStatus, Audience};

fn deny(scope: &Scope) -> AppError {
    if matches!(scope, Scope::Public) { AppError::Unauthorized } else { AppError::Forbidden }
}

/// Whether the caller works cases for the Land (sees everything, may act).
pub fn is_advisor(scope: &Scope) -> bool {
    matches!(scope, Scope::Land)
}

/// Whether the caller sees the advisors' view of cases (Land advisors, and administrators
/// read-only): internal notes, internal attachments, priority, team, owner, tags.
pub fn sees_internal(scope: &Scope) -> bool {
    matches!(scope, Scope::Land | Scope::Admin)
}

/// Only the Land's advisors: working cases, annotating records, bulk actions on cases.
pub fn require_advisor(scope: &Scope) -> Result<(), AppError> {
    if is_advisor(scope) { Ok(()) } else { Err(deny(scope)) }
}

/// Only administrators: accounts, case settings, reference data.
pub fn require_admin(scope: &Scope) -> Result<(), AppError> {
    if scope.is_admin() { Ok(()) } else { Err(deny(scope)) }
}

/// Whether the caller files cases (a Kommune's clerk).
pub fn files_cases(scope: &Scope) -> bool {
    matches!(scope, Scope::Municipal { .. })
}

/// Only the Land (advisors and administrators): the Kommunen's ratings of the help.
pub fn require_case_ratings_reader(scope: &Scope) -> Result<(), AppError> {
    if sees_internal(scope) { Ok(()) } else { Err(deny(scope)) }
}

/// Only a Kommune's clerk: filing a case, confirming its solution, rating the help.
pub fn require_filer(scope: &Scope) -> Result<(), AppError> {
    if files_cases(scope) { Ok(()) } else { Err(deny(scope)) }
}

/// Whether the caller takes part in cases (replies, uploads): advisors and clerks, not the
/// administrators, who only read.
pub fn takes_part_in_cases(scope: &Scope) -> bool {
    matches!(scope, Scope::Land | Scope::Municipal { .. })
}

/// Only those who take part in cases.
pub fn require_participant(scope: &Scope) -> Result<(), AppError> {
    if takes_part_in_cases(scope) { Ok(()) } else { Err(deny(scope)) }
}

/// The associations' members side by side: the associations and the Land (advisors and
/// administrators), not the Kommunen or the public.
pub fn require_aggregate_reader(scope: &Scope) -> Result<(), AppError> {
    if matches!(scope, Scope::Association { .. } | Scope::Land | Scope::Admin) { Ok(()) } else { Err(deny(scope)) }
}

/// The list of Kommunen with their register links: everyone signed in who reads single
/// Kommunen (clerks, advisors, administrators), not associations or partners.
pub fn require_kommune_list(scope: &Scope) -> Result<(), AppError> {
    if matches!(scope, Scope::Municipal { .. } | Scope::Land | Scope::Admin) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Whether the caller belongs to the public sector's circle of Land, Kommunen and associations,
/// who read what is written for the Kommunen (articles, consultation hours, who pays); the
/// public and partner organisations read only what is public.
pub fn reads_for_kommunen(scope: &Scope) -> bool {
    matches!(scope, Scope::Municipal { .. } | Scope::Land | Scope::Admin | Scope::Association { .. })
}

/// Reading one case of the Kommune `org_id`: the Land and administrators, or a clerk of that
/// Kommune. Associations never read a single case.
pub fn case_read(scope: &Scope, org_id: &str) -> Result<(), AppError> {
    match scope {
        Scope::Land | Scope::Admin => Ok(()),
        Scope::Municipal { org_ids } if org_ids.contains(org_id) => Ok(()),
        _ => Err(deny(scope)),
    }
}

/// Whether the caller is a person of the partner organisation a case is shared with (the
/// operator of an EfA service a Kommune's blocked item went to). They read that case and answer
/// in it as the Land does, with the same public and internal rules; they read no other case.
pub fn shares_case(scope: &Scope, partner_org_id: Option<&str>) -> bool {
    matches!((scope, partner_org_id), (Scope::Partner { org_ids }, Some(p)) if org_ids.contains(p))
}

/// Reading one Kommune's register. Associations and the public never see a single record;
/// they are refused, as is a clerk of another Kommune.
pub fn kommune_read(scope: &Scope, org_id: &str) -> Result<(), AppError> {
    if scope.may_read_kommune(org_id) { Ok(()) } else { Err(deny(scope)) }
}

/// Writing a Kommune's register: only a clerk acting for that Kommune (own, or a member of
/// their Verbandsgemeinde).
pub fn kommune_write(scope: &Scope, org_id: &str) -> Result<(), AppError> {
    if scope.may_act_for(org_id) { Ok(()) } else { Err(deny(scope)) }
}

/// Reading a Wissensportal article: a published public one everyone, a published one for the
/// Kommunen everyone signed in; drafts and articles in review only the Land's advisors.
pub fn article_read(scope: &Scope, status: ArticleStatus, audience: Audience) -> Result<(), AppError> {
    let ok = match (status, audience) {
        _ if is_advisor(scope) => true,
        (ArticleStatus::Published, Audience::Public) => true,
        (ArticleStatus::Published, _) => reads_for_kommunen(scope),
        _ => false,
    };
    // Drafts are not found for anyone else: their existence is not disclosed.
    if ok {
        Ok(())
    } else if status == ArticleStatus::Published {
        Err(deny(scope))
    } else {
        Err(AppError::NotFound)
    }
}

/// The audiences whose published articles the caller reads (`None`: every audience).
pub fn article_audiences(scope: &Scope) -> Option<&'static [Audience]> {
    if reads_for_kommunen(scope) { None } else { Some(&[Audience::Public]) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn articles_for_the_kommunen_need_a_sign_in_and_drafts_stay_with_the_advisors() {
        use ArticleStatus::*;
        use Audience::*;
        assert!(article_read(&Scope::Public, Published, Public).is_ok());
        assert_eq!(article_read(&Scope::Public, Published, Kommunen), Err(AppError::Unauthorized));
        assert!(article_read(&clerk("a"), Published, Kommunen).is_ok());
        assert_eq!(article_read(&clerk("a"), Draft, Public), Err(AppError::NotFound));
        assert_eq!(article_read(&Scope::Admin, Review, Public), Err(AppError::NotFound));
        assert!(article_read(&Scope::Land, Draft, Kommunen).is_ok());
    }

    fn clerk(of: &str) -> Scope {
        Scope::Municipal { org_ids: BTreeSet::from([of.to_string()]) }
    }

    #[test]
    fn the_public_is_asked_to_sign_in_and_everyone_else_is_refused() {
        assert_eq!(case_read(&Scope::Public, "a"), Err(AppError::Unauthorized));
        assert_eq!(case_read(&clerk("b"), "a"), Err(AppError::Forbidden));
        assert_eq!(case_read(&Scope::Association { org_keys: BTreeSet::new() }, "a"), Err(AppError::Forbidden));
        assert_eq!(require_admin(&Scope::Public), Err(AppError::Unauthorized));
        assert_eq!(require_advisor(&Scope::Admin), Err(AppError::Forbidden));
    }

    #[test]
    fn clerks_reach_their_own_kommune_and_advisors_read_but_never_write_registers() {
        assert!(case_read(&clerk("a"), "a").is_ok());
        assert!(kommune_write(&clerk("a"), "a").is_ok());
        assert!(kommune_read(&Scope::Land, "a").is_ok());
        assert!(kommune_write(&Scope::Land, "a").is_err());
        assert!(kommune_write(&Scope::Admin, "a").is_err());
        assert!(sees_internal(&Scope::Admin) && !is_advisor(&Scope::Admin));
    }
}

/// Whose accounts the caller manages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountManager {
    /// An administrator: every account, every role.
    All,
    /// A Kommune's Ansprechperson: clerks whose organisations all lie in these Kommunen (its own
    /// and, for a Verbandsgemeinde, the members), who are not Ansprechpersonen themselves.
    ClerksOf(std::collections::BTreeSet<String>),
}

/// Who may manage accounts: administrators, and clerks an administrator made their Kommune's
/// Ansprechperson. Never through an API token.
pub fn account_manager(user: &crate::core::session::CurrentUser) -> Result<AccountManager, AppError> {
    let scope = Scope::of(Some(user));
    if user.via_token {
        return Err(AppError::Forbidden);
    }
    match &scope {
        Scope::Admin => Ok(AccountManager::All),
        Scope::Municipal { org_ids } if user.manages_clerks && !org_ids.is_empty() => Ok(AccountManager::ClerksOf(org_ids.clone())),
        _ => Err(deny(&scope)),
    }
}

/// Whether the manager may manage (or create) an account with this role, these organisations
/// and this Ansprechperson flag. Nobody gives a role above their own: an Ansprechperson only
/// clerks of its own Kommunen, never another Ansprechperson.
pub fn may_manage_account(m: &AccountManager, role: crate::identity::Role, org_ids: &[String], manages_clerks: bool) -> bool {
    match m {
        AccountManager::All => true,
        AccountManager::ClerksOf(ids) => {
            role == crate::identity::Role::Clerk && !manages_clerks && !org_ids.is_empty() && org_ids.iter().all(|o| ids.contains(o))
        }
    }
}

/// Only administrators read the audit log.
pub fn require_audit_reader(scope: &Scope) -> Result<(), AppError> {
    require_admin(scope)
}

/// Who sets up bodies of the collaboration: the Land's advisors and administrators.
pub fn require_body_founder(scope: &Scope) -> Result<(), AppError> {
    if matches!(scope, Scope::Land | Scope::Admin) { Ok(()) } else { Err(deny(scope)) }
}

/// Whether the caller reads a body: its members (`role` is the caller's current role in it),
/// administrators, and beyond them whom its visibility names. A body only for its members is
/// not found for anyone else: its existence is not disclosed.
pub fn body_read(scope: &Scope, visibility: crate::vocabulary::gremien::BodyVisibility, role: Option<crate::vocabulary::gremien::MemberRole>) -> Result<(), AppError> {
    use crate::vocabulary::gremien::BodyVisibility;
    let ok = role.is_some()
        || scope.is_admin()
        || match visibility {
            BodyVisibility::Public => true,
            // The signed-in public sector; a partner organisation reads only the bodies it
            // belongs to and what is public.
            BodyVisibility::SignedIn => reads_for_kommunen(scope),
            BodyVisibility::Members => false,
        };
    match (ok, visibility) {
        (true, _) => Ok(()),
        (false, BodyVisibility::Members) => Err(AppError::NotFound),
        (false, _) => Err(deny(scope)),
    }
}

/// Whether the caller reads a decision of a body they read: members everything, others what
/// the decision's visibility names.
pub fn decision_readable(scope: &Scope, visibility: crate::vocabulary::gremien::DecisionVisibility, role: Option<crate::vocabulary::gremien::MemberRole>) -> bool {
    use crate::vocabulary::gremien::DecisionVisibility;
    role.is_some()
        || scope.is_admin()
        || match visibility {
            DecisionVisibility::Public => true,
            DecisionVisibility::Kommunen => reads_for_kommunen(scope),
            DecisionVisibility::Members => false,
        }
}

/// Running a body (members, decisions): its Vorsitz and Geschäftsstelle, and administrators.
pub fn body_run(scope: &Scope, role: Option<crate::vocabulary::gremien::MemberRole>) -> Result<(), AppError> {
    if scope.is_admin() || role.is_some_and(|r| r.runs_the_body()) { Ok(()) } else { Err(deny(scope)) }
}
