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
        r(GET, "/api/v1/audit", Perm(AuditRead), get(api::audit::list)),
        r(
            GET,
            "/api/v1/stats/overview",
            Perm(StatsRead),
            get(api::stats::overview),
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
