//! Outreach through the API: the offline app's sync endpoint and what it reads. The app
//! itself authenticates with the staff session cookie plus the `X-CSRF-Token` header (see
//! `auth.rs`); other clients use a bearer token like the rest of the API.

use axum::extract::rejection::JsonRejection;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use haven_core::outreach::show::ShowCards;
use haven_core::outreach::{
    self, Choice, Contact, ContactInput, ContactReferrals, OutreachConfig, ReferLineInput,
    RegisterInput, Registered, SyncRecord, SyncResult, SyncStatus, TeamView, ThreadEntry,
};
use haven_core::Error;
use serde::{Deserialize, Serialize};

use crate::api::referrals::CreatedReferral;
use crate::api::{
    json_problem, json_rejected, Answer, ApiJson, Conflict, CreatedAnswer, Done, Forbidden,
    Invalid, NotFound, StaffApi, Unauthorized,
};
use crate::error::{ApiErr, ApiFieldError};
use crate::extract::Id;
use crate::i18n::Tr;

/// What the app needs to know about its user to open (and decrypt) its local store.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DeviceSession {
    pub user_id: String,
    pub display_name: String,
    /// Send as `X-CSRF-Token` with every change made with the session cookie.
    pub csrf: String,
    /// The AES-256-GCM key for the device's local store, base64; import it as
    /// non-extractable.
    pub device_key: String,
}

/// The signed-in user, the CSRF token and the device key for the outreach app.
#[utoipa::path(get, path = "/api/v1/outreach/session", tag = "outreach",
    responses((status = 200, body = DeviceSession), Unauthorized, Forbidden))]
pub async fn session(a: StaffApi) -> Answer<DeviceSession> {
    let device_key = outreach::device_key(&a.ctx, &a.s.actor).map_err(|e| a.err(e))?;
    Ok(Json(DeviceSession {
        user_id: a.s.user.id.to_string(),
        display_name: a.s.user.display_name.clone(),
        csrf: a.s.csrf_token.clone(),
        device_key,
    }))
}

/// Areas, lists, workers and referral targets, for the app to cache.
#[utoipa::path(get, path = "/api/v1/outreach/config", tag = "outreach",
    responses((status = 200, body = OutreachConfig), Unauthorized, Forbidden))]
pub async fn config(a: StaffApi) -> Answer<OutreachConfig> {
    a.json(outreach::config(&a.ctx, &a.s.actor).await)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SyncRequest {
    pub records: Vec<SyncRecord>,
}

/// The answer for one record, with the conflict's reason in the reader's language.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SyncAnswer {
    pub id: String,
    pub status: SyncStatus,
    pub version: Option<i64>,
    /// With `conflict`: a message id, and `message` its text.
    pub reason: Option<String>,
    pub message: Option<String>,
    pub server_version: Option<i64>,
    pub fields: Vec<ApiFieldError>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SyncResponse {
    pub results: Vec<SyncAnswer>,
}

fn answer(t: &Tr, r: SyncResult) -> SyncAnswer {
    SyncAnswer {
        message: r.reason.map(|m| t.t(m)),
        reason: r.reason.map(str::to_owned),
        fields: r
            .fields
            .iter()
            .map(|f| ApiFieldError {
                field: f.field.to_owned(),
                code: f.code.to_owned(),
                message: t.t(f.code),
            })
            .collect(),
        id: r.id,
        status: r.status,
        version: r.version,
        server_version: r.server_version,
    }
}

/// Sends a batch of records made on a device (at most 1000). Every record gets its own
/// answer: `stored` (remove it from the device's queue), `conflict` (same id with a
/// different payload, or an edit based on an old version: show the reason to the worker)
/// or `invalid`. Repeating a record gives the same answer; the batch is applied all at
/// once or not at all, so a request cut off at any point can simply be sent again.
#[utoipa::path(post, path = "/api/v1/outreach/sync", tag = "outreach", request_body = SyncRequest,
    responses((status = 200, body = SyncResponse), Unauthorized, Forbidden, Invalid))]
