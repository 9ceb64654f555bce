//! Cases through the API: the same use cases as the pages. A case of another
//! organisation, or of a person your organisation may no longer see, is 404.

use axum::extract::Query;
use haven_core::cases::{
    self, AppointmentInput, AssignInput, CaseFile, CaseLine, CaseSummary, CloseInput, EpisodeInput,
    GoalInput, NoteInput, OpenInput, PerspectiveEntry, PerspectiveInput, ProcedureInput,
    TeamOverview,
};
use haven_core::ids::{AppointmentId, CaseId, GoalId, ProcedureId};
use haven_core::Error;
use serde::{Deserialize, Serialize};

use crate::api::handler::chosen;
use crate::api::{
    Answer, ApiJson, Conflict, CreatedAnswer, Done, Erased, Forbidden, Invalid, NotFound, StaffApi,
    Unauthorized,
};
use crate::error::ApiErrorBody;
use crate::extract::Id;

/// The id of what was created.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: String,
}

/// The answer `201 Created` with the id of the record a core call made.
fn created(a: &StaffApi, made: Result<impl ToString, Error>) -> CreatedAnswer<Created> {
    a.created(made.map(|id| Created { id: id.to_string() }))
}

/// Your caseload: your open cases, ordered by what needs attention, each with the reasons.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases",
    responses((status = 200, body = Vec<CaseLine>), Unauthorized, Forbidden))]
pub async fn list(a: StaffApi) -> Answer<Vec<CaseLine>> {
    a.json(cases::caseload(&a.ctx, &a.s.actor).await)
}

/// Open a case (intake) for a person your organisation may see.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = OpenInput,
    responses(
        (status = 201, body = CaseSummary),
        Unauthorized, Forbidden,
        (status = 409, description = "The case manager is at the programme's caseload cap", body = ApiErrorBody),
        Invalid,
    ))]
pub async fn create(a: StaffApi, ApiJson(input): ApiJson<OpenInput>) -> CreatedAnswer<CaseSummary> {
    a.created(cases::open_case(&a.ctx, &a.s.actor, &input).await)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct TeamQuery {
    /// A case manager whose open cases to list, for rebalancing.
    #[serde(default)]
    pub manager: Option<String>,
}

/// The team lead's overview: caseloads per manager and programme, unassigned cases, and
/// the time from intake to the appointment of a case manager.
#[utoipa::path(get, path = "/api/v1/cases/team", tag = "cases", params(TeamQuery),
    responses((status = 200, body = TeamOverview), Unauthorized, Forbidden))]
pub async fn team(a: StaffApi, Query(q): Query<TeamQuery>) -> Answer<TeamOverview> {
    let manager = chosen("manager", q.manager.as_deref()).map_err(|e| a.err(e))?;
    a.json(cases::team(&a.ctx, &a.s.actor, manager).await)
}

/// Read a case file. Audited.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = CaseFile),
        Unauthorized, Forbidden,
        (status = 404, description = "No such case, or not your organisation's", body = ApiErrorBody),
        Erased,
    ))]
pub async fn get(a: StaffApi, Id(id): Id<CaseId>) -> Answer<CaseFile> {
    a.json(cases::get(&a.ctx, &a.s.actor, id).await)
}

/// (Re)assign the case manager. Refused (409) when they are at the programme's cap.
#[utoipa::path(post, path = "/api/v1/cases/{id}/assign", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = AssignInput,
    responses(
        (status = 200, body = CaseSummary),
        Unauthorized, Forbidden, NotFound,
        (status = 409, description = "At the caseload cap, or the case is closed", body = ApiErrorBody),
        Invalid,
    ))]
pub async fn assign(
    a: StaffApi,
    Id(id): Id<CaseId>,
    ApiJson(input): ApiJson<AssignInput>,
) -> Answer<CaseSummary> {
    a.json(cases::assign(&a.ctx, &a.s.actor, id, &input).await)
}

/// Record the perspective and the person's decision as they stand now.
#[utoipa::path(post, path = "/api/v1/cases/{id}/perspectives", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = PerspectiveInput,
    responses(
        (status = 201, body = PerspectiveEntry),
        Unauthorized, Forbidden, NotFound, Conflict, Invalid,
    ))]
pub async fn perspective(
    a: StaffApi,
    Id(id): Id<CaseId>,
    ApiJson(input): ApiJson<PerspectiveInput>,
) -> CreatedAnswer<PerspectiveEntry> {
    a.created(cases::record_perspective(&a.ctx, &a.s.actor, id, &input).await)
}

/// Record a legal procedure.
#[utoipa::path(post, path = "/api/v1/cases/{id}/procedures", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = ProcedureInput,
    responses(
        (status = 201, body = Created),
        Unauthorized, Forbidden, NotFound, Conflict, Invalid,
    ))]
pub async fn add_procedure(
    a: StaffApi,
    Id(id): Id<CaseId>,
    ApiJson(input): ApiJson<ProcedureInput>,
) -> CreatedAnswer<Created> {
    created(
        &a,
        cases::add_procedure(&a.ctx, &a.s.actor, id, &input).await,
    )
}

