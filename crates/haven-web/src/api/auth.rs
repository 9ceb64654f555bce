//! API tokens: a bearer token is a server-side session of kind `api`.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use haven_core::users::{self, Stage, User};
use haven_core::Error;
use serde::{Deserialize, Serialize};

use crate::api::{ApiJson, Done, Invalid, StaffApi, Unauthorized};
use crate::auth::{ClientIp, Staff};
use crate::error::{ApiErr, ApiErrorBody, ErrExt};
use crate::i18n::Tr;
use crate::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
    /// The current code from the authenticator app. May be left out only in demo mode by
    /// a user without a second factor.
    #[serde(default)]
    pub code: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub token: String,
    pub token_type: &'static str,
    /// Seconds of inactivity after which the token stops working.
    pub idle_timeout: i64,
    /// Seconds after which the token stops working in any case.
    pub absolute_timeout: i64,
}

/// Exchange credentials for a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", security(()),
    request_body = TokenRequest,
    responses(
        (status = 201, body = TokenResponse),
        (status = 401, description = "Wrong username, password or code", body = ApiErrorBody),
        (status = 403, description = "A second factor must be enrolled in the web app first", body = ApiErrorBody),
        Invalid,
        (status = 429, description = "Too many failed attempts", body = ApiErrorBody),
    ))]
pub async fn create_token(
    State(state): State<AppState>,
    t: Tr,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<Response, ApiErr> {
    let now = state.ctx.clock.now_ts();
    if req.username.trim().is_empty() || req.password.is_empty() {
        return Err(t.api()(Error::invalid("username", "err-login-missing")));
    }
    // One request carries both factors, so both counts are asked; the longer wait holds.
    let wait = state
        .throttle
        .password_wait(&req.username, &ip, now)
        .max(state.throttle.code_wait(&req.username, &ip, now));
    if wait > 0 {
        let body = ApiErrorBody {
            error: "err-login-throttled".into(),
            message: t.t("err-login-throttled"),
            fields: vec![],
        };
        return Ok((StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response());
    }
    let ok = users::check_password(&state.ctx, &req.username, &req.password)
        .await
        .map_err(t.api())?;
    let Some(ok) = ok else {
        if state.throttle.password_failed(&req.username, &ip, now) {
            crate::throttle::tell_holder(&state.ctx, &req.username).await;
        }
        return Err(t.api()(Error::Unauthenticated));
    };
    state.throttle.password_ok(&req.username, &ip);
    if ok.totp_enrolled {
        let code = req.code.unwrap_or_default();
        if !users::check_totp(&state.ctx, ok.user_id, &code)
            .await
            .map_err(t.api())?
        {
            if state.throttle.code_failed(&req.username, &ip, now) {
                crate::throttle::tell_holder(&state.ctx, &req.username).await;
            }
            return Err(t.api()(Error::Unauthenticated));
        }
        state.throttle.code_ok(&req.username);
    } else if !state.cfg.demo {
        return Err(t.api()(Error::Forbidden));
    }
    let token = users::start_session(&state.ctx, ok.user_id, Stage::Full, "api")
        .await
        .map_err(t.api())?;
    Ok((
        StatusCode::CREATED,
        Json(TokenResponse {
            token,
            token_type: "Bearer",
            idle_timeout: users::IDLE_TIMEOUT,
            absolute_timeout: users::ABSOLUTE_TIMEOUT,
        }),
    )
        .into_response())
}

/// End the token's session.
#[utoipa::path(delete, path = "/api/v1/auth/token", tag = "auth",
    responses((status = 204), Unauthorized))]
pub async fn delete_token(a: StaffApi, headers: HeaderMap) -> Done {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    a.done(users::end_session(&a.ctx, token.trim()).await)
}

/// The signed-in user and what they may do.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub user: User,
    pub permissions: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = Me), Unauthorized))]
pub async fn me(Staff(s): Staff) -> Json<Me> {
    let mut permissions: Vec<String> = s
        .user
        .roles
        .iter()
        .flat_map(|r| r.permissions())
        .map(|p| {
            serde_json::to_value(p)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        })
        .collect();
    permissions.sort();
    permissions.dedup();
    Json(Me {
        user: s.user,
        permissions,
    })
}