pub async fn sync(a: StaffApi, ApiJson(req): ApiJson<SyncRequest>) -> Answer<SyncResponse> {
    let results = outreach::sync(&a.ctx, &a.s.actor, &req.records).await;
    a.json(results.map(|rs| SyncResponse {
        results: rs.into_iter().map(|r| answer(&a.t, r)).collect(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PutContact {
    #[serde(default)]
    pub base_version: i64,
    pub contact: ContactInput,
}

/// Stores one contact under the id the device made: 200 when stored (again), 409 with the
/// reason when it clashes with what the server holds, 422 when invalid (a body that is JSON
/// but not of this form included: the answer then names `contact` with `err-json`).
#[utoipa::path(put, path = "/api/v1/outreach/contacts/{id}", tag = "outreach", request_body = PutContact,
    params(("id" = String, Path, description = "The contact's UUIDv7, made by the device")),
    responses(
        (status = 200, body = SyncAnswer),
        Unauthorized, Forbidden,
        (status = 409, body = SyncAnswer),
        (status = 422, body = SyncAnswer),
    ))]
pub async fn put(
    a: StaffApi,
    Id(id): Id<String>,
    body: Result<Json<PutContact>, JsonRejection>,
) -> Result<Response, ApiErr> {
    let body = match body {
        Ok(Json(b)) => b,
        // The device reads a 422 as this operation's answer, so a body of the wrong form
        // is answered in that form too.
        Err(rejection) if rejection.status() == StatusCode::UNPROCESSABLE_ENTITY => {
            let invalid = SyncAnswer {
                id,
                status: SyncStatus::Invalid,
                version: None,
                reason: None,
                message: None,
                server_version: None,
                fields: vec![ApiFieldError {
                    field: "contact".to_owned(),
                    code: "err-json".to_owned(),
                    message: json_problem(&a.t, &rejection),
                }],
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(invalid)).into_response());
        }
        Err(rejection) => return Ok(json_rejected(&a.t, &rejection)),
    };
    let record = SyncRecord {
        id,
        base_version: body.base_version,
        contact: body.contact,
    };
    let mut results = outreach::sync(&a.ctx, &a.s.actor, std::slice::from_ref(&record))
        .await
        .map_err(|e| a.err(e))?;
    let Some(r) = results.pop() else {
        return Err(a.err(Error::Internal(anyhow::anyhow!("no answer"))));
    };
    let status = match r.status {
        SyncStatus::Stored => StatusCode::OK,
        SyncStatus::Conflict => StatusCode::CONFLICT,
        SyncStatus::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, Json(answer(&a.t, r))).into_response())
}

/// One contact of your team, with its version (send it back with an edit). Audited.
#[utoipa::path(get, path = "/api/v1/outreach/contacts/{id}", tag = "outreach",
    params(("id" = String, Path, description = "The contact's id")),
    responses((status = 200, body = Contact), Unauthorized, Forbidden, NotFound))]
pub async fn get(a: StaffApi, Id(id): Id<String>) -> Answer<Contact> {
    a.json(outreach::get(&a.ctx, &a.s.actor, &id).await)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ThreadQuery {
    /// The alias, spelled as the worker heard it.
    pub alias: String,
}

/// A returning person: the team's recent contacts with someone of this alias, newest
/// first. Spelling-tolerant; audited.
#[utoipa::path(get, path = "/api/v1/outreach/thread", tag = "outreach", params(ThreadQuery),
    responses((status = 200, body = Vec<ThreadEntry>), Unauthorized, Forbidden, Invalid))]
pub async fn thread(a: StaffApi, Query(q): Query<ThreadQuery>) -> Answer<Vec<ThreadEntry>> {
    a.json(outreach::thread(&a.ctx, &a.s.actor, &q.alias).await)
}

/// With the person's consent: register them, link the contacts of their thread, and open a
/// case when a programme is given.
#[utoipa::path(post, path = "/api/v1/outreach/register", tag = "outreach", request_body = RegisterInput,
    responses((status = 201, body = Registered), Unauthorized, Forbidden, Conflict, Invalid))]
