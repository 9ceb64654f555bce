//! The words of casework as types: the codes that are the same in every country, and what
//! the use cases return.
//!
//! Lists that carry national law (procedure types, permit types) are configuration in
//! `config_lists` and are checked against the database by the use cases. A code enum
//! decodes straight from its text column (`perspective: Perspective` in a row struct); an
//! unknown code there is a decode error, which the core reports as `Error::Internal`.

use serde::{Deserialize, Serialize};

use crate::codes::code_enum;
use crate::ids::{
    AppointmentId, CaseId, EpisodeId, GoalId, NoteId, PersonId, PerspectiveId, ProcedureId,
    ProgrammeId, UserId,
};

code_enum!(
    /// The direction being worked on. Undecided is a legitimate state.
    Perspective {
        Regularisation = "regularisation",
        OnwardMigration = "onward_migration",
        VoluntaryReturn = "voluntary_return",
        Undecided = "undecided",
    }
);

code_enum!(
    /// Where the person stands with their own decision; the decision is theirs.
    DecisionStage {
        NotConsidering = "not_considering",
        Exploring = "exploring",
        Decided = "decided",
    }
);

code_enum!(
    /// The state of a legal procedure.
    Decision {
        Pending = "pending",
        Granted = "granted",
        Refused = "refused",
        Withdrawn = "withdrawn",
    }
);

code_enum!(
    /// The domains of an action plan, worked on at the same time.
    Domain {
        Work = "work",
        Education = "education",
        Language = "language",
        HealthCare = "health_care",
        Housing = "housing",
        Income = "income",
        Participation = "participation",
        LegalStatus = "legal_status",
        ReturnPreparation = "return_preparation",
    }
);

code_enum!(
    /// Short- or long-term objective.
    Term {
        Short = "short",
        Long = "long",
    }
);

code_enum!(
    GoalStatus {
        Open = "open",
        InProgress = "in_progress",
        Achieved = "achieved",
        Dropped = "dropped",
    }
);

code_enum!(
    /// An appointment is a contact with the person; a task is work to do for them.
    ItemKind {
        Appointment = "appointment",
        Task = "task",
    }
);

code_enum!(
    /// How a case ended.
    Outcome {
        Regularised = "regularised",
        ReturnedVoluntarily = "returned_voluntarily",
        MovedOn = "moved_on",
        DublinTransfer = "dublin_transfer",
        LostContact = "lost_contact",
        Deceased = "deceased",
        Other = "other",
    }
);

code_enum!(
    Contract {
        Temporary = "temporary",
        Fixed = "fixed",
    }
);

code_enum!(
    /// The employment status at a follow-up moment, computed from the episodes.
    EmploymentStatus {
        Employed = "employed",
        NotEmployed = "not_employed",
        NotYetReached = "not_yet_reached",
    }
);

code_enum!(
    /// Why a case is on top of the caseload, most urgent first.
    AttentionKind {
        DeadlinePassed = "deadline_passed",
        StayEnded = "stay_ended",
        DeadlineNear = "deadline_near",
        StayEnding = "stay_ending",
        GoalOverdue = "goal_overdue",
        NoContact = "no_contact",
    }
);

impl AttentionKind {
    /// Lower is more urgent.
    pub fn rank(self) -> i64 {
        Self::ALL.iter().position(|k| *k == self).unwrap_or(0) as i64
    }

    /// Whether the moment has passed (a deadline, a stay limit, a goal's date), rather than
    /// coming near: pages show these apart.
    pub fn is_past(self) -> bool {
        matches!(
            self,
            Self::DeadlinePassed | Self::StayEnded | Self::GoalOverdue
        )
    }
}

/// The follow-up moments after the start of the programme, in months.
pub const FOLLOW_UP_MONTHS: [i64; 3] = [6, 12, 24];

/// What a programme may count besides closure outcomes.
pub const EMPLOYMENT_OUTCOME: &str = "employment";

// ---------------------------------------------------------------------------------------
// What the use cases return

/// A reference to a staff member, for display.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StaffRef {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    pub name: String,
}

/// Why a case needs attention; `date` is the date concerned, `days` how far it is from
/// today (negative: in the past).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Attention {
    pub kind: AttentionKind,
    pub date: String,
    pub days: i64,
}

