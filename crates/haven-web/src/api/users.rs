//! Staff accounts through the API: the same use cases as the administration pages. No
//! answer ever carries a password hash or a second-factor secret.

use haven_core::ids::UserId;
use haven_core::users::{self, NewUser, User, UserUpdate};

use crate::api::handler::resource_api;
use crate::api::{Answer, ApiJson, Forbidden, Invalid, NotFound, StaffApi, Unauthorized};
use crate::error::ApiErrorBody;
use crate::extract::Id;

resource_api! {
    tag: "users", path: "/api/v1/users", item: "/api/v1/users/{id}", id: UserId, body: User;
    /// All staff accounts, by organisation and username.
    list(a) => users::list(&a.ctx, &a.s.actor);
    /// Create a staff account with an initial password. The user sets up their second factor
    /// at first sign-in.
    create(a, input: NewUser) => users::create(&a.ctx, &a.s.actor, &input, None);
    /// Read a staff account.
    get(a, id) => users::get(&a.ctx, &a.s.actor, id);
    /// Change a staff account's display name, organisation and roles. The account's sessions
    /// end at once, so the change takes effect immediately.
    update(a, id, input: UserUpdate) => users::update(&a.ctx, &a.s.actor, id, &input);
}

/// Disable a staff account; its sessions end at once. You cannot disable your own.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "users",
    params(("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = User),
        Unauthorized, Forbidden, NotFound,
        (status = 409, description = "Your own account", body = ApiErrorBody),
    ))]
pub async fn disable(a: StaffApi, Id(id): Id<UserId>) -> Answer<User> {
    a.json(users::set_disabled(&a.ctx, &a.s.actor, id, true).await)
}

/// Enable a disabled staff account again.
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", tag = "users",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = User), Unauthorized, Forbidden, NotFound))]
pub async fn enable(a: StaffApi, Id(id): Id<UserId>) -> Answer<User> {
    a.json(users::set_disabled(&a.ctx, &a.s.actor, id, false).await)
}

/// Remove a staff account's second factor; they set up a new one at their next sign-in.
/// Its sessions end at once.
#[utoipa::path(post, path = "/api/v1/users/{id}/reset-2fa", tag = "users",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = User), Unauthorized, Forbidden, NotFound))]
pub async fn reset_totp(a: StaffApi, Id(id): Id<UserId>) -> Answer<User> {
    a.json(users::reset_totp(&a.ctx, &a.s.actor, id).await)
}

/// Roles that read persons, given recently by someone else to accounts of your organisation
/// (or moved into it): newest first, at most 100. Shown to every other administrator of the
/// organisation, so that no one gains access to persons unseen.
#[utoipa::path(get, path = "/api/v1/role-notices", tag = "users",
    responses((status = 200, body = Vec<users::RoleNotice>), Unauthorized, Forbidden))]
pub async fn role_notices(a: StaffApi) -> Answer<Vec<users::RoleNotice>> {
    a.json(users::role_notices(&a.ctx, &a.s.actor, 100).await)
}