/// Change a legal procedure (decision, appeal, deadline).
#[utoipa::path(put, path = "/api/v1/cases/{id}/procedures/{pid}", tag = "cases",
    params(("id" = String, Path, format = Uuid), ("pid" = String, Path, format = Uuid)),
    request_body = ProcedureInput,
    responses(
        (status = 204, description = "Changed"),
        Unauthorized, Forbidden, NotFound, Conflict, Invalid,
    ))]
pub async fn update_procedure(
    a: StaffApi,
    Id((id, pid)): Id<(CaseId, ProcedureId)>,
    ApiJson(input): ApiJson<ProcedureInput>,
) -> Done {
    a.done(cases::update_procedure(&a.ctx, &a.s.actor, id, pid, &input).await)
}

/// Add a goal to the action plan.
#[utoipa::path(post, path = "/api/v1/cases/{id}/goals", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = GoalInput,
    responses(
        (status = 201, body = Created),
        Unauthorized, Forbidden, NotFound, Conflict, Invalid,
    ))]
pub async fn add_goal(
    a: StaffApi,
    Id(id): Id<CaseId>,
    ApiJson(input): ApiJson<GoalInput>,
) -> CreatedAnswer<Created> {
    created(&a, cases::add_goal(&a.ctx, &a.s.actor, id, &input).await)
}

/// Change a goal and add a progress note; empty fields keep their value.
#[utoipa::path(put, path = "/api/v1/cases/{id}/goals/{gid}", tag = "cases",
    params(("id" = String, Path, format = Uuid), ("gid" = String, Path, format = Uuid)),
    request_body = GoalInput,
    responses(
        (status = 204, description = "Changed"),
        Unauthorized, Forbidden, NotFound, Conflict, Invalid,
    ))]
pub async fn update_goal(
    a: StaffApi,
    Id((id, gid)): Id<(CaseId, GoalId)>,
    ApiJson(input): ApiJson<GoalInput>,
) -> Done {
    a.done(cases::update_goal(&a.ctx, &a.s.actor, id, gid, &input).await)
}

/// Plan an appointment or a task.
#[utoipa::path(post, path = "/api/v1/cases/{id}/appointments", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = AppointmentInput,
    responses(
        (status = 201, body = Created),
        Unauthorized, Forbidden, NotFound, Conflict, Invalid,
    ))]
pub async fn add_appointment(
    a: StaffApi,
    Id(id): Id<CaseId>,
    ApiJson(input): ApiJson<AppointmentInput>,
) -> CreatedAnswer<Created> {
    created(
        &a,
        cases::add_appointment(&a.ctx, &a.s.actor, id, &input).await,
    )
}

/// Mark an appointment or task done.
#[utoipa::path(post, path = "/api/v1/cases/{id}/appointments/{aid}/done", tag = "cases",
    params(("id" = String, Path, format = Uuid), ("aid" = String, Path, format = Uuid)),
    responses((status = 204, description = "Done"), Unauthorized, Forbidden, NotFound, Conflict))]
pub async fn complete_appointment(a: StaffApi, Id((id, aid)): Id<(CaseId, AppointmentId)>) -> Done {
    a.done(cases::complete_appointment(&a.ctx, &a.s.actor, id, aid).await)
}

/// Add a note (stored encrypted; every read is audited).
#[utoipa::path(post, path = "/api/v1/cases/{id}/notes", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = NoteInput,
    responses(
        (status = 201, body = Created),
        Unauthorized, Forbidden, NotFound, Conflict, Invalid,
    ))]
pub async fn add_note(
    a: StaffApi,
    Id(id): Id<CaseId>,
    ApiJson(input): ApiJson<NoteInput>,
) -> CreatedAnswer<Created> {
    created(&a, cases::add_note(&a.ctx, &a.s.actor, id, &input).await)
}

/// Record a period of employment; the 6/12/24-month status is computed from these.
#[utoipa::path(post, path = "/api/v1/cases/{id}/employment", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = EpisodeInput,
    responses(
        (status = 201, body = Created),
        Unauthorized, Forbidden, NotFound, Conflict, Invalid,
    ))]
pub async fn add_episode(
    a: StaffApi,
    Id(id): Id<CaseId>,
    ApiJson(input): ApiJson<EpisodeInput>,
) -> CreatedAnswer<Created> {
    created(&a, cases::add_episode(&a.ctx, &a.s.actor, id, &input).await)
}

/// Close a case with its outcome and date. Without an outcome, 422.
#[utoipa::path(post, path = "/api/v1/cases/{id}/close", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = CloseInput,
    responses(
        (status = 200, body = CaseSummary),
        Unauthorized, Forbidden, NotFound,
        (status = 409, description = "Already closed", body = ApiErrorBody),
        Invalid,
    ))]
pub async fn close(
    a: StaffApi,
    Id(id): Id<CaseId>,
    ApiJson(input): ApiJson<CloseInput>,
) -> Answer<CaseSummary> {
    a.json(cases::close(&a.ctx, &a.s.actor, id, &input).await)
}