/// The head of a case.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseSummary {
    #[schema(value_type = String, format = Uuid)]
    pub id: CaseId,
    #[schema(value_type = String, format = Uuid)]
    pub person_id: PersonId,
    /// Name or alias of the person, when recorded.
    pub person_label: Option<String>,
    #[schema(value_type = String, format = Uuid)]
    pub programme_id: ProgrammeId,
    pub programme_name: String,
    pub case_manager: Option<StaffRef>,
    /// `open` or `closed`.
    pub status: String,
    pub intake_at: i64,
    pub manager_assigned_at: Option<i64>,
    /// Seconds from intake to the appointment of a case manager.
    pub wait_seconds: Option<i64>,
    /// The start of the programme for this person, `YYYY-MM-DD`.
    pub start_date: String,
    /// The end under the programme's maximum duration, if it has one.
    pub end_date: Option<String>,
    pub perspective: Perspective,
    pub last_contact_at: Option<i64>,
    pub closed_on: Option<String>,
    pub outcome: Option<Outcome>,
    pub version: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OutcomeDetails {
    pub permit_type: Option<String>,
    pub country: Option<String>,
    pub supporting_org: Option<String>,
    pub details: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PerspectiveText {
    /// Where the person wants to go, and why.
    pub migration_project: Option<String>,
    pub current_situation: Option<String>,
    pub legal_options: Option<String>,
    /// The person's own decision, in their words.
    pub decision: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PerspectiveEntry {
    #[schema(value_type = String, format = Uuid)]
    pub id: PerspectiveId,
    pub at: i64,
    pub recorded_by: String,
    pub perspective: Perspective,
    pub decision_stage: DecisionStage,
    #[serde(flatten)]
    pub text: PerspectiveText,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Procedure {
    #[schema(value_type = String, format = Uuid)]
    pub id: ProcedureId,
    /// A code of the configured `procedure_type` list.
    pub kind: String,
    pub kind_label: String,
    pub filed_on: Option<String>,
    pub decision: Decision,
    pub decision_on: Option<String>,
    pub appeal_filed_on: Option<String>,
    pub deadline: Option<String>,
    pub notes: Option<String>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProgressNote {
    pub at: i64,
    pub by: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Goal {
    #[schema(value_type = String, format = Uuid)]
    pub id: GoalId,
    pub domain: Domain,
    pub term: Term,
    pub owner: Option<StaffRef>,
    pub due_on: Option<String>,
    pub status: GoalStatus,
    pub title: String,
    /// Newest last.
    pub progress: Vec<ProgressNote>,
    pub overdue: bool,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Appointment {
    #[schema(value_type = String, format = Uuid)]
    pub id: AppointmentId,
    pub kind: ItemKind,
    pub due_at: i64,
    pub done_at: Option<i64>,
    pub title: String,
    pub created_by: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Note {
    #[schema(value_type = String, format = Uuid)]
    pub id: NoteId,
    pub at: i64,
    pub written_by: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct Episode {
    #[schema(value_type = String, format = Uuid)]
    pub id: EpisodeId,
    pub start_on: String,
    pub end_on: Option<String>,
    pub contract: Contract,
    pub sector: String,
    pub hours_per_week: i64,
}

/// The status at a follow-up moment, computed from the episodes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = CaseFollowUp)]
pub struct FollowUp {
    pub months: i64,
    pub date: String,
    pub status: EmploymentStatus,
    pub contract: Option<Contract>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Employment {
    pub episodes: Vec<Episode>,
    pub follow_up: Vec<FollowUp>,
}

/// A shelter placement of this case, read from the shelter tables.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct PlacementInfo {
    pub site: String,
    pub neighbourhood: String,
    pub place: String,
    pub admitted_on: String,
    pub stay_until: Option<String>,
    pub discharged_on: Option<String>,
    pub discharge_reason: Option<String>,
    pub extensions: i64,
    /// Days left until `stay_until`, for a current placement with a limit.
    #[sqlx(skip)]
    pub days_left: Option<i64>,
}

/// One line of the case's own timeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    pub at: i64,
    /// `intake`, `manager_assigned`, `perspective`, `procedure`, `goal`, `appointment`,
    /// `note`, `employment`, `closed`.
    pub what: String,
    pub by: Option<String>,
}

impl HistoryEntry {
    pub(crate) fn new(at: i64, what: &str, by: Option<String>) -> Self {
        Self {
            at,
            what: what.to_owned(),
            by,
        }
    }
}

/// Everything on the case page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseFile {
    #[serde(flatten)]
    pub case: CaseSummary,
    pub outcome_details: Option<OutcomeDetails>,
    /// Newest first.
    pub perspectives: Vec<PerspectiveEntry>,
    pub procedures: Vec<Procedure>,
    pub goals: Vec<Goal>,
    pub appointments: Vec<Appointment>,
    /// Newest first.
    pub notes: Vec<Note>,
    pub employment: Employment,
    /// Whether the programme counts employment (refugee coaching).
    pub follows_employment: bool,
    pub placements: Vec<PlacementInfo>,
    pub attention: Vec<Attention>,
    /// Newest first.
    pub history: Vec<HistoryEntry>,
}

/// One case on a caseload or team list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseLine {
    #[serde(flatten)]
    pub case: CaseSummary,
    /// Most urgent first; empty when nothing needs attention.
    pub attention: Vec<Attention>,
}

/// One case manager's load in one programme.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Load {
    #[schema(value_type = String, format = Uuid)]
    pub programme_id: ProgrammeId,
    pub open_cases: i64,
    pub cap: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ManagerLoad {
    pub manager: StaffRef,
    /// One entry per programme of the overview, in the same order.
    pub loads: Vec<Load>,
    pub total: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct ProgrammeRef {
    #[schema(value_type = String, format = Uuid)]
    pub id: ProgrammeId,
    pub name: String,
    pub cap: i64,
}

/// The team lead's overview.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TeamOverview {
    pub programmes: Vec<ProgrammeRef>,
    pub managers: Vec<ManagerLoad>,
    /// Open cases without a case manager, longest waiting first.
    pub unassigned: Vec<CaseLine>,
    /// When a manager was chosen: that manager's open cases, for rebalancing.
    pub manager_cases: Vec<CaseLine>,
    /// Cases of the organisation with a case manager, and the time it took.
    pub assigned_cases: i64,
    pub average_wait_seconds: Option<i64>,
    pub longest_wait_seconds: Option<i64>,
}

/// The cases of a person, for the person page: open first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct PersonCase {
    #[schema(value_type = String, format = Uuid)]
    pub id: CaseId,
    pub programme_name: String,
    pub status: String,
    pub start_date: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(*o));
        }
        assert_eq!(Perspective::parse("deportation"), None);
    }
}