pub async fn register(
    a: StaffApi,
    ApiJson(input): ApiJson<RegisterInput>,
) -> CreatedAnswer<Registered> {
    a.created(outreach::register(&a.ctx, &a.s.actor, &input).await)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct TeamQuery {
    /// How many weeks back (1–52, default 12).
    pub weeks: Option<i64>,
}

/// The team lead's figures: contacts per area and week, follow-ups due, counselling
/// contacts this year, referrals made.
#[utoipa::path(get, path = "/api/v1/outreach/team", tag = "outreach", params(TeamQuery),
    responses((status = 200, body = TeamView), Unauthorized, Forbidden))]
pub async fn team(a: StaffApi, Query(q): Query<TeamQuery>) -> Answer<TeamView> {
    a.json(outreach::team(&a.ctx, &a.s.actor, q.weeks.unwrap_or(12)).await)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AreasInput {
    pub areas: Vec<Choice>,
}

/// Sets the team's areas, in order. Areas left out are retired, not deleted.
#[utoipa::path(put, path = "/api/v1/outreach/areas", tag = "outreach", request_body = AreasInput,
    responses((status = 204), Unauthorized, Forbidden, Invalid))]
pub async fn set_areas(a: StaffApi, ApiJson(input): ApiJson<AreasInput>) -> Done {
    a.done(outreach::set_areas(&a.ctx, &a.s.actor, &input.areas).await)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CardsQuery {
    /// A language code from `languages`, e.g. `ar`. Without it, only the list of languages.
    pub lang: Option<String>,
}

/// Show mode's information cards: the languages with published cards (each named in its
/// own script, with its direction) and, with `lang`, that language's cards. The cards are
/// the public site's published topic pages, so they carry no personal data; the app keeps
/// them on the device to show offline. A language with no published cards is 422 on the
/// field `lang`.
#[utoipa::path(get, path = "/api/v1/outreach/cards", tag = "outreach", params(CardsQuery),
    responses((status = 200, body = ShowCards), Unauthorized, Forbidden, Invalid))]
pub async fn cards(a: StaffApi, Query(q): Query<CardsQuery>) -> Answer<ShowCards> {
    a.json(outreach::show::cards(&a.ctx, &a.s.actor, q.lang.as_deref()).await)
}

/// A contact's referral lines: per person and target, signposted (nothing shared) or
/// referred with consent, with the referral's status and result. Audited.
#[utoipa::path(get, path = "/api/v1/outreach/contacts/{id}/referrals", tag = "outreach",
    params(("id" = String, Path, description = "The contact's id")),
    responses((status = 200, body = ContactReferrals), Unauthorized, Forbidden, NotFound))]
pub async fn referral_lines(a: StaffApi, Id(id): Id<String>) -> Answer<ContactReferrals> {
    a.json(outreach::lines(&a.ctx, &a.s.actor, &id).await)
}

/// Turns a referral line of a registered person into a consented referral: records the
/// consent to the service's organisation and refers, like a referral from a case (source
/// `outreach`). An anonymous person's line stays signposting (409); a line already
/// referred is refused (409), so repeating the request makes no second referral.
#[utoipa::path(post, path = "/api/v1/outreach/contacts/{id}/referrals", tag = "outreach",
    request_body = ReferLineInput,
    params(("id" = String, Path, description = "The contact's id")),
    responses(
        (status = 201, body = CreatedReferral),
        Unauthorized, Forbidden, NotFound, Conflict, Invalid,
    ))]
pub async fn refer_line(
    a: StaffApi,
    Id(id): Id<String>,
    ApiJson(input): ApiJson<ReferLineInput>,
) -> CreatedAnswer<CreatedReferral> {
    let referred = outreach::refer_line(&a.ctx, &a.s.actor, &id, &input).await;
    a.created(referred.map(CreatedReferral::of))
}
