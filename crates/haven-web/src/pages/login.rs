//! Signing in: password, then a TOTP code (or enrolling one at first sign-in), then a new
//! session. In demo mode a user without a second factor goes straight in, and the page
//! says so.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use haven_core::users::{self, Stage};
use haven_core::Error;
use serde::Deserialize;

use super::{see_other, see_other_with_cookie};
use crate::auth::{clear_cookie, cookie_token, set_cookie, ClientIp, Pending, Staff};
use crate::error::ErrExt;
use crate::i18n::Tr;
use crate::views::{render, render_refused, Chrome, FormErrors};
use crate::AppState;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub errors: FormErrors,
    pub username: String,
    pub demo: bool,
}

pub async fn form(State(state): State<AppState>, t: Tr, headers: HeaderMap) -> Response {
    if let Some(tok) = cookie_token(&state, &headers) {
        if let Ok(Some(s)) = users::session(&state.ctx, &tok).await {
            if s.stage == Stage::Full {
                return see_other("/staff/");
            }
        }
    }
    render(&LoginPage {
        chrome: Chrome::signed_out(state.cfg.demo),
        t,
        errors: FormErrors::default(),
        username: String::new(),
        demo: state.cfg.demo,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

fn login_failed(
    state: &AppState,
    t: Tr,
    username: String,
    code: &str,
    status: StatusCode,
) -> Response {
    let errors = FormErrors::one(&t, "username", t.t(code));
    (
        status,
        render(&LoginPage {
            chrome: Chrome::signed_out(state.cfg.demo),
            t,
            errors,
            username,
            demo: state.cfg.demo,
        }),
    )
        .into_response()
}

pub async fn submit(
    State(state): State<AppState>,
    t: Tr,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, crate::error::PageErr> {
    let now = state.ctx.clock.now_ts();
    if f.username.trim().is_empty() || f.password.is_empty() {
        return Ok(login_failed(
            &state,
            t,
            f.username,
            "err-login-missing",
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    if state.throttle.password_wait(&f.username, &ip, now) > 0 {
        return Ok(login_failed(
            &state,
            t,
            f.username,
            "err-login-throttled",
            StatusCode::TOO_MANY_REQUESTS,
        ));
    }
    let ok = users::check_password(&state.ctx, &f.username, &f.password)
        .await
        .map_err(t.page())?;
    let Some(ok) = ok else {
        if state.throttle.password_failed(&f.username, &ip, now) {
            crate::throttle::tell_holder(&state.ctx, &f.username).await;
        }
        return Ok(login_failed(
            &state,
            t,
            f.username,
            "err-login-failed",
            StatusCode::UNAUTHORIZED,
        ));
    };
    state.throttle.password_ok(&f.username, &ip);
    // Whatever session the browser had ends here: the token changes at every sign-in.
    if let Some(old) = cookie_token(&state, &headers) {
        users::end_session(&state.ctx, &old)
            .await
            .map_err(t.page())?;
    }
    let (stage, next) = if ok.totp_enrolled {
        (Stage::Totp, "/staff/login/totp")
    } else if state.cfg.demo {
        (Stage::Full, "/staff/")
    } else {
        (Stage::Enrol, "/staff/login/enrol")
    };
    let token = users::start_session(&state.ctx, ok.user_id, stage, "web")
        .await
        .map_err(t.page())?;
    Ok(see_other_with_cookie(next, set_cookie(&state, &token)))
}

#[derive(Template)]
#[template(path = "totp.html")]
pub struct TotpPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub errors: FormErrors,
    pub csrf: String,
}

pub async fn totp_form(State(state): State<AppState>, t: Tr, Pending(s): Pending) -> Response {
    if s.stage == Stage::Enrol {
        return see_other("/staff/login/enrol");
    }
    render(&TotpPage {
        chrome: Chrome::signed_out(state.cfg.demo),
        t,
        errors: FormErrors::default(),
        csrf: s.csrf_token,
    })
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn totp_submit(
    State(state): State<AppState>,
    t: Tr,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Pending(s): Pending,
    Form(f): Form<CodeForm>,
) -> Result<Response, crate::error::PageErr> {
    let now = state.ctx.clock.now_ts();
    let fail = |t: Tr, code: &str, status: StatusCode| {
        let errors = FormErrors::one(&t, "code", t.t(code));
        (
            status,
            render(&TotpPage {
                chrome: Chrome::signed_out(state.cfg.demo),
                t,
                errors,
                csrf: s.csrf_token.clone(),
            }),
        )
            .into_response()
    };
    if state.throttle.code_wait(&s.user.username, &ip, now) > 0 {
        return Ok(fail(
            t,
            "err-login-throttled",
            StatusCode::TOO_MANY_REQUESTS,
        ));
    }
    if !users::check_totp(&state.ctx, s.user.id, &f.code)
        .await
        .map_err(t.page())?
    {
        if state.throttle.code_failed(&s.user.username, &ip, now) {
            crate::throttle::tell_holder(&state.ctx, &s.user.username).await;
        }
        return Ok(fail(t, "err-code-wrong", StatusCode::UNAUTHORIZED));
    }
    state.throttle.code_ok(&s.user.username);
    let old = cookie_token(&state, &headers).unwrap_or_default();
    let token = users::promote_session(&state.ctx, &old, s.user.id, "web")
        .await
        .map_err(t.page())?;
    Ok(see_other_with_cookie("/staff/", set_cookie(&state, &token)))
}

#[derive(Template)]
#[template(path = "enrol.html")]
pub struct EnrolPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub errors: FormErrors,
    pub csrf: String,
    pub secret: String,
    pub qr_svg: String,
}

fn enrol_page(
    state: &AppState,
    t: Tr,
    s: &haven_core::users::Session,
    secret: &[u8],
    errors: FormErrors,
) -> EnrolPage {
    let url = users::totp::otpauth_url(secret, &s.user.username);
    let qr_svg = qrcode::QrCode::new(url.as_bytes())
        .map(|c| {
            c.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .build()
        })
        .unwrap_or_default();
    // Strip the XML prolog so the SVG can sit inside the page.
    let qr_svg = qr_svg
        .find("<svg")
        .map(|i| qr_svg[i..].to_owned())
        .unwrap_or_default();
    let secret = users::totp::base32(secret)
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    EnrolPage {
        chrome: Chrome::signed_out(state.cfg.demo),
        t,
        errors,
        csrf: s.csrf_token.clone(),
        secret,
        qr_svg,
    }
}

pub async fn enrol_form(
    State(state): State<AppState>,
    t: Tr,
    Pending(s): Pending,
) -> Result<Response, crate::error::PageErr> {
    if s.stage != Stage::Enrol {
        return Ok(see_other("/staff/login/totp"));
    }
    let secret = users::offer_totp(&state.ctx, &s).await.map_err(t.page())?;
    Ok(render(&enrol_page(
        &state,
        t,
        &s,
        &secret,
        FormErrors::default(),
    )))
}

pub async fn enrol_submit(
    State(state): State<AppState>,
    t: Tr,
    headers: HeaderMap,
    Pending(s): Pending,
    Form(f): Form<CodeForm>,
) -> Result<Response, crate::error::PageErr> {
    if s.stage != Stage::Enrol {
        return Ok(see_other("/staff/login/totp"));
    }
    match users::confirm_totp(&state.ctx, &s, &f.code).await {
        Ok(()) => {}
        Err(Error::Invalid(fields)) => {
            let secret = users::offer_totp(&state.ctx, &s).await.map_err(t.page())?;
            let errors = FormErrors::from_fields(&t, &fields);
            let page = enrol_page(&state, t, &s, &secret, errors);
            return Ok(render_refused(&page));
        }
        Err(e) => return Err(t.page()(e)),
    }
    let old = cookie_token(&state, &headers).unwrap_or_default();
    let token = users::promote_session(&state.ctx, &old, s.user.id, "web")
        .await
        .map_err(t.page())?;
    Ok(see_other_with_cookie("/staff/", set_cookie(&state, &token)))
}

pub async fn logout(
    State(state): State<AppState>,
    t: Tr,
    headers: HeaderMap,
    Staff(_): Staff,
) -> Result<Response, crate::error::PageErr> {
    if let Some(tok) = cookie_token(&state, &headers) {
        users::end_session(&state.ctx, &tok)
            .await
            .map_err(t.page())?;
    }
    // Signing out clears what this browser keeps for Haven, the outreach app's encrypted
    // store and cached shell included, whichever page the worker signed out from.
    let mut res = see_other_with_cookie("/staff/login", clear_cookie(&state));
    res.headers_mut().insert(
        "clear-site-data",
        axum::http::HeaderValue::from_static("\"cache\", \"storage\""),
    );
    Ok(res)
}
