//! HTML pages. Each handler extracts, calls one core function and renders a view struct.
//!
//! A staff page handler opens with `crate::extract::StaffPage` (the application, the
//! session, the reader's language and the page chrome), `Id` for typed path values and
//! `Form` for a posted form (read as `forms` describes), and answers a [`PageResult`].

pub mod account;
pub mod audit;
pub mod cases;
pub mod content;
pub mod directory;
pub mod forms;
pub mod home;
pub mod hub;
pub mod hub_categories;
pub mod hub_police;
pub mod hub_work;
pub mod login;
pub mod orgs;
pub mod outreach;
pub mod persons;
pub mod programmes;
pub mod public;
pub mod referral_types;
pub mod referrals;
pub mod shelters;
pub mod stats;
pub mod users;

use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use crate::error::PageErr;

/// What a page handler answers: the page or a redirect, or the error page.
pub type PageResult = Result<Response, PageErr>;

/// After a successful form post: see the result with a GET (303).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A redirect that also sets (or clears) the session cookie.
pub fn see_other_with_cookie(to: &str, cookie: String) -> Response {
    ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
}
