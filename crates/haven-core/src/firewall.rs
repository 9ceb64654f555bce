//! The firewall by organisation kind: what an organisation may receive and hold because of
//! the kind it is, beside the permission table of [`crate::authz`] (what a role may do).
//!
//! **The kind table** ([`rules`]), the single place that says it:
//!
//! | kind | referral recipient | consent recipient | public directory | roles it may hold |
//! |---|---|---|---|---|
//! | `municipal_department` | yes | yes | yes | every role but `police_liaison` |
//! | `ngo` | yes | yes | yes | every role but `police_liaison` |
//! | `shelter_operator` | yes | yes | yes | every role but `police_liaison` |
//! | `health` | yes | yes | yes | every role but `police_liaison` |
//! | `legal_aid` | yes | yes | yes | every role but `police_liaison` |
//! | `other` | yes | yes | yes | every role but `police_liaison` |
//! | `reporting_hub` | no | no | yes | every role but `police_liaison` |
//! | `policy_unit` | no | no | no | `administrator`, `analyst`, `editor` |
//! | `police_liaison` | no | no | no | `police_liaison` only |
//!
//! Why: a police liaison unit never receives personal data through the network (what a
//! victim chose to share reaches it only through the reporting hub's hand-over), and never
//! appears to the public as a place to go for help. A policy unit works with aggregates
//! only, so it holds no role that reads persons and receives no one. The safe-reporting hub
//! is found by the public (people must know where to report), but it learns about a person
//! only from the person's own report, never from a referral, so that nothing another
//! organisation collected travels one step closer to the police.
//!
//! **Role rules**, checked with the kind table when an account is created or changed
//! ([`check_roles`]): `police_liaison` never combines with another role, and a role must
//! be one the organisation's kind may hold (so `police_liaison` accounts exist only in a
//! police liaison unit). No account changes its own organisation or roles
//! (`users::update`). When a session is loaded, roles the organisation's kind may not hold
//! are dropped ([`effective_roles`]), so even a row written past these checks grants
//! nothing.
//!
//! **Invariants** (each checked in core, where the data is written):
//! - no consent names, and no referral goes to, an organisation whose kind may not receive
//!   it (`referrals::record_consent`, `referrals::refer`; the receiving services offered
//!   leave such organisations out);
//! - no directory organisation is linked to an organisation whose kind may not appear in
//!   the public directory (`directory::link_network_org`, and a partner's proposal of its
//!   own entry), so none of its services or locations is published, listed, exported or
//!   shown on the public site;
//! - an organisation's kind changes only when nothing it has breaks the new kind's rules
//!   ([`kind_change_blockers`]: accounts with roles it may not hold, consents or referrals
//!   naming it, directory entries linked to it).

use sqlx::AnyConnection;

use crate::ids::OrgId;
use crate::orgs::OrgKind;
use crate::{FieldError, Result, Role};

