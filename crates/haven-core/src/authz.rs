//! Who may do what. The permission table below is the single source of truth: the web
//! layer's route table names a permission per route, and the authorization-matrix test
//! derives every expected answer from [`Role::permissions`].
//!
//! There is deliberately no role, permission or export for immigration enforcement.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::ids::{OrgId, UserId};
use crate::{Error, Result};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    CaseManager,
    LegalCounsellor,
    OutreachWorker,
    ShelterCoordinator,
    HubOfficer,
    PartnerStaff,
    Analyst,
    PoliceLiaison,
    /// Leads a team of case managers: sees and rebalances caseloads, approves extensions.
    TeamLead,
    /// A municipal content editor: writes, translates, reviews and publishes the public
    /// information site, and reviews and publishes the services directory. Reads no person.
    Editor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Register a new person for one's own organisation.
    PersonRegister,
    /// Find persons by name among those one's organisation may see.
    PersonSearch,
    /// Read a person one's organisation may see.
    PersonRead,
    /// Change a person one's organisation may see.
    PersonUpdate,
    /// Destroy a person's data key (irreversible erasure).
    PersonErase,
    OrgManage,
    UserManage,
    AuditRead,
    /// Aggregate figures only; never a person.
    StatsRead,
    /// Read cases of one's own organisation.
    CaseRead,
    /// Open cases, record perspective, procedures, goals, appointments, notes; close them.
    CaseWrite,
    /// See every case manager's caseload and (re)assign cases: the team lead's work.
    CaseAssign,
    /// Configure programmes, shelter sites and the country's lists.
    CaseworkConfigure,
    /// See the shelter board of one's own organisation's sites.
    ShelterRead,
    /// Admit, move and discharge; keep the waiting list.
    ShelterManage,
    /// Approve an extension of a stay beyond the programme's limit.
    StayExtensionApprove,
    /// Record a person's consent, refer them to another organisation's service, follow and
    /// withdraw the referrals one's organisation sent; record a withdrawal of consent.
    ReferralSend,
    /// See referrals to one's own organisation and the minimum they share about the
    /// person while they are open and consented; accept, decline, record the result.
    ReferralReceive,
    /// Read and mark one's own notifications.
    NotificationRead,
    /// The referral network as aggregates: who refers to whom, how often, how fast.
    NetworkRead,
    /// Write and translate public pages, questions and stories; record a story's consent;
    /// take a story down.
    ContentEdit,
    /// Review and publish public content; re-approve a translation after its source changed.
    ContentReview,
    /// Record outreach contacts (also offline, through sync), find a returning person by
    /// alias and read the thread of earlier contacts of one's own team.
    OutreachRecord,
    /// The outreach team lead's figures and the team's configured areas.
    OutreachLead,
    /// Draft changes to services-directory entries (partner staff: their own
    /// organisation's entries only; the core checks that).
    DirectoryEdit,
    /// Review and publish directory drafts, import datasets, link directory entries to
    /// network members. Directory content is public, not personal data.
    DirectoryPublish,
    /// Read the reports made to one's own reporting hub and their conversation (hub
    /// officers of an organisation of kind `reporting_hub` only; the core checks the kind).
    HubReportRead,
    /// Answer a reporter, record a report made in person or by phone, close a report;
    /// triage, counselling, protective measures, accompaniment, perpetrators, consent to a
    /// hand-over and the hand-over itself.
    HubReportWrite,
    /// Read what a reporting hub handed over to one's own police liaison unit, with the
    /// reporter's consent, and nothing else (police liaisons of an organisation of kind
    /// `police_liaison` only; the core checks the kind).
    HandoverRead,
    /// Configure the reporting hub's report categories: add one with its label in every
    /// public language, rename, retire (administrators of an organisation of kind
    /// `reporting_hub` only; the core checks the kind).
    HubConfigure,
}

use Permission::*;

impl Role {
    pub const ALL: [Role; 11] = [
        Role::Administrator,
        Role::CaseManager,
        Role::LegalCounsellor,
        Role::OutreachWorker,
        Role::ShelterCoordinator,
        Role::HubOfficer,
        Role::PartnerStaff,
        Role::Analyst,
        Role::PoliceLiaison,
        Role::TeamLead,
        Role::Editor,
    ];

