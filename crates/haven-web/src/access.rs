//! What a route needs before its handler runs: the [`Access`] rule each entry of the route
//! table names, which the authorization middleware (`auth::authorize`) enforces.
//!
//! These types live apart from the table (`routes`) so that the middleware does not depend
//! on the table, and through it on every handler.

use axum::http::Method;
use haven_core::Permission;
use std::collections::HashMap;

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

/// One entry of the route table, without its handler.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

/// Method and matched path → access rule, for the middleware.
pub type AccessMap = HashMap<(Method, String), Access>;