/// Which roles an organisation kind may hold.
#[derive(Debug, Clone, Copy)]
pub enum Roles {
    /// Every role except these.
    AllBut(&'static [Role]),
    /// Only these.
    Only(&'static [Role]),
}

impl Roles {
    pub fn allows(self, role: Role) -> bool {
        match self {
            Roles::AllBut(r) => !r.contains(&role),
            Roles::Only(r) => r.contains(&role),
        }
    }
}

/// One row of the kind table.
#[derive(Debug, Clone, Copy)]
pub struct KindRules {
    /// May be sent referrals (personal data under a consent).
    pub referral_recipient: bool,
    /// May be named in a person's consent.
    pub consent_recipient: bool,
    /// May appear in the public services directory (HSDS API, export, public site).
    pub public_directory: bool,
    pub roles: Roles,
}

const NOT_POLICE: Roles = Roles::AllBut(&[Role::PoliceLiaison]);

const NETWORK: KindRules = KindRules {
    referral_recipient: true,
    consent_recipient: true,
    public_directory: true,
    roles: NOT_POLICE,
};

/// The kind table (see the module documentation).
pub fn rules(kind: OrgKind) -> KindRules {
    match kind {
        OrgKind::MunicipalDepartment
        | OrgKind::Ngo
        | OrgKind::ShelterOperator
        | OrgKind::Health
        | OrgKind::LegalAid
        | OrgKind::Other => NETWORK,
        OrgKind::ReportingHub => KindRules {
            referral_recipient: false,
            consent_recipient: false,
            public_directory: true,
            roles: NOT_POLICE,
        },
        OrgKind::PolicyUnit => KindRules {
            referral_recipient: false,
            consent_recipient: false,
            public_directory: false,
            roles: Roles::Only(&[Role::Administrator, Role::Analyst, Role::Editor]),
        },
        OrgKind::PoliceLiaison => KindRules {
            referral_recipient: false,
            consent_recipient: false,
            public_directory: false,
            roles: Roles::Only(&[Role::PoliceLiaison]),
        },
    }
}

/// The role rules for an account of an organisation of `kind`: `police_liaison` alone,
/// and only roles the kind may hold. The error names the field `roles`.
pub fn check_roles(kind: OrgKind, roles: &[Role]) -> std::result::Result<(), FieldError> {
    if roles.contains(&Role::PoliceLiaison) && roles.len() > 1 {
        return Err(FieldError::new("roles", "err-role-police-alone"));
    }
    if roles.iter().any(|r| !rules(kind).roles.allows(*r)) {
        return Err(FieldError::new(
            "roles",
            if roles.contains(&Role::PoliceLiaison) {
                "err-role-police-org"
            } else {
                "err-role-org-kind"
            },
        ));
    }
    Ok(())
}

/// The roles an account holds in effect: those its organisation's kind may hold, and
/// `police_liaison` only on its own.
pub fn effective_roles(kind: OrgKind, roles: Vec<Role>) -> Vec<Role> {
    let allowed = rules(kind).roles;
    let mut out: Vec<Role> = roles.into_iter().filter(|r| allowed.allows(*r)).collect();
    if out.contains(&Role::PoliceLiaison) && out.len() > 1 {
        out.retain(|r| *r == Role::PoliceLiaison);
    }
    out
}

/// Whether a role lets its holder read persons, or the reports people make to a hub
/// (granting one is announced to the organisation's other administrators).
pub fn reads_persons(role: Role) -> bool {
    let p = role.permissions();
    p.contains(&crate::Permission::PersonRead) || p.contains(&crate::Permission::HubReportRead)
}

/// The one condition every public read of the directory adds (the HSDS API, the public
/// site's pages and leaflets, search, export): the directory organisation whose id is
/// the SQL expression `dir_org_id` is not linked to a network member whose kind may not
/// appear in the public directory. Writes refuse such a link already; this holds at read
/// time too, whatever a row says (written past Haven, or before a kind changed).
/// The kinds come from the kind table, never a copy of it.
pub fn listed_sql(dir_org_id: &str) -> String {
    let hidden: Vec<String> = OrgKind::ALL
        .into_iter()
        .filter(|k| !rules(*k).public_directory)
        .map(|k| format!("'{}'", k.as_str()))
        .collect();
    format!(
        "NOT EXISTS (SELECT 1 FROM dir_organizations fo JOIN organisations fk \
         ON fk.id = fo.haven_org_id WHERE fo.id = {dir_org_id} AND fk.kind IN ({}))",
        hidden.join(", ")
    )
}

/// An organisation's kind; `None` when it does not exist.
pub(crate) async fn kind_of(conn: &mut AnyConnection, org: OrgId) -> Result<Option<OrgKind>> {
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM organisations WHERE id = $1")
        .bind(org)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(kind.map(|k| k.parse().unwrap_or(OrgKind::Other)))
}

async fn any_row(conn: &mut AnyConnection, sql: &str, org: OrgId) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(sql)
        .bind(org)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

/// What keeps organisation `org` from becoming of kind `to`: one error on the field `kind`
/// for each kind of thing the new kind's rules forbid (accounts with other roles, consents
/// or referrals naming it, directory entries linked to it). Empty: the change may go ahead.
pub(crate) async fn kind_change_blockers(
    conn: &mut AnyConnection,
    org: OrgId,
    to: OrgKind,
) -> Result<Vec<FieldError>> {
    let r = rules(to);
    let mut out = Vec::new();
    let roles: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT ur.role FROM user_roles ur JOIN users u ON u.id = ur.user_id \
         WHERE u.org_id = $1",
    )
    .bind(org)
    .fetch_all(&mut *conn)
    .await?;
    let roles: Vec<Role> = roles.iter().filter_map(|r| r.parse().ok()).collect();
    if roles.iter().any(|x| !r.roles.allows(*x)) {
        out.push(FieldError::new("kind", "err-org-kind-has-roles"));
    }
    if !r.consent_recipient
        && any_row(
            conn,
            "SELECT 1 FROM referral_consents WHERE to_org = $1 LIMIT 1",
            org,
        )
        .await?
    {
        out.push(FieldError::new("kind", "err-org-kind-has-consents"));
    }
    if !r.referral_recipient
        && any_row(
            conn,
            "SELECT 1 FROM referrals WHERE to_org = $1 LIMIT 1",
            org,
        )
        .await?
    {
        out.push(FieldError::new("kind", "err-org-kind-has-referrals"));
    }
    if !r.public_directory
        && any_row(
            conn,
            "SELECT 1 FROM dir_organizations WHERE haven_org_id = $1 LIMIT 1",
            org,
        )
        .await?
    {
        out.push(FieldError::new("kind", "err-org-kind-has-directory"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_police_unit_receives_nothing_and_holds_only_the_police_role() {
        let r = rules(OrgKind::PoliceLiaison);
        assert!(!r.referral_recipient && !r.consent_recipient && !r.public_directory);
        for role in Role::ALL {
            assert_eq!(r.roles.allows(role), role == Role::PoliceLiaison, "{role}");
        }
    }

    #[test]
    fn the_police_role_exists_only_in_a_police_unit() {
        for kind in OrgKind::ALL {
            let allowed = rules(kind).roles.allows(Role::PoliceLiaison);
            assert_eq!(allowed, kind == OrgKind::PoliceLiaison, "{}", kind.as_str());
        }
    }

    #[test]
    fn no_kind_that_receives_nothing_holds_a_role_that_reads_persons_unless_it_is_the_hub() {
        for kind in OrgKind::ALL {
            let r = rules(kind);
            if !r.referral_recipient && kind != OrgKind::ReportingHub {
                for role in Role::ALL {
                    assert!(
                        !(r.roles.allows(role) && reads_persons(role)),
                        "{} may hold {role}",
                        kind.as_str()
                    );
                }
            }
        }
    }

    #[test]
    fn police_liaison_never_combines_with_another_role() {
        let both = [Role::CaseManager, Role::PoliceLiaison];
        assert_eq!(
            check_roles(OrgKind::PoliceLiaison, &both).map_err(|e| e.code),
            Err("err-role-police-alone")
        );
        assert_eq!(
            check_roles(OrgKind::Ngo, &[Role::PoliceLiaison]).map_err(|e| e.code),
            Err("err-role-police-org")
        );
        assert_eq!(
            check_roles(OrgKind::PoliceLiaison, &[Role::Administrator]).map_err(|e| e.code),
            Err("err-role-org-kind")
        );
        assert!(check_roles(OrgKind::PoliceLiaison, &[Role::PoliceLiaison]).is_ok());
        assert_eq!(
            effective_roles(OrgKind::PoliceLiaison, both.to_vec()),
            vec![Role::PoliceLiaison]
        );
        assert_eq!(
            effective_roles(OrgKind::Ngo, both.to_vec()),
            vec![Role::CaseManager]
        );
    }
}
