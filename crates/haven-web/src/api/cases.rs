//! Cases through the API: the same use cases as the pages. A case of another
//! organisation, or of a person your organisation may no longer see, is 404.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use haven_core::cases::{
    self, AppointmentInput, AssignInput, CaseFile, CaseLine, CaseSummary, CloseInput, EpisodeInput,
    GoalInput, NoteInput, OpenInput, PerspectiveEntry, PerspectiveInput, ProcedureInput,
    TeamOverview,
};
use haven_core::ids::CaseId;
use haven_core::Error;
use serde::{Deserialize, Serialize};

use crate::api::ApiJson;
use crate::auth::Staff;
use crate::error::{ApiErr, ErrExt};
use crate::i18n::Tr;
use crate::AppState;

/// The id of what was created.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: String,
}

fn created(id: impl ToString) -> (StatusCode, Json<Created>) {
    (StatusCode::CREATED, Json(Created { id: id.to_string() }))
}

fn parse<T: std::str::FromStr>(id: &str, t: &Tr) -> Result<T, ApiErr> {
    id.parse().map_err(|_| t.api()(Error::NotFound))
}

/// Your caseload: your open cases, ordered by what needs attention, each with the reasons.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases",
    responses(
        (status = 200, body = Vec<CaseLine>),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
) -> Result<Json<Vec<CaseLine>>, ApiErr> {
    cases::caseload(&state.ctx, &s.actor)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Open a case (intake) for a person your organisation may see.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = OpenInput,
    responses(
        (status = 201, body = CaseSummary),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 409, description = "The case manager is at the programme's caseload cap", body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    ApiJson(input): ApiJson<OpenInput>,
) -> Result<(StatusCode, Json<CaseSummary>), ApiErr> {
    cases::open_case(&state.ctx, &s.actor, &input)
        .await
        .map(|c| (StatusCode::CREATED, Json(c)))
        .map_err(t.api())
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
    responses(
        (status = 200, body = TeamOverview),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
    ))]