    /// The permission table.
    ///
    /// Administrators run the system but do not read case files: separation of duties.
    /// Partner staff see only the minimum shared with their organisation by an open,
    /// consented referral (`ReferralReceive`; object-level access does that part). A police liaison sees nothing of
    /// persons here; what a victim chose to share reaches them through the reporting hub's
    /// hand-over (`HandoverRead`: only hand-overs to their own unit).
    pub fn permissions(self) -> &'static [Permission] {
        match self {
            Role::Administrator => &[
                OrgManage,
                UserManage,
                AuditRead,
                StatsRead,
                CaseworkConfigure,
                NetworkRead,
                DirectoryEdit,
                DirectoryPublish,
                HubConfigure,
            ],
            Role::CaseManager => &[
                PersonRegister,
                PersonSearch,
                PersonRead,
                PersonUpdate,
                PersonErase,
                StatsRead,
                CaseRead,
                CaseWrite,
                ShelterRead,
                ReferralSend,
                ReferralReceive,
                NotificationRead,
            ],
            Role::TeamLead => &[
                PersonRegister,
                PersonSearch,
                PersonRead,
                PersonUpdate,
                StatsRead,
                CaseRead,
                CaseWrite,
                CaseAssign,
                ShelterRead,
                StayExtensionApprove,
                ReferralSend,
                ReferralReceive,
                NotificationRead,
                OutreachRecord,
                OutreachLead,
            ],
            Role::LegalCounsellor => &[
                PersonRegister,
                PersonSearch,
                PersonRead,
                PersonUpdate,
                CaseRead,
                CaseWrite,
                ReferralSend,
                ReferralReceive,
                NotificationRead,
            ],
            Role::OutreachWorker => &[
                PersonRegister,
                PersonSearch,
                PersonRead,
                PersonUpdate,
                ReferralSend,
                NotificationRead,
                OutreachRecord,
            ],
            Role::ShelterCoordinator => &[
                PersonRegister,
                PersonSearch,
                PersonRead,
                PersonUpdate,
                CaseRead,
                ShelterRead,
                ShelterManage,
                ReferralSend,
                ReferralReceive,
                NotificationRead,
            ],
            // The hub works only in the hub: never the person registry, whose form asks
            // for residence status (issue 15).
            Role::HubOfficer => &[HubReportRead, HubReportWrite],
            Role::PartnerStaff => &[
                PersonSearch,
                PersonRead,
                ReferralReceive,
                NotificationRead,
                DirectoryEdit,
            ],
            Role::Analyst => &[StatsRead, NetworkRead],
            Role::PoliceLiaison => &[HandoverRead],
            // Public content and the directory hold no person data; editors need nothing else.
            Role::Editor => &[ContentEdit, ContentReview, DirectoryEdit, DirectoryPublish],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::CaseManager => "case_manager",
            Role::LegalCounsellor => "legal_counsellor",
            Role::OutreachWorker => "outreach_worker",
            Role::ShelterCoordinator => "shelter_coordinator",
            Role::HubOfficer => "hub_officer",
            Role::PartnerStaff => "partner_staff",
            Role::Analyst => "analyst",
            Role::PoliceLiaison => "police_liaison",
            Role::TeamLead => "team_lead",
            Role::Editor => "editor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> std::result::Result<Self, ()> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or(())
    }
}

/// Who is asking. Built once per request from the session, or by the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<UserId>,
    pub org_id: Option<OrgId>,
    pub roles: Vec<Role>,
    /// The operator at the command line: may manage users and keys, reads no person.
    pub system: bool,
}

impl Actor {
    pub fn staff(user_id: UserId, org_id: OrgId, roles: Vec<Role>) -> Self {
        Self {
            user_id: Some(user_id),
            org_id: Some(org_id),
            roles,
            system: false,
        }
    }

    /// The operator at the command line (`haven user add`, `haven demo`).
    pub fn system() -> Self {
        Self {
            user_id: None,
            org_id: None,
            roles: vec![Role::Administrator],
            system: true,
        }
    }

    pub fn can(&self, p: Permission) -> bool {
        self.roles.iter().any(|r| r.permissions().contains(&p))
    }

    /// The first line of every use case.
    pub fn require(&self, p: Permission) -> Result<()> {
        if self.can(p) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// The organisation whose persons this actor may see; staff only.
    pub fn require_org(&self) -> Result<OrgId> {
        self.org_id.ok_or(Error::Forbidden)
    }

    /// Someone on the public site without an account (a reporter using the hub's
    /// reporting page): no roles, no organisation, not the operator.
    pub fn public() -> Self {
        Self {
            user_id: None,
            org_id: None,
            roles: Vec::new(),
            system: false,
        }
    }

    /// For the audit log: who, without personal data.
    pub fn audit_id(&self) -> String {
        match self.user_id {
            Some(u) => u.to_string(),
            None if self.system => "system".to_owned(),
            None => "public".to_owned(),
        }
    }

    pub fn audit_roles(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_role_but_casework_roles_reads_persons() {
        for role in Role::ALL {
            let reads = role.permissions().contains(&PersonRead);
            let expected = !matches!(
                role,
                Role::Administrator
                    | Role::Analyst
                    | Role::PoliceLiaison
                    | Role::Editor
                    | Role::HubOfficer
            );
            assert_eq!(reads, expected, "{role}");
        }
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("immigration_enforcement".parse::<Role>().is_err());
    }
}
