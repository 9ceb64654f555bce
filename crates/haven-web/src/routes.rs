//! The route table: every route Haven serves, the access it needs, and its handler.
//!
//! The router is built from this table and the authorization middleware enforces each
//! entry's [`Access`] before the handler runs (the core checks the same permission again
//! on its first line). The authorization-matrix test walks this table, so a route cannot
//! exist without an access rule, and one added without updating the committed matrix
//! fails the suite.
//!
//! URL layout for all of Haven: the public site at `/{lang}/…`, staff pages under
//! `/staff/`, the outreach app under `/outreach/`, the JSON API under `/api/v1/`, the
//! public HSDS directory API under `/api/hsds/`.

use axum::http::Method;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{delete, get, post, put, MethodRouter};
use axum::Router;
use haven_core::Permission::{self, *};
use std::collections::HashMap;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

use crate::{api, auth, pages, security, AppState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, no session.
    Public,
    /// A half-finished sign-in (second factor pending).
    Pending,
    /// Any signed-in staff member.
    Staff,
    /// A signed-in staff member holding this permission.
    Perm(Permission),
}

#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

pub type AccessMap = HashMap<(Method, String), Access>;

fn r(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> (RouteSpec, MethodRouter<AppState>) {
    (
        RouteSpec {
            method,
            path,
            access,
        },
        handler,
    )
}

/// Every route. Keep grouped by area, pages before API.
pub fn route_table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Access::*;
    const GET: Method = Method::GET;
    const POST: Method = Method::POST;
    const PUT: Method = Method::PUT;
    const DELETE: Method = Method::DELETE;
    vec![
        // Operations
        r(GET, "/healthz", Public, get(pages::public::healthz)),
        r(GET, "/livez", Public, get(pages::public::livez)),
        r(
            GET,
            "/static/haven.css",
            Public,
            get(pages::public::stylesheet),
        ),
        // Public site
        r(GET, "/", Public, get(pages::public::root)),
        r(GET, "/{lang}/", Public, get(pages::public::home)),
        // Sign-in
        r(GET, "/staff/login", Public, get(pages::login::form)),
        r(POST, "/staff/login", Public, post(pages::login::submit)),
        r(
            GET,
            "/staff/login/totp",
            Pending,
            get(pages::login::totp_form),
        ),
        r(
            POST,
            "/staff/login/totp",
            Pending,
            post(pages::login::totp_submit),
        ),
        r(
            GET,
            "/staff/login/enrol",
            Pending,
            get(pages::login::enrol_form),
        ),
        r(
            POST,
            "/staff/login/enrol",
            Pending,
            post(pages::login::enrol_submit),
        ),
        r(POST, "/staff/logout", Staff, post(pages::login::logout)),
        // Staff pages
        r(GET, "/staff/", Staff, get(pages::home::home)),
        r(GET, "/staff/account", Staff, get(pages::account::show)),
        r(
            POST,
            "/staff/account/language",
            Staff,
            post(pages::account::language),
        ),
        r(
            GET,
            "/staff/persons",
            Perm(PersonSearch),
            get(pages::persons::index),
        ),
        r(
            GET,
            "/staff/persons/new",
            Perm(PersonRegister),
            get(pages::persons::new),
        ),
        r(
            POST,
            "/staff/persons",
            Perm(PersonRegister),
            post(pages::persons::create),
        ),
        r(
            GET,
            "/staff/persons/{id}",
            Perm(PersonRead),
            get(pages::persons::show),
        ),
        r(
            GET,
            "/staff/persons/{id}/edit",
            Perm(PersonUpdate),
            get(pages::persons::edit),
        ),
        r(
            POST,
            "/staff/persons/{id}",
            Perm(PersonUpdate),
            post(pages::persons::update),
        ),
        r(
            GET,
            "/staff/stats",
            Perm(StatsRead),
            get(pages::stats::overview),
        ),
        // Shelters
        r(
            GET,
            "/staff/shelters",
            Perm(ShelterRead),
            get(pages::shelters::board),
        ),
        r(
            GET,
            "/staff/shelters/{id}",
            Perm(ShelterRead),
            get(pages::shelters::site),
        ),
        r(
            POST,
            "/staff/shelters/{id}/admit",
            Perm(ShelterManage),
            post(pages::shelters::admit),
        ),
        r(
            POST,
            "/staff/shelters/{id}/move",
            Perm(ShelterManage),
            post(pages::shelters::move_to),
        ),
        r(
            POST,
            "/staff/placements/{id}/discharge",
            Perm(ShelterManage),
            post(pages::shelters::discharge),
        ),
        r(
            POST,
            "/staff/placements/{id}/extend",
            Perm(StayExtensionApprove),
            post(pages::shelters::extend),
        ),
        r(
            POST,
            "/staff/placements/{id}/extension-request",
            Perm(ShelterManage),
            post(pages::shelters::request_extension),
        ),
        r(
            POST,
            "/staff/extension-requests/{id}/approve",
            Perm(StayExtensionApprove),
            post(pages::shelters::approve_extension),
        ),
        r(
            POST,
            "/staff/extension-requests/{id}/refuse",
            Perm(StayExtensionApprove),
            post(pages::shelters::refuse_extension),
        ),
        r(
            POST,
            "/staff/waiting-list",
            Perm(ShelterManage),
            post(pages::shelters::waiting_add),
        ),
        r(
            POST,
            "/staff/waiting-list/{id}/admit",
            Perm(ShelterManage),
            post(pages::shelters::waiting_admit),
        ),
        r(
            POST,
            "/staff/waiting-list/{id}/remove",
            Perm(ShelterManage),
            post(pages::shelters::waiting_remove),
        ),
        r(
            GET,
            "/staff/admin/shelter-sites",
            Perm(CaseworkConfigure),
            get(pages::shelters::config_index),
        ),
        r(
            GET,
            "/staff/admin/shelter-sites/new",
            Perm(CaseworkConfigure),
            get(pages::shelters::config_new),
        ),
        r(
            POST,
            "/staff/admin/shelter-sites",
            Perm(CaseworkConfigure),
            post(pages::shelters::config_create),
        ),
        r(
            GET,
            "/staff/admin/shelter-sites/{id}",
            Perm(CaseworkConfigure),
            get(pages::shelters::config_edit),
        ),
        r(
            POST,
            "/staff/admin/shelter-sites/{id}",
            Perm(CaseworkConfigure),
            post(pages::shelters::config_update),
        ),
        // Casework
        r(
            GET,
            "/staff/cases",
            Perm(CaseRead),
            get(pages::cases::caseload),
        ),
        r(
            GET,
            "/staff/cases/new",
            Perm(CaseWrite),
            get(pages::cases::new),
        ),
        r(
            POST,
            "/staff/cases",
            Perm(CaseWrite),
            post(pages::cases::create),
        ),
        r(
            GET,
            "/staff/cases/team",
            Perm(CaseAssign),
            get(pages::cases::team),
        ),
        r(
            GET,
            "/staff/cases/{id}",
            Perm(CaseRead),
            get(pages::cases::show),
        ),
        r(
            GET,
            "/staff/cases/{id}/assign",
            Perm(CaseAssign),
            get(pages::cases::assign_form),
        ),
        r(
            POST,
            "/staff/cases/{id}/assign",
            Perm(CaseAssign),
            post(pages::cases::assign),
        ),
        r(
            GET,
            "/staff/cases/{id}/perspective",
            Perm(CaseWrite),
            get(pages::cases::perspective_form),
        ),
        r(
            POST,
            "/staff/cases/{id}/perspective",
            Perm(CaseWrite),
            post(pages::cases::perspective),
        ),
        r(
            GET,
            "/staff/cases/{id}/procedures/new",
            Perm(CaseWrite),
            get(pages::cases::procedure_new),
        ),
        r(
            POST,
            "/staff/cases/{id}/procedures",
            Perm(CaseWrite),
            post(pages::cases::procedure_create),
        ),
        r(
            GET,
            "/staff/cases/{id}/procedures/{pid}",
            Perm(CaseWrite),
            get(pages::cases::procedure_edit),
        ),
        r(
            POST,
            "/staff/cases/{id}/procedures/{pid}",
            Perm(CaseWrite),
            post(pages::cases::procedure_update),
        ),
        r(
            GET,
            "/staff/cases/{id}/goals/new",
            Perm(CaseWrite),
            get(pages::cases::goal_new),
        ),
        r(
            POST,
            "/staff/cases/{id}/goals",
            Perm(CaseWrite),
            post(pages::cases::goal_create),
        ),
        r(
            GET,
            "/staff/cases/{id}/goals/{gid}",
            Perm(CaseWrite),
            get(pages::cases::goal_edit),
        ),
        r(
            POST,
            "/staff/cases/{id}/goals/{gid}",
            Perm(CaseWrite),
            post(pages::cases::goal_update),
        ),
        r(
            GET,
            "/staff/cases/{id}/appointments/new",
            Perm(CaseWrite),
            get(pages::cases::appointment_new),
        ),
        r(
            POST,
            "/staff/cases/{id}/appointments",
            Perm(CaseWrite),
            post(pages::cases::appointment_create),
        ),
        r(
            POST,
            "/staff/cases/{id}/appointments/{aid}/done",
            Perm(CaseWrite),
            post(pages::cases::appointment_done),
        ),
        r(
            GET,
            "/staff/cases/{id}/notes/new",
            Perm(CaseWrite),
            get(pages::cases::note_new),
        ),
        r(
            POST,
            "/staff/cases/{id}/notes",
            Perm(CaseWrite),
            post(pages::cases::note_create),
        ),
        r(
            GET,
            "/staff/cases/{id}/employment/new",
            Perm(CaseWrite),
            get(pages::cases::episode_new),
        ),
        r(
            POST,
            "/staff/cases/{id}/employment",
            Perm(CaseWrite),
            post(pages::cases::episode_create),
        ),
        r(
            GET,
            "/staff/cases/{id}/close",
            Perm(CaseWrite),
            get(pages::cases::close_form),
        ),
        r(
            POST,
            "/staff/cases/{id}/close",
            Perm(CaseWrite),
            post(pages::cases::close),
        ),
        r(
            GET,
            "/staff/admin/programmes",
            Perm(CaseworkConfigure),
            get(pages::programmes::index),
        ),
        r(
            GET,
            "/staff/admin/programmes/new",
            Perm(CaseworkConfigure),
            get(pages::programmes::new),
        ),
        r(
            POST,
            "/staff/admin/programmes",
            Perm(CaseworkConfigure),
            post(pages::programmes::create),
        ),
        r(
            GET,
            "/staff/admin/programmes/{id}",
            Perm(CaseworkConfigure),
            get(pages::programmes::edit),
        ),
        r(
            POST,
            "/staff/admin/programmes/{id}",
            Perm(CaseworkConfigure),
            post(pages::programmes::update),
        ),
        // Administration
        r(
            GET,
            "/staff/admin/organisations",
            Perm(OrgManage),
            get(pages::orgs::index),
        ),
        r(
            GET,
            "/staff/admin/organisations/new",
            Perm(OrgManage),
            get(pages::orgs::new),
        ),
        r(
            POST,
            "/staff/admin/organisations",
            Perm(OrgManage),
            post(pages::orgs::create),
        ),
        r(
            GET,
            "/staff/admin/organisations/{id}",
            Perm(OrgManage),
            get(pages::orgs::edit),
        ),
        r(
            POST,
            "/staff/admin/organisations/{id}",
            Perm(OrgManage),
            post(pages::orgs::update),
        ),
        r(
            GET,
            "/staff/admin/users",
            Perm(UserManage),
            get(pages::users::index),
        ),
        r(
            GET,
            "/staff/admin/users/new",
            Perm(UserManage),
            get(pages::users::new),
        ),
        r(
            POST,
            "/staff/admin/users",
            Perm(UserManage),
            post(pages::users::create),
        ),
        r(
            GET,
            "/staff/admin/users/{id}",
            Perm(UserManage),
            get(pages::users::edit),
        ),
        r(
            POST,
            "/staff/admin/users/{id}",
            Perm(UserManage),
            post(pages::users::update),
        ),
        r(
            POST,
            "/staff/admin/users/{id}/disable",
            Perm(UserManage),
            post(pages::users::disable),
        ),
        r(
            POST,
            "/staff/admin/users/{id}/enable",
            Perm(UserManage),
            post(pages::users::enable),
        ),
        r(
            POST,
            "/staff/admin/users/{id}/reset-2fa",
            Perm(UserManage),
            post(pages::users::reset_totp),
        ),
        r(
            GET,
            "/staff/admin/audit",
            Perm(AuditRead),
            get(pages::audit::index),
        ),
        // JSON API
        r(GET, "/api/v1/openapi.json", Public, get(api::openapi_json)),
        r(
            POST,
            "/api/v1/auth/token",
            Public,
            post(api::auth::create_token),
        ),
        r(
            DELETE,
            "/api/v1/auth/token",
            Staff,
            delete(api::auth::delete_token),
        ),
        r(GET, "/api/v1/me", Staff, get(api::auth::me)),
        r(
            GET,
            "/api/v1/persons",
            Perm(PersonSearch),
            get(api::persons::list),
        ),
        r(
            POST,
            "/api/v1/persons",
            Perm(PersonRegister),
            post(api::persons::create),
        ),
        r(
            GET,
            "/api/v1/persons/{id}",
            Perm(PersonRead),
            get(api::persons::get),
        ),
        r(
            PUT,
            "/api/v1/persons/{id}",
            Perm(PersonUpdate),
            put(api::persons::update),
        ),
        r(
            GET,
            "/api/v1/organisations",
            Perm(OrgManage),
            get(api::orgs::list),
        ),
        r(
            POST,
            "/api/v1/organisations",
            Perm(OrgManage),
            post(api::orgs::create),
        ),
        r(
            GET,
            "/api/v1/organisations/{id}",
            Perm(OrgManage),
            get(api::orgs::get),
        ),
        r(
            PUT,
            "/api/v1/organisations/{id}",
            Perm(OrgManage),
            put(api::orgs::update),
        ),
        r(
            GET,
            "/api/v1/users",
            Perm(UserManage),
            get(api::users::list),
        ),
        r(
            POST,
            "/api/v1/users",
            Perm(UserManage),
            post(api::users::create),
        ),
        r(
            GET,
            "/api/v1/users/{id}",
            Perm(UserManage),
            get(api::users::get),
        ),
        r(
            PUT,
            "/api/v1/users/{id}",
            Perm(UserManage),
            put(api::users::update),
        ),
        r(
            POST,
            "/api/v1/users/{id}/disable",
            Perm(UserManage),
            post(api::users::disable),
        ),
        r(
            POST,
            "/api/v1/users/{id}/enable",
            Perm(UserManage),
            post(api::users::enable),
        ),
        r(
            POST,
            "/api/v1/users/{id}/reset-2fa",
            Perm(UserManage),
            post(api::users::reset_totp),
        ),
        // Casework API
        r(
            GET,
            "/api/v1/programmes",
            Perm(CaseworkConfigure),
            get(api::programmes::list),
        ),
        r(
            POST,
            "/api/v1/programmes",
            Perm(CaseworkConfigure),
            post(api::programmes::create),
        ),
        r(
            GET,
            "/api/v1/programmes/{id}",
            Perm(CaseworkConfigure),
            get(api::programmes::get),
        ),
        r(
            PUT,
            "/api/v1/programmes/{id}",
            Perm(CaseworkConfigure),
            put(api::programmes::update),
        ),
        r(
            GET,
            "/api/v1/casework/options",
            Perm(CaseRead),
            get(api::programmes::options),
        ),
        r(GET, "/api/v1/cases", Perm(CaseRead), get(api::cases::list)),
        r(
            POST,
            "/api/v1/cases",
            Perm(CaseWrite),
            post(api::cases::create),
        ),
        r(
            GET,
            "/api/v1/cases/team",
            Perm(CaseAssign),
            get(api::cases::team),
        ),
        r(
            GET,
            "/api/v1/cases/{id}",
            Perm(CaseRead),
            get(api::cases::get),
        ),
        r(
            POST,
            "/api/v1/cases/{id}/assign",
            Perm(CaseAssign),
            post(api::cases::assign),
        ),
        r(
            POST,
            "/api/v1/cases/{id}/perspectives",
            Perm(CaseWrite),
            post(api::cases::perspective),
        ),
        r(
            POST,
            "/api/v1/cases/{id}/procedures",
            Perm(CaseWrite),
            post(api::cases::add_procedure),
        ),
        r(
            PUT,
            "/api/v1/cases/{id}/procedures/{pid}",
            Perm(CaseWrite),
            put(api::cases::update_procedure),
        ),
        r(
            POST,
            "/api/v1/cases/{id}/goals",
            Perm(CaseWrite),
            post(api::cases::add_goal),
        ),
        r(
            PUT,
            "/api/v1/cases/{id}/goals/{gid}",
            Perm(CaseWrite),
            put(api::cases::update_goal),
        ),
        r(
            POST,
            "/api/v1/cases/{id}/appointments",
            Perm(CaseWrite),
            post(api::cases::add_appointment),
        ),
        r(
            POST,
            "/api/v1/cases/{id}/appointments/{aid}/done",
            Perm(CaseWrite),
            post(api::cases::complete_appointment),
        ),
        r(
            POST,
            "/api/v1/cases/{id}/notes",
            Perm(CaseWrite),
            post(api::cases::add_note),
        ),
        r(
            POST,
            "/api/v1/cases/{id}/employment",
            Perm(CaseWrite),
            post(api::cases::add_episode),
        ),
        r(
            POST,
            "/api/v1/cases/{id}/close",
            Perm(CaseWrite),
            post(api::cases::close),
        ),
        r(GET, "/api/v1/audit", Perm(AuditRead), get(api::audit::list)),
        r(
            GET,
            "/api/v1/stats/overview",
            Perm(StatsRead),
            get(api::stats::overview),
        ),
        // Shelters
        r(
            GET,
            "/api/v1/shelters/board",
            Perm(ShelterRead),
            get(api::shelters::board),
        ),
        r(
            GET,
            "/api/v1/shelters/sites",
            Perm(CaseworkConfigure),
            get(api::shelters::list_sites),
        ),
        r(
            POST,
            "/api/v1/shelters/sites",
            Perm(CaseworkConfigure),
            post(api::shelters::create_site),
        ),
        r(
            GET,
            "/api/v1/shelters/sites/{id}",
            Perm(ShelterRead),
            get(api::shelters::get_site),
        ),
        r(
            PUT,
            "/api/v1/shelters/sites/{id}",
            Perm(CaseworkConfigure),
            put(api::shelters::update_site),
        ),
        r(
            POST,
            "/api/v1/shelters/placements",
            Perm(ShelterManage),
            post(api::shelters::admit),
        ),
        r(
            POST,
            "/api/v1/shelters/placements/{id}/move",
            Perm(ShelterManage),
            post(api::shelters::move_placement),
        ),
        r(
            POST,
            "/api/v1/shelters/placements/{id}/discharge",
            Perm(ShelterManage),
            post(api::shelters::discharge),
        ),
        r(
            POST,
            "/api/v1/shelters/placements/{id}/extensions",
            Perm(StayExtensionApprove),
            post(api::shelters::extend),
        ),
        r(
            POST,
            "/api/v1/shelters/placements/{id}/extension-requests",
            Perm(ShelterManage),
            post(api::shelters::request_extension),
        ),
        r(
            POST,
            "/api/v1/shelters/extension-requests/{id}/approve",
            Perm(StayExtensionApprove),
            post(api::shelters::approve_extension),
        ),
        r(
            POST,
            "/api/v1/shelters/extension-requests/{id}/refuse",
            Perm(StayExtensionApprove),
            post(api::shelters::refuse_extension),
        ),
        r(
            GET,
            "/api/v1/shelters/cases/{id}/placement",
            Perm(ShelterRead),
            get(api::shelters::case_placement),
        ),
        r(
            GET,
            "/api/v1/shelters/waiting-list",
            Perm(ShelterManage),
            get(api::shelters::waiting_list),
        ),
        r(
            POST,
            "/api/v1/shelters/waiting-list",
            Perm(ShelterManage),
            post(api::shelters::add_waiting),
        ),
        r(
            POST,
            "/api/v1/shelters/waiting-list/{id}/admit",
            Perm(ShelterManage),
            post(api::shelters::admit_waiting),
        ),
        r(
            DELETE,
            "/api/v1/shelters/waiting-list/{id}",
            Perm(ShelterManage),
            delete(api::shelters::remove_waiting),
        ),
    ]
}

/// Method and matched path → access rule, for the middleware.
pub fn access_map() -> AccessMap {
    route_table()
        .into_iter()
        .map(|(spec, _)| ((spec.method, spec.path.to_owned()), spec.access))
        .collect()
}

pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for (spec, handler) in route_table() {
        router = router.route(spec.path, handler);
    }
    router
        .route_layer(from_fn_with_state(state.clone(), auth::authorize))
        .fallback(pages::public::not_found)
        .layer(from_fn(security::same_origin))
        .layer(from_fn_with_state(state.clone(), security::headers))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(1024 * 1024))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::custom(|_| crate::error::fallback_500()))
        .with_state(state)
}