pub async fn team(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Query(q): Query<TeamQuery>,
) -> Result<Json<TeamOverview>, ApiErr> {
    let manager = match q
        .manager
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        Some(m) => Some(
            m.parse()
                .map_err(|_| t.api()(Error::invalid("manager", "err-choice")))?,
        ),
        None => None,
    };
    cases::team(&state.ctx, &s.actor, manager)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Read a case file. Audited.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = CaseFile),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, description = "No such case, or not your organisation's", body = crate::error::ApiErrorBody),
        (status = 410, description = "The person's data was erased", body = crate::error::ApiErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> Result<Json<CaseFile>, ApiErr> {
    let id: CaseId = parse(&id, &t)?;
    cases::get(&state.ctx, &s.actor, id)
        .await
        .map(Json)
        .map_err(t.api())
}

/// (Re)assign the case manager. Refused (409) when they are at the programme's cap.
#[utoipa::path(post, path = "/api/v1/cases/{id}/assign", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = AssignInput,
    responses(
        (status = 200, body = CaseSummary),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, description = "At the caseload cap, or the case is closed", body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn assign(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AssignInput>,
) -> Result<Json<CaseSummary>, ApiErr> {
    let id: CaseId = parse(&id, &t)?;
    cases::assign(&state.ctx, &s.actor, id, &input)
        .await
        .map(Json)
        .map_err(t.api())
}

/// Record the perspective and the person's decision as they stand now.
#[utoipa::path(post, path = "/api/v1/cases/{id}/perspectives", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = PerspectiveInput,
    responses(
        (status = 201, body = PerspectiveEntry),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn perspective(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PerspectiveInput>,
) -> Result<(StatusCode, Json<PerspectiveEntry>), ApiErr> {
    let id: CaseId = parse(&id, &t)?;
    cases::record_perspective(&state.ctx, &s.actor, id, &input)
        .await
        .map(|p| (StatusCode::CREATED, Json(p)))
        .map_err(t.api())
}

/// Record a legal procedure.
#[utoipa::path(post, path = "/api/v1/cases/{id}/procedures", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = ProcedureInput,
    responses(
        (status = 201, body = Created),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn add_procedure(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ProcedureInput>,
) -> Result<(StatusCode, Json<Created>), ApiErr> {
    let id: CaseId = parse(&id, &t)?;
    cases::add_procedure(&state.ctx, &s.actor, id, &input)
        .await
        .map(created)
        .map_err(t.api())
}

/// Change a legal procedure (decision, appeal, deadline).
#[utoipa::path(put, path = "/api/v1/cases/{id}/procedures/{pid}", tag = "cases",
    params(("id" = String, Path, format = Uuid), ("pid" = String, Path, format = Uuid)),
    request_body = ProcedureInput,
    responses(
        (status = 204, description = "Changed"),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn update_procedure(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((id, pid)): Path<(String, String)>,
    ApiJson(input): ApiJson<ProcedureInput>,
) -> Result<StatusCode, ApiErr> {
    let id: CaseId = parse(&id, &t)?;
    let pid = parse(&pid, &t)?;
    cases::update_procedure(&state.ctx, &s.actor, id, pid, &input)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(t.api())
}

/// Add a goal to the action plan.
#[utoipa::path(post, path = "/api/v1/cases/{id}/goals", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = GoalInput,
    responses(
        (status = 201, body = Created),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn add_goal(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<GoalInput>,
) -> Result<(StatusCode, Json<Created>), ApiErr> {
    let id: CaseId = parse(&id, &t)?;
    cases::add_goal(&state.ctx, &s.actor, id, &input)
        .await
        .map(created)
        .map_err(t.api())
}

/// Change a goal and add a progress note; empty fields keep their value.
#[utoipa::path(put, path = "/api/v1/cases/{id}/goals/{gid}", tag = "cases",
    params(("id" = String, Path, format = Uuid), ("gid" = String, Path, format = Uuid)),
    request_body = GoalInput,
    responses(
        (status = 204, description = "Changed"),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn update_goal(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((id, gid)): Path<(String, String)>,
    ApiJson(input): ApiJson<GoalInput>,
) -> Result<StatusCode, ApiErr> {
    let id: CaseId = parse(&id, &t)?;
    let gid = parse(&gid, &t)?;
    cases::update_goal(&state.ctx, &s.actor, id, gid, &input)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(t.api())
}

/// Plan an appointment or a task.
#[utoipa::path(post, path = "/api/v1/cases/{id}/appointments", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = AppointmentInput,
    responses(
        (status = 201, body = Created),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn add_appointment(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AppointmentInput>,
) -> Result<(StatusCode, Json<Created>), ApiErr> {
    let id: CaseId = parse(&id, &t)?;
    cases::add_appointment(&state.ctx, &s.actor, id, &input)
        .await
        .map(created)
        .map_err(t.api())
}

/// Mark an appointment or task done.
#[utoipa::path(post, path = "/api/v1/cases/{id}/appointments/{aid}/done", tag = "cases",
    params(("id" = String, Path, format = Uuid), ("aid" = String, Path, format = Uuid)),
    responses(
        (status = 204, description = "Done"),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
    ))]
pub async fn complete_appointment(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path((id, aid)): Path<(String, String)>,
) -> Result<StatusCode, ApiErr> {
    let id: CaseId = parse(&id, &t)?;
    let aid = parse(&aid, &t)?;
    cases::complete_appointment(&state.ctx, &s.actor, id, aid)
        .await
        .map(|_| StatusCode::NO_CONTENT)
        .map_err(t.api())
}

/// Add a note (stored encrypted; every read is audited).
#[utoipa::path(post, path = "/api/v1/cases/{id}/notes", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = NoteInput,
    responses(
        (status = 201, body = Created),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn add_note(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NoteInput>,
) -> Result<(StatusCode, Json<Created>), ApiErr> {
    let id: CaseId = parse(&id, &t)?;
    cases::add_note(&state.ctx, &s.actor, id, &input)
        .await
        .map(created)
        .map_err(t.api())
}

/// Record a period of employment; the 6/12/24-month status is computed from these.
#[utoipa::path(post, path = "/api/v1/cases/{id}/employment", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = EpisodeInput,
    responses(
        (status = 201, body = Created),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn add_episode(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EpisodeInput>,
) -> Result<(StatusCode, Json<Created>), ApiErr> {
    let id: CaseId = parse(&id, &t)?;
    cases::add_episode(&state.ctx, &s.actor, id, &input)
        .await
        .map(created)
        .map_err(t.api())
}

/// Close a case with its outcome and date. Without an outcome, 422.
#[utoipa::path(post, path = "/api/v1/cases/{id}/close", tag = "cases",
    params(("id" = String, Path, format = Uuid)), request_body = CloseInput,
    responses(
        (status = 200, body = CaseSummary),
        (status = 401, body = crate::error::ApiErrorBody),
        (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, description = "Already closed", body = crate::error::ApiErrorBody),
        (status = 422, body = crate::error::ApiErrorBody),
    ))]
pub async fn close(
    State(state): State<AppState>,
    t: Tr,
    Staff(s): Staff,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CloseInput>,
) -> Result<Json<CaseSummary>, ApiErr> {
    let id: CaseId = parse(&id, &t)?;
    cases::close(&state.ctx, &s.actor, id, &input)
        .await
        .map(Json)
        .map_err(t.api())
}
