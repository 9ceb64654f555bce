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

use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use haven_core::Permission::*;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

use crate::access::{Access, AccessMap, RouteSpec};
use crate::{api, auth, pages, security, site, AppState};

/// One entry: the method, the path, the access it needs and its handler.
fn r<H, T>(
    method: Method,
    path: &'static str,
    access: Access,
    handler: H,
) -> (RouteSpec, MethodRouter<AppState>)
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).expect("a method the router knows");
    let spec = RouteSpec {
        method,
        path,
        access,
    };
    (spec, on(filter, handler))
}

/// Every route. Keep grouped by area, pages before API.
#[rustfmt::skip]
pub fn route_table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Access::*;
    const GET: Method = Method::GET;
    const POST: Method = Method::POST;
    const PUT: Method = Method::PUT;
    const DELETE: Method = Method::DELETE;
    vec![
        // Operations
        r(GET,    "/healthz",                                            Public,                     pages::public::healthz),
        r(GET,    "/livez",                                              Public,                     pages::public::livez),
        r(GET,    "/static/haven.css",                                   Public,                     pages::public::stylesheet),
        // Public site: no session, no cookie; the language is in the URL.
        r(GET,    "/static/public.css",                                  Public,                     site::stylesheet),
        r(GET,    "/",                                                   Public,                     site::root),
        r(GET,    "/{lang}/",                                            Public,                     site::home),
        r(GET,    "/{lang}/languages",                                   Public,                     site::languages),
        r(GET,    "/{lang}/questions",                                   Public,                     site::questions),
        r(GET,    "/{lang}/stories",                                     Public,                     site::stories),
        r(GET,    "/{lang}/help",                                        Public,                     site::help::help),
        r(GET,    "/{lang}/topics/{slug}",                               Public,                     site::topic),
        r(GET,    "/{lang}/topics/{slug}/leaflet",                       Public,                     site::leaflet),
        // The safe-reporting hub's public pages: no session, no cookie, nothing about the
        // sender read or stored; the receipt code travels in the form body only.
        r(GET,    "/{lang}/report",                                      Public,                     site::report::form),
        r(POST,   "/{lang}/report",                                      Public,                     site::report::submit),
        r(GET,    "/{lang}/report/safety",                               Public,                     site::report::safety),
        r(GET,    "/{lang}/report/return",                               Public,                     site::report::return_form),
        r(POST,   "/{lang}/report/return",                               Public,                     site::report::open),
        r(POST,   "/{lang}/report/return/message",                       Public,                     site::report::add),
        // Public content, for editors
        r(GET,    "/staff/content",                                      Perm(ContentEdit),          pages::content::index),
        r(GET,    "/staff/content/new",                                  Perm(ContentEdit),          pages::content::new),
        r(POST,   "/staff/content",                                      Perm(ContentEdit),          pages::content::create),
        r(GET,    "/staff/content/{id}/{lang}",                          Perm(ContentEdit),          pages::content::edit),
        r(POST,   "/staff/content/{id}/{lang}",                          Perm(ContentEdit),          pages::content::save),
        r(POST,   "/staff/content/{id}/{lang}/review",                   Perm(ContentReview),        pages::content::review),
        r(POST,   "/staff/content/{id}/{lang}/publish",                  Perm(ContentReview),        pages::content::publish),
        r(POST,   "/staff/content/{id}/{lang}/confirm",                  Perm(ContentReview),        pages::content::confirm),
        r(POST,   "/staff/content/{id}/withdraw",                        Perm(ContentEdit),          pages::content::withdraw),
        // Sign-in
        r(GET,    "/staff/login",                                        Public,                     pages::login::form),
        r(POST,   "/staff/login",                                        Public,                     pages::login::submit),
        r(GET,    "/staff/login/totp",                                   Pending,                    pages::login::totp_form),
        r(POST,   "/staff/login/totp",                                   Pending,                    pages::login::totp_submit),
        r(GET,    "/staff/login/enrol",                                  Pending,                    pages::login::enrol_form),
        r(POST,   "/staff/login/enrol",                                  Pending,                    pages::login::enrol_submit),
        r(POST,   "/staff/logout",                                       Staff,                      pages::login::logout),
        // The outreach app: its static files are public (code only, needed to start
        // offline); the shell and every API call need the permission.
        r(GET,    "/outreach/",                                          Perm(OutreachRecord),       pages::outreach::app),
        r(GET,    "/outreach/app.js",                                    Public,                     pages::outreach::asset),
        r(GET,    "/outreach/store.js",                                  Public,                     pages::outreach::asset),
        r(GET,    "/outreach/sw.js",                                     Public,                     pages::outreach::asset),
        r(GET,    "/outreach/outreach.css",                              Public,                     pages::outreach::asset),
        r(GET,    "/outreach/manifest.webmanifest",                      Public,                     pages::outreach::asset),
        r(GET,    "/outreach/icon.svg",                                  Public,                     pages::outreach::asset),
        r(GET,    "/outreach/team",                                      Perm(OutreachLead),         pages::outreach::team),
        // An outreach contact's referral lines, and a consented referral from one
        r(GET,    "/staff/outreach/contacts/{id}",                       Perm(OutreachRecord),       pages::outreach::contact),
        r(GET,    "/staff/outreach/contacts/{id}/refer",                 Perm(OutreachRecord),       pages::outreach::refer_form),
        r(POST,   "/staff/outreach/contacts/{id}/refer",                 Perm(OutreachRecord),       pages::outreach::refer_create),
        // Staff pages
        r(GET,    "/staff/",                                             Staff,                      pages::home::home),
        r(GET,    "/staff/account",                                      Staff,                      pages::account::show),
        r(POST,   "/staff/account/language",                             Staff,                      pages::account::language),
        r(POST,   "/staff/account/email",                                Staff,                      pages::account::email),
        r(GET,    "/staff/persons",                                      Perm(PersonSearch),         pages::persons::index),
        r(GET,    "/staff/persons/new",                                  Perm(PersonRegister),       pages::persons::new),
        r(POST,   "/staff/persons",                                      Perm(PersonRegister),       pages::persons::create),
        r(GET,    "/staff/persons/{id}",                                 Perm(PersonRead),           pages::persons::show),
        r(GET,    "/staff/persons/{id}/edit",                            Perm(PersonUpdate),         pages::persons::edit),
        r(POST,   "/staff/persons/{id}",                                 Perm(PersonUpdate),         pages::persons::update),
        r(POST,   "/staff/persons/{id}/erase",                           Perm(PersonErase),          pages::persons::erase),
        r(GET,    "/staff/stats",                                        Perm(StatsRead),            pages::stats::overview),
        r(GET,    "/staff/stats/indicators",                             Staff,                      pages::stats::indicators),
        // Referrals, notifications and the network view
        r(GET,    "/staff/persons/{id}/consents/new",                    Perm(ReferralSend),         pages::referrals::consent_new),
        r(POST,   "/staff/persons/{id}/consents",                        Perm(ReferralSend),         pages::referrals::consent_create),
        r(GET,    "/staff/consents/{id}/refer",                          Perm(ReferralSend),         pages::referrals::refer_new),
        r(POST,   "/staff/consents/{id}/refer",                          Perm(ReferralSend),         pages::referrals::refer_create),
        r(POST,   "/staff/consents/{id}/withdraw",                       Perm(ReferralSend),         pages::referrals::consent_withdraw),
        r(GET,    "/staff/referrals",                                    Perm(ReferralSend),         pages::referrals::sent_index),
        r(GET,    "/staff/referrals/received",                           Perm(ReferralReceive),      pages::referrals::received_index),
        r(GET,    "/staff/referrals/{id}",                               Perm(ReferralSend),         pages::referrals::sent_show),
        r(POST,   "/staff/referrals/{id}/withdraw",                      Perm(ReferralSend),         pages::referrals::withdraw),
        r(GET,    "/staff/referrals/received/{id}",                      Perm(ReferralReceive),      pages::referrals::received_show),
        r(GET,    "/staff/referrals/received/{id}/decline",              Perm(ReferralReceive),      pages::referrals::decline_form),
        r(GET,    "/staff/referrals/received/{id}/result",               Perm(ReferralReceive),      pages::referrals::result_form),
        r(POST,   "/staff/referrals/received/{id}/accept",               Perm(ReferralReceive),      pages::referrals::accept),
        r(POST,   "/staff/referrals/received/{id}/decline",              Perm(ReferralReceive),      pages::referrals::decline),
        r(POST,   "/staff/referrals/received/{id}/result",               Perm(ReferralReceive),      pages::referrals::result),
        r(GET,    "/staff/notifications",                                Perm(NotificationRead),     pages::referrals::notifications),
        r(POST,   "/staff/notifications/read",                           Perm(NotificationRead),     pages::referrals::notifications_read),
        r(GET,    "/staff/network",                                      Perm(NetworkRead),          pages::referrals::network),
        // The safe-reporting hub, for its hub officers
        r(GET,    "/staff/hub/reports",                                  Perm(HubReportRead),        pages::hub::index),
        r(GET,    "/staff/hub/reports/new",                              Perm(HubReportWrite),       pages::hub::new),
        r(POST,   "/staff/hub/reports",                                  Perm(HubReportWrite),       pages::hub::create),
        r(GET,    "/staff/hub/reports/{id}",                             Perm(HubReportRead),        pages::hub::show),
        r(POST,   "/staff/hub/reports/{id}/answer",                      Perm(HubReportWrite),       pages::hub::answer),
        r(POST,   "/staff/hub/reports/{id}/close",                       Perm(HubReportWrite),       pages::hub::close),
        // Shelters
        r(GET,    "/staff/shelters",                                     Perm(ShelterRead),          pages::shelters::board),
        r(GET,    "/staff/shelters/{id}",                                Perm(ShelterRead),          pages::shelters::site),
        r(POST,   "/staff/shelters/{id}/admit",                          Perm(ShelterManage),        pages::shelters::admit),
        r(POST,   "/staff/shelters/{id}/move",                           Perm(ShelterManage),        pages::shelters::move_to),
        r(POST,   "/staff/placements/{id}/discharge",                    Perm(ShelterManage),        pages::shelters::discharge),
        r(POST,   "/staff/shelters/places/{id}/free",                    Perm(ShelterManage),        pages::shelters::free_place),
        r(POST,   "/staff/placements/{id}/extend",                       Perm(StayExtensionApprove), pages::shelters::extend),
        r(POST,   "/staff/placements/{id}/extension-request",            Perm(ShelterManage),        pages::shelters::request_extension),
        r(POST,   "/staff/extension-requests/{id}/approve",              Perm(StayExtensionApprove), pages::shelters::approve_extension),
        r(POST,   "/staff/extension-requests/{id}/refuse",               Perm(StayExtensionApprove), pages::shelters::refuse_extension),
        r(POST,   "/staff/waiting-list",                                 Perm(ShelterManage),        pages::shelters::waiting_add),
        r(POST,   "/staff/waiting-list/{id}/admit",                      Perm(ShelterManage),        pages::shelters::waiting_admit),
        r(POST,   "/staff/waiting-list/{id}/remove",                     Perm(ShelterManage),        pages::shelters::waiting_remove),
        r(GET,    "/staff/admin/shelter-sites",                          Perm(CaseworkConfigure),    pages::shelters::config_index),
        r(GET,    "/staff/admin/shelter-sites/new",                      Perm(CaseworkConfigure),    pages::shelters::config_new),
        r(POST,   "/staff/admin/shelter-sites",                          Perm(CaseworkConfigure),    pages::shelters::config_create),
        r(GET,    "/staff/admin/shelter-sites/{id}",                     Perm(CaseworkConfigure),    pages::shelters::config_edit),
        r(POST,   "/staff/admin/shelter-sites/{id}",                     Perm(CaseworkConfigure),    pages::shelters::config_update),
        // Casework
        r(GET,    "/staff/cases",                                        Perm(CaseRead),             pages::cases::caseload),
        r(GET,    "/staff/cases/new",                                    Perm(CaseWrite),            pages::cases::new),
        r(POST,   "/staff/cases",                                        Perm(CaseWrite),            pages::cases::create),
        r(GET,    "/staff/cases/team",                                   Perm(CaseAssign),           pages::cases::team),
        r(GET,    "/staff/cases/{id}",                                   Perm(CaseRead),             pages::cases::show),
        r(GET,    "/staff/cases/{id}/assign",                            Perm(CaseAssign),           pages::cases::assign_form),
        r(POST,   "/staff/cases/{id}/assign",                            Perm(CaseAssign),           pages::cases::assign),
        r(GET,    "/staff/cases/{id}/perspective",                       Perm(CaseWrite),            pages::cases::perspective_form),
        r(POST,   "/staff/cases/{id}/perspective",                       Perm(CaseWrite),            pages::cases::perspective),
        r(GET,    "/staff/cases/{id}/procedures/new",                    Perm(CaseWrite),            pages::cases::procedure_new),
        r(POST,   "/staff/cases/{id}/procedures",                        Perm(CaseWrite),            pages::cases::procedure_create),
        r(GET,    "/staff/cases/{id}/procedures/{pid}",                  Perm(CaseWrite),            pages::cases::procedure_edit),
        r(POST,   "/staff/cases/{id}/procedures/{pid}",                  Perm(CaseWrite),            pages::cases::procedure_update),
        r(GET,    "/staff/cases/{id}/goals/new",                         Perm(CaseWrite),            pages::cases::goal_new),
        r(POST,   "/staff/cases/{id}/goals",                             Perm(CaseWrite),            pages::cases::goal_create),
        r(GET,    "/staff/cases/{id}/goals/{gid}",                       Perm(CaseWrite),            pages::cases::goal_edit),
        r(POST,   "/staff/cases/{id}/goals/{gid}",                       Perm(CaseWrite),            pages::cases::goal_update),
        r(GET,    "/staff/cases/{id}/appointments/new",                  Perm(CaseWrite),            pages::cases::appointment_new),
        r(POST,   "/staff/cases/{id}/appointments",                      Perm(CaseWrite),            pages::cases::appointment_create),
        r(POST,   "/staff/cases/{id}/appointments/{aid}/done",           Perm(CaseWrite),            pages::cases::appointment_done),
        r(GET,    "/staff/cases/{id}/notes/new",                         Perm(CaseWrite),            pages::cases::note_new),
        r(POST,   "/staff/cases/{id}/notes",                             Perm(CaseWrite),            pages::cases::note_create),
        r(GET,    "/staff/cases/{id}/employment/new",                    Perm(CaseWrite),            pages::cases::episode_new),
        r(POST,   "/staff/cases/{id}/employment",                        Perm(CaseWrite),            pages::cases::episode_create),
        r(GET,    "/staff/cases/{id}/close",                             Perm(CaseWrite),            pages::cases::close_form),
        r(POST,   "/staff/cases/{id}/close",                             Perm(CaseWrite),            pages::cases::close),
        r(GET,    "/staff/admin/programmes",                             Perm(CaseworkConfigure),    pages::programmes::index),
        r(GET,    "/staff/admin/programmes/new",                         Perm(CaseworkConfigure),    pages::programmes::new),
        r(POST,   "/staff/admin/programmes",                             Perm(CaseworkConfigure),    pages::programmes::create),
        r(GET,    "/staff/admin/programmes/{id}",                        Perm(CaseworkConfigure),    pages::programmes::edit),
        r(POST,   "/staff/admin/programmes/{id}",                        Perm(CaseworkConfigure),    pages::programmes::update),
        r(GET,    "/staff/admin/referral-types",                         Perm(CaseworkConfigure),    pages::referral_types::index),
        r(GET,    "/staff/admin/referral-types/{code}",                  Perm(CaseworkConfigure),    pages::referral_types::edit),
        r(POST,   "/staff/admin/referral-types/{code}",                  Perm(CaseworkConfigure),    pages::referral_types::update),
        // Administration
        r(GET,    "/staff/admin/organisations",                          Perm(OrgManage),            pages::orgs::index),
        r(GET,    "/staff/admin/organisations/new",                      Perm(OrgManage),            pages::orgs::new),
        r(POST,   "/staff/admin/organisations",                          Perm(OrgManage),            pages::orgs::create),
        r(GET,    "/staff/admin/organisations/{id}",                     Perm(OrgManage),            pages::orgs::edit),
        r(POST,   "/staff/admin/organisations/{id}",                     Perm(OrgManage),            pages::orgs::update),
        r(GET,    "/staff/admin/users",                                  Perm(UserManage),           pages::users::index),
        r(GET,    "/staff/admin/users/new",                              Perm(UserManage),           pages::users::new),
        r(POST,   "/staff/admin/users",                                  Perm(UserManage),           pages::users::create),
        r(GET,    "/staff/admin/users/{id}",                             Perm(UserManage),           pages::users::edit),
        r(POST,   "/staff/admin/users/{id}",                             Perm(UserManage),           pages::users::update),
        r(POST,   "/staff/admin/users/{id}/disable",                     Perm(UserManage),           pages::users::disable),
        r(POST,   "/staff/admin/users/{id}/enable",                      Perm(UserManage),           pages::users::enable),
        r(POST,   "/staff/admin/users/{id}/reset-2fa",                   Perm(UserManage),           pages::users::reset_totp),
        r(GET,    "/staff/admin/audit",                                  Perm(AuditRead),            pages::audit::index),
        // Public HSDS directory API (read-only, published entries only)
        r(GET,    "/api/hsds/",                                          Public,                     api::hsds::root),
        r(GET,    "/api/hsds/profile",                                   Public,                     api::hsds::profile),
        r(GET,    "/api/hsds/openapi.json",                              Public,                     api::hsds::openapi),
        r(GET,    "/api/hsds/services",                                  Public,                     api::hsds::services),
        r(GET,    "/api/hsds/services/{id}",                             Public,                     api::hsds::service),
        r(GET,    "/api/hsds/organizations",                             Public,                     api::hsds::organizations),
        r(GET,    "/api/hsds/organizations/{id}",                        Public,                     api::hsds::organization),
        r(GET,    "/api/hsds/service_at_locations",                      Public,                     api::hsds::service_at_locations),
        r(GET,    "/api/hsds/service_at_locations/{id}",                 Public,                     api::hsds::service_at_location),
        r(GET,    "/api/hsds/taxonomies",                                Public,                     api::hsds::taxonomies),
        r(GET,    "/api/hsds/taxonomies/{id}",                           Public,                     api::hsds::taxonomy),
        r(GET,    "/api/hsds/taxonomy_terms",                            Public,                     api::hsds::taxonomy_terms),
        r(GET,    "/api/hsds/taxonomy_terms/{id}",                       Public,                     api::hsds::taxonomy_term),
        // Services directory: editing and review (issue 5)
        r(GET,    "/staff/directory",                                    Perm(DirectoryEdit),        pages::directory::index),
        r(GET,    "/staff/directory/review",                             Perm(DirectoryPublish),     pages::directory::queue),
        r(GET,    "/staff/directory/review/{kind}/{id}",                 Perm(DirectoryPublish),     pages::directory::show_review),
        r(POST,   "/staff/directory/review/{kind}/{id}/approve",         Perm(DirectoryPublish),     pages::directory::approve),
        r(POST,   "/staff/directory/review/{kind}/{id}/reject",          Perm(DirectoryPublish),     pages::directory::reject),
        r(GET,    "/staff/directory/{kind}/new",                         Perm(DirectoryEdit),        pages::directory::new),
        r(POST,   "/staff/directory/{kind}",                             Perm(DirectoryEdit),        pages::directory::create),
        r(GET,    "/staff/directory/{kind}/{id}",                        Perm(DirectoryEdit),        pages::directory::edit),
        r(POST,   "/staff/directory/{kind}/{id}",                        Perm(DirectoryEdit),        pages::directory::update),
        r(POST,   "/staff/directory/{kind}/{id}/checked",                Perm(DirectoryEdit),        pages::directory::checked),
        // JSON API
        r(GET,    "/api/v1/openapi.json",                                Public,                     api::openapi_json),
        r(POST,   "/api/v1/auth/token",                                  Public,                     api::auth::create_token),
        r(DELETE, "/api/v1/auth/token",                                  Staff,                      api::auth::delete_token),
        r(GET,    "/api/v1/me",                                          Staff,                      api::auth::me),
        r(POST,   "/api/v1/directory/import",                            Perm(DirectoryPublish),     api::hsds::import_json),
        r(GET,    "/api/v1/persons",                                     Perm(PersonSearch),         api::persons::list),
        r(POST,   "/api/v1/persons",                                     Perm(PersonRegister),       api::persons::create),
        r(GET,    "/api/v1/persons/{id}",                                Perm(PersonRead),           api::persons::get),
        r(PUT,    "/api/v1/persons/{id}",                                Perm(PersonUpdate),         api::persons::update),
        r(DELETE, "/api/v1/persons/{id}",                                Perm(PersonErase),          api::persons::erase),
        r(GET,    "/api/v1/organisations",                               Perm(OrgManage),            api::orgs::list),
        r(POST,   "/api/v1/organisations",                               Perm(OrgManage),            api::orgs::create),
        r(GET,    "/api/v1/organisations/{id}",                          Perm(OrgManage),            api::orgs::get),
        r(PUT,    "/api/v1/organisations/{id}",                          Perm(OrgManage),            api::orgs::update),
        r(GET,    "/api/v1/organisations/{id}/retention",                Perm(OrgManage),            api::orgs::retention),
        r(GET,    "/api/v1/users",                                       Perm(UserManage),           api::users::list),
        r(POST,   "/api/v1/users",                                       Perm(UserManage),           api::users::create),
        r(GET,    "/api/v1/role-notices",                                Perm(UserManage),           api::users::role_notices),
        r(GET,    "/api/v1/users/{id}",                                  Perm(UserManage),           api::users::get),
        r(PUT,    "/api/v1/users/{id}",                                  Perm(UserManage),           api::users::update),
        r(POST,   "/api/v1/users/{id}/disable",                          Perm(UserManage),           api::users::disable),
        r(POST,   "/api/v1/users/{id}/enable",                           Perm(UserManage),           api::users::enable),
        r(POST,   "/api/v1/users/{id}/reset-2fa",                        Perm(UserManage),           api::users::reset_totp),
        // Casework API
        r(GET,    "/api/v1/programmes",                                  Perm(CaseworkConfigure),    api::programmes::list),
        r(POST,   "/api/v1/programmes",                                  Perm(CaseworkConfigure),    api::programmes::create),
        r(GET,    "/api/v1/programmes/{id}",                             Perm(CaseworkConfigure),    api::programmes::get),
        r(PUT,    "/api/v1/programmes/{id}",                             Perm(CaseworkConfigure),    api::programmes::update),
        r(GET,    "/api/v1/config/referral-types",                       Perm(CaseworkConfigure),    api::referral_types::list),
        r(GET,    "/api/v1/config/referral-types/{code}",                Perm(CaseworkConfigure),    api::referral_types::get),
        r(PUT,    "/api/v1/config/referral-types/{code}",                Perm(CaseworkConfigure),    api::referral_types::update),
        r(GET,    "/api/v1/casework/options",                            Perm(CaseRead),             api::programmes::options),
        r(GET,    "/api/v1/cases",                                       Perm(CaseRead),             api::cases::list),
        r(POST,   "/api/v1/cases",                                       Perm(CaseWrite),            api::cases::create),
        r(GET,    "/api/v1/cases/team",                                  Perm(CaseAssign),           api::cases::team),
        r(GET,    "/api/v1/cases/{id}",                                  Perm(CaseRead),             api::cases::get),
        r(POST,   "/api/v1/cases/{id}/assign",                           Perm(CaseAssign),           api::cases::assign),
        r(POST,   "/api/v1/cases/{id}/perspectives",                     Perm(CaseWrite),            api::cases::perspective),
        r(POST,   "/api/v1/cases/{id}/procedures",                       Perm(CaseWrite),            api::cases::add_procedure),
        r(PUT,    "/api/v1/cases/{id}/procedures/{pid}",                 Perm(CaseWrite),            api::cases::update_procedure),
        r(POST,   "/api/v1/cases/{id}/goals",                            Perm(CaseWrite),            api::cases::add_goal),
        r(PUT,    "/api/v1/cases/{id}/goals/{gid}",                      Perm(CaseWrite),            api::cases::update_goal),
        r(POST,   "/api/v1/cases/{id}/appointments",                     Perm(CaseWrite),            api::cases::add_appointment),
        r(POST,   "/api/v1/cases/{id}/appointments/{aid}/done",          Perm(CaseWrite),            api::cases::complete_appointment),
        r(POST,   "/api/v1/cases/{id}/notes",                            Perm(CaseWrite),            api::cases::add_note),
        r(POST,   "/api/v1/cases/{id}/employment",                       Perm(CaseWrite),            api::cases::add_episode),
        r(POST,   "/api/v1/cases/{id}/close",                            Perm(CaseWrite),            api::cases::close),
        r(GET,    "/api/v1/audit",                                       Perm(AuditRead),            api::audit::list),
        r(GET,    "/api/v1/stats/overview",                              Perm(StatsRead),            api::stats::overview),
        r(GET,    "/api/v1/stats/indicators",                            Staff,                      api::stats::indicators),
        // Referrals, notifications and the network view
        r(GET,    "/api/v1/referral-types",                              Perm(ReferralSend),         api::referrals::types),
        r(GET,    "/api/v1/referral-services",                           Perm(ReferralSend),         api::referrals::services),
        r(GET,    "/api/v1/persons/{id}/consent-options",                Perm(ReferralSend),         api::referrals::consent_options),
        r(GET,    "/api/v1/persons/{id}/referrals",                      Perm(ReferralSend),         api::referrals::of_person),
        r(POST,   "/api/v1/persons/{id}/consents",                       Perm(ReferralSend),         api::referrals::record_consent),
        r(POST,   "/api/v1/consents/{id}/withdraw",                      Perm(ReferralSend),         api::referrals::withdraw_consent),
        r(GET,    "/api/v1/referrals",                                   Perm(ReferralSend),         api::referrals::sent),
        r(POST,   "/api/v1/referrals",                                   Perm(ReferralSend),         api::referrals::create),
        r(GET,    "/api/v1/referrals/received",                          Perm(ReferralReceive),      api::referrals::received),
        r(GET,    "/api/v1/referrals/{id}",                              Perm(ReferralSend),         api::referrals::get_sent),
        r(POST,   "/api/v1/referrals/{id}/withdraw",                     Perm(ReferralSend),         api::referrals::withdraw),
        r(GET,    "/api/v1/referrals/received/{id}",                     Perm(ReferralReceive),      api::referrals::get_received),
        r(GET,    "/api/v1/referrals/received/{id}/person",              Perm(ReferralReceive),      api::referrals::person),
        r(POST,   "/api/v1/referrals/received/{id}/accept",              Perm(ReferralReceive),      api::referrals::accept),
        r(POST,   "/api/v1/referrals/received/{id}/decline",             Perm(ReferralReceive),      api::referrals::decline),
        r(POST,   "/api/v1/referrals/received/{id}/result",              Perm(ReferralReceive),      api::referrals::result),
        r(GET,    "/api/v1/notifications",                               Perm(NotificationRead),     api::referrals::notifications),
        r(POST,   "/api/v1/notifications/read",                          Perm(NotificationRead),     api::referrals::mark_read),
        r(GET,    "/api/v1/network",                                     Perm(NetworkRead),          api::referrals::network),
        // Public content
        r(GET,    "/api/v1/content",                                     Perm(ContentEdit),          api::content::list),
        r(POST,   "/api/v1/content",                                     Perm(ContentEdit),          api::content::create),
        r(GET,    "/api/v1/content/{id}",                                Perm(ContentEdit),          api::content::get),
        r(PUT,    "/api/v1/content/{id}/{lang}",                         Perm(ContentEdit),          api::content::save),
        r(POST,   "/api/v1/content/{id}/{lang}/review",                  Perm(ContentReview),        api::content::review),
        r(POST,   "/api/v1/content/{id}/{lang}/publish",                 Perm(ContentReview),        api::content::publish),
        r(POST,   "/api/v1/content/{id}/{lang}/confirm",                 Perm(ContentReview),        api::content::confirm),
        r(POST,   "/api/v1/content/{id}/withdraw",                       Perm(ContentEdit),          api::content::withdraw),
        // Shelters
        r(GET,    "/api/v1/shelters/board",                              Perm(ShelterRead),          api::shelters::board),
        r(GET,    "/api/v1/shelters/sites",                              Perm(CaseworkConfigure),    api::shelters::list_sites),
        r(POST,   "/api/v1/shelters/sites",                              Perm(CaseworkConfigure),    api::shelters::create_site),
        r(GET,    "/api/v1/shelters/sites/{id}",                         Perm(ShelterRead),          api::shelters::get_site),
        r(PUT,    "/api/v1/shelters/sites/{id}",                         Perm(CaseworkConfigure),    api::shelters::update_site),
        r(POST,   "/api/v1/shelters/placements",                         Perm(ShelterManage),        api::shelters::admit),
        r(POST,   "/api/v1/shelters/placements/{id}/move",               Perm(ShelterManage),        api::shelters::move_placement),
        r(POST,   "/api/v1/shelters/placements/{id}/discharge",          Perm(ShelterManage),        api::shelters::discharge),
        r(POST,   "/api/v1/shelters/places/{id}/free",                   Perm(ShelterManage),        api::shelters::free_place),
        r(POST,   "/api/v1/shelters/placements/{id}/extensions",         Perm(StayExtensionApprove), api::shelters::extend),
        r(POST,   "/api/v1/shelters/placements/{id}/extension-requests", Perm(ShelterManage),        api::shelters::request_extension),
        r(POST,   "/api/v1/shelters/extension-requests/{id}/approve",    Perm(StayExtensionApprove), api::shelters::approve_extension),
        r(POST,   "/api/v1/shelters/extension-requests/{id}/refuse",     Perm(StayExtensionApprove), api::shelters::refuse_extension),
        r(GET,    "/api/v1/shelters/cases/{id}/placement",               Perm(ShelterRead),          api::shelters::case_placement),
        r(GET,    "/api/v1/shelters/waiting-list",                       Perm(ShelterManage),        api::shelters::waiting_list),
        r(POST,   "/api/v1/shelters/waiting-list",                       Perm(ShelterManage),        api::shelters::add_waiting),
        r(POST,   "/api/v1/shelters/waiting-list/{id}/admit",            Perm(ShelterManage),        api::shelters::admit_waiting),
        r(DELETE, "/api/v1/shelters/waiting-list/{id}",                  Perm(ShelterManage),        api::shelters::remove_waiting),
        // Outreach: the offline app's sync endpoint and what it reads
        r(GET,    "/api/v1/outreach/session",                            Perm(OutreachRecord),       api::outreach::session),
        r(GET,    "/api/v1/outreach/config",                             Perm(OutreachRecord),       api::outreach::config),
        r(POST,   "/api/v1/outreach/sync",                               Perm(OutreachRecord),       api::outreach::sync),
        r(GET,    "/api/v1/outreach/contacts/{id}",                      Perm(OutreachRecord),       api::outreach::get),
        r(PUT,    "/api/v1/outreach/contacts/{id}",                      Perm(OutreachRecord),       api::outreach::put),
        r(GET,    "/api/v1/outreach/thread",                             Perm(OutreachRecord),       api::outreach::thread),
        r(POST,   "/api/v1/outreach/register",                           Perm(OutreachRecord),       api::outreach::register),
        r(GET,    "/api/v1/outreach/team",                               Perm(OutreachLead),         api::outreach::team),
        r(PUT,    "/api/v1/outreach/areas",                              Perm(OutreachLead),         api::outreach::set_areas),
        r(GET,    "/api/v1/outreach/cards",                              Perm(OutreachRecord),       api::outreach::cards),
        r(GET,    "/api/v1/outreach/contacts/{id}/referrals",            Perm(OutreachRecord),       api::outreach::referral_lines),
        r(POST,   "/api/v1/outreach/contacts/{id}/referrals",            Perm(OutreachRecord),       api::outreach::refer_line),
        // The safe-reporting hub
        r(GET,    "/api/v1/hub/reports",                                 Perm(HubReportRead),        api::hub::list),
        r(POST,   "/api/v1/hub/reports",                                 Perm(HubReportWrite),       api::hub::record),
        r(GET,    "/api/v1/hub/reports/{id}",                            Perm(HubReportRead),        api::hub::get),
        r(POST,   "/api/v1/hub/reports/{id}/messages",                   Perm(HubReportWrite),       api::hub::answer),
        r(POST,   "/api/v1/hub/reports/{id}/close",                      Perm(HubReportWrite),       api::hub::close),
        r(GET,    "/api/v1/hub/categories",                              Perm(HubReportRead),        api::hub::categories),
        // Services directory: editing and review (issue 5)
        r(GET,    "/api/v1/directory/entries",                           Perm(DirectoryEdit),        api::directory::list),
        r(GET,    "/api/v1/directory/review",                            Perm(DirectoryPublish),     api::directory::queue),
        r(POST,   "/api/v1/directory/review/{kind}/{id}/approve",        Perm(DirectoryPublish),     api::directory::approve),
        r(POST,   "/api/v1/directory/review/{kind}/{id}/reject",         Perm(DirectoryPublish),     api::directory::reject),
        r(POST,   "/api/v1/directory/{kind}",                            Perm(DirectoryEdit),        api::directory::create),
        r(GET,    "/api/v1/directory/{kind}/{id}",                       Perm(DirectoryEdit),        api::directory::get),
        r(PUT,    "/api/v1/directory/{kind}/{id}",                       Perm(DirectoryEdit),        api::directory::update),
        r(POST,   "/api/v1/directory/{kind}/{id}/checked",               Perm(DirectoryEdit),        api::directory::checked),
        // The safe-reporting hub's work (issue 15): casework, hand-over, figures; the
        // police liaison's reads of what was handed over to its own unit
        r(GET,    "/staff/hub/reports/{id}/casework",                    Perm(HubReportRead),        pages::hub_work::casework),
        r(GET,    "/staff/hub/reports/{id}/triage",                      Perm(HubReportWrite),       pages::hub_work::triage_form),
        r(POST,   "/staff/hub/reports/{id}/triage",                      Perm(HubReportWrite),       pages::hub_work::triage_save),
        r(GET,    "/staff/hub/reports/{id}/counselling",                 Perm(HubReportWrite),       pages::hub_work::counselling_form),
        r(POST,   "/staff/hub/reports/{id}/counselling",                 Perm(HubReportWrite),       pages::hub_work::counselling_save),
        r(GET,    "/staff/hub/reports/{id}/measures",                    Perm(HubReportWrite),       pages::hub_work::measure_form),
        r(POST,   "/staff/hub/reports/{id}/measures",                    Perm(HubReportWrite),       pages::hub_work::measure_save),
        r(GET,    "/staff/hub/reports/{id}/accompaniments",              Perm(HubReportWrite),       pages::hub_work::accompaniment_form),
        r(POST,   "/staff/hub/reports/{id}/accompaniments",              Perm(HubReportWrite),       pages::hub_work::accompaniment_save),
        r(GET,    "/staff/hub/reports/{id}/perpetrators",                Perm(HubReportWrite),       pages::hub_work::perpetrator_form),
        r(POST,   "/staff/hub/reports/{id}/perpetrators",                Perm(HubReportWrite),       pages::hub_work::perpetrator_save),
        r(GET,    "/staff/hub/reports/{id}/handover-consent",            Perm(HubReportWrite),       pages::hub_work::consent_form),
        r(POST,   "/staff/hub/reports/{id}/handover-consent",            Perm(HubReportWrite),       pages::hub_work::consent_save),
        r(GET,    "/staff/hub/reports/{id}/handover",                    Perm(HubReportWrite),       pages::hub_work::handover_form),
        r(POST,   "/staff/hub/reports/{id}/handover",                    Perm(HubReportWrite),       pages::hub_work::handover_save),
        r(POST,   "/staff/hub/measures/{id}",                            Perm(HubReportWrite),       pages::hub_work::measure_state),
        r(GET,    "/staff/hub/figures",                                  Perm(HubReportRead),        pages::hub_work::figures),
        r(GET,    "/staff/police/handovers",                             Perm(HandoverRead),         pages::hub_police::police_list),
        r(GET,    "/staff/police/handovers/{id}",                        Perm(HandoverRead),         pages::hub_police::police_show),
        r(GET,    "/api/v1/hub/reports/{id}/casework",                   Perm(HubReportRead),        api::hub_work::casework),
        r(PUT,    "/api/v1/hub/reports/{id}/triage",                     Perm(HubReportWrite),       api::hub_work::triage),
        r(POST,   "/api/v1/hub/reports/{id}/counselling",                Perm(HubReportWrite),       api::hub_work::counselling),
        r(POST,   "/api/v1/hub/reports/{id}/measures",                   Perm(HubReportWrite),       api::hub_work::measure),
        r(PUT,    "/api/v1/hub/measures/{id}",                           Perm(HubReportWrite),       api::hub_work::update_measure),
        r(POST,   "/api/v1/hub/reports/{id}/accompaniments",             Perm(HubReportWrite),       api::hub_work::accompaniment),
        r(POST,   "/api/v1/hub/reports/{id}/perpetrators",               Perm(HubReportWrite),       api::hub_work::perpetrator),
        r(POST,   "/api/v1/hub/reports/{id}/handover-consents",          Perm(HubReportWrite),       api::hub_work::consent),
        r(POST,   "/api/v1/hub/reports/{id}/handovers",                  Perm(HubReportWrite),       api::hub_work::handover),
        r(GET,    "/api/v1/hub/figures",                                 Perm(HubReportRead),        api::hub_work::figures),
        r(GET,    "/api/v1/police/handovers",                            Perm(HandoverRead),         api::hub_work::police_list),
        r(GET,    "/api/v1/police/handovers/{id}",                       Perm(HandoverRead),         api::hub_work::police_get),
        // The hub's report categories, for the hub's administrator (issue 15)
        r(GET,    "/staff/hub/categories",                               Perm(HubConfigure),         pages::hub_categories::index),
        r(GET,    "/staff/hub/categories/new",                           Perm(HubConfigure),         pages::hub_categories::new),
        r(POST,   "/staff/hub/categories",                               Perm(HubConfigure),         pages::hub_categories::create),
        r(GET,    "/staff/hub/categories/{code}",                        Perm(HubConfigure),         pages::hub_categories::edit),
        r(POST,   "/staff/hub/categories/{code}",                        Perm(HubConfigure),         pages::hub_categories::update),
        r(POST,   "/staff/hub/categories/{code}/retire",                 Perm(HubConfigure),         pages::hub_categories::retire),
        r(GET,    "/api/v1/hub/admin/categories",                        Perm(HubConfigure),         api::hub_categories::list),
        r(POST,   "/api/v1/hub/admin/categories",                        Perm(HubConfigure),         api::hub_categories::create),
        r(GET,    "/api/v1/hub/admin/categories/{code}",                 Perm(HubConfigure),         api::hub_categories::get),
        r(PUT,    "/api/v1/hub/admin/categories/{code}",                 Perm(HubConfigure),         api::hub_categories::update),
        r(POST,   "/api/v1/hub/admin/categories/{code}/retire",          Perm(HubConfigure),         api::hub_categories::retire),
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
        .layer(CatchPanicLayer::custom(|_| crate::views::fallback_500()))
        .with_state(state)
}
