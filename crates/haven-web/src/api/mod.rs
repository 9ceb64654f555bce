//! The JSON API under `/api/v1/`. Clients authenticate with a bearer token from
//! `POST /api/v1/auth/token`; every handler is described for the OpenAPI document, which a
//! test compares with the committed `openapi.json` so that changes are deliberate.
//!
//! A handler is its core call: [`handler`] holds the opening, the closing and the
//! documented error responses that all of them share.

pub mod audit;
pub mod auth;
pub mod cases;
pub mod content;
pub mod directory;
pub mod handler;
pub mod hsds;
pub mod hub;
pub mod hub_categories;
pub mod hub_work;
pub mod orgs;
pub mod outreach;
pub mod persons;
pub mod programmes;
pub mod referral_types;
pub mod referrals;
pub mod shelters;
pub mod stats;
pub mod users;

pub use handler::{
    json_problem, json_rejected, Answer, ApiJson, Conflict, CreatedAnswer, Done, Erased, Forbidden,
    Invalid, NotFound, StaffApi, Unauthorized,
};

use axum::response::IntoResponse;
use axum::Json;
use hub_work::HubWorkPaths;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Haven API",
        description = "Haven's staff API. Personal data is returned only to staff whose \
            organisation may see the person; every read is audited. There is no endpoint \
            for immigration enforcement.",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(
        auth::create_token,
        auth::delete_token,
        auth::me,
        persons::list,
        persons::create,
        persons::get,
        persons::update,
        persons::erase,
        orgs::list,
        orgs::create,
        orgs::get,
        orgs::update,
        orgs::retention,
        users::list,
        users::create,
        users::get,
        users::update,
        users::disable,
        users::enable,
        users::reset_totp,
        users::role_notices,
        audit::list,
        stats::overview,
        stats::indicators,
        shelters::board,
        shelters::list_sites,
        shelters::create_site,
        shelters::get_site,
        shelters::update_site,
        shelters::admit,
        shelters::move_placement,
        shelters::discharge,
        shelters::free_place,
        shelters::extend,
        shelters::request_extension,
        shelters::approve_extension,
        shelters::refuse_extension,
        shelters::case_placement,
        shelters::waiting_list,
        shelters::add_waiting,
        shelters::admit_waiting,
        shelters::remove_waiting,
        programmes::list,
        programmes::create,
        programmes::get,
        programmes::update,
        programmes::options,
        cases::list,
        cases::create,
        cases::team,
        cases::get,
        cases::assign,
        cases::perspective,
        cases::add_procedure,
        cases::update_procedure,
        cases::add_goal,
        cases::update_goal,
        cases::add_appointment,
        cases::complete_appointment,
        cases::add_note,
        cases::add_episode,
        cases::close,
        referrals::types,
        referrals::services,
        referrals::consent_options,
        referrals::of_person,
        referrals::record_consent,
        referrals::withdraw_consent,
        referrals::create,
        referrals::sent,
        referrals::get_sent,
        referrals::withdraw,
        referrals::received,
        referrals::get_received,
        referrals::person,
        referrals::accept,
        referrals::decline,
        referrals::result,
        referrals::notifications,
        referrals::mark_read,
        referrals::network,
        content::list,
        content::create,
        content::get,
        content::save,
        content::review,
        content::publish,
        content::confirm,
        content::withdraw,
        outreach::session,
        outreach::config,
        outreach::sync,
        outreach::put,
        outreach::get,
        outreach::thread,
        outreach::register,
        outreach::team,
        outreach::set_areas,
        outreach::cards,
        outreach::referral_lines,
        outreach::refer_line,
        referral_types::list,
        referral_types::get,
        referral_types::update,
        hsds::import_json,
        directory::list,
        directory::create,
        directory::get,
        directory::update,
        directory::checked,
        directory::queue,
        directory::approve,
        directory::reject,
        hub::list,
        hub::record,
        hub::get,
        hub::answer,
        hub::close,
        hub::categories,
        hub_categories::list,
        hub_categories::create,
        hub_categories::get,
        hub_categories::update,
        hub_categories::retire,
    ),
    components(schemas(crate::error::ApiErrorBody, crate::error::ApiFieldError)),
    modifiers(&BearerAuth, &HubWorkPaths, &StorageUnavailable),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Tokens and the signed-in user"),
        (name = "persons", description = "The people Haven serves"),
        (name = "organisations", description = "The organisations in the city's network"),
        (name = "users", description = "Staff accounts"),
        (name = "audit", description = "The audit log: who did what, without personal data"),
        (name = "stats", description = "Aggregate figures; small counts are withheld"),
        (name = "shelters", description = "Shelter sites, placements, stay limits and the waiting list; every read of a placement is audited"),
        (name = "programmes", description = "Casework programmes and their rules"),
        (name = "cases", description = "Casework towards a durable solution; every read is audited"),
        (name = "referrals", description = "Consented referrals between organisations, notifications and the network view; a receiving organisation sees only the fields the referral type allows, while the referral is open and consented"),
        (name = "content", description = "The public information site: pages, questions and stories per language; draft, review, publish; story takedown"),
        (name = "outreach", description = "Street outreach: contacts recorded offline and synchronised idempotently by client-made ids; every read of a contact is audited; show mode's public information cards"),
        (name = "directory", description = "The services directory (HSDS 3.0); the public read-only API is under /api/hsds/ with its own OpenAPI document"),
        (name = "directory", description = "Editing the services directory: drafts by partner staff, review by a municipal editor, last checked"),
        (name = "hub", description = "The safe-reporting hub: reports made to a reporting hub and their conversation, for its hub officers only; every read is audited, and nothing identifies the reporter"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every operation may answer 503: when the disk or the database fails, the request is
/// refused and nothing is saved (`haven_core::Error::Unavailable`), whatever the route.
/// Documenting it once here keeps each handler's list to what is particular to it.
struct StorageUnavailable;

impl Modify for StorageUnavailable {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, HeaderBuilder, Ref, ResponseBuilder};
        let response = ResponseBuilder::new()
            .description(
                "Storage unavailable (disk full, database down): nothing was saved; \
                 try again after `Retry-After` seconds",
            )
            .header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(
                        utoipa::openapi::ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::Type::Integer),
                    )
                    .build(),
            )
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ApiErrorBody")))
                    .build(),
            )
            .build();
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                op.responses
                    .responses
                    .insert("503".to_owned(), response.clone().into());
            }
        }
    }
}

/// The OpenAPI document as served and as committed.
pub fn openapi_document() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".to_owned())
}

pub async fn openapi_json() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}
